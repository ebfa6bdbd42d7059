//! Package versions and version requirements, across ecosystems: enough of each syntax to
//! know the lowest version a requirement allows and the bound it stays under.
//!
//! Understood: exact versions (`7.6.1`, `v1.2.3`, `==3.24.1`, `=1.0`), comparators
//! (`>=2,<3`, `>= 4 < 5`), npm/Composer carets and tildes (`^7.6.1`, `~8.0`), wildcards
//! (`7.x`, `5.*`, `1.+`), hyphen ranges (`1.2 - 2.3`), alternatives (`^1 || ^2`), the
//! pessimistic operators of RubyGems/CocoaPods/Carthage and PEP 440 (`~> 4.0`, `~= 3.1`),
//! Maven ranges (`[1.0,2.0)`, `[1.5,)`), Swift Package Manager forms (`from: "1.0.0"`,
//! `.upToNextMinor(from: "1.2.0")`, `.exact("1.2.3")`, `"1.0.0"..<"2.0.0"`).

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl Version {
    pub const fn new(major: u64, minor: u64, patch: u64) -> Version {
        Version { major, minor, patch }
    }

    /// A version written `1`, `1.2`, `1.2.3`, `v1.2.3`, `1.2.3-beta.1`, `1.2.3.4` (the
    /// fourth number is ignored). `None` for anything else.
    pub fn parse(text: &str) -> Option<Version> {
        let (version, _) = Version::parse_partial(text)?;
        Some(version)
    }

    /// A version and how many of its numbers were written (a missing number is 0).
    fn parse_partial(text: &str) -> Option<(Version, usize)> {
        let text = text.trim().trim_start_matches(['v', 'V']);
        let core = text.split(['-', '+']).next().unwrap_or("");
        if core.is_empty() {
            return None;
        }
        let mut numbers = [0u64; 3];
        let mut written = 0;
        for (i, part) in core.split('.').enumerate() {
            if i >= 3 {
                // `1.2.3.4` (NuGet, Maven), `2.0.0.RELEASE`: the rest does not matter here.
                break;
            }
            // `1.2.3.RELEASE`, `3.0.0rc1`: the leading digits count.
            let digits: String = part.chars().take_while(|c| c.is_ascii_digit()).collect();
            if digits.is_empty() {
                if i == 0 {
                    return None;
                }
                break;
            }
            numbers[i] = digits.parse().ok()?;
            written = i + 1;
            if digits.len() != part.len() {
                break;
            }
        }
        Some((Version::new(numbers[0], numbers[1], numbers[2]), written))
    }

    fn bump(&self, position: usize) -> Version {
        match position {
            0 => Version::new(self.major + 1, 0, 0),
            1 => Version::new(self.major, self.minor + 1, 0),
            _ => Version::new(self.major, self.minor, self.patch + 1),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// The versions a requirement allows, as one interval: from `low` (inclusive) up to
/// `high`, which is exclusive (`None`: no upper bound).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub low: Version,
    pub high: Option<Version>,
}

impl Range {
    /// True when every version the range allows is below `version`.
    pub fn below(&self, version: Version) -> bool {
        self.high.is_some_and(|high| high <= version)
    }

    fn exact(version: Version) -> Range {
        Range { low: version, high: Some(Version::new(version.major, version.minor, version.patch + 1)) }
    }

    fn union(self, other: Range) -> Range {
        let high = match (self.high, other.high) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        };
        Range { low: self.low.min(other.low), high }
    }
}

/// How a requirement's operators read, where ecosystems disagree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// npm, Yarn, pnpm, Bower: `~1.2` allows 1.2.x; a bare `1.2` is `1.2.x`.
    Npm,
    /// Composer: `~1.2` allows 1.x from 1.2; a bare version is exact.
    Composer,
    /// Everything else: a bare version is exact (Maven's soft requirement, a pinned pod).
    Exact,
}

/// The range of versions a requirement allows, or `None` when it names no version
/// (`*`, `latest`, a git URL, a path).
pub fn range(requirement: &str, dialect: Dialect) -> Option<Range> {
    let text = requirement.trim();
    if let Some(range) = maven_range(text) {
        return Some(range);
    }
    if let Some(range) = swift_range(text) {
        return Some(range);
    }
    let mut total: Option<Range> = None;
    for alternative in text.split("||").flat_map(|a| a.split(" | ")) {
        let range = conjunction(alternative.trim(), dialect)?;
        total = Some(match total {
            Some(t) => t.union(range),
            None => range,
        });
    }
    total
}

/// `>=1.2 <2`, `>=2,<3`, `^1.2.3`, `1.2 - 2.3`: every comparator must hold.
fn conjunction(text: &str, dialect: Dialect) -> Option<Range> {
    if let Some((from, to)) = text.split_once(" - ") {
        let (low, _) = Version::parse_partial(from)?;
        let (high, written) = Version::parse_partial(to)?;
        let high = if written == 3 { high.bump(2) } else { high.bump(written.saturating_sub(1)) };
        return Some(Range { low, high: Some(high) });
    }
    // Split into comparators: operators may be separated from their version by spaces.
    let mut comparators: Vec<String> = Vec::new();
    for word in text.split([',', ' ', '\t']).filter(|w| !w.is_empty()) {
        match comparators.last_mut() {
            Some(last) if last.chars().all(|c| "<>=!~^".contains(c)) => last.push_str(word),
            _ => comparators.push(word.to_string()),
        }
    }
    if comparators.is_empty() {
        return None;
    }
    let mut low = Version::new(0, 0, 0);
    let mut high: Option<Version> = None;
    let mut any = false;
    for comparator in &comparators {
        let Some(range) = comparator_range(comparator, dialect) else {
            if comparator.starts_with("!=") {
                continue;
            }
            return None;
        };
        any = true;
        low = low.max(range.low);
        high = match (high, range.high) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    any.then_some(Range { low, high })
}

fn comparator_range(text: &str, dialect: Dialect) -> Option<Range> {
    let operator_len = text.find(|c: char| !"<>=!~^".contains(c)).unwrap_or(text.len());
    let (operator, rest) = text.split_at(operator_len);
    let rest = rest.trim().trim_matches(['"', '\'']);
    if rest.is_empty() || matches!(rest, "*" | "x" | "X" | "latest" | "+") {
        return (operator.is_empty() || operator == ">=").then_some(Range { low: Version::new(0, 0, 0), high: None });
    }
    // `1.2.x`, `5.*`, `1.+`: the written numbers are fixed.
    let wildcard = rest.split('.').position(|p| matches!(p, "x" | "X" | "*" | "+"));
    let (version, written) = match wildcard {
        Some(0) => return Some(Range { low: Version::new(0, 0, 0), high: None }),
        Some(at) => {
            let fixed = rest.split('.').take(at).collect::<Vec<_>>().join(".");
            let (version, _) = Version::parse_partial(&fixed)?;
            (version, at)
        }
        None => Version::parse_partial(rest)?,
    };
    let open_ended = |written: usize| Range { low: version, high: Some(version.bump(written.saturating_sub(1))) };
    Some(match operator {
        "" | "=" | "==" | "===" => match (dialect, wildcard) {
            (_, Some(_)) => open_ended(written),
            (Dialect::Npm, None) if written < 3 => open_ended(written),
            _ => Range::exact(version),
        },
        ">=" => Range { low: version, high: None },
        ">" => Range { low: version.bump(2), high: None },
        "<" => Range { low: Version::new(0, 0, 0), high: Some(version) },
        "<=" => Range { low: Version::new(0, 0, 0), high: Some(version.bump(2)) },
        "^" => {
            // The first non-zero number is fixed (`^0.8.5` allows 0.8.x).
            let position = if version.major > 0 || written == 1 {
                0
            } else if version.minor > 0 || written == 2 {
                1
            } else {
                2
            };
            Range { low: version, high: Some(version.bump(position)) }
        }
        "~" if dialect == Dialect::Npm => {
            Range { low: version, high: Some(version.bump(if written == 1 { 0 } else { 1 })) }
        }
        // `~>` (RubyGems, CocoaPods, Carthage), `~=` (PEP 440), Composer's `~`: the last
        // written number may grow.
        "~" | "~>" | "~=" => Range { low: version, high: Some(version.bump(written.saturating_sub(2))) },
        _ => return None,
    })
}

/// Maven and NuGet ranges: `[1.0,2.0)`, `[1.5,)`, `(,2.0)`, `[1.2.3]`.
fn maven_range(text: &str) -> Option<Range> {
    let open = text.chars().next().filter(|c| *c == '[' || *c == '(')?;
    let close = text.chars().last().filter(|c| *c == ']' || *c == ')')?;
    let inner = &text[1..text.len() - 1];
    let Some((from, to)) = inner.split_once(',') else {
        let version = Version::parse(inner)?;
        return Some(Range::exact(version));
    };
    let low = match from.trim() {
        "" => Version::new(0, 0, 0),
        v => {
            let version = Version::parse(v)?;
            if open == '(' {
                version.bump(2)
            } else {
                version
            }
        }
    };
    let high = match to.trim() {
        "" => None,
        v => {
            let version = Version::parse(v)?;
            Some(if close == ']' { version.bump(2) } else { version })
        }
    };
    Some(Range { low, high })
}

/// Swift Package Manager requirements, as written in `Package.swift`.
fn swift_range(text: &str) -> Option<Range> {
    let quoted: Vec<&str> = text.split('"').skip(1).step_by(2).collect();
    let first = || quoted.first().and_then(|v| Version::parse(v));
    if let Some((from, to)) = text.split_once("..<") {
        let low = Version::parse(from.trim().trim_matches('"'))?;
        let high = Version::parse(to.trim().trim_matches('"'))?;
        return Some(Range { low, high: Some(high) });
    }
    if let Some((from, to)) = text.split_once("...") {
        let low = Version::parse(from.trim().trim_matches('"'))?;
        let high = Version::parse(to.trim().trim_matches('"'))?;
        return Some(Range { low, high: Some(high.bump(2)) });
    }
    if text.contains("upToNextMinor") {
        let v = first()?;
        return Some(Range { low: v, high: Some(v.bump(1)) });
    }
    if text.contains("exact") {
        return Some(Range::exact(first()?));
    }
    if text.contains("from:") || text.contains("upToNextMajor") {
        let v = first()?;
        return Some(Range { low: v, high: Some(v.bump(0)) });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    fn r(req: &str, dialect: Dialect) -> (String, String) {
        let range = range(req, dialect).unwrap_or_else(|| panic!("{req} has no range"));
        (range.low.to_string(), range.high.map_or("*".to_string(), |h| h.to_string()))
    }

    fn pair(low: &str, high: &str) -> (String, String) {
        (low.to_string(), high.to_string())
    }

    #[test]
    fn versions_parse_with_prefixes_and_suffixes() {
        assert_eq!(v("7.6.1"), Version::new(7, 6, 1));
        assert_eq!(v("v1.2"), Version::new(1, 2, 0));
        assert_eq!(v("3.0.0-beta.1"), Version::new(3, 0, 0));
        assert_eq!(v("1.2.3.4"), Version::new(1, 2, 3));
        assert_eq!(v("2.0.0.RELEASE"), Version::new(2, 0, 0));
        assert_eq!(Version::parse("latest"), None);
        assert!(v("8.12.3") < v("9.0.0"));
    }

    #[test]
    fn npm_ranges() {
        assert_eq!(r("^7.6.1", Dialect::Npm), pair("7.6.1", "8.0.0"));
        assert_eq!(r("^0.8.5", Dialect::Npm), pair("0.8.5", "0.9.0"));
        assert_eq!(r("~8.0", Dialect::Npm), pair("8.0.0", "8.1.0"));
        assert_eq!(r("~8", Dialect::Npm), pair("8.0.0", "9.0.0"));
        assert_eq!(r("7.x", Dialect::Npm), pair("7.0.0", "8.0.0"));
        assert_eq!(r("7.6.1", Dialect::Npm), pair("7.6.1", "7.6.2"));
        assert_eq!(r("7", Dialect::Npm), pair("7.0.0", "8.0.0"));
        assert_eq!(r(">=7.0.0 <9", Dialect::Npm), pair("7.0.0", "9.0.0"));
        assert_eq!(r("7.0 - 8.2", Dialect::Npm), pair("7.0.0", "8.3.0"));
        assert_eq!(r("^7.0.0 || ^8.0.0", Dialect::Npm), pair("7.0.0", "9.0.0"));
        assert_eq!(r(">=7", Dialect::Npm), pair("7.0.0", "*"));
        assert_eq!(range("*", Dialect::Npm).unwrap().high, None);
        assert_eq!(range("github:auth0/auth0.js", Dialect::Npm), None);
        assert_eq!(range("latest", Dialect::Npm).unwrap().high, None);
    }

    #[test]
    fn python_ruby_composer_ranges() {
        assert_eq!(r(">=2,<3", Dialect::Exact), pair("2.0.0", "3.0.0"));
        assert_eq!(r("== 3.24.1", Dialect::Exact), pair("3.24.1", "3.24.2"));
        assert_eq!(r("~=3.1", Dialect::Exact), pair("3.1.0", "4.0.0"));
        assert_eq!(r("~=3.1.2", Dialect::Exact), pair("3.1.2", "3.2.0"));
        assert_eq!(r("~> 4.0", Dialect::Exact), pair("4.0.0", "5.0.0"));
        assert_eq!(r("~> 4.1.2", Dialect::Exact), pair("4.1.2", "4.2.0"));
        assert_eq!(r(">= 4, < 5", Dialect::Exact), pair("4.0.0", "5.0.0"));
        assert_eq!(r("<4", Dialect::Exact), pair("0.0.0", "4.0.0"));
        assert_eq!(r(">=3,!=3.1.0,<4", Dialect::Exact), pair("3.0.0", "4.0.0"));
        assert_eq!(r("~5.1", Dialect::Composer), pair("5.1.0", "6.0.0"));
        assert_eq!(r("5.*", Dialect::Composer), pair("5.0.0", "6.0.0"));
        assert_eq!(r("^5.0 | ^7.0", Dialect::Composer), pair("5.0.0", "8.0.0"));
        assert_eq!(r("1.+", Dialect::Exact), pair("1.0.0", "2.0.0"));
    }

    #[test]
    fn maven_and_swift_ranges() {
        assert_eq!(r("[1.0,2.0)", Dialect::Exact), pair("1.0.0", "2.0.0"));
        assert_eq!(r("[1.5,)", Dialect::Exact), pair("1.5.0", "*"));
        assert_eq!(r("[1.2.3]", Dialect::Exact), pair("1.2.3", "1.2.4"));
        assert_eq!(r("1.30.0", Dialect::Exact), pair("1.30.0", "1.30.1"));
        assert_eq!(r("from: \"1.0.0\"", Dialect::Exact), pair("1.0.0", "2.0.0"));
        assert_eq!(r(".upToNextMinor(from: \"1.2.0\")", Dialect::Exact), pair("1.2.0", "1.3.0"));
        assert_eq!(r(".exact(\"1.39.0\")", Dialect::Exact), pair("1.39.0", "1.39.1"));
        assert_eq!(r("\"1.0.0\"..<\"2.0.0\"", Dialect::Exact), pair("1.0.0", "2.0.0"));
    }

    #[test]
    fn below_compares_the_upper_bound() {
        let range = range("^8.12.0", Dialect::Npm).unwrap();
        assert!(range.below(Version::new(9, 0, 0)));
        assert!(!range.below(Version::new(8, 5, 0)));
        assert!(!super::range(">=7", Dialect::Npm).unwrap().below(Version::new(9, 0, 0)));
    }
}
