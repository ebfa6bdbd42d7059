//! RO001, RO002, RO003, RO005, RO006: requests to `/oauth/ro` and their payloads
//! (guide 003, "Migrate from /oauth/ro to /oauth/token").
//!
//! A request whose payload is found is migrated in one fix: the path becomes
//! `/oauth/token`, the grant becomes password-realm (or passwordless/otp for `sms` and
//! `email` connections), `connection` becomes `realm`, a passwordless code moves from
//! `password` to `otp`, and `device` is dropped: exactly guide 003's new payload.

use super::request::{
    destinations, entry_removal, entry_text, find_endpoint, is_url_like, key_edit, payloads, senders, text_edit,
    text_span, url_strings, value_edit,
};
use super::Context;
use crate::finding::{Edit, Fix, Safety};
use crate::model::{CallId, FileModel, ObjectId, ObjectLiteral, StringId, Value};
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

/// True when the payload's `connection` is a literal, so its shape (password or
/// passwordless) is known rather than guessed.
fn connection_known(model: &FileModel, object: &ObjectLiteral) -> bool {
    object.get("connection").and_then(|e| entry_text(model, e)).is_some()
}

/// For each request that sends the URL string `id`, the legacy payloads it reaches; one
/// empty list per request whose payload was not found. With no request found, the
/// payloads built beside the URL in the same function.
fn request_payloads(ctx: &Context, id: StringId) -> Vec<Vec<ObjectId>> {
    let model = ctx.model;
    let accept = |o: &ObjectLiteral| shape(model, o).is_some();
    let calls = senders(model, ctx.reach(), id);
    if calls.is_empty() {
        let found = payloads(model, ctx.reach(), id, accept);
        return if found.is_empty() { Vec::new() } else { vec![found] };
    }
    let mut requests: Vec<Vec<ObjectId>> = Vec::new();
    // One request assembled over several calls is one request.
    let whole: Vec<CallId> = calls
        .iter()
        .copied()
        .filter(|&a| !calls.iter().any(|&b| super::request::part_of_request(model, ctx.reach(), a, b)))
        .collect();
    for call in whole {
        let found: Vec<ObjectId> =
            ctx.reach()[call].objects.iter().copied().filter(|&o| accept(&model.objects[o])).collect();
        // A call that only builds the URL (`joinUrl(...)`, `URI(url)`, `curl_init($url)`)
        // is not a request of its own: its result is passed on (it sits in another call's
        // arguments) or kept in a name for the request made with it.
        let call_span = model.calls[call].span;
        let nested =
            (0..model.calls.len()).any(|other| other != call && model.calls[other].args_span.contains(call_span));
        let kept = model.bindings.iter().any(|b| matches!(b.value, crate::model::Value::Call(id) if id == call));
        if found.is_empty()
            && ctx.reach()[call].objects.is_empty()
            && (nested || kept || (model.calls[call].args.len() > 1 && !is_request(model, call)))
        {
            continue;
        }
        requests.push(found);
    }
    if requests.iter().all(|r| r.is_empty()) {
        let found = payloads(model, ctx.reach(), id, accept);
        if !found.is_empty() {
            return vec![found];
        }
    }
    requests
}

/// A call that sends what it is given rather than building a URL from it: it reaches an
/// object (options, payload) or is named like a request.
fn is_request(model: &FileModel, call: usize) -> bool {
    let name = model.calls[call].name().to_ascii_lowercase();
    ["fetch", "post", "request", "ajax", "send", "get", "put", "exec", "execsync", "open", "curl", "wget", "http", "xh"]
        .iter()
        .any(|n| name == *n)
}

fn dedup(mut ids: Vec<ObjectId>) -> Vec<ObjectId> {
    ids.sort_unstable();
    ids.dedup();
    ids
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

/// The scopes OpenID Connect defines: the ones `/oauth/token` and an OIDC-conformant
/// `/authorize` accept besides API permissions.
const OIDC_SCOPES: [&str; 6] = ["openid", "profile", "email", "address", "phone", "offline_access"];

/// User attributes and claims that legacy code asked for as scopes (`scope: 'openid
/// nickname app_metadata'`): with an `audience`, other words may be the API's own
/// permissions, these are not.
const PROFILE_ATTRIBUTES: [&str; 22] = [
    "name",
    "nickname",
    "picture",
    "given_name",
    "family_name",
    "middle_name",
    "preferred_username",
    "email_verified",
    "phone_number",
    "locale",
    "zoneinfo",
    "gender",
    "birthdate",
    "website",
    "updated_at",
    "user_id",
    "identities",
    "app_metadata",
    "user_metadata",
    "roles",
    "groups",
    "favorite_color",
];

/// The words of a scope value that are neither OIDC scopes nor API-style permissions
/// (`read:users`, `https://api.example.com/write`). With an `audience`, only the words that
/// name user attributes: the others may be the API's own permissions.
pub(super) fn non_oidc_scopes(value: &str, audience: bool) -> Vec<String> {
    let decoded = value.replace("%20", " ").replace('+', " ");
    let mut found: Vec<String> = Vec::new();
    for word in decoded.split_whitespace() {
        let api_style = word.contains(':') || word.contains('/');
        if OIDC_SCOPES.contains(&word) || api_style || (audience && !PROFILE_ATTRIBUTES.contains(&word)) {
            continue;
        }
        if !found.iter().any(|w| w == word) {
            found.push(word.to_string());
        }
    }
    found
}

/// The scope entries of token requests: payloads sent to `/oauth/ro`, or to an Auth0
/// `/oauth/token`, and the options of the SDK methods that call them (RO010's table).
fn token_request_scopes(ctx: &Context) -> Vec<(ObjectId, usize)> {
    let model = ctx.model;
    let mentions_auth0 = ctx.source.to_ascii_lowercase().contains("auth0");
    let mut objects: Vec<ObjectId> = Vec::new();
    for (id, text) in url_strings(model) {
        let string = &model.strings[id];
        for path in ["oauth/ro", "oauth/token"] {
            for m in find_endpoint(&text, path) {
                let Some(origin) = text[..m.start].strip_suffix('/') else { continue };
                if !super::delegation::at_root(origin) {
                    continue;
                }
                // `/oauth/token` is every OAuth server's: the request must be Auth0's.
                let auth0 =
                    path == "oauth/ro" || mentions_auth0 || super::delegation::names_auth0_host(ctx, string, origin);
                let found = payloads(model, ctx.reach(), id, |o| {
                    o.has("scope") && (auth0 || o.has("realm") || o.has("connection"))
                });
                objects.extend(found);
            }
        }
    }
    // A legacy resource-owner payload wherever it is sent, and any token request (a
    // `grant_type`) of a file that talks to Auth0; not a delegation request (DL001:
    // `api_type`, `target`), which goes to /delegation.
    objects.extend((0..model.objects.len()).filter(|&o| {
        let object = &model.objects[o];
        let delegation = object.has("api_type") || object.has("target");
        shape(model, object).is_some() || (mentions_auth0 && object.has("grant_type") && !delegation)
    }));
    for (call, _) in super::sdk::matches(ctx, ctx.rule("RO010")) {
        objects.extend(super::sdk::object_args(ctx, &model.calls[call]));
    }
    let objects = dedup(objects);
    objects
        .into_iter()
        .filter_map(|o| model.objects[o].entries.iter().position(|e| e.key == "scope").map(|i| (o, i)))
        .collect()
}

/// RO004: scopes that ask for user attributes instead of OIDC scopes or API permissions.
fn scope_findings(ctx: &mut Context) {
    let model = ctx.model;
    let mut found: Vec<(Span, Vec<String>, &str)> = Vec::new();
    for request in super::authorize::authorization_requests(ctx) {
        let Some(scope) = request.get("scope") else { continue };
        let Some(value) = &scope.value else { continue };
        let words = non_oidc_scopes(value, request.get("audience").is_some());
        if !words.is_empty() {
            found.push((scope.span, words, "/authorize"));
        }
    }
    for (object, index) in token_request_scopes(ctx) {
        let literal = &model.objects[object];
        let entry = &literal.entries[index];
        let Some(value) = entry_text(model, entry) else { continue };
        let words = non_oidc_scopes(&value, literal.has("audience"));
        if !words.is_empty() {
            let span = model
                .string_of(&entry.value)
                .filter(|s| s.span == entry.value.span(model))
                .map_or(entry.span, |s| s.span);
            found.push((span, words, "the token endpoint"));
        }
    }
    let mut reported: Vec<Span> = Vec::new();
    for (span, words, endpoint) in found {
        if reported.contains(&span) {
            continue;
        }
        reported.push(span);
        let list = words.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", ");
        let first = &words[0];
        let what = if words.len() > 1 {
            "which are neither OIDC scopes nor API permissions"
        } else {
            "which is neither an OIDC scope nor an API permission"
        };
        ctx.report(
            "RO004",
            span,
            format!("The scope sent to {endpoint} asks for {list}, {what}: OIDC-conformant endpoints ignore such scopes, so the claim never arrives. Add it as a namespaced custom claim from a post-login Action (`api.idToken.setCustomClaim('https://myapp.example.com/{first}', ...)`) and drop it from the scope"),
            None,
        );
    }
}

pub fn check(ctx: &mut Context) {
    if ctx.is_active("RO004") {
        scope_findings(ctx);
    }
    if !CODES.iter().any(|c| ctx.is_active(c)) {
        return;
    }
    let model = ctx.model;
    // Requests to /oauth/ro. Every request that uses the URL is migrated with it: the fix
    // is safe only when each of them has its payload found and migrated in the same fix.
    let mut migrated: Vec<(ObjectId, Fix)> = Vec::new();
    for id in 0..model.strings.len() {
        let string = &model.strings[id];
        let text = string.text();
        if !is_url_like(&text) || super::request::only_shown(model, ctx.reach(), id) {
            continue;
        }
        for m in find_endpoint(&text, "oauth/ro") {
            let from = if text[..m.start].ends_with('/') { m.start - 1 } else { m.start };
            let span = text_span(string, from, m.end).unwrap_or(string.span);
            let path_edit = text_edit(string, m.end - 2, m.end, "token");
            let requests = request_payloads(ctx, id);
            let shapes: Vec<Shape> =
                requests.iter().flatten().map(|&o| shape(model, &model.objects[o]).expect("accepted")).collect();
            let (message, fix) = if shapes.contains(&Shape::JwtBearer) {
                ("`/oauth/ro` with the jwt-bearer grant exchanges an ID token for tokens; it is deprecated and has no direct replacement".to_string(), None)
            } else if shapes.is_empty() {
                let fix = path_edit.and_then(|edit| {
                    Fix::new(Safety::Unsafe, "Change the path to /oauth/token; the payload was not found here and must be migrated too (`grant_type` password-realm, `connection` → `realm`, no `device`)", vec![edit])
                });
                (
                    "`/oauth/ro` is deprecated; requests must go to `/oauth/token` with the password-realm grant"
                        .to_string(),
                    fix,
                )
            } else {
                let objects: Vec<ObjectId> = dedup(requests.iter().flatten().copied().collect());
                let mut edits: Vec<Edit> = path_edit.iter().cloned().collect();
                let mut complete = path_edit.is_some();
                for &object in &objects {
                    match migration(ctx, object, shape(model, &model.objects[object]).expect("accepted")) {
                        Some(more) => edits.extend(more),
                        None => complete = false,
                    }
                }
                let every_request_has_its_payload = requests.iter().all(|r| !r.is_empty());
                let certain = objects.iter().all(|&o| connection_known(model, &model.objects[o]));
                let shape = shapes[0];
                let fix = complete
                    .then(|| {
                        let (safety, message) = if !every_request_has_its_payload {
                            (Safety::Unsafe, format!("{}; another request to this URL sends a payload that was not found here: migrate it too", migration_message(shape)))
                        } else if !certain {
                            (Safety::Unsafe, format!("{}; `connection` is not a literal here: if it can be `sms` or `email`, this is a passwordless exchange (passwordless/otp grant, code in `otp`)", migration_message(shape)))
                        } else {
                            (Safety::Safe, migration_message(shape).to_string())
                        };
                        Fix::new(safety, message, edits)
                    })
                    .flatten();
                if let Some(fix) = &fix {
                    migrated.extend(objects.iter().map(|&o| (o, fix.clone())));
                }
                let what = if shape == Shape::Passwordless { "passwordless code exchange" } else { "password login" };
                (format!("`/oauth/ro` is deprecated; this {what} must go to `/oauth/token`"), fix)
            };
            ctx.report("RO001", span, message, fix);
        }
    }

    // Path builders: urljoin(root, 'oauth', 'ro'), .addPathSegment("oauth").addPathSegment("ro").
    for (span, edit) in path_builders(model) {
        // A jwt-bearer exchange has no replacement: moving its path alone breaks it.
        let jwt_bearer = model
            .calls_around(span)
            .into_iter()
            .chain((0..model.calls.len()).filter(|&c| model.calls[c].span.contains(span)))
            .any(|call| {
                ctx.reach()[call].objects.iter().any(|&o| shape(model, &model.objects[o]) == Some(Shape::JwtBearer))
            });
        let edit = edit.filter(|_| !jwt_bearer);
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
        let request_fix = migrated.iter().find(|(o, _)| *o == id).map(|(_, fix)| fix.clone());
        let to_token = sent_to("oauth/token");
        let to_ro = request_fix.is_some() || sent_to("oauth/ro");
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
        let certain = connection_known(model, object);
        let fix = match (request_fix, migration(ctx, id, shape)) {
            // The same fix as the request's: applied once, for the URL and every payload.
            (Some(fix), _) => Some(fix),
            (None, Some(edits)) if to_token => {
                Fix::new(if certain { Safety::Safe } else { Safety::Unsafe }, migration_message(shape), edits)
            }
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

#[cfg(test)]
mod tests {
    use super::non_oidc_scopes;

    #[test]
    fn scopes_are_oidc_api_style_or_user_attributes() {
        assert_eq!(non_oidc_scopes("openid email favorite_color offline_access", false), ["favorite_color"]);
        assert_eq!(non_oidc_scopes("openid%20nickname%20app_metadata", false), ["nickname", "app_metadata"]);
        assert_eq!(non_oidc_scopes("openid+name+name", false), ["name"]);
        assert!(non_oidc_scopes("openid profile email address phone offline_access", false).is_empty());
        assert!(non_oidc_scopes("read:messages https://api.example.com/write update:current_user_identities", false)
            .is_empty());
        // With an audience, plain words may be the API's permissions; user attributes are not.
        assert!(non_oidc_scopes("read_messages write_messages", true).is_empty());
        assert_eq!(non_oidc_scopes("openid read_messages roles", true), ["roles"]);
    }
}
