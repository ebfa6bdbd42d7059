//! `auth0-migrate.toml`: found by searching upward from the first path (`--config`
//! names one, `--isolated` ignores it). Unknown keys and unknown rule codes are errors
//! that name the key and the file.
//!
//! ```toml
//! select = ["RO", "DL"]            # codes or families; default: every rule
//! ignore = ["LK003"]
//! exclude = ["build/**"]           # replaces the default excludes (vendored trees)
//! extend-exclude = ["legacy/**"]   # adds to them
//! max-file-size = 1048576
//! extend-safe-fixes = ["RO010"]    # apply these rules' unsafe fixes with `fix`
//! extend-unsafe-fixes = ["RO001"]  # require --unsafe-fixes for these rules' safe fixes
//!
//! [per-file-ignores]
//! "test/**" = ["RO001"]
//!
//! [severity]
//! LK001 = "error"
//!
//! [extensions]                     # extra extensions → language
//! es6 = "javascript"
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::catalogue::Catalogue;
use crate::finding::Severity;
use crate::lang::Language;

pub const FILE_NAME: &str = "auth0-migrate.toml";

/// The directories skipped unless `exclude` replaces them or `--no-ignore` is given.
pub const DEFAULT_EXCLUDE: &[&str] = &["node_modules", "bower_components", "jspm_packages", "vendor", "third_party"];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    select: Option<Vec<String>>,
    #[serde(default)]
    ignore: Vec<String>,
    exclude: Option<Vec<String>>,
    #[serde(default)]
    extend_exclude: Vec<String>,
    max_file_size: Option<u64>,
    #[serde(default)]
    extend_safe_fixes: Vec<String>,
    #[serde(default)]
    extend_unsafe_fixes: Vec<String>,
    #[serde(default)]
    per_file_ignores: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    severity: BTreeMap<String, Severity>,
    #[serde(default)]
    extensions: BTreeMap<String, String>,
}

/// A configuration, resolved against the catalogue; paths relative to `root`.
#[derive(Debug, Default)]
pub struct Config {
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
    /// The directory globs are relative to.
    pub root: PathBuf,
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub exclude: Vec<String>,
    pub max_file_size: Option<u64>,
    pub extend_safe_fixes: Vec<String>,
    pub extend_unsafe_fixes: Vec<String>,
    pub per_file_ignores: Vec<(GlobSet, Vec<String>)>,
    pub severity: BTreeMap<String, Severity>,
    pub extensions: BTreeMap<String, Language>,
}

#[derive(Debug)]
pub struct ConfigError {
    pub file: PathBuf,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.message)
    }
}

impl Config {
    /// The configuration that applies to `first_path`: the nearest `auth0-migrate.toml` in
    /// it or a directory above it.
    pub fn discover(first_path: &Path) -> Result<Config, ConfigError> {
        let start = std::fs::canonicalize(first_path).unwrap_or_else(|_| first_path.to_path_buf());
        let mut dir = if start.is_dir() { Some(start.as_path()) } else { start.parent() };
        while let Some(d) = dir {
            let candidate = d.join(FILE_NAME);
            if candidate.is_file() {
                return Config::load(&candidate);
            }
            dir = d.parent();
        }
        Ok(Config {
            root: std::env::current_dir().unwrap_or_default(),
            exclude: default_exclude(),
            ..Config::default()
        })
    }

    /// No configuration file: the defaults.
    pub fn isolated() -> Config {
        Config { root: std::env::current_dir().unwrap_or_default(), exclude: default_exclude(), ..Config::default() }
    }

    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let error = |message: String| ConfigError { file: path.to_path_buf(), message };
        let text = std::fs::read_to_string(path).map_err(|e| error(format!("cannot read: {e}")))?;
        let raw: RawConfig = toml::from_str(&text).map_err(|e| error(e.to_string().trim_end().replace('\n', " ")))?;
        let catalogue = Catalogue::get();
        let check_codes = |key: &str, codes: &[String]| -> Result<(), ConfigError> {
            for code in codes {
                if catalogue.matching(code).is_empty() {
                    return Err(error(format!("`{key}`: unknown rule or family `{code}`")));
                }
            }
            Ok(())
        };
        if let Some(select) = &raw.select {
            check_codes("select", select)?;
        }
        check_codes("ignore", &raw.ignore)?;
        check_codes("extend-safe-fixes", &raw.extend_safe_fixes)?;
        check_codes("extend-unsafe-fixes", &raw.extend_unsafe_fixes)?;
        let mut per_file_ignores = Vec::new();
        for (pattern, codes) in &raw.per_file_ignores {
            check_codes(&format!("per-file-ignores.\"{pattern}\""), codes)?;
            let glob =
                Glob::new(pattern).map_err(|e| error(format!("`per-file-ignores`: bad pattern `{pattern}`: {e}")))?;
            let set = glob_set(&[glob], pattern).map_err(error)?;
            per_file_ignores.push((set, codes.clone()));
        }
        for code in raw.severity.keys() {
            if catalogue.rule(code).is_none() {
                return Err(error(format!("`severity`: unknown rule `{code}`")));
            }
        }
        let mut extensions = BTreeMap::new();
        for (ext, name) in &raw.extensions {
            let language = Language::from_name(name)
                .ok_or_else(|| error(format!("`extensions.{ext}`: unknown language `{name}`")))?;
            extensions.insert(ext.trim_start_matches('.').to_ascii_lowercase(), language);
        }
        let mut exclude = raw.exclude.unwrap_or_else(default_exclude);
        exclude.extend(raw.extend_exclude);
        for pattern in &exclude {
            Glob::new(pattern).map_err(|e| error(format!("`exclude`: bad pattern `{pattern}`: {e}")))?;
        }
        Ok(Config {
            path: Some(path.to_path_buf()),
            root: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            select: raw.select,
            ignore: raw.ignore,
            exclude,
            max_file_size: raw.max_file_size,
            extend_safe_fixes: raw.extend_safe_fixes,
            extend_unsafe_fixes: raw.extend_unsafe_fixes,
            per_file_ignores,
            severity: raw.severity.into_iter().map(|(k, v)| (k.to_ascii_uppercase(), v)).collect(),
            extensions,
        })
    }

    /// The exclusion globs, matched against a path relative to the root and against each
    /// of its names (`vendor` skips every `vendor` directory).
    pub fn exclude_set(&self) -> Result<GlobSet, String> {
        let globs: Result<Vec<Glob>, String> =
            self.exclude.iter().map(|p| Glob::new(p).map_err(|e| e.to_string())).collect();
        glob_set(&globs?, "exclude")
    }

    /// The rule codes ignored for one file by `per-file-ignores`.
    pub fn ignored_for(&self, path: &Path) -> Vec<String> {
        let relative = relative_to(path, &self.root);
        self.per_file_ignores
            .iter()
            .filter(|(set, _)| set.is_match(&relative))
            .flat_map(|(_, codes)| codes.clone())
            .collect()
    }

    /// The language of an extension the configuration maps.
    pub fn language_of(&self, path: &Path) -> Option<Language> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        self.extensions.get(&ext).copied()
    }
}

fn default_exclude() -> Vec<String> {
    DEFAULT_EXCLUDE.iter().map(|s| s.to_string()).collect()
}

fn glob_set(globs: &[Glob], what: &str) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        builder.add(glob.clone());
    }
    builder.build().map_err(|e| format!("`{what}`: {e}"))
}

/// `path` relative to `root` when it lies below it (both made absolute), else as given.
pub fn relative_to(path: &Path, root: &Path) -> PathBuf {
    let absolute =
        |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| std::env::current_dir().unwrap_or_default().join(p));
    let (path_abs, root_abs) = (absolute(path), absolute(root));
    path_abs.strip_prefix(&root_abs).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, text: &str) -> PathBuf {
        let path = dir.join(FILE_NAME);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn loads_every_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "select = [\"RO\", \"DL001\"]\nignore = [\"RO003\"]\nextend-exclude = [\"legacy/**\"]\nmax-file-size = 10\n\
             extend-safe-fixes = [\"RO010\"]\n[per-file-ignores]\n\"test/**\" = [\"RO001\"]\n[severity]\nlk001 = \"error\"\n[extensions]\nes6 = \"javascript\"\n",
        );
        let config = Config::load(&path).unwrap();
        assert_eq!(config.select.as_deref(), Some(&["RO".to_string(), "DL001".to_string()][..]));
        assert!(
            config.exclude.contains(&"node_modules".to_string()) && config.exclude.contains(&"legacy/**".to_string())
        );
        assert_eq!(config.ignored_for(&dir.path().join("test/a.js")), vec!["RO001".to_string()]);
        assert!(config.ignored_for(&dir.path().join("src/a.js")).is_empty());
        assert_eq!(config.severity.get("LK001"), Some(&Severity::Error));
        assert_eq!(config.language_of(Path::new("x.es6")), Some(Language::JavaScript));
    }

    #[test]
    fn unknown_keys_and_codes_name_the_key_and_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "selct = [\"RO\"]\n");
        let message = Config::load(&path).unwrap_err().to_string();
        assert!(message.contains("selct") && message.contains(FILE_NAME), "{message}");
        let path = write(dir.path(), "ignore = [\"XX001\"]\n");
        let message = Config::load(&path).unwrap_err().to_string();
        assert!(message.contains("ignore") && message.contains("XX001"), "{message}");
        let path = write(dir.path(), "[severity]\nRO001 = \"fatal\"\n");
        assert!(Config::load(&path).unwrap_err().to_string().contains("fatal"));
    }

    #[test]
    fn discovery_searches_upward() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "ignore = [\"LK\"]\n");
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        let config = Config::discover(&dir.path().join("a/b")).unwrap();
        assert_eq!(config.ignore, vec!["LK".to_string()]);
    }
}
