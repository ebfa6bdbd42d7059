//! LK001, LK002, LK003: ID tokens used as Management API credentials, and the legacy
//! `{user_id, provider}` linking body (guide 002, "Migrate to Access Tokens for Account
//! Linking").

use super::request::{find_endpoint, is_url_like, names_id_token, payloads, senders, value_text};
use super::sdk;
use super::Context;
use crate::finding::{Edit, Finding, Fix, Severity};
use crate::model::{Part, StringId, Value, HOLE};
use crate::source::Span;

pub fn check(ctx: &mut Context) {
    let bearers = id_token_bearers(ctx);
    if ctx.is_active("LK001") {
        for &(id, _) in &bearers {
            let to_management = reaches_management_api(ctx, id);
            let (severity, message) = if to_management {
                (Severity::Error, "An ID token is sent as the Bearer credential of a Management API request; the Management API only accepts access tokens")
            } else {
                (Severity::Warning, "An ID token is sent as a Bearer credential; ID tokens are not API credentials, send an access token for the API instead")
            };
            let rule = ctx.rule("LK001");
            ctx.push(Finding {
                code: rule.code.clone(),
                span: ctx.model.strings[id].span,
                severity,
                message: message.to_string(),
                help: rule.replacement.trim().to_string(),
                fix: None,
            });
        }
    }
    if ctx.is_active("LK002") {
        management_clients(ctx);
    }
    if ctx.is_active("LK003") {
        linking_bodies(ctx, &bearers);
    }
}

/// Strings `"Bearer " + <ID token>` (any string building), with the token's value.
fn id_token_bearers(ctx: &Context) -> Vec<(StringId, Value)> {
    let mut found = Vec::new();
    for (id, string) in ctx.model.strings.iter().enumerate() {
        let mut parts = string.parts.iter().skip_while(|p| matches!(p, Part::Literal(l) if l.text.trim().is_empty()));
        let Some(Part::Literal(first)) = parts.next() else {
            continue;
        };
        // "Bearer " (any case, at least one space) and nothing else before the token.
        let prefix = first.text.trim_start();
        let is_bearer = prefix.get(..6).is_some_and(|word| word.eq_ignore_ascii_case("bearer"))
            && prefix.len() > 6
            && prefix[6..].chars().all(char::is_whitespace);
        if !is_bearer {
            continue;
        }
        let Some(Part::Hole(token)) = parts.next() else {
            continue;
        };
        if names_id_token(&value_text(ctx.model, ctx.source, token)) {
            found.push((id, (**token).clone()));
        }
    }
    found
}

/// True when the request that carries a string goes to the Management API (`/api/v2/`):
/// judged by the calls that send it, else by the strings of the same function.
fn reaches_management_api(ctx: &Context, string: StringId) -> bool {
    let model = ctx.model;
    let is_management = |s: StringId| model.strings[s].text().contains("/api/v2/");
    let calls = senders(model, ctx.reach(), string);
    if !calls.is_empty() {
        return calls.into_iter().any(|call| ctx.reach()[call].strings.iter().any(|&s| is_management(s)));
    }
    let scope = model.scope_of(model.strings[string].span);
    (0..model.strings.len()).any(|s| model.scope_of(model.strings[s].span) == scope && is_management(s))
}

/// LK002: Management clients built with an ID token, from the rule's SDK table.
fn management_clients(ctx: &mut Context) {
    let rule = ctx.rule("LK002");
    for (call, row) in sdk::matches(ctx, rule) {
        let c = &ctx.model.calls[call];
        let token = if let Some(key) = &row.token_key {
            sdk::object_args(ctx, c).into_iter().find_map(|o| ctx.model.objects[o].get(key).map(|e| e.value.clone()))
        } else {
            row.token_arg.and_then(|i| c.args.get(i)).map(|a| a.value.clone())
        };
        let Some(token) = token else { continue };
        if !names_id_token(&value_text(ctx.model, ctx.source, &token)) {
            continue;
        }
        let span = token.span(ctx.model);
        let fix = row.fix.as_ref().and_then(|f| {
            access_token_edits(ctx, &token).and_then(|edits| Fix::new(f.safety, "Use the access token from the same sign-in (audience https://{domain}/api/v2/, scope update:current_user_identities)", edits))
        });
        let message = format!(
            "`{}` ({} {}) is given an ID token; the Management API only accepts access tokens",
            c.name(),
            row.sdk,
            row.versions
        );
        ctx.push(Finding {
            code: rule.code.clone(),
            span,
            severity: rule.severity,
            message,
            help: format!("Use {}", row.replacement.trim()),
            fix,
        });
    }
}

/// The edits that swap an ID token expression for the access token of the same sign-in:
/// `authResult.idToken` → `authResult.accessToken`, `getItem('id_token')` →
/// `getItem('access_token')`, guide 002's placeholder `'{yourIdToken}'` →
/// `'{yourMgmtApiAccessToken}'`. `None` when a bare name holds the ID token (`token:
/// idToken`) unless the file already has the access-token name.
fn access_token_edits(ctx: &Context, token: &Value) -> Option<Vec<Edit>> {
    let span = token.span(ctx.model);
    let text = ctx.text(span);
    let swaps = [
        ("{yourIdToken}", "{yourMgmtApiAccessToken}"),
        ("idToken", "accessToken"),
        ("IdToken", "AccessToken"),
        ("id_token", "access_token"),
    ];
    let mut edits = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let Some((offset, old, new)) = swaps
            .iter()
            .filter_map(|(old, new)| text[at..].find(old).map(|i| (at + i, *old, *new)))
            .min_by_key(|(i, _, _)| *i)
        else {
            break;
        };
        let before = text[..offset].chars().next_back();
        let member = before == Some('.') || (old == "IdToken" && before.is_some_and(char::is_alphabetic));
        let quoted = matches!(before, Some('\'' | '"' | '`' | '{' | '_')) || old.starts_with('{');
        // A bare name may be swapped only for a name the file already has
        // (`const { idToken, accessToken } = authResult`).
        if !member && !quoted && !has_word(ctx.source, new) {
            return None;
        }
        edits.push(Edit::replace(Span::new(span.start + offset, span.start + offset + old.len()), new));
        at = offset + old.len();
    }
    (!edits.is_empty()).then_some(edits)
}

fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
    })
}

/// LK003: a `{user_id, provider}` body sent to `POST .../identities` with the user's
/// own token. Server code holding an `update:users` token is not affected.
fn linking_bodies(ctx: &mut Context, bearers: &[(StringId, Value)]) {
    let model = ctx.model;
    let source = ctx.source.to_ascii_lowercase();
    // Browser and mobile code holds the user's own token; a backend with a client secret
    // or client credentials holds an `update:users` token, which the guide leaves as is.
    let client_side = [
        "localstorage",
        "sessionstorage",
        "window.",
        "document.",
        "$.ajax",
        "jquery",
        "react",
        "usestate",
        "useauth0",
        "webauth",
        "auth0.management",
        "angular",
        "vue",
        "xmlhttprequest",
    ]
    .iter()
    .any(|w| source.contains(w));
    let own_token_scope = source.contains("update:current_user_identities");
    let server_token =
        source.contains("client_credentials") || source.contains("clientsecret") || source.contains("client_secret");
    let mut reported = Vec::new();
    for id in 0..model.strings.len() {
        let text = model.strings[id].text();
        // The Management API's link endpoint: POST /api/v2/users/{id}/identities.
        if !is_url_like(&text) || !text.contains("api/v2/users") {
            continue;
        }
        if find_endpoint(&text, "identities")
            .iter()
            .all(|m| !text[..m.start].ends_with('/') || text[m.end..].starts_with(['/', HOLE]))
        {
            continue;
        }
        let found = payloads(model, ctx.reach(), id, |o| o.has("user_id") && o.has("provider") && !o.has("link_with"));
        let Some(&object) = found.first() else {
            continue;
        };
        let calls = senders(model, ctx.reach(), id);
        let scope = model.scope_of(model.strings[id].span);
        // The ID token travels with the request (its call reaches the header), or the
        // header is set on it in the same function (`request['Authorization'] = ...`).
        let id_token_sent = bearers.iter().any(|&(b, _)| {
            calls.iter().any(|&call| ctx.reach()[call].strings.contains(&b))
                || model.scope_of(model.strings[b].span) == scope
        });
        if !(id_token_sent || (own_token_scope || client_side) && !server_token) || reported.contains(&object) {
            continue;
        }
        reported.push(object);
        let why = if id_token_sent {
            "with the user's ID token as credential"
        } else {
            "with the user's own token (client-side code)"
        };
        ctx.report(
            "LK003",
            model.objects[object].span,
            format!("Account linking with a `user_id`/`provider` body {why}: with an `update:current_user_identities` token Auth0 requires `{{link_with: <secondary account's ID token>}}`"),
            None,
        );
    }
}
