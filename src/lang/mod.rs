//! Languages: detection from a path (extension, then shebang) and the adapter that
//! lowers a file of that language into the model.
//!
//! Three kinds of adapter:
//! - a tree-sitter grammar with a facts query (`queries/<lang>.scm`) and its escape rules;
//! - regions: a host file (HTML, Vue, Svelte, Markdown) whose scripts or fenced blocks
//!   are parsed in their own language, in place, so positions stay the host file's;
//! - Rust, lowered from `syn`'s syntax tree.

mod csharp;
pub mod dotenv;
mod encode;
mod escapes;
mod fsharp;
mod go;
mod hcl;
mod java;
mod javascript;
mod json;
mod kotlin;
pub mod manifest;
mod markdown;
mod markup;
mod objc;
mod php;
mod python;
mod ruby;
mod rust;
mod shell;
mod swift;
pub mod treesitter;
mod yaml;

use std::ops::Range;
use std::path::Path;

use crate::model::FileModel;
use treesitter::Grammar;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Language {
    JavaScript,
    TypeScript,
    Tsx,
    Python,
    Go,
    Java,
    Kotlin,
    CSharp,
    FSharp,
    Php,
    Ruby,
    Swift,
    ObjC,
    Shell,
    Rust,
    Html,
    Vue,
    Svelte,
    Json,
    Yaml,
    Markdown,
    /// A dependency manifest or lockfile in a format of its own (`Gemfile`,
    /// `requirements.txt`, `pom.xml`, ...): only its dependencies are read.
    Manifest,
    Hcl,
    Dotenv,
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

/// A part of a host file written in another language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    pub language: Language,
    /// Byte ranges of the host file that make up the region's text.
    pub ranges: Vec<Range<usize>>,
}

enum Adapter {
    Grammar(&'static Grammar),
    /// A host file: its regions, and its own comments (`<!-- ... -->`).
    Regions(fn(&str) -> Vec<Region>, fn(&str) -> Vec<crate::source::Span>),
    Syn,
    /// Nothing to parse: the manifest readers read the text itself.
    Text,
    /// A format simple enough to read line by line: lowering and syntax-error count.
    Lines(fn(&str, Range<usize>, &mut FileModel), fn(&str) -> usize),
}

impl Language {
    pub const ALL: &'static [Language] = &[
        Language::JavaScript,
        Language::TypeScript,
        Language::Tsx,
        Language::Python,
        Language::Go,
        Language::Java,
        Language::Kotlin,
        Language::CSharp,
        Language::FSharp,
        Language::Php,
        Language::Ruby,
        Language::Swift,
        Language::ObjC,
        Language::Shell,
        Language::Rust,
        Language::Html,
        Language::Vue,
        Language::Svelte,
        Language::Json,
        Language::Yaml,
        Language::Markdown,
        Language::Manifest,
        Language::Hcl,
        Language::Dotenv,
    ];

    /// The language of a file: a dependency manifest's by its name, else from its
    /// extension, else from its name (`.env.local`), else from a `#!` line in `head`.
    pub fn detect(path: &Path, head: &[u8]) -> Option<Language> {
        if let Some(manifest) = manifest::Manifest::of(path) {
            return Some(manifest.language());
        }
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        if let Some(ext) = ext {
            if let Some(lang) = Language::from_extension(&ext) {
                return Some(lang);
            }
        }
        Language::from_file_name(path).or_else(|| Language::from_shebang(head))
    }

    /// The language of a file known by its whole name rather than its extension.
    pub fn from_file_name(path: &Path) -> Option<Language> {
        let name = path.file_name()?.to_str()?;
        dotenv::is_dotenv_name(name).then_some(Language::Dotenv)
    }

    pub fn from_extension(ext: &str) -> Option<Language> {
        Language::ALL.iter().copied().find(|l| l.extensions().contains(&ext))
    }

    /// A language by its name or a common alias (Markdown info strings, config files).
    pub fn from_name(name: &str) -> Option<Language> {
        let name = name.trim().to_ascii_lowercase();
        Some(match name.as_str() {
            "js" | "javascript" | "node" | "jsx" | "mjs" | "cjs" => Language::JavaScript,
            "ts" | "typescript" | "mts" | "cts" => Language::TypeScript,
            "tsx" => Language::Tsx,
            "py" | "python" | "python3" => Language::Python,
            "go" | "golang" => Language::Go,
            "java" => Language::Java,
            "kotlin" | "kt" | "kts" => Language::Kotlin,
            "rs" | "rust" => Language::Rust,

            "cs" | "csharp" | "c#" => Language::CSharp,
            "fs" | "fsharp" | "f#" | "fsx" | "fsi" => Language::FSharp,
            "php" => Language::Php,
            "rb" | "ruby" => Language::Ruby,
            "swift" => Language::Swift,
            "objc" | "objective-c" | "objectivec" | "m" => Language::ObjC,
            "sh" | "bash" | "shell" | "zsh" | "console" | "shell-session" | "curl" => Language::Shell,
            "html" | "htm" => Language::Html,
            "vue" => Language::Vue,
            "svelte" => Language::Svelte,
            "json" | "jsonc" | "har" => Language::Json,
            "yaml" | "yml" => Language::Yaml,
            "md" | "markdown" => Language::Markdown,
            "hcl" | "terraform" | "tf" | "tfvars" => Language::Hcl,
            "env" | "dotenv" => Language::Dotenv,
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
            p if p.starts_with("python") => Some(Language::Python),
            "ruby" => Some(Language::Ruby),
            "php" => Some(Language::Php),
            "sh" | "bash" | "zsh" | "dash" | "ksh" => Some(Language::Shell),
            _ => None,
        }
    }

    /// The name used in the CLI and the docs.
    pub fn name(&self) -> &'static str {
        match self {
            Language::JavaScript => "javascript",
            Language::TypeScript => "typescript",
            Language::Tsx => "tsx",
            Language::Python => "python",
            Language::Go => "go",
            Language::Java => "java",
            Language::Kotlin => "kotlin",
            Language::CSharp => "csharp",
            Language::FSharp => "fsharp",
            Language::Php => "php",
            Language::Ruby => "ruby",
            Language::Swift => "swift",
            Language::ObjC => "objc",
            Language::Shell => "shell",
            Language::Rust => "rust",
            Language::Html => "html",
            Language::Vue => "vue",
            Language::Svelte => "svelte",
            Language::Json => "json",
            Language::Yaml => "yaml",
            Language::Markdown => "markdown",
            Language::Manifest => "manifest",
            Language::Hcl => "hcl",
            Language::Dotenv => "dotenv",
        }
    }

    /// The family whose SDKs apply (the `language` of the SDK tables in `rules/`):
    /// TypeScript code calls JavaScript SDKs.
    pub fn family(&self) -> &'static str {
        match self {
            Language::JavaScript
            | Language::TypeScript
            | Language::Tsx
            | Language::Html
            | Language::Vue
            | Language::Svelte => "javascript",
            // F# code calls the .NET SDKs (auth0.net) like C#.
            Language::FSharp => "csharp",
            other => other.name(),
        }
    }

    /// The file extensions of the language.
    pub fn extensions(&self) -> &'static [&'static str] {
        match self {
            Language::JavaScript => &["js", "mjs", "cjs", "jsx"],
            Language::TypeScript => &["ts", "mts", "cts"],
            Language::Tsx => &["tsx"],
            Language::Python => &["py"],
            Language::Go => &["go"],
            Language::Java => &["java"],
            Language::Kotlin => &["kt", "kts"],
            Language::CSharp => &["cs"],
            Language::FSharp => &["fs", "fsx", "fsi"],
            Language::Php => &["php"],
            Language::Ruby => &["rb"],
            Language::Swift => &["swift"],
            Language::ObjC => &["m", "mm", "h"],
            Language::Shell => &["sh", "bash", "zsh"],
            Language::Rust => &["rs"],
            Language::Html => &["html", "htm"],
            Language::Vue => &["vue"],
            Language::Svelte => &["svelte"],
            Language::Json => &["json", "har"],
            Language::Yaml => &["yml", "yaml"],
            Language::Markdown => &["md", "markdown"],
            // Recognised by file name (see `manifest::Manifest::of`).
            Language::Manifest => &[],
            // `.tf.json` is JSON: its extension is `json`.
            Language::Hcl => &["tf", "tfvars", "hcl"],
            Language::Dotenv => &["env"],
        }
    }

    fn adapter(&self) -> Adapter {
        match self {
            Language::JavaScript | Language::TypeScript | Language::Tsx => Adapter::Grammar(javascript::grammar(*self)),
            Language::Python => Adapter::Grammar(python::grammar()),
            Language::Go => Adapter::Grammar(go::grammar()),
            Language::Java => Adapter::Grammar(java::grammar()),
            Language::Kotlin => Adapter::Grammar(kotlin::grammar()),
            Language::CSharp => Adapter::Grammar(csharp::grammar()),
            Language::FSharp => Adapter::Grammar(fsharp::grammar()),
            Language::Php => Adapter::Grammar(php::grammar()),
            Language::Ruby => Adapter::Grammar(ruby::grammar()),
            Language::Swift => Adapter::Grammar(swift::grammar()),
            Language::ObjC => Adapter::Grammar(objc::grammar()),
            Language::Shell => Adapter::Grammar(shell::grammar()),
            Language::Json => Adapter::Grammar(json::grammar()),
            Language::Yaml => Adapter::Grammar(yaml::grammar()),
            Language::Hcl => Adapter::Grammar(hcl::grammar()),
            Language::Html | Language::Vue | Language::Svelte => Adapter::Regions(markup::regions, markup::comments),
            Language::Markdown => Adapter::Regions(markdown::regions, markdown::comments),
            Language::Rust => Adapter::Syn,
            Language::Manifest => Adapter::Text,
            Language::Dotenv => Adapter::Lines(dotenv::lower_into, dotenv::syntax_errors),
        }
    }

    /// Parses and lowers a file.
    pub fn lower(&self, text: &str) -> Result<FileModel, LowerError> {
        let mut model = FileModel::default();
        match self.adapter() {
            Adapter::Grammar(grammar) => {
                let tree = parse(grammar, text, &[])?;
                treesitter::lower_into(grammar, &tree, text, &mut model);
            }
            Adapter::Regions(find, comments) => {
                let regions = find(text);
                let mut lookups = Vec::new();
                for region in &regions {
                    model.env_lookup = None;
                    model.env_lookup_import = None;
                    region.language.lower_region(text, &region.ranges, &mut model)?;
                    if let (Some(first), Some(last)) = (region.ranges.first(), region.ranges.last()) {
                        model
                            .region_families
                            .push((crate::source::Span::new(first.start, last.end), region.language.family()));
                    }
                    lookups.push((model.env_lookup, model.env_lookup_import.take()));
                }
                // One way to read the environment for the whole file, or none: the regions
                // must agree, and an import one region needs cannot serve another.
                model.env_lookup = match lookups.as_slice() {
                    [(lookup, import)] => {
                        model.env_lookup_import = import.clone();
                        *lookup
                    }
                    [(first, None), rest @ ..] if rest.iter().all(|(l, i)| l == first && i.is_none()) => *first,
                    _ => None,
                };
                model.comments.extend(comments(text));
                // A page's scripts run in the browser.
                model.client_side |= matches!(self, Language::Html | Language::Vue | Language::Svelte);
                if matches!(self, Language::Html | Language::Vue | Language::Svelte) {
                    model.script_sources = markup::script_sources(text);
                }
            }
            Adapter::Syn => rust::lower_into(text, 0..text.len(), &mut model),
            Adapter::Text => {}
            Adapter::Lines(lower, _) => lower(text, 0..text.len(), &mut model),
        }
        // Snippets in documentation are often fragments (`...`, placeholders): they are
        // checked where they parse, and their syntax errors are not the file's. (Fixes
        // still may not add any: see `syntax_errors`.)
        if *self == Language::Markdown {
            model.syntax_errors.clear();
        }
        model.finish(text);
        Ok(model)
    }

    /// Lowers the part of `text` made of `ranges`, written in this language.
    fn lower_region(&self, text: &str, ranges: &[Range<usize>], model: &mut FileModel) -> Result<(), LowerError> {
        match self.adapter() {
            Adapter::Grammar(grammar) => {
                let tree = parse(grammar, text, ranges)?;
                treesitter::lower_into(grammar, &tree, text, model);
            }
            // Rust is parsed from one contiguous range only.
            Adapter::Syn => {
                if let [range] = ranges {
                    rust::lower_into(text, range.clone(), model);
                }
            }
            Adapter::Regions(..) | Adapter::Text => {}
            Adapter::Lines(lower, _) => {
                for range in ranges {
                    lower(text, range.clone(), model);
                }
            }
        }
        Ok(())
    }

    /// The source text that decodes to `text` when written in place of the literal piece
    /// `lit` of `source` (a string a fix rewrites); `None` when the piece's form cannot
    /// hold it. The caller checks the result by lowering the rewritten file.
    pub fn encode_literal(&self, source: &str, lit: &crate::model::Literal, text: &str) -> Option<String> {
        let language = match self {
            Language::Html | Language::Vue | Language::Svelte => Language::JavaScript,
            other => *other,
        };
        encode::encode(language, source, lit, text)
    }

    /// The number of syntax errors in `text`, used to refuse fixes that break a file.
    pub fn syntax_errors(&self, text: &str) -> Option<usize> {
        match self.adapter() {
            Adapter::Grammar(grammar) => parse(grammar, text, &[]).ok().map(|tree| treesitter::count_errors(&tree)),
            Adapter::Regions(find, _) => {
                let mut total = 0;
                for region in find(text) {
                    total += region.language.region_errors(text, &region.ranges)?;
                }
                Some(total)
            }
            Adapter::Syn => Some(rust::syntax_errors(&text[0..])),
            Adapter::Text => Some(0),
            Adapter::Lines(_, errors) => Some(errors(text)),
        }
    }

    fn region_errors(&self, text: &str, ranges: &[Range<usize>]) -> Option<usize> {
        match self.adapter() {
            Adapter::Grammar(grammar) => parse(grammar, text, ranges).ok().map(|tree| treesitter::count_errors(&tree)),
            Adapter::Syn => match ranges {
                [range] => Some(rust::syntax_errors(&text[range.clone()])),
                _ => Some(0),
            },
            Adapter::Regions(..) | Adapter::Text => Some(0),
            Adapter::Lines(_, errors) => Some(ranges.iter().map(|r| errors(&text[r.clone()])).sum()),
        }
    }
}

fn parse(grammar: &Grammar, text: &str, ranges: &[Range<usize>]) -> Result<tree_sitter::Tree, LowerError> {
    treesitter::parse_ranges(grammar, text, ranges).map_err(|e| match e {
        treesitter::ParseError::TimedOut => LowerError::ParseTimedOut,
        treesitter::ParseError::Failed => LowerError::ParseFailed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_extension_then_shebang() {
        assert_eq!(Language::detect(Path::new("a/b.MJS"), b""), Some(Language::JavaScript));
        assert_eq!(Language::detect(Path::new("x.tsx"), b""), Some(Language::Tsx));
        assert_eq!(
            Language::detect(Path::new("bin/login"), b"#!/usr/bin/env node\nfetch()"),
            Some(Language::JavaScript)
        );
        assert_eq!(Language::detect(Path::new("bin/login"), b"#!/bin/bash\n"), Some(Language::Shell));
        assert_eq!(Language::detect(Path::new("bin/login"), b"#!/usr/bin/env python3\n"), Some(Language::Python));
        assert_eq!(Language::detect(Path::new("README"), b""), None);
        assert_eq!(Language::detect(Path::new("app/.env"), b""), Some(Language::Dotenv));
        assert_eq!(Language::detect(Path::new(".env.production"), b""), Some(Language::Dotenv));
        assert_eq!(Language::detect(Path::new("deploy/prod.env"), b""), Some(Language::Dotenv));
        assert_eq!(Language::detect(Path::new(".envrc"), b"#!/bin/bash\n"), Some(Language::Shell));
    }

    #[test]
    fn every_language_lowers_an_empty_file() {
        for lang in Language::ALL {
            assert!(lang.lower("").is_ok(), "{lang:?}");
            assert_eq!(lang.syntax_errors(""), Some(0), "{lang:?}");
        }
    }

    #[test]
    fn every_extension_belongs_to_one_language() {
        let mut seen = std::collections::HashSet::new();
        for lang in Language::ALL {
            for ext in lang.extensions() {
                assert!(seen.insert(*ext), "{ext} is claimed twice");
            }
        }
    }
}
