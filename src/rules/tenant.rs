//! TF001, TF002, TF003 and DL004: tenant and client settings that keep deprecated features
//! on, wherever they are written as objects: auth0-deploy-cli exports (`tenant.yaml`,
//! `tenant.json`, `clients/*.json`), Management API payloads in code (`PATCH
//! /api/v2/tenants/settings`, `POST`/`PATCH /api/v2/clients`, node-auth0
//! `tenants.updateSettings`, go-auth0 structs) and Terraform (`auth0_tenant` `flags`,
//! `auth0_client`). The rules read entries of objects; the file's syntax only shows in the
//! edits, which replace a value or remove a list item in place.

use super::request::entry_text;
use super::Context;
use crate::finding::{Edit, Fix, Safety};
use crate::model::{FileModel, ObjectId, Value};
use crate::source::Span;

/// The tenant flags that keep a deprecated feature on: normalized key, flag name, what it
/// keeps on, and the code that must be gone before it is turned off.
const LEGACY_FLAGS: &[(&str, &str, &str, &str)] = &[
    (
        "allowlegacyrogranttypes",
        "allow_legacy_ro_grant_types",
        "the legacy /oauth/ro endpoint (Resource Owner password and passwordless)",
        "no code calls /oauth/ro any more (RO rules)",
    ),
    (
        "allowlegacydelegationgranttypes",
        "allow_legacy_delegation_grant_types",
        "the legacy /delegation endpoint",
        "no code calls /delegation any more (DL001, DL002)",
    ),
    (
        "enableidtokenapi2",
        "enable_idtoken_api2",
        "ID tokens as Management API v2 credentials",
        "no code sends an ID token to the Management API any more (LK001, LK002)",
    ),
    (
        "allowlegacytokeninfoendpoint",
        "allow_legacy_tokeninfo_endpoint",
        "the legacy /tokeninfo endpoint",
        "no code calls /tokeninfo any more (use /userinfo with an access token)",
    ),
    (
        "enablelegacyprofile",
        "enable_legacy_profile",
        "the legacy (non-OIDC) user profile in ID tokens and /userinfo",
        "no code reads non-standard claims from the ID token any more (add them as namespaced custom claims in an Action)",
    ),
];

/// The legacy grant types of a client: the suffix after `.../legacy/grant-type/`, the
/// modern grant that replaces it (none: the grant is removed), and why.
const LEGACY_GRANTS: &[(&str, Option<&str>, &str)] = &[
    (
        "ro",
        Some("http://auth0.com/oauth/grant-type/password-realm"),
        "the legacy Resource Owner grant of /oauth/ro; its replacement is the password-realm grant at /oauth/token (passwordless codes use `http://auth0.com/oauth/grant-type/passwordless/otp`)",
    ),
    (
        "ro/jwt-bearer",
        None,
        "the ID-token exchange on /oauth/ro; no grant replaces it (use refresh tokens or sign the user in again)",
    ),
    (
        "delegation/refresh_token",
        Some("refresh_token"),
        "refresh-token renewal through /delegation; its replacement is the `refresh_token` grant at /oauth/token",
    ),
    (
        "delegation/id_token",
        None,
        "ID-token delegation (add-on tokens from /delegation); no grant replaces it (a backend mints the add-on's token)",
    ),
    (
        "access_token",
        None,
        "the legacy social access-token exchange (/oauth/access_token); no grant replaces it (use the provider's native login through /authorize or the token-exchange flow)",
    ),
];

const LEGACY_GRANT_PREFIX: &str = "http://auth0.com/oauth/legacy/grant-type/";

pub fn check(ctx: &mut Context) {
    let wanted = ["TF001", "TF002", "TF003", "DL004"];
    if !wanted.iter().any(|code| ctx.is_active(code)) {
        return;
    }
    for object in 0..ctx.model.objects.len() {
        for index in 0..ctx.model.objects[object].entries.len() {
            let entry = &ctx.model.objects[object].entries[index];
            let key = normalized(&entry.key);
            if let Some(&(_, flag, feature, after)) = LEGACY_FLAGS.iter().find(|f| f.0 == key) {
                if ctx.is_active("TF001") {
                    legacy_flag(ctx, entry.span, &entry.value, flag, feature, after);
                }
            } else if key == "granttypes" {
                if ctx.is_active("TF002") {
                    legacy_grants(ctx, &entry.value);
                }
            } else if key == "oidcconformant" {
                if ctx.is_active("TF003") {
                    non_oidc(ctx, entry.span, &entry.value);
                }
            } else if key == "jwtconfiguration" && ctx.is_active("DL004") {
                public_hs256(ctx, object, &entry.value);
            }
        }
    }
}

/// A key without case, `_` or `-`: `allow_legacy_ro_grant_types`, `AllowLegacyRoGrantTypes`.
fn normalized(key: &str) -> String {
    key.chars().filter(|c| !matches!(c, '_' | '-')).flat_map(char::to_lowercase).collect()
}

/// A boolean literal (`true`, `True`, `TRUE`), also wrapped in a pointer helper
/// (go-auth0's `auth0.Bool(true)`): its value and the span of the literal.
fn boolean(model: &FileModel, source: &str, value: &Value) -> Option<(bool, Span)> {
    match model.resolve(value) {
        Value::Other(span) | Value::Expr(crate::model::Expr { span, .. }) => match source.get(span.range())?.trim() {
            "true" | "True" | "TRUE" => Some((true, *span)),
            "false" | "False" | "FALSE" => Some((false, *span)),
            _ => None,
        },
        Value::Call(id) => {
            let call = &model.calls[*id];
            let name = call.name().to_ascii_lowercase();
            match call.args.as_slice() {
                [arg] if matches!(name.as_str(), "bool" | "boolean" | "ptr" | "valueof") => {
                    boolean(model, source, &arg.value)
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The opposite boolean spelled like `written` (`True` → `False`).
fn flipped(written: &str) -> &'static str {
    match written {
        "true" => "false",
        "True" => "False",
        "TRUE" => "FALSE",
        "false" => "true",
        "False" => "True",
        _ => "TRUE",
    }
}

fn flip_fix(ctx: &Context, span: Span, message: String) -> Option<Fix> {
    let raw = ctx.text(span);
    let written = raw.trim();
    let start = span.start + (raw.len() - raw.trim_start().len());
    Fix::new(Safety::Unsafe, message, vec![Edit::replace(Span::new(start, start + written.len()), flipped(written))])
}

fn legacy_flag(ctx: &mut Context, entry: Span, value: &Value, flag: &str, feature: &str, after: &str) {
    let Some((true, literal)) = boolean(ctx.model, ctx.source, value) else {
        return;
    };
    let message = format!(
        "Tenant flag `{flag}` is on: it keeps {feature} enabled. Turn it off (`{flag}: false`) only after {after}: clients still using it fail once it is off"
    );
    let fix = flip_fix(ctx, literal, format!("Set `{flag}` to false"));
    ctx.report("TF001", entry, message, fix);
}

fn non_oidc(ctx: &mut Context, entry: Span, value: &Value) {
    let Some((false, literal)) = boolean(ctx.model, ctx.source, value) else {
        return;
    };
    let message = "Client is not OIDC-conformant (`oidc_conformant: false`): it keeps the legacy authentication pipeline (/oauth/ro, /delegation, legacy user profile, ID tokens for the Management API). Set it to true only after the client's code uses /oauth/token, /authorize with `audience`, and access tokens".to_string();
    let fix = flip_fix(ctx, literal, "Set `oidc_conformant` to true".to_string());
    ctx.report("TF003", entry, message, fix);
}

fn legacy_grants(ctx: &mut Context, value: &Value) {
    let model = ctx.model;
    let Value::Array(items, array_span) = model.resolve(value) else {
        return;
    };
    let texts: Vec<Option<String>> =
        items.iter().map(|item| model.string_of(item).and_then(|s| s.literal_text())).collect();
    for (index, text) in texts.iter().enumerate() {
        let Some(text) = text else {
            continue;
        };
        let Some(suffix) = text.trim().strip_prefix(LEGACY_GRANT_PREFIX) else {
            continue;
        };
        let Some(&(_, modern, why)) = LEGACY_GRANTS.iter().find(|g| g.0 == suffix.trim_end_matches('/')) else {
            continue;
        };
        let item_span = items[index].span(model);
        let present = modern.is_some_and(|m| texts.iter().flatten().any(|t| t.trim() == m));
        let (edit, title) = match modern {
            Some(modern) if !present => {
                let string = model.string_of(&items[index]).expect("a string item");
                let edit = super::request::text_edit(string, 0, text.len(), modern);
                (edit, format!("Replace the grant with `{modern}`"))
            }
            Some(modern) => (
                Some(item_removal(ctx.source, model, items, *array_span, index)),
                format!("Remove the grant (`{modern}` is already granted)"),
            ),
            None => (Some(item_removal(ctx.source, model, items, *array_span, index)), "Remove the grant".to_string()),
        };
        let message = format!(
            "Legacy grant type `{text}`: {why}. Change the client's grants only after no code of this client uses the legacy endpoint, then turn off the tenant's legacy flag (TF001)"
        );
        let fix = edit.and_then(|edit| Fix::new(Safety::Unsafe, title, vec![edit]));
        ctx.report("TF002", item_span, message, fix);
    }
}

/// The edit that removes one item of a list with its separator. A block list (YAML
/// `- item` lines) that would be left empty becomes `[]`.
pub fn item_removal(source: &str, model: &FileModel, items: &[Value], list: Span, index: usize) -> Edit {
    let spans: Vec<Span> = items.iter().map(|i| i.span(model)).collect();
    if let Some(next) = spans.get(index + 1) {
        return Edit::delete(Span::new(spans[index].start, next.start));
    }
    if index > 0 {
        return Edit::delete(Span::new(spans[index - 1].end, spans[index].end));
    }
    let flow = source.get(list.range()).is_some_and(|t| t.trim_start().starts_with('['));
    if !flow {
        return Edit::replace(list, "[]");
    }
    let item = spans[index];
    let rest = &source[item.end..];
    let trimmed = rest.trim_start();
    let extra = if trimmed.starts_with(',') { rest.len() - trimmed.len() + 1 } else { 0 };
    Edit::delete(Span::new(item.start, item.end + extra))
}

/// DL004: `jwt_configuration.alg: HS256` on a public client (`app_type` `spa` or
/// `native`, or `token_endpoint_auth_method: none`), the object holding it.
fn public_hs256(ctx: &mut Context, client: ObjectId, value: &Value) {
    let model = ctx.model;
    let Some(config) = model.object_of(value) else {
        return;
    };
    let Some(alg) = model.objects[config].entries.iter().find(|e| normalized(&e.key) == "alg") else {
        return;
    };
    if entry_text(model, alg).is_none_or(|t| !t.trim().eq_ignore_ascii_case("HS256")) {
        return;
    }
    let client_object = &model.objects[client];
    let setting = |key: &str| {
        client_object
            .entries
            .iter()
            .find(|e| normalized(&e.key) == key)
            .and_then(|e| entry_text(model, e))
            .map(|t| t.trim().to_ascii_lowercase())
    };
    let public = match (setting("apptype"), setting("tokenendpointauthmethod")) {
        (Some(kind), _) if kind == "spa" || kind == "native" => format!("`app_type: {kind}`"),
        (_, Some(method)) if method == "none" => "`token_endpoint_auth_method: none`".to_string(),
        _ => return,
    };
    let message = format!(
        "Public client ({public}) signs ID tokens with HS256, the client secret it cannot keep: delegation from a public application fails unless it uses RS256, and Auth0 signs the ID tokens of public applications with RS256 anyway. Switch `jwt_configuration.alg` to RS256 and validate tokens with the tenant's JWKS (`https://{{domain}}/.well-known/jwks.json`)"
    );
    let text = entry_text(model, alg).unwrap_or_default();
    let fix = model
        .string_of(&alg.value)
        .and_then(|s| super::request::text_edit(s, 0, text.len(), "RS256"))
        .and_then(|edit| Fix::new(Safety::Unsafe, "Sign ID tokens with RS256", vec![edit]));
    let span = alg.span;
    ctx.report("DL004", span, message, fix);
}
