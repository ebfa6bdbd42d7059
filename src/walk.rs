//! Finding the files to check: the `ignore` crate's parallel walker, honouring
//! `.gitignore`/`.ignore`, skipping hidden and vendored trees unless told not to.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::{WalkBuilder, WalkState};

use crate::lang::Language;

/// Directories of other people's code, skipped like hidden ones.
const VENDORED: &[&str] = &["node_modules", "bower_components", "jspm_packages", "vendor", "third_party"];

#[derive(Default)]
pub struct Walked {
    /// Files to check, sorted, each with its language.
    pub files: Vec<(PathBuf, Language)>,
    /// Paths that could not be walked, with what went wrong.
    pub errors: Vec<(String, String)>,
}

pub fn walk(paths: &[PathBuf], no_ignore: bool, threads: usize) -> Walked {
    let walked = Mutex::new(Walked::default());
    let Some((first, rest)) = paths.split_first() else {
        return Walked::default();
    };
    for path in paths {
        if std::fs::symlink_metadata(path).is_err() {
            walked.lock().unwrap().errors.push((path.display().to_string(), "no such file or directory".to_string()));
        }
    }
    let mut builder = WalkBuilder::new(first);
    for path in rest {
        builder.add(path);
    }
    builder
        .hidden(!no_ignore)
        .ignore(!no_ignore)
        .git_ignore(!no_ignore)
        .git_exclude(!no_ignore)
        .git_global(!no_ignore)
        .parents(!no_ignore)
        .require_git(false)
        .follow_links(true)
        .threads(threads)
        .filter_entry(move |entry| {
            no_ignore
                || entry.depth() == 0
                || !entry.file_type().is_some_and(|t| t.is_dir())
                || !VENDORED.contains(&entry.file_name().to_string_lossy().as_ref())
        });
    builder.build_parallel().run(|| {
        let walked = &walked;
        Box::new(move |entry| {
            match entry {
                Ok(entry) => {
                    if entry.file_type().is_some_and(|t| t.is_file()) {
                        if let Some(language) = detect(entry.path()) {
                            walked.lock().unwrap().files.push((entry.path().to_path_buf(), language));
                        }
                    }
                }
                Err(err) => {
                    let (path, message) = describe(&err);
                    if !path.is_empty() || !message.contains("No such file") {
                        walked.lock().unwrap().errors.push((path, message));
                    }
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
        !(message.contains("No such file") && paths.iter().any(|p| p.display().to_string() == *path))
    });
    walked
}

/// The language of a file: extension first, then a `#!` line for files without one.
fn detect(path: &Path) -> Option<Language> {
    if let Some(lang) =
        path.extension().and_then(|e| e.to_str()).and_then(|e| Language::from_extension(&e.to_ascii_lowercase()))
    {
        return Some(lang);
    }
    if path.extension().is_some() {
        return None;
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
