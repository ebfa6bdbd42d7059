//! DL001: requests to Auth0's `/delegation` endpoint (guide 001, "Delegation tokens").
//!
//! Many applications have a `/delegation` route of their own, so a path alone is not
//! enough: the request must be anchored to Auth0 by its host (an Auth0 domain, or a
//! name that says domain/tenant), by a delegation payload travelling with it
//! (`grant_type` jwt-bearer with `api_type` or `target`), or by delegation parameters
//! handled in the same function.

use super::oauth_ro::JWT_BEARER;
use super::request::{entry_text, find_endpoint, is_url_like, payloads, text_span, value_text};
use super::Context;
use crate::model::{FileModel, ObjectId, ObjectLiteral, StringValue, HOLE};
use crate::source::Span;

const ADD_ONS: &[&str] =
    &["firebase", "aws", "azure_blob", "azure_sb", "sap_api", "salesforce_api", "salesforce_sandbox_api", "wams"];

fn is_delegation_payload(model: &FileModel, object: &ObjectLiteral) -> bool {
    let grant = object.get("grant_type").and_then(|e| entry_text(model, e));
    let keys = object.has("api_type") || object.has("target");
    match grant.as_deref() {
        Some(JWT_BEARER) => keys,
        Some(_) => false,
        None => {
            object.has("api_type") && object.has("target") && (object.has("id_token") || object.has("refresh_token"))
        }
    }
}

/// What the documented way out is, from the payload's `api_type` (`api` in auth0.js v7's
/// `getDelegationToken` options).
pub(super) fn guidance(model: &FileModel, payload: Option<&ObjectLiteral>) -> &'static str {
    let api_type = payload.and_then(|o| o.get("api_type").or(o.get("api"))).and_then(|e| entry_text(model, e));
    let refresh = payload.is_some_and(|o| o.has("refresh_token"));
    match api_type.as_deref() {
        Some("app" | "auth0") => "it renews tokens: use /oauth/token with `grant_type=refresh_token`, or silent authentication (`checkSession`) in the browser",
        Some(addon) if ADD_ONS.contains(&addon) => "it mints an add-on token, which has no OIDC replacement: mint it in your backend (e.g. a Firebase custom token) instead",
        _ if refresh => "it renews tokens: use /oauth/token with `grant_type=refresh_token`",
        _ => "to renew tokens use /oauth/token with `grant_type=refresh_token` (or `checkSession` in the browser); for add-on tokens (Firebase, AWS, Azure, SAP, Salesforce) mint them in your backend",
    }
}

/// True when the text before `/delegation` is empty, a hole (the host) or an origin
/// (`https://tenant.auth0.com`): Auth0's endpoint sits at the root of the tenant.
pub(super) fn at_root(prefix: &str) -> bool {
    if prefix.is_empty() || prefix.ends_with(HOLE) {
        return true;
    }
    let rest = prefix.strip_prefix("https:").or_else(|| prefix.strip_prefix("http:")).unwrap_or(prefix);
    rest.strip_prefix("//").is_some_and(|host| !host.contains('/'))
}

/// True when the string names an Auth0 host: a literal Auth0 domain, or a hole whose
/// expression says auth0 (`AUTH0_DOMAIN`) or is a plain domain/tenant setting
/// (`this._domain`, `config.domain`; not `process.env.API_DOMAIN`).
pub(super) fn names_auth0_host(ctx: &Context, string: &StringValue, text: &str) -> bool {
    text.to_ascii_lowercase().contains("auth0")
        || string.holes().any(|hole| {
            let name = value_text(ctx.model, ctx.source, hole).to_ascii_lowercase();
            let last = name
                .split_whitespace()
                .next()
                .unwrap_or("")
                .rsplit(['.', ' '])
                .next()
                .unwrap_or("")
                .trim_matches('_')
                .to_string();
            name.contains("auth0") || matches!(last.as_str(), "domain" | "tenant" | "tenantdomain" | "issuer")
        })
}

/// True when `needle` occurs in the text of `scope` outside the functions nested in it.
fn own_text_contains(ctx: &Context, scope: Option<Span>, needle: &str) -> bool {
    let Some(scope) = scope else { return false };
    let nested: Vec<Span> = ctx.model.scopes.iter().filter(|s| **s != scope && scope.contains(**s)).copied().collect();
    let text = ctx.text(scope);
    text.match_indices(needle).any(|(i, _)| {
        let at = scope.start + i;
        !nested.iter().any(|n| n.start <= at && at < n.end)
    })
}

pub fn check(ctx: &mut Context) {
    if !ctx.is_active("DL001") {
        return;
    }
    let model = ctx.model;
    let mut covered: Vec<ObjectId> = Vec::new();
    for id in 0..model.strings.len() {
        let string = &model.strings[id];
        let text = string.text();
        if !is_url_like(&text) || super::request::only_shown(model, ctx.reach(), id) {
            continue;
        }
        for m in find_endpoint(&text, "delegation") {
            if !text[..m.start].ends_with('/') || !at_root(&text[..m.start - 1]) {
                continue;
            }
            let found = payloads(model, ctx.reach(), id, |o| is_delegation_payload(model, o));
            let scope = model.scope_of(string.span);
            let anchored = !found.is_empty()
                || names_auth0_host(ctx, string, &text)
                || own_text_contains(ctx, scope, "api_type")
                || own_text_contains(ctx, scope, "jwt-bearer");
            if !anchored {
                continue;
            }
            covered.extend(&found);
            let payload = found.first().map(|&o| &model.objects[o]);
            let span = text_span(string, m.start - 1, m.end).unwrap_or(string.span);
            let mut message =
                format!("Request to Auth0's deprecated /delegation endpoint; {}", guidance(model, payload));
            // In browser code, the project's auth0.js says whether delegation is there at all.
            if ctx.family_at(span) == "javascript" {
                if let Some(note) = super::packages::installed_note(ctx, "auth0.js") {
                    message = format!("{message}; {note}, and auth0.js has no delegation from v8 on");
                }
            }
            ctx.report("DL001", span, message, None);
        }
    }
    // The payloads of SDK calls are DL002's (one finding per call).
    for (call, _) in super::sdk::matches(ctx, ctx.rule("DL002")) {
        covered.extend(super::sdk::object_args(ctx, &model.calls[call]));
    }
    for id in 0..model.objects.len() {
        let object = &model.objects[id];
        if covered.contains(&id) || !is_delegation_payload(model, object) {
            continue;
        }
        let Some(anchor) = object.get("grant_type").or(object.get("api_type")) else {
            continue;
        };
        let message = format!("Delegation payload (jwt-bearer grant with `api_type`/`target`) for Auth0's deprecated /delegation endpoint; {}", guidance(model, Some(object)));
        ctx.report("DL001", anchor.span, message, None);
    }
}
