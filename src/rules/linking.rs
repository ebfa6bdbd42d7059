//! LK001–LK004: ID tokens used as Management API credentials, the legacy
//! `{user_id, provider}` linking body, and the sign-in that feeds account linking with an
//! ID token only (guide 002, "Migrate to Access Tokens for Account Linking").

use super::authorize::{self, Place, Request};
use super::request::{
    find_endpoint, is_url_like, names_id_token, payloads, senders, text_edit, text_span, url_strings, value_text,
};
use super::sdk;
use super::{delegation, Context};
use crate::finding::{Edit, Finding, Fix, Safety, Severity};
use crate::model::{Part, StringId, Value, HOLE};
use crate::source::Span;

/// The scope that lets a user's own access token link and unlink their accounts.
const LINKING_SCOPE: &str = "update:current_user_identities";

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
    if ctx.is_active("LK004") && links_accounts(ctx, &bearers) {
        linking_sign_in(ctx);
    }
    if ctx.is_active("LK005") {
        legacy_unlink(ctx);
    }
}

/// The body of Auth0's legacy unlink endpoint: `{access_token, user_id}` (and `clientID`).
fn is_unlink_body(object: &crate::model::ObjectLiteral) -> bool {
    object.has("user_id") && (object.has("access_token") || object.has("clientID"))
}

/// LK005: requests to Auth0's legacy `POST /unlink` and `POST /login/unlink`. A route of
/// the application's own named `/unlink` is not Auth0's: the request must go to an Auth0
/// host, or carry the legacy body. (The SDK methods that call it are LK005's SDK table,
/// reported as matched.)
fn legacy_unlink(ctx: &mut Context) {
    let model = ctx.model;
    for (id, text) in url_strings(model) {
        let string = &model.strings[id];
        for m in find_endpoint(&text, "unlink") {
            let Some(before) = text[..m.start].strip_suffix('/') else { continue };
            let (path, origin) = match before.strip_suffix("/login") {
                Some(origin) => ("/login/unlink", origin),
                None => ("/unlink", before),
            };
            if !delegation::at_root(origin) {
                continue;
            }
            let body = payloads(model, ctx.reach(), id, is_unlink_body);
            if body.is_empty() && !delegation::names_auth0_host(ctx, string, origin) {
                continue;
            }
            let span = text_span(string, m.start - path.len() + "unlink".len(), m.end).unwrap_or(string.span);
            ctx.report(
                "LK005",
                span,
                format!("`POST {path}` is Auth0's legacy unlink endpoint, which no longer exists: unlink with `DELETE /api/v2/users/{{id}}/identities/{{provider}}/{{user_id}}` and an access token (`update:current_user_identities` for the user's own accounts, `update:users` from a backend)"),
                None,
            );
        }
    }
}

/// Who holds the token a file's Management API calls are made with.
struct Holder {
    /// Browser or mobile code: the user's own token.
    client_side: bool,
    /// A sign-in that requests `update:current_user_identities`.
    own_token_scope: bool,
    /// A backend with a client secret or client credentials: an `update:users` token.
    server_token: bool,
}

fn holder(source: &str) -> Holder {
    let source = source.to_ascii_lowercase();
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
    Holder {
        client_side,
        own_token_scope: source.contains(LINKING_SCOPE),
        server_token: source.contains("client_credentials")
            || source.contains("clientsecret")
            || source.contains("client_secret"),
    }
}

/// True when a string is a URL of the Management API's identities endpoints:
/// `/api/v2/users/{id}/identities` (link) or `.../identities/{provider}/{user_id}` (unlink).
fn is_identities_url(text: &str) -> bool {
    is_url_like(text) && text.contains("api/v2/users") && text.to_ascii_lowercase().contains("/identities")
}

/// True when the file links or unlinks accounts with the user's own token: a request to
/// the identities endpoints, auth0.js `new auth0.Management(...)` (with `linkUser`/`unlinkUser`
/// when it is imported by name), or an
/// ID token sent as the Bearer of a Management API request. A backend holding an
/// `update:users` token (client credentials) does not sign the user in for it.
fn links_accounts(ctx: &Context, bearers: &[(StringId, Value)]) -> bool {
    let model = ctx.model;
    let holder = holder(ctx.source);
    if holder.server_token && !holder.client_side {
        return false;
    }
    // auth0.js's Management client is the user's own: built for linking (`linkUser`,
    // `unlinkUser`) or for their profile, and LK002 moves it to the access token.
    model.strings.iter().any(|s| !s.nested && is_identities_url(&s.text()))
        || model.calls.iter().any(|c| c.is_new && c.callee_ends_with("auth0.Management"))
        || (model.constructs("Management") && model.calls.iter().any(|c| matches!(c.name(), "linkUser" | "unlinkUser")))
        || bearers.iter().any(|&(id, _)| reaches_management_api(ctx, id))
}

/// The separator of the words of a scope or response type written in a URL's query: the
/// encoding the URL already uses (`%20`, `+`, a space), else `%20` as guide 002 writes it.
fn url_space(ctx: &Context, request: &Request) -> &'static str {
    let query: String = request
        .params
        .iter()
        .filter_map(|p| match &p.origin {
            authorize::Origin::Url { string, start, end } => {
                ctx.model.strings[*string].text().get(*start..*end).map(str::to_string)
            }
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("&");
    if query.contains("%20") {
        "%20"
    } else if query.contains('+') {
        "+"
    } else if query.contains(' ') {
        " "
    } else {
        "%20"
    }
}

/// The words of a scope or response type value, however they are separated.
fn scope_words(value: &str) -> Vec<String> {
    value.replace("%20", " ").replace('+', " ").split_whitespace().map(str::to_string).collect()
}

/// How the tenant's domain is written where the SDK is configured.
enum Domain {
    /// A literal (`'{yourDomain}'`, `'example.auth0.com'`).
    Literal(String),
    /// An expression, as its source text (`AUTH0_DOMAIN`, `config.domain`).
    Expr(String),
}

/// The domain given to the SDK that sends a request: its `domain` option, the argument
/// that holds it (Lock), or the same from another call of that SDK in the file
/// (`new auth0.WebAuth({domain})` then `webAuth.authorize({...})`).
fn sdk_domain(ctx: &Context, request: &Request, requests: &[Request]) -> Option<Domain> {
    let model = ctx.model;
    let own = |r: &Request| -> Option<Value> {
        let entry = r.get("domain").and_then(|p| match &p.origin {
            authorize::Origin::Entry { object, index } => Some(model.objects[*object].entries[*index].value.clone()),
            _ => None,
        });
        entry.or_else(|| r.domain.clone())
    };
    let value = own(request)
        .or_else(|| requests.iter().filter(|r| request.sdk.is_some() && r.sdk == request.sdk).find_map(own))?;
    // A literal written there; a name stays the name the code uses.
    let literal = match &value {
        Value::String(id) => model.strings[*id].literal_text(),
        _ => None,
    };
    if let Some(text) = literal {
        let host = text.trim_start_matches("https://").trim_end_matches('/');
        return (!host.is_empty() && host.chars().all(|c| c.is_alphanumeric() || "-._{}:".contains(c)))
            .then(|| Domain::Literal(host.to_string()));
    }
    let text = ctx.text(value.span(model));
    (!text.is_empty() && !text.contains('\n')).then(|| Domain::Expr(text.to_string()))
}

/// For a request written as a URL, the source text of what precedes `/authorize`
/// (`https://${domain}`, `https://' + domain + '`), to be written again inside the
/// same string: `None` when it is not all the string's own text.
fn url_origin_source(ctx: &Context, string: StringId) -> Option<String> {
    let model = ctx.model;
    let value = &model.strings[string];
    let text = value.text();
    let m = find_endpoint(&text, "authorize").into_iter().next()?;
    let prefix = text[..m.start].strip_suffix('/')?;
    if !(prefix.starts_with("http") || prefix.starts_with(HOLE)) {
        return None;
    }
    // From inside the opening quote of a literal (`https://${x}`, f"https://{x}", the
    // `'https://'` that starts a concatenation) to the `/` of `/authorize`.
    let source = ctx.text(value.span);
    let quote = source.find(['`', '"', '\''])?;
    let start = if source[..quote].chars().all(|c| c.is_ascii_alphabetic() || c == '$' || c == '@') {
        value.span.start + quote + 1
    } else {
        return None;
    };
    let end = text_span(value, m.start - 1, m.start)?.start;
    // Every hole and constant of the prefix must be written inside it (not a format argument).
    let inside = |span: Span| span.start >= start && span.end <= end;
    let holes_inside = value.holes().take(prefix.matches(HOLE).count()).all(|h| inside(h.span(model)))
        && value.parts.iter().all(|p| match p {
            Part::Literal(l) => l.site.is_none_or(|site| inside(site) || site.start >= end),
            Part::Hole(_) => true,
        });
    let source = ctx.source.get(start..end)?;
    (holes_inside && !source.contains('\n')).then(|| source.to_string())
}

/// LK004: the sign-in of a file that links accounts asks for an ID token only, or for an
/// access token that is not the Management API's with `update:current_user_identities`.
fn linking_sign_in(ctx: &mut Context) {
    let requests = authorize::authorization_requests(ctx);
    for request in &requests {
        let scope = request.get("scope");
        let response_type = request.get("response_type");
        let audience = request.get("audience");
        // Values that cannot be read may hold what is needed.
        if [scope, response_type, audience].iter().any(|p| p.is_some_and(|p| p.value.is_none())) {
            continue;
        }
        let scopes = scope.and_then(|p| p.value.as_deref()).map(scope_words).unwrap_or_default();
        let types = response_type.and_then(|p| p.value.as_deref()).map(authorize::response_types);
        let management_audience = audience.and_then(|p| p.value.as_deref()).is_some_and(|v| v.contains("/api/v2"));
        if scopes.iter().any(|s| s == LINKING_SCOPE) && management_audience {
            continue;
        }
        // The code flow gets its tokens on the back channel; with neither a response type
        // nor a scope nothing tells what the sign-in asks for.
        if types.as_ref().is_some_and(|t| t.contains(&"code")) || (types.is_none() && scope.is_none()) {
            continue;
        }
        let id_token_only = types.as_ref().is_some_and(|t| t.as_slice() == ["id_token"]);
        let what = if id_token_only {
            "an ID token only".to_string()
        } else {
            match &types {
                Some(t) => format!(
                    "`{}` without the Management API audience and `{LINKING_SCOPE}`",
                    response_type.and_then(|p| p.value.clone()).unwrap_or_else(|| t.join(" "))
                ),
                None => {
                    format!("scope `{}` without the Management API audience and `{LINKING_SCOPE}`", scopes.join(" "))
                }
            }
        };
        let fix = if audience.is_some() && !management_audience {
            None // an audience of the app's own API: one sign-in cannot serve both
        } else {
            sign_in_edits(ctx, request, &requests, id_token_only, management_audience).and_then(|edits| {
                Fix::new(
                    Safety::Unsafe,
                    format!("Ask for a Management API access token: `audience` https://{{domain}}/api/v2/, `{LINKING_SCOPE}` added to the scope, `response_type` `token id_token`"),
                    edits,
                )
            })
        };
        // On the value that asks for the ID token; a setter chain on the SDK's call.
        let span = match response_type.or(scope) {
            Some(p) if !matches!(p.origin, authorize::Origin::Call) => p.span,
            _ => request.anchor,
        };
        let by = request.sdk.as_ref().map(|s| format!(" ({s} options)")).unwrap_or_default();
        ctx.report(
            "LK004",
            span,
            format!("This file links accounts, but its sign-in{by} asks for {what}: account linking needs an access token for the Management API (`audience: https://{{domain}}/api/v2/`, scope `{LINKING_SCOPE}`, `response_type: token id_token`)"),
            fix,
        );
    }
}

/// The edits that make a sign-in ask for a Management API access token; `None` when one
/// of them cannot be made in the style of the code.
fn sign_in_edits(
    ctx: &Context,
    request: &Request,
    requests: &[Request],
    id_token_only: bool,
    has_audience: bool,
) -> Option<Vec<Edit>> {
    let model = ctx.model;
    let space = |param: &authorize::Param| match param.origin {
        authorize::Origin::Url { .. } => url_space(ctx, request),
        _ => " ",
    };
    let mut edits = Vec::new();
    // The scope keeps what it asks for and gains the linking scope.
    let scope = request.get("scope")?;
    let words = scope_words(scope.value.as_deref()?);
    if !words.iter().any(|w| w == LINKING_SCOPE) {
        let addition =
            if words.is_empty() { LINKING_SCOPE.to_string() } else { format!("{}{LINKING_SCOPE}", space(scope)) };
        let edit = match &scope.origin {
            authorize::Origin::Url { string, end, .. } => text_edit(&model.strings[*string], *end, *end, &addition),
            authorize::Origin::Entry { object, index } => {
                let string = model.string_of(&model.objects[*object].entries[*index].value)?;
                let len = string.literal_text()?.len();
                text_edit(string, len, len, &addition)
            }
            authorize::Origin::Call => None,
        }?;
        edits.push(edit);
    }
    if id_token_only {
        let response_type = request.get("response_type")?;
        edits.push(authorize::param_value_edit(ctx, response_type, &format!("token{}id_token", space(response_type)))?);
    }
    if !has_audience {
        let url_value = match &request.adder {
            Some(authorize::Adder::Url { string, .. }) => {
                url_origin_source(ctx, *string).map(|o| format!("{o}/api/v2/"))
            }
            _ => None,
        };
        let domain = sdk_domain(ctx, request, requests);
        let value = |quote: char| -> Option<String> {
            match domain.as_ref()? {
                Domain::Literal(host) => {
                    (!host.contains(quote)).then(|| format!("{quote}https://{host}/api/v2/{quote}"))
                }
                Domain::Expr(expr) => {
                    let plus = model.concatenation?;
                    Some(format!("{quote}https://{quote}{plus}{expr}{plus}{quote}/api/v2/{quote}"))
                }
            }
        };
        edits.push(authorize::add_param(
            ctx,
            request,
            Place::Before("scope"),
            "audience",
            &value,
            url_value.as_deref(),
        )?);
    }
    (!edits.is_empty()).then_some(edits)
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
    // Browser and mobile code holds the user's own token; a backend with a client secret
    // or client credentials holds an `update:users` token, which the guide leaves as is.
    let Holder { client_side, own_token_scope, server_token } = holder(ctx.source);
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
