//! CI and pre-commit workflows: output formats checked by the tools that read them, the
//! configuration file, baselines, standard input, shards.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

mod common;
use common::*;

const LEGACY: &str = "const axios = require('axios');\n\
exports.login = (username, password) =>\n  \
axios.post('https://' + process.env.AUTH0_DOMAIN + '/oauth/ro', {\n    \
username,\n    \
password,\n    \
connection: 'Username-Password-Authentication',\n    \
grant_type: 'password',\n  \
});\n";

const SPA: &str = "var auth0 = new Auth0({ domain: AUTH0_DOMAIN, clientID: CLIENT_ID });\n\
auth0.getDelegationToken({ id_token: localStorage.getItem('id_token'), api: 'firebase' }, done);\n\
fetch('https://' + AUTH0_DOMAIN + '/api/v2/users/' + id, { headers: { Authorization: 'Bearer ' + localStorage.getItem('id_token') } });\n";

fn codes(json: &str) -> Vec<String> {
    let findings: serde_json::Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    findings.as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_string()).collect()
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let dir = project(&[("src/auth.js", LEGACY), ("src/spa app.js", SPA)]);
    let output = run(dir.path(), &["check", "src", "--output-format", "sarif"]);
    assert_eq!(output.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("SARIF is JSON");
    let mut schema: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-2.1.0-rtm.5.json"))
            .unwrap(),
    )
    .unwrap();
    // rtm.5's `language` patterns (of `run` and `toolComponent`) have a stray `]`
    // (`...[a-zA-Z]{2}]?$`) that the meta-schema's `format: regex` rejects; correct them
    // to the intended optional region subtag. They constrain a property this tool never
    // writes.
    let fixed = correct_patterns(&mut schema);
    assert_eq!(fixed, 2, "the schema's known defect");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF output is invalid:\n{}", errors.join("\n"));
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"RO001") && ids.contains(&"LK001"), "{ids:?}");
    assert!(rules.iter().find(|r| r["id"] == "RO001").unwrap()["helpUri"]
        .as_str()
        .unwrap()
        .starts_with("https://auth0.com/docs/"));
    let results = run["results"].as_array().unwrap();
    let ro = results.iter().find(|r| r["ruleId"] == "RO001").expect("an RO001 result");
    assert_eq!(ro["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "src/auth.js");
    assert_eq!(ro["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"], "token");
    let spa = results.iter().find(|r| r["ruleId"] == "DL002").expect("a DL002 result");
    assert_eq!(spa["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "src/spa%20app.js");
    assert!(spa["partialFingerprints"]["auth0Migrate/v1"].is_string());
}

fn correct_patterns(value: &mut serde_json::Value) -> usize {
    match value {
        serde_json::Value::Object(map) => {
            let mut count = 0;
            for (key, child) in map.iter_mut() {
                if key == "pattern" && child == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" {
                    *child = serde_json::json!("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
                    count += 1;
                } else {
                    count += correct_patterns(child);
                }
            }
            count
        }
        serde_json::Value::Array(items) => items.iter_mut().map(correct_patterns).sum(),
        _ => 0,
    }
}

#[test]
fn github_annotations_follow_the_workflow_command_syntax() {
    let dir = project(&[("auth.js", LEGACY)]);
    // Under GitHub Actions, annotations are the default.
    let output = run_in(dir.path(), &["check", "."], &[("GITHUB_ACTIONS", "true")]);
    let out = stdout(&output);
    let pattern = regex::Regex::new(r"^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[A-Z]{2}\d{3} [a-z0-9-]+::.+$").unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    for line in lines {
        assert!(pattern.is_match(line), "{line}");
        assert!(!line.contains('\n'));
    }
    assert!(out.contains("file=./auth.js,line=3,col=55"), "{out}");
}

#[test]
fn junit_parses_with_a_standard_xml_parser() {
    let dir = project(&[("a.js", LEGACY), ("b.js", SPA)]);
    let output = run(dir.path(), &["check", ".", "--output-format", "junit", "--output-file", "report.xml"]);
    assert_eq!(output.status.code(), Some(1));
    let check = Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, xml.etree.ElementTree as ET\n\
             root = ET.parse(sys.argv[1]).getroot()\n\
             cases = root.findall('.//testcase')\n\
             failures = root.findall('.//failure')\n\
             print(root.tag, len(cases), len(failures), sorted({f.get('type') for f in failures}))",
        )
        .arg(dir.path().join("report.xml"))
        .output()
        .expect("python3 runs");
    let out = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    assert!(out.starts_with("testsuites 4 4 ['DL002', 'LK001', 'RO001', 'RO002']"), "{out}");
}

#[test]
fn gitlab_code_quality_has_the_required_fields_and_stable_fingerprints() {
    let dir = project(&[("a.js", LEGACY)]);
    let first = stdout(&run(dir.path(), &["check", ".", "--output-format", "gitlab"]));
    let issues: serde_json::Value = serde_json::from_str(&first).unwrap();
    for issue in issues.as_array().unwrap() {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(issue[key].is_string(), "{key} in {issue}");
        }
        assert_eq!(issue["location"]["path"], "a.js");
        assert!(issue["location"]["lines"]["begin"].is_u64());
        assert!(["info", "minor", "major", "critical", "blocker"].contains(&issue["severity"].as_str().unwrap()));
    }
    // Lines added above the findings do not change their fingerprints.
    fs::write(dir.path().join("a.js"), format!("// header\n\n{LEGACY}")).unwrap();
    let second: serde_json::Value =
        serde_json::from_str(&stdout(&run(dir.path(), &["check", ".", "--output-format", "gitlab"]))).unwrap();
    let prints = |v: &serde_json::Value| {
        v.as_array().unwrap().iter().map(|i| i["fingerprint"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    assert_eq!(prints(&issues), prints(&second));
}

#[test]
fn concise_and_json_lines_have_one_finding_per_line() {
    let dir = project(&[("a.js", LEGACY)]);
    let concise = stdout(&run(dir.path(), &["check", ".", "--output-format", "concise", "--quiet"]));
    assert_eq!(concise.lines().count(), 2, "{concise}");
    assert!(concise.lines().next().unwrap().starts_with("./a.js:3:55: RO001 [*] "), "{concise}");
    let lines = stdout(&run(dir.path(), &["check", ".", "--output-format", "json-lines"]));
    for line in lines.lines() {
        let finding: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(finding["code"].is_string());
    }
    assert_eq!(lines.lines().count(), 2);
}

#[test]
fn a_baseline_reports_only_new_findings() {
    let dir = project(&[("src/auth.js", LEGACY), ("src/spa.js", SPA)]);
    let write = run(dir.path(), &["check", ".", "--write-baseline", "baseline.json"]);
    assert_eq!(write.status.code(), Some(0), "{}", stderr(&write));
    assert!(stderr(&write).contains("Wrote 4 findings"), "{}", stderr(&write));

    // Unrelated edits that shift every line, and one new deprecated call.
    fs::write(dir.path().join("src/auth.js"), format!("'use strict';\n// Authentication helpers.\n\n{LEGACY}\nconst RENEW = 'https://' + AUTH0_DOMAIN + '/delegation';\n")).unwrap();
    fs::write(dir.path().join("src/spa.js"), format!("\n\n{SPA}")).unwrap();
    let output = run(dir.path(), &["check", ".", "--baseline", "baseline.json", "--output-format", "json"]);
    assert_eq!(codes(&stdout(&output)), ["DL001"], "{}", stdout(&output));
    assert!(stderr(&output).contains("0 findings from the baseline are gone"), "{}", stderr(&output));
    assert_eq!(output.status.code(), Some(1));

    // A fixed finding swapped for a new one of the same rule in the same file shows.
    fs::write(
        dir.path().join("src/spa.js"),
        SPA.replace("localStorage.getItem('id_token') } }", "session.idToken } }"),
    )
    .unwrap();
    let output = run(dir.path(), &["check", "src/spa.js", "--baseline", "baseline.json", "--output-format", "json"]);
    assert_eq!(codes(&stdout(&output)), ["LK001"], "{}", stdout(&output));
    assert!(
        stderr(&output).contains("1 finding from the baseline is gone")
            || stderr(&output).contains("findings from the baseline are gone"),
        "{}",
        stderr(&output)
    );

    // Everything fixed: exit 0, and the baseline's findings are gone.
    fs::write(dir.path().join("src/spa.js"), "// migrated\n").unwrap();
    fs::write(dir.path().join("src/auth.js"), "// migrated\n").unwrap();
    let output = run(dir.path(), &["check", ".", "--baseline", "baseline.json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("4 findings from the baseline are gone"), "{}", stdout(&output));
}

#[test]
fn configuration_is_found_upward_and_bad_keys_are_errors() {
    let dir = project(&[
        ("auth0-migrate.toml", "ignore = [\"DL\"]\nextend-exclude = [\"generated/**\"]\n[per-file-ignores]\n\"**/test/**\" = [\"RO\"]\n[severity]\nLK001 = \"info\"\n"),
        ("app/src/spa.js", SPA),
        ("app/test/login.test.js", LEGACY),
        ("generated/client.js", LEGACY),
    ]);
    let output = run(&dir.path().join("app"), &["check", "src", "test", "--output-format", "json"]);
    let findings: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let seen: Vec<(String, String)> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["code"].as_str().unwrap().to_string(), f["severity"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(seen, [("LK001".to_string(), "info".to_string())], "{}", stdout(&output));
    let all = run(dir.path(), &["check", ".", "--output-format", "json", "--isolated"]);
    assert!(codes(&stdout(&all)).contains(&"DL002".to_string()));
    let excluded = run(dir.path(), &["check", ".", "--output-format", "json"]);
    assert!(!stdout(&excluded).contains("generated"), "{}", stdout(&excluded));

    fs::write(dir.path().join("auth0-migrate.toml"), "selct = [\"RO\"]\n").unwrap();
    let output = run(&dir.path().join("app"), &["check", "src"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("auth0-migrate.toml") && stderr(&output).contains("selct"), "{}", stderr(&output));
    fs::write(dir.path().join("other.toml"), "[per-file-ignores]\n\"x/**\" = [\"RO999\"]\n").unwrap();
    let output = run(dir.path(), &["check", ".", "--config", "other.toml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("other.toml") && stderr(&output).contains("RO999"), "{}", stderr(&output));
}

#[test]
fn stdin_is_checked_and_fixed_under_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let feed = |args: &[&str]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_auth0-migrate"))
            .args(args)
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(LEGACY.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let checked = feed(&["check", "--stdin-filename", "src/auth.js", "--output-format", "json"]);
    assert_eq!(checked.status.code(), Some(1));
    let findings: serde_json::Value = serde_json::from_str(&stdout(&checked)).unwrap();
    assert_eq!(findings[0]["path"], "src/auth.js");
    let fixed = feed(&["fix", "--stdin-filename", "src/auth.js"]);
    assert_eq!(fixed.status.code(), Some(0), "{}", stderr(&fixed));
    assert!(
        stdout(&fixed).contains("/oauth/token") && stdout(&fixed).contains("realm: 'Username-Password-Authentication'"),
        "{}",
        stdout(&fixed)
    );
}

#[test]
fn shards_split_the_files_deterministically() {
    let files: Vec<(String, String)> = (0..12).map(|i| (format!("src/f{i}.js"), LEGACY.to_string())).collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let dir = project(&refs);
    let mut seen = Vec::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let first = stdout(&run(dir.path(), &["check", ".", "--shard", &shard, "--output-format", "concise", "-q"]));
        let again = stdout(&run(dir.path(), &["check", ".", "--shard", &shard, "--output-format", "concise", "-q"]));
        assert_eq!(first, again);
        seen.extend(first.lines().filter(|l| l.contains("RO001")).map(|l| l.split(':').next().unwrap().to_string()));
    }
    seen.sort();
    assert_eq!(seen.len(), 12, "every file in exactly one shard: {seen:?}");
    seen.dedup();
    assert_eq!(seen.len(), 12);
    assert_eq!(run(dir.path(), &["check", ".", "--shard", "4/3"]).status.code(), Some(2));
}

#[test]
fn statistics_count_findings_per_rule() {
    let dir = project(&[("a.js", LEGACY), ("b.js", LEGACY)]);
    let out = stdout(&run(dir.path(), &["check", ".", "--statistics", "--quiet"]));
    assert!(out.contains("     2  RO001  oauth-ro-endpoint (2 fixable)"), "{out}");
    assert!(out.contains("     2  RO002  ro-password-grant (2 fixable)"), "{out}");
}

#[test]
fn show_fixes_lists_what_fix_applied() {
    let dir = project(&[("a.js", LEGACY)]);
    let out = stdout(&run(dir.path(), &["fix", ".", "--show-fixes"]));
    assert!(out.contains("./a.js: RO001 ×1, RO002 ×1"), "{out}");
}

/// The "Tenant-side steps" of a checklist, without their numbers and boxes.
fn checklist_steps(markdown: &str) -> Vec<String> {
    let section = markdown.split("## Tenant-side steps").nth(1).expect("a tenant-side section");
    section.lines().filter_map(|line| line.split_once(". [ ] ").map(|(_, step)| step.to_string())).collect()
}

#[test]
fn checklist_of_the_examples_lists_findings_then_tenant_steps_in_order() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = run(root, &["check", "examples", "--output-format", "checklist", "--quiet"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let markdown = stdout(&output);
    assert!(markdown.starts_with("# Auth0 migration checklist\n"), "{markdown}");
    let code_section = markdown.split("## Tenant-side steps").next().unwrap();
    assert!(code_section.contains("### RO001 oauth-ro-endpoint: Request to the deprecated /oauth/ro endpoint"));
    assert!(code_section.contains("`examples/legacy-api/auth.js`\n\n- [ ] line 8:34: `/oauth/ro` is deprecated"));
    assert!(code_section.contains("### DL002 sdk-delegation"));
    assert_eq!(
        checklist_steps(&markdown),
        [
            "After no code calls /oauth/ro (every RO finding fixed and deployed, and the tenant logs show no more /oauth/ro calls), turn off Tenant Settings > Advanced > Migrations > Legacy /oauth/ro Endpoint (`allow_legacy_ro_grant_types=false`), and remove the `http://auth0.com/oauth/legacy/grant-type/ro` grant types from the clients.",
            "After no code calls /delegation (every DL001/DL002 finding migrated and deployed), turn off the legacy delegation endpoint (`allow_legacy_delegation_grant_types=false`) and remove the `http://auth0.com/oauth/legacy/grant-type/delegation/*` grant types from the clients.",
            "After no code sends an ID token to the Management API (every LK001/LK002 finding migrated and deployed), turn off Tenant Settings > Advanced > Allow ID Tokens for Management API v2 Authentication (`enable_idtoken_api2=false`).",
        ]
    );
}

/// The README's first screen says how many findings `check examples/` gives: it must stay
/// true, and fixing a copy of the examples twice changes nothing the second time.
#[test]
fn the_readme_tells_the_truth_about_the_examples() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let said: usize = readme
        .split("`check` reports ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("the README says how many findings `check` reports on examples/");
    let output = run(root, &["check", "examples", "--output-format", "json"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let findings: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(findings.as_array().unwrap().len(), said, "{}", stdout(&output));

    let copy = tempfile::tempdir().unwrap();
    for entry in walk(&root.join("examples")) {
        let to = copy.path().join(entry.strip_prefix(root).unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&entry, &to).unwrap();
    }
    run(copy.path(), &["fix", "--unsafe-fixes", "examples"]);
    let again = run(copy.path(), &["fix", "--unsafe-fixes", "--diff", "examples"]);
    assert_eq!(stdout(&again), "", "a second fix changes the examples again");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn checklist_names_the_client_of_an_exposed_secret_never_the_secret() {
    let secret = "yyJEw8Vq0p3LrT5nXc2mQ9aB7dK1fG4hZ6sW0eR8tY2uI5oP3lKj";
    let server = format!(
        "const {{ AuthenticationClient }} = require('auth0');\n\
         const auth = new AuthenticationClient({{\n  domain: 'example.auth0.com',\n  clientId: 'AbCdEf0123456789',\n  clientSecret: '{secret}',\n}});\n\
         module.exports = auth;\n"
    );
    let tenant = "tenant:\n  flags:\n    allow_legacy_ro_grant_types: true\nclients:\n  - name: SPA\n    app_type: spa\n    jwt_configuration:\n      alg: HS256\n";
    let terraform =
        "resource \"auth0_client\" \"legacy\" {\n  name            = \"Legacy\"\n  oidc_conformant = false\n}\n";
    let dir = project(&[("server.js", &server), ("tenant.yaml", tenant), ("infra/clients.tf", terraform)]);
    let output = run(dir.path(), &["check", ".", "--output-format", "checklist", "--quiet"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let markdown = stdout(&output);
    assert!(!markdown.contains(&secret[4..]), "the secret is printed:\n{markdown}");
    assert!(markdown.contains("### TF001 legacy-tenant-flag") && markdown.contains("`tenant.yaml`"), "{markdown}");
    assert!(markdown.contains("infra/clients.tf`"), "{markdown}");
    let steps = checklist_steps(&markdown);
    assert_eq!(steps.len(), 4, "{steps:#?}");
    assert!(
        steps[0].starts_with(
            "Rotate the exposed client secret of client `AbCdEf0123456789`: `POST /api/v2/clients/{id}/rotate-secret`"
        ),
        "{}",
        steps[0]
    );
    assert!(steps[1].starts_with("Switch every public client (SPA, native) to RS256"), "{}", steps[1]);
    assert!(steps[2].starts_with("Turn on OIDC Conformant"), "{}", steps[2]);
    assert!(
        steps[3].starts_with("Make the tenant configuration itself say `false` for `allow_legacy_ro_grant_types` ("),
        "{}",
        steps[3]
    );
}

#[test]
fn checklist_of_a_clean_project_says_so() {
    let dir = project(&[("app.js", "fetch('https://example.auth0.com/oauth/token');\n")]);
    let output = run(dir.path(), &["check", ".", "--output-format", "checklist", "--quiet"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "# Auth0 migration checklist\n\nNo deprecated Auth0 usage found: nothing to migrate.\n"
    );
}
