//! The `check` and `fix` commands: configuration, walk, lint each file in parallel,
//! baseline, report, and the exit code (0 clean, 1 findings remain, 2 an error).

use std::collections::{BTreeMap, HashSet};
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::baseline::{self, Baseline, Filter};
use crate::catalogue::Catalogue;
use crate::config::Config;
use crate::finding::{redact, Finding, Safety};
use crate::fix::{check_created, fix_text, write_created, write_fixed, CreateError};
use crate::lang::Language;
use crate::lint::{read_source, FileError, Linter, SourceFile, DEFAULT_MAX_FILE_SIZE};
use crate::project::Project;
use crate::report::{self, FileFindings, OutputFormat, Summary};
use crate::source::{LineIndex, Span};
use crate::walk::{walk, WalkOptions};

pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

/// Files at which a progress bar is worth showing.
const PROGRESS_THRESHOLD: usize = 2_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    pub fn enabled(&self, terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && terminal,
        }
    }
}

#[derive(Default)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// `None`: human, or github annotations under GitHub Actions.
    pub format: Option<OutputFormat>,
    pub output_file: Option<PathBuf>,
    pub config: Option<PathBuf>,
    pub isolated: bool,
    pub no_ignore: bool,
    pub exit_zero: bool,
    pub quiet: bool,
    pub statistics: bool,
    pub show_fixes: bool,
    pub max_file_size: Option<u64>,
    pub threads: usize,
    pub color: Option<ColorChoice>,
    pub unsafe_fixes: bool,
    pub diff: bool,
    pub stdin_filename: Option<PathBuf>,
    pub baseline: Option<PathBuf>,
    pub write_baseline: Option<PathBuf>,
    /// `(k, n)`: check only the k-th of n shards of the files (1-based).
    pub shard: Option<(usize, usize)>,
}

/// The rules to run: `select` (default: all) minus `ignore`, by code or family.
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
        syntax_errors: Vec<Span>,
        secrets: Vec<Span>,
        pending: Vec<crate::rules::Pending>,
        used_sdks: Vec<String>,
    },
    Fixed {
        file: SourceFile,
        text: String,
        applied: Vec<String>,
        notes: Vec<String>,
        remaining: Vec<Finding>,
        /// The secrets of the original text and of the fixed one, masked when shown.
        original_secrets: Vec<Span>,
        secrets: Vec<Span>,
        /// Files the fixes created (or would create, with `--diff`): path and contents.
        created: Vec<(PathBuf, String)>,
        /// Files not created because they exist.
        kept: Vec<PathBuf>,
    },
    Failed(String),
}

fn check_file(linter: &Linter, path: &Path, language: Language) -> Outcome {
    let file = match read_source(path, language, linter) {
        Ok(Some(file)) => file,
        Ok(None) => return Outcome::Skipped,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    match linter.check(Some(path), language, &file.text) {
        Ok(Some(checked)) => Outcome::Checked {
            file,
            findings: checked.findings,
            syntax_errors: checked.syntax_errors,
            secrets: checked.secrets,
            pending: checked.pending,
            used_sdks: checked.used_sdks,
        },
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
    let outcome = match fix_text(linter, Some(path), language, &file.text, options.unsafe_fixes) {
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
    let mut created = Vec::new();
    let mut kept = Vec::new();
    let base = path.parent().unwrap_or(Path::new(""));
    for new in &outcome.creates {
        let target = lexical_join(base, &new.path);
        let result =
            if options.diff { check_created(&target, &new.contents) } else { write_created(&target, &new.contents) };
        match result {
            Ok(()) => created.push((target, new.contents.clone())),
            Err(CreateError::Exists) => kept.push(target),
            Err(e) => notes.push(format!("{}: {e}", target.display())),
        }
    }
    Outcome::Fixed {
        file,
        text: outcome.text,
        applied: outcome.applied_codes,
        notes,
        remaining: outcome.remaining,
        original_secrets: outcome.original_secrets,
        secrets: outcome.secrets,
        created,
        kept,
    }
}

/// `base` joined with a relative path, `..` and `.` resolved lexically.
fn lexical_join(base: &Path, relative: &Path) -> PathBuf {
    let mut out = base.to_path_buf();
    for component in relative.components() {
        match component {
            std::path::Component::ParentDir => {
                if !out.pop() || out.as_os_str().is_empty() {
                    out.push("..");
                }
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The configuration for a run: `--isolated`, `--config FILE`, or the nearest
/// `auth0-migrate.toml` above the first path.
fn configuration(options: &Options) -> Result<Config, String> {
    if options.isolated {
        return Ok(Config::isolated());
    }
    match &options.config {
        Some(path) => Config::load(path).map_err(|e| e.to_string()),
        None => {
            let first = options
                .stdin_filename
                .as_ref()
                .or(options.paths.first())
                .cloned()
                .unwrap_or_else(|| PathBuf::from("."));
            Config::discover(&first).map_err(|e| e.to_string())
        }
    }
}

/// Runs `check` (when `fix` is false) or `fix` and returns the exit code.
pub fn run(options: &Options, fix: bool) -> i32 {
    match prepare(options) {
        Ok((mut linter, format)) => {
            if options.stdin_filename.is_some() {
                if let Some(name) = &options.stdin_filename {
                    linter.project = Some(Project::discover([name.as_path()], &linter.config.root));
                }
                run_stdin(options, &linter, format, fix)
            } else {
                run_paths(options, &mut linter, format, fix)
            }
        }
        Err(message) => {
            eprintln!("error: {message}");
            EXIT_ERROR
        }
    }
}

fn prepare(options: &Options) -> Result<(Linter, OutputFormat), String> {
    let catalogue = Catalogue::get();
    let config = configuration(options)?;
    let select =
        if options.select.is_empty() { config.select.clone().unwrap_or_default() } else { options.select.clone() };
    let ignore: Vec<String> = config.ignore.iter().chain(&options.ignore).cloned().collect();
    let selected = selection(catalogue, &select, &ignore)?;
    let max_file_size = options.max_file_size.or(config.max_file_size).unwrap_or(DEFAULT_MAX_FILE_SIZE);
    let format = options.format.unwrap_or(if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        OutputFormat::Github
    } else {
        OutputFormat::Human
    });
    Ok((Linter::with_config(selected, max_file_size, config), format))
}

/// `--stdin-filename NAME`: the source comes from standard input and is reported under
/// NAME; `fix` prints the fixed source.
fn run_stdin(options: &Options, linter: &Linter, format: OutputFormat, fix: bool) -> i32 {
    let name = options.stdin_filename.clone().unwrap_or_default();
    let mut raw = Vec::new();
    if let Err(e) = io::stdin().read_to_end(&mut raw) {
        eprintln!("error: {}: cannot read standard input: {e}", name.display());
        return EXIT_ERROR;
    }
    let Some(language) = linter.config.language_of(&name).or_else(|| Language::detect(&name, &raw)) else {
        eprintln!("error: {}: cannot tell the language from the file name", name.display());
        return EXIT_ERROR;
    };
    let Ok(decoded) = String::from_utf8(raw) else {
        eprintln!("error: {}: not valid UTF-8", name.display());
        return EXIT_ERROR;
    };
    let (text, bom) = match decoded.strip_prefix('\u{feff}') {
        Some(rest) => (rest.to_string(), "\u{feff}"),
        None => (decoded.clone(), ""),
    };
    let (output_text, findings, secrets) = if fix {
        match fix_text(linter, Some(&name), language, &text, options.unsafe_fixes) {
            Ok(outcome) => (Some(outcome.text), outcome.remaining, outcome.secrets),
            Err(e) => {
                eprintln!("error: {}: {e}", name.display());
                return EXIT_ERROR;
            }
        }
    } else {
        match linter.check(Some(&name), language, &text) {
            Ok(Some(checked)) => (None, checked.findings, checked.secrets),
            Ok(None) => (None, Vec::new(), Vec::new()),
            Err(e) => {
                eprintln!("error: {}: {e}", name.display());
                return EXIT_ERROR;
            }
        }
    };
    let shown_text = output_text.as_deref().unwrap_or(&text);
    let path = name.display().to_string();
    let fingerprints = baseline::fingerprints(&baseline::normalize_path(&name), shown_text, &findings);
    let masked = redact(shown_text, &secrets);
    let files = if findings.is_empty() {
        Vec::new()
    } else {
        vec![FileFindings { path, text: &masked, findings: &findings, fingerprints }]
    };
    let written = match &output_text {
        // The fixed source is the output; what remains goes to stderr.
        Some(fixed) => {
            let mut stdout = io::stdout().lock();
            let mut stderr = io::stderr().lock();
            stdout.write_all(format!("{bom}{fixed}").as_bytes()).and_then(|_| stdout.flush()).and_then(|_| {
                if options.quiet {
                    Ok(())
                } else {
                    report::concise::write(&mut stderr, &files)
                }
            })
        }
        None => emit(options, format, &files, linter.catalogue),
    };
    if let Err(e) = written {
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write the report: {e}");
            return EXIT_ERROR;
        }
    }
    if !findings.is_empty() && !options.exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// Writes the findings (or their statistics) where the options say.
fn emit(options: &Options, format: OutputFormat, files: &[FileFindings], catalogue: &Catalogue) -> io::Result<()> {
    let mut out: Box<dyn Write> = match &options.output_file {
        Some(path) => Box::new(io::BufWriter::new(
            std::fs::File::create(path).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?,
        )),
        None => Box::new(io::stdout().lock()),
    };
    let terminal = options.output_file.is_none() && io::stdout().is_terminal();
    let color = options.color.unwrap_or(ColorChoice::Auto).enabled(terminal);
    if options.statistics {
        statistics(&mut *out, format, files, catalogue)?;
    } else if !(format == OutputFormat::Human && files.is_empty()) {
        report::write(format, &mut *out, files, catalogue, color)?;
    }
    out.flush()
}

/// `--statistics`: how many findings of each rule, and how many are fixable.
fn statistics(
    out: &mut dyn Write,
    format: OutputFormat,
    files: &[FileFindings],
    catalogue: &Catalogue,
) -> io::Result<()> {
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for finding in files.iter().flat_map(|f| f.findings) {
        let entry = counts.entry(finding.code.as_str()).or_default();
        entry.0 += 1;
        if finding.fix.as_ref().is_some_and(|f| f.safety != Safety::DisplayOnly) {
            entry.1 += 1;
        }
    }
    let mut rows: Vec<(&str, usize, usize)> =
        counts.into_iter().map(|(code, (n, fixable))| (code, n, fixable)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    if matches!(format, OutputFormat::Json | OutputFormat::JsonLines) {
        let rows: Vec<serde_json::Value> = rows
            .iter()
            .map(|(code, n, fixable)| {
                let name = catalogue.rule(code).map_or("", |r| r.name.as_str());
                serde_json::json!({"code": code, "name": name, "count": n, "fixable": fixable})
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        return writeln!(out);
    }
    for (code, n, fixable) in rows {
        let name = catalogue.rule(code).map_or("", |r| r.name.as_str());
        let mark = if fixable > 0 { format!(" ({fixable} fixable)") } else { String::new() };
        writeln!(out, "{n:>6}  {code}  {name}{mark}")?;
    }
    Ok(())
}

/// The shard of a file: a hash of its path, so a file stays in its shard when others
/// are added or removed.
fn shard_of(path: &Path, root: &Path, shards: usize) -> usize {
    let relative = baseline::normalize_path(&crate::config::relative_to(path, root));
    let hash = baseline::hash(&[&relative]);
    (u64::from_str_radix(&hash, 16).unwrap_or(0) % shards as u64) as usize + 1
}

/// What is reported of one file: its shown path, the file, the text the findings point
/// into, the findings, and the secrets to mask in that text.
type Reported<'a> = (String, &'a SourceFile, &'a str, &'a [Finding], &'a [Span]);

fn run_paths(options: &Options, linter: &mut Linter, format: OutputFormat, fix: bool) -> i32 {
    let exclude = match linter.config.exclude_set() {
        Ok(set) => set,
        Err(message) => {
            eprintln!(
                "error: {}: {message}",
                linter.config.path.as_ref().map_or("configuration".to_string(), |p| p.display().to_string())
            );
            return EXIT_ERROR;
        }
    };
    let paths = if options.paths.is_empty() { vec![PathBuf::from(".")] } else { options.paths.clone() };
    let walk_options = WalkOptions {
        no_ignore: options.no_ignore,
        threads: options.threads,
        exclude: &exclude,
        root: &linter.config.root,
        extensions: &linter.config.extensions,
    };
    let mut walked = walk(&paths, &walk_options);
    if let Some((k, n)) = options.shard {
        walked.files.retain(|(path, _)| shard_of(path, &linter.config.root, n) == k);
    }
    // The manifests that govern the files, read once per directory before the pass.
    linter.project = Some(Project::discover(walked.files.iter().map(|(p, _)| p.as_path()), &linter.config.root));
    let linter: &Linter = linter;
    let progress = if io::stderr().is_terminal() && walked.files.len() >= PROGRESS_THRESHOLD && !options.quiet {
        let bar = indicatif::ProgressBar::new(walked.files.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let process = || -> Vec<Outcome> {
        walked
            .files
            .par_iter()
            .map(|(path, language)| {
                // A defect in a rule must cost one file, not the run.
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    if fix {
                        fix_file(linter, path, *language, options)
                    } else {
                        check_file(linter, path, *language)
                    }
                }))
                .unwrap_or_else(|panic| {
                    Outcome::Failed(format!(
                        "internal error while checking this file ({}); please report it",
                        panic_message(&panic)
                    ))
                });
                progress.inc(1);
                outcome
            })
            .collect()
    };
    let mut outcomes = match rayon::ThreadPoolBuilder::new().num_threads(options.threads.max(1)).build() {
        Ok(pool) => pool.install(process),
        Err(_) => process(),
    };
    progress.finish_and_clear();
    confirm_pending(&mut outcomes);

    let mut errors = 0;
    let mut summary = Summary { files_scanned: walked.files.len(), ..Summary::default() };
    for (path, message) in &walked.errors {
        errors += 1;
        eprintln!("error: {path}: {message}");
    }
    let mut reported: Vec<Reported> = Vec::new();
    let mut fixed_files = 0;
    let mut fixed: Vec<String> = Vec::new();
    let mut fixes_by_file: Vec<(String, Vec<String>)> = Vec::new();
    let mut diffs = String::new();
    for ((path, _), outcome) in walked.files.iter().zip(&outcomes) {
        let shown = path.display().to_string();
        match outcome {
            Outcome::Skipped => {}
            Outcome::Failed(message) => {
                errors += 1;
                eprintln!("error: {shown}: {message}");
            }
            Outcome::Checked { file, findings, syntax_errors, secrets, .. } => {
                summary.files_parsed += 1;
                if let Some(first) = syntax_errors.first() {
                    errors += 1;
                    let position = LineIndex::new(&file.text).position(&file.text, first.start);
                    eprintln!(
                        "error: {shown}:{}:{}: syntax error ({} in the file); the rest of the file was checked",
                        position.line,
                        position.column,
                        syntax_errors.len()
                    );
                }
                reported.push((shown, file, file.text.as_str(), findings, secrets));
            }
            Outcome::Fixed { file, text, applied, notes, remaining, original_secrets, secrets, created, kept } => {
                summary.files_parsed += 1;
                for note in notes {
                    errors += 1;
                    eprintln!("error: {shown}: {note}");
                }
                for target in kept {
                    eprintln!("note: {shown}: {} already exists: kept as it is, not created", target.display());
                }
                for (target, contents) in created {
                    let target = target.display().to_string();
                    if options.diff {
                        let diff = similar::TextDiff::from_lines("", contents.as_str());
                        diffs.push_str(&diff.unified_diff().context_radius(3).header("/dev/null", &target).to_string());
                    }
                    fixes_by_file.push((target, vec!["created".to_string()]));
                }
                if text != &file.text || !created.is_empty() {
                    fixed_files += 1;
                    fixed.extend(applied.iter().cloned());
                    fixes_by_file.push((shown.clone(), applied.clone()));
                    if options.diff {
                        // Secrets are masked on both sides (the diff shows unchanged lines too).
                        let before = redact(&file.text, original_secrets);
                        let after = redact(text, secrets);
                        let diff = similar::TextDiff::from_lines(before.as_ref(), after.as_ref());
                        diffs.push_str(&diff.unified_diff().context_radius(3).header(&shown, &shown).to_string());
                    }
                }
                reported.push((shown, file, text.as_str(), remaining, secrets));
            }
        }
    }

    // Fingerprints, the baseline written or applied.
    let fingerprint_path =
        |file: &SourceFile| baseline::normalize_path(&crate::config::relative_to(&file.path, &linter.config.root));
    let mut prints: Vec<Vec<String>> = reported
        .iter()
        .map(|(_, file, text, findings, _)| baseline::fingerprints(&fingerprint_path(file), text, findings))
        .collect();
    if let Some(path) = &options.write_baseline {
        let mut entries = Vec::new();
        for ((_, file, text, findings, _), prints) in reported.iter().zip(&prints) {
            let index = LineIndex::new(text);
            for (finding, fingerprint) in findings.iter().zip(prints) {
                entries.push(baseline::Entry {
                    fingerprint: fingerprint.clone(),
                    code: finding.code.clone(),
                    path: fingerprint_path(file),
                    line: index.line_of(finding.span.start) + 1,
                    message: finding.message.clone(),
                });
            }
        }
        let count = entries.len();
        if let Err(message) = (Baseline { version: baseline::VERSION, findings: entries }).write(path) {
            eprintln!("error: {message}");
            return EXIT_ERROR;
        }
        if !options.quiet {
            eprintln!("Wrote {count} finding{} to the baseline {}.", if count == 1 { "" } else { "s" }, path.display());
        }
    }
    let mut kept: Vec<Vec<Finding>> = reported.iter().map(|(_, _, _, findings, _)| findings.to_vec()).collect();
    let mut gone = None;
    if let Some(path) = &options.baseline {
        let loaded = match Baseline::read(path) {
            Ok(loaded) => loaded,
            Err(message) => {
                eprintln!("error: {message}");
                return EXIT_ERROR;
            }
        };
        let mut filter = Filter::new(&loaded);
        for (findings, file_prints) in kept.iter_mut().zip(prints.iter_mut()) {
            let mut keep_prints = Vec::new();
            let mut keep = Vec::new();
            for (finding, print) in findings.drain(..).zip(file_prints.drain(..)) {
                if !filter.hides(&print) {
                    keep.push(finding);
                    keep_prints.push(print);
                }
            }
            *findings = keep;
            *file_prints = keep_prints;
        }
        gone = Some(filter.gone());
    }

    summary.errors = errors;
    let mut remaining_total = 0;
    for findings in &kept {
        summary.add(findings);
        remaining_total += findings.len();
    }
    // What the reports show of each file: its text with the secrets masked.
    let masked: Vec<std::borrow::Cow<str>> =
        reported.iter().map(|(_, _, text, _, secrets)| redact(text, secrets)).collect();
    let files: Vec<FileFindings> = reported
        .iter()
        .zip(&masked)
        .zip(&kept)
        .zip(prints)
        .filter(|(_, prints)| !prints.is_empty())
        .map(|((((path, _, _, _, _), text), findings), fingerprints)| FileFindings {
            path: path.clone(),
            text,
            findings,
            fingerprints,
        })
        .collect();
    let written = if options.diff && fix {
        let mut out = io::stdout().lock();
        out.write_all(diffs.as_bytes()).and_then(|_| out.flush())
    } else if options.write_baseline.is_some() {
        Ok(())
    } else {
        emit(options, format, &files, linter.catalogue)
    };
    if let Err(e) = written {
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write the report: {e}");
            return EXIT_ERROR;
        }
    }
    if !options.quiet {
        // The summary goes where it cannot spoil a machine-readable stdout.
        let to_stdout =
            format == OutputFormat::Human && !options.diff && options.output_file.is_none() && !options.statistics;
        let mut sink: Box<dyn Write> = if to_stdout { Box::new(io::stdout()) } else { Box::new(io::stderr()) };
        if fix {
            let verb = if options.diff { "Would fix" } else { "Fixed" };
            let _ = writeln!(
                sink,
                "{verb} {} finding{} in {fixed_files} file{}.",
                fixed.len(),
                plural(fixed.len()),
                plural(fixed_files)
            );
            if options.show_fixes {
                for (path, codes) in &fixes_by_file {
                    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
                    for code in codes {
                        *counts.entry(code).or_default() += 1;
                    }
                    let list: Vec<String> = counts.iter().map(|(c, n)| format!("{c} ×{n}")).collect();
                    let _ = writeln!(sink, "  {path}: {}", list.join(", "));
                }
            }
        }
        if options.write_baseline.is_none() {
            let _ = summary.write(&mut *sink);
        }
        if let Some(gone) = gone {
            let _ = writeln!(
                sink,
                "{gone} finding{} from the baseline {} gone.",
                plural(gone),
                if gone == 1 { "is" } else { "are" }
            );
        }
    }
    if errors > 0 {
        EXIT_ERROR
    } else if options.exit_zero || options.write_baseline.is_some() {
        EXIT_CLEAN
    } else if remaining_total > 0 || (options.diff && fixed_files > 0) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// Reports the findings that were pending on the project's use of an SDK: a manifest's
/// finding holds when a file of its directory tree calls that SDK's deprecated methods.
fn confirm_pending(outcomes: &mut [Outcome]) {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut uses: Vec<(PathBuf, String)> = Vec::new();
    for outcome in outcomes.iter() {
        if let Outcome::Checked { file, used_sdks, .. } = outcome {
            uses.extend(used_sdks.iter().map(|sdk| (absolute(&file.path), sdk.clone())));
        }
    }
    if uses.is_empty() {
        return;
    }
    for outcome in outcomes.iter_mut() {
        if let Outcome::Checked { file, findings, pending, .. } = outcome {
            let Some(dir) = absolute(&file.path).parent().map(Path::to_path_buf) else { continue };
            let before = findings.len();
            for p in pending.drain(..) {
                if uses.iter().any(|(path, sdk)| *sdk == p.sdk && path.starts_with(&dir)) {
                    findings.push(p.finding);
                }
            }
            if findings.len() != before {
                findings.sort_by_key(|f| (f.span.start, f.span.end));
            }
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}
