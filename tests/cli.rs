//! The command line, run as a user runs it, on temporary directories.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

mod common;
use common::*;

const LEGACY: &str = "const axios = require('axios');\n\
exports.login = (username, password) =>\n  \
axios.post('https://' + process.env.AUTH0_DOMAIN + '/oauth/ro', {\n    \
client_id: process.env.AUTH0_CLIENT_ID,\n    \
username,\n    \
password,\n    \
connection: 'Username-Password-Authentication',\n    \
grant_type: 'password',\n    \
device: 'cli'\n  \
});\n";

const MIGRATED: &str = "const axios = require('axios');\n\
exports.login = (username, password) =>\n  \
axios.post('https://' + process.env.AUTH0_DOMAIN + '/oauth/token', {\n    \
client_id: process.env.AUTH0_CLIENT_ID,\n    \
username,\n    \
password,\n    \
realm: 'Username-Password-Authentication',\n    \
grant_type: 'http://auth0.com/oauth/grant-type/password-realm'\n  \
});\n";

#[test]
fn exit_codes_say_clean_findings_or_error() {
    let clean = project(&[("a.js", "fetch('/oauth/token', {method: 'POST'});\n")]);
    assert_eq!(code(&run(clean.path(), &["check", "."])), 0);
    let legacy = project(&[("a.js", LEGACY)]);
    assert_eq!(code(&run(legacy.path(), &["check", "."])), 1);
    assert_eq!(code(&run(legacy.path(), &["check", ".", "--exit-zero"])), 0);
    let missing = run(legacy.path(), &["check", "does-not-exist"]);
    assert_eq!(code(&missing), 2);
    assert!(stderr(&missing).contains("does-not-exist"), "{}", stderr(&missing));
    let bad_select = run(legacy.path(), &["check", ".", "--select", "XX999"]);
    assert_eq!(code(&bad_select), 2);
    assert!(stderr(&bad_select).contains("XX999"));
    assert_eq!(code(&run(legacy.path(), &["check", "--bogus-flag"])), 2);
}

#[test]
fn select_and_ignore_take_codes_and_families() {
    let legacy = project(&[("a.js", LEGACY)]);
    let only_device = run(legacy.path(), &["check", ".", "--select", "RO003", "--output-format", "json"]);
    let findings: serde_json::Value = serde_json::from_str(&stdout(&only_device)).unwrap();
    let codes: Vec<&str> = findings.as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["RO003"]);
    assert_eq!(code(&run(legacy.path(), &["check", ".", "--ignore", "RO"])), 0);
}

#[test]
fn json_output_follows_the_contract() {
    // Non-ASCII text before the finding: columns count characters, not bytes.
    let dir = project(&[("src/é.js", "const ü = 'ä'; fetch(`https://${d}/oauth/ro`);\n")]);
    let output = run(dir.path(), &["check", "src", "--output-format", "json"]);
    assert_eq!(code(&output), 1);
    let findings: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("stdout is one JSON document");
    let finding = &findings.as_array().unwrap()[0];
    assert_eq!(finding["code"], "RO001");
    assert_eq!(finding["name"], "oauth-ro-endpoint");
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["path"], Path::new("src").join("é.js").display().to_string());
    assert_eq!(finding["start"], serde_json::json!({"line": 1, "column": 35}));
    assert_eq!(finding["end"], serde_json::json!({"line": 1, "column": 44}));
    assert!(finding["message"].as_str().unwrap().contains("/oauth/ro"));
    assert!(!finding["help"].as_str().unwrap().is_empty());
    let fix = &finding["fix"];
    assert_eq!(fix["safety"], "unsafe");
    let edit = &fix["edits"][0];
    assert_eq!(edit["content"], "token");
    assert_eq!(edit["start"], serde_json::json!({"line": 1, "column": 42}));
    let keys: Vec<&String> = finding.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["code", "end", "fix", "help", "message", "name", "path", "severity", "start"]);
}

#[test]
fn diff_writes_nothing_and_fix_writes_the_replacement() {
    let dir = project(&[("auth.js", LEGACY)]);
    let diff = run(dir.path(), &["fix", "--diff", "."]);
    assert_eq!(code(&diff), 1, "pending changes");
    assert!(
        stdout(&diff).contains("+  axios.post('https://' + process.env.AUTH0_DOMAIN + '/oauth/token', {"),
        "{}",
        stdout(&diff)
    );
    assert_eq!(fs::read_to_string(dir.path().join("auth.js")).unwrap(), LEGACY);

    let fix = run(dir.path(), &["fix", "."]);
    assert_eq!(code(&fix), 0, "{}{}", stdout(&fix), stderr(&fix));
    assert_eq!(fs::read_to_string(dir.path().join("auth.js")).unwrap(), MIGRATED);
    assert!(stdout(&fix).contains("Fixed 3 findings in 1 file"), "{}", stdout(&fix));

    // A second run has nothing to do.
    let again = run(dir.path(), &["fix", "."]);
    assert_eq!(code(&again), 0);
    assert_eq!(fs::read_to_string(dir.path().join("auth.js")).unwrap(), MIGRATED);
}

#[test]
fn unsafe_fixes_need_the_flag() {
    let source = "const RO = '/oauth/ro';\nmodule.exports = RO;\n";
    let dir = project(&[("a.js", source)]);
    assert_eq!(code(&run(dir.path(), &["fix", "."])), 1);
    assert_eq!(fs::read_to_string(dir.path().join("a.js")).unwrap(), source);
    run(dir.path(), &["fix", ".", "--unsafe-fixes"]);
    assert_eq!(
        fs::read_to_string(dir.path().join("a.js")).unwrap(),
        "const RO = '/oauth/token';\nmodule.exports = RO;\n"
    );
}

#[cfg(unix)]
#[test]
fn fix_keeps_permissions_line_endings_and_bom() {
    use std::os::unix::fs::PermissionsExt;
    let crlf = format!("\u{feff}{}", LEGACY.replace('\n', "\r\n"));
    let dir = project(&[("a.js", &crlf)]);
    let path = dir.path().join("a.js");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o750)).unwrap();
    assert_eq!(code(&run(dir.path(), &["fix", "."])), 0);
    let fixed = fs::read_to_string(&path).unwrap();
    assert_eq!(fixed, format!("\u{feff}{}", MIGRATED.replace('\n', "\r\n")));
    assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o750);
}

#[cfg(unix)]
#[test]
fn read_only_files_are_reported_not_written() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project(&[("a.js", LEGACY)]);
    let path = dir.path().join("a.js");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let output = run(dir.path(), &["fix", "."]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("a.js") && stderr(&output).contains("read-only"), "{}", stderr(&output));
    assert_eq!(fs::read_to_string(&path).unwrap(), LEGACY);
}

#[test]
fn a_file_changed_on_disk_is_not_overwritten() {
    use auth0_migrate::fix::{write_fixed, WriteError};
    use auth0_migrate::lang::Language;
    use auth0_migrate::lint::SourceFile;
    let dir = project(&[("a.js", LEGACY)]);
    let path = dir.path().join("a.js");
    let read = SourceFile {
        path: path.clone(),
        language: Language::JavaScript,
        text: LEGACY.to_string(),
        bom: false,
        raw: LEGACY.as_bytes().to_vec(),
    };
    fs::write(&path, "// edited by someone else\n").unwrap();
    assert!(matches!(write_fixed(&read, MIGRATED), Err(WriteError::ChangedOnDisk)));
    assert_eq!(fs::read_to_string(&path).unwrap(), "// edited by someone else\n");
    // Unchanged on disk: written, and no temporary file is left behind.
    fs::write(&path, LEGACY).unwrap();
    write_fixed(&read, MIGRATED).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), MIGRATED);
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn bad_input_is_named_and_the_run_goes_on() {
    let dir = project(&[("good.js", LEGACY)]);
    let root = dir.path();
    // Binary content with a trigger in it.
    fs::write(root.join("bundle.js"), b"\x00\x01\x02 oauth/ro \x00").unwrap();
    // Not UTF-8.
    fs::write(root.join("latin1.js"), b"fetch('/oauth/ro'); // caf\xe9\n").unwrap();
    // Over the size limit.
    fs::write(root.join("huge.js"), format!("fetch('/oauth/ro');{}", " ".repeat(200_000))).unwrap();
    // A syntax error: what parses is still checked.
    fs::write(root.join("broken.js"), "fetch('/oauth/ro', {;\nfunction (\n").unwrap();
    // Deeply nested code.
    fs::write(root.join("deep.js"), format!("x = {}'/oauth/ro'{};\n", "[".repeat(20_000), "]".repeat(20_000))).unwrap();
    let output = run(root, &["check", ".", "--max-file-size", "100000", "--output-format", "json"]);
    let err = stderr(&output);
    assert_eq!(code(&output), 2, "{err}");
    for (file, what) in
        [("bundle.js", "binary"), ("latin1.js", "UTF-8"), ("huge.js", "limit"), ("broken.js", "syntax error")]
    {
        let line = err.lines().find(|l| l.contains(file)).unwrap_or_else(|| panic!("no message for {file}:\n{err}"));
        assert!(line.contains(what), "{line}");
    }
    let findings: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let paths: Vec<&str> = findings.as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert!(paths.iter().any(|p| p.ends_with("good.js")), "{paths:?}");
    assert!(
        paths.iter().any(|p| p.ends_with("broken.js")),
        "the part of a broken file that parses is checked: {paths:?}"
    );
    assert!(paths.iter().any(|p| p.ends_with("deep.js")), "{paths:?}");
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_once() {
    let dir = project(&[("src/a.js", LEGACY)]);
    std::os::unix::fs::symlink("..", dir.path().join("src/loop")).unwrap();
    let output = run(dir.path(), &["check", ".", "--output-format", "json"]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("loop"), "{}", stderr(&output));
    let findings: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert!(!findings.as_array().unwrap().is_empty());
}

#[test]
fn files_without_a_trigger_are_never_parsed() {
    // A syntax error is only seen by the parser: no message means no parse.
    let dir = project(&[("a.js", "function (\n"), ("b.js", "function (\n fetch('/oauth/ro')")]);
    let output = run(dir.path(), &["check", "."]);
    assert!(!stderr(&output).contains("a.js"), "{}", stderr(&output));
    assert!(stderr(&output).contains("b.js"), "{}", stderr(&output));
    assert!(stdout(&output).contains("2 files scanned (1 parsed)"), "{}", stdout(&output));
}

#[test]
fn ignored_and_vendored_files_are_skipped_unless_asked() {
    let dir = project(&[
        (".gitignore", "dist/\n"),
        ("dist/a.js", LEGACY),
        ("node_modules/auth0-js/index.js", LEGACY),
        (".hidden/a.js", LEGACY),
        ("bin/login", &format!("#!/usr/bin/env node\n{LEGACY}")),
    ]);
    let output = run(dir.path(), &["check", ".", "--output-format", "json"]);
    let findings: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let paths: Vec<&str> = findings.as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert!(paths.iter().all(|p| p.contains("bin")), "{paths:?}");
    assert!(!paths.is_empty(), "a script with a node shebang is checked");
    let all = run(dir.path(), &["check", ".", "--no-ignore", "--output-format", "json"]);
    let findings: serde_json::Value = serde_json::from_str(&stdout(&all)).unwrap();
    let paths: Vec<&str> = findings.as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    for dir in ["dist", "node_modules", ".hidden"] {
        assert!(paths.iter().any(|p| p.contains(dir)), "{dir} in {paths:?}");
    }
}

/// Committed dotenv files are checked although hidden; ignored ones and those in hidden
/// directories are not.
#[test]
fn committed_dotenv_files_are_checked() {
    let secret = "AUTH0_DOMAIN=acme.us.auth0.com\nAUTH0_CLIENT_SECRET=Jq3vR8kLm2Xw9Tz5Pb7Nc4Hd6Fy1Gs0QaZe-KuWi_ErtYo\n";
    let dir = project(&[
        (".gitignore", ".env.local\n"),
        (".env", secret),
        (".env.local", secret),
        ("deploy/prod.env", secret),
        (".hidden/.env", secret),
    ]);
    let output = run(dir.path(), &["check", ".", "--output-format", "json"]);
    let findings: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let mut paths: Vec<String> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", f["path"].as_str().unwrap().replace('\\', "/"), f["code"].as_str().unwrap()))
        .collect();
    paths.sort();
    assert_eq!(paths, vec!["./.env SC001", "./deploy/prod.env SC001"], "{}", stdout(&output));
    assert!(!stdout(&output).contains("Jq3vR8kLm2Xw9Tz5"), "the secret is never printed");
}

#[test]
fn human_output_shows_the_snippet_help_fix_and_summary() {
    let dir = project(&[("a.js", LEGACY)]);
    let output = run(dir.path(), &["check", "."]);
    let out = stdout(&output);
    assert!(out.contains("[RO001]"), "{out}");
    assert!(out.contains("/oauth/ro', {"), "the snippet: {out}");
    assert!(out.contains("Help:"), "{out}");
    assert!(out.contains("safe fix:"), "{out}");
    assert!(
        out.contains("+   axios.post('https://' + process.env.AUTH0_DOMAIN + '/oauth/token', {"),
        "the fix preview: {out}"
    );
    assert!(out.contains("Found 3 findings in 1 file scanned (1 parsed): RO001 ×1, RO002 ×1, RO003 ×1."), "{out}");
    assert!(out.contains("3 fixable with `auth0-migrate fix`"), "{out}");
    let quiet = run(dir.path(), &["check", ".", "--quiet"]);
    assert!(!stdout(&quiet).contains("Found 3"), "{}", stdout(&quiet));
}

#[test]
fn rules_and_rule_pages_come_from_the_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let list = stdout(&run(dir.path(), &["rules"]));
    for code in ["RO001", "RO010", "DL001", "DL002", "LK001", "LK002", "LK003"] {
        assert!(list.contains(code), "{list}");
    }
    let page = run(dir.path(), &["rule", "ro002"]);
    assert_eq!(code(&page), 0);
    let page = stdout(&page);
    for section in
        ["RO002 ro-password-grant", "Why", "Replacement", "Fix safety", "Before:", "After:", "password-realm"]
    {
        assert!(page.contains(section), "{section} missing from:\n{page}");
    }
    let sdk = stdout(&run(dir.path(), &["rule", "RO010"]));
    assert!(sdk.contains("SDK methods") && sdk.contains("loginWithResourceOwner"), "{sdk}");
    assert_eq!(code(&run(dir.path(), &["rule", "XX999"])), 2);
}

#[test]
fn readme_rule_table_is_generated_from_the_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let table = stdout(&run(dir.path(), &["rules", "--output-format", "markdown"]));
    let readme = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    assert!(
        readme.contains(&table),
        "README.md's rule table is stale; regenerate it with `auth0-migrate rules --output-format markdown`:\n{table}"
    );
}

// A Rule as auth0-deploy-cli exports it: an anonymous function (not valid on its own for
// node, which is why the fixtures name theirs).
const RULE: &str = "function (user, context, callback) {\n  \
const request = require('request@2.88.0');\n  \
context.idToken['https://example.com/plan'] = configuration.PLAN;\n  \
callback(null, user, context);\n}\n";

#[test]
fn a_rule_file_is_rewritten_in_place_as_an_action() {
    let dir = project(&[("rules/add-roles.js", RULE)]);
    let fix = run(dir.path(), &["fix", "--unsafe-fixes", "."]);
    assert_eq!(code(&fix), 0, "{}{}", stdout(&fix), stderr(&fix));
    assert_eq!(
        fs::read_to_string(dir.path().join("rules/add-roles.js")).unwrap(),
        "const request = require('request');\n\n\
exports.onExecutePostLogin = async (event, api) => {\n  \
api.idToken.setCustomClaim('https://example.com/plan', event.secrets.PLAN);\n  \
return;\n};\n"
    );
}

#[test]
fn a_deploy_cli_rule_stays_and_the_finding_says_where_the_action_goes() {
    let dir = project(&[
        ("tenant.yaml", "rules:\n  - name: add-roles\n    script: ./rules/add-roles.js\n    stage: login_success\n"),
        ("rules/add-roles.js", RULE),
    ]);
    let output = run(dir.path(), &["check", ".", "--output-format", "json"]);
    assert_eq!(code(&output), 1);
    let findings: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let finding = &findings.as_array().unwrap()[0];
    assert_eq!(finding["code"], "RA001");
    // The fix only creates the Action's file.
    assert_eq!(finding["fix"]["safety"], "unsafe");
    assert_eq!(finding["fix"]["edits"].as_array().unwrap().len(), 0);
    let message = finding["message"].as_str().unwrap();
    assert!(message.contains("actions/add-roles/code.js"), "{message}");
    assert!(message.contains("request@2.88.0") && message.contains("secrets PLAN"), "{message}");
    let help = finding["help"].as_str().unwrap();
    for entry in [
        "actions:",
        "code: ./actions/add-roles/code.js",
        "name: request",
        "version: 2.88.0",
        "name: PLAN",
        "id: post-login",
        "triggers:",
        "action_name: add-roles",
    ] {
        assert!(help.contains(entry), "{entry} missing from:\n{help}");
    }
    // The Rule stays in place (Auth0 advises running both until the Action is verified).
    run(dir.path(), &["fix", "--unsafe-fixes", "."]);
    assert_eq!(fs::read_to_string(dir.path().join("rules/add-roles.js")).unwrap(), RULE);
    let action = fs::read_to_string(dir.path().join("actions/add-roles/code.js")).unwrap();
    assert!(action.starts_with("const request = require('request');\n\nexports.onExecutePostLogin"), "{action}");
}

#[test]
fn the_rules_to_actions_page_lists_its_tables() {
    let dir = tempfile::tempdir().unwrap();
    let page = stdout(&run(dir.path(), &["rule", "RA001"]));
    for line in [
        "`context.clientID` → `event.client.client_id` [O]",
        "`context.request.geoip.country_code` → `event.request.geoip.countryCode` [R]",
        "`context.idToken[] = {value}` → `api.idToken.setCustomClaim({key}, {value})` [O]",
        "`context.connectionOptions`: Actions have no `connectionOptions`",
    ] {
        assert!(page.contains(line), "{line} missing from:\n{page}");
    }
}

/// A client secret is never printed: not in any output format, not in a fix preview or a
/// diff, not in a baseline, not in the snippet of another rule's finding on its line.
#[test]
fn secrets_are_never_printed() {
    const SECRET: &str = "JCCaI3GVjnxwm9ROug3vHMhpfezN3nHwNEIg7Jywx7p3NdEw4yzN2m_aIidHZfZY";
    let source = format!(
        "const {{ AuthenticationClient }} = require('auth0');\n\
         const auth0 = new AuthenticationClient({{\n  domain: 'acme.auth0.com',\n  clientId: 'Qx7hN2vLp9RkT4mW',\n  clientSecret: '{SECRET}',\n}});\n\
         axios.post('https://acme.auth0.com/oauth/ro', {{ connection: 'db', grant_type: 'password', client_secret: '{SECRET}' }});\n"
    );
    let dir = project(&[("src/auth.js", &source)]);
    let mut runs: Vec<(String, Output)> = Vec::new();
    for format in ["human", "concise", "json", "json-lines", "sarif", "github", "junit", "gitlab"] {
        let args = ["check", "src", "--output-format", format, "--color", "always"];
        runs.push((format.to_string(), run(dir.path(), &args)));
    }
    runs.push(("statistics".into(), run(dir.path(), &["check", "src", "--statistics"])));
    runs.push(("diff".into(), run(dir.path(), &["fix", "--diff", "--unsafe-fixes", "src"])));
    runs.push(("safe diff".into(), run(dir.path(), &["fix", "--diff", "src"])));
    runs.push(("show-fixes".into(), run(dir.path(), &["fix", "--diff", "--show-fixes", "src"])));
    runs.push(("baseline".into(), run(dir.path(), &["check", "src", "--write-baseline", "baseline.json"])));
    for (name, output) in &runs {
        let out = format!("{}{}", stdout(output), stderr(output));
        assert!(!out.contains(SECRET), "{name} prints the secret:\n{out}");
        assert!(!out.contains(&SECRET[4..20]), "{name} prints part of the secret:\n{out}");
    }
    let baseline = fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    assert!(!baseline.contains(&SECRET[4..20]), "{baseline}");
    // What is shown instead: the first four characters and a mask.
    let json = stdout(&runs[2].1);
    assert!(json.contains("JCCa********"), "{json}");
    let human = stdout(&runs[0].1);
    assert!(human.contains("SC001") && human.contains("JCCa****"), "{human}");
    let diff = stdout(&runs[9].1);
    assert!(diff.contains("+  clientSecret: process.env.AUTH0_CLIENT_SECRET,"), "{diff}");
    assert!(diff.contains("-  clientSecret: 'JCCa****"), "{diff}");
    // Standard input too.
    let mut child = Command::new(env!("CARGO_BIN_EXE_auth0-migrate"))
        .args(["check", "--stdin-filename", "auth.js"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child.stdin.take().unwrap().write_all(source.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let out = format!("{}{}", stdout(&output), stderr(&output));
    assert!(out.contains("SC001") && !out.contains(&SECRET[4..20]), "{out}");
    // Nothing was written by the previews, and the files keep their secret.
    assert!(fs::read_to_string(dir.path().join("src/auth.js")).unwrap().contains(SECRET));
}

const DELEGATION_V7: &str = "var auth0 = new Auth0({ domain: 'acme.auth0.com', clientID: 'abc' });\n\
auth0.getDelegationToken({ id_token: localStorage.getItem('id_token'), api: 'firebase' }, function (err, result) {\n  \
console.log(result);\n\
});\n";

/// The messages of a JSON report, by rule code.
fn messages(output: &Output, rule: &str) -> Vec<(String, String)> {
    let findings: serde_json::Value = serde_json::from_str(&stdout(output)).expect("a JSON report");
    findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == rule)
        .map(|f| (f["path"].as_str().unwrap_or_default().to_string(), f["message"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn project_facts_name_the_installed_sdk_in_messages() {
    let lock = r#"{"lockfileVersion": 3, "packages": {"": {"dependencies": {"auth0-js": "^7.0.0"}}, "node_modules/auth0-js": {"version": "7.6.1"}}}"#;
    let dir = project(&[
        ("package.json", r#"{"name": "app", "dependencies": {"auth0-js": "^7.0.0"}}"#),
        ("package-lock.json", lock),
        ("src/app.js", DELEGATION_V7),
    ]);
    // A run over the project, and a pre-commit run on the one file: the same facts.
    for args in [&["check", ".", "--output-format", "json"][..], &["check", "src/app.js", "--output-format", "json"]] {
        let output = run(dir.path(), args);
        let dl002 = messages(&output, "DL002");
        assert_eq!(dl002.len(), 1, "{}", stdout(&output));
        assert!(
            dl002[0].1.contains("the project's auth0.js 7.6.1 is installed (per package-lock.json), a deprecated generation: auth0.js v9+"),
            "{}",
            dl002[0].1
        );
    }
    // The manifest is reported with the pinned version; the lockfile beside it is not.
    let output = run(dir.path(), &["check", ".", "--output-format", "json"]);
    let dl003 = messages(&output, "DL003");
    assert_eq!(dl003.len(), 1, "{dl003:?}");
    assert!(dl003[0].0.ends_with("package.json"), "{dl003:?}");
    assert!(dl003[0].1.contains("7.6.1 installed per package-lock.json"), "{dl003:?}");

    // Without a manifest the message says nothing about versions.
    let bare = project(&[("src/app.js", DELEGATION_V7)]);
    let dl002 = messages(&run(bare.path(), &["check", ".", "--output-format", "json"]), "DL002");
    assert_eq!(dl002.len(), 1);
    assert!(!dl002[0].1.contains("the project's"), "{}", dl002[0].1);
}

#[test]
fn a_nested_package_is_governed_by_its_own_manifest() {
    let dir = project(&[
        ("package.json", r#"{"dependencies": {"auth0-js": "^9.28.0"}}"#),
        ("legacy/package.json", r#"{"dependencies": {"auth0-js": "7.6.1"}}"#),
        ("legacy/app.js", DELEGATION_V7),
        ("src/app.js", DELEGATION_V7),
    ]);
    let output = run(dir.path(), &["check", ".", "--output-format", "json"]);
    let dl002 = messages(&output, "DL002");
    assert_eq!(dl002.len(), 2, "{dl002:?}");
    let legacy = dl002.iter().find(|(f, _)| f.contains("legacy")).unwrap();
    let current = dl002.iter().find(|(f, _)| f.contains("src")).unwrap();
    assert!(
        legacy.1.contains("auth0.js 7.6.1 is required (per package.json), a deprecated generation"),
        "{}",
        legacy.1
    );
    assert!(
        current.1.contains("auth0.js 9.28.0 is required (per package.json), the current generation"),
        "{}",
        current.1
    );
}

#[test]
fn node_auth0_below_4_is_reported_when_its_removed_methods_are_called() {
    let manifest = r#"{"name": "api", "dependencies": {"auth0": "^2.44.1"}}"#;
    let calls = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/DL002/node_auth0_get_delegation_token.js"),
    )
    .unwrap();
    let migrated = "const { AuthenticationClient } = require('auth0');\n\
const auth0 = new AuthenticationClient({ domain: process.env.AUTH0_DOMAIN, clientId: 'x' });\n\
module.exports = (refreshToken) => auth0.oauth.refreshToken({ refresh_token: refreshToken });\n";

    let used = project(&[("package.json", manifest), ("src/routes/firebase.js", &calls)]);
    let output = run(used.path(), &["check", ".", "--output-format", "json"]);
    let dl003 = messages(&output, "DL003");
    assert_eq!(dl003.len(), 1, "{}", stdout(&output));
    assert!(dl003[0].0.ends_with("package.json"), "{dl003:?}");
    assert!(
        dl003[0].1.contains("node-auth0 2.x, a deprecated generation whose removed methods the project calls"),
        "{dl003:?}"
    );

    let unused = project(&[("package.json", manifest), ("src/routes/token.js", migrated)]);
    let output = run(unused.path(), &["check", ".", "--output-format", "json"]);
    assert!(messages(&output, "DL003").is_empty(), "{}", stdout(&output));

    // A call in another package's tree does not count.
    let elsewhere = project(&[("api/package.json", manifest), ("web/firebase.js", &calls)]);
    let output = run(elsewhere.path(), &["check", ".", "--output-format", "json"]);
    assert!(messages(&output, "DL003").is_empty(), "{}", stdout(&output));
}

#[test]
fn renew_id_token_becomes_check_session_only_on_auth0_js_9() {
    let page = "var legacy = new Auth0({ domain: 'acme.auth0.com', clientID: 'abc' });\n\
var webAuth = new auth0.WebAuth({ domain: 'acme.auth0.com', clientID: 'abc', responseType: 'token id_token' });\n\
legacy.renewIdToken(localStorage.getItem('id_token'), function (err, authResult) {\n  \
if (!err) localStorage.setItem('id_token', authResult.idToken);\n\
});\n";
    let on_v9 = project(&[("package.json", r#"{"dependencies": {"auth0-js": "^9.28.0"}}"#), ("app.js", page)]);
    let output = run(on_v9.path(), &["fix", ".", "--unsafe-fixes"]);
    assert_eq!(code(&output), 0, "{}{}", stdout(&output), stderr(&output));
    let fixed = fs::read_to_string(on_v9.path().join("app.js")).unwrap();
    assert!(fixed.contains("webAuth.checkSession({}, function (err, authResult) {"), "{fixed}");
    assert!(!fixed.contains("renewIdToken"), "{fixed}");
    // Without --unsafe-fixes nothing changes.
    let safe_only = project(&[("package.json", r#"{"dependencies": {"auth0-js": "^9.28.0"}}"#), ("app.js", page)]);
    run(safe_only.path(), &["fix", "."]);
    assert_eq!(fs::read_to_string(safe_only.path().join("app.js")).unwrap(), page);

    // On auth0.js 7 there is no WebAuth to renew with: the finding stays manual.
    let on_v7 = project(&[("package.json", r#"{"dependencies": {"auth0-js": "7.6.1"}}"#), ("app.js", page)]);
    run(on_v7.path(), &["fix", ".", "--unsafe-fixes"]);
    assert_eq!(fs::read_to_string(on_v7.path().join("app.js")).unwrap(), page);
}

const DEPLOY_CLI_RULE: &str = "function emailVerified(user, context, callback) {\n  if (!user.email_verified) {\n    return callback(new UnauthorizedError('Please verify your email.'));\n  }\n  return callback(null, user, context);\n}\n";

const DEPLOY_CLI_TENANT: &str = "rules:\n  - name: verified\n    script: ./rules/verified.js\n";

#[test]
fn fix_writes_the_action_of_a_deploy_cli_rule_beside_it_and_keeps_the_rule() {
    let dir = project(&[("tenant.yaml", DEPLOY_CLI_TENANT), ("rules/verified.js", DEPLOY_CLI_RULE)]);
    let action = dir.path().join("actions/verified/code.js");

    // --diff shows the new file and writes nothing.
    let out = run(dir.path(), &["fix", "--unsafe-fixes", "--diff", "."]);
    let diff = stdout(&out);
    assert!(diff.contains("--- /dev/null\n+++ ./actions/verified/code.js\n"), "{diff}");
    assert!(diff.contains("+exports.onExecutePostLogin = async (event, api) => {\n"), "{diff}");
    assert!(!action.exists());

    // JSON output carries the file to create.
    let out = run(dir.path(), &["check", "--output-format", "json", "rules/verified.js"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let creates = &json[0]["fix"]["creates"][0];
    assert_eq!(creates["path"], "../actions/verified/code.js");
    assert!(creates["contents"].as_str().unwrap().contains("api.access.deny('Please verify your email.')"));

    // fix creates it, the Rule stays as it was.
    let out = run(dir.path(), &["fix", "--unsafe-fixes", "."]);
    assert!(stderr(&out).is_empty() || !stderr(&out).contains("error"), "{}", stderr(&out));
    let written = fs::read_to_string(&action).unwrap();
    assert!(written.starts_with("exports.onExecutePostLogin = async (event, api) => {\n"), "{written}");
    assert!(!written.contains("callback") && !written.contains("context."), "{written}");
    assert_eq!(fs::read_to_string(dir.path().join("rules/verified.js")).unwrap(), DEPLOY_CLI_RULE);

    // A second run changes nothing and offers no fix.
    let out = run(dir.path(), &["fix", "--unsafe-fixes", "--diff", "."]);
    assert_eq!(stdout(&out), "", "{}", stderr(&out));
    assert_eq!(fs::read_to_string(&action).unwrap(), written);
}

#[test]
fn fix_never_overwrites_an_existing_action() {
    let mine = "exports.onExecutePostLogin = async () => {}; // mine\n";
    let dir = project(&[
        ("tenant.yaml", DEPLOY_CLI_TENANT),
        ("rules/verified.js", DEPLOY_CLI_RULE),
        ("actions/verified/code.js", mine),
    ]);
    let out = run(dir.path(), &["fix", "--unsafe-fixes", "."]);
    let text = stdout(&out);
    assert!(text.contains("actions/verified/code.js` (it exists already: no fix)"), "{text}");
    assert_eq!(fs::read_to_string(dir.path().join("actions/verified/code.js")).unwrap(), mine);
    assert_eq!(fs::read_to_string(dir.path().join("rules/verified.js")).unwrap(), DEPLOY_CLI_RULE);
}

#[test]
fn fix_writes_the_action_of_a_rule_inline_in_tenant_yaml() {
    let tenant = "rules:\n  - name: claims\n    script: |\n      function (user, context, callback) {\n        context.idToken['https://example.com/email'] = user.email;\n        callback(null, user, context);\n      }\n";
    let dir = project(&[("tenant.yaml", tenant)]);
    run(dir.path(), &["fix", "--unsafe-fixes", "."]);
    assert_eq!(fs::read_to_string(dir.path().join("tenant.yaml")).unwrap(), tenant);
    assert_eq!(
        fs::read_to_string(dir.path().join("actions/claims/code.js")).unwrap(),
        "exports.onExecutePostLogin = async (event, api) => {\n  api.idToken.setCustomClaim('https://example.com/email', event.user.email);\n  return;\n};\n"
    );
    let again = run(dir.path(), &["fix", "--unsafe-fixes", "--diff", "."]);
    assert_eq!(stdout(&again), "");
}
