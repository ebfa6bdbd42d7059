//! Fingerprints and the baseline that lets a codebase adopt the tool without fixing
//! everything on day one.
//!
//! A fingerprint is made of the rule, the file's path, the normalised text of the
//! flagged lines (whitespace collapsed) and the occurrence index of that text in the
//! file. It survives unrelated edits that move lines, and a finding that is fixed while
//! another of the same rule appears in the same file does not hide the new one: its
//! lines read differently.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::finding::Finding;
use crate::source::LineIndex;

pub const VERSION: u32 = 1;

/// A stable 64-bit FNV-1a hash, written as hex: the same on every platform and release.
pub fn hash(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0u8]) {
            h ^= u64::from(byte);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// A path as fingerprints see it: `/` separators, no leading `./`.
pub fn normalize_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut text = text.as_str();
    while let Some(rest) = text.strip_prefix("./") {
        text = rest;
    }
    text.to_string()
}

/// The fingerprints of a file's findings, in the same order.
pub fn fingerprints(path: &str, text: &str, findings: &[Finding]) -> Vec<String> {
    let index = LineIndex::new(text);
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    findings
        .iter()
        .map(|f| {
            let first = index.line_of(f.span.start);
            let last = index.line_of(f.span.end.saturating_sub(1).max(f.span.start));
            let start = index.line_start(first);
            let end = if last + 1 < index.line_count() { index.line_start(last + 1) } else { text.len() };
            let lines = text[start..end].split_whitespace().collect::<Vec<_>>().join(" ");
            let occurrence = seen.entry((f.code.clone(), lines.clone())).or_default();
            let fingerprint = hash(&[&f.code, path, &lines, &occurrence.to_string()]);
            *occurrence += 1;
            fingerprint
        })
        .collect()
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Entry {
    pub fingerprint: String,
    pub code: String,
    pub path: String,
    /// Where it was when the baseline was written; informative only.
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

impl Baseline {
    pub fn read(path: &Path) -> Result<Baseline, String> {
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read the baseline: {e}", path.display()))?;
        let baseline: Baseline =
            serde_json::from_str(&text).map_err(|e| format!("{}: not a baseline file: {e}", path.display()))?;
        if baseline.version != VERSION {
            return Err(format!(
                "{}: baseline version {} is not supported (expected {VERSION})",
                path.display(),
                baseline.version
            ));
        }
        Ok(baseline)
    }

    pub fn write(&self, path: &Path) -> Result<(), String> {
        let text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        std::fs::write(path, text + "\n").map_err(|e| format!("{}: cannot write the baseline: {e}", path.display()))
    }
}

/// Hides the findings a baseline records. Each entry hides one finding at most, so a
/// second occurrence of the same code on the same lines still shows.
pub struct Filter {
    remaining: HashMap<String, usize>,
}

impl Filter {
    pub fn new(baseline: &Baseline) -> Filter {
        let mut remaining = HashMap::new();
        for entry in &baseline.findings {
            *remaining.entry(entry.fingerprint.clone()).or_insert(0) += 1;
        }
        Filter { remaining }
    }

    /// True when the finding is in the baseline (and takes its entry).
    pub fn hides(&mut self, fingerprint: &str) -> bool {
        match self.remaining.get_mut(fingerprint) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }

    /// Entries no finding matched: findings of the baseline that are gone.
    pub fn gone(&self) -> usize {
        self.remaining.values().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;
    use crate::source::Span;

    fn finding(code: &str, text: &str, needle: &str) -> Finding {
        let start = text.find(needle).unwrap();
        Finding {
            code: code.into(),
            span: Span::new(start, start + needle.len()),
            severity: Severity::Error,
            message: String::new(),
            help: String::new(),
            fix: None,
        }
    }

    #[test]
    fn fingerprints_survive_moved_lines_but_not_a_swap() {
        let before = "fetch(A + '/oauth/ro');\n";
        let moved = "// a new comment\n\nfetch(A  +  '/oauth/ro');\n";
        let swapped = "fetch(B + '/oauth/ro');\n";
        let f = |text: &str| fingerprints("a.js", text, &[finding("RO001", text, "/oauth/ro")]);
        assert_eq!(f(before), f(moved));
        assert_ne!(f(before), f(swapped));
    }

    #[test]
    fn a_baseline_entry_hides_one_finding() {
        let baseline = Baseline {
            version: VERSION,
            findings: vec![Entry {
                fingerprint: "x".into(),
                code: "RO001".into(),
                path: "a".into(),
                line: 1,
                message: String::new(),
            }],
        };
        let mut filter = Filter::new(&baseline);
        assert!(filter.hides("x"));
        assert!(!filter.hides("x"));
        assert_eq!(filter.gone(), 0);
        assert_eq!(Filter::new(&baseline).gone(), 1);
    }
}
