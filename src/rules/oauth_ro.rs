//! RO001, RO002, RO003, RO005, RO006: requests to `/oauth/ro` and their payloads
//! (guide 003, "Migrate from /oauth/ro to /oauth/token").
//!
//! A request whose payload is found is migrated in one fix: the path becomes
//! `/oauth/token`, the grant becomes password-realm (or passwordless/otp for `sms` and
//! `email` connections), `connection` becomes `realm`, a passwordless code moves from
//! `password` to `otp`, and `device` is dropped: exactly guide 003's new payload.

use super::request::{
    destinations, entry_removal, entry_text, find_endpoint, is_url_like, key_edit, payloads, text_edit, text_span,
    value_edit,
};
use super::Context;
use crate::finding::{Edit, Fix, Safety};
use crate::model::{FileModel, ObjectId, ObjectLiteral, StringId, Value};
use crate::source::Span;

pub const PASSWORD_REALM: &str = "http://auth0.com/oauth/grant-type/password-realm";
pub const PASSWORDLESS_OTP: &str = "http://auth0.com/oauth/grant-type/passwordless/otp";
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

const CODES: [&str; 5] = ["RO001", "RO002", "RO003", "RO005", "RO006"];

/// The shapes of a legacy resource-owner payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// `grant_type: password` with a database/enterprise `connection`.
    Password,
    /// `grant_type: password` with the `sms` or `email` connection: a passwordless code.
    Passwordless,
    /// `grant_type: jwt-bearer` with an `id_token` and no delegation keys.
    JwtBearer,
}

fn shape(model: &FileModel, object: &ObjectLiteral) -> Option<Shape> {
    let grant = object.get("grant_type").and_then(|e| entry_text(model, e))?;
    match grant.as_str() {
        "password" => {
            let connection = object.get("connection")?;
            match entry_text(model, connection).as_deref() {
                Some("sms" | "email") => Some(Shape::Passwordless),
                _ => Some(Shape::Password),
            }
        }
        JWT_BEARER if object.has("id_token") && !object.has("api_type") && !object.has("target") => {
            Some(Shape::JwtBearer)
        }
        _ => None,
    }
}

/// The payload edits that turn a legacy payload into guide 003's new one; `None` when
/// one of them cannot be made safely (a computed key, an escaped value, ...).
fn migration(ctx: &Context, id: ObjectId, shape: Shape) -> Option<Vec<Edit>> {
    let model = ctx.model;
    let object = &model.objects[id];
    let grant = object.get("grant_type")?;
    let mut edits = Vec::new();
    match shape {
        Shape::Password => edits.push(value_edit(model, grant, PASSWORD_REALM)?),
        Shape::Passwordless => {
            edits.push(value_edit(model, grant, PASSWORDLESS_OTP)?);
            edits.push(key_edit(model, ctx.source, object, object.get("password")?, "otp")?);
        }
        Shape::JwtBearer => return None,
    }
    edits.push(key_edit(model, ctx.source, object, object.get("connection")?, "realm")?);
    if let Some(index) = object.entries.iter().position(|e| e.key == "device") {
        edits.push(Edit::delete(entry_removal(ctx.source, object, index)));
    }
    Some(edits)
}

fn migration_message(shape: Shape) -> &'static str {
    match shape {
        Shape::Password => "Send it to /oauth/token with the password-realm grant: `connection` becomes `realm`, `device` is dropped",
        Shape::Passwordless => "Send it to /oauth/token with the passwordless/otp grant: the code moves to `otp`, `connection` becomes `realm`, `device` is dropped",
        Shape::JwtBearer => "",
    }
}

pub fn check(ctx: &mut Context) {
    if !CODES.iter().any(|c| ctx.is_active(c)) {
        return;
    }
    let model = ctx.model;
    // Requests to /oauth/ro, with the payload found for each.
    let mut migrated: Vec<(ObjectId, Edit)> = Vec::new();
    for id in 0..model.strings.len() {
        let string = &model.strings[id];
        let text = string.text();
        if !is_url_like(&text) {
            continue;
        }
        for m in find_endpoint(&text, "oauth/ro") {
            let from = if text[..m.start].ends_with('/') { m.start - 1 } else { m.start };
            let span = text_span(string, from, m.end).unwrap_or(string.span);
            let path_edit = text_edit(string, m.end - 2, m.end, "token");
            let found = payloads(model, ctx.reach(), id, |o| shape(model, o).is_some());
            let payload = found.first().map(|&o| (o, shape(model, &model.objects[o]).expect("accepted")));
            let (message, fix) = match payload {
                Some((_, Shape::JwtBearer)) => (
                    "`/oauth/ro` with the jwt-bearer grant exchanges an ID token for tokens; it is deprecated and has no direct replacement".to_string(),
                    None,
                ),
                Some((object, shape)) => {
                    let fix = match (&path_edit, migration(ctx, object, shape)) {
                        (Some(path), Some(mut edits)) => {
                            migrated.push((object, path.clone()));
                            edits.push(path.clone());
                            Fix::new(Safety::Safe, migration_message(shape), edits)
                        }
                        _ => None,
                    };
                    let what = if shape == Shape::Passwordless { "passwordless code exchange" } else { "password login" };
                    (format!("`/oauth/ro` is deprecated; this {what} must go to `/oauth/token`"), fix)
                }
                None => (
                    "`/oauth/ro` is deprecated; requests must go to `/oauth/token` with the password-realm grant".to_string(),
                    path_edit.and_then(|edit| {
                        Fix::new(Safety::Unsafe, "Change the path to /oauth/token; the payload was not found here and must be migrated too (`grant_type` password-realm, `connection` → `realm`, no `device`)", vec![edit])
                    }),
                ),
            };
            ctx.report("RO001", span, message, fix);
        }
    }

    // Path builders: urljoin(root, 'oauth', 'ro'), .addPathSegment("oauth").addPathSegment("ro").
    for (span, edit) in path_builders(model) {
        let fix = edit.and_then(|e| Fix::new(Safety::Unsafe, "Build the path /oauth/token; the payload must be migrated too (`grant_type` password-realm, `connection` → `realm`, no `device`)", vec![e]));
        ctx.report(
            "RO001",
            span,
            "`/oauth/ro` is deprecated (built segment by segment here); requests must go to `/oauth/token`".to_string(),
            fix,
        );
    }

    // Legacy payloads, wherever they are sent.
    for id in 0..model.objects.len() {
        let object = &model.objects[id];
        let Some(shape) = shape(model, object) else {
            continue;
        };
        let Some(grant) = object.get("grant_type") else {
            continue;
        };
        let dests = destinations(ctx.reach(), id);
        let sent_to = |path: &str| dests.iter().any(|&s| !find_endpoint(&model.strings[s].text(), path).is_empty());
        let url_edit = migrated.iter().find(|(o, _)| *o == id).map(|(_, e)| e.clone());
        let to_token = sent_to("oauth/token");
        let to_ro = url_edit.is_some() || sent_to("oauth/ro");
        if shape == Shape::JwtBearer {
            // To /delegation it is a delegation request (DL001), to /oauth/token a grant of its own.
            if !to_token && !sent_to("delegation") {
                ctx.report(
                    "RO006",
                    grant.span,
                    "The jwt-bearer grant with an `id_token` (/oauth/ro) has no documented replacement: use a refresh token (`grant_type: refresh_token` at /oauth/token) or sign the user in again".to_string(),
                    None,
                );
            }
            continue;
        }
        let fix = match (url_edit, migration(ctx, id, shape)) {
            (Some(url), Some(mut edits)) => {
                edits.push(url);
                Fix::new(Safety::Safe, migration_message(shape), edits)
            }
            (None, Some(edits)) if to_token => Fix::new(Safety::Safe, migration_message(shape), edits),
            (None, Some(edits)) if !to_ro => Fix::new(
                Safety::Unsafe,
                format!(
                    "{}; the request's URL was not found here: make sure it is /oauth/token",
                    migration_message(shape)
                ),
                edits,
            ),
            _ => None,
        };
        let (code, message) = match shape {
            Shape::Passwordless => (
                "RO005",
                "Legacy passwordless payload: a code sent as `password` with `grant_type: password` and an `sms`/`email` connection is the /oauth/ro exchange".to_string(),
            ),
            _ => ("RO002", "Legacy resource-owner payload: `grant_type: password` with a `connection` is the /oauth/ro shape".to_string()),
        };
        ctx.report(code, grant.span, message, fix.clone());
        if let Some(device) = object.get("device") {
            ctx.report(
                "RO003",
                device.span,
                "`device` is not accepted by /oauth/token; it is removed".to_string(),
                fix,
            );
        }
    }
}

/// Paths built from segments: consecutive arguments `'oauth', 'ro'` of one call, or a
/// call with `'ro'` chained on a call of the same method with `'oauth'`. Each with the
/// edit of the `ro` segment when it is written verbatim.
fn path_builders(model: &FileModel) -> Vec<(Span, Option<Edit>)> {
    let segment = |value: &Value| -> Option<(StringId, String)> {
        let id = match model.resolve(value) {
            Value::String(id) => *id,
            _ => return None,
        };
        let text = model.strings[id].literal_text()?;
        Some((id, text.trim_matches('/').to_ascii_lowercase()))
    };
    let ro_edit = |id: StringId| {
        let string = &model.strings[id];
        let text = string.text();
        let at = text.to_ascii_lowercase().rfind("ro")?;
        text_edit(string, at, at + 2, "token")
    };
    let mut found = Vec::new();
    for call in &model.calls {
        for pair in call.args.windows(2) {
            if let (Some((_, a)), Some((b, ro))) = (segment(&pair[0].value), segment(&pair[1].value)) {
                if a == "oauth" && ro == "ro" {
                    found.push((pair[0].span.cover(pair[1].span), ro_edit(b)));
                }
            }
        }
        let (Some(receiver), [arg]) = (call.receiver, call.args.as_slice()) else {
            continue;
        };
        let outer = &model.calls[receiver];
        if outer.name() != call.name() || outer.args.len() != 1 {
            continue;
        }
        if let (Some((_, a)), Some((b, ro))) = (segment(&outer.args[0].value), segment(&arg.value)) {
            if a == "oauth" && ro == "ro" {
                found.push((outer.args[0].span.cover(arg.span), ro_edit(b)));
            }
        }
    }
    found
}
