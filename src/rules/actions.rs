//! RA001, RA002: Auth0 Rules → post-login Actions ("Migrate from Rules to Actions"; Rules
//! reached end of life on 2026-11-18).
//!
//! RA001 finds a Rule, `function (user, context, callback) {...}` at the top of a file (or
//! in the `script` of a `POST /api/v2/rules` payload), and rewrites it in place into
//! `exports.onExecutePostLogin = async (event, api) => {...}`. The rewrite is a set of
//! edits on the Rule's own source, so comments and untouched formatting stay:
//!
//! - paths read through `user`, `context` and `configuration` are renamed by the
//!   `[[mapping]]` table of `rules/RA001.toml` (longest row first);
//! - assignments become calls by its `[[assignment]]` table (`context.idToken[k] = v` →
//!   `api.idToken.setCustomClaim(k, v)`), with a few rewrites of their own (multifactor,
//!   redirect, scopes, SAML mappings);
//! - every `callback(...)` becomes a `return` (or `return api.access.deny(m)`); callbacks in
//!   a promise chain are awaited by the async handler, callbacks in Node-style callbacks are
//!   wrapped in `await new Promise(...)`;
//! - `auth0.users.updateAppMetadata(user.user_id, user.app_metadata)` becomes one
//!   `api.user.setAppMetadata(key, value)` per key the Rule changes;
//! - versioned `require('pkg@1.2.3')` moves to the top of the file as `require('pkg')`, and
//!   the package is reported as a dependency of the Action;
//! - the `context.protocol === 'redirect-callback'` branch becomes
//!   `exports.onContinuePostLogin`.
//!
//! A use listed in `[[unsupported]]`, or any use the tables do not cover, blocks the fix: the
//! finding lists each with its line and Auth0's note, and nothing half-converted is written.

use std::collections::BTreeSet;
use std::path::Path;

use super::request::{is_url_like, senders, text_edit, text_span};
use super::Context;
use crate::catalogue::{AssignmentMapping, Rule};
use crate::finding::{Edit, Finding, Fix, NewFile, Safety};
use crate::lang::Language;
use crate::model::{Access, FileModel, Function, ObjectKind, StatementKind, StringValue, Value, HOLE};
use crate::source::{LineIndex, Span};

pub fn check(ctx: &mut Context) {
    if ctx.is_active("RA001") {
        rules_in_file(ctx);
        rules_in_strings(ctx);
    }
    if ctx.is_active("RA002") {
        management_requests(ctx);
        sdk_calls(ctx);
        deploy_cli_sections(ctx);
    }
    if ctx.is_active("RA001") || ctx.is_active("RA002") {
        terraform_rules(ctx);
    }
}

const END_OF_LIFE: &str = "Auth0 Rule (Rules reached end of life on 2026-11-18)";

/// RA001 on the Rules written in the file itself.
fn rules_in_file(ctx: &mut Context) {
    let found = rule_functions(ctx.model);
    let deploy_cli = ctx.path.and_then(deploy_cli_rule);
    let rule = ctx.rule("RA001");
    // A file that already defines the Action's handler would end up with two.
    let has_handler = ctx.model.declarations.iter().any(|n| n.text == "onExecutePostLogin")
        || ctx.model.assignments.iter().any(|a| ctx.text(a.target).ends_with("onExecutePostLogin"));
    for &function in &found {
        let lower = |text: &str| ctx.lower_rewrite(text);
        let conversion = convert(ctx.model, ctx.source, rule, function, &lower);
        let func = &ctx.model.functions[function];
        let span = Span::new(func.span.start, func.body.start);
        let index = LineIndex::new(ctx.source);
        let line = |offset: usize| index.line_of(offset) + 1;
        let unfixable = if found.len() > 1 {
            Some("several Rules in one file cannot all become `exports.onExecutePostLogin`")
        } else if has_handler {
            Some("the file already defines `onExecutePostLogin`")
        } else {
            None
        };
        let mut message = format!("{END_OF_LIFE}: {}", conversion.summary(&line, unfixable));
        let mut help = rule.replacement.trim().to_string();
        let edits = conversion.edits.clone().filter(|_| found.len() == 1 && !has_handler);
        let fix = if let Some(name) = &deploy_cli {
            // The Action goes to `actions/<name>/code.js` of the export; the Rule stays.
            let target = Path::new("actions").join(name).join("code.js");
            let exists = ctx.path.and_then(|p| p.parent()).and_then(|d| d.parent()).map(|root| root.join(&target));
            let exists = exists.is_some_and(|t| t.exists());
            let shown = match (&edits, exists) {
                (Some(_), false) => " (the unsafe fix writes it and leaves the Rule in place)",
                (Some(_), true) => " (it exists already: no fix)",
                (None, _) => "",
            };
            message.push_str(&format!(
                " auth0-deploy-cli export: the Rule stays; write the Action to `actions/{name}/code.js`{shown} and add its `actions:`/`triggers:` entries."
            ));
            help = deploy_cli_entries(name, &conversion);
            edits.filter(|_| !exists).and_then(|edits| {
                let contents = crate::finding::apply_edits(ctx.source, &edits.iter().collect::<Vec<_>>());
                let new = NewFile { path: Path::new("..").join(&target), contents };
                Fix::creating(
                    Safety::Unsafe,
                    format!("Write the converted Action to actions/{name}/code.js"),
                    vec![new],
                )
            })
        } else {
            edits.and_then(|edits| Fix::new(Safety::Unsafe, "Rewrite the Rule as a post-login Action", edits))
        };
        ctx.push(Finding { code: rule.code.clone(), span, severity: rule.severity, message, help, fix });
    }
}

/// The name of the Rule when the file is a Rule of an auth0-deploy-cli export:
/// `rules/<name>.js` beside `tenant.yaml` (YAML format) or with its `rules/<name>.json`
/// (directory format).
fn deploy_cli_rule(path: &Path) -> Option<String> {
    let dir = path.parent()?;
    if dir.file_name()? != "rules" {
        return None;
    }
    let root = dir.parent().unwrap_or(Path::new("."));
    let root = if root.as_os_str().is_empty() { Path::new(".") } else { root };
    let tenant = ["tenant.yaml", "tenant.yml", "tenant.json"].iter().any(|f| root.join(f).is_file());
    let metadata = path.with_extension("json").is_file();
    (tenant || metadata).then(|| path.file_stem().map(|s| s.to_string_lossy().to_string())).flatten()
}

/// The auth0-deploy-cli entries that deploy the converted Action.
fn deploy_cli_entries(name: &str, conversion: &Conversion) -> String {
    let mut out = format!(
        "Write the converted Action to actions/{name}/code.js and add to tenant.yaml:\n\nactions:\n  - name: {name}\n    code: ./actions/{name}/code.js\n    runtime: node18\n"
    );
    if !conversion.dependencies.is_empty() {
        out.push_str("    dependencies:\n");
        for (package, version) in &conversion.dependencies {
            out.push_str(&format!(
                "      - name: {package}\n        version: {}\n",
                version.as_deref().unwrap_or("latest")
            ));
        }
    }
    if !conversion.secrets.is_empty() {
        out.push_str("    secrets:\n");
        for secret in &conversion.secrets {
            out.push_str(&format!("      - name: {secret}\n        value: '##{secret}##'\n"));
        }
    }
    out.push_str(&format!(
        "    supported_triggers:\n      - id: post-login\n        version: v3\n    deployed: true\ntriggers:\n  post-login:\n    - action_name: {name}\n      display_name: {name}\n\n(Directory format: the same fields go in actions/{name}.json and triggers/triggers.json.) Keep the Rule until the Action is verified: Auth0 advises running both and skipping the Action's logic with api.rules.wasExecuted(ruleId) while the Rule still runs."
    ));
    out
}

/// The Rules of a model: functions `(user, context, callback)` that are statements of the
/// top level (a declaration, or the expression of an expression statement).
fn rule_functions(model: &FileModel) -> Vec<usize> {
    (0..model.functions.len())
        .filter(|&f| {
            let func = &model.functions[f];
            let names: Vec<Option<&str>> = func.params.iter().map(|p| p.name.as_deref()).collect();
            if !matches!(names.as_slice(), [Some("user"), Some("context"), Some(_)]) {
                return false;
            }
            if model.functions.iter().any(|g| g.span != func.span && g.span.contains(func.span)) {
                return false;
            }
            let own = model.statements.iter().find(|s| {
                s.kind == StatementKind::Expression(func.span)
                    || (s.span == func.span && s.kind == StatementKind::Other)
            });
            own.is_some_and(|own| !model.statements.iter().any(|s| s.span != own.span && s.span.contains(own.span)))
        })
        .collect()
}

/// Where a Rule held in a `script` string lives.
enum ScriptHost {
    /// An entry of an auth0-deploy-cli `rules:` section (tenant.yaml/tenant.json, or a
    /// directory-format `rules/<name>.json`), with the Rule's name.
    DeployCli(String),
    /// A payload a call sends (`POST /api/v2/rules`, `management.rules.create(...)`).
    Request,
    /// Any other `script` entry.
    Other,
}

/// RA001 on Rule source held in the `script` string of an object: a deploy-cli `rules:`
/// entry, a Management API payload, a `script` key in any language. The script is lowered
/// as JavaScript; positions and lines are mapped back into the host file through the
/// string's escapes and indentation. The converted source is written back into the string
/// when it can be exactly (checked by lowering the rewritten file); otherwise, and for a
/// deploy-cli export (whose Rule stays until the Action is deployed), the fix is
/// display-only.
fn rules_in_strings(ctx: &mut Context) {
    let model = ctx.model;
    let rule = ctx.rule("RA001");
    let mut reported: Vec<usize> = Vec::new();
    // A Terraform `auth0_rule` cannot hold an Action: `terraform_rules` reports its script.
    let terraform: Vec<usize> =
        terraform_resources(ctx).into_iter().filter(|r| r.0 == "auth0_rule").map(|r| r.2).collect();
    for (object, literal) in model.objects.iter().enumerate() {
        if terraform.contains(&object) {
            continue;
        }
        let Some(entry) = literal.get("script") else { continue };
        let Value::String(id) = *model.resolve(&entry.value) else { continue };
        if reported.contains(&id) {
            continue;
        }
        let script = &model.strings[id];
        let Some(code) = script.literal_text() else { continue };
        if !code.contains("user") || !code.contains("context") {
            continue;
        }
        let Ok(sub) = Language::JavaScript.lower(&code) else { continue };
        let found = rule_functions(&sub);
        let Some(&function) = found.first() else { continue };
        reported.push(id);
        let lower = |text: &str| Language::JavaScript.lower(text).ok();
        let conversion = convert(&sub, &code, rule, function, &lower);
        let host = script_host(ctx, object);
        let index = LineIndex::new(ctx.source);
        let at = |offset: usize| text_span(script, offset, offset).map_or(script.span.start, |s| s.start);
        let line = |offset: usize| index.line_of(at(offset)) + 1;
        let func = &sub.functions[function];
        let span = Span::new(at(func.span.start), at(func.body.start));
        let span = if span.is_empty() { script.span } else { span };
        let unfixable =
            (found.len() > 1).then_some("several Rules in one script cannot all become `exports.onExecutePostLogin`");
        let mut conversion = conversion;
        let converted = conversion
            .edits
            .as_ref()
            .filter(|_| found.len() == 1)
            .map(|edits| crate::finding::apply_edits(&code, &edits.iter().collect::<Vec<_>>()));
        let written = conversion
            .edits
            .as_ref()
            .filter(|_| converted.is_some())
            .and_then(|edits| write_back(ctx, script, edits, converted.as_deref().unwrap_or("")));
        let (where_, mut help, safety) = match &host {
            ScriptHost::DeployCli(name) => (
                format!(" (the `script` of the auth0-deploy-cli Rule `{name}`; the Rule stays until its Action is deployed: write the Action to `actions/{name}/code.js` and add its `actions:`/`triggers:` entries):"),
                deploy_cli_entries(name, &conversion),
                Safety::DisplayOnly,
            ),
            ScriptHost::Request => (
                " in a Management API payload (create a post-login Action instead: POST /api/v2/actions/actions with the converted source as its `code`):"
                    .to_string(),
                rule.replacement.trim().to_string(),
                Safety::Unsafe,
            ),
            ScriptHost::Other => {
                (" in a `script` string:".to_string(), rule.replacement.trim().to_string(), Safety::Unsafe)
            }
        };
        // In a deploy-cli tenant file on disk, the Action goes to `actions/<name>/code.js`
        // beside it (never over an existing file); the tenant file stays as it is.
        let tenant_dir = ctx
            .path
            .filter(|p| p.file_name().is_some_and(|f| f.to_string_lossy().to_ascii_lowercase().starts_with("tenant.")))
            .map(|p| p.parent().unwrap_or(Path::new("")));
        let create = match (&host, tenant_dir, &converted) {
            (ScriptHost::DeployCli(name), Some(dir), Some(action)) => {
                let target = Path::new("actions").join(name).join("code.js");
                (!dir.join(&target).exists())
                    .then(|| (name.clone(), NewFile { path: target, contents: action.clone() }))
            }
            _ => None,
        };
        conversion.shown = match (&host, &written, &create) {
            (_, _, Some(_)) => Some("the unsafe fix writes it to a new file"),
            (ScriptHost::DeployCli(_), Some(_), None) => Some("the display-only fix shows it"),
            (_, None, None) => Some("the help shows it: the string cannot be rewritten in place exactly"),
            _ => None,
        };
        let summary = conversion.summary(&line, unfixable);
        let message = format!("{END_OF_LIFE}{where_} {summary}");
        let fix = match (written, &converted) {
            _ if create.is_some() => create.and_then(|(name, new)| {
                Fix::creating(
                    Safety::Unsafe,
                    format!("Write the converted Action to actions/{name}/code.js"),
                    vec![new],
                )
            }),
            (Some(edits), _) => Fix::new(safety, "Rewrite the Rule held in this string as a post-login Action", edits),
            (None, Some(action)) => {
                help.push_str(&format!(
                    "\n\nThe string cannot be rewritten in place exactly; the converted Action is:\n\n{action}"
                ));
                None
            }
            (None, None) => None,
        };
        ctx.push(Finding { code: rule.code.clone(), span, severity: rule.severity, message, help, fix });
    }
}

/// What holds the object with a `script` entry.
fn script_host(ctx: &Context, object: usize) -> ScriptHost {
    let model = ctx.model;
    let name = || {
        model.objects[object]
            .get("name")
            .and_then(|e| model.string_of(&e.value))
            .and_then(|s| s.literal_text())
            .filter(|n| !n.is_empty() && !n.contains(['/', '\\']))
    };
    let in_rules_section = model.objects.iter().any(|o| {
        o.get("rules").is_some_and(|e| match &e.value {
            Value::Array(items, _) => items.iter().any(|v| matches!(v, Value::Object(id) if *id == object)),
            _ => false,
        })
    });
    let path = ctx.path;
    let file = path.and_then(|p| p.file_name()).map(|f| f.to_string_lossy().to_ascii_lowercase());
    let tenant_file = file.as_deref().is_some_and(|f| f.starts_with("tenant.") || f.ends_with(".tenant.yaml"));
    let directory_rule = path.and_then(|p| p.parent()).and_then(|d| d.file_name()).is_some_and(|d| d == "rules")
        && path.and_then(|p| p.extension()).is_some_and(|e| e == "json")
        && model.objects[object].span.start <= 1;
    if (in_rules_section && (tenant_file || ctx.reach().iter().all(|r| !r.objects.contains(&object)))) || directory_rule
    {
        let fallback = || path.and_then(|p| p.file_stem()).map(|s| s.to_string_lossy().to_string());
        let name = name().or_else(|| directory_rule.then(fallback).flatten()).unwrap_or_else(|| "rule".to_string());
        return ScriptHost::DeployCli(name);
    }
    if ctx.reach().iter().any(|r| r.objects.contains(&object)) {
        return ScriptHost::Request;
    }
    ScriptHost::Other
}

/// The edits that write the converted source into the host string, when every edit falls
/// in one literal piece that can hold its text, and the rewritten file decodes the string
/// to exactly the converted source.
fn write_back(ctx: &Context, script: &StringValue, edits: &[Edit], converted: &str) -> Option<Vec<Edit>> {
    let mut host = Vec::new();
    for edit in edits {
        let (lit, a, b) = script.locate(edit.span.start, edit.span.end)?;
        if lit.from_binding() {
            return None;
        }
        let content = ctx.language.encode_literal(ctx.source, lit, &edit.content)?;
        host.push(Edit::replace(lit.source_span(a, b), content));
    }
    let output = crate::finding::apply_edits(ctx.source, &host.iter().collect::<Vec<_>>());
    let rewritten = ctx.lower_rewrite(&output)?;
    if rewritten.syntax_errors.len() > ctx.model.syntax_errors.len() {
        return None;
    }
    let exact = rewritten
        .strings
        .iter()
        .any(|s| s.span.start == script.span.start && s.literal_text().as_deref() == Some(converted));
    exact.then_some(host)
}

/// Where `api/v2/rules` or `api/v2/rules-configs` occurs as a path in a string's text.
struct RulesEndpoint {
    /// Offset of the `/` before `api`.
    start: usize,
    end: usize,
    configs: bool,
}

fn rules_endpoints(text: &str) -> Vec<RulesEndpoint> {
    let lower = text.to_ascii_lowercase();
    let mut found = Vec::new();
    for (i, _) in lower.match_indices("/api/v2/rules") {
        let mut end = i + "/api/v2/rules".len();
        let configs = lower[end..].starts_with("-configs");
        if configs {
            end += "-configs".len();
        }
        let after = text[end..].chars().next();
        let boundary =
            after.is_none_or(|c| matches!(c, '/' | '?' | '#' | '"' | '\'' | '`' | HOLE) || c.is_whitespace());
        if boundary {
            found.push(RulesEndpoint { start: i, end, configs });
        }
    }
    found
}

/// RA002: requests to `/api/v2/rules` and `/api/v2/rules-configs`, reported where the
/// path is written (a constant once, with what every request that uses it does).
fn management_requests(ctx: &mut Context) {
    let model = ctx.model;
    for id in 0..model.strings.len() {
        let string = &model.strings[id];
        if string.nested {
            continue;
        }
        let text = string.text();
        if !is_url_like(&text) {
            continue;
        }
        let endpoints = rules_endpoints(&text);
        let calls = senders(model, ctx.reach(), id);
        if endpoints.is_empty() || calls.is_empty() {
            continue;
        }
        let mut methods: Vec<Option<String>> = Vec::new();
        for &call in &calls {
            let method = request_method(ctx, call);
            if !methods.contains(&method) {
                methods.push(method);
            }
        }
        // Calls that only hold the request in a function they are given (`new Promise(...)`)
        // say nothing of its method.
        if methods.iter().any(Option::is_some) {
            methods.retain(Option::is_some);
        }
        for m in endpoints {
            // A constant spliced into this string is reported where it is defined.
            if string.locate(m.start, m.end).is_some_and(|(lit, _, _)| lit.from_binding()) {
                continue;
            }
            let has_id = text[m.end..].starts_with('/');
            let span = text_span(string, m.start, m.end).unwrap_or(string.span);
            let message = if m.configs {
                "Request to /api/v2/rules-configs, the settings shared by Rules (end of life 2026-11-18): an Action keeps its own secrets (`secrets: [{name, value}]` in POST/PATCH /api/v2/actions/actions/{id}), read as `event.secrets.<name>`".to_string()
            } else {
                let what: Vec<&str> = methods
                    .iter()
                    .map(|method| match (method.as_deref(), has_id) {
                        (Some("POST"), _) => "creates a Rule: create a post-login Action instead (POST /api/v2/actions/actions with `supported_triggers: [{id: \"post-login\", version: \"v3\"}]`), deploy it (POST /api/v2/actions/actions/{id}/deploy) and bind it (PATCH /api/v2/actions/triggers/post-login/bindings)",
                        (Some("PATCH" | "PUT"), _) => "updates a Rule: update the Action instead (PATCH /api/v2/actions/actions/{id}) and deploy it (POST /api/v2/actions/actions/{id}/deploy)",
                        (Some("DELETE"), _) => "deletes a Rule: unbind the Action (PATCH /api/v2/actions/triggers/post-login/bindings) and delete it (DELETE /api/v2/actions/actions/{id})",
                        (Some("GET") | None, false) => "reads the Rules: Actions are listed with GET /api/v2/actions/actions?triggerId=post-login, and their order with GET /api/v2/actions/triggers/post-login/bindings",
                        _ => "reads a Rule: read the Action instead (GET /api/v2/actions/actions/{id})",
                    })
                    .collect();
                format!(
                    "Request to /api/v2/rules (Rules reached end of life on 2026-11-18): it {}",
                    what.join("; it also ")
                )
            };
            ctx.report("RA002", span, message, None);
        }
    }
}

/// What a Management SDK call does to Rules.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RulesOperation {
    Create,
    Update,
    Delete,
    Read,
    SetConfig,
    ReadConfig,
    DeleteConfig,
}

/// The operation of a node-auth0 or auth0-python call on Rules: `management.rules.create`,
/// `management.rulesConfigs.set` (node-auth0 2.x to 4.x), `management.createRule` (2.x),
/// `auth0.rules.all`, `auth0.rules_configs.unset` (auth0-python).
fn rules_operation(segments: &[&str]) -> Option<RulesOperation> {
    use RulesOperation::*;
    let [.., manager, method] = segments else { return None };
    let operation = match (*manager, *method) {
        ("rules", "create") => Create,
        ("rules", "update") => Update,
        ("rules", "delete") => Delete,
        ("rules", "get" | "getAll" | "all") => Read,
        ("rulesConfigs" | "rules_configs", "set") => SetConfig,
        ("rulesConfigs" | "rules_configs", "getAll" | "all") => ReadConfig,
        ("rulesConfigs" | "rules_configs", "delete" | "unset") => DeleteConfig,
        (_, "createRule") => Create,
        (_, "updateRule") => Update,
        (_, "deleteRule") => Delete,
        (_, "getRule" | "getRules") => Read,
        (_, "setRulesConfig") => SetConfig,
        (_, "getRulesConfigs") => ReadConfig,
        (_, "deleteRulesConfig") => DeleteConfig,
        _ => return None,
    };
    Some(operation)
}

/// RA002 on the Management SDK calls that manage Rules, in a file that uses an Auth0
/// Management client (`new ManagementClient(...)`, `Auth0(domain, token)`, `Rules(...)`,
/// or the `auth0` package named in a require/import).
fn sdk_calls(ctx: &mut Context) {
    let model = ctx.model;
    let is_client_class = |name: &str| matches!(name, "ManagementClient" | "Auth0" | "Rules" | "RulesConfigs");
    let client = model.calls.iter().any(|c| is_client_class(c.name()))
        || model.strings.iter().any(|s| {
            s.literal_text()
                .is_some_and(|t| t == "auth0" || t.starts_with("auth0.management") || t.starts_with("auth0/"))
        });
    if !client {
        return;
    }
    let python = ctx.language == Language::Python;
    for call in &model.calls {
        let segments = call.segments();
        let Some(operation) = rules_operation(&segments) else { continue };
        // The object the call is made on: a name bound to a Management client, or one
        // named for it (`management`, `this.mgmt`, `auth0Client`).
        let manager = matches!(segments[segments.len() - 2], "rules" | "rulesConfigs" | "rules_configs");
        let receiver = &segments[..segments.len() - if manager { 2 } else { 1 }];
        let Some(root) = receiver.first() else { continue };
        let bound = model.binding_at(root, call.span).is_some_and(|b| match &b.value {
            Value::Call(id) => is_client_class(model.calls[*id].name()),
            _ => false,
        });
        let named = receiver.iter().any(|r| {
            let r = r.to_ascii_lowercase();
            r.contains("management") || r.contains("mgmt") || r.contains("auth0")
        });
        if !bound && !named {
            continue;
        }
        let (node, py) = match operation {
            RulesOperation::Create => (
                "create a post-login Action instead: `management.actions.create({ name, code, runtime, dependencies, secrets, supported_triggers: [{ id: 'post-login', version: 'v3' }] })`, `management.actions.deploy({ id })`, then `management.actions.updateTriggerBindings({ triggerId: 'post-login' }, { bindings })`",
                "create a post-login Action instead: `auth0.actions.create_action(body)` (with `supported_triggers: [{'id': 'post-login', 'version': 'v3'}]`), `auth0.actions.deploy_action(id)`, then `auth0.actions.update_trigger_bindings('post-login', {'bindings': [...]})`",
            ),
            RulesOperation::Update => (
                "update the Action instead: `management.actions.update({ id }, { code, secrets })`, then `management.actions.deploy({ id })`",
                "update the Action instead: `auth0.actions.update_action(id, body)`, then `auth0.actions.deploy_action(id)`",
            ),
            RulesOperation::Delete => (
                "remove the Action's binding (`management.actions.updateTriggerBindings({ triggerId: 'post-login' }, { bindings })`) and delete it (`management.actions.delete({ id })`)",
                "remove the Action's binding (`auth0.actions.update_trigger_bindings('post-login', body)`) and delete it (`auth0.actions.delete_action(id)`)",
            ),
            RulesOperation::Read => (
                "read the Actions instead: `management.actions.getAll({ triggerId: 'post-login' })`, and their order with `management.actions.getTriggerBindings({ triggerId: 'post-login' })`",
                "read the Actions instead: `auth0.actions.get_actions(trigger_id='post-login')`, and their order with `auth0.actions.get_trigger_bindings('post-login')`",
            ),
            RulesOperation::SetConfig | RulesOperation::ReadConfig | RulesOperation::DeleteConfig => (
                "an Action keeps its own secrets: set them in `secrets: [{ name, value }]` of `management.actions.create`/`update` (then `deploy`), read as `event.secrets.<name>`",
                "an Action keeps its own secrets: set them in `secrets: [{'name': ..., 'value': ...}]` of `auth0.actions.create_action`/`update_action` (then `deploy_action`), read as `event.secrets.<name>`",
            ),
        };
        let what = match operation {
            RulesOperation::Create => "creates a Rule",
            RulesOperation::Update => "updates a Rule",
            RulesOperation::Delete => "deletes a Rule",
            RulesOperation::Read => "reads Rules",
            RulesOperation::SetConfig => "sets a Rules config (the settings shared by Rules)",
            RulesOperation::ReadConfig => "reads the Rules configs",
            RulesOperation::DeleteConfig => "deletes a Rules config",
        };
        let message = format!(
            "`{}` {what} (Rules reached end of life on 2026-11-18): {}",
            segments.join("."),
            if python { py } else { node }
        );
        ctx.report("RA002", Span::new(call.span.start, call.args_span.start.max(call.span.start)), message, None);
    }
}

/// RA002 on the `rules:` and `rulesConfigs:` sections of an auth0-deploy-cli tenant
/// (YAML or JSON): Rules become `actions:` bound under `triggers: post-login:` in their
/// order, and each Rules config becomes a secret of the Actions that read it.
fn deploy_cli_sections(ctx: &mut Context) {
    let model = ctx.model;
    let items = |value: &Value| -> Option<Vec<usize>> {
        let Value::Array(items, _) = value else { return None };
        let objects: Vec<usize> =
            items.iter().filter_map(|v| if let Value::Object(id) = v { Some(*id) } else { None }).collect();
        (!objects.is_empty() && objects.len() == items.len()).then_some(objects)
    };
    let text_of = |object: usize, key: &str| -> Option<String> {
        let entry = model.objects[object].get(key)?;
        match model.string_of(&entry.value) {
            Some(s) => s.literal_text(),
            None => Some(ctx.text(entry.value.span(model)).trim().to_string()),
        }
    };
    let mut findings: Vec<(Span, String)> = Vec::new();
    for object in &model.objects {
        let rules = object.get("rules").and_then(|e| items(&e.value).map(|items| (e, items)));
        let mut scripts: Vec<(String, String)> = Vec::new();
        if let Some((entry, rules)) =
            rules.filter(|(_, r)| r.iter().all(|&o| model.objects[o].has("script") && model.objects[o].has("name")))
        {
            let mut named: Vec<(f64, String)> = rules
                .iter()
                .enumerate()
                .map(|(i, &o)| {
                    let order = text_of(o, "order").and_then(|t| t.parse::<f64>().ok()).unwrap_or(i as f64);
                    (order, text_of(o, "name").unwrap_or_default())
                })
                .collect();
            named.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
            let order: Vec<String> = named.iter().map(|(_, n)| format!("`{n}`")).collect();
            for &o in &rules {
                scripts.push((text_of(o, "name").unwrap_or_default(), text_of(o, "script").unwrap_or_default()));
            }
            findings.push((
                entry.key_span,
                format!(
                    "auth0-deploy-cli `rules:` section ({} Rule{}; Rules reached end of life on 2026-11-18): declare each as an `actions:` entry (`name`, `code: ./actions/<name>/code.js`, `runtime: node18`, `supported_triggers: [{{id: post-login, version: v3}}]`, `deployed: true`) and bind them under `triggers:` `post-login:` (`action_name`, `display_name`) in the Rules' order: {}. Remove the section once the Actions are verified",
                    rules.len(),
                    if rules.len() == 1 { "" } else { "s" },
                    order.join(", ")
                ),
            ));
        }
        let configs = object
            .get("rulesConfigs")
            .and_then(|e| items(&e.value).map(|items| (e, items)))
            .filter(|(_, c)| c.iter().all(|&o| model.objects[o].has("key")));
        if let Some((entry, configs)) = configs {
            let mut keys: Vec<String> = Vec::new();
            for &o in &configs {
                let Some(key) = text_of(o, "key") else { continue };
                let readers: Vec<String> = scripts
                    .iter()
                    .filter(|(_, script)| {
                        script.contains(&format!("configuration.{key}"))
                            || script.contains(&format!("configuration['{key}']"))
                            || script.contains(&format!("configuration[\"{key}\"]"))
                    })
                    .map(|(name, _)| format!("`{name}`"))
                    .collect();
                keys.push(if readers.is_empty() {
                    format!("`{key}`")
                } else {
                    format!("`{key}` (read by {})", readers.join(", "))
                });
            }
            findings.push((
                entry.key_span,
                format!(
                    "auth0-deploy-cli `rulesConfigs:` section (Rules reached end of life on 2026-11-18): each key becomes a secret (`secrets: [{{name, value}}]`) of the Actions that read `configuration.<key>`, read as `event.secrets.<key>`: {}",
                    keys.join(", ")
                ),
            ));
        }
    }
    for (span, message) in findings {
        ctx.report("RA002", span, message, None);
    }
}

/// The HTTP method of a request: a `method` entry of its options, else the name of the
/// call (`axios.post`, `request.del`).
fn request_method(ctx: &Context, call: usize) -> Option<String> {
    let model = ctx.model;
    for &object in &ctx.reach()[call].objects {
        if let Some(entry) = model.objects[object].get("method") {
            if let Some(method) = super::request::entry_text(model, entry) {
                return Some(method.to_ascii_uppercase());
            }
        }
    }
    // A command line: `curl -X POST`, `--request`, wget's `--method`; data without one is
    // a POST.
    let args = &model.calls[call].args;
    let labelled = |labels: &[&str]| -> Vec<&crate::model::Arg> {
        args.iter().filter(|a| a.label.as_deref().is_some_and(|l| labels.contains(&l))).collect()
    };
    for arg in labelled(&["-X", "--request", "--method"]) {
        if let Some(method) = model.string_of(&arg.value).and_then(|s| s.literal_text()) {
            return Some(method.to_ascii_uppercase());
        }
    }
    let data = ["-d", "--data", "--data-raw", "--data-binary", "--data-ascii", "--json", "--post-data", "--post-file"];
    if !labelled(&data).is_empty() {
        return Some("POST".to_string());
    }
    let method = match model.calls[call].name().to_ascii_lowercase().as_str() {
        "post" => "POST",
        "put" => "PUT",
        "patch" => "PATCH",
        "delete" | "del" => "DELETE",
        "get" => "GET",
        _ => return None,
    };
    Some(method.to_string())
}

// ---------------------------------------------------------------------------------------
// The conversion of one Rule.

/// A use without an equivalent: no fix while there is one.
struct Blocker {
    at: usize,
    construct: String,
    note: String,
}

/// What converting a Rule takes.
struct Conversion {
    /// The edits of the fix; `None` when a blocker stands in the way.
    edits: Option<Vec<Edit>>,
    /// Mapped constructs: (offset, what it is, what it becomes).
    mapped: Vec<(usize, String, String)>,
    blockers: Vec<Blocker>,
    secrets: BTreeSet<String>,
    /// Packages the Action must declare, with the Rule's version when it had one.
    dependencies: Vec<(String, Option<String>)>,
    /// How the Action is shown when the fix does not rewrite the Rule in place.
    shown: Option<&'static str>,
}

impl Conversion {
    /// The finding's message after its first words.
    /// `unfixable` says why the file cannot take the Action (several Rules, a handler
    /// already there).
    fn summary(&self, line: &dyn Fn(usize) -> usize, unfixable: Option<&str>) -> String {
        let mut out = String::new();
        let several = unfixable.is_some();
        if let Some(why) = unfixable {
            out.push_str(why);
            out.push_str(": move it to its own file first (no fix). ");
        }
        if !self.blockers.is_empty() {
            out.push_str("no fix is offered, because of what has no equivalent or cannot be rewritten: ");
            let mut items: Vec<String> = Vec::new();
            for b in &self.blockers {
                let item = format!("line {} `{}`: {}", line(b.at), b.construct, b.note.trim_end_matches('.'));
                if !items.contains(&item) {
                    items.push(item);
                }
            }
            out.push_str(&items.join("; "));
            out.push('.');
            if !self.mapped.is_empty() {
                out.push_str(" The rest maps to the Action: ");
            }
        } else if !several {
            match self.shown {
                Some(how) => out.push_str(&format!("it maps to a post-login Action ({how}): ")),
                None => out.push_str("rewrite it as a post-login Action (the unsafe fix does): "),
            }
        } else {
            out.push_str("It maps to an Action: ");
        }
        // One entry per construct, with its lines.
        let mut grouped: Vec<(String, String, Vec<usize>)> = Vec::new();
        for (at, what, to) in &self.mapped {
            let l = line(*at);
            match grouped.iter_mut().find(|(w, t, _)| w == what && t == to) {
                Some(entry) => {
                    if !entry.2.contains(&l) {
                        entry.2.push(l)
                    }
                }
                None => grouped.push((what.clone(), to.clone(), vec![l])),
            }
        }
        grouped.sort_by_key(|(_, _, lines)| lines[0]);
        let items: Vec<String> = grouped
            .iter()
            .map(|(what, to, lines)| {
                let lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                let label = if lines.len() > 1 { "lines" } else { "line" };
                format!("`{what}` → `{to}` ({label} {})", lines.join(", "))
            })
            .collect();
        out.push_str(&items.join("; "));
        if !self.mapped.is_empty() {
            out.push('.');
        }
        if !self.secrets.is_empty() {
            let secrets: Vec<&str> = self.secrets.iter().map(String::as_str).collect();
            out.push_str(&format!(" Add the Action secrets {}.", secrets.join(", ")));
        }
        if !self.dependencies.is_empty() {
            let deps: Vec<String> = self
                .dependencies
                .iter()
                .map(|(p, v)| match v {
                    Some(v) => format!("{p}@{v}"),
                    None => format!("{p} (no version in the Rule: pick one)"),
                })
                .collect();
            out.push_str(&format!(" Declare the Action dependencies {}.", deps.join(", ")));
        }
        out
    }
}

/// Edits on one source, kept sorted and non-overlapping. Structural rewrites render the
/// text of a span with the edits already made inside it, then replace the whole span.
struct Rewrite<'a> {
    source: &'a str,
    edits: Vec<Edit>,
    failed: bool,
}

impl<'a> Rewrite<'a> {
    fn replace(&mut self, span: Span, content: impl Into<String>) {
        if self.edits.iter().any(|e| e.span.overlaps(span) || (!span.is_empty() && e.span == span)) {
            self.failed = true;
            return;
        }
        self.edits.push(Edit::replace(span, content));
        self.edits.sort_by_key(|e| (e.span.start, e.span.end));
    }

    /// Inserts text at a position, after what was inserted there before.
    fn insert(&mut self, at: usize, content: &str) {
        if let Some(edit) = self.edits.iter_mut().find(|e| e.span.is_empty() && e.span.start == at) {
            edit.content.push_str(content);
            return;
        }
        if self.edits.iter().any(|e| e.span.start < at && at < e.span.end) {
            self.failed = true;
            return;
        }
        self.edits.push(Edit::replace(Span::new(at, at), content));
        self.edits.sort_by_key(|e| (e.span.start, e.span.end));
    }

    /// True when an edit replaces all of `span`.
    fn covers(&self, span: Span) -> bool {
        self.edits.iter().any(|e| !e.span.is_empty() && e.span.contains(span))
    }

    /// True when `at` is strictly inside a replaced span.
    fn inside_edit(&self, at: usize) -> bool {
        self.edits.iter().any(|e| e.span.start < at && at < e.span.end)
    }

    /// The text of `span` with the edits inside it applied.
    fn render(&self, span: Span) -> String {
        let mut out = String::new();
        let mut at = span.start;
        for edit in self.edits.iter().filter(|e| span.contains(e.span)) {
            if edit.span.start < at {
                continue;
            }
            out.push_str(&self.source[at..edit.span.start]);
            out.push_str(&edit.content);
            at = edit.span.end;
        }
        out.push_str(&self.source[at..span.end]);
        out
    }

    /// Replaces `span` and everything edited inside it (text inserted just before or after
    /// it stays).
    fn absorb(&mut self, span: Span, content: impl Into<String>) {
        let boundary = |e: &Edit| e.span.is_empty() && (e.span.start == span.start || e.span.start == span.end);
        self.edits.retain(|e| !span.contains(e.span) || boundary(e));
        self.replace(span, content);
    }
}

/// How the callbacks of a statement of the Rule's body finish it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// In the Rule's own body, or in a promise chain the handler awaits: `return`.
    Await,
    /// In a Node-style callback: the statement is wrapped in `await new Promise(...)` and
    /// callbacks resolve it.
    Wrap,
}

/// Where a `callback(...)` call sits.
#[derive(Clone, Copy, Debug)]
enum Position {
    /// `callback(...);`: the call is a statement's expression.
    Statement,
    /// `return callback(...);`: the statement's span.
    Return(Span),
    /// `() => callback(...)`: the body of that function.
    Body(Span),
}

/// Names the Rules' runtime provides.
const RUNTIME_NAMES: [&str; 4] = ["configuration", "global", "auth0", "UnauthorizedError"];

struct Converter<'a> {
    model: &'a FileModel,
    source: &'a str,
    table: &'a Rule,
    func: &'a Function,
    callback: String,
    rw: Rewrite<'a>,
    blockers: Vec<Blocker>,
    mapped: Vec<(usize, String, String)>,
    secrets: BTreeSet<String>,
    dependencies: Vec<(String, Option<String>)>,
    /// Names declared inside the Rule: (name, region where they hide the Rule's).
    shadows: Vec<(String, Span)>,
    /// Statements of the Rule's body and how their callbacks finish.
    statements: Vec<(usize, Mode)>,
    /// The name the wrapped statements resolve with.
    resolve: String,
    /// The indentation unit of the Rule's body.
    unit: String,
    /// Declarations of the Rule's body that move to the top of the file (requires).
    hoisted_statements: Vec<usize>,
    /// Their text, once rendered.
    hoisted: Vec<String>,
    /// The body of `exports.onContinuePostLogin`, when the Rule has a redirect-callback branch.
    continuation: Option<String>,
    /// Keys of `user.app_metadata` / `user.user_metadata` the Rule changes; `None` when
    /// some change cannot be told (a computed key, a whole new object).
    metadata_keys: [(Option<Vec<String>>, Vec<String>); 2],
}

/// Lowers a text in the language of the Rule, to check the converted code.
type Lower<'l> = &'l dyn Fn(&str) -> Option<FileModel>;

fn convert(model: &FileModel, source: &str, table: &Rule, function: usize, lower: Lower) -> Conversion {
    let func = &model.functions[function];
    let callback = func.params[2].name.clone().unwrap_or_default();
    let mut c = Converter {
        model,
        source,
        table,
        func,
        callback,
        rw: Rewrite { source, edits: Vec::new(), failed: false },
        blockers: Vec::new(),
        mapped: Vec::new(),
        secrets: BTreeSet::new(),
        dependencies: Vec::new(),
        shadows: Vec::new(),
        statements: Vec::new(),
        resolve: String::new(),
        unit: String::new(),
        hoisted_statements: Vec::new(),
        hoisted: Vec::new(),
        continuation: None,
        metadata_keys: [(Some(Vec::new()), Vec::new()), (Some(Vec::new()), Vec::new())],
    };
    c.prepare();
    c.accesses();
    c.metadata_escapes();
    c.bare_names();
    c.requires();
    c.callbacks();
    c.throws();
    c.assignments();
    c.metadata_updates();
    c.statement_modes();
    c.redirect_branch();
    c.hoist();
    c.frame();
    c.completeness();
    if c.blockers.is_empty() && !c.rw.failed {
        c.check_output(lower);
    }
    let edits = (c.blockers.is_empty() && !c.rw.failed).then(|| c.rw.edits.clone());
    let mut blockers = c.blockers;
    if c.rw.failed && blockers.is_empty() {
        blockers.push(Blocker {
            at: func.span.start,
            construct: "the Rule's shape".to_string(),
            note: "two rewrites of this Rule overlap (an unusual nesting of the constructs above): convert it by hand"
                .to_string(),
        });
    }
    blockers.sort_by_key(|b| b.at);
    blockers.dedup_by(|a, b| a.at == b.at && a.construct == b.construct);
    Conversion { edits, mapped: c.mapped, blockers, secrets: c.secrets, dependencies: c.dependencies, shown: None }
}

/// A path pattern: a name, `*` (any one step) or `[]` (a computed index) per step.
fn pattern(text: &str) -> Vec<String> {
    let mut steps = Vec::new();
    for part in text.split('.') {
        let mut part = part;
        let mut computed = 0;
        while let Some(stripped) = part.strip_suffix("[]") {
            part = stripped;
            computed += 1;
        }
        if !part.is_empty() {
            steps.push(part.to_string());
        }
        for _ in 0..computed {
            steps.push("[]".to_string());
        }
    }
    steps
}

/// The steps of an access: its root, then each segment (`None` when computed).
fn steps(access: &Access) -> Vec<Option<&str>> {
    let mut out = vec![Some(access.root.as_str())];
    out.extend(access.segments.iter().map(|s| s.name.as_deref()));
    out
}

/// True when the pattern matches the first steps of `path`.
fn matches_prefix(pattern: &[String], path: &[Option<&str>]) -> bool {
    pattern.len() <= path.len()
        && pattern.iter().zip(path).all(|(p, s)| match (p.as_str(), s) {
            ("*", _) => true,
            ("[]", None) => true,
            (p, Some(s)) => p == *s,
            _ => false,
        })
}

/// The end of the first `n` steps of an access.
fn prefix_end(access: &Access, n: usize) -> usize {
    if n <= 1 {
        access.root_span.end
    } else {
        access.segments[n - 2].end
    }
}

/// A path as written in findings: `context.idToken[…]`.
fn display_path(path: &[Option<&str>]) -> String {
    let mut out = String::new();
    for (i, step) in path.iter().enumerate() {
        match step {
            Some(name) => {
                if i > 0 {
                    out.push('.');
                }
                out.push_str(name);
            }
            None => out.push_str("[…]"),
        }
    }
    out
}

/// A property name as a JavaScript string literal.
fn quote(name: &str) -> String {
    format!("'{}'", name.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// `base.key`, or `base['key']` when the key is not an identifier.
fn member(base: &str, key: &str) -> String {
    let identifier = key.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
        && key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$');
    if identifier {
        format!("{base}.{key}")
    } else {
        format!("{base}[{}]", quote(key))
    }
}

impl<'a> Converter<'a> {
    fn text(&self, span: Span) -> &'a str {
        self.source.get(span.range()).unwrap_or("")
    }

    fn block(&mut self, at: usize, construct: impl Into<String>, note: impl Into<String>) {
        self.blockers.push(Blocker { at, construct: construct.into(), note: note.into() });
    }

    fn map(&mut self, at: usize, what: impl Into<String>, to: impl Into<String>) {
        self.mapped.push((at, what.into(), to.into()));
    }

    /// True when `span` is inside the Rule's body.
    fn inside(&self, span: Span) -> bool {
        self.func.body.contains(span)
    }

    /// True when `name`, used at `at`, is the Rule's own (`user`, `context`, the callback,
    /// the runtime's `configuration`, ...), not a variable of the same name declared in it.
    fn is_rule_name(&self, name: &str, at: Span) -> bool {
        let known = name == "user" || name == "context" || name == self.callback || RUNTIME_NAMES.contains(&name);
        known && !self.shadows.iter().any(|(n, region)| n == name && region.contains(at))
    }

    /// The innermost function (of the Rule or nested in it) whose body holds `span`.
    fn function_at(&self, span: Span) -> Option<usize> {
        self.model.function_of(span)
    }

    fn is_rule_function(&self, f: Option<usize>) -> bool {
        f.is_some_and(|f| self.model.functions[f].span == self.func.span)
    }

    fn line_indent(&self, at: usize) -> String {
        let start = self.source[..at].rfind('\n').map_or(0, |i| i + 1);
        self.source[start..at].chars().take_while(|c| *c == ' ' || *c == '\t').collect()
    }

    /// Shadowed names, the indentation unit, the resolve name; and the names the Action
    /// needs for itself.
    fn prepare(&mut self) {
        let func = self.func;
        for decl in &self.model.declarations {
            if !self.inside(decl.span) {
                continue;
            }
            if decl.text == "event" || decl.text == "api" {
                self.block(
                    decl.span.start,
                    format!("a variable named {}", decl.text),
                    "the Action's handler receives `event` and `api`: rename this variable first",
                );
            }
            // A parameter hides the name in its function; any other declaration in its
            // innermost block.
            let region = self
                .model
                .functions
                .iter()
                .filter(|g| g.params_span.contains(decl.span))
                .map(|g| g.span)
                .next()
                .or_else(|| self.model.scope_of(decl.span))
                .unwrap_or(func.body);
            self.shadows.push((decl.text.clone(), region));
        }
        let used: BTreeSet<&str> = self
            .model
            .names
            .iter()
            .chain(&self.model.declarations)
            .filter(|n| func.span.contains(n.span))
            .map(|n| n.text.as_str())
            .collect();
        self.resolve = ["resolve", "done", "finish", "resume"]
            .iter()
            .find(|n| !used.contains(*n))
            .unwrap_or(&"resolve")
            .to_string();
        if let Some(name) = &func.name {
            let elsewhere = self.model.names.iter().find(|n| n.text == *name && !func.span.contains(n.span));
            if let Some(use_) = elsewhere {
                self.block(use_.span.start, format!("{name} used outside the Rule"), "the Rule's function becomes `exports.onExecutePostLogin`: the code that calls it by name needs to change too");
            }
        }
        let base = self.line_indent(func.span.start);
        let first = self.model.statements.iter().find(|s| self.inside(s.span));
        self.unit = first
            .map(|s| self.line_indent(s.span.start))
            .and_then(|indent| indent.strip_prefix(base.as_str()).map(str::to_string))
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| "  ".to_string());
    }

    /// The statement whose expression is exactly `span` (or `await span`).
    fn expression_statement(&self, span: Span) -> Option<usize> {
        self.model.statements.iter().position(|s| match s.kind {
            StatementKind::Expression(v) => v == span || (v.end == span.end && self.awaited(v, span)),
            _ => false,
        })
    }

    /// True when `outer` is `await inner`.
    fn awaited(&self, outer: Span, inner: Span) -> bool {
        outer.contains(inner) && self.source[outer.start..inner.start].trim() == "await" && outer.end == inner.end
    }

    /// Reads, calls and writes of paths rooted at the Rule's names.
    fn accesses(&mut self) {
        let model = self.model;
        for access in &model.accesses {
            if !self.inside(access.span) {
                continue;
            }
            let path = steps(access);
            if !access.root_is_name || !self.is_rule_name(&access.root, access.root_span) {
                self.indirect_identity_token(access, &path);
                continue;
            }
            let shown = display_path(&path);
            let root = access.root.as_str();
            if let Some(assignment) = model.assignments.iter().find(|a| a.target == access.span) {
                if root == "user" || root == "context" {
                    match self.assignment_row(&path) {
                        Some(row) if row.kind.as_deref() == Some("keep") => {
                            self.read(access, &path);
                            self.metadata_write(access, &path, assignment.value);
                        }
                        Some(_) => {} // rewritten with its assignment (`assignments`)
                        None => self.unsupported_write(access.span.start, &path, &shown),
                    }
                } else {
                    self.block(
                        access.span.start,
                        format!("{shown} ="),
                        "the runtime's objects cannot be assigned in an Action",
                    );
                }
                continue;
            }
            if model.deletions.iter().any(|d| d.target == access.span) {
                let row = self
                    .table
                    .unsupported
                    .iter()
                    .find(|u| u.deletes.iter().any(|d| matches_prefix(&pattern(d), &path)));
                if let Some(row) = row {
                    self.block(access.span.start, format!("delete {shown}"), row.note.trim());
                } else if root == "user"
                    && self.assignment_row(&path).is_some_and(|r| r.kind.as_deref() == Some("keep"))
                {
                    self.read(access, &path);
                    self.metadata_delete(access, &path);
                } else {
                    self.block(
                        access.span.start,
                        format!("delete {shown}"),
                        "nothing in the post-login API removes it",
                    );
                }
                continue;
            }
            let callee = model
                .calls
                .iter()
                .position(|c| c.span.start == access.span.start && c.name_span.end == access.span.end && !c.is_new);
            if let Some(call) = callee {
                if root == "auth0"
                    && matches!(
                        access.segments.last().and_then(|s| s.name.as_deref()),
                        Some("updateAppMetadata" | "updateUserMetadata")
                    )
                    && path.len() == 3
                    && path[1] == Some("users")
                {
                    continue; // `metadata_updates`
                }
                if path.len() == 4 && matches_prefix(&pattern("context.accessToken.scope.push"), &path) {
                    self.scope_push(call);
                    continue;
                }
                // `user.app_metadata.roles.push(x)` changes the key `roles`.
                let mutator = matches!(
                    path.last(),
                    Some(Some(
                        "push"
                            | "pop"
                            | "shift"
                            | "unshift"
                            | "splice"
                            | "sort"
                            | "reverse"
                            | "fill"
                            | "set"
                            | "add"
                            | "delete"
                            | "clear"
                    ))
                );
                if root == "user" && mutator && path.len() >= 4 {
                    self.metadata_mutation(access, &path);
                }
            }
            self.read(access, &path);
        }
    }

    /// An access to a token property of a value taken from `user.identities`.
    fn indirect_identity_token(&mut self, access: &Access, path: &[Option<&str>]) {
        let Some(row) = self.table.unsupported.iter().find(|u| !u.properties.is_empty()) else { return };
        let Some(property) = path.iter().skip(1).flatten().find(|p| row.properties.iter().any(|r| r == *p)) else {
            return;
        };
        let from_identities = if access.root_is_name {
            self.model
                .declarations
                .iter()
                .filter(|d| d.text == access.root && self.inside(d.span) && d.span.start < access.span.start)
                .filter_map(|d| self.model.statement_of(d.span))
                .any(|s| self.text(self.model.statements[s].span).contains("identities"))
        } else {
            access.root.contains("identities")
        };
        if from_identities {
            self.block(access.span.start, format!("{} ({property} of an identity)", row.construct), row.note.trim());
        }
    }

    /// The `[[assignment]]` row for an assigned path.
    fn assignment_row(&self, path: &[Option<&str>]) -> Option<&'a AssignmentMapping> {
        self.table.assignment.iter().find(|row| {
            let p = pattern(&row.target);
            matches_prefix(&p, path) && (row.prefix || p.len() == path.len())
        })
    }

    fn unsupported_write(&mut self, at: usize, path: &[Option<&str>], shown: &str) {
        let row = self.table.unsupported.iter().find(|u| u.writes.iter().any(|w| matches_prefix(&pattern(w), path)));
        let note = match row {
            Some(row) => row.note.trim().to_string(),
            None => match self.longest_unsupported(path) {
                Some((_, row)) => row.note.trim().to_string(),
                None => "no call of the post-login API does what this assignment did in a Rule".to_string(),
            },
        };
        self.block(at, format!("{shown} = ..."), note);
    }

    /// The longest `[[unsupported]]` path matching `path`, with its length.
    fn longest_unsupported(&self, path: &[Option<&str>]) -> Option<(usize, &'a crate::catalogue::Unsupported)> {
        self.table
            .unsupported
            .iter()
            .flat_map(|row| row.paths.iter().map(move |p| (pattern(p), row)))
            .filter(|(p, _)| matches_prefix(p, path))
            .map(|(p, row)| (p.len(), row))
            .max_by_key(|(len, _)| *len)
    }

    /// A read of a path: renamed by the longest `[[mapping]]` row, unless a longer
    /// `[[unsupported]]` path says it has no equivalent (a mapping wins a tie: an exact
    /// row over a wildcard).
    fn read(&mut self, access: &Access, path: &[Option<&str>]) {
        let mapping = self
            .table
            .mapping
            .iter()
            .map(|row| (pattern(&row.from), row))
            .filter(|(p, _)| matches_prefix(p, path))
            .max_by_key(|(p, _)| p.len());
        let unsupported = self.longest_unsupported(path);
        let shown = display_path(path);
        match (mapping, unsupported) {
            (Some((p, row)), u) if u.is_none_or(|(len, _)| len <= p.len()) => {
                if p.len() == path.len() {
                    if let Some(blocker) = self.bound_object(access, path) {
                        let (construct, note) = blocker;
                        self.block(access.span.start, construct, note);
                        return;
                    }
                }
                let end = prefix_end(access, p.len());
                self.rw.replace(Span::new(access.span.start, end), row.to.clone());
                let from = display_path(&path[..p.len()]);
                match path[0] {
                    Some("configuration") => {
                        let key = match path.get(1) {
                            Some(Some(key)) => key.to_string(),
                            _ => "…".to_string(),
                        };
                        self.secrets.insert(key.clone());
                        self.map(access.span.start, format!("configuration.{key}"), format!("event.secrets.{key}"));
                    }
                    Some("user") => self.map(access.span.start, "user.*", "event.user.*"),
                    _ => self.map(access.span.start, from, row.to.clone()),
                }
            }
            (_, Some((_, row))) => self.block(access.span.start, shown, row.note.trim()),
            _ => self.block(access.span.start, shown, "no documented equivalent in the post-login event or API"),
        }
    }

    /// A whole object (`context.request.geoip`) bound to a name whose reads use keys that
    /// the replacement renames: the `bound` rows of `[[unsupported]]`.
    fn bound_object(&self, access: &Access, path: &[Option<&str>]) -> Option<(String, String)> {
        let model = self.model;
        let row =
            self.table.unsupported.iter().find(|u| {
                u.bound.iter().any(|b| pattern(b).len() == path.len() && matches_prefix(&pattern(b), path))
            })?;
        let binding = model.bindings.iter().find(|b| b.value.span(model) == access.span)?;
        let renamed = model.accesses.iter().any(|a| {
            a.root_is_name
                && a.root == binding.name
                && self.inside(a.span)
                && a.span.start > access.span.start
                && a.segments.first().and_then(|s| s.name.as_deref()).is_some_and(|k| row.keys.iter().any(|r| r == k))
        });
        renamed.then(|| (row.construct.clone(), row.note.trim().to_string()))
    }

    /// Records a key of `user.app_metadata` / `user.user_metadata` written by an assignment.
    fn metadata_write(&mut self, access: &Access, path: &[Option<&str>], value: Span) {
        let which = match path.get(1) {
            Some(Some("app_metadata")) => 0,
            Some(Some("user_metadata")) => 1,
            _ => return,
        };
        match path.get(2) {
            Some(Some(key)) => self.metadata_key(which, key, false),
            Some(None) => match self.literal_index(access, 1) {
                Some(key) => self.metadata_key(which, &key, false),
                None => self.metadata_keys[which].0 = None,
            },
            None => {
                // `user.app_metadata = user.app_metadata || {}` keeps the keys; a new object
                // sets its own.
                let value_text: String = self.text(value).chars().filter(|c| !c.is_whitespace()).collect();
                let own = format!("user.{}", path[1].unwrap_or(""));
                if value_text == format!("{own}||{{}}") || value_text == own {
                    return;
                }
                match self.model.objects.iter().find(|o| o.span == value && o.kind == ObjectKind::Literal) {
                    Some(object) => {
                        let keys: Vec<String> = object.entries.iter().map(|e| e.key.clone()).collect();
                        for key in keys {
                            self.metadata_key(which, &key, false);
                        }
                    }
                    None => self.metadata_keys[which].0 = None,
                }
            }
        }
    }

    /// The text of a computed index written as a string literal (`['last-login']`).
    fn literal_index(&self, access: &Access, segment: usize) -> Option<String> {
        let span = access.segments.get(segment)?.span;
        self.model.strings.iter().find(|s| s.span == span).and_then(|s| s.literal_text())
    }

    fn metadata_mutation(&mut self, access: &Access, path: &[Option<&str>]) {
        let which = match path.get(1) {
            Some(Some("app_metadata")) => 0,
            Some(Some("user_metadata")) => 1,
            _ => return,
        };
        match (path.get(2), self.literal_index(access, 1)) {
            (Some(Some(key)), _) => self.metadata_key(which, key, false),
            (Some(None), Some(key)) => self.metadata_key(which, &key, false),
            _ => self.metadata_keys[which].0 = None,
        }
    }

    fn metadata_delete(&mut self, access: &Access, path: &[Option<&str>]) {
        let which = match path.get(1) {
            Some(Some("app_metadata")) => 0,
            Some(Some("user_metadata")) => 1,
            _ => return,
        };
        match (path.get(2), self.literal_index(access, 1)) {
            (Some(Some(key)), _) => self.metadata_key(which, key, true),
            (Some(None), Some(key)) => self.metadata_key(which, &key, true),
            _ => self.metadata_keys[which].0 = None,
        }
    }

    fn metadata_key(&mut self, which: usize, key: &str, deleted: bool) {
        if let Some(keys) = &mut self.metadata_keys[which].0 {
            if !keys.iter().any(|k| k == key) {
                keys.push(key.to_string());
            }
        }
        if deleted && !self.metadata_keys[which].1.iter().any(|k| k == key) {
            self.metadata_keys[which].1.push(key.to_string());
        }
    }

    /// `user.app_metadata` (or `user_metadata`) held in a variable or handed to a call other
    /// than its update: the keys it changes can no longer be told.
    fn metadata_escapes(&mut self) {
        let model = self.model;
        for access in &model.accesses {
            if !self.inside(access.span)
                || !access.root_is_name
                || access.root != "user"
                || !self.is_rule_name("user", access.root_span)
            {
                continue;
            }
            let which = match steps(access).as_slice() {
                [Some("user"), Some("app_metadata")] => 0,
                [Some("user"), Some("user_metadata")] => 1,
                _ => continue,
            };
            let own = self.text(access.span).chars().filter(|c| !c.is_whitespace()).collect::<String>();
            let bound = model.bindings.iter().any(|b| {
                let value = b.value.span(model);
                let text: String = self.text(value).chars().filter(|c| !c.is_whitespace()).collect();
                value.contains(access.span) && b.name != own && (text == own || text == format!("{own}||{{}}"))
            });
            let passed = model.calls.iter().any(|c| {
                c.args.iter().any(|a| a.value.span(model) == access.span)
                    && !matches!(
                        c.callee.as_str(),
                        "auth0.users.updateAppMetadata"
                            | "auth0.users.updateUserMetadata"
                            | "JSON.stringify"
                            | "console.log"
                    )
            });
            if bound || passed {
                self.metadata_keys[which].0 = None;
            }
        }
    }

    /// Names of the Rule used on their own (not as the root of a path).
    fn bare_names(&mut self) {
        let model = self.model;
        let roots: BTreeSet<usize> = model.accesses.iter().map(|a| a.root_span.start).collect();
        for name in &model.names {
            if !self.inside(name.span) || roots.contains(&name.span.start) || !self.is_rule_name(&name.text, name.span)
            {
                continue;
            }
            // Mutations of a metadata object through a method (`user.app_metadata.roles.push(x)`)
            // are paths; here only whole names.
            let shorthand =
                model.objects.iter().flat_map(|o| &o.entries).any(|e| e.span == name.span && e.key_span == name.span);
            match name.text.as_str() {
                "user" | "configuration" => {
                    let to = if name.text == "user" { "event.user" } else { "event.secrets" };
                    let content = if shorthand { format!("{}: {to}", name.text) } else { to.to_string() };
                    self.rw.replace(name.span, content);
                    if name.text == "user" {
                        self.map(name.span.start, "user.*", "event.user.*");
                    } else {
                        self.map(name.span.start, "configuration", "event.secrets");
                    }
                }
                // `new UnauthorizedError(m)`: a plain Error keeps its message (a denial in a
                // callback is rewritten whole by `callbacks`).
                "UnauthorizedError" => self.rw.replace(name.span, "Error"),
                n if n == self.callback => {} // `callbacks`
                "context" => {}               // allowed only inside a `callback(...)` call, checked there
                other => {
                    let path = [Some(other)];
                    match self.longest_unsupported(&path) {
                        Some((_, row)) => self.block(name.span.start, other, row.note.trim()),
                        None => self.block(name.span.start, other, "no equivalent in an Action"),
                    }
                }
            }
        }
    }

    /// Versioned requires (`require('request@2.56.0')`): the version moves to the Action's
    /// dependencies; requires of the Rule's body move to the top of the file.
    fn requires(&mut self) {
        let model = self.model;
        for call in &model.calls {
            if !self.inside(call.span) || call.callee != "require" || call.is_new {
                continue;
            }
            let Some(arg) = call.args.first() else { continue };
            let Some(string) = model.string_of(&arg.value) else { continue };
            let Some(spec) = string.literal_text() else { continue };
            if spec.starts_with('.') || spec.starts_with('/') {
                continue;
            }
            let at = match spec.strip_prefix('@') {
                Some(scoped) => scoped.find('@').map(|i| i + 1),
                None => spec.find('@'),
            };
            let (package, version) = match at {
                Some(i) => (spec[..i].to_string(), Some(spec[i + 1..].to_string())),
                None => (spec.clone(), None),
            };
            let module = package.split('/').next().unwrap_or("").trim_start_matches("node:");
            let builtin = package.starts_with("node:") || self.table.builtin_modules.iter().any(|m| m == module);
            if let Some(i) = at {
                match text_edit(string, i, spec.len(), "") {
                    Some(edit) => self.rw.replace(edit.span, edit.content),
                    None => {
                        self.block(
                            call.span.start,
                            format!("require('{spec}')"),
                            "the version is written with escapes: remove it by hand",
                        );
                        continue;
                    }
                }
                self.map(call.span.start, format!("require('{spec}')"), format!("require('{package}')"));
            }
            if !builtin && !self.dependencies.iter().any(|(p, _)| *p == package) {
                self.dependencies.push((package.clone(), version.clone()));
            }
            // Move `const x = require('pkg@1');` out of the handler.
            if version.is_none() {
                continue;
            }
            let Some(statement) = model.statement_of(call.span) else { continue };
            let s = &model.statements[statement];
            if s.kind != StatementKind::Declaration || !self.is_body_statement(statement) {
                continue;
            }
            // Only a declaration of what a require returns: anything else it reads would not
            // exist at the top of the file.
            let reads = model.names.iter().any(|n| s.span.contains(n.span) && n.text != "require");
            if !reads && !self.hoisted_statements.contains(&statement) {
                self.hoisted_statements.push(statement);
            }
        }
    }

    /// True when a statement is one of the Rule body's own (not nested in another).
    fn is_body_statement(&self, statement: usize) -> bool {
        let span = self.model.statements[statement].span;
        self.inside(span)
            && !self.model.statements.iter().any(|o| o.span != span && o.span.contains(span) && self.inside(o.span))
    }

    /// Every `callback(...)` of the Rule, and `.catch(callback)`.
    fn callbacks(&mut self) {
        let model = self.model;
        let callback = self.callback.clone();
        let mut calls: Vec<(usize, Position)> = Vec::new();
        for (id, call) in model.calls.iter().enumerate() {
            if !self.inside(call.span)
                || call.callee != callback
                || call.is_new
                || !self.is_rule_name(&callback, call.name_span)
            {
                continue;
            }
            match self.position(call.span) {
                Some(position) => calls.push((id, position)),
                None => self.block(call.span.start, format!("{callback}(...) inside an expression"), "only a `callback(...)` statement, `return callback(...)` or an arrow function's `() => callback(...)` can become a `return`: restructure it first"),
            }
        }
        // `.catch(callback)`, `.then(f, callback)`: (the name, the call it is passed to).
        let mut handlers: Vec<(Span, usize)> = Vec::new();
        for name in &model.names {
            if name.text != callback || !self.inside(name.span) || !self.is_rule_name(&callback, name.span) {
                continue;
            }
            if model.calls.iter().any(|c| c.callee == callback && c.name_span == name.span) {
                continue;
            }
            let handler = model.calls.iter().position(|c| {
                c.args.iter().enumerate().any(|(i, a)| {
                    a.value.span(model) == name.span && (c.name() == "catch" || (c.name() == "then" && i == 1))
                })
            });
            match handler {
                Some(handler) => handlers.push((name.span, handler)),
                None => self.block(
                    name.span.start,
                    format!("{callback} passed to other code"),
                    "the Action has no callback: call `api.access.deny(...)` or return where this code calls it",
                ),
            }
        }
        // First the statement of the Rule's body each one finishes, and how; then the rewrites.
        let mut sites: Vec<Option<Option<usize>>> = Vec::new();
        for &(id, _) in &calls {
            sites.push(self.site(model.calls[id].span));
        }
        for &(_, handler) in &handlers {
            let site = self.site(model.calls[handler].span);
            // A handler of a chain in the Rule's own body: the handler awaits the chain.
            if site == Some(None) {
                let top = model.calls[self.chain_top(handler)].span;
                if let Some(statement) = self.expression_statement(top) {
                    if !self.statements.iter().any(|(s, _)| *s == statement) {
                        self.statements.push((statement, Mode::Await));
                    }
                }
            }
            sites.push(site);
        }
        let mode = |this: &Self, site: Option<usize>| match site {
            None => Mode::Await,
            Some(statement) => this.statements.iter().find(|(s, _)| *s == statement).map_or(Mode::Await, |(_, m)| *m),
        };
        let r = self.resolve.clone();
        for (i, &(id, position)) in calls.iter().enumerate() {
            let Some(site) = sites[i] else { continue };
            let mode = mode(self, site);
            let call = &model.calls[id];
            let denial = self.denial(id);
            let (content, span) = match (position, mode, &denial) {
                (Position::Statement, Mode::Await, None) => ("return".to_string(), call.span),
                (Position::Statement, Mode::Await, Some(d)) => (format!("return {d}"), call.span),
                (Position::Statement, Mode::Wrap, None) => (format!("return {r}()"), call.span),
                (Position::Statement, Mode::Wrap, Some(d)) => (format!("return {r}({d})"), call.span),
                (Position::Return(s), Mode::Await, None) => ("return".to_string(), Span::new(s.start, call.span.end)),
                (Position::Return(_), Mode::Await, Some(d)) => (d.clone(), call.span),
                (Position::Return(_), Mode::Wrap, None) => (format!("{r}()"), call.span),
                (Position::Return(_), Mode::Wrap, Some(d)) => (format!("{r}({d})"), call.span),
                (Position::Body(body), Mode::Await, None) => ("{}".to_string(), body),
                (Position::Body(body), Mode::Await, Some(d)) => (d.clone(), body),
                (Position::Body(body), Mode::Wrap, None) => (format!("{r}()"), body),
                (Position::Body(body), Mode::Wrap, Some(d)) => (format!("{r}({d})"), body),
            };
            let note = if denial.is_some() { "return api.access.deny(…)" } else { "return" };
            self.map(call.span.start, format!("{callback}(…)"), note);
            // The arguments (`null, user, context`) go with the call.
            self.rw.absorb(span, content);
        }
        for (i, &(name, _)) in handlers.iter().enumerate() {
            let Some(site) = sites[calls.len() + i] else { continue };
            let deny = "api.access.deny(err.message)";
            let content = match mode(self, site) {
                Mode::Await => format!("(err) => {deny}"),
                Mode::Wrap => format!("(err) => {r}({deny})"),
            };
            self.map(name.start, format!(".catch({callback})"), format!(".catch((err) => {deny})"));
            self.rw.replace(name, content);
        }
    }

    /// `throw new UnauthorizedError(m)` in the Rule's own body (not in a `try`) denies the
    /// login: `return api.access.deny(m)`. (Elsewhere the error is renamed `Error` and
    /// reaches the `.catch` that denies with its message.)
    fn throws(&mut self) {
        let model = self.model;
        for statement in &model.statements {
            let StatementKind::Throw(Some(value)) = statement.kind else { continue };
            if !self.inside(statement.span) || !self.is_rule_function(self.function_at(statement.span)) {
                continue;
            }
            let in_try = model.statements.iter().any(|s| {
                s.span.contains(statement.span) && self.inside(s.span) && self.text(s.span).starts_with("try")
            });
            let Some(error) = model.calls.iter().find(|c| c.span == value && c.is_new) else { continue };
            if in_try || error.callee != "UnauthorizedError" || !self.is_rule_name("UnauthorizedError", error.name_span)
            {
                continue;
            }
            let message = match error.args.first() {
                Some(arg) => self.rw.render(arg.value.span(model)),
                None => "''".to_string(),
            };
            self.map(statement.span.start, "throw new UnauthorizedError(…)", "return api.access.deny(…)");
            self.rw.absorb(Span::new(statement.span.start, value.end), format!("return api.access.deny({message})"));
        }
    }

    /// Where a callback call sits.
    fn position(&self, call: Span) -> Option<Position> {
        for s in &self.model.statements {
            match s.kind {
                StatementKind::Expression(v) if v == call => return Some(Position::Statement),
                StatementKind::Return(Some(v)) if v == call => return Some(Position::Return(s.span)),
                _ => {}
            }
        }
        self.model
            .functions
            .iter()
            .find(|g| g.expression_body && self.unparenthesized(g.body) == call)
            .map(|g| Position::Body(g.body))
    }

    /// A span without the parentheses around it.
    fn unparenthesized(&self, span: Span) -> Span {
        let mut span = span;
        loop {
            let text = self.text(span);
            let trimmed = text.trim();
            if trimmed.starts_with('(') && trimmed.ends_with(')') {
                let lead = text.len() - text.trim_start().len();
                let trail = text.len() - text.trim_end().len();
                span = Span::new(span.start + lead + 1, span.end - trail - 1);
                let text = self.text(span);
                let lead = text.len() - text.trim_start().len();
                let trail = text.len() - text.trim_end().len();
                span = Span::new(span.start + lead, span.end - trail);
            } else {
                return span;
            }
        }
    }

    /// Where a callback at `span` finishes the handler: `Some(None)` in the Rule's own body,
    /// `Some(Some(statement))` in a function nested in that statement of the Rule's body
    /// (recorded in `statements` with how it finishes: a Node-style callback anywhere in
    /// the statement wraps it whole); `None` (with a blocker) when it cannot be told.
    fn site(&mut self, span: Span) -> Option<Option<usize>> {
        let model = self.model;
        let inner = self.function_at(span);
        if self.is_rule_function(inner) {
            return Some(None);
        }
        // The outermost function nested in the Rule that holds the call.
        let outer = (0..model.functions.len())
            .filter(|&g| {
                let f = &model.functions[g];
                f.span.contains(span) && self.inside(f.span)
            })
            .max_by_key(|&g| model.functions[g].span.len())?;
        let outer_span = model.functions[outer].span;
        let passed = model.calls.iter().position(|c| c.args.iter().any(|a| a.value.span(model) == outer_span));
        let statement = model.statement_of(outer_span);
        let (Some(passed), Some(statement)) = (passed, statement) else {
            self.block(span.start, format!("{}(...) in a function of the Rule", self.callback), "the callback is called from a function the Rule declares, so the Action cannot tell when it finishes: inline it, or make it return a promise the handler awaits");
            return None;
        };
        if !self.is_rule_function(self.function_at(model.statements[statement].span)) {
            return None;
        }
        // A function that an array method calls at once: a `return` there does not leave
        // the handler, and a wrapping promise might never settle.
        let iterating = model.functions.iter().filter(|g| g.span.contains(span) && self.inside(g.span)).any(|g| {
            model.calls.iter().any(|c| {
                c.args.iter().any(|a| a.value.span(model) == g.span)
                    && matches!(
                        c.name(),
                        "forEach"
                            | "map"
                            | "filter"
                            | "some"
                            | "every"
                            | "find"
                            | "findIndex"
                            | "reduce"
                            | "reduceRight"
                            | "flatMap"
                            | "sort"
                    )
            })
        });
        if iterating {
            self.block(
                span.start,
                format!("{}(...) in an array callback", self.callback),
                "a `return` there does not finish the Action: loop with `for...of` in the Rule's body instead",
            );
            return None;
        }
        let chain = ["then", "catch", "finally"].contains(&model.calls[passed].name());
        let single = inner.is_some_and(|i| model.functions[i].span == outer_span);
        let top = self.chain_top(passed);
        let value = match model.statements[statement].kind {
            StatementKind::Expression(v) | StatementKind::Return(Some(v)) => Some(v),
            _ => None,
        };
        let awaitable = value.is_some_and(|v| v == model.calls[top].span || self.awaited(v, model.calls[top].span));
        let mode = if chain && single && awaitable { Mode::Await } else { Mode::Wrap };
        match self.statements.iter_mut().find(|(s, _)| *s == statement) {
            Some(entry) if mode == Mode::Wrap => entry.1 = Mode::Wrap,
            Some(_) => {}
            None => self.statements.push((statement, mode)),
        }
        Some(Some(statement))
    }

    /// The last call of the chain a call starts (`a().then(f).catch(g)` from `a()`).
    fn chain_top(&self, call: usize) -> usize {
        let mut current = call;
        for _ in 0..64 {
            match self.model.calls.iter().position(|c| c.receiver == Some(current)) {
                Some(next) => current = next,
                None => break,
            }
        }
        current
    }

    /// `api.access.deny(m)` for a failing `callback(err)`; `None` when the callback succeeds
    /// (`callback(null, user, context)`, `callback()`).
    fn denial(&mut self, call: usize) -> Option<String> {
        let model = self.model;
        let first = model.calls[call].args.first()?;
        let text = self.text(first.value.span(model)).trim();
        if matches!(text, "null" | "undefined" | "false" | "0" | "") {
            return None;
        }
        let message = match &first.value {
            Value::Call(id) if model.calls[*id].is_new => match model.calls[*id].args.first() {
                Some(arg) => self.rw.render(arg.value.span(model)),
                None => "''".to_string(),
            },
            Value::String(_) => self.rw.render(first.value.span(model)),
            Value::Expr(expr) if expr.is_path() => format!("{}.message", self.rw.render(expr.span)),
            other => format!("({}).message", self.rw.render(other.span(model))),
        };
        Some(format!("api.access.deny({message})"))
    }

    /// Assignments rewritten as calls.
    fn assignments(&mut self) {
        let model = self.model;
        for assignment in &model.assignments {
            if !self.inside(assignment.span) {
                continue;
            }
            let Some(access) = model.accesses.iter().find(|a| a.span == assignment.target) else { continue };
            if !access.root_is_name || access.root != "context" || !self.is_rule_name("context", access.root_span) {
                continue;
            }
            let path = steps(access);
            let Some(row) = self.assignment_row(&path) else { continue };
            if row.kind.as_deref() == Some("keep") {
                continue;
            }
            let shown = display_path(&path);
            let Some(statement) = self.expression_statement(assignment.span) else {
                self.block(
                    assignment.span.start,
                    format!("{shown} = ... inside an expression"),
                    "only an assignment written as a statement becomes a call: restructure it first",
                );
                continue;
            };
            if assignment.operator != "=" {
                self.block(
                    assignment.span.start,
                    format!("{shown} {} ...", assignment.operator),
                    "only a plain `=` assignment becomes a call",
                );
                continue;
            }
            let value = self.rw.render(assignment.value);
            let content = match (&row.call, row.kind.as_deref()) {
                (Some(template), _) => {
                    let last = access.segments.last();
                    let key = match last {
                        Some(seg) => match &seg.name {
                            Some(name) => quote(name),
                            None => self.rw.render(seg.span),
                        },
                        None => String::new(),
                    };
                    Some(template.replace("{key}", &key).replace("{value}", &value))
                }
                (None, Some("multifactor")) => self.multifactor(assignment.value),
                (None, Some("redirect")) => self.redirect(assignment.value),
                (None, Some("scope")) => Some(self.scopes(assignment.value, &value, statement)),
                (None, Some("saml-mappings")) => self.saml_mappings(assignment.value, statement),
                _ => None,
            };
            let Some(content) = content else {
                self.block(
                    assignment.span.start,
                    format!("{shown} = ..."),
                    "the assigned value has a shape this rewrite does not know: convert it by hand",
                );
                continue;
            };
            let what = format!("{shown} = …");
            let to = content.split('(').next().unwrap_or("").trim().to_string();
            self.map(
                assignment.span.start,
                what,
                if row.kind.as_deref() == Some("scope") {
                    "api.accessToken.addScope/removeScope".to_string()
                } else {
                    to
                },
            );
            if row.kind.as_deref() == Some("scope") {
                // The block replaces the whole statement.
                let span = model.statements[statement].span;
                self.rw.absorb(span, content);
            } else {
                self.rw.absorb(assignment.span, content);
            }
        }
    }

    fn object_at(&self, span: Span) -> Option<&'a crate::model::ObjectLiteral> {
        let model = self.model;
        model.objects.iter().find(|o| o.span == span && o.kind == ObjectKind::Literal)
    }

    /// `context.multifactor = { provider, allowRememberBrowser, ...options }` →
    /// `api.multifactor.enable(provider, { allowRememberBrowser, providerOptions: {...} })`.
    fn multifactor(&self, value: Span) -> Option<String> {
        let object = self.object_at(value)?;
        let provider = object.get("provider")?;
        let provider = self.rw.render(provider.value.span(self.model));
        let mut options = Vec::new();
        let mut provider_options = Vec::new();
        for entry in &object.entries {
            match entry.key.as_str() {
                "provider" => {}
                "allowRememberBrowser" => options.push(self.rw.render(entry.span)),
                _ => provider_options.push(self.rw.render(entry.span)),
            }
        }
        if !provider_options.is_empty() {
            options.push(format!("providerOptions: {{ {} }}", provider_options.join(", ")));
        }
        Some(if options.is_empty() {
            format!("api.multifactor.enable({provider})")
        } else {
            format!("api.multifactor.enable({provider}, {{ {} }})", options.join(", "))
        })
    }

    /// `context.redirect = { url }` → `api.redirect.sendUserTo(url)`.
    fn redirect(&self, value: Span) -> Option<String> {
        let object = self.object_at(value)?;
        if object.entries.len() != 1 {
            return None;
        }
        let url = object.get("url")?;
        let url = if url.span == url.key_span { "url".to_string() } else { self.rw.render(url.value.span(self.model)) };
        Some(format!("api.redirect.sendUserTo({url})"))
    }

    /// `context.accessToken.scope = v`: the granted scopes become exactly `v`.
    fn scopes(&self, value: Span, rendered: &str, statement: usize) -> String {
        let indent = self.line_indent(self.model.statements[statement].span.start);
        let unit = &self.unit;
        let is_array =
            self.model.strings.iter().all(|s| s.span != value) && self.text(value).trim_start().starts_with('[');
        let list = if is_array {
            rendered.to_string()
        } else if self.model.strings.iter().any(|s| s.span == value) {
            format!("{rendered}.split(' ').filter(Boolean)")
        } else {
            format!("[].concat({rendered}).join(' ').split(' ').filter(Boolean)")
        };
        let name = if self.source.contains("grantedScopes") { "grantedScopes_" } else { "grantedScopes" };
        format!(
            "{{\n{indent}{unit}const {name} = {list};\n{indent}{unit}event.transaction.requested_scopes.filter((scope) => !{name}.includes(scope)).forEach((scope) => api.accessToken.removeScope(scope));\n{indent}{unit}{name}.forEach((scope) => api.accessToken.addScope(scope));\n{indent}}}"
        )
    }

    /// `context.samlConfiguration.mappings = { attribute: 'user.path' }` →
    /// `api.samlResponse.setAttribute(attribute, event.user.path)` per entry.
    fn saml_mappings(&self, value: Span, statement: usize) -> Option<String> {
        let object = self.object_at(value)?;
        let indent = self.line_indent(self.model.statements[statement].span.start);
        let mut calls = Vec::new();
        for entry in &object.entries {
            let string = self.model.string_of(&entry.value)?;
            let path = string.literal_text()?;
            if path.is_empty()
                || !path.split('.').all(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '_'))
            {
                return None;
            }
            calls.push(format!("api.samlResponse.setAttribute({}, event.user.{path})", quote(&entry.key)));
        }
        if calls.is_empty() {
            return None;
        }
        Some(calls.join(&format!(";\n{indent}")))
    }

    /// `context.accessToken.scope.push(a, b)` → `api.accessToken.addScope(a)` per scope.
    fn scope_push(&mut self, call: usize) {
        let model = self.model;
        let c = &model.calls[call];
        let scopes: Vec<String> = c.args.iter().map(|a| self.rw.render(a.value.span(model))).collect();
        let content = match scopes.as_slice() {
            [one] => format!("api.accessToken.addScope({one})"),
            _ => format!("[{}].forEach((scope) => api.accessToken.addScope(scope))", scopes.join(", ")),
        };
        self.map(c.span.start, "context.accessToken.scope.push(…)", "api.accessToken.addScope(…)");
        self.rw.absorb(c.span, content);
    }

    /// `auth0.users.updateAppMetadata(user.user_id, user.app_metadata)` → one
    /// `api.user.setAppMetadata(key, value)` per key the Rule changes.
    fn metadata_updates(&mut self) {
        let model = self.model;
        for call in &model.calls {
            if !self.inside(call.span) || call.is_new {
                continue;
            }
            let which = if call.callee == "auth0.users.updateAppMetadata" {
                0
            } else if call.callee == "auth0.users.updateUserMetadata" {
                1
            } else {
                continue;
            };
            if !self.is_rule_name("auth0", call.span) {
                continue;
            }
            let (field, setter) =
                if which == 0 { ("app_metadata", "setAppMetadata") } else { ("user_metadata", "setUserMetadata") };
            let shown = format!("auth0.users.{}", call.name());
            let args: Vec<String> = call
                .args
                .iter()
                .map(|a| self.text(a.value.span(model)).chars().filter(|c| !c.is_whitespace()).collect())
                .collect();
            if args.len() != 2 || args[0] != "user.user_id" {
                self.block(call.span.start, shown, "only the signed-in user's own metadata (`user.user_id`, with no callback) becomes `api.user.set*Metadata`; other users need a Management API client");
                continue;
            }
            let mut sets: Vec<String> = Vec::new();
            if args[1] == format!("user.{field}") {
                match &self.metadata_keys[which].0 {
                    Some(keys) if !keys.is_empty() => {
                        for key in keys {
                            let base = member(&format!("event.user.{field}"), key);
                            let value = if self.metadata_keys[which].1.contains(key) {
                                format!("{base} ?? null")
                            } else {
                                base
                            };
                            sets.push(format!("api.user.{setter}({}, {value})", quote(key)));
                        }
                    }
                    _ => {
                        self.block(call.span.start, shown, format!("the keys of `user.{field}` the Rule changes cannot all be told (a computed key or a new object): call `api.user.{setter}(key, value)` for each by hand"));
                        continue;
                    }
                }
            } else if let Some(object) = self.object_at(call.args[1].value.span(model)) {
                for entry in &object.entries {
                    let value = if entry.span == entry.key_span {
                        entry.key.clone()
                    } else {
                        self.rw.render(entry.value.span(model))
                    };
                    sets.push(format!("api.user.{setter}({}, {value})", quote(&entry.key)));
                }
            } else {
                self.block(call.span.start, shown, format!("the metadata passed is not `user.{field}` nor an object literal: call `api.user.{setter}(key, value)` for each key by hand"));
                continue;
            }
            self.map(call.span.start, shown.clone(), format!("api.user.{setter}(key, value)"));
            let Some(statement) = model.statement_of(call.span) else { continue };
            let s = &model.statements[statement];
            let indent = self.line_indent(s.span.start);
            let whole = match s.kind {
                StatementKind::Expression(v) => v == call.span || self.awaited(v, call.span),
                _ => false,
            };
            if whole {
                // `auth0.users.updateAppMetadata(...);` → the calls, one statement each.
                let value = match s.kind {
                    StatementKind::Expression(v) => v,
                    _ => call.span,
                };
                self.rw.absorb(value, sets.join(&format!(";\n{indent}")));
            } else {
                // In a chain: the calls go before the statement, the chain starts from a
                // resolved promise.
                let before: String = sets.iter().map(|s| format!("{s};\n{indent}")).collect();
                self.rw.insert(s.span.start, &before);
                self.rw.absorb(call.span, "Promise.resolve()");
                // The chain is a promise chain the handler must await.
                if self.is_rule_function(self.function_at(s.span))
                    && !self.statements.iter().any(|(st, _)| *st == statement)
                {
                    self.statements.push((statement, Mode::Await));
                }
            }
        }
    }

    /// Awaits the promise chains whose callbacks finish the Rule, and wraps the statements
    /// whose Node-style callbacks do.
    fn statement_modes(&mut self) {
        let model = self.model;
        let statements = std::mem::take(&mut self.statements);
        for &(statement, mode) in &statements {
            let s = &model.statements[statement];
            let indent = self.line_indent(s.span.start);
            let unit = self.unit.clone();
            match (mode, &s.kind) {
                (Mode::Await, StatementKind::Expression(v)) => {
                    if !self.text(*v).trim_start().starts_with("await") {
                        self.rw.insert(v.start, "await ");
                    }
                }
                (Mode::Await, StatementKind::Return(_)) => {}
                (Mode::Await, _) => self.block(
                    s.span.start,
                    "a promise chain in a declaration",
                    "the handler must await the chain that finishes the Rule: make it a statement of its own",
                ),
                (Mode::Wrap, StatementKind::Return(Some(v))) => {
                    let r = self.resolve.clone();
                    self.reindent(*v);
                    self.rw.replace(
                        Span::new(s.span.start, v.start),
                        format!("return new Promise(({r}) => {{\n{indent}{unit}"),
                    );
                    self.rw.insert(v.end, &format!(";\n{indent}}})"));
                    self.map(s.span.start, "Node-style callback", "await new Promise(...)");
                }
                (Mode::Wrap, StatementKind::Declaration) if self.declares_used_names(s.span) => {
                    self.block(s.span.start, "a declaration finished by a Node-style callback", "wrapping it in `await new Promise(...)` would hide the names it declares from the code after it: declare them before, then wait");
                }
                (Mode::Wrap, _) => {
                    let r = self.resolve.clone();
                    self.reindent(s.span);
                    self.rw.insert(s.span.start, &format!("await new Promise(({r}) => {{\n{indent}{unit}"));
                    self.rw.insert(s.span.end, &format!("\n{indent}}});"));
                    self.map(s.span.start, "Node-style callback", "await new Promise(...)");
                }
            }
        }
        self.statements = statements;
    }

    /// True when a declaration statement declares a name the Rule uses after it.
    fn declares_used_names(&self, statement: Span) -> bool {
        let model = self.model;
        model.declarations.iter().filter(|d| statement.contains(d.span)).any(|d| {
            let own = model.functions.iter().any(|g| statement.contains(g.span) && g.span.contains(d.span));
            !own && model.names.iter().any(|n| n.text == d.text && self.inside(n.span) && n.span.start >= statement.end)
        })
    }

    /// Indents the lines of `span` after its first by one unit, and the lines of the text
    /// already rewritten inside it, where that touches no string.
    fn reindent(&mut self, span: Span) {
        let unit = self.unit.clone();
        let multiline_strings: Vec<Span> =
            self.model.strings.iter().filter(|s| self.text(s.span).contains('\n')).map(|s| s.span).collect();
        for edit in self.rw.edits.iter_mut() {
            let inside = span.contains(edit.span) && !(edit.span.is_empty() && edit.span.start == span.start);
            if inside && edit.content.contains('\n') && !multiline_strings.iter().any(|s| edit.span.overlaps(*s)) {
                edit.content = edit.content.replace('\n', &format!("\n{unit}"));
            }
        }
        let text = self.text(span);
        let starts: Vec<usize> =
            text.match_indices('\n').map(|(i, _)| span.start + i + 1).filter(|&at| at < span.end).collect();
        for at in starts {
            let rest = &self.source[at..];
            if rest.starts_with('\n') || rest.starts_with("\r\n") {
                continue;
            }
            let in_string = self.model.strings.iter().any(|s| s.span.start < at && at < s.span.end);
            if in_string || self.rw.inside_edit(at) {
                continue;
            }
            self.rw.insert(at, &unit);
        }
    }

    /// `if (context.protocol === 'redirect-callback') {...}` in the Rule's body →
    /// `exports.onContinuePostLogin`.
    fn redirect_branch(&mut self) {
        let model = self.model;
        let mut handled: Vec<Span> = Vec::new();
        for (index, statement) in model.statements.iter().enumerate() {
            let StatementKind::Branch { condition, then, otherwise } = statement.kind else { continue };
            if !self.is_body_statement(index) {
                continue;
            }
            let Some(compare) = model.comparisons.iter().find(|c| c.span == condition) else { continue };
            if !self.is_redirect_test(compare.left, compare.right)
                && !self.is_redirect_test(compare.right, compare.left)
            {
                continue;
            }
            if self.continuation.is_some() {
                self.block(
                    statement.span.start,
                    "a second redirect-callback branch",
                    "merge the branches by hand: an Action has one onContinuePostLogin",
                );
                continue;
            }
            handled.push(compare.span);
            let (resume, keep) = if compare.negated { (otherwise, Some(then)) } else { (Some(then), otherwise) };
            let base = self.line_indent(statement.span.start);
            let dedent = base.strip_prefix(self.line_indent(self.func.span.start).as_str()).unwrap_or("").to_string();
            let resume_text = match resume {
                Some(branch) => self.branch_block(branch, &dedent),
                None => "{}".to_string(),
            };
            self.continuation = Some(resume_text);
            let replacement = match keep {
                Some(branch) if self.text(branch).starts_with('{') => {
                    let inner = Span::new(branch.start + 1, branch.end - 1);
                    let text = self.dedented(inner, &dedent);
                    text.trim().to_string()
                }
                Some(branch) => self.rw.render(branch),
                None => String::new(),
            };
            if replacement.is_empty() {
                self.rw.absorb(self.line_span(statement.span), "");
            } else {
                self.rw.absorb(statement.span, replacement);
            }
            self.map(
                statement.span.start,
                "if (context.protocol === 'redirect-callback')",
                "exports.onContinuePostLogin",
            );
        }
        for compare in &model.comparisons {
            if !self.inside(compare.span) || handled.contains(&compare.span) {
                continue;
            }
            if self.is_redirect_test(compare.left, compare.right) || self.is_redirect_test(compare.right, compare.left)
            {
                self.block(compare.span.start, "context.protocol === 'redirect-callback'", "the code that runs after a redirect belongs in `exports.onContinuePostLogin`: make this test the condition of an `if` of the Rule's body (not nested, not combined with others) so that it can be moved");
            }
        }
    }

    fn is_redirect_test(&self, access: Span, literal: Span) -> bool {
        let is_protocol = self.model.accesses.iter().any(|a| {
            a.span == access
                && a.root_is_name
                && a.root == "context"
                && self.is_rule_name("context", a.root_span)
                && steps(a) == [Some("context"), Some("protocol")]
        });
        is_protocol
            && self
                .model
                .strings
                .iter()
                .any(|s| s.span == literal && s.literal_text().as_deref() == Some("redirect-callback"))
    }

    /// A branch as the block of a handler of its own, one level less indented.
    fn branch_block(&self, branch: Span, dedent: &str) -> String {
        if self.text(branch).starts_with('{') {
            self.dedented(branch, dedent)
        } else {
            format!("{{\n{}{}\n}}", self.unit, self.rw.render(branch))
        }
    }

    /// The rendered text of `span`, its lines after the first less indented by `dedent`
    /// (unless a string spans lines).
    fn dedented(&self, span: Span, dedent: &str) -> String {
        let text = self.rw.render(span);
        let multiline_string =
            self.model.strings.iter().any(|s| span.contains(s.span) && self.text(s.span).contains('\n'));
        if dedent.is_empty() || multiline_string {
            return text;
        }
        let mut out = String::new();
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
                out.push_str(line.strip_prefix(dedent).unwrap_or(line));
            } else {
                out.push_str(line);
            }
        }
        out
    }

    /// The whole lines of `span` when nothing else shares them, with their line break.
    fn line_span(&self, span: Span) -> Span {
        let start = self.source[..span.start].rfind('\n').map_or(0, |i| i + 1);
        let end = self.source[span.end..].find('\n').map_or(self.source.len(), |i| span.end + i + 1);
        let before = &self.source[start..span.start];
        let after = &self.source[span.end..end];
        if before.trim().is_empty() && after.trim().is_empty() {
            Span::new(start, end)
        } else {
            span
        }
    }

    /// Moves the recorded requires to the top of the file.
    fn hoist(&mut self) {
        for index in self.hoisted_statements.clone() {
            let span = self.model.statements[index].span;
            let text = self.rw.render(span);
            let mut lines = self.line_span(span);
            // First in the body: the blank lines after it go too.
            let first = self.source[self.func.body.start + 1..lines.start].trim().is_empty();
            while first && lines.end < self.source.len() {
                let rest = &self.source[lines.end..];
                let blank = rest.find('\n').map(|i| &rest[..i]).filter(|l| l.trim().is_empty());
                match blank {
                    Some(line) => lines.end += line.len() + 1,
                    None => break,
                }
            }
            self.rw.absorb(lines, "");
            self.hoisted.push(text);
        }
    }

    /// The handler's signature, the end of its statement, and the continuation handler.
    fn frame(&mut self) {
        let func = self.func;
        let mut header = String::new();
        for require in &self.hoisted {
            header.push_str(require);
            header.push('\n');
        }
        if !header.is_empty() {
            header.push('\n');
        }
        header.push_str("exports.onExecutePostLogin = async (event, api) => ");
        self.rw.replace(Span::new(func.span.start, func.body.start), header);
        let own = self
            .model
            .statements
            .iter()
            .find(|s| s.kind == StatementKind::Expression(func.span) || s.span == func.span);
        let end = own.map_or(func.span.end, |s| s.span.end);
        if end == func.span.end {
            self.rw.insert(func.span.end, ";");
        }
        if let Some(body) = self.continuation.take() {
            self.rw.insert(end, &format!("\n\nexports.onContinuePostLogin = async (event, api) => {body};"));
        }
    }

    /// Lowers the converted file and checks it: no more syntax errors than before, and no
    /// use left of a name only the Rule's runtime had.
    fn check_output(&mut self, lower: Lower) {
        let edits: Vec<&Edit> = self.rw.edits.iter().collect();
        let output = crate::finding::apply_edits(self.source, &edits);
        let Some(converted) = lower(&output) else {
            self.block(self.func.span.start, "the converted code", "it could not be checked: convert the Rule by hand");
            return;
        };
        let Some(original) = lower(self.source) else { return };
        if converted.syntax_errors.len() > original.syntax_errors.len() {
            self.block(
                self.func.span.start,
                "the converted code",
                "the rewrite of this Rule would not parse (an unusual layout): convert it by hand",
            );
            return;
        }
        // The converted region: from the Rule's start to the end of its statement, shifted.
        let end = self
            .model
            .statements
            .iter()
            .find(|s| s.kind == StatementKind::Expression(self.func.span) || s.span == self.func.span)
            .map_or(self.func.span.end, |s| s.span.end.max(self.func.span.end));
        let region = Span::new(self.func.span.start, output.len() - (self.source.len() - end));
        let declared: BTreeSet<&str> = converted.declarations.iter().map(|d| d.text.as_str()).collect();
        let leftover: BTreeSet<&str> = converted
            .names
            .iter()
            .filter(|n| region.contains(n.span) && !declared.contains(n.text.as_str()))
            .map(|n| n.text.as_str())
            .filter(|n| *n == "user" || *n == "context" || *n == self.callback || RUNTIME_NAMES.contains(n))
            .collect();
        for name in leftover {
            self.block(self.func.span.start, name.to_string(), "a use of it would be left in the converted code (inside a construct rewritten around it): convert it by hand");
        }
    }

    /// Every use of the Rule's names must be inside an edit by now.
    fn completeness(&mut self) {
        if !self.blockers.is_empty() || self.rw.failed {
            return;
        }
        let model = self.model;
        let params = self.func.params_span;
        for name in &model.names {
            if !self.inside(name.span) || params.contains(name.span) || !self.is_rule_name(&name.text, name.span) {
                continue;
            }
            if !self.rw.covers(name.span) {
                let what = match name.text.as_str() {
                    "context" => "the whole context object has no one-to-one equivalent: pass the `event` properties the code needs",
                    _ => "this use has no rewrite: convert it by hand",
                };
                self.block(name.span.start, name.text.clone(), what);
            }
        }
    }
}

/// RA001 and RA002 on Terraform: an `auth0_rule` resource (RA002 on the resource, RA001 on
/// the Rule in its `script`) and an `auth0_rule_config` resource (RA002). Manual: the
/// resources become `auth0_action` and `auth0_trigger_actions`, which the message shows.
fn terraform_rules(ctx: &mut Context) {
    let model = ctx.model;
    let index = LineIndex::new(ctx.source);
    for (kind, name, body, header) in terraform_resources(ctx) {
        let body = &model.objects[body];
        match kind {
            "auth0_rule" => {
                let rule_name = body
                    .get("name")
                    .and_then(|e| model.string_of(&e.value))
                    .and_then(|s| s.literal_text())
                    .unwrap_or_else(|| name.to_string());
                let script = body.get("script");
                if ctx.is_active("RA001") {
                    if let Some(entry) = script {
                        terraform_script(ctx, &index, name, entry);
                    }
                }
                if ctx.is_active("RA002") {
                    let code = match script.map(|e| model.resolve(&e.value)) {
                        Some(Value::Call(call)) if model.calls[*call].name() == "file" => {
                            match model.calls[*call].args.first().and_then(|a| terraform_path(ctx, &a.value)) {
                                Some(path) => format!("file(\"{}\")", action_path(&path)),
                                None => format!("file(\"actions/{name}.js\")"),
                            }
                        }
                        _ => format!("file(\"actions/{name}.js\")"),
                    };
                    let message = format!(
                        "{END_OF_LIFE}: the `auth0_rule` resource `{name}` (Rule `{rule_name}`) manages a Rule, which no longer runs. Replace it with a post-login Action and its binding:\n{}",
                        terraform_action(name, &rule_name, &code)
                    );
                    let rule = ctx.rule("RA002");
                    let help = rule.replacement.trim().to_string();
                    ctx.push(Finding {
                        code: rule.code.clone(),
                        span: header,
                        severity: rule.severity,
                        message,
                        help,
                        fix: None,
                    });
                }
            }
            "auth0_rule_config" if ctx.is_active("RA002") => {
                let key = body
                    .get("key")
                    .and_then(|e| model.string_of(&e.value))
                    .and_then(|s| s.literal_text())
                    .unwrap_or_else(|| name.to_string());
                // The value is a secret: only a reference (`var.x`) is shown, never a literal.
                let value = match body.get("value").map(|e| model.resolve(&e.value)) {
                    Some(Value::Expr(expr)) if expr.is_path() => expr.text.clone(),
                    _ => format!("var.{}", key.to_ascii_lowercase()),
                };
                let message = format!(
                    "{END_OF_LIFE}: the `auth0_rule_config` resource `{name}` sets the Rules setting `{key}` (`configuration.{key}`), which no longer reaches any code. It becomes a secret of the Action that uses it (`event.secrets.{key}`): in its `auth0_action`, add\n  secrets {{\n    name  = \"{key}\"\n    value = {value}\n  }}\nand remove this resource once the Rules are deleted."
                );
                let rule = ctx.rule("RA002");
                let help = rule.replacement.trim().to_string();
                ctx.push(Finding {
                    code: rule.code.clone(),
                    span: header,
                    severity: rule.severity,
                    message,
                    help,
                    fix: None,
                });
            }
            _ => {}
        }
    }
}

/// The Terraform resources of a file: type, name, body and the span to report on. From
/// HCL blocks (`resource "auth0_rule" "x" { ... }`, reported on the header), and from the
/// JSON syntax of `.tf.json` files (`{"resource": {"auth0_rule": {"x": {...}}}}`, reported
/// on the name).
fn terraform_resources<'m>(ctx: &Context<'m>) -> Vec<(&'m str, &'m str, usize, Span)> {
    let model = ctx.model;
    let mut found = Vec::new();
    for block in &model.blocks {
        let (Some(kind), Some(name)) = (block.resource_type(), block.resource_name()) else {
            continue;
        };
        let start = block.span.start;
        let header = Span::new(start, model.objects[block.body].span.start.max(start));
        found.push((kind, name, block.body, Span::new(start, start + ctx.text(header).trim_end().len())));
    }
    if ctx.language == crate::lang::Language::Json {
        for object in &model.objects {
            let Some(types) = object.get("resource").and_then(|e| model.object_of(&e.value)) else {
                continue;
            };
            for by_type in &model.objects[types].entries {
                let Some(named) = model.object_of(&by_type.value) else { continue };
                for resource in &model.objects[named].entries {
                    if let Some(body) = model.object_of(&resource.value) {
                        found.push((by_type.key.as_str(), resource.key.as_str(), body, resource.key_span));
                    }
                }
            }
        }
    }
    found
}

/// RA001 on the `script` of an `auth0_rule`: the Rule in a heredoc or string (its
/// conversion, with the file's line numbers), or in a file read with `file(...)`, which is
/// converted where it is.
fn terraform_script(ctx: &mut Context, index: &LineIndex, name: &str, entry: &crate::model::Entry) {
    let model = ctx.model;
    let rule = ctx.rule("RA001");
    let help = rule.replacement.trim().to_string();
    let (span, message) = match model.resolve(&entry.value) {
        Value::Call(call) if matches!(model.calls[*call].name(), "file" | "templatefile") => {
            let Some(path) = model.calls[*call].args.first().and_then(|a| terraform_path(ctx, &a.value)) else {
                return;
            };
            let message = format!(
                "{END_OF_LIFE}: the `auth0_rule` resource `{name}` deploys the Rule in `{path}`: convert that file into a post-login Action (`auth0-migrate fix --unsafe-fixes {path}`), save it as `{}` and deploy it with an `auth0_action` resource (RA002 shows it)",
                action_path(&path)
            );
            (model.calls[*call].span, message)
        }
        _ => {
            let Some(script) = model.string_of(&entry.value) else { return };
            let Some(code) = script.literal_text() else { return };
            // A Rule is JavaScript, whatever file holds it (`.tf` or `.tf.json`).
            let javascript = |text: &str| crate::lang::Language::JavaScript.lower(text).ok();
            let Some(sub) = javascript(&code) else { return };
            let Some(&function) = rule_functions(&sub).first() else { return };
            let lower = |text: &str| javascript(text);
            let conversion = convert(&sub, &code, rule, function, &lower);
            // A heredoc's lines are the file's; a quoted string's (`"...\n..."`) are its own.
            let (first, whose) = match script.parts.first() {
                Some(crate::model::Part::Literal(lit)) if lit.quoting == crate::model::Quoting::Plain => {
                    (index.line_of(lit.span.start) + 1, "")
                }
                _ => (1, "line numbers are the script's; "),
            };
            let line = |offset: usize| first + code[..offset.min(code.len())].matches('\n').count();
            let summary = conversion.summary(&line, None).replace(
                "(the unsafe fix does)",
                "(`auth0-migrate fix --unsafe-fixes` does it on the code saved as a .js file)",
            );
            let message = format!(
                "{END_OF_LIFE} in the `script` of the `auth0_rule` resource `{name}`: move the code to `actions/{name}.js` and deploy it with an `auth0_action` resource (RA002 shows it); {whose}{summary}"
            );
            (script.span, message)
        }
    };
    ctx.push(Finding { code: rule.code.clone(), span, severity: rule.severity, message, help, fix: None });
}

/// A path as written in Terraform, its interpolations as their source
/// (`${path.module}/rules/x.js`).
fn terraform_path(ctx: &Context, value: &Value) -> Option<String> {
    let string = ctx.model.string_of(value)?;
    let mut path = String::new();
    for part in &string.parts {
        match part {
            crate::model::Part::Literal(lit) => path.push_str(&lit.text),
            crate::model::Part::Hole(hole) => {
                path.push_str(&format!("${{{}}}", ctx.text(hole.span(ctx.model))));
            }
        }
    }
    (!path.is_empty()).then_some(path)
}

/// Where the converted Action of a Rule file goes: `rules/x.js` → `actions/x.js`.
fn action_path(rule_path: &str) -> String {
    let file = rule_path.rsplit('/').next().unwrap_or(rule_path);
    let prefix = &rule_path[..rule_path.len() - file.len()];
    let prefix = match prefix.strip_suffix("rules/") {
        Some(base) => format!("{base}actions/"),
        None => prefix.to_string(),
    };
    if prefix.is_empty() {
        format!("actions/{file}")
    } else {
        format!("{prefix}{file}")
    }
}

/// The Terraform resources that deploy a post-login Action and bind it.
fn terraform_action(name: &str, display: &str, code: &str) -> String {
    let mut out = format!(
        "resource \"auth0_action\" \"{name}\" {{\n  name    = \"{display}\"\n  runtime = \"node18\"\n  deploy  = true\n  code    = {code}\n\n  supported_triggers {{\n    id      = \"post-login\"\n    version = \"v3\"\n  }}\n"
    );
    out.push_str(&format!(
        "}}\n\nresource \"auth0_trigger_actions\" \"post_login\" {{\n  trigger = \"post-login\"\n\n  actions {{\n    id           = auth0_action.{name}.id\n    display_name = auth0_action.{name}.name\n  }}\n}}\n(One `auth0_trigger_actions` per trigger lists every Action in order.) Keep the Rule until the Action is verified, skipping the Action's logic with `api.rules.wasExecuted(ruleId)` while the Rule still runs; then delete the `auth0_rule`."
    ));
    out
}
#[cfg(test)]
mod tests {
    use crate::catalogue::Catalogue;
    use crate::finding::{apply_edits, Finding, Safety};
    use crate::lang::Language;
    use crate::lint::{Linter, DEFAULT_MAX_FILE_SIZE};

    fn ra001(language: Language, text: &str) -> Vec<Finding> {
        let linter = Linter::new(Linter::all_rules(Catalogue::get()), DEFAULT_MAX_FILE_SIZE);
        let checked = linter.lint_text(language, text).unwrap().map(|c| c.findings).unwrap_or_default();
        checked.into_iter().filter(|f| f.code == "RA001").collect()
    }

    /// The Actions held in the `script` strings of a rewritten file, each checked as
    /// JavaScript: it parses, exports the handler, and nothing of the Rule is left.
    fn scripts_after_fix(language: Language, text: &str, finding: &Finding) -> Vec<String> {
        let fix = finding.fix.as_ref().expect("a fix");
        let output = apply_edits(text, &fix.edits.iter().collect::<Vec<_>>());
        let model = language.lower(&output).unwrap();
        assert!(model.syntax_errors.is_empty(), "{output}");
        let scripts: Vec<String> = model
            .objects
            .iter()
            .filter_map(|o| o.get("script"))
            .filter_map(|e| model.string_of(&e.value))
            .filter_map(|s| s.literal_text())
            .filter(|s| s.contains("onExecutePostLogin"))
            .collect();
        for script in &scripts {
            let action = Language::JavaScript.lower(script).unwrap();
            assert!(action.syntax_errors.is_empty(), "{script}");
            assert!(script.starts_with("exports.onExecutePostLogin = async (event, api) => {"), "{script}");
            for left in ["callback", "context.", "configuration.", "user."] {
                assert!(!script.replace("event.user.", "").contains(left), "{left} left in {script}");
            }
        }
        scripts
    }

    #[test]
    fn a_rule_in_a_yaml_block_is_shown_rewritten_with_its_indentation() {
        let text = include_str!("../../fixtures/RA001/tenant_inline_script.yaml");
        let found = ra001(Language::Yaml, text);
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|f| f.fix.as_ref().is_some_and(|x| x.safety == Safety::DisplayOnly)));
        // Reported where the Rule starts in tenant.yaml.
        assert!(text[found[0].span.range()].starts_with("function addEmailClaim(user, context, callback)"));
        let fix = found[0].fix.as_ref().unwrap();
        let output = apply_edits(text, &fix.edits.iter().collect::<Vec<_>>());
        assert!(output.contains(
            "    script: |\n      exports.onExecutePostLogin = async (event, api) => {\n        // Namespaced claim for the API.\n        api.accessToken.setCustomClaim('https://example.com/email', event.user.email);\n        return;\n      };\n    stage: login_success\n"
        ), "{output}");
        assert_eq!(scripts_after_fix(Language::Yaml, text, &found[0]).len(), 1);
        assert_eq!(scripts_after_fix(Language::Yaml, text, &found[1]).len(), 1);
    }

    #[test]
    fn a_rule_in_a_json_string_is_rewritten_with_its_escapes() {
        for name in ["tenant_inline_script.json", "rule_payload.json"] {
            let text =
                std::fs::read_to_string(format!("{}/fixtures/RA001/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
            let found = ra001(Language::Json, &text);
            assert_eq!(found.len(), 1, "{name}");
            assert_eq!(scripts_after_fix(Language::Json, &text, &found[0]).len(), 1, "{name}");
        }
    }

    #[test]
    fn a_continuation_in_a_yaml_block_keeps_the_blank_line_empty() {
        let text = "rules:\n  - name: terms\n    script: |\n      function (user, context, callback) {\n        if (context.protocol === 'redirect-callback') {\n          return callback(null, user, context);\n        }\n        context.redirect = { url: 'https://example.com/terms' };\n        return callback(null, user, context);\n      }\n";
        let found = ra001(Language::Yaml, text);
        assert_eq!(found.len(), 1, "{found:?}");
        let scripts = scripts_after_fix(Language::Yaml, text, &found[0]);
        assert!(scripts[0].contains("exports.onContinuePostLogin"), "{scripts:?}");
        let fix = found[0].fix.as_ref().unwrap();
        let output = apply_edits(text, &fix.edits.iter().collect::<Vec<_>>());
        assert!(!output.lines().any(|l| !l.is_empty() && l.trim().is_empty()), "{output}");
    }

    #[test]
    fn a_script_that_is_not_a_rule_or_not_code_is_left_alone() {
        let yaml = "actions:\n  - name: a\n    code: |\n      exports.onExecutePostLogin = async (event, api) => {};\n    description: 'function (user, context, callback) {}'\njobs:\n  script: |\n    echo user, context\n";
        assert!(ra001(Language::Yaml, yaml).is_empty());
        let js = "const payload = { script: 'function login(email, password, callback) { callback(null); }' };";
        assert!(ra001(Language::JavaScript, js).is_empty());
    }
}
