//! Suppression comments, in whatever comment syntax the language has:
//!
//! - `auth0-migrate-ignore: RO001, LK001 -- reason` on the finding's line or the line
//!   above it;
//! - `auth0-migrate-ignore-file: RO001` in the first lines of the file.
//!
//! Codes may be families (`RO`). A directive that suppresses nothing is reported
//! (SU001, with a fix that removes it), and so is a code that names no rule (SU002).

use std::sync::OnceLock;

use regex::Regex;

use crate::catalogue::Catalogue;
use crate::finding::{Edit, Finding, Fix, Safety};
use crate::source::{LineIndex, Span};

/// How many lines at the top of a file may hold file-wide directives.
const FILE_DIRECTIVE_LINES: usize = 10;

#[derive(Debug)]
struct Directive {
    /// The directive's text: `auth0-migrate-ignore: RO001 -- reason`.
    span: Span,
    /// The whole comment it is in.
    comment: Span,
    /// 0-based line of the directive.
    line: usize,
    file_wide: bool,
    codes: Vec<(String, Span)>,
}

fn pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(r"auth0-migrate-ignore(-file)?:[ \t]*([A-Za-z]{2}[0-9]*(?:[ \t]*,[ \t]*[A-Za-z]{2}[0-9]*)*)(?:[ \t]*--[^\n]*)?").expect("directive pattern")
    })
}

fn directives(text: &str, comments: &[Span], index: &LineIndex) -> Vec<Directive> {
    let mut found = Vec::new();
    for &comment in comments {
        let Some(body) = text.get(comment.range()) else { continue };
        for m in pattern().captures_iter(body) {
            let whole = m.get(0).expect("match");
            let list = m.get(2).expect("codes");
            let mut codes = Vec::new();
            let mut at = list.start();
            for code in list.as_str().split(',') {
                let lead = code.len() - code.trim_start().len();
                let start = comment.start + at + lead;
                codes.push((code.trim().to_ascii_uppercase(), Span::new(start, start + code.trim().len())));
                at += code.len() + 1;
            }
            let span = Span::new(comment.start + whole.start(), comment.start + whole.end());
            found.push(Directive {
                span,
                comment,
                line: index.line_of(span.start),
                file_wide: m.get(1).is_some(),
                codes,
            });
        }
    }
    found
}

/// Removes the findings the directives suppress and reports directives that are unused
/// or name unknown rules. `selected` decides which codes can be judged unused: a
/// directive for a rule that did not run is left alone.
pub fn apply(
    findings: Vec<Finding>,
    text: &str,
    comments: &[Span],
    catalogue: &Catalogue,
    selected: &dyn Fn(&str) -> bool,
) -> Vec<Finding> {
    let index = LineIndex::new(text);
    let directives = directives(text, comments, &index);
    if directives.is_empty() {
        return findings;
    }
    let mut used = vec![vec![false; 0]; directives.len()];
    for (d, directive) in directives.iter().enumerate() {
        used[d] = vec![false; directive.codes.len()];
    }
    let covers = |code: &str, finding: &str| code == finding || (code.len() == 2 && finding.starts_with(code));
    let mut kept = Vec::new();
    for finding in findings {
        let line = index.line_of(finding.span.start);
        let mut suppressed = false;
        for (d, directive) in directives.iter().enumerate() {
            let applies = if directive.file_wide {
                directive.line < FILE_DIRECTIVE_LINES
            } else {
                directive.line == line || directive.line + 1 == line
            };
            if !applies {
                continue;
            }
            for (c, (code, _)) in directive.codes.iter().enumerate() {
                if covers(code, &finding.code) {
                    used[d][c] = true;
                    suppressed = true;
                }
            }
        }
        if !suppressed {
            kept.push(finding);
        }
    }
    for (d, directive) in directives.iter().enumerate() {
        let mut unused = Vec::new();
        for (c, (code, span)) in directive.codes.iter().enumerate() {
            let known = !catalogue.matching(code).is_empty();
            if !known {
                kept.push(finding(
                    "SU002",
                    *span,
                    format!("`{code}` is not a rule or family of auth0-migrate"),
                    remove_codes(text, directive, &[c]),
                    catalogue,
                ));
            } else if !used[d][c] && catalogue.matching(code).iter().all(|c| selected(c)) {
                unused.push(c);
            }
        }
        if unused.is_empty() {
            continue;
        }
        let names: Vec<&str> = unused.iter().map(|&c| directive.codes[c].0.as_str()).collect();
        let span = if unused.len() == directive.codes.len() { directive.span } else { directive.codes[unused[0]].1 };
        let message = format!("unused suppression: nothing here is reported as {}", names.join(", "));
        kept.push(finding("SU001", span, message, remove_codes(text, directive, &unused), catalogue));
    }
    kept.sort_by_key(|f| (f.span.start, f.span.end));
    kept
}

fn finding(code: &str, span: Span, message: String, fix: Option<Fix>, catalogue: &Catalogue) -> Finding {
    let rule = catalogue.rule(code).unwrap_or_else(|| panic!("rule {code} has no file in rules/"));
    Finding {
        code: code.to_string(),
        span,
        severity: rule.severity,
        message,
        help: rule.replacement.trim().to_string(),
        fix,
    }
}

/// The fix that removes some codes of a directive; removing all of them removes the
/// directive, and the comment (with its line) when the directive is all it says.
fn remove_codes(text: &str, directive: &Directive, remove: &[usize]) -> Option<Fix> {
    if remove.len() < directive.codes.len() {
        let keep: Vec<&str> = directive
            .codes
            .iter()
            .enumerate()
            .filter(|(i, _)| !remove.contains(i))
            .map(|(_, (c, _))| c.as_str())
            .collect();
        let first = directive.codes.first()?.1;
        let last = directive.codes.last()?.1;
        return Fix::new(
            Safety::Safe,
            "Remove the unused codes",
            vec![Edit::replace(first.cover(last), keep.join(", "))],
        );
    }
    let comment_text = &text[directive.comment.range()];
    let rest = comment_text.replacen(&text[directive.span.range()], "", 1);
    let only_directive = rest.chars().all(|c| !c.is_alphanumeric());
    let span = if only_directive {
        // The whole comment, and its line when nothing else is on it.
        let line_start = text[..directive.comment.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[directive.comment.end..].find('\n').map_or(text.len(), |i| directive.comment.end + i);
        let before = &text[line_start..directive.comment.start];
        let after = &text[directive.comment.end..line_end];
        if before.trim().is_empty() && after.trim().is_empty() {
            Span::new(line_start, (line_end + 1).min(text.len()))
        } else {
            let start = directive.comment.start - (before.len() - before.trim_end().len());
            Span::new(start, directive.comment.end)
        }
    } else {
        directive.span
    };
    Fix::new(Safety::Safe, "Remove the unused suppression", vec![Edit::delete(span)])
}
