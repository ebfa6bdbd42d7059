//! Finding the files to check: the `ignore` crate's parallel walker, honouring
//! `.gitignore`/`.ignore`, skipping hidden files (but dotenv files) and the
//! configuration's excludes (vendored trees by default) unless told not to.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use globset::GlobSet;
use ignore::{WalkBuilder, WalkState};

use crate::lang::Language;

pub struct WalkOptions<'a> {
    pub no_ignore: bool,
    pub threads: usize,
    /// Paths (relative to `root`) and names to skip.
    pub exclude: &'a GlobSet,
    pub root: &'a Path,
    /// Extra extension → language mappings.
    pub extensions: &'a BTreeMap<String, Language>,
}

#[derive(Default)]
pub struct Walked {
    /// Files to check, sorted, each with its language.
    pub files: Vec<(PathBuf, Language)>,
    /// Paths that could not be walked, with what went wrong.
    pub errors: Vec<(String, String)>,
}

pub fn walk(paths: &[PathBuf], options: &WalkOptions) -> Walked {
    let walked = Mutex::new(Walked::default());
    let Some((first, rest)) = paths.split_first() else { return Walked::default() };
    for path in paths {
        if std::fs::symlink_metadata(path).is_err() {
            walked.lock().unwrap().errors.push((path.display().to_string(), "no such file or directory".to_string()));
        }
    }
    let mut builder = WalkBuilder::new(first);
    for path in rest {
        builder.add(path);
    }
    let no_ignore = options.no_ignore;
    let exclude = options.exclude.clone();
    let root = options.root.to_path_buf();
    builder
        // Hidden files are skipped below, all but dotenv files (`.env`, `.env.production`),
        // where secrets get committed.
        .hidden(false)
        .ignore(!no_ignore)
        .git_ignore(!no_ignore)
        .git_exclude(!no_ignore)
        .git_global(!no_ignore)
        .parents(!no_ignore)
        .require_git(false)
        .follow_links(true)
        .threads(options.threads)
        .filter_entry(move |entry| {
            let is_root_dir = entry.depth() == 0 && entry.file_type().is_some_and(|t| t.is_dir());
            let name = entry.file_name().to_string_lossy();
            let hidden = entry.depth() > 0
                && name.starts_with('.')
                && !(crate::lang::dotenv::is_dotenv_name(&name) && entry.file_type().is_some_and(|t| t.is_file()));
            no_ignore || is_root_dir || !(hidden || excluded(&exclude, &root, entry.path()))
        });
    builder.build_parallel().run(|| {
        let walked = &walked;
        Box::new(move |entry| {
            match entry {
                Ok(entry) => {
                    if entry.file_type().is_some_and(|t| t.is_file()) {
                        if let Some(language) = detect(entry.path(), options.extensions) {
                            walked.lock().unwrap().files.push((entry.path().to_path_buf(), language));
                        }
                    }
                }
                Err(err) => {
                    let (path, message) = describe(&err);
                    walked.lock().unwrap().errors.push((path, message));
                }
            }
            WalkState::Continue
        })
    });
    let mut walked = walked.into_inner().unwrap();
    walked.files.sort();
    walked.files.dedup();
    walked.errors.sort();
    walked.errors.dedup();
    // A missing root is reported once, by the check above.
    walked.errors.retain(|(path, message)| {
        !((message.contains("No such file") || path.is_empty())
            && paths.iter().any(|p| !p.exists() && (p.display().to_string() == *path || path.is_empty())))
    });
    walked
}

/// True when a path, or one of its names, matches an exclusion.
fn excluded(exclude: &GlobSet, root: &Path, path: &Path) -> bool {
    if exclude.is_empty() {
        return false;
    }
    let relative = crate::config::relative_to(path, root);
    exclude.is_match(&relative) || path.file_name().is_some_and(|name| exclude.is_match(name))
}

/// The language of a file: a dependency manifest's by its name, a configured extension, its extension, then a `#!` line for
/// files without one.
fn detect(path: &Path, extensions: &BTreeMap<String, Language>) -> Option<Language> {
    if let Some(manifest) = crate::lang::manifest::Manifest::of(path) {
        return Some(manifest.language());
    }
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    if let Some(ext) = &ext {
        if let Some(lang) = extensions.get(ext).copied().or_else(|| Language::from_extension(ext)) {
            return Some(lang);
        }
        return Language::from_file_name(path);
    }
    let mut head = [0u8; 128];
    let n = std::fs::File::open(path).and_then(|mut f| std::io::Read::read(&mut f, &mut head)).ok()?;
    Language::detect(path, &head[..n])
}

/// The path and the message of a walk error.
fn describe(err: &ignore::Error) -> (String, String) {
    match err {
        ignore::Error::WithPath { path, err } => (path.display().to_string(), describe(err).1),
        ignore::Error::WithDepth { err, .. } => describe(err),
        ignore::Error::Loop { child, ancestor } => {
            (child.display().to_string(), format!("symbolic link loop back to {}; not followed", ancestor.display()))
        }
        ignore::Error::Io(e) => (String::new(), e.to_string()),
        other => (String::new(), other.to_string()),
    }
}
