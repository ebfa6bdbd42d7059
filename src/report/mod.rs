//! Reporting findings: one module per output format, plus the closing summary.

pub mod human;
pub mod json;
pub mod rules;

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::finding::{Finding, Safety};
use crate::lint::SourceFile;
use crate::source::{LineIndex, Position, Span};

/// The findings of one file, with the text they point into.
pub struct FileFindings<'a> {
    pub file: &'a SourceFile,
    pub findings: &'a [Finding],
}

impl FileFindings<'_> {
    pub fn path(&self) -> String {
        self.file.path.display().to_string()
    }
}

/// Line/column positions of spans in one text.
pub struct Locator<'a> {
    text: &'a str,
    index: LineIndex,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Self {
        Locator { text, index: LineIndex::new(text) }
    }

    pub fn position(&self, offset: usize) -> Position {
        self.index.position(self.text, offset)
    }

    pub fn range(&self, span: Span) -> (Position, Position) {
        (self.position(span.start), self.position(span.end))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
}

/// Counts for the closing summary.
#[derive(Default)]
pub struct Summary {
    pub files_scanned: usize,
    pub files_parsed: usize,
    pub per_rule: BTreeMap<String, usize>,
    pub safe_fixable: usize,
    pub unsafe_fixable: usize,
    pub errors: usize,
}

impl Summary {
    pub fn add(&mut self, findings: &[Finding]) {
        for finding in findings {
            *self.per_rule.entry(finding.code.clone()).or_default() += 1;
            match finding.fix.as_ref().map(|f| f.safety) {
                Some(Safety::Safe) => self.safe_fixable += 1,
                Some(Safety::Unsafe) => self.unsafe_fixable += 1,
                _ => {}
            }
        }
    }

    pub fn total(&self) -> usize {
        self.per_rule.values().sum()
    }

    pub fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        let files =
            format!("{} file{} scanned ({} parsed)", self.files_scanned, plural(self.files_scanned), self.files_parsed);
        if self.total() == 0 {
            writeln!(out, "No deprecated Auth0 usage found; {files}.")?;
        } else {
            let rules: Vec<String> = self.per_rule.iter().map(|(code, n)| format!("{code} ×{n}")).collect();
            writeln!(out, "Found {} finding{} in {files}: {}.", self.total(), plural(self.total()), rules.join(", "))?;
            let mut fixable = Vec::new();
            if self.safe_fixable > 0 {
                fixable.push(format!("{} fixable with `auth0-migrate fix`", self.safe_fixable));
            }
            if self.unsafe_fixable > 0 {
                fixable.push(format!("{} more with `--unsafe-fixes`", self.unsafe_fixable));
            }
            let manual = self.total() - self.safe_fixable - self.unsafe_fixable;
            if manual > 0 {
                fixable.push(format!("{manual} to migrate by hand (see the help of each)"));
            }
            writeln!(out, "{}.", capitalize(&fixable.join("; ")))?;
        }
        if self.errors > 0 {
            writeln!(out, "{} file{} could not be checked (see the errors above).", self.errors, plural(self.errors))?;
        }
        Ok(())
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}
