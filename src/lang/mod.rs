//! Languages: detection from a path (extension, then shebang) and the adapter that
//! lowers a file of that language into the model.

mod javascript;
pub mod treesitter;

use std::path::Path;

use crate::model::FileModel;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Language {
    JavaScript,
    TypeScript,
    Tsx,
}

/// Why a file could not be lowered.
#[derive(Debug)]
pub enum LowerError {
    ParseTimedOut,
    ParseFailed,
}

impl std::fmt::Display for LowerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LowerError::ParseTimedOut => write!(f, "parsing took too long; file skipped"),
            LowerError::ParseFailed => write!(f, "the parser gave up on this file"),
        }
    }
}

impl Language {
    pub const ALL: &'static [Language] =
        &[Language::JavaScript, Language::TypeScript, Language::Tsx];

    /// The language of a file, from its extension, else from a `#!` line in `head`.
    pub fn detect(path: &Path, head: &[u8]) -> Option<Language> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if let Some(ext) = ext {
            if let Some(lang) = Language::from_extension(&ext) {
                return Some(lang);
            }
        }
        Language::from_shebang(head)
    }

    pub fn from_extension(ext: &str) -> Option<Language> {
        Some(match ext {
            "js" | "mjs" | "cjs" | "jsx" => Language::JavaScript,
            "ts" | "mts" | "cts" => Language::TypeScript,
            "tsx" => Language::Tsx,
            _ => return None,
        })
    }

    fn from_shebang(head: &[u8]) -> Option<Language> {
        let line = head.strip_prefix(b"#!")?;
        let line = &line[..line.iter().position(|&b| b == b'\n').unwrap_or(line.len())];
        let line = std::str::from_utf8(line).ok()?;
        let mut words = line.split_whitespace();
        let mut program = words.next()?.rsplit('/').next()?;
        if program == "env" {
            program = words.find(|w| !w.starts_with('-'))?;
        }
        match program {
            "node" | "nodejs" | "deno" | "bun" => Some(Language::JavaScript),
            "ts-node" | "tsx" => Some(Language::TypeScript),
            _ => None,
        }
    }

    /// The name used in the CLI, the docs and the SDK tables' `language` field.
    pub fn name(&self) -> &'static str {
        match self {
            Language::JavaScript => "javascript",
            Language::TypeScript => "typescript",
            Language::Tsx => "tsx",
        }
    }

    /// The family whose SDKs apply: TypeScript code calls JavaScript SDKs.
    pub fn family(&self) -> &'static str {
        match self {
            Language::JavaScript | Language::TypeScript | Language::Tsx => "javascript",
        }
    }

    /// The file extensions of the language.
    pub fn extensions(&self) -> &'static [&'static str] {
        match self {
            Language::JavaScript => &["js", "mjs", "cjs", "jsx"],
            Language::TypeScript => &["ts", "mts", "cts"],
            Language::Tsx => &["tsx"],
        }
    }

    /// Parses and lowers a file.
    pub fn lower(&self, text: &str) -> Result<FileModel, LowerError> {
        let grammar = javascript::grammar(*self);
        let tree = treesitter::parse(grammar, text).map_err(|e| match e {
            treesitter::ParseError::TimedOut => LowerError::ParseTimedOut,
            treesitter::ParseError::Failed => LowerError::ParseFailed,
        })?;
        let mut model = treesitter::lower(grammar, &tree, text);
        model.finish(text);
        Ok(model)
    }

    /// The number of syntax errors in `text`, used to refuse fixes that break a file.
    pub fn syntax_errors(&self, text: &str) -> Option<usize> {
        let grammar = javascript::grammar(*self);
        treesitter::parse(grammar, text)
            .ok()
            .map(|tree| treesitter::count_errors(&tree))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_extension_then_shebang() {
        assert_eq!(
            Language::detect(Path::new("a/b.MJS"), b""),
            Some(Language::JavaScript)
        );
        assert_eq!(
            Language::detect(Path::new("x.tsx"), b""),
            Some(Language::Tsx)
        );
        assert_eq!(
            Language::detect(Path::new("bin/login"), b"#!/usr/bin/env node\nfetch()"),
            Some(Language::JavaScript)
        );
        assert_eq!(
            Language::detect(Path::new("bin/login"), b"#!/bin/sh\n"),
            None
        );
        assert_eq!(Language::detect(Path::new("README"), b""), None);
    }
}
