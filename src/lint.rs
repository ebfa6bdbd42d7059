//! Linting one source text and one file: decode, prefilter, lower, run the rules.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::finding::Safety;

use crate::catalogue::Catalogue;
use crate::finding::Finding;
use crate::lang::{Language, LowerError};
use crate::prefilter::Prefilter;
use crate::rules;

/// Files larger than this are skipped unless the limit is raised.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

const BOM: &str = "\u{feff}";

/// The selected rules and everything built from them once per run.
pub struct Linter {
    pub catalogue: &'static Catalogue,
    pub selected: HashSet<&'static str>,
    prefilter: Prefilter,
    pub max_file_size: u64,
    pub config: Config,
    /// The dependencies declared by the manifests that govern the files of the run
    /// (read before linting; none for a lone text).
    pub project: Option<crate::project::Project>,
}

impl Linter {
    pub fn new(selected: HashSet<&'static str>, max_file_size: u64) -> Linter {
        Linter::with_config(selected, max_file_size, Config::isolated())
    }

    pub fn with_config(selected: HashSet<&'static str>, max_file_size: u64, config: Config) -> Linter {
        let catalogue = Catalogue::get();
        let prefilter = Prefilter::new(catalogue, &selected);
        Linter { catalogue, selected, prefilter, max_file_size, config, project: None }
    }

    /// Every rule of the catalogue.
    pub fn all_rules(catalogue: &'static Catalogue) -> HashSet<&'static str> {
        catalogue.rules.iter().map(|r| r.code.as_str()).collect()
    }

    /// Lints a decoded text. `Ok(None)` when no trigger literal is present.
    pub fn lint_text(&self, language: Language, text: &str) -> Result<Option<Checked>, LowerError> {
        self.check(None, language, text)
    }

    /// Lints the text of a file: rules, then suppression comments, `per-file-ignores`,
    /// and the configuration's severity and fix-safety overrides.
    pub fn check(&self, path: Option<&Path>, language: Language, text: &str) -> Result<Option<Checked>, LowerError> {
        let mut active = self.prefilter.active_rules(text.as_bytes());
        if active.is_empty() {
            return Ok(None);
        }
        let ignored: Vec<String> = path.map(|p| self.config.ignored_for(p)).unwrap_or_default();
        let is_ignored =
            |code: &str| ignored.iter().any(|i| i == code || (i.len() == 2 && code.starts_with(i.as_str())));
        active.retain(|code| !is_ignored(code));
        let mut model = language.lower(text)?;
        if let Some(manifest) = path.and_then(crate::lang::manifest::Manifest::of) {
            model.dependencies = manifest.dependencies(text, &model);
        }
        let facts = path.and_then(|p| self.project.as_ref()?.facts_for(p));
        let rules::Checked { findings, pending, used_sdks } =
            rules::check_file(&model, text, language, path, facts, self.catalogue, &active);
        let secrets = rules::secret_spans(&model, text);
        let selected = |code: &str| self.selected.contains(code) && !is_ignored(code);
        let mut findings = crate::suppress::apply(findings, text, &model.comments, self.catalogue, &selected);
        findings.retain(|f| selected(&f.code));
        for finding in &mut findings {
            if let Some(severity) = self.config.severity.get(&finding.code) {
                finding.severity = *severity;
            }
            if let Some(fix) = &mut finding.fix {
                let listed = |codes: &[String]| {
                    codes.iter().any(|c| c == &finding.code || (c.len() == 2 && finding.code.starts_with(c.as_str())))
                };
                if fix.safety == Safety::Unsafe && listed(&self.config.extend_safe_fixes) {
                    fix.safety = Safety::Safe;
                } else if fix.safety == Safety::Safe && listed(&self.config.extend_unsafe_fixes) {
                    fix.safety = Safety::Unsafe;
                }
            }
        }
        findings.sort_by_key(|f| (f.span.start, f.span.end));
        let mut pending = pending;
        pending.retain(|p| selected(&p.finding.code));
        for p in &mut pending {
            if let Some(severity) = self.config.severity.get(&p.finding.code) {
                p.finding.severity = *severity;
            }
        }
        Ok(Some(Checked { findings, syntax_errors: model.syntax_errors, secrets, pending, used_sdks }))
    }
}

/// The result of linting a text that had triggers.
pub struct Checked {
    pub findings: Vec<Finding>,
    /// Where the parser found syntax errors (the rest of the file is still checked).
    pub syntax_errors: Vec<crate::source::Span>,
    /// The source text of the secrets in the file (client secrets written in the code),
    /// whichever rules are selected: every output that shows the text masks them.
    pub secrets: Vec<crate::source::Span>,
    /// Findings that hold if the project calls an SDK's deprecated methods (a manifest's
    /// node-auth0 < 4): the run reports them once every file is checked.
    pub pending: Vec<rules::Pending>,
    /// The SDKs whose deprecated methods the file calls.
    pub used_sdks: Vec<String>,
}

/// A file read from disk, decoded.
#[derive(Clone)]
pub struct SourceFile {
    /// The path as the user named it (joined with what the walk found below it).
    pub path: PathBuf,
    pub language: Language,
    /// The text without its byte-order mark.
    pub text: String,
    pub bom: bool,
    /// The exact bytes read, to detect a change on disk before writing.
    pub raw: Vec<u8>,
}

/// Why a file could not be checked. Every variant names what is wrong; the caller
/// names the file.
#[derive(Debug)]
pub enum FileError {
    Read(std::io::Error),
    TooLarge { size: u64, limit: u64 },
    Binary,
    NotUtf8,
    Lower(LowerError),
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::Read(e) => write!(f, "cannot read: {e}"),
            FileError::TooLarge { size, limit } => {
                write!(f, "skipped: {size} bytes is over the {limit}-byte limit (raise it with --max-file-size)")
            }
            FileError::Binary => write!(f, "skipped: binary content"),
            FileError::NotUtf8 => write!(f, "skipped: not valid UTF-8"),
            FileError::Lower(e) => write!(f, "{e}"),
        }
    }
}

/// Reads and decodes a file. `Ok(None)` for a file without a trigger literal (never
/// decoded further).
pub fn read_source(path: &Path, language: Language, linter: &Linter) -> Result<Option<SourceFile>, FileError> {
    let size = std::fs::metadata(path).map_err(FileError::Read)?.len();
    if size > linter.max_file_size {
        return Err(FileError::TooLarge { size, limit: linter.max_file_size });
    }
    let raw = std::fs::read(path).map_err(FileError::Read)?;
    if linter.prefilter.active_rules(&raw).is_empty() {
        return Ok(None);
    }
    if raw[..raw.len().min(8192)].contains(&0) {
        return Err(FileError::Binary);
    }
    let decoded = std::str::from_utf8(&raw).map_err(|_| FileError::NotUtf8)?;
    let (text, bom) = match decoded.strip_prefix(BOM) {
        Some(rest) => (rest.to_string(), true),
        None => (decoded.to_string(), false),
    };
    Ok(Some(SourceFile { path: path.to_path_buf(), language, text, bom, raw }))
}

impl SourceFile {
    /// The bytes to write for a new text: the same byte-order mark as the original.
    pub fn encode(&self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() + 3);
        if self.bom {
            out.extend_from_slice(BOM.as_bytes());
        }
        out.extend_from_slice(text.as_bytes());
        out
    }
}
