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
    #[serde(default)]
    pub with_keys: Vec<String>,
    #[serde(default)]
    pub without_keys: Vec<String>,
    #[serde(default)]
    pub with_labels: Vec<String>,
    pub token_key: Option<String>,
    pub token_arg: Option<usize>,
    pub endpoint: String,
    pub replacement: String,
    pub source: String,
    pub fix: Option<SdkFix>,
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
        }
    }
}
