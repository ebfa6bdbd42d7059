//! The rules. Each family reads the language-neutral model of one file and reports
//! findings; none of them knows which language the file is in beyond its SDK family.

mod actions;
mod authorize;
mod delegation;
mod linking;
mod oauth_ro;
mod packages;
pub mod request;
mod sdk;
mod secrets;
mod tenant;

pub use secrets::secret_spans;

use std::cell::OnceCell;
use std::collections::HashSet;
use std::path::Path;

use crate::catalogue::{Catalogue, Rule};
use crate::finding::{Finding, Fix, Safety, Severity};
use crate::lang::Language;
use crate::model::FileModel;
use crate::source::Span;
use request::Reach;

/// What a rule sees of one file.
pub struct Context<'a> {
    pub model: &'a FileModel,
    pub source: &'a str,
    pub language: Language,
    /// The file's path, when it has one (RA001 recognises auth0-deploy-cli exports by it).
    pub path: Option<&'a Path>,
    /// The project facts of the directory whose manifests govern the file, when known.
    pub project: Option<&'a crate::project::Facts>,
    pub catalogue: &'a Catalogue,
    /// Rules that are selected and whose trigger literals occur in the file.
    active: &'a HashSet<&'a str>,
    reach: OnceCell<Vec<Reach>>,
    findings: Vec<Finding>,
    /// Findings that hold only if the project uses an SDK (see [`Pending`]).
    pending: Vec<Pending>,
    /// The SDKs (as named in the rule tables) whose deprecated methods the file calls.
    used_sdks: Vec<String>,
}

/// A finding that holds only if some file of the manifest's directory tree calls the
/// deprecated methods of `sdk` (DL003 for node-auth0 < 4): kept aside during the pass and
/// reported by the run once every file has been checked.
#[derive(Clone, Debug)]
pub struct Pending {
    pub finding: Finding,
    pub sdk: String,
}

/// What the rules found in a file.
#[derive(Default)]
pub struct Checked {
    pub findings: Vec<Finding>,
    pub pending: Vec<Pending>,
    pub used_sdks: Vec<String>,
}

impl<'a> Context<'a> {
    pub fn is_active(&self, code: &str) -> bool {
        self.active.contains(code)
    }

    /// The SDK family of the code at `span`: the family of the code region holding it in a
    /// host file (a Markdown fence, a page's script), else the file's.
    pub fn family_at(&self, span: Span) -> &'static str {
        self.model
            .region_families
            .iter()
            .find(|(region, _)| region.contains(span))
            .map_or(self.language.family(), |&(_, family)| family)
    }

    pub fn rule(&self, code: &str) -> &'a Rule {
        self.catalogue.rule(code).unwrap_or_else(|| panic!("rule {code} has no file in rules/"))
    }

    /// What every call of the file reaches, computed once per file when first needed.
    pub fn reach(&self) -> &[Reach] {
        self.reach.get_or_init(|| request::reach_all(self.model))
    }

    /// The model of a new version of the file's text (a rewrite a rule checks before it
    /// offers it). Rules still read only the model; `None` when the parse fails.
    pub fn lower_rewrite(&self, text: &str) -> Option<FileModel> {
        self.language.lower(text).ok()
    }

    pub fn text(&self, span: Span) -> &'a str {
        self.source.get(span.range()).unwrap_or("")
    }

    /// Reports a finding with the rule's default severity and documented replacement.
    pub fn report(&mut self, code: &str, span: Span, message: String, fix: Option<Fix>) {
        let rule = self.rule(code);
        let help = rule.replacement.trim().to_string();
        self.push(Finding { code: rule.code.clone(), span, severity: rule.severity, message, help, fix });
    }

    pub fn push(&mut self, finding: Finding) {
        if self.is_active(&finding.code) {
            self.findings.push(finding);
        }
    }
}

/// Runs every active rule on a file's model.
pub fn check(
    model: &FileModel,
    source: &str,
    language: Language,
    path: Option<&Path>,
    project: Option<&crate::project::Facts>,
    catalogue: &Catalogue,
    active: &HashSet<&str>,
) -> Vec<Finding> {
    check_file(model, source, language, path, project, catalogue, active).findings
}

/// Runs every active rule on a file's model: the findings, the findings pending on the
/// project's use of an SDK, and the SDKs whose deprecated methods the file calls.
pub fn check_file(
    model: &FileModel,
    source: &str,
    language: Language,
    path: Option<&Path>,
    project: Option<&crate::project::Facts>,
    catalogue: &Catalogue,
    active: &HashSet<&str>,
) -> Checked {
    let mut ctx = Context {
        model,
        source,
        language,
        path,
        project,
        catalogue,
        active,
        reach: OnceCell::new(),
        findings: Vec::new(),
        pending: Vec::new(),
        used_sdks: Vec::new(),
    };
    oauth_ro::check(&mut ctx);
    delegation::check(&mut ctx);
    linking::check(&mut ctx);
    sdk::check(&mut ctx);
    actions::check(&mut ctx);
    secrets::check(&mut ctx);
    authorize::check(&mut ctx);
    tenant::check(&mut ctx);
    packages::check(&mut ctx);
    ctx.used_sdks.sort();
    ctx.used_sdks.dedup();
    Checked { findings: dedupe(ctx.findings), pending: ctx.pending, used_sdks: ctx.used_sdks }
}

/// One finding per rule and span: the same literal reached twice (a constant and the
/// request that uses it) keeps the finding with the strongest fix.
fn dedupe(mut findings: Vec<Finding>) -> Vec<Finding> {
    fn rank(f: &Finding) -> (u8, usize) {
        let safety = match &f.fix {
            Some(fix) if fix.safety == Safety::Safe => 0,
            Some(fix) if fix.safety == Safety::Unsafe => 1,
            Some(_) => 2,
            None => 3,
        };
        (safety, usize::MAX - f.fix.as_ref().map_or(0, |fix| fix.edits.len()))
    }
    let severity_rank = |s: Severity| s as u8;
    findings.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.code)
            .cmp(&(b.span.start, b.span.end, &b.code))
            .then(rank(a).cmp(&rank(b)))
            .then(severity_rank(a.severity).cmp(&severity_rank(b.severity)))
    });
    findings.dedup_by(|later, kept| later.code == kept.code && later.span == kept.span);
    findings
}
