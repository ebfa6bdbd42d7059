//! Calls of SDK methods that reach a deprecated feature, matched against the `[[sdk]]`
//! tables of the rule files (RO010, DL002, and the calls other rules inspect further).

use super::Context;
use crate::catalogue::{Rule, SdkMethod};
use crate::finding::{Edit, Fix};
use crate::model::{split_path, Call, CallId, ObjectId};
use crate::source::Span;

/// Rules whose SDK rows are reported as they match (deprecated methods, LK005's legacy
/// unlink); other rules with SDK tables
/// (LK002) look at the matched call further before reporting.
const REPORTED_AS_MATCHED: [&str; 3] = ["RO010", "DL002", "LK005"];

pub fn check(ctx: &mut Context) {
    for code in REPORTED_AS_MATCHED {
        if !ctx.is_active(code) {
            continue;
        }
        let rule = ctx.rule(code);
        for (call, row) in matches(ctx, rule) {
            let c = &ctx.model.calls[call];
            let name = c.name().to_string();
            let mut message =
                format!("`{}` ({} {}) calls the deprecated {}", name, row.sdk, row.versions, row.endpoint);
            if rule.code == "DL002" {
                // Which way out applies depends on what is asked for: a renewal or an add-on token.
                if let Some(&object) = object_args(ctx, c).first() {
                    message = format!(
                        "{message}; {}",
                        super::delegation::guidance(ctx.model, Some(&ctx.model.objects[object]))
                    );
                }
            }
            // What the project's manifests say about the SDK makes the message precise.
            if let Some(note) = super::packages::installed_note(ctx, &row.sdk) {
                message = format!("{message}; {note}");
            }
            let mut fix = row.fix.as_ref().and_then(|f| fix_for(ctx, call, row, f));
            if fix.is_none() && rule.code == "DL002" {
                fix = check_session_fix(ctx, call, row);
            }
            ctx.used_sdks.push(row.sdk.clone());
            ctx.push(crate::finding::Finding {
                code: rule.code.clone(),
                span: c.name_span,
                severity: rule.severity,
                message,
                help: format!("Use {}", row.replacement.trim()),
                fix,
            });
        }
    }
}

/// Every call of the file that matches a row of the rule's SDK table, with the most
/// specific row for each call.
pub fn matches<'r>(ctx: &Context, rule: &'r Rule) -> Vec<(CallId, &'r SdkMethod)> {
    let mut found = Vec::new();
    for (id, call) in ctx.model.calls.iter().enumerate() {
        let best = rule.sdk.iter().filter(|row| row_matches(ctx, call, row)).max_by_key(|row| {
            (split_path(&row.call).len(), !row.file_new.is_empty(), row.with_keys.len() + row.without_keys.len())
        });
        if let Some(row) = best {
            found.push((id, row));
        }
    }
    found
}

fn row_matches(ctx: &Context, call: &Call, row: &SdkMethod) -> bool {
    if row.language != ctx.family_at(call.span) || row.new != call.is_new || !call.callee_ends_with(&row.call) {
        return false;
    }
    // A method row (`login`) matches method calls, not a function of the same name.
    if !row.new && !row.function && !row.call.contains('.') && call.segments().len() < 2 {
        return false;
    }
    if row.not_call.iter().any(|suffix| call.callee_ends_with(suffix)) {
        return false;
    }
    if !row.file_new.is_empty() && !row.file_new.iter().any(|class| ctx.model.constructs(class)) {
        return false;
    }
    if !row.receiver_new.is_empty() && !row.receiver_new.iter().any(|class| receiver_is(ctx, call, class)) {
        return false;
    }
    if row.unless_set.iter().any(|setting| turns_on(ctx, setting)) {
        return false;
    }
    if let Some(requirement) = &row.installed_below {
        if !installed_below(ctx, requirement) {
            return false;
        }
    }
    let objects = object_args(ctx, call);
    let has_key = |key: &String| objects.iter().any(|&o| ctx.model.objects[o].has(key));
    if !row.with_keys.iter().all(has_key) || row.without_keys.iter().any(has_key) {
        return false;
    }
    row.with_labels.iter().all(|label| call.args.iter().any(|a| a.label.as_deref() == Some(label.as_str())))
}

/// True when the file turns `setting` on: `setX(true)`, or `...isX = true` / `...x = true`.
fn turns_on(ctx: &Context, setting: &str) -> bool {
    let lower = setting.to_ascii_lowercase();
    let is_true = |text: &str| text.trim() == "true";
    ctx.model.calls.iter().any(|c| {
        c.name().eq_ignore_ascii_case(&format!("set{setting}"))
            && c.args.first().is_some_and(|a| is_true(ctx.text(a.value.span(ctx.model))))
    }) || ctx.model.bindings.iter().any(|b| {
        let name = b.name.rsplit('.').next().unwrap_or(&b.name).to_ascii_lowercase();
        (name == lower || name == format!("is{lower}")) && is_true(ctx.text(b.value.span(ctx.model)))
    })
}

/// True when the project's manifests pin the package of `requirement` (`"<ecosystem>
/// <package> <version>"`) below that version. Unknown (no manifest, no pin): false.
fn installed_below(ctx: &Context, requirement: &str) -> bool {
    let mut words = requirement.split_whitespace();
    let (Some(ecosystem), Some(package), Some(below)) = (words.next(), words.next(), words.next()) else {
        return false;
    };
    let (Some(ecosystem), Some(below)) =
        (crate::model::Ecosystem::from_name(ecosystem), crate::model::version::Version::parse(below))
    else {
        return false;
    };
    ctx.project.and_then(|p| p.installed(ecosystem, package)).is_some_and(|i| i.version < below)
}

/// True when the call's receiver is an instance of `class`: the call it is chained on
/// constructs it, or the receiver's name is bound to such a construction.
fn receiver_is(ctx: &Context, call: &Call, class: &str) -> bool {
    let constructs = |c: &Call| c.callee_ends_with(class) && (c.is_new || class.starts_with(char::is_uppercase));
    if let Some(receiver) = call.receiver {
        return constructs(&ctx.model.calls[receiver]);
    }
    let segments = call.segments();
    if segments.len() < 2 {
        return false;
    }
    let name = segments[..segments.len() - 1].join(".");
    match ctx.model.binding_at(&name, call.span).map(|b| ctx.model.resolve(&b.value)) {
        Some(crate::model::Value::Call(id)) => constructs(&ctx.model.calls[*id]),
        _ => false,
    }
}

/// The objects passed to a call: its keyword arguments first, then object arguments
/// and names bound to objects.
pub fn object_args(ctx: &Context, call: &Call) -> Vec<ObjectId> {
    call.keywords
        .into_iter()
        .chain(call.args.iter().filter(|a| a.label.is_none()).filter_map(|a| ctx.model.object_of(&a.value)))
        .collect()
}

fn fix_for(ctx: &Context, call: CallId, row: &SdkMethod, fix: &crate::catalogue::SdkFix) -> Option<Fix> {
    let c = &ctx.model.calls[call];
    let mut edits = Vec::new();
    let mut changes = Vec::new();
    if let Some(name) = &fix.rename {
        edits.push(Edit::replace(c.name_span, name.clone()));
        changes.push(format!("call `{name}`"));
    }
    if let Some(receiver) = &fix.rename_receiver {
        edits.push(Edit::replace(receiver_span(ctx, c)?, receiver.clone()));
        changes.push(format!("on `{receiver}`"));
    }
    if !fix.rename_keys.is_empty() || !fix.remove_keys.is_empty() {
        let object = *object_args(ctx, c).first()?;
        let literal = &ctx.model.objects[object];
        for (old, new) in &fix.rename_keys {
            if let Some(entry) = literal.get(old) {
                edits.push(super::request::key_edit(ctx.model, ctx.source, literal, entry, new)?);
                changes.push(format!("`{old}` → `{new}`"));
            }
        }
        for key in &fix.remove_keys {
            if let Some(index) = literal.entries.iter().position(|e| &e.key == key) {
                edits.push(Edit::delete(super::request::entry_removal(ctx.source, literal, index)));
                changes.push(format!("drop `{key}`"));
            }
        }
    }
    let _ = row;
    Fix::new(fix.safety, format!("Rewrite to the documented replacement: {}", changes.join(", ")), edits)
}

/// auth0.js v7 `x.renewIdToken(token, cb)` / `x.refreshToken(token, cb)` where the project
/// is on auth0.js v9+ and the file has an `auth0.WebAuth` instance: `webAuth.checkSession({},
/// cb)` (unsafe: silent authentication needs an Auth0 session, and the callback receives
/// `authResult.idToken` where v7 gave `result.id_token`).
fn check_session_fix(ctx: &Context, call: CallId, row: &SdkMethod) -> Option<Fix> {
    let c = &ctx.model.calls[call];
    if row.sdk != "auth0.js" || !matches!(c.name(), "renewIdToken" | "refreshToken") || c.args.len() != 2 {
        return None;
    }
    let project = ctx.project?;
    let installed = project.installed(crate::model::Ecosystem::Npm, "auth0-js")?;
    if installed.version.major < 9 {
        return None;
    }
    // The name bound to `new auth0.WebAuth(...)`, visible at the call.
    let web_auth = ctx.model.bindings.iter().find(|b| {
        matches!(ctx.model.resolve(&b.value), crate::model::Value::Call(id)
            if ctx.model.calls[*id].is_new && ctx.model.calls[*id].callee_ends_with("WebAuth"))
            && ctx.model.binding_at(&b.name, c.span).is_some_and(|found| found.span == b.span)
    })?;
    let callee = Span::new(c.span.start, c.name_span.end);
    let edits =
        vec![Edit::replace(callee, format!("{}.checkSession", web_auth.name)), Edit::replace(c.args[0].span, "{}")];
    Fix::new(
        crate::finding::Safety::Unsafe,
        format!(
            "Renew with silent authentication: `{}.checkSession({{}}, cb)` (auth0.js {} is installed); the callback now receives `authResult.idToken`/`authResult.accessToken`",
            web_auth.name, installed.version
        ),
        edits,
    )
}

/// The span of the callee segment before the method name (`database` in
/// `auth0.database.signIn`), when it is a plain name and a member of something.
fn receiver_span(ctx: &Context, call: &Call) -> Option<Span> {
    let segments = call.segments();
    // Only a member (`auth0.database`): renaming a variable (`database`) would name
    // something that does not exist.
    if segments.len() < 3 {
        return None;
    }
    let receiver = segments[segments.len() - 2];
    let before = ctx.source.get(..call.name_span.start)?;
    let trimmed = before
        .trim_end_matches(|c: char| c == '.' || c == '?' || c == '-' || c == '>' || c == ':' || c.is_whitespace());
    trimmed.ends_with(receiver).then(|| Span::new(trimmed.len() - receiver.len(), trimmed.len()))
}
