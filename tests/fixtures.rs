//! Runs every fixture in `fixtures/<RULE>/`:
//!
//! - `<case>.<ext>` must produce at least one finding of `<RULE>`;
//!   `ok_<case>.<ext>` must produce none (already-migrated code, look-alikes);
//! - the findings of every fixture are a reviewed insta snapshot (line, column, code,
//!   fix safety, message);
//! - `fix --unsafe-fixes` must turn `<case>.<ext>` into exactly `<case>.fixed.<ext>`, or
//!   leave it unchanged when there is no such file;
//! - fixing the fixed file changes nothing, the fixes converge, none is rolled back, and
//!   the fixed file has no more syntax errors than the original.
//!
//! Files recognised by their name rather than their extension (dependency manifests:
//! `package.json`, `Gemfile`, `requirements.txt`, ...) sit in a directory per case,
//! `fixtures/<RULE>/<case>/<file>`, and are checked under their path, as a run sees them;
//! the directory's name is the case's (`ok_<case>` for a negative one).

use std::path::Path;

use auth0_migrate::fix::fix_text;
use auth0_migrate::lang::Language;
use auth0_migrate::lint::{Linter, DEFAULT_MAX_FILE_SIZE};
use auth0_migrate::source::LineIndex;

fn linter() -> Linter {
    let catalogue = auth0_migrate::catalogue::Catalogue::get();
    Linter::new(Linter::all_rules(catalogue), DEFAULT_MAX_FILE_SIZE)
}

/// `<case>.fixed.<ext>` beside `<case>.<ext>` (`<name>.fixed` for a file without an
/// extension).
fn fixed_path(path: &Path) -> std::path::PathBuf {
    let stem = path.file_stem().unwrap().to_string_lossy();
    match path.extension() {
        Some(ext) => path.with_file_name(format!("{stem}.fixed.{}", ext.to_string_lossy())),
        None => path.with_file_name(format!("{stem}.fixed")),
    }
}

fn is_fixture(path: &Path) -> bool {
    let name = path.file_name().unwrap().to_string_lossy();
    !name.contains(".fixed.") && path.is_file() && language_of(path).is_some()
}

/// A file's language as a run detects it: by its name, then its extension.
fn language_of(path: &Path) -> Option<Language> {
    let head = std::fs::read(path).ok()?;
    Language::detect(path, &head[..head.len().min(128)])
}

/// For a fixture in a case directory (`fixtures/<RULE>/<case>/<file>`): the case's name.
fn case_dir(path: &Path) -> Option<String> {
    let rule_dir = path.parent()?.parent()?;
    (rule_dir.parent()?.file_name()? == "fixtures")
        .then(|| path.parent().unwrap().file_name().unwrap().to_string_lossy().to_string())
}

#[test]
fn fixtures() {
    let linter = linter();
    let mut count = 0;
    let mut failures: Vec<String> = Vec::new();
    let mut positive_cases: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    insta::glob!("../fixtures", "**/*", |path| {
        if !is_fixture(path) {
            return;
        }
        count += 1;
        let case = case_dir(path);
        let rule_dir = if case.is_some() { path.parent().unwrap().parent().unwrap() } else { path.parent().unwrap() };
        let rule = rule_dir.file_name().unwrap().to_string_lossy().to_string();
        let name = case.clone().unwrap_or_else(|| path.file_name().unwrap().to_string_lossy().to_string());
        // A case directory's file is checked under its path (its name says what it is).
        let checked_path = case.is_some().then_some(path);
        let language = language_of(path).unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        let mut fail = |message: String| {
            let failure = format!("FIXTURE {rule}/{name}: {message}");
            eprintln!("{failure}\n");
            failures.push(failure);
        };

        // A case directory is a project: its manifests are the project's facts.
        let case_linter = case.as_ref().map(|_| {
            let mut with_project = self::linter();
            let dir = path.parent().unwrap();
            with_project.project = Some(auth0_migrate::project::Project::discover([path], dir));
            with_project
        });
        let linter = case_linter.as_ref().unwrap_or(&linter);
        let findings = linter.check(checked_path, language, &text).unwrap().map(|c| c.findings).unwrap_or_default();
        let index = LineIndex::new(&text);
        let lines: Vec<String> = findings
            .iter()
            .map(|f| {
                let start = index.position(&text, f.span.start);
                let end = index.position(&text, f.span.end);
                let fix = f.fix.as_ref().map_or("manual", |fix| fix.safety.as_str());
                format!(
                    "{}:{}-{}:{} {} {} [{fix}] {}",
                    start.line,
                    start.column,
                    end.line,
                    end.column,
                    f.code,
                    f.severity.as_str(),
                    f.message
                )
            })
            .collect();
        let of_rule = findings.iter().filter(|f| f.code == rule).count();
        if name.starts_with("ok_") && of_rule > 0 {
            fail(format!("a negative fixture has {rule} findings:\n  {}", lines.join("\n  ")));
        } else if case.is_some() {
            // A positive case directory needs the finding in one of its files (the code,
            // not the manifest beside it): counted here, checked after the last fixture.
            *positive_cases.entry(format!("{rule}/{name}")).or_insert(0) += of_rule;
        } else if !name.starts_with("ok_") && of_rule == 0 {
            fail(format!("a positive fixture has no {rule} finding:\n  {}", lines.join("\n  ")));
        }
        insta::assert_snapshot!(lines.join("\n"));

        let outcome = fix_text(linter, checked_path, language, &text, true).unwrap();
        if !outcome.converged {
            fail("fixes did not converge".to_string());
        }
        if !outcome.rolled_back.is_empty() {
            fail(format!("fixes rolled back: {:?}", outcome.rolled_back));
        }
        let expected_path = fixed_path(path);
        match std::fs::read_to_string(&expected_path) {
            Ok(expected) => {
                if outcome.text != expected {
                    let diff = similar::TextDiff::from_lines(expected.as_str(), outcome.text.as_str());
                    fail(format!(
                        "`fix --unsafe-fixes` output differs from the .fixed file (- expected, + actual):\n{}",
                        diff.unified_diff().context_radius(1)
                    ));
                }
                let again = fix_text(linter, checked_path, language, &expected, true).unwrap();
                if again.text != expected {
                    fail("fixing the .fixed file changes it again".to_string());
                }
                let before = language.syntax_errors(&text).unwrap();
                let after = language.syntax_errors(&expected).unwrap();
                if after > before {
                    fail(format!("the .fixed file has {after} syntax errors, the original {before}"));
                }
            }
            Err(_) if outcome.text != text => fail("`fix` changed a fixture that has no .fixed file".to_string()),
            Err(_) => {}
        }
    });
    for (case, found) in &positive_cases {
        if *found == 0 && !case.rsplit('/').next().unwrap_or("").starts_with("ok_") {
            failures.push(format!("FIXTURE {case}: a positive case directory has no finding of its rule"));
        }
    }
    assert!(count > 0, "no fixtures found");
    assert!(failures.is_empty(), "{} fixture failure(s):\n\n{}", failures.len(), failures.join("\n\n"));
}

/// Every rule in the catalogue has at least one positive and one negative fixture.
#[test]
fn every_rule_has_fixtures() {
    let catalogue = auth0_migrate::catalogue::Catalogue::get();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for rule in &catalogue.rules {
        let dir = root.join(&rule.code);
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("{} has no fixtures directory", rule.code))
            .map(|e| e.unwrap().path())
            .filter(|p| {
                is_fixture(p)
                    || (p.is_dir() && std::fs::read_dir(p).is_ok_and(|mut d| d.any(|e| is_fixture(&e.unwrap().path()))))
            })
            .map(|p| p.file_name().unwrap().to_string_lossy().to_string())
            .collect();
        assert!(names.iter().any(|n| !n.starts_with("ok_")), "{} has no positive fixture", rule.code);
        assert!(names.iter().any(|n| n.starts_with("ok_")), "{} has no negative fixture", rule.code);
    }
}

/// Guide 002's auth0.js linking sample: its old code, fixed with LK002 and LK004 alone,
/// becomes its new code (audience, scope, `responseType: 'token id_token'`, the access
/// token for `auth0.Management`). One documented difference: the scope keeps the `openid`
/// it asked for, which brings the ID token of `token id_token` back.
#[test]
fn guide_002_linking_sample_is_migrated_by_lk002_and_lk004() {
    const OLD: &str = "// get an ID Token
var webAuth = new auth0.WebAuth({
  clientID: '{yourClientId}',
  domain: '{yourDomain}',
  redirectUri: 'https://{yourApp}/callback',
  scope: 'openid',
  responseType: 'id_token'
});
// create a new instance
var auth0Manage = new auth0.Management({
  domain: '{yourDomain}',
  token: '{yourIdToken}'
});
";
    const NEW: &str = "// get an Access Token
var webAuth = new auth0.WebAuth({
  clientID: '{yourClientId}',
  domain: '{yourDomain}',
  redirectUri: 'https://{yourApp}/callback',
  audience: 'https://{yourDomain}/api/v2/',
  scope: 'update:current_user_identities',
  responseType: 'token id_token'
});
// create a new instance
var auth0Manage = new auth0.Management({
  domain: '{yourDomain}',
  token: '{yourMgmtApiAccessToken}'
});
";
    let fixture =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/LK004/guide_002_linking.js"))
            .unwrap();
    assert_eq!(fixture, OLD, "the fixture is guide 002's old sample");
    let linter = Linter::new(["LK002", "LK004"].into_iter().collect(), DEFAULT_MAX_FILE_SIZE);
    let outcome = fix_text(&linter, None, Language::JavaScript, OLD, true).unwrap();
    let expected = NEW
        .replace("// get an Access Token", "// get an ID Token")
        .replace("scope: 'update:current_user_identities'", "scope: 'openid update:current_user_identities'");
    assert_eq!(outcome.text, expected);
    assert_eq!(outcome.applied_codes.len(), 2, "{:?}", outcome.applied_codes);
    assert!(outcome.applied_codes.iter().any(|c| c == "LK002") && outcome.applied_codes.iter().any(|c| c == "LK004"));
}
