//! Applying fixes: pick the fixes that do not overlap, apply them, re-parse (a fix that
//! leaves a syntax error is rolled back and reported), re-lint, and repeat until nothing
//! changes. Files are written with a temporary file and a rename, never when unchanged
//! and never when they changed on disk since they were read.

use std::fmt;
use std::io::Write;
use std::path::Path;

use crate::finding::{apply_edits, Edit, Finding, Fix};
use crate::lang::{Language, LowerError};
use crate::lint::{Linter, SourceFile};
use crate::source::{LineEnding, LineIndex};

/// Passes before a file is reported as not converging.
pub const MAX_PASSES: usize = 10;

/// A fix that was not kept, and why.
#[derive(Clone, Debug)]
pub struct RolledBack {
    pub code: String,
    pub line: usize,
    pub message: String,
}

pub struct FixOutcome {
    pub text: String,
    /// How many distinct fixes were applied.
    pub applied: usize,
    /// The rule code of every finding resolved by an applied fix.
    pub applied_codes: Vec<String>,
    pub rolled_back: Vec<RolledBack>,
    pub converged: bool,
    /// Findings left in the fixed text.
    pub remaining: Vec<Finding>,
    /// The secrets of the original text and of the fixed text, to mask in what is shown
    /// (see [`crate::lint::Checked::secrets`]).
    pub original_secrets: Vec<crate::source::Span>,
    pub secrets: Vec<crate::source::Span>,
    /// The files the applied fixes create (see [`write_created`]).
    pub creates: Vec<crate::finding::NewFile>,
}

/// Fixes a text to a fixpoint.
pub fn fix_text(
    linter: &Linter,
    path: Option<&Path>,
    language: Language,
    original: &str,
    unsafe_fixes: bool,
) -> Result<FixOutcome, LowerError> {
    let ending = LineEnding::detect(original);
    let baseline_errors = language.syntax_errors(original).unwrap_or(usize::MAX);
    let mut text = original.to_string();
    let mut applied = 0;
    let mut applied_codes = Vec::new();
    let mut rolled_back: Vec<RolledBack> = Vec::new();
    let mut refused: Vec<(String, Vec<String>)> = Vec::new();
    let mut converged = false;
    let mut original_secrets = None;
    let mut creates: Vec<crate::finding::NewFile> = Vec::new();
    for _ in 0..MAX_PASSES {
        let checked = linter.check(path, language, &text)?;
        if original_secrets.is_none() {
            original_secrets = Some(checked.as_ref().map(|c| c.secrets.clone()).unwrap_or_default());
        }
        let findings = checked.map(|c| c.findings).unwrap_or_default();
        let candidates: Vec<(&Finding, &Fix)> = findings
            .iter()
            .filter_map(|f| f.fix.as_ref().map(|fix| (f, fix)))
            .filter(|(f, fix)| fix.applies(unsafe_fixes) && !refused.contains(&identity(f, fix)))
            .collect();
        let mut accepted = select(&candidates);
        // A fix that only creates files is applied once.
        accepted.retain(|(_, fix)| !fix.edits.is_empty() || fix.creates.iter().any(|c| !creates.contains(c)));
        if accepted.is_empty() {
            converged = true;
            break;
        }
        for (finding, fix) in &accepted {
            if fix.edits.is_empty() {
                creates.extend(fix.creates.iter().filter(|c| !creates.contains(c)).cloned().collect::<Vec<_>>());
                applied += 1;
                applied_codes.push(finding.code.clone());
            }
        }
        accepted.retain(|(_, fix)| !fix.edits.is_empty());
        if accepted.is_empty() {
            continue;
        }
        let mut next = apply(&text, &accepted, ending);
        if language.syntax_errors(&next).is_none_or(|n| n > baseline_errors) {
            // Keep the fixes that are fine on their own; roll back the others.
            let mut kept = Vec::new();
            for &(finding, fix) in &accepted {
                let alone = apply(&text, &[(finding, fix)], ending);
                if language.syntax_errors(&alone).is_some_and(|n| n <= baseline_errors) {
                    kept.push((finding, fix));
                } else {
                    refused.push(identity(finding, fix));
                    let index = LineIndex::new(&text);
                    rolled_back.push(RolledBack {
                        code: finding.code.clone(),
                        line: index.line_of(finding.span.start) + 1,
                        message: format!("{} ({}): rolled back, the result would not parse", fix.message, finding.code),
                    });
                }
            }
            next = apply(&text, &kept, ending);
            if language.syntax_errors(&next).is_none_or(|n| n > baseline_errors) {
                // Fine alone, broken together: keep the first only; the rest go to the next pass.
                kept.truncate(1);
                next = apply(&text, &kept, ending);
            }
            applied += kept.len();
            applied_codes.extend(resolved(&candidates, &kept));
        } else {
            applied += accepted.len();
            applied_codes.extend(resolved(&candidates, &accepted));
        }
        if next == text {
            converged = true;
            break;
        }
        text = next;
    }
    let last = linter.check(path, language, &text)?;
    let secrets = last.as_ref().map(|c| c.secrets.clone()).unwrap_or_default();
    let remaining = last.map(|c| c.findings).unwrap_or_default();
    if !converged {
        // One more look: a file whose last pass left nothing to apply did converge.
        converged = !remaining.iter().any(|f| f.fix.as_ref().is_some_and(|fix| fix.applies(unsafe_fixes)));
    }
    let original_secrets = original_secrets.unwrap_or_default();
    Ok(FixOutcome {
        text,
        applied,
        applied_codes,
        rolled_back,
        converged,
        remaining,
        original_secrets,
        secrets,
        creates,
    })
}

/// The codes of every finding that an applied fix resolves (several findings can share
/// one fix: a request's URL and its payload).
fn resolved(candidates: &[(&Finding, &Fix)], applied: &[(&Finding, &Fix)]) -> Vec<String> {
    candidates
        .iter()
        .filter(|(_, fix)| applied.iter().any(|(_, taken)| taken.edits == fix.edits))
        .map(|(f, _)| f.code.clone())
        .collect()
}

/// What identifies a fix across passes, whose positions move: its rule and contents.
fn identity(finding: &Finding, fix: &Fix) -> (String, Vec<String>) {
    (finding.code.clone(), fix.edits.iter().map(|e| e.content.clone()).collect())
}

/// Fixes to apply in one pass: identical fixes once, and none that overlaps a fix
/// already taken (it waits for the next pass, on the re-linted text).
fn select<'a>(candidates: &[(&'a Finding, &'a Fix)]) -> Vec<(&'a Finding, &'a Fix)> {
    let mut sorted = candidates.to_vec();
    sorted.sort_by_key(|(_, fix)| (fix.span().start, fix.span().end));
    let mut accepted: Vec<(&Finding, &Fix)> = Vec::new();
    for (finding, fix) in sorted {
        if accepted.iter().any(|(_, taken)| taken.edits == fix.edits) {
            continue;
        }
        let clashes =
            accepted.iter().any(|(_, taken)| taken.edits.iter().any(|a| fix.edits.iter().any(|b| edits_clash(a, b))));
        if !clashes {
            accepted.push((finding, fix));
        }
    }
    accepted
}

fn edits_clash(a: &Edit, b: &Edit) -> bool {
    a.span.overlaps(b.span) || (a.span.start == b.span.start && (a.span.is_empty() || b.span.is_empty()))
}

fn apply(text: &str, fixes: &[(&Finding, &Fix)], ending: LineEnding) -> String {
    let converted: Vec<Edit> = fixes
        .iter()
        .flat_map(|(_, fix)| fix.edits.iter())
        .map(|e| match ending {
            LineEnding::CrLf if e.content.contains('\n') && !e.content.contains("\r\n") => {
                Edit::replace(e.span, e.content.replace('\n', "\r\n"))
            }
            _ => e.clone(),
        })
        .collect();
    let mut edits: Vec<&Edit> = converted.iter().collect();
    edits.sort();
    edits.dedup();
    apply_edits(text, &edits)
}

#[derive(Debug)]
pub enum WriteError {
    ChangedOnDisk,
    ReadOnly,
    Io(std::io::Error),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::ChangedOnDisk => write!(f, "not written: the file changed on disk while it was being fixed"),
            WriteError::ReadOnly => write!(f, "not written: the file is read-only"),
            WriteError::Io(e) => write!(f, "not written: {e}"),
        }
    }
}

/// Writes a fixed text in place of a file: a temporary file in the same directory,
/// given the original's permissions, then renamed over it. Nothing is written when the
/// file changed on disk since it was read.
pub fn write_fixed(file: &SourceFile, text: &str) -> Result<(), WriteError> {
    let target = std::fs::canonicalize(&file.path).map_err(WriteError::Io)?;
    let metadata = std::fs::metadata(&target).map_err(WriteError::Io)?;
    if metadata.permissions().readonly() {
        return Err(WriteError::ReadOnly);
    }
    let current = std::fs::read(&target).map_err(WriteError::Io)?;
    if current != file.raw {
        return Err(WriteError::ChangedOnDisk);
    }
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new().prefix(".auth0-migrate-").tempfile_in(dir).map_err(WriteError::Io)?;
    temp.write_all(&file.encode(text)).map_err(WriteError::Io)?;
    temp.as_file().sync_all().map_err(WriteError::Io)?;
    temp.as_file().set_permissions(metadata.permissions()).map_err(WriteError::Io)?;
    // Last look before the rename: a writer that raced us wins, we lose nothing.
    if std::fs::read(&target).map_err(WriteError::Io)? != file.raw {
        return Err(WriteError::ChangedOnDisk);
    }
    temp.persist(&target).map_err(|e| WriteError::Io(e.error))?;
    Ok(())
}

/// Why a file a fix creates was not written.
#[derive(Debug)]
pub enum CreateError {
    Exists,
    Invalid(usize),
    Io(std::io::Error),
}

impl fmt::Display for CreateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CreateError::Exists => write!(f, "not created: the file already exists (kept as it is)"),
            CreateError::Invalid(n) => write!(f, "not created: its content would have {n} syntax error(s)"),
            CreateError::Io(e) => write!(f, "not created: {e}"),
        }
    }
}

/// Checks a file a fix creates: it must not exist, and its content must parse in the
/// language of its extension.
pub fn check_created(target: &Path, contents: &str) -> Result<(), CreateError> {
    if target.exists() {
        return Err(CreateError::Exists);
    }
    let language = target.extension().and_then(|e| e.to_str()).and_then(Language::from_extension);
    if let Some(errors) = language.and_then(|l| l.syntax_errors(contents)).filter(|&n| n > 0) {
        return Err(CreateError::Invalid(errors));
    }
    Ok(())
}

/// Writes a file a fix creates: its directories, then a temporary file renamed to the
/// target only if nothing exists there by then.
pub fn write_created(target: &Path, contents: &str) -> Result<(), CreateError> {
    check_created(target, contents)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(CreateError::Io)?;
    let mut temp = tempfile::Builder::new().prefix(".auth0-migrate-").tempfile_in(dir).map_err(CreateError::Io)?;
    temp.write_all(contents.as_bytes()).map_err(CreateError::Io)?;
    temp.as_file().sync_all().map_err(CreateError::Io)?;
    temp.persist_noclobber(target).map_err(|e| match e.error.kind() {
        std::io::ErrorKind::AlreadyExists => CreateError::Exists,
        _ => CreateError::Io(e.error),
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_created_file_must_be_new_and_parse() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("actions/a/code.js");
        assert!(matches!(check_created(&target, "exports.x = 1;\n"), Ok(())));
        assert!(matches!(check_created(&target, "exports.x = (;\n"), Err(CreateError::Invalid(_))));
        write_created(&target, "exports.x = 1;\n").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "exports.x = 1;\n");
        assert!(matches!(write_created(&target, "exports.x = 2;\n"), Err(CreateError::Exists)));
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "exports.x = 1;\n");
    }
}
