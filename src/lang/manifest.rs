//! Dependency manifests and lockfiles, recognised by file name, lowered into
//! [`Dependency`] facts.
//!
//! JSON and YAML ones (`package.json`, `package-lock.json`, `composer.json`,
//! `Pipfile.lock`, `Package.resolved`, `pnpm-lock.yaml`, ...) are read from the objects
//! their adapter lowered; the others are read line by line, each by the rules of its
//! format (a section, a call like `gem '...'`, an XML element).

use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;

use super::Language;
use crate::model::version::Version;
use crate::model::{Dependency, Ecosystem, FileModel, ObjectLiteral, Part, Value};
use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Manifest {
    PackageJson,
    PackageLock,
    YarnLock,
    PnpmLock,
    Bower,
    Requirements,
    Pipfile,
    PipfileLock,
    Pyproject,
    SetupPy,
    SetupCfg,
    Gemfile,
    GemfileLock,
    ComposerJson,
    ComposerLock,
    Podfile,
    PodfileLock,
    Cartfile,
    CartfileResolved,
    PackageSwift,
    PackageResolved,
    Gradle,
    Pom,
    Csproj,
    PackagesConfig,
    GoMod,
}

impl Manifest {
    /// The manifest a file is, by its name.
    pub fn of(path: &Path) -> Option<Manifest> {
        let name = path.file_name()?.to_str()?;
        let lower = name.to_ascii_lowercase();
        Some(match name {
            "package.json" => Manifest::PackageJson,
            "package-lock.json" | "npm-shrinkwrap.json" => Manifest::PackageLock,
            "yarn.lock" => Manifest::YarnLock,
            "pnpm-lock.yaml" => Manifest::PnpmLock,
            "bower.json" => Manifest::Bower,
            "Pipfile" => Manifest::Pipfile,
            "Pipfile.lock" => Manifest::PipfileLock,
            "pyproject.toml" => Manifest::Pyproject,
            "setup.py" => Manifest::SetupPy,
            "setup.cfg" => Manifest::SetupCfg,
            "Gemfile" | "gems.rb" => Manifest::Gemfile,
            "Gemfile.lock" | "gems.locked" => Manifest::GemfileLock,
            "composer.json" => Manifest::ComposerJson,
            "composer.lock" => Manifest::ComposerLock,
            "Podfile" => Manifest::Podfile,
            "Podfile.lock" => Manifest::PodfileLock,
            "Cartfile" | "Cartfile.private" => Manifest::Cartfile,
            "Cartfile.resolved" => Manifest::CartfileResolved,
            "Package.swift" => Manifest::PackageSwift,
            "Package.resolved" => Manifest::PackageResolved,
            "build.gradle" | "build.gradle.kts" => Manifest::Gradle,
            "pom.xml" => Manifest::Pom,
            "packages.config" => Manifest::PackagesConfig,
            "go.mod" => Manifest::GoMod,
            _ if lower.starts_with("requirements") && lower.ends_with(".txt") => Manifest::Requirements,
            _ if lower.ends_with(".csproj") || lower.ends_with(".fsproj") || lower.ends_with(".vbproj") => {
                Manifest::Csproj
            }
            _ => return None,
        })
    }

    /// The language its text is lowered in: its own for JSON, YAML, Python and Swift
    /// files, else [`Language::Manifest`] (the dependencies are all that is read).
    pub fn language(&self) -> Language {
        match self {
            Manifest::PackageJson
            | Manifest::PackageLock
            | Manifest::Bower
            | Manifest::PipfileLock
            | Manifest::ComposerJson
            | Manifest::ComposerLock
            | Manifest::PackageResolved => Language::Json,
            Manifest::PnpmLock => Language::Yaml,
            Manifest::SetupPy => Language::Python,
            Manifest::PackageSwift => Language::Swift,
            _ => Language::Manifest,
        }
    }

    /// The registry its packages come from.
    pub fn ecosystem(&self) -> Ecosystem {
        match self {
            Manifest::PackageJson
            | Manifest::PackageLock
            | Manifest::YarnLock
            | Manifest::PnpmLock
            | Manifest::Bower => Ecosystem::Npm,
            Manifest::Requirements
            | Manifest::Pipfile
            | Manifest::PipfileLock
            | Manifest::Pyproject
            | Manifest::SetupPy
            | Manifest::SetupCfg => Ecosystem::PyPI,
            Manifest::Gemfile | Manifest::GemfileLock => Ecosystem::RubyGems,
            Manifest::ComposerJson | Manifest::ComposerLock => Ecosystem::Packagist,
            Manifest::Podfile | Manifest::PodfileLock => Ecosystem::CocoaPods,
            Manifest::Cartfile | Manifest::CartfileResolved => Ecosystem::Carthage,
            Manifest::PackageSwift | Manifest::PackageResolved => Ecosystem::SwiftPM,
            Manifest::Gradle | Manifest::Pom => Ecosystem::Maven,
            Manifest::Csproj | Manifest::PackagesConfig => Ecosystem::NuGet,
            Manifest::GoMod => Ecosystem::Go,
        }
    }

    /// True for lockfiles: what was resolved, for the manifest beside them.
    pub fn is_lockfile(&self) -> bool {
        matches!(
            self,
            Manifest::PackageLock
                | Manifest::YarnLock
                | Manifest::PnpmLock
                | Manifest::PipfileLock
                | Manifest::GemfileLock
                | Manifest::ComposerLock
                | Manifest::PodfileLock
                | Manifest::CartfileResolved
                | Manifest::PackageResolved
        )
    }

    /// The dependencies the file declares or pins. `model` is the file's lowered model
    /// (read for JSON and YAML files).
    pub fn dependencies(&self, text: &str, model: &FileModel) -> Vec<Dependency> {
        let mut out = Vec::new();
        match self {
            Manifest::PackageJson | Manifest::Bower => json_manifest(model, Ecosystem::Npm, &mut out),
            Manifest::ComposerJson => json_manifest(model, Ecosystem::Packagist, &mut out),
            Manifest::PackageLock => package_lock(text, model, &mut out),
            Manifest::ComposerLock => composer_lock(model, &mut out),
            Manifest::PipfileLock => pipfile_lock(model, &mut out),
            Manifest::PackageResolved => package_resolved(model, &mut out),
            Manifest::PnpmLock => pnpm_lock(model, &mut out),
            Manifest::YarnLock => yarn_lock(text, &mut out),
            Manifest::Requirements => requirements(text, &mut out),
            Manifest::Pipfile | Manifest::Pyproject => toml_like(text, *self, &mut out),
            Manifest::SetupPy => setup_py(text, &mut out),
            Manifest::SetupCfg => setup_cfg(text, &mut out),
            Manifest::Gemfile => ruby_calls(text, "gem", Ecosystem::RubyGems, &mut out),
            Manifest::Podfile => ruby_calls(text, "pod", Ecosystem::CocoaPods, &mut out),
            Manifest::GemfileLock => gemfile_lock(text, &mut out),
            Manifest::PodfileLock => podfile_lock(text, &mut out),
            Manifest::Cartfile | Manifest::CartfileResolved => {
                cartfile(text, *self == Manifest::CartfileResolved, &mut out)
            }
            Manifest::PackageSwift => package_swift(text, &mut out),
            Manifest::Gradle => gradle(text, &mut out),
            Manifest::Pom => pom(text, &mut out),
            Manifest::Csproj | Manifest::PackagesConfig => nuget(text, &mut out),
            Manifest::GoMod => go_mod(text, &mut out),
        }
        out
    }
}

fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("manifest pattern"))
}

/// A dependency of a manifest (not a lockfile).
fn declared(ecosystem: Ecosystem, name: &str, requirement: &str, span: Span, version_span: Span) -> Dependency {
    Dependency {
        ecosystem,
        name: name.to_string(),
        requirement: requirement.trim().to_string(),
        resolved: None,
        development: false,
        locked: false,
        direct: None,
        span,
        version_span,
    }
}

/// A lockfile's pinned dependency.
fn pinned(ecosystem: Ecosystem, name: &str, version: &str, span: Span, version_span: Span) -> Option<Dependency> {
    let resolved = Version::parse(version.trim().trim_start_matches("==").trim_start_matches('='))?;
    Some(Dependency {
        ecosystem,
        name: name.to_string(),
        requirement: version.trim().to_string(),
        resolved: Some(resolved),
        development: false,
        locked: true,
        direct: None,
        span,
        version_span,
    })
}

// --- JSON and YAML, from the lowered model --------------------------------------------

/// The outermost object of the document.
fn root(model: &FileModel) -> Option<&ObjectLiteral> {
    model.objects.iter().filter(|o| !o.span.is_empty()).max_by_key(|o| o.span.len())
}

fn object<'m>(model: &'m FileModel, value: &Value) -> Option<&'m ObjectLiteral> {
    match value {
        Value::Object(id) => Some(&model.objects[*id]),
        _ => None,
    }
}

fn member<'m>(model: &'m FileModel, parent: &ObjectLiteral, key: &str) -> Option<&'m ObjectLiteral> {
    object(model, &parent.get(key)?.value)
}

/// A string value's text and the span of its text (inside the quotes).
fn text_of(model: &FileModel, value: &Value) -> Option<(String, Span)> {
    let Value::String(id) = value else { return None };
    let string = &model.strings[*id];
    let text = string.literal_text()?;
    let span = match string.parts.as_slice() {
        [Part::Literal(lit)] => lit.span,
        _ => string.span,
    };
    Some((text, span))
}

fn string_member(model: &FileModel, object: &ObjectLiteral, key: &str) -> Option<(String, Span)> {
    text_of(model, &object.get(key)?.value)
}

/// `package.json`, `bower.json`, `composer.json`: `{"dependencies": {"name": "range"}}`.
fn json_manifest(model: &FileModel, ecosystem: Ecosystem, out: &mut Vec<Dependency>) {
    let Some(root) = root(model) else { return };
    let sections: &[(&str, bool)] = &[
        ("dependencies", false),
        ("devDependencies", true),
        ("peerDependencies", false),
        ("optionalDependencies", false),
        ("require", false),
        ("require-dev", true),
    ];
    for &(section, development) in sections {
        let Some(deps) = member(model, root, section) else { continue };
        for entry in &deps.entries {
            let (requirement, version_span) = text_of(model, &entry.value).unwrap_or((String::new(), entry.key_span));
            let mut dep = declared(ecosystem, &entry.key, &requirement, entry.span, version_span);
            dep.development = development;
            out.push(dep);
        }
    }
}

/// `package-lock.json` / `npm-shrinkwrap.json`: v2/v3 `packages` keyed by
/// `node_modules/...` paths (the root package `""` says which are direct), or v1
/// `dependencies` keyed by name.
fn package_lock(text: &str, model: &FileModel, out: &mut Vec<Dependency>) {
    let Some(root) = root(model) else { return };
    if let Some(packages) = member(model, root, "packages") {
        let top = packages.get("").and_then(|e| object(model, &e.value));
        let direct = |name: &str| {
            top.is_some_and(|top| {
                ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"]
                    .iter()
                    .any(|s| member(model, top, s).is_some_and(|d| d.has(name)))
            })
        };
        for entry in &packages.entries {
            let Some(name) = entry.key.rsplit("node_modules/").next().filter(|_| entry.key.contains("node_modules/"))
            else {
                continue;
            };
            let Some(info) = object(model, &entry.value) else { continue };
            let Some((version, span)) = string_member(model, info, "version") else { continue };
            if let Some(mut dep) = pinned(Ecosystem::Npm, name, &version, entry.span, span) {
                // Only `node_modules/<name>` (not nested below another package) can be direct.
                let nested = entry.key.matches("node_modules/").count() > 1;
                dep.direct = Some(!nested && direct(name));
                dep.development = value_is_true(text, info, "dev");
                out.push(dep);
            }
        }
    } else if let Some(deps) = member(model, root, "dependencies") {
        for entry in &deps.entries {
            let Some(info) = object(model, &entry.value) else { continue };
            let Some((version, span)) = string_member(model, info, "version") else { continue };
            if let Some(mut dep) = pinned(Ecosystem::Npm, &entry.key, &version, entry.span, span) {
                dep.development = value_is_true(text, info, "dev");
                out.push(dep);
            }
        }
    }
}

/// True when `key` of the object is the literal `true` (JSON booleans are not strings).
fn value_is_true(text: &str, object: &ObjectLiteral, key: &str) -> bool {
    object.get(key).is_some_and(|e| text.get(e.span.range()).is_some_and(|t| t.trim_end().ends_with("true")))
}

/// `composer.lock`: `packages` and `packages-dev` lists of `{name, version}`.
fn composer_lock(model: &FileModel, out: &mut Vec<Dependency>) {
    let Some(root) = root(model) else { return };
    for (section, development) in [("packages", false), ("packages-dev", true)] {
        let Some(Value::Array(items, _)) = root.get(section).map(|e| &e.value) else { continue };
        for item in items {
            let Some(info) = object(model, item) else { continue };
            let (Some((name, _)), Some((version, span))) =
                (string_member(model, info, "name"), string_member(model, info, "version"))
            else {
                continue;
            };
            if let Some(mut dep) = pinned(Ecosystem::Packagist, &name, &version, info.span, span) {
                dep.development = development;
                out.push(dep);
            }
        }
    }
}

/// `Pipfile.lock`: `default` and `develop`, `{"name": {"version": "==1.2.3"}}`.
fn pipfile_lock(model: &FileModel, out: &mut Vec<Dependency>) {
    let Some(root) = root(model) else { return };
    for (section, development) in [("default", false), ("develop", true)] {
        let Some(deps) = member(model, root, section) else { continue };
        for entry in &deps.entries {
            let Some(info) = object(model, &entry.value) else { continue };
            let Some((version, span)) = string_member(model, info, "version") else { continue };
            if let Some(mut dep) = pinned(Ecosystem::PyPI, &entry.key, &version, entry.span, span) {
                dep.development = development;
                out.push(dep);
            }
        }
    }
}

/// The `owner/repo` path of a repository URL (`https://github.com/auth0/Auth0.swift.git`).
fn repository(url: &str) -> String {
    let url = url.trim().trim_end_matches('/').trim_end_matches(".git");
    let mut parts: Vec<&str> = url.rsplit(['/', ':']).take(2).collect();
    parts.reverse();
    parts.join("/")
}

/// `Package.resolved`: `pins` (v2, v3) or `object.pins` (v1) of `{identity|package,
/// location|repositoryURL, state: {version}}`.
fn package_resolved(model: &FileModel, out: &mut Vec<Dependency>) {
    let Some(root) = root(model) else { return };
    let pins = root.get("pins").or_else(|| member(model, root, "object").and_then(|o| o.get("pins")));
    let Some(Value::Array(items, _)) = pins.map(|e| &e.value) else { return };
    for item in items {
        let Some(info) = object(model, item) else { continue };
        let Some((url, _)) =
            string_member(model, info, "location").or_else(|| string_member(model, info, "repositoryURL"))
        else {
            continue;
        };
        let Some(state) = member(model, info, "state") else { continue };
        let Some((version, span)) = string_member(model, state, "version") else { continue };
        if let Some(dep) = pinned(Ecosystem::SwiftPM, &repository(&url), &version, info.span, span) {
            out.push(dep);
        }
    }
}

/// `pnpm-lock.yaml`: the importers' (or, before v6 workspaces, the root's)
/// `dependencies`, each `name: version` or `name: {specifier, version}`.
fn pnpm_lock(model: &FileModel, out: &mut Vec<Dependency>) {
    let Some(root) = root(model) else { return };
    let mut projects = vec![root];
    if let Some(importers) = member(model, root, "importers") {
        projects.extend(importers.entries.iter().filter_map(|e| object(model, &e.value)));
    }
    for project in projects {
        for (section, development) in
            [("dependencies", false), ("devDependencies", true), ("optionalDependencies", false)]
        {
            let Some(deps) = member(model, project, section) else { continue };
            for entry in &deps.entries {
                let version = text_of(model, &entry.value)
                    .or_else(|| object(model, &entry.value).and_then(|info| string_member(model, info, "version")));
                let Some((version, span)) = version else { continue };
                if let Some(mut dep) = pinned(Ecosystem::Npm, &entry.key, &version, entry.span, span) {
                    dep.development = development;
                    dep.direct = Some(true);
                    out.push(dep);
                }
            }
        }
    }
}

// --- Line-based formats ----------------------------------------------------------------

/// Each line of `text` with its byte offset.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |line| {
        let start = offset;
        offset += line.len();
        (start, line.trim_end_matches(['\n', '\r']))
    })
}

/// `yarn.lock` (v1 and Berry): `"name@range", name@range:` then `version "1.2.3"`.
fn yarn_lock(text: &str, out: &mut Vec<Dependency>) {
    static VERSION: OnceLock<Regex> = OnceLock::new();
    let version_re = regex(&VERSION, r#"^\s+version:?\s+"?([^"\s]+)"?"#);
    let mut current: Option<(String, usize)> = None;
    for (offset, line) in lines(text) {
        if !line.starts_with(' ') && line.ends_with(':') && !line.starts_with('#') {
            // The first specifier names the package: `"@scope/name@npm:^1"` → `@scope/name`.
            let first = line.trim_end_matches(':').split(", ").next().unwrap_or("").trim_matches('"');
            let at = first.get(1..).and_then(|rest| rest.find('@')).map(|i| i + 1);
            current = at.map(|at| (first[..at].to_string(), offset));
        } else if let (Some((name, start)), Some(caps)) = (&current, version_re.captures(line)) {
            let m = caps.get(1).unwrap();
            let span = Span::new(offset + m.start(), offset + m.end());
            if let Some(dep) = pinned(Ecosystem::Npm, name, m.as_str(), Span::new(*start, offset + line.len()), span) {
                out.push(dep);
            }
            current = None;
        }
    }
}

static PEP508: OnceLock<Regex> = OnceLock::new();

/// A PEP 508 requirement (`auth0-python[extra]>=3,<4; python_version>"3"`) starting at
/// `offset` of the file: the name, the version part, and the span of the version part.
fn pep508(spec: &str, offset: usize) -> Option<(String, String, Span)> {
    let re = regex(&PEP508, r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(\(?\s*(?:[<>=!~]=?|===)[^;#]*)?");
    let caps = re.captures(spec)?;
    let name = caps.get(1)?.as_str().to_string();
    match caps.get(2) {
        Some(m) => {
            let raw = m.as_str();
            let trimmed = raw.trim_end().trim_end_matches(')').trim_start_matches('(').trim();
            let start = offset + m.start() + raw.find(trimmed).unwrap_or(0);
            Some((name, trimmed.to_string(), Span::new(start, start + trimmed.len())))
        }
        None => {
            let m = caps.get(1)?;
            Some((name, String::new(), Span::new(offset + m.start(), offset + m.end())))
        }
    }
}

/// `requirements*.txt`: one PEP 508 requirement a line; options (`-r`, `-e`, `--hash`)
/// and URLs are not package names.
fn requirements(text: &str, out: &mut Vec<Dependency>) {
    for (offset, line) in lines(text) {
        let content = line.split(" #").next().unwrap_or("");
        let trimmed = content.trim_start();
        if trimmed.is_empty() || trimmed.starts_with(['#', '-']) || trimmed.contains("://") {
            continue;
        }
        if let Some((name, requirement, span)) = pep508(content, offset) {
            out.push(declared(Ecosystem::PyPI, &name, &requirement, Span::new(offset, offset + line.len()), span));
        }
    }
}

/// Every quoted string in `text[range]`, with the span of its content.
fn quoted_strings(text: &str, start: usize, end: usize) -> Vec<(String, Span)> {
    static QUOTED: OnceLock<Regex> = OnceLock::new();
    let re = regex(&QUOTED, r#""([^"\n]*)"|'([^'\n]*)'"#);
    re.captures_iter(&text[start..end])
        .filter_map(|c| c.get(1).or_else(|| c.get(2)))
        .map(|m| (m.as_str().to_string(), Span::new(start + m.start(), start + m.end())))
        .collect()
}

/// The PEP 508 requirements held in the quoted strings of `text[start..end]`.
fn pep508_strings(text: &str, start: usize, end: usize, development: bool, out: &mut Vec<Dependency>) {
    for (string, span) in quoted_strings(text, start, end) {
        if let Some((name, requirement, version_span)) = pep508(&string, span.start) {
            let mut dep = declared(Ecosystem::PyPI, &name, &requirement, span, version_span);
            dep.development = development;
            out.push(dep);
        }
    }
}

/// The end of the bracketed list opening at or after `from` (the offset after its `]`).
fn list_end(text: &str, from: usize) -> Option<(usize, usize)> {
    let open = from + text[from..].find('[')?;
    let mut depth = 0;
    let mut quote: Option<char> = None;
    for (i, c) in text[open..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[') => depth += 1,
            (None, ']') => {
                depth -= 1;
                if depth == 0 {
                    return Some((open, open + i + 1));
                }
            }
            _ => {}
        }
    }
    None
}

/// `Pipfile` (`[packages]`, `[dev-packages]`) and `pyproject.toml` (PEP 621
/// `[project] dependencies = [...]` and `[project.optional-dependencies]`, Poetry
/// `[tool.poetry.dependencies]`, `[tool.poetry.group.<name>.dependencies]`,
/// `[tool.poetry.dev-dependencies]`, PEP 735 `[dependency-groups]`).
fn toml_like(text: &str, manifest: Manifest, out: &mut Vec<Dependency>) {
    static KEY: OnceLock<Regex> = OnceLock::new();
    let key_re = regex(
        &KEY,
        r#"^\s*"?([A-Za-z0-9][A-Za-z0-9._-]*)"?\s*=\s*(?:"([^"]*)"|'([^']*)'|\{[^}]*?version\s*=\s*(?:"([^"]*)"|'([^']*)'))"#,
    );
    let mut section = String::new();
    let mut skip_until = 0;
    for (offset, line) in lines(text) {
        if offset < skip_until {
            continue;
        }
        let trimmed = line.trim();
        if trimmed.starts_with('[') && !trimmed.starts_with("[[") && !line.contains('=') {
            section = trimmed.trim_matches(['[', ']']).trim().to_string();
            continue;
        }
        let poetry = section == "tool.poetry.dependencies"
            || section == "tool.poetry.dev-dependencies"
            || (section.starts_with("tool.poetry.group.") && section.ends_with(".dependencies"));
        let pipfile = manifest == Manifest::Pipfile && (section == "packages" || section == "dev-packages");
        let development =
            section.contains("dev") || (section.starts_with("tool.poetry.group.") && !section.contains(".main."));
        let arrays = (section == "project" && trimmed.starts_with("dependencies"))
            || section == "project.optional-dependencies"
            || section == "dependency-groups";
        if arrays && trimmed.contains('=') {
            if let Some((open, close)) = list_end(text, offset + line.find('=').unwrap_or(0)) {
                pep508_strings(text, open, close, section != "project", out);
                skip_until = close;
            }
            continue;
        }
        if !(poetry || pipfile) {
            continue;
        }
        let Some(caps) = key_re.captures(line) else { continue };
        let name = caps.get(1).unwrap();
        if name.as_str() == "python" {
            continue;
        }
        let version = (2..=5).find_map(|i| caps.get(i));
        let (requirement, span) = match version {
            Some(m) => (m.as_str(), Span::new(offset + m.start(), offset + m.end())),
            None => ("", Span::new(offset + name.start(), offset + name.end())),
        };
        let mut dep =
            declared(Ecosystem::PyPI, name.as_str(), requirement, Span::new(offset, offset + line.len()), span);
        dep.development = development;
        out.push(dep);
    }
}

/// `setup.py`: the strings of `install_requires=[...]` (and `extras_require`,
/// `tests_require`, `setup_requires`).
fn setup_py(text: &str, out: &mut Vec<Dependency>) {
    for (keyword, development) in [("install_requires", false), ("tests_require", true), ("extras_require", false)] {
        for (at, _) in text.match_indices(keyword) {
            let rest = text[at + keyword.len()..].trim_start();
            if !rest.starts_with('=') {
                continue;
            }
            if keyword == "extras_require" {
                // `{'extra': [...], ...}`: every list of the dict.
                let Some(open) = text[at..].find('{').map(|i| at + i) else { continue };
                let close = text[open..].find('}').map_or(text.len(), |i| open + i);
                pep508_strings(text, open, close, development, out);
            } else if let Some((open, close)) = list_end(text, at) {
                pep508_strings(text, open, close, development, out);
            }
        }
    }
}

/// `setup.cfg`: `[options] install_requires =` and its indented continuation lines.
fn setup_cfg(text: &str, out: &mut Vec<Dependency>) {
    let mut section = String::new();
    let mut in_list = false;
    for (offset, line) in lines(text) {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            section = trimmed.trim_matches(['[', ']']).to_string();
            in_list = false;
            continue;
        }
        if !line.starts_with([' ', '\t']) {
            in_list = false;
            if section == "options" && trimmed.starts_with("install_requires") {
                in_list = true;
                // `install_requires = auth0-python>=3` on the same line.
                if let Some(eq) = line.find('=') {
                    let value = &line[eq + 1..];
                    if !value.trim().is_empty() {
                        if let Some((name, requirement, span)) = pep508(value, offset + eq + 1) {
                            out.push(declared(
                                Ecosystem::PyPI,
                                &name,
                                &requirement,
                                Span::new(offset, offset + line.len()),
                                span,
                            ));
                        }
                    }
                }
            }
            continue;
        }
        if in_list && !trimmed.is_empty() && !trimmed.starts_with('#') {
            if let Some((name, requirement, span)) = pep508(line, offset) {
                out.push(declared(Ecosystem::PyPI, &name, &requirement, Span::new(offset, offset + line.len()), span));
            }
        }
    }
}

/// `Gemfile` (`gem 'auth0', '~> 4.0'`) and `Podfile` (`pod 'Auth0', '~> 1.0'`): the
/// call's name and its version arguments.
fn ruby_calls(text: &str, method: &str, ecosystem: Ecosystem, out: &mut Vec<Dependency>) {
    static ARG: OnceLock<Regex> = OnceLock::new();
    let arg_re = regex(&ARG, r#"^\s*,\s*(?:"([^"]*)"|'([^']*)')"#);
    let mut group_depth = 0usize;
    for (offset, line) in lines(text) {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with("group ") && trimmed.contains("do") {
            if trimmed.contains(":development") || trimmed.contains(":test") {
                group_depth = indent + 1;
            }
            continue;
        }
        if group_depth > 0 && trimmed.starts_with("end") && indent + 1 == group_depth {
            group_depth = 0;
            continue;
        }
        let Some(rest) = trimmed.strip_prefix(method) else { continue };
        let rest_offset = offset + indent + method.len();
        let after_paren = rest.trim_start_matches([' ', '(']);
        let name_offset = rest_offset + rest.len() - after_paren.len();
        let Some(quote) = after_paren.chars().next().filter(|c| *c == '"' || *c == '\'') else { continue };
        let Some(close) = after_paren[1..].find(quote) else { continue };
        let name = &after_paren[1..1 + close];
        let mut cursor = 2 + close;
        let mut versions: Vec<(String, Span)> = Vec::new();
        while let Some(caps) = arg_re.captures(&after_paren[cursor..]) {
            let m = caps.get(1).or_else(|| caps.get(2)).unwrap();
            if m.as_str().chars().next().is_some_and(|c| c.is_ascii_digit() || "<>=~!".contains(c)) {
                let start = name_offset + cursor + m.start();
                versions.push((m.as_str().to_string(), Span::new(start, start + m.len())));
            }
            cursor += caps.get(0).unwrap().end();
        }
        let requirement = versions.iter().map(|(v, _)| v.as_str()).collect::<Vec<_>>().join(", ");
        let version_span = match (versions.first(), versions.last()) {
            (Some(first), Some(last)) => Span::new(first.1.start, last.1.end),
            _ => Span::new(name_offset + 1, name_offset + 1 + close),
        };
        let mut dep =
            declared(ecosystem, name, &requirement, Span::new(offset + indent, offset + line.len()), version_span);
        dep.development = group_depth > 0;
        out.push(dep);
    }
}

/// `Gemfile.lock`: the `specs:` of each source (`    name (1.2.3)`, four spaces: the
/// gems resolved) and `DEPENDENCIES` (the gems the Gemfile asks for).
fn gemfile_lock(text: &str, out: &mut Vec<Dependency>) {
    static SPEC: OnceLock<Regex> = OnceLock::new();
    let re = regex(&SPEC, r"^    ([A-Za-z0-9][A-Za-z0-9._-]*) \(([^)]+)\)$");
    let direct: Vec<String> = text
        .split("\nDEPENDENCIES\n")
        .nth(1)
        .map(|rest| {
            rest.lines()
                .take_while(|l| l.starts_with("  "))
                .filter_map(|l| l.split_whitespace().next())
                .map(|n| n.trim_end_matches('!').to_string())
                .collect()
        })
        .unwrap_or_default();
    for (offset, line) in lines(text) {
        let Some(caps) = re.captures(line) else { continue };
        let (name, version) = (caps.get(1).unwrap(), caps.get(2).unwrap());
        // `nokogiri (1.15.0-x86_64-linux)`: the platform is not part of the version.
        let span = Span::new(offset + version.start(), offset + version.end());
        if let Some(mut dep) =
            pinned(Ecosystem::RubyGems, name.as_str(), version.as_str(), Span::new(offset, offset + line.len()), span)
        {
            dep.direct = Some(direct.iter().any(|d| d == name.as_str()));
            out.push(dep);
        }
    }
}

/// `Podfile.lock`: `PODS:` entries `  - Name (1.2.3)` (subspecs `Name/Core` are the pod
/// `Name`) and `DEPENDENCIES:`.
fn podfile_lock(text: &str, out: &mut Vec<Dependency>) {
    static POD: OnceLock<Regex> = OnceLock::new();
    let re = regex(&POD, r#"^  - "?([A-Za-z0-9_.+-]+)(?:/[^ ]*)? \(([0-9][^)]*)\)"?:?$"#);
    let direct: Vec<String> = text
        .split("\nDEPENDENCIES:\n")
        .nth(1)
        .map(|rest| {
            rest.lines()
                .take_while(|l| l.starts_with("  "))
                .filter_map(|l| l.trim_start_matches([' ', '-']).trim_matches('"').split([' ', '/']).next())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let mut in_pods = false;
    let mut seen: Vec<String> = Vec::new();
    for (offset, line) in lines(text) {
        if !line.starts_with(' ') {
            in_pods = line == "PODS:";
            continue;
        }
        let Some(caps) = re.captures(line).filter(|_| in_pods) else { continue };
        let (name, version) = (caps.get(1).unwrap(), caps.get(2).unwrap());
        if seen.iter().any(|s| s == name.as_str()) {
            continue;
        }
        seen.push(name.as_str().to_string());
        let span = Span::new(offset + version.start(), offset + version.end());
        if let Some(mut dep) =
            pinned(Ecosystem::CocoaPods, name.as_str(), version.as_str(), Span::new(offset, offset + line.len()), span)
        {
            dep.direct = Some(direct.iter().any(|d| d == name.as_str()));
            out.push(dep);
        }
    }
}

/// `Cartfile` (`github "auth0/Auth0.swift" ~> 1.0`) and `Cartfile.resolved`
/// (`github "auth0/Auth0.swift" "1.39.0"`).
fn cartfile(text: &str, resolved: bool, out: &mut Vec<Dependency>) {
    static LINE: OnceLock<Regex> = OnceLock::new();
    let re = regex(&LINE, r#"^\s*(?:github|git|binary)\s+"([^"]+)"\s*(?:"([^"]*)"|([^#"]*))"#);
    for (offset, line) in lines(text) {
        let Some(caps) = re.captures(line) else { continue };
        let name = repository(caps.get(1).unwrap().as_str());
        let whole = Span::new(offset, offset + line.len());
        let version = caps.get(2).or_else(|| caps.get(3)).filter(|m| !m.as_str().trim().is_empty());
        let span = version.map_or(whole, |m| {
            let trimmed = m.as_str().trim_end();
            Span::new(offset + m.start(), offset + m.start() + trimmed.len())
        });
        let text = version.map_or("", |m| m.as_str().trim());
        if resolved {
            if let Some(dep) = pinned(Ecosystem::Carthage, &name, text, whole, span) {
                out.push(dep);
            }
        } else {
            out.push(declared(Ecosystem::Carthage, &name, text, whole, span));
        }
    }
}

/// `Package.swift`: `.package(url: "...", from: "1.0.0")` and its other requirement forms.
fn package_swift(text: &str, out: &mut Vec<Dependency>) {
    static PACKAGE: OnceLock<Regex> = OnceLock::new();
    let re =
        regex(&PACKAGE, r#"\.package\(\s*(?:name:\s*"[^"]*"\s*,\s*)?url:\s*"([^"]+)"\s*,\s*((?:[^()]|\([^()]*\))*)\)"#);
    for caps in re.captures_iter(text) {
        let (whole, url, requirement) = (caps.get(0).unwrap(), caps.get(1).unwrap(), caps.get(2).unwrap());
        let span = Span::new(requirement.start(), requirement.end());
        out.push(declared(
            Ecosystem::SwiftPM,
            &repository(url.as_str()),
            requirement.as_str(),
            Span::new(whole.start(), whole.end()),
            span,
        ));
    }
}

/// `build.gradle` / `build.gradle.kts`: `implementation 'group:artifact:version'`,
/// `implementation("group:artifact:version")`, `implementation group: 'g', name: 'a',
/// version: 'v'`. Test configurations are development dependencies.
fn gradle(text: &str, out: &mut Vec<Dependency>) {
    static COORDINATE: OnceLock<Regex> = OnceLock::new();
    static MAP: OnceLock<Regex> = OnceLock::new();
    let coordinate =
        regex(&COORDINATE, r#"^\s*(\w+)\s*\(?\s*(?:platform\()?["']([\w.-]+):([\w.-]+)(?::([^"'@:]+))?(?:@\w+)?["']"#);
    let map = regex(
        &MAP,
        r#"^\s*(\w+)\s*\(?\s*group\s*[:=]\s*["']([\w.-]+)["']\s*,\s*name\s*[:=]\s*["']([\w.-]+)["'](?:\s*,\s*version\s*[:=]\s*["']([^"']+)["'])?"#,
    );
    for (offset, line) in lines(text) {
        let Some(caps) = coordinate.captures(line).or_else(|| map.captures(line)) else { continue };
        let configuration = caps.get(1).unwrap().as_str();
        let name = format!("{}:{}", &caps[2], &caps[3]);
        let whole = Span::new(offset, offset + line.len());
        let (requirement, span) = match caps.get(4) {
            Some(m) => (m.as_str(), Span::new(offset + m.start(), offset + m.end())),
            None => ("", Span::new(offset + caps.get(3).unwrap().start(), offset + caps.get(3).unwrap().end())),
        };
        let mut dep = declared(Ecosystem::Maven, &name, requirement, whole, span);
        dep.development = configuration.to_ascii_lowercase().contains("test");
        out.push(dep);
    }
}

/// The text and span of the first `<tag>...</tag>` in `block` (at `offset` of the file).
fn xml_element(block: &str, offset: usize, tag: &str) -> Option<(String, Span)> {
    let open = format!("<{tag}>");
    let start = block.find(&open)? + open.len();
    let end = start + block[start..].find(&format!("</{tag}>"))?;
    let raw = &block[start..end];
    let trimmed = raw.trim();
    let s = offset + start + raw.find(trimmed).unwrap_or(0);
    Some((trimmed.to_string(), Span::new(s, s + trimmed.len())))
}

/// `pom.xml`: each `<dependency>` with its `groupId`, `artifactId`, `version`, `scope`.
fn pom(text: &str, out: &mut Vec<Dependency>) {
    for (start, _) in text.match_indices("<dependency>") {
        let Some(len) = text[start..].find("</dependency>") else { continue };
        let end = start + len + "</dependency>".len();
        let block = &text[start..end];
        let (Some((group, _)), Some((artifact, name_span))) =
            (xml_element(block, start, "groupId"), xml_element(block, start, "artifactId"))
        else {
            continue;
        };
        let (requirement, span) = xml_element(block, start, "version").unwrap_or((String::new(), name_span));
        let mut dep =
            declared(Ecosystem::Maven, &format!("{group}:{artifact}"), &requirement, Span::new(start, end), span);
        dep.development = xml_element(block, start, "scope").is_some_and(|(s, _)| s == "test");
        out.push(dep);
    }
}

/// `*.csproj` (`<PackageReference Include="X" Version="1.2.3" />`, or a `<Version>`
/// child) and `packages.config` (`<package id="X" version="1.2.3" />`).
fn nuget(text: &str, out: &mut Vec<Dependency>) {
    static ELEMENT: OnceLock<Regex> = OnceLock::new();
    static ATTRIBUTE: OnceLock<Regex> = OnceLock::new();
    let element =
        regex(&ELEMENT, r#"(?s)<(?:PackageReference|package)\b([^>]*?)(/>|>(.*?)</(?:PackageReference|package)>)"#);
    let attribute = regex(&ATTRIBUTE, r#"(?i)\b(include|id|version)\s*=\s*"([^"]*)""#);
    for caps in element.captures_iter(text) {
        let whole = caps.get(0).unwrap();
        let attrs = caps.get(1).unwrap();
        let mut name = None;
        let mut version = None;
        for a in attribute.captures_iter(attrs.as_str()) {
            let value = a.get(2).unwrap();
            let span = Span::new(attrs.start() + value.start(), attrs.start() + value.end());
            match a[1].to_ascii_lowercase().as_str() {
                "include" | "id" => name = Some((value.as_str().to_string(), span)),
                _ => version = Some((value.as_str().to_string(), span)),
            }
        }
        if version.is_none() {
            if let Some(body) = caps.get(3) {
                version = xml_element(body.as_str(), body.start(), "Version");
            }
        }
        let Some((name, name_span)) = name else { continue };
        let (requirement, span) = version.unwrap_or((String::new(), name_span));
        out.push(declared(Ecosystem::NuGet, &name, &requirement, Span::new(whole.start(), whole.end()), span));
    }
}

/// `go.mod`: `require module v1.2.3` and `require ( ... )` blocks; `// indirect` marks a
/// transitive module.
fn go_mod(text: &str, out: &mut Vec<Dependency>) {
    static REQUIRE: OnceLock<Regex> = OnceLock::new();
    let re = regex(&REQUIRE, r"^\s*(?:require\s+)?([A-Za-z0-9._~/-]+\.[A-Za-z0-9._~/-]+)\s+(v[0-9][^\s/]*)");
    let mut in_block = false;
    for (offset, line) in lines(text) {
        let trimmed = line.trim();
        if trimmed.starts_with("require (") || trimmed == "require(" {
            in_block = true;
            continue;
        }
        if in_block && trimmed == ")" {
            in_block = false;
            continue;
        }
        if !(in_block || trimmed.starts_with("require ")) {
            continue;
        }
        let Some(caps) = re.captures(line) else { continue };
        let (name, version) = (caps.get(1).unwrap(), caps.get(2).unwrap());
        let mut dep = declared(
            Ecosystem::Go,
            name.as_str(),
            version.as_str(),
            Span::new(offset, offset + line.len()),
            Span::new(offset + version.start(), offset + version.end()),
        );
        dep.direct = Some(!line.contains("// indirect"));
        out.push(dep);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(name, requirement, resolved, development, text at the version span)` per entry.
    fn deps(file: &str, text: &str) -> Vec<(String, String, Option<String>, bool, String)> {
        let manifest = Manifest::of(Path::new(file)).unwrap_or_else(|| panic!("{file} is not a manifest"));
        let model = manifest.language().lower(text).unwrap();
        manifest
            .dependencies(text, &model)
            .into_iter()
            .map(|d| {
                (
                    d.name.clone(),
                    d.requirement.clone(),
                    d.resolved.map(|v| v.to_string()),
                    d.development,
                    text[d.version_span.range()].to_string(),
                )
            })
            .collect()
    }

    fn names(file: &str, text: &str) -> Vec<String> {
        deps(file, text).into_iter().map(|d| format!("{}@{}", d.0, d.4)).collect()
    }

    #[test]
    fn recognises_manifests_by_name() {
        assert_eq!(Manifest::of(Path::new("a/package.json")), Some(Manifest::PackageJson));
        assert_eq!(Manifest::of(Path::new("requirements-dev.txt")), Some(Manifest::Requirements));
        assert_eq!(Manifest::of(Path::new("App.csproj")), Some(Manifest::Csproj));
        assert_eq!(Manifest::of(Path::new("build.gradle.kts")), Some(Manifest::Gradle));
        assert_eq!(Manifest::of(Path::new("notes.txt")), None);
        assert_eq!(Manifest::of(Path::new("data.json")), None);
    }

    #[test]
    fn package_json_sections() {
        let text = r#"{"name": "app", "dependencies": {"auth0-js": "^7.6.1", "react": "18"},
            "devDependencies": {"auth0-lock": "~10.2.0"}}"#;
        let found = deps("package.json", text);
        assert_eq!(found.len(), 3);
        assert_eq!(found[0], ("auth0-js".into(), "^7.6.1".into(), None, false, "^7.6.1".into()));
        assert!(found[2].3, "devDependencies are development dependencies");
    }

    #[test]
    fn package_lock_v3_and_v1() {
        let v3 = r#"{"lockfileVersion": 3, "packages": {
            "": {"dependencies": {"auth0-js": "^7.6.1"}},
            "node_modules/auth0-js": {"version": "7.6.1"},
            "node_modules/auth0-lock": {"version": "10.24.3", "dev": true},
            "node_modules/x/node_modules/auth0-js": {"version": "8.0.0"}}}"#;
        let manifest = Manifest::PackageLock;
        let model = manifest.language().lower(v3).unwrap();
        let found = manifest.dependencies(v3, &model);
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].resolved, Some(Version::new(7, 6, 1)));
        assert_eq!(found[0].direct, Some(true));
        assert_eq!(found[1].direct, Some(false));
        assert!(found[1].development);
        assert_eq!(found[2].direct, Some(false));
        let v1 = r#"{"lockfileVersion": 1, "dependencies": {"auth0-js": {"version": "7.6.1"}}}"#;
        assert_eq!(names("package-lock.json", v1), vec!["auth0-js@7.6.1"]);
    }

    #[test]
    fn yarn_and_pnpm_locks() {
        let yarn = "# yarn lockfile v1\n\n\"auth0-js@^7.6.1\", auth0-js@^7.0.0:\n  version \"7.6.1\"\n  resolved \"x\"\n\n\"@auth0/auth0-spa-js@npm:^2.0.0\":\n  version: 2.1.3\n";
        assert_eq!(names("yarn.lock", yarn), vec!["auth0-js@7.6.1", "@auth0/auth0-spa-js@2.1.3"]);
        let pnpm = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      auth0-js:\n        specifier: ^7.6.1\n        version: 7.6.1\n";
        assert_eq!(names("pnpm-lock.yaml", pnpm), vec!["auth0-js@7.6.1"]);
        let pnpm5 = "lockfileVersion: 5.4\nspecifiers:\n  auth0-lock: ^10.0.0\ndependencies:\n  auth0-lock: 10.24.3\n";
        assert_eq!(names("pnpm-lock.yaml", pnpm5), vec!["auth0-lock@10.24.3"]);
    }

    #[test]
    fn python_manifests() {
        let req = "# deps\nauth0-python==3.24.1  # pinned\nrequests[security] >= 2.0 ; python_version > '3'\n-r base.txt\nflask\n";
        assert_eq!(names("requirements.txt", req), vec!["auth0-python@==3.24.1", "requests@>= 2.0", "flask@flask"]);
        let pipfile = "[[source]]\nurl = \"https://pypi.org/simple\"\n\n[packages]\nauth0-python = \"<4\"\nflask = {version = \"*\", extras = [\"x\"]}\n\n[dev-packages]\npytest = \"*\"\n";
        let found = deps("Pipfile", pipfile);
        assert_eq!(found.iter().map(|d| d.0.as_str()).collect::<Vec<_>>(), vec!["auth0-python", "flask", "pytest"]);
        assert_eq!(found[0].4, "<4");
        assert!(found[2].3);
        let pep621 = "[project]\nname = \"app\"\ndependencies = [\n  \"auth0-python>=3,<4\",\n  \"flask\",\n]\n[project.optional-dependencies]\ntest = [\"pytest\"]\n";
        assert_eq!(names("pyproject.toml", pep621), vec!["auth0-python@>=3,<4", "flask@flask", "pytest@pytest"]);
        let poetry = "[tool.poetry.dependencies]\npython = \"^3.8\"\nauth0-python = \"^3.24\"\n\n[tool.poetry.group.dev.dependencies]\npytest = {version = \"^7\"}\n";
        let found = deps("pyproject.toml", poetry);
        assert_eq!(found[0].1, "^3.24");
        assert_eq!(found[1].4, "^7");
        assert!(found[1].3);
        let setup = "setup(name='x', install_requires=['auth0-python>=3.0,<4', \"six\"], tests_require=['pytest'])";
        assert_eq!(names("setup.py", setup), vec!["auth0-python@>=3.0,<4", "six@six", "pytest@pytest"]);
        let cfg = "[metadata]\nname = x\n[options]\ninstall_requires =\n    auth0-python~=3.9\n    requests\n[options.extras_require]\n";
        assert_eq!(names("setup.cfg", cfg), vec!["auth0-python@~=3.9", "requests@requests"]);
        let lock = r#"{"default": {"auth0-python": {"version": "==3.24.1"}}, "develop": {}}"#;
        let found = deps("Pipfile.lock", lock);
        assert_eq!(found[0].2.as_deref(), Some("3.24.1"));
    }

    #[test]
    fn ruby_and_php_manifests() {
        let gemfile = "source 'https://rubygems.org'\ngem 'auth0', '~> 4.0', '>= 4.1'\ngem \"rails\"\ngroup :development, :test do\n  gem 'rspec'\nend\n";
        let found = deps("Gemfile", gemfile);
        assert_eq!(found[0].1, "~> 4.0, >= 4.1");
        assert_eq!(found[0].4, "~> 4.0', '>= 4.1");
        assert!(!found[1].3 && found[2].3);
        let lock = "GEM\n  remote: https://rubygems.org/\n  specs:\n    auth0 (4.17.1)\n      rest-client (~> 2.0)\n    rest-client (2.1.0)\n\nDEPENDENCIES\n  auth0 (~> 4.0)\n";
        let manifest = Manifest::GemfileLock;
        let model = FileModel::default();
        let found = manifest.dependencies(lock, &model);
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].resolved, found[0].direct), (Some(Version::new(4, 17, 1)), Some(true)));
        assert_eq!(found[1].direct, Some(false));
        let composer =
            r#"{"require": {"php": ">=7.1", "auth0/auth0-php": "^5.0"}, "require-dev": {"phpunit/phpunit": "^9"}}"#;
        assert_eq!(names("composer.json", composer)[1], "auth0/auth0-php@^5.0");
        let composer_lock = r#"{"packages": [{"name": "auth0/auth0-php", "version": "5.7.0"}], "packages-dev": []}"#;
        assert_eq!(names("composer.lock", composer_lock), vec!["auth0/auth0-php@5.7.0"]);
    }

    #[test]
    fn apple_manifests() {
        let podfile = "platform :ios, '12.0'\ntarget 'App' do\n  pod 'Auth0', '~> 1.0'\n  pod 'Lock'\nend\n";
        assert_eq!(names("Podfile", podfile), vec!["Auth0@~> 1.0", "Lock@Lock"]);
        let lock = "PODS:\n  - Auth0 (1.39.0):\n    - Auth0/Core (= 1.39.0)\n  - Auth0/Core (1.39.0)\n  - SimpleKeychain (0.12.0)\n\nDEPENDENCIES:\n  - Auth0 (~> 1.0)\n";
        let manifest = Manifest::PodfileLock;
        let found = manifest.dependencies(lock, &FileModel::default());
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].name.as_str(), found[0].direct), ("Auth0", Some(true)));
        let cartfile = "github \"auth0/Auth0.swift\" ~> 1.0\n";
        assert_eq!(names("Cartfile", cartfile), vec!["auth0/Auth0.swift@~> 1.0"]);
        let resolved = "github \"auth0/Auth0.swift\" \"1.39.0\"\n";
        assert_eq!(deps("Cartfile.resolved", resolved)[0].2.as_deref(), Some("1.39.0"));
        let swift = "let package = Package(dependencies: [\n  .package(url: \"https://github.com/auth0/Auth0.swift.git\", .upToNextMajor(from: \"1.0.0\")),\n])\n";
        assert_eq!(names("Package.swift", swift), vec!["auth0/Auth0.swift@.upToNextMajor(from: \"1.0.0\")"]);
        let pins = r#"{"pins": [{"identity": "auth0.swift", "location": "https://github.com/auth0/Auth0.swift.git", "state": {"version": "1.39.0"}}], "version": 2}"#;
        assert_eq!(names("Package.resolved", pins), vec!["auth0/Auth0.swift@1.39.0"]);
        let v1 = r#"{"object": {"pins": [{"package": "Auth0", "repositoryURL": "https://github.com/auth0/Auth0.swift", "state": {"version": "1.30.0"}}]}, "version": 1}"#;
        assert_eq!(names("Package.resolved", v1), vec!["auth0/Auth0.swift@1.30.0"]);
    }

    #[test]
    fn jvm_dotnet_go_manifests() {
        let gradle = "dependencies {\n    implementation 'com.auth0.android:auth0:1.30.0'\n    implementation(\"com.squareup:okhttp:4.+\")\n    testImplementation group: 'junit', name: 'junit', version: '4.13'\n}\n";
        let found = deps("build.gradle", gradle);
        assert_eq!(found[0].0, "com.auth0.android:auth0");
        assert_eq!(found[0].4, "1.30.0");
        assert_eq!(found[1].1, "4.+");
        assert!(found[2].3);
        let pom = "<project><dependencies><dependency>\n<groupId>com.auth0</groupId><artifactId>auth0</artifactId>\n<version>[1.0,2.0)</version></dependency></dependencies></project>";
        assert_eq!(names("pom.xml", pom), vec!["com.auth0:auth0@[1.0,2.0)"]);
        let csproj = "<ItemGroup>\n<PackageReference Include=\"Auth0.AuthenticationApi\" Version=\"3.7.0\" />\n<PackageReference Include=\"X\">\n<Version>1.0</Version>\n</PackageReference>\n</ItemGroup>";
        assert_eq!(names("App.csproj", csproj), vec!["Auth0.AuthenticationApi@3.7.0", "X@1.0"]);
        let config = "<packages>\n  <package id=\"Auth0.AuthenticationApi\" version=\"3.7.0\" targetFramework=\"net45\" />\n</packages>";
        assert_eq!(names("packages.config", config), vec!["Auth0.AuthenticationApi@3.7.0"]);
        let gomod = "module x\n\ngo 1.21\n\nrequire github.com/auth0/go-auth0 v1.4.0\n\nrequire (\n\tgithub.com/a/b v0.1.0 // indirect\n)\n";
        let found = deps("go.mod", gomod);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].4, "v1.4.0");
    }
}
