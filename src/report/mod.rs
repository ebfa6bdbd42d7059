//! Reporting findings: one module per output format, plus the closing summary.

pub mod checklist;
pub mod concise;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod rules;
pub mod sarif;

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::finding::{Finding, Safety};
use crate::source::{LineIndex, Position, Span};

/// The findings of one file, with the text they point into.
pub struct FileFindings<'a> {
    /// The path as reported: as given on the command line, joined with what is below it.
    pub path: String,
    pub text: &'a str,
    pub findings: &'a [Finding],
    /// One stable fingerprint per finding (see `baseline`).
    pub fingerprints: Vec<String>,
}

impl FileFindings<'_> {
    pub fn path(&self) -> String {
        self.path.clone()
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
    /// Diagnostics with the source snippet, help and fix preview.
    Human,
    /// One line per finding: `path:line:col: CODE message`.
    Concise,
    /// One JSON array (the stable contract described in the README).
    Json,
    /// One JSON finding per line.
    JsonLines,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF consumers.
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
    /// JUnit XML, for any CI that shows test reports.
    Junit,
    /// GitLab Code Quality JSON.
    Gitlab,
    /// A Markdown migration checklist: the code findings as tasks by rule and file, then
    /// the tenant-side steps they imply, in order.
    Checklist,
}

/// Writes the findings in a format.
pub fn write(
    format: OutputFormat,
    out: &mut dyn Write,
    files: &[FileFindings],
    catalogue: &crate::catalogue::Catalogue,
    color: bool,
) -> io::Result<()> {
    match format {
        OutputFormat::Human => human::write(out, files, catalogue, color),
        OutputFormat::Concise => concise::write(out, files),
        OutputFormat::Json => json::write(out, files, catalogue),
        OutputFormat::JsonLines => json::write_lines(out, files, catalogue),
        OutputFormat::Sarif => sarif::write(out, files, catalogue),
        OutputFormat::Github => github::write(out, files, catalogue),
        OutputFormat::Junit => junit::write(out, files, catalogue),
        OutputFormat::Gitlab => gitlab::write(out, files, catalogue),
        OutputFormat::Checklist => checklist::write(out, files, catalogue),
    }
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
