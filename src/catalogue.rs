//! The rule catalogue: one TOML file per rule in `rules/`, embedded in the binary.
//! It is the source of `auth0-migrate rule CODE`, the README table, SARIF descriptors
//! and the per-SDK method tables that rules match calls against.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::finding::{Safety, Severity};

include!(concat!(env!("OUT_DIR"), "/rule_files.rs"));

/// The strongest fix a rule offers.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FixLevel {
    Safe,
    Unsafe,
    Manual,
}

impl FixLevel {
    pub fn as_str(&self) -> &'static str {
        match self {
            FixLevel::Safe => "safe",
            FixLevel::Unsafe => "unsafe",
            FixLevel::Manual => "manual",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub language: String,
    pub before: String,
    pub after: String,
}

/// One row of a rule's SDK table: a method that reaches a deprecated feature.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdkMethod {
    pub sdk: String,
    pub versions: String,
    pub language: String,
    /// Dotted callee-path suffix (`client.loginWithResourceOwner`).
    pub call: String,
    #[serde(default)]
    pub new: bool,
    /// The row is a plain function (`createAuth0Client(...)`), not a method: it matches
    /// calls of that name without a receiver too.
    #[serde(default)]
    pub function: bool,
    /// Callee-path suffixes the row does not apply to (another SDK's method of the same
    /// name, e.g. react-native-auth0's `auth.refreshToken`).
    #[serde(default)]
    pub not_call: Vec<String>,
    /// The row applies only in files that construct one of these classes.
    #[serde(default)]
    pub file_new: Vec<String>,
    /// The row applies only when the method is called on an instance of one of these
    /// classes: chained on its construction (`Database(d).login(...)`) or on a name
    /// bound to it (`db = Database(d); db.login(...)`).
    #[serde(default)]
    pub receiver_new: Vec<String>,
    /// The row does not apply in a file that turns one of these settings on: a setter
    /// call `setX(true)` or an assignment `...isX = true` / `...x = true`
    /// (`OIDCConformant`: Auth0.Android 1.x picks its endpoint by it).
    #[serde(default)]
    pub unless_set: Vec<String>,
    /// The row applies only where the project's manifests pin the SDK below a version:
    /// `"<ecosystem> <package> <version>"` (`"maven com.auth0.android:auth0 2.0.0"`), for
    /// method names a later generation kept with another meaning.
    #[serde(default)]
    pub installed_below: Option<String>,
    #[serde(default)]
    pub with_keys: Vec<String>,
    #[serde(default)]
    pub without_keys: Vec<String>,
    #[serde(default)]
    pub with_labels: Vec<String>,
    /// Request parameters the SDK adds itself (`state`, `nonce`): the AZ rules do not
    /// ask for them in its options.
    #[serde(default)]
    pub generates: Vec<String>,
    pub token_key: Option<String>,
    pub token_arg: Option<usize>,
    /// The argument that holds the tenant's domain, when the options do not
    /// (`new Auth0Lock(clientID, domain, options)`: 1).
    pub domain_arg: Option<usize>,
    pub endpoint: String,
    pub replacement: String,
    pub source: String,
    pub fix: Option<SdkFix>,
}

/// A package of a deprecated generation (DL003, RO011): a dependency on it below
/// `below` (any version when absent) is reported.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Package {
    /// `npm`, `pypi`, `rubygems`, `packagist`, `cocoapods`, `swiftpm`, `carthage`,
    /// `maven`, `nuget`, `go`.
    pub ecosystem: String,
    pub name: String,
    /// The first version of the current generation.
    pub below: Option<String>,
    /// The SDK's name in messages (`auth0.js`).
    pub sdk: String,
    /// The generation to move to (`auth0.js v9`).
    pub target: String,
    /// What the upgrade changes, in one sentence.
    pub changes: String,
    /// The SDK's migration guide.
    pub guide: String,
    /// Reported only when the project calls one of the SDK's deprecated methods: the
    /// rules whose findings show it (node-auth0 `auth0` < 4).
    #[serde(default)]
    pub when_used: Vec<String>,
    pub source: String,
}

/// A script of a deprecated generation loaded from a CDN (DL003, RO011).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cdn {
    /// A regular expression matched against the script's URL; its first group, when
    /// present, is the version.
    pub url: String,
    pub sdk: String,
    pub target: String,
    pub changes: String,
    pub guide: String,
    pub source: String,
}

/// A mechanical rewrite of a matched SDK call.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdkFix {
    pub safety: Safety,
    pub rename: Option<String>,
    pub rename_receiver: Option<String>,
    #[serde(default)]
    pub rename_keys: BTreeMap<String, String>,
    #[serde(default)]
    pub remove_keys: Vec<String>,
}

/// How a path of the deprecated API reads in its replacement (RA001: `context.clientID` →
/// `event.client.client_id`). A row applies to every access that starts with its path;
/// the longest matching row wins.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// A dotted path; `[]` stands for a computed index, `*` for any one step.
    pub from: String,
    /// The expression that replaces the matched part.
    pub to: String,
    /// `O`: quoted from Auth0's migration page; `R`: derived from Auth0's references.
    pub source: String,
}

/// An assignment that becomes a call of the replacement API (RA001:
/// `context.idToken[k] = v` → `api.idToken.setCustomClaim(k, v)`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignmentMapping {
    /// The assigned path, matched whole (`[]` a computed index, `*` any one step); with
    /// `prefix`, also every path below it.
    pub target: String,
    #[serde(default)]
    pub prefix: bool,
    /// The call that replaces the assignment: `{key}` is the last step (a computed index
    /// as written, a name quoted) and `{value}` the assigned value.
    pub call: Option<String>,
    /// A rewrite the rule makes itself when a template is not enough: `keep` (the
    /// assignment stays, on the mapped path), `multifactor`, `redirect`, `scope`,
    /// `saml-mappings`.
    pub kind: Option<String>,
    pub source: String,
}

/// A construct that has no equivalent in the replacement: reported with Auth0's note, and
/// no fix is offered for the code that uses it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unsupported {
    /// How the construct is named in findings.
    pub construct: String,
    /// Paths whose use (read, call or write) is the construct, matched as prefixes.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Paths that may not be assigned (matched as prefixes).
    #[serde(default)]
    pub writes: Vec<String>,
    /// Paths that may not be deleted (matched as prefixes).
    #[serde(default)]
    pub deletes: Vec<String>,
    /// Properties that are the construct when read from a value taken from one of
    /// `paths`' first two steps (`identity.access_token` after
    /// `const identity = user.identities[0]`).
    #[serde(default)]
    pub properties: Vec<String>,
    /// Whole objects that are the construct when bound to a name whose reads use one of
    /// `keys` (`const geo = context.request.geoip; geo.country_code`).
    #[serde(default)]
    pub bound: Vec<String>,
    #[serde(default)]
    pub keys: Vec<String>,
    /// What Auth0 documents about it.
    pub note: String,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub code: String,
    pub name: String,
    pub family: String,
    pub severity: Severity,
    pub fix: FixLevel,
    pub summary: String,
    pub guide: String,
    pub guide_title: String,
    pub triggers: Vec<String>,
    pub why: String,
    pub replacement: String,
    pub fix_safety: String,
    #[serde(default)]
    pub references: Vec<String>,
    pub example: Example,
    #[serde(default)]
    pub sdk: Vec<SdkMethod>,
    /// Path mappings (RA001).
    #[serde(default)]
    pub mapping: Vec<Mapping>,
    /// Assignments that become calls (RA001).
    #[serde(default)]
    pub assignment: Vec<AssignmentMapping>,
    /// Constructs without an equivalent (RA001).
    #[serde(default)]
    pub unsupported: Vec<Unsupported>,
    /// Modules the runtime provides, which need no declared dependency (RA001).
    #[serde(default)]
    pub builtin_modules: Vec<String>,
    /// Packages of deprecated generations (DL003, RO011).
    #[serde(default)]
    pub package: Vec<Package>,
    /// CDN scripts of deprecated generations (DL003, RO011).
    #[serde(default)]
    pub cdn: Vec<Cdn>,
    /// The tenant-side steps the rule's findings imply, for the migration checklist.
    #[serde(default)]
    pub checklist: Vec<ChecklistStep>,
}

/// A step to take in the tenant (dashboard, Management API, deploy-cli or Terraform
/// configuration) once the code a rule finds is migrated.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistStep {
    /// Where the step goes among the tenant-side steps: lower first. Rules that imply the
    /// same step give it the same order and text, and it is listed once.
    pub order: u32,
    /// The step, in Markdown. `{clients}` stands for the clients the findings name
    /// (SC001/SC002: the client ids found beside the secrets), `{keys}` for the keys of the
    /// entries they are reported on (TF001: the flags).
    pub step: String,
}

impl Rule {
    /// Auth0's documentation page for the rule's guide.
    pub fn help_uri(&self) -> Option<&'static str> {
        Some(match self.guide.as_str() {
            "000" => "https://auth0.com/docs/get-started/applications/rotate-client-secret",
            "001" => "https://auth0.com/docs/secure/tokens/delegation-tokens",
            "002" => "https://auth0.com/docs/troubleshoot/product-lifecycle/past-migrations/link-user-accounts-with-access-tokens-migration",
            "003" => "https://auth0.com/docs/troubleshoot/product-lifecycle/past-migrations/migration-oauthro-oauthtoken",
            "004" => "https://auth0.com/docs/get-started/authentication-and-authorization-flow/hybrid-flow/call-api-hybrid-flow",
            _ => return None,
        })
    }
}

pub struct Catalogue {
    pub rules: Vec<Rule>,
}

impl Catalogue {
    /// The embedded catalogue. A rule file that does not parse is a build defect, caught
    /// by the test suite.
    pub fn get() -> &'static Catalogue {
        static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
        CATALOGUE.get_or_init(|| Catalogue::load().unwrap_or_else(|e| panic!("{e}")))
    }

    pub fn load() -> Result<Catalogue, String> {
        let mut rules = Vec::new();
        for (file, text) in RULE_FILES {
            let rule: Rule = toml::from_str(text).map_err(|e| format!("rules/{file}: {e}"))?;
            if format!("{}.toml", rule.code) != *file {
                return Err(format!("rules/{file}: code {} does not match the file name", rule.code));
            }
            rules.push(rule);
        }
        rules.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(Catalogue { rules })
    }

    pub fn rule(&self, code: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.code.eq_ignore_ascii_case(code))
    }

    /// Rule codes selected by a code (`RO001`), a family (`RO`) or `ALL`.
    pub fn matching(&self, selector: &str) -> Vec<&str> {
        let selector = selector.trim().to_ascii_uppercase();
        self.rules
            .iter()
            .filter(|r| selector == "ALL" || r.code == selector || r.family == selector)
            .map(|r| r.code.as_str())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_file_loads_and_is_complete() {
        let catalogue = Catalogue::load().expect("catalogue loads");
        assert!(!catalogue.rules.is_empty());
        for rule in &catalogue.rules {
            assert!(rule.code.starts_with(&rule.family), "{}", rule.code);
            assert!(!rule.triggers.is_empty(), "{} has no trigger", rule.code);
            assert!(!rule.summary.ends_with('.'), "{} summary ends with a period", rule.code);
            for row in &rule.sdk {
                assert!(!row.call.is_empty(), "{}: empty call", rule.code);
            }
            for row in &rule.package {
                assert!(
                    crate::model::Ecosystem::from_name(&row.ecosystem).is_some(),
                    "{}: {}",
                    rule.code,
                    row.ecosystem
                );
                assert!(row.below.as_deref().is_none_or(|v| crate::model::version::Version::parse(v).is_some()));
            }
            for row in &rule.cdn {
                assert!(regex::Regex::new(&row.url).is_ok(), "{}: {}", rule.code, row.url);
            }
            for row in &rule.mapping {
                assert!(matches!(row.source.as_str(), "O" | "R"), "{}: mapping {} source", rule.code, row.from);
            }
            for row in &rule.assignment {
                assert!(
                    row.call.is_some() != row.kind.is_some(),
                    "{}: {} needs a call or a kind",
                    rule.code,
                    row.target
                );
            }
            for step in &rule.checklist {
                assert!(step.step.trim().ends_with('.'), "{}: a checklist step is a sentence", rule.code);
                // Rules that imply the same step say it the same way, so it is listed once.
                for other in catalogue.rules.iter().flat_map(|r| &r.checklist) {
                    assert!(
                        other.order != step.order || other.step == step.step,
                        "{}: two checklist steps share order {}",
                        rule.code,
                        step.order
                    );
                }
            }
            for row in &rule.unsupported {
                assert!(
                    !(row.paths.is_empty() && row.writes.is_empty() && row.deletes.is_empty() && row.bound.is_empty()),
                    "{}: {} matches nothing",
                    rule.code,
                    row.construct
                );
            }
        }
    }
}
