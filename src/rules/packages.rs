//! DL003 and RO011: dependencies on, and CDN scripts of, deprecated SDK generations,
//! matched against the `[[package]]` and `[[cdn]]` tables of the rule files; and RO011's
//! code side, the API of the retired `auth0-lock-passwordless` library.

use regex::Regex;

use super::Context;
use crate::catalogue::{Package, Rule};
use crate::model::version::Version;
use crate::model::{Dependency, Ecosystem};

const RULES: [&str; 2] = ["DL003", "RO011"];

/// The methods of `auth0-lock-passwordless` 2.x that open a login mode. Lock 11's
/// `Auth0LockPasswordless` has none of them (it is configured by options, then `show()`).
const LEGACY_PASSWORDLESS_METHODS: [&str; 7] =
    ["magiclink", "emailcode", "sms", "social", "socialOrMagiclink", "socialOrEmailcode", "socialOrSms"];

pub fn check(ctx: &mut Context) {
    for code in RULES {
        if !ctx.is_active(code) {
            continue;
        }
        let rule = ctx.rule(code);
        dependencies(ctx, rule);
        scripts(ctx, rule);
    }
    if ctx.is_active("RO011") {
        passwordless_api(ctx);
    }
}

/// The version a dependency entry stands for, and how to say where it comes from.
fn version_of(ctx: &Context, dep: &Dependency) -> (Option<Version>, String) {
    if dep.locked {
        return (dep.resolved, format!("pinned at {}", dep.requirement));
    }
    // A lockfile beside the manifest says what is installed.
    if let Some(installed) = ctx.project.and_then(|p| p.installed(dep.ecosystem, &dep.name)).filter(|i| i.pinned) {
        return (
            Some(installed.version),
            format!("`{}`, {} installed per {}", dep.requirement, installed.version, installed.from),
        );
    }
    (dep.version(), format!("`{}`", dep.requirement))
}

/// True when every version the entry allows is of the deprecated generation.
fn deprecated(ctx: &Context, dep: &Dependency, row: &Package) -> bool {
    let Some(below) = row.below.as_deref().and_then(Version::parse) else { return true };
    if !dep.locked {
        if let Some(installed) = ctx.project.and_then(|p| p.installed(dep.ecosystem, &dep.name)).filter(|i| i.pinned) {
            return installed.version < below;
        }
    }
    dep.range().is_some_and(|range| range.below(below))
}

fn dependencies(ctx: &mut Context, rule: &Rule) {
    let model = ctx.model;
    for dep in &model.dependencies {
        let mut rows = rule
            .package
            .iter()
            .filter(|row| Ecosystem::from_name(&row.ecosystem).is_some_and(|eco| dep.is(eco, &row.name)))
            .peekable();
        if rows.peek().is_none() {
            continue;
        }
        // The passwordless library is RO011's when it runs.
        if rule.code == "DL003" && ctx.rules_package("RO011", dep) {
            continue;
        }
        if dep.locked {
            // A transitive entry is not the project's choice; a manifest beside the
            // lockfile is where the finding belongs.
            if dep.direct == Some(false) || ctx.project.is_some_and(|p| p.has_manifest(dep.ecosystem)) {
                continue;
            }
        }
        // The first row whose generation the dependency is in (auth0.js 7, then 8).
        let Some(row) = rows.find(|row| deprecated(ctx, dep, row)) else { continue };
        let (version, written) = version_of(ctx, dep);
        // `<4` says which generation only by its bound.
        let generation =
            version.filter(|v| *v != Version::new(0, 0, 0)).map_or(String::new(), |v| format!(" {}", generation(v)));
        let used = if row.when_used.is_empty() {
            String::new()
        } else {
            format!(" whose removed methods the project calls ({})", row.when_used.join(", "))
        };
        let message = format!(
            "`{}` {written} is {}{generation}, a deprecated generation{used}; move to {}: {} (migration guide: {})",
            dep.name, row.sdk, row.target, row.changes, row.guide
        );
        if row.when_used.is_empty() {
            ctx.report(&rule.code, dep.version_span, message, None);
        } else if ctx.is_active(&rule.code) {
            // node-auth0 < 4 matters only where its removed methods are called: the run
            // reports it once it knows (see `Pending`).
            let help = rule.replacement.trim().to_string();
            let finding = crate::finding::Finding {
                code: rule.code.clone(),
                span: dep.version_span,
                severity: rule.severity,
                message,
                help,
                fix: None,
            };
            ctx.pending.push(super::Pending { finding, sdk: row.sdk.clone() });
        }
    }
}

/// `7.6.1` → `7.x`; `0.8.5` → `0.8.x`.
fn generation(version: Version) -> String {
    if version.major == 0 {
        format!("{}.{}.x", version.major, version.minor)
    } else {
        format!("{}.x", version.major)
    }
}

fn scripts(ctx: &mut Context, rule: &Rule) {
    let model = ctx.model;
    for script in &model.script_sources {
        for row in &rule.cdn {
            let Ok(re) = Regex::new(&row.url) else { continue };
            let Some(caps) = re.captures(&script.url) else { continue };
            let version = caps.get(1).map_or(String::new(), |m| format!(" {}", m.as_str().trim_end_matches('.')));
            let message = format!(
                "This page loads {}{version} from Auth0's CDN, a deprecated generation; move to {}: {} (migration guide: {})",
                row.sdk, row.target, row.changes, row.guide
            );
            ctx.report(&rule.code, script.span, message, None);
            break;
        }
    }
}

/// `new Auth0LockPasswordless(clientID, domain)` (no options: Lock 11 takes them as a
/// third argument) whose instance opens a mode with a 2.x method (`lock.emailcode()`).
fn passwordless_api(ctx: &mut Context) {
    let model = ctx.model;
    let legacy_calls: Vec<&str> = model
        .calls
        .iter()
        .filter(|c| c.segments().len() >= 2 && LEGACY_PASSWORDLESS_METHODS.contains(&c.name()))
        .map(|c| c.name())
        .collect();
    for call in &model.calls {
        if !call.is_new || !call.callee_ends_with("Auth0LockPasswordless") || call.args.len() > 2 {
            continue;
        }
        let Some(method) = legacy_calls.first() else { continue };
        let message = format!(
            "`new Auth0LockPasswordless(clientID, domain)` with `{method}()` is the retired auth0-lock-passwordless library, which logs in through /oauth/ro; use Lock 11+ `new Auth0LockPasswordless(clientID, domain, {{allowedConnections, passwordlessMethod}})` and `show()`"
        );
        ctx.report("RO011", call.name_span, message, None);
    }
}

/// What the project's manifests say about an SDK (named as in the rule tables: `auth0.js`,
/// `node-auth0`, ...): the installed version and, when it is a deprecated generation, the
/// generation to move to. `None` when no manifest governing the file declares it. The
/// SDK-to-package mapping is DL003's package table.
pub(super) fn installed_note(ctx: &Context, sdk: &str) -> Option<String> {
    let project = ctx.project?;
    let rule = ctx.catalogue.rule("DL003")?;
    let rows: Vec<&Package> = rule.package.iter().filter(|row| row.sdk.eq_ignore_ascii_case(sdk)).collect();
    for row in &rows {
        let Some(ecosystem) = Ecosystem::from_name(&row.ecosystem) else { continue };
        let Some(installed) = project.installed(ecosystem, &row.name) else { continue };
        let version = installed.version;
        let how = if installed.pinned { "is installed" } else { "is required" };
        let mut note = format!("the project's {sdk} {version} {how} (per {})", installed.from);
        // The first row whose generation the version is in says where to go.
        let deprecated = rows.iter().find(|r| {
            r.name == row.name
                && r.ecosystem == row.ecosystem
                && r.below.as_deref().and_then(Version::parse).is_none_or(|below| version < below)
        });
        match deprecated {
            Some(r) => note.push_str(&format!(", a deprecated generation: {} is the way out (DL003)", r.target)),
            None => note.push_str(", the current generation"),
        }
        return Some(note);
    }
    None
}

impl Context<'_> {
    /// True when `code` runs on this file and its package table has the dependency.
    fn rules_package(&self, code: &str, dep: &Dependency) -> bool {
        self.is_active(code)
            && self
                .rule(code)
                .package
                .iter()
                .any(|row| Ecosystem::from_name(&row.ecosystem).is_some_and(|eco| dep.is(eco, &row.name)))
    }
}
