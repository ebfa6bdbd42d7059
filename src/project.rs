//! Project facts: the dependencies declared by the manifests that govern each file, read
//! once per directory before the files are linted.
//!
//! A file is governed by the nearest directory at or above it (up to the run's root, or
//! a repository root) that holds a dependency manifest or lockfile. Only manifests that
//! mention Auth0 are parsed; a run without any costs one directory listing per directory.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::lang::manifest::Manifest;
use crate::model::version::Version;
use crate::model::{Dependency, Ecosystem};

/// The manifests of one directory and what they declare.
#[derive(Debug, Default)]
pub struct Facts {
    pub dir: PathBuf,
    /// The manifests and lockfiles present, by file name.
    pub manifests: Vec<(String, Manifest)>,
    /// Their dependencies on Auth0 packages (lockfile entries included).
    pub dependencies: Vec<Dependency>,
}

/// What the project says about one package.
#[derive(Debug, Clone)]
pub struct Installed {
    pub requirement: String,
    pub version: Version,
    /// The file the version comes from (`package-lock.json`, or the manifest itself).
    pub from: String,
    pub pinned: bool,
}

impl Facts {
    /// True when a manifest (not a lockfile) of the ecosystem is in the directory.
    pub fn has_manifest(&self, ecosystem: Ecosystem) -> bool {
        self.dependencies.iter().any(|d| !d.locked && d.ecosystem == ecosystem)
            || self.manifests.iter().any(|(_, m)| !m.is_lockfile() && m.ecosystem() == ecosystem)
    }

    /// The version of a package the project uses: a lockfile's pin, else the lowest
    /// version the manifest's requirement allows.
    pub fn installed(&self, ecosystem: Ecosystem, name: &str) -> Option<Installed> {
        let declared = self.dependencies.iter().find(|d| !d.locked && d.is(ecosystem, name));
        // A lockfile may pin several versions (one for a package that depends on an older
        // one): the pin that satisfies the manifest's requirement is the project's.
        let wanted = declared.and_then(|d| d.range());
        let satisfies = |d: &&Dependency| {
            d.resolved.is_some_and(|v| wanted.is_none_or(|r| v >= r.low && r.high.is_none_or(|h| v < h)))
        };
        let locked = self
            .dependencies
            .iter()
            .filter(|d| d.locked && d.is(ecosystem, name) && d.direct != Some(false))
            .find(satisfies);
        let requirement = declared.map(|d| d.requirement.clone()).unwrap_or_default();
        if let (Some(lock), Some(version)) = (locked, locked.and_then(|d| d.resolved)) {
            let from = self.file_of(lock).unwrap_or_default();
            return Some(Installed { requirement, version, from, pinned: true });
        }
        let declared = declared?;
        let from = self.file_of(declared).unwrap_or_default();
        Some(Installed { requirement, version: declared.version()?, from, pinned: false })
    }

    fn file_of(&self, dependency: &Dependency) -> Option<String> {
        self.manifests
            .iter()
            .find(|(_, m)| m.is_lockfile() == dependency.locked && m.ecosystem() == dependency.ecosystem)
            .map(|(name, _)| name.clone())
    }
}

/// The facts of every directory that governs a file of the run.
#[derive(Debug, Default)]
pub struct Project {
    root: PathBuf,
    dirs: HashMap<PathBuf, Option<Facts>>,
}

impl Project {
    /// Reads the manifests governing `files`. `root` bounds the search upwards.
    pub fn discover<'p>(files: impl IntoIterator<Item = &'p Path>, root: &Path) -> Project {
        let root = absolute(root);
        let mut project = Project { root, dirs: HashMap::new() };
        for file in files {
            let mut dir = absolute(file.parent().unwrap_or(Path::new(".")));
            loop {
                if project.dirs.contains_key(&dir) {
                    break;
                }
                let facts = read_dir_facts(&dir);
                let found = facts.is_some();
                project.dirs.insert(dir.clone(), facts);
                if found || !project.may_go_above(&dir) {
                    break;
                }
                match dir.parent() {
                    Some(parent) => dir = parent.to_path_buf(),
                    None => break,
                }
            }
        }
        project
    }

    /// True when the search may continue above `dir`: it is below the root, and not a
    /// repository's top.
    fn may_go_above(&self, dir: &Path) -> bool {
        dir != self.root && dir.starts_with(&self.root) && !dir.join(".git").exists()
    }

    /// The facts of the directory that governs `file`.
    pub fn facts_for(&self, file: &Path) -> Option<&Facts> {
        let mut dir = absolute(file.parent().unwrap_or(Path::new(".")));
        loop {
            match self.dirs.get(&dir) {
                Some(Some(facts)) => return Some(facts),
                Some(None) if self.may_go_above(&dir) => {}
                _ => return None,
            }
            dir = dir.parent()?.to_path_buf();
        }
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The manifests of a directory, or `None` when it has none.
fn read_dir_facts(dir: &Path) -> Option<Facts> {
    let entries = std::fs::read_dir(dir).ok()?;
    let mut facts = Facts { dir: dir.to_path_buf(), ..Facts::default() };
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(manifest) = Manifest::of(&path) else { continue };
        if !entry.file_type().is_ok_and(|t| t.is_file() || t.is_symlink()) {
            continue;
        }
        facts.manifests.push((entry.file_name().to_string_lossy().to_string(), manifest));
        // Only manifests that mention Auth0 are worth parsing.
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        if !text.to_ascii_lowercase().contains("auth0") {
            continue;
        }
        let Ok(model) = manifest.language().lower(&text) else { continue };
        facts.dependencies.extend(
            manifest.dependencies(&text, &model).into_iter().filter(|d| d.name.to_ascii_lowercase().contains("auth0")),
        );
    }
    facts.manifests.sort_by(|a, b| a.0.cmp(&b.0));
    (!facts.manifests.is_empty()).then_some(facts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_manifest_governs_and_the_lockfile_pins() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("package.json"), r#"{"dependencies": {"auth0-js": "^7.0.0"}}"#).unwrap();
        std::fs::write(
            root.join("package-lock.json"),
            r#"{"packages": {"": {"dependencies": {"auth0-js": "^7.0.0"}}, "node_modules/auth0-js": {"version": "7.6.1"}}}"#,
        )
        .unwrap();
        std::fs::create_dir_all(root.join("src/deep")).unwrap();
        std::fs::create_dir_all(root.join("api")).unwrap();
        std::fs::write(root.join("api/requirements.txt"), "auth0-python==3.24.1\n").unwrap();
        let file = root.join("src/deep/app.js");
        let api = root.join("api/server.py");
        let project = Project::discover([file.as_path(), api.as_path()], root);
        let facts = project.facts_for(&file).expect("governed by the root");
        let installed = facts.installed(Ecosystem::Npm, "auth0-js").unwrap();
        assert_eq!(installed.version, Version::new(7, 6, 1));
        assert_eq!(installed.from, "package-lock.json");
        assert_eq!(installed.requirement, "^7.0.0");
        let api_facts = project.facts_for(&api).unwrap();
        assert!(api_facts.installed(Ecosystem::Npm, "auth0-js").is_none());
        assert_eq!(api_facts.installed(Ecosystem::PyPI, "auth0_python").unwrap().version, Version::new(3, 24, 1));
    }

    #[test]
    fn the_pin_that_satisfies_the_manifest_is_the_projects() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("package.json"), r#"{"dependencies": {"auth0-js": "^9.20.0"}}"#).unwrap();
        let yarn = "auth0-js@^7.0.0:\n  version \"7.6.1\"\n\nauth0-js@^9.20.0:\n  version \"9.24.1\"\n";
        std::fs::write(root.join("yarn.lock"), yarn).unwrap();
        let file = root.join("app.js");
        let project = Project::discover([file.as_path()], root);
        let installed = project.facts_for(&file).unwrap().installed(Ecosystem::Npm, "auth0-js").unwrap();
        assert_eq!((installed.version, installed.from.as_str()), (Version::new(9, 24, 1), "yarn.lock"));
    }

    #[test]
    fn no_manifest_no_facts() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.js");
        let project = Project::discover([file.as_path()], dir.path());
        assert!(project.facts_for(&file).is_none());
    }
}
