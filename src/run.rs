//! The `check` and `fix` commands: walk, lint each file in parallel, report, and say
//! with the exit code what happened (0 clean, 1 findings remain, 2 an error).

use std::collections::HashSet;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::catalogue::Catalogue;
use crate::finding::Finding;
use crate::fix::{fix_text, write_fixed};
use crate::lang::Language;
use crate::lint::{read_source, FileError, Linter, SourceFile};
use crate::report::{self, FileFindings, OutputFormat, Summary};
use crate::source::LineIndex;
use crate::walk::walk;

pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    pub fn enabled(&self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
            }
        }
    }
}

pub struct Options {
    pub paths: Vec<PathBuf>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub format: OutputFormat,
    pub no_ignore: bool,
    pub exit_zero: bool,
    pub quiet: bool,
    pub max_file_size: u64,
    pub threads: usize,
    pub color: ColorChoice,
    pub unsafe_fixes: bool,
    pub diff: bool,
}

/// The rules to run: `--select` (default: all) minus `--ignore`, by code or family.
pub fn selection(
    catalogue: &'static Catalogue,
    select: &[String],
    ignore: &[String],
) -> Result<HashSet<&'static str>, String> {
    let resolve = |selector: &String| -> Result<Vec<&'static str>, String> {
        let codes = catalogue.matching(selector);
        if codes.is_empty() {
            Err(format!("unknown rule or family `{selector}` (see `auth0-migrate rules`)"))
        } else {
            Ok(codes)
        }
    };
    let mut selected: HashSet<&'static str> = if select.is_empty() {
        Linter::all_rules(catalogue)
    } else {
        select.iter().map(resolve).collect::<Result<Vec<_>, _>>()?.into_iter().flatten().collect()
    };
    for selector in ignore {
        for code in resolve(selector)? {
            selected.remove(code);
        }
    }
    Ok(selected)
}

/// What happened to one file.
enum Outcome {
    /// No trigger literal: never parsed.
    Skipped,
    Checked {
        file: SourceFile,
        findings: Vec<Finding>,
        syntax_errors: Vec<crate::source::Span>,
    },
    Fixed {
        file: SourceFile,
        text: String,
        applied: Vec<String>,
        notes: Vec<String>,
        remaining: Vec<Finding>,
    },
    Failed(String),
}

fn check_file(linter: &Linter, path: &Path, language: Language) -> Outcome {
    let file = match read_source(path, language, linter) {
        Ok(Some(file)) => file,
        Ok(None) => return Outcome::Skipped,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    match linter.lint_text(language, &file.text) {
        Ok(Some(checked)) => {
            Outcome::Checked { file, findings: checked.findings, syntax_errors: checked.syntax_errors }
        }
        Ok(None) => Outcome::Skipped,
        Err(e) => Outcome::Failed(FileError::Lower(e).to_string()),
    }
}

fn fix_file(linter: &Linter, path: &Path, language: Language, options: &Options) -> Outcome {
    let file = match read_source(path, language, linter) {
        Ok(Some(file)) => file,
        Ok(None) => return Outcome::Skipped,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    let outcome = match fix_text(linter, language, &file.text, options.unsafe_fixes) {
        Ok(outcome) => outcome,
        Err(e) => return Outcome::Failed(FileError::Lower(e).to_string()),
    };
    let mut notes: Vec<String> =
        outcome.rolled_back.iter().map(|r| format!("line {}: {}", r.line, r.message)).collect();
    if !outcome.converged {
        notes.push(format!(
            "fixes did not converge after {} passes; run `fix` again and check the result",
            crate::fix::MAX_PASSES
        ));
    }
    if outcome.text != file.text && !options.diff {
        if let Err(e) = write_fixed(&file, &outcome.text) {
            return Outcome::Failed(e.to_string());
        }
    }
    Outcome::Fixed { file, text: outcome.text, applied: outcome.applied_codes, notes, remaining: outcome.remaining }
}

/// Runs `check` (when `fix` is false) or `fix` and returns the exit code.
pub fn run(options: &Options, fix: bool) -> i32 {
    let catalogue = Catalogue::get();
    let selected = match selection(catalogue, &options.select, &options.ignore) {
        Ok(selected) => selected,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_ERROR;
        }
    };
    let linter = Linter::new(selected, options.max_file_size);
    let walked = walk(&options.paths, options.no_ignore, options.threads);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(options.threads).build();
    let process = || -> Vec<Outcome> {
        walked
            .files
            .par_iter()
            .map(|(path, language)| {
                // A defect in a rule must cost one file, not the run.
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    if fix {
                        fix_file(&linter, path, *language, options)
                    } else {
                        check_file(&linter, path, *language)
                    }
                }))
                .unwrap_or_else(|panic| {
                    Outcome::Failed(format!(
                        "internal error while checking this file ({}); please report it",
                        panic_message(&panic)
                    ))
                })
            })
            .collect()
    };
    let outcomes = match pool {
        Ok(pool) => pool.install(process),
        Err(_) => process(),
    };

    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut errors = 0;
    let mut summary = Summary { files_scanned: walked.files.len(), ..Summary::default() };
    for (path, message) in &walked.errors {
        errors += 1;
        eprintln!("error: {path}: {message}");
    }
    let mut reported: Vec<(&SourceFile, &[Finding])> = Vec::new();
    let mut fixed_files = 0;
    let mut fixed: Vec<String> = Vec::new();
    let mut pending_diff = false;
    for ((path, _), outcome) in walked.files.iter().zip(&outcomes) {
        match outcome {
            Outcome::Skipped => {}
            Outcome::Failed(message) => {
                errors += 1;
                eprintln!("error: {}: {message}", path.display());
            }
            Outcome::Checked { file, findings, syntax_errors } => {
                summary.files_parsed += 1;
                if let Some(first) = syntax_errors.first() {
                    errors += 1;
                    let position = LineIndex::new(&file.text).position(&file.text, first.start);
                    eprintln!(
                        "error: {}:{}:{}: syntax error ({} in the file); the rest of the file was checked",
                        path.display(),
                        position.line,
                        position.column,
                        syntax_errors.len()
                    );
                }
                reported.push((file, findings));
            }
            Outcome::Fixed { file, text, applied, notes, remaining } => {
                summary.files_parsed += 1;
                for note in notes {
                    errors += 1;
                    eprintln!("error: {}: {note}", path.display());
                }
                if text != &file.text {
                    fixed_files += 1;
                    fixed.extend(applied.iter().cloned());
                    if options.diff {
                        pending_diff = true;
                        let name = path.display().to_string();
                        let diff = similar::TextDiff::from_lines(file.text.as_str(), text.as_str());
                        let _ = write!(out, "{}", diff.unified_diff().context_radius(3).header(&name, &name));
                    }
                }
                reported.push((file, remaining));
            }
        }
    }
    summary.errors = errors;
    let mut remaining_total = 0;
    for (_, findings) in &reported {
        summary.add(findings);
        remaining_total += findings.len();
    }
    let files: Vec<FileFindings> = reported
        .iter()
        .filter(|(_, f)| !f.is_empty())
        .map(|(file, findings)| FileFindings { file, findings })
        .collect();
    let written = if options.diff && fix {
        Ok(())
    } else {
        match options.format {
            OutputFormat::Json => report::json::write(&mut out, &files, catalogue),
            OutputFormat::Human if !options.quiet || remaining_total > 0 => {
                report::human::write(&mut out, &files, catalogue, options.color.enabled())
            }
            OutputFormat::Human => Ok(()),
        }
    };
    if let Err(e) = written.and_then(|_| out.flush()) {
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write the report: {e}");
            return EXIT_ERROR;
        }
    }
    if !options.quiet {
        // The summary goes where it cannot spoil a machine-readable stdout.
        let mut sink: Box<dyn Write> = if options.format == OutputFormat::Human && !options.diff {
            Box::new(io::stdout())
        } else {
            Box::new(io::stderr())
        };
        if fix {
            let verb = if options.diff { "Would fix" } else { "Fixed" };
            let _ = writeln!(
                sink,
                "{verb} {} finding{} in {fixed_files} file{}.",
                fixed.len(),
                if fixed.len() == 1 { "" } else { "s" },
                if fixed_files == 1 { "" } else { "s" }
            );
        }
        let _ = summary.write(&mut *sink);
    }
    if errors > 0 {
        EXIT_ERROR
    } else if options.exit_zero {
        EXIT_CLEAN
    } else if remaining_total > 0 || pending_diff {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}
