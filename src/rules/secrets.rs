//! SC001, SC002, SC003, SC004: client secrets (guide 000, "Rotate Client Secrets").
//!
//! Rotating a client secret breaks every place that holds a copy of it: a secret written
//! in the code (SC001) or shipped to browsers and phones (SC002) is exposed and must be
//! rotated; code that turns TLS verification off while calling Auth0 (SC003) exposes the
//! secret in transit; ID tokens verified with the secret (HS256, SC004) stop verifying
//! when it changes.
//!
//! A secret is never printed: messages show its first four characters and a mask
//! ([`mask_secret`]), and [`secret_spans`] tells the reporters which source text to mask
//! in snippets and diffs, whichever rules are selected.

use super::request::{names_id_token, removal_of_entry, statement_removal, text_edit, value_text};
use super::{sdk, Context};
use crate::finding::{mask_secret, Edit, Fix, Safety};
use crate::model::{is_command, FileModel, ObjectId, Part, StringId, Value};
use crate::source::Span;

/// Names that hold another identity provider's secret, not Auth0's.
pub(super) const OTHER_PROVIDERS: &[&str] = &[
    "google",
    "github",
    "gitlab",
    "bitbucket",
    "facebook",
    "twitter",
    "linkedin",
    "microsoft",
    "azure",
    "okta",
    "cognito",
    "keycloak",
    "discord",
    "spotify",
    "slack",
    "stripe",
    "paypal",
    "apple",
    "amazon",
    "dropbox",
    "salesforce",
    "twitch",
    "strava",
    "reddit",
    "yahoo",
    "instagram",
    "zoom",
    "hubspot",
    "shopify",
    "firebase",
    "supabase",
    "onelogin",
];

/// Words that mark a value as a placeholder or a test value rather than a secret.
const PLACEHOLDER_WORDS: &[&str] = &[
    "your",
    "xxx",
    "change",
    "replace",
    "placeholder",
    "example",
    "sample",
    "dummy",
    "fake",
    "mock",
    "test",
    "secret",
    "insert",
    "enter",
    "todo",
    "fixme",
    "redacted",
    "default",
    "<",
    ">",
    "{",
    "}",
    "$",
    "%",
    "...",
    "***",
    "…",
];

/// Environment-variable prefixes that build tools inline into browser bundles.
const PUBLIC_ENV_PREFIXES: &[&str] =
    &["REACT_APP_", "NEXT_PUBLIC_", "VITE_", "VUE_APP_", "GATSBY_", "EXPO_PUBLIC_", "NG_APP_", "PUBLIC_"];

/// The words of a name, split at case changes and separators, lowercased:
/// `auth0ClientSecret` → auth0, client, secret; `config['client_secret']` → config,
/// client, secret.
pub(super) fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current).to_ascii_lowercase());
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1);
        let boundary = c.is_ascii_uppercase()
            && prev.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            });
        if boundary && !current.is_empty() {
            out.push(std::mem::take(&mut current).to_ascii_lowercase());
        }
        current.push(c);
    }
    if !current.is_empty() {
        out.push(current.to_ascii_lowercase());
    }
    out
}

/// The last identifier of a key, binding target or setter: `this.clientSecret` →
/// `clientSecret`, `config['client_secret']` → `client_secret`.
fn last_name(name: &str) -> &str {
    name.trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .next()
        .unwrap_or("")
}

/// True when a key or binding name says it holds an OAuth client secret
/// (`client_secret`, `clientSecret`, `AUTH0_CLIENT_SECRET`, `ClientSecret`,
/// `client-secret`, `mgmtClientSecret`), and not another provider's.
pub fn is_secret_key(name: &str) -> bool {
    let words = words(last_name(name));
    let n = words.len();
    n >= 2
        && words[n - 2] == "client"
        && words[n - 1] == "secret"
        && !words[..n - 2].iter().any(|w| OTHER_PROVIDERS.iter().any(|p| w.contains(p)))
}

/// True when a setter's name takes a client secret: `clientSecret(...)`,
/// `setClientSecret(...)`, `withClientSecret(...)`.
fn is_secret_setter(name: &str) -> bool {
    let words = words(name);
    match words.first().map(String::as_str) {
        Some("set" | "with") => is_secret_key(&words[1..].join("_")),
        Some("client") => is_secret_key(name),
        _ => false,
    }
}

/// True when a literal value is a placeholder, a name or a test value rather than a
/// secret: `YOUR_CLIENT_SECRET`, `{yourClientSecret}`, `<secret>`, `xxxx...`,
/// `changeme`, `test-secret-123`, `AUTH0_CLIENT_SECRET` (a variable's name),
/// `auth0.clientSecret` (a configuration key), a path or URL, a run such as
/// `abcdefgh` or `12345678`, or too few distinct characters.
pub fn is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    let is_name = value.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && value.starts_with(|c: char| c.is_ascii_uppercase());
    let is_key = value.contains('.')
        && value.split('.').all(|seg| !seg.is_empty() && seg.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        && value.starts_with(|c: char| c.is_ascii_alphabetic());
    let is_path = value.starts_with(['/', '.', '~']) || lower.starts_with("http") || value.contains("://");
    let mut distinct: Vec<char> = value.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    is_name || is_key || is_path || distinct.len() < 6 || has_run(&lower)
}

/// True when the text has five characters in a row that follow each other (`abcde`,
/// `34567`, `qwert`): typed by hand, not generated.
fn has_run(lower: &str) -> bool {
    let chars: Vec<char> = lower.chars().collect();
    let sequential = chars.windows(5).any(|w| w.windows(2).all(|p| p[1] as u32 == p[0] as u32 + 1));
    sequential || ["qwert", "asdfg", "zxcvb"].iter().any(|k| lower.contains(k))
}

/// A literal that may be a real secret: 16 characters or more, no whitespace, not a
/// placeholder.
fn is_candidate(value: &str) -> bool {
    value.chars().count() >= 16 && !value.chars().any(char::is_whitespace) && !is_placeholder(value)
}

/// A literal that looks generated: a candidate that mixes at least three kinds of
/// characters (lower, upper, digits, symbols), or a long hexadecimal string. Used for
/// values found inside an expression (`process.env.X || '...'`), where configuration
/// keys and names are common.
fn looks_generated(value: &str) -> bool {
    if !is_candidate(value) {
        return false;
    }
    let kinds = [
        value.chars().any(|c| c.is_ascii_lowercase()),
        value.chars().any(|c| c.is_ascii_uppercase()),
        value.chars().any(|c| c.is_ascii_digit()),
        value.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    let hex = value.len() >= 32 && value.chars().all(|c| c.is_ascii_hexdigit());
    kinds.iter().filter(|k| **k).count() >= 3 || hex
}

/// Where a secret's value comes from.
#[derive(Clone, Debug)]
struct Site {
    /// The key, binding target or setter that names it, as written.
    key: String,
    /// The string value that holds the secret.
    string: StringId,
    /// The value is that string itself (so it can be replaced), not a string inside a
    /// larger expression (a fallback `process.env.X || '...'`).
    direct: bool,
    /// The object the key is in, when it is an entry.
    object: Option<ObjectId>,
}

/// A value given to a secret key that is not a literal: the expression's text
/// (`process.env.REACT_APP_AUTH0_CLIENT_SECRET`) and where it is.
#[derive(Clone, Debug)]
struct Reference {
    key: String,
    text: String,
    span: Span,
    object: Option<ObjectId>,
}

/// The values given to secret keys: entries of objects, dicts, hashes, JSON and form
/// bodies, keyword arguments, bindings (`const CLIENT_SECRET = ...`) and setters.
fn assignments(model: &FileModel) -> Vec<(String, Value, Option<ObjectId>)> {
    let mut found = Vec::new();
    for (id, object) in model.objects.iter().enumerate() {
        for entry in &object.entries {
            if is_secret_key(&entry.key) {
                found.push((entry.key.clone(), entry.value.clone(), Some(id)));
            }
        }
    }
    for binding in &model.bindings {
        if is_secret_key(&binding.name) {
            found.push((last_name(&binding.name).to_string(), binding.value.clone(), None));
        }
    }
    for call in &model.calls {
        if let [arg] = call.args.as_slice() {
            if arg.label.is_none() && is_secret_setter(call.name()) {
                found.push((call.name().to_string(), arg.value.clone(), None));
            }
        }
    }
    found
}

/// The secret literals and the non-literal references given to secret keys.
fn sites(model: &FileModel, source: &str) -> (Vec<Site>, Vec<Reference>) {
    let mut sites: Vec<Site> = Vec::new();
    let mut references = Vec::new();
    for (key, value, object) in assignments(model) {
        let resolved = model.resolve(&value);
        if let Value::String(id) = resolved {
            let string = &model.strings[*id];
            match string.literal_text() {
                Some(text) if is_candidate(&text) => {
                    sites.push(Site { key, string: *id, direct: true, object });
                }
                Some(_) => {}
                None => references.push(Reference {
                    key,
                    text: source.get(string.span.range()).unwrap_or("").to_string(),
                    span: string.span,
                    object,
                }),
            }
            continue;
        }
        let span = resolved.span(model);
        // Literals inside the expression: a fallback (`process.env.X || '...'`), a
        // default (`getenv('X', '...')`), a decoded literal (`Buffer.from('...')`).
        let mut inner = false;
        for (id, string) in model.strings.iter().enumerate() {
            if string.nested || !span.contains(string.span) {
                continue;
            }
            if string.literal_text().is_some_and(|t| looks_generated(&t)) {
                sites.push(Site { key: key.clone(), string: id, direct: false, object });
                inner = true;
            }
        }
        if !inner {
            let text = match resolved {
                Value::Expr(expr) => expr.text.clone(),
                other => source.get(other.span(model).range()).unwrap_or("").to_string(),
            };
            references.push(Reference { key, text, span: value.span(model), object });
        }
    }
    sites.sort_by_key(|s| (model.strings[s.string].span.start, !s.direct));
    sites.dedup_by_key(|s| s.string);
    (sites, references)
}

/// The source text of every secret found in the file, to be masked wherever the file's
/// text is shown. Independent of which rules are selected.
pub fn secret_spans(model: &FileModel, source: &str) -> Vec<Span> {
    let (sites, _) = sites(model, source);
    let mut spans = Vec::new();
    for site in sites {
        for part in &model.strings[site.string].parts {
            if let Part::Literal(lit) = part {
                spans.push(lit.span);
            }
        }
    }
    spans
}

/// True when the file's code (its comments aside) talks to Auth0: it names Auth0 (a
/// domain, a package, an `AUTH0_` setting) or one of Auth0's endpoints or documented
/// placeholders.
pub(super) fn calls_auth0(model: &FileModel, source: &str) -> bool {
    let mut code = source.as_bytes().to_vec();
    for comment in &model.comments {
        if let Some(bytes) = code.get_mut(comment.range()) {
            bytes.fill(b' ');
        }
    }
    let lower = String::from_utf8_lossy(&code).to_ascii_lowercase();
    [
        "auth0",
        "{yourdomain}",
        "/api/v2/",
        "/oauth/token",
        "/oauth/ro",
        "/userinfo",
        "/dbconnections/",
        "/passwordless/start",
        "/delegation",
    ]
    .iter()
    .any(|m| lower.contains(m))
}

/// True when an object is configured for another identity provider: its own source,
/// or the call it is passed to, names one (`new GoogleStrategy({...})`,
/// `{ domain: 'x.okta.com', ... }`) and none says Auth0.
fn other_provider(ctx: &Context, object: Option<ObjectId>) -> bool {
    let Some(object) = object else { return false };
    let span = ctx.model.objects[object].span;
    let mut texts = vec![ctx.text(span).to_ascii_lowercase()];
    for call in ctx.model.calls_around(span).into_iter().take(1) {
        texts.push(ctx.model.calls[call].callee.to_ascii_lowercase());
    }
    let text = texts.join(" ");
    !text.contains("auth0") && OTHER_PROVIDERS.iter().any(|p| text.contains(p))
}

/// The objects given to public-client SDKs (SC002's table: auth0.js, Lock, the SPA SDK,
/// React Native), with the objects nested in them.
fn public_sdk_objects(ctx: &Context) -> Vec<(ObjectId, String)> {
    let mut found = Vec::new();
    for (call, row) in sdk::matches(ctx, ctx.rule("SC002")) {
        for object in sdk::object_args(ctx, &ctx.model.calls[call]) {
            ctx.model.walk_values(&Value::Object(object), &mut |v| {
                if let Value::Object(id) = v {
                    found.push((*id, row.sdk.clone()));
                }
            });
        }
    }
    found
}

/// The environment variable a secret named `key` should come from:
/// `clientSecret` → `AUTH0_CLIENT_SECRET`, `mgmtClientSecret` → `AUTH0_MGMT_CLIENT_SECRET`.
fn env_name(key: &str) -> String {
    let words = words(last_name(key));
    let mut name = words.join("_").to_ascii_uppercase();
    if !words.iter().any(|w| w == "auth0") {
        name = format!("AUTH0_{name}");
    }
    name
}

pub fn check(ctx: &mut Context) {
    if ctx.is_active("SC001") || ctx.is_active("SC002") {
        hardcoded(ctx);
    }
    if ctx.is_active("SC003") && calls_auth0(ctx.model, ctx.source) {
        tls_overrides(ctx);
    }
    if ctx.is_active("SC004") {
        secret_signed_tokens(ctx);
    }
}

/// SC001 and SC002: secrets written in the code, and secrets given to public clients.
fn hardcoded(ctx: &mut Context) {
    let model = ctx.model;
    let (sites, references) = sites(model, ctx.source);
    if sites.is_empty() && references.is_empty() {
        return;
    }
    let auth0 = calls_auth0(ctx.model, ctx.source);
    // A file about another provider only (`passport-google-oauth20`) holds its secrets.
    let lower = ctx.source.to_ascii_lowercase();
    let anchored = auth0 || !OTHER_PROVIDERS.iter().any(|p| lower.contains(p));
    let public_objects = public_sdk_objects(ctx);
    let public_sdk = |object: Option<ObjectId>| {
        object.and_then(|o| public_objects.iter().find(|(id, _)| *id == o).map(|(_, sdk)| sdk.clone()))
    };
    // One variable per secret: two different secrets named alike get no fix.
    let mut names: Vec<(String, String)> = Vec::new();
    for site in &sites {
        let text = model.strings[site.string].text();
        names.push((env_name(&site.key), text));
    }
    let clash = |name: &str| {
        let mut values: Vec<&String> = names.iter().filter(|(n, _)| n == name).map(|(_, v)| v).collect();
        values.sort();
        values.dedup();
        values.len() > 1
    };

    // A constant's value spliced into the string that uses it (`"client_secret=$SECRET"`)
    // is the same secret, reported where it is written.
    let written_at = |site: &Site| -> Vec<Span> {
        model.strings[site.string]
            .parts
            .iter()
            .filter_map(|p| match p {
                Part::Literal(lit) => Some(lit.span),
                Part::Hole(_) => None,
            })
            .collect()
    };
    let copied = |site: &Site| {
        let string = &model.strings[site.string];
        string.parts.iter().all(|p| matches!(p, Part::Literal(lit) if lit.from_binding()))
            && sites.iter().any(|other| {
                other.string != site.string
                    && written_at(site).iter().all(|span| model.strings[other.string].span.contains(*span))
            })
    };
    for site in &sites {
        if copied(site) {
            continue;
        }
        let sdk = public_sdk(site.object);
        if !(anchored || sdk.is_some()) || other_provider(ctx, site.object) {
            continue;
        }
        let string = &model.strings[site.string];
        let secret = string.text();
        let shown = mask_secret(&secret);
        let public = sdk.is_some() || model.client_side;
        let name = env_name(&site.key);
        let single_literal = matches!(string.parts.as_slice(), [Part::Literal(lit)] if lit.site.is_none());
        // Where only a compile-time constant may be written, nothing read at run time fits.
        let constant = model.constant_contexts.iter().any(|c| c.contains(string.span));
        // Where the adapter knows which literals an environment lookup fits (Rust: where a
        // `String` is expected), only there.
        let fits = model.env_lookup_sites.as_ref().is_none_or(|sites| sites.contains(&string.span));
        let fix = match model.env_lookup {
            Some(template)
                if site.direct && !string.nested && single_literal && fits && !public && !constant && !clash(&name) =>
            {
                let mut edits = vec![Edit::replace(string.span, template.replace("{name}", &name))];
                if let Some((at, import)) = &model.env_lookup_import {
                    edits.push(Edit::replace(Span::new(*at, *at), import.clone()));
                }
                Fix::new(
                    Safety::Unsafe,
                    format!("Read the secret from the environment variable `{name}` (set it wherever the application runs, with the rotated secret)"),
                    edits,
                )
            }
            _ => None,
        };
        let how = if site.direct { "is hard-coded" } else { "is hard-coded as a fallback" };
        ctx.report(
            "SC001",
            string.span,
            format!("The client secret `{shown}` (`{}`) {how}: it is exposed to everyone who can read this code. Rotate it (`POST /api/v2/clients/{{id}}/rotate-secret` with a Management API token that has `update:client_keys`, or Dashboard > Applications > Settings > Rotate), then update every application that uses it", site.key),
            fix,
        );
        if public {
            let where_ = match &sdk {
                Some(sdk) => format!("given to {sdk}, which runs in the browser or on the device"),
                None => "in browser or mobile code".to_string(),
            };
            ctx.report(
                "SC002",
                string.span,
                format!("The client secret `{shown}` (`{}`) is {where_}: a public client cannot keep a secret, anyone can read it from the page or the app. Remove it, sign in with the Authorization Code flow with PKCE, keep calls that need the secret on a backend, and rotate the secret", site.key),
                None,
            );
        }
    }

    // SC002 for values that are not literals: what a public SDK is given, and variables
    // that build tools inline into the bundle.
    for reference in &references {
        let sdk = public_sdk(reference.object);
        let inlined = model.client_side
            && (reference.text.contains("import.meta.env")
                || PUBLIC_ENV_PREFIXES.iter().any(|p| reference.text.contains(p)));
        if reference.text.is_empty() || !(sdk.is_some() || (inlined && auth0)) {
            continue;
        }
        let where_ = match &sdk {
            Some(sdk) => format!("is given to {sdk}, which runs in the browser or on the device"),
            None => "is inlined into the browser bundle by the build".to_string(),
        };
        ctx.report(
            "SC002",
            reference.span,
            format!("The client secret `{}` (`{}`) {where_}: a public client cannot keep a secret, anyone can read it from the page or the app. Remove it, sign in with the Authorization Code flow with PKCE, keep calls that need the secret on a backend, and rotate the secret", reference.text, reference.key),
            None,
        );
    }
}

/// The text of a value as a setting: a string's literal text, else its source text
/// (`false`, `0`, `OpenSSL::SSL::VERIFY_NONE`), without spaces.
fn setting(ctx: &Context, value: &Value) -> String {
    match ctx.model.string_of(value).and_then(|s| s.literal_text()) {
        Some(text) => text,
        None => ctx.text(ctx.model.resolve(value).span(ctx.model)).split_whitespace().collect(),
    }
}

fn is_false(setting: &str) -> bool {
    matches!(setting.to_ascii_lowercase().as_str(), "false" | "0" | "no" | ":false")
}

fn is_true(setting: &str) -> bool {
    matches!(setting.to_ascii_lowercase().as_str(), "true" | "1" | "yes")
}

/// A constant that means "do not verify the peer": `OpenSSL::SSL::VERIFY_NONE`,
/// `ssl.CERT_NONE`, `ssl._create_unverified_context`, .NET's
/// `DangerousAcceptAnyServerCertificateValidator`.
fn is_no_verify_constant(setting: &str) -> bool {
    let last = setting.rsplit([':', '.', '\\', '>']).next().unwrap_or("");
    matches!(
        last,
        "VERIFY_NONE" | "CERT_NONE" | "_create_unverified_context" | "DangerousAcceptAnyServerCertificateValidator"
    )
}

/// True when a setting named `key` set to `value` turns TLS verification off.
fn disables_tls(key: &str, value: &str) -> bool {
    let name = words(last_name(key)).join("_");
    if is_no_verify_constant(value) {
        return true;
    }
    match name.as_str() {
        "reject_unauthorized"
        | "strict_ssl"
        | "verify"
        | "ssl_verify"
        | "verify_ssl"
        | "ssl_verify_peer"
        | "verify_peer"
        | "curlopt_ssl_verifypeer"
        | "curlopt_ssl_verifyhost"
        | "ssl_verifypeer"
        | "ssl_verifyhost" => is_false(value),
        "insecure_skip_verify" | "danger_accept_invalid_certs" | "danger_accept_invalid_hostnames" => is_true(value),
        "node_tls_reject_unauthorized" => value == "0",
        "server_certificate_validation_callback" | "server_certificate_custom_validation_callback" => {
            // C# `(...) => true`, F# `fun _ _ _ _ -> true`.
            value.ends_with("=>true") || value.contains("returntrue") || value.trim_end_matches(')').ends_with("->true")
        }
        _ => false,
    }
}

/// SC003: TLS verification turned off in a file that talks to Auth0.
fn tls_overrides(ctx: &mut Context) {
    let model = ctx.model;
    let message = |what: &str| {
        format!("{what} turns TLS certificate verification off for requests to Auth0: anyone on the network path can impersonate the tenant and read the client secret, tokens and credentials sent to it")
    };
    // Options: `{ rejectUnauthorized: false }`, `verify=False`, `InsecureSkipVerify: true`,
    // `CURLOPT_SSL_VERIFYPEER => false`, `verify_mode: OpenSSL::SSL::VERIFY_NONE`.
    for (id, object) in model.objects.iter().enumerate() {
        for (index, entry) in object.entries.iter().enumerate() {
            let value = setting(ctx, &entry.value);
            if !disables_tls(&entry.key, &value) {
                continue;
            }
            let fix = removal_of_entry(model, ctx.source, id, index).and_then(|span| {
                Fix::new(
                    Safety::Safe,
                    format!("Remove `{}` so that certificates are verified", entry.key),
                    vec![Edit::delete(span)],
                )
            });
            ctx.report("SC003", entry.span, message(&format!("`{}` set to `{value}`", entry.key)), fix);
        }
    }
    // Assignments: `http.verify_mode = OpenSSL::SSL::VERIFY_NONE`,
    // `process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'`, `session.verify = False`.
    for binding in &model.bindings {
        let value = setting(ctx, &binding.value);
        if !disables_tls(&binding.name, &value) {
            continue;
        }
        let fix = statement_removal(ctx.source, binding.span).and_then(|span| {
            Fix::new(Safety::Safe, "Remove the assignment so that certificates are verified", vec![Edit::delete(span)])
        });
        let target = last_name(&binding.name);
        ctx.report("SC003", binding.span, message(&format!("Setting `{target}` to `{value}`")), fix);
    }
    // Setter methods named for the setting: reqwest's
    // `ClientBuilder::danger_accept_invalid_certs(true)`, removed from their chain.
    for call in &model.calls {
        let [arg] = call.args.as_slice() else { continue };
        let setter = words(call.name()).join("_");
        let value = setting(ctx, &arg.value);
        if !setter.starts_with("danger_") || !disables_tls(call.name(), &value) {
            continue;
        }
        let span = match call.receiver {
            Some(receiver) => Some(Span::new(model.calls[receiver].span.end, call.span.end)),
            None => statement_removal(ctx.source, call.span),
        };
        let fix = span.and_then(|span| {
            Fix::new(
                Safety::Safe,
                format!("Remove `{}({value})` so that certificates are verified", call.name()),
                vec![Edit::delete(span)],
            )
        });
        let at = Span::new(call.name_span.start, call.span.end);
        ctx.report("SC003", at, message(&format!("`{}({value})`", call.name())), fix);
    }
    // Option setters: `curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false)`,
    // `c.setopt(pycurl.SSL_VERIFYPEER, 0)`.
    for call in &model.calls {
        for (index, pair) in call.args.windows(2).enumerate() {
            let option = setting(ctx, &pair[0].value);
            let value = setting(ctx, &pair[1].value);
            let option_name = option.rsplit(['.', ':']).next().unwrap_or("");
            if !(option_name.contains("SSL_VERIFYPEER") || option_name.contains("SSL_VERIFYHOST")) || !is_false(&value)
            {
                continue;
            }
            // The call sets this one option: remove the whole statement.
            let span = if call.args.len() == index + 2 { statement_removal(ctx.source, call.span) } else { None };
            let fix = span.and_then(|span| {
                Fix::new(
                    Safety::Safe,
                    format!("Remove the `{option_name}` override so that certificates are verified"),
                    vec![Edit::delete(span)],
                )
            });
            ctx.report("SC003", call.span, message(&format!("`{option_name}` set to `{value}`")), fix);
        }
    }
    // Code the adapter recognised: a trust manager that accepts every certificate, a
    // hostname verifier that returns true.
    for found in &model.tls_overrides {
        let fix = found.removal.and_then(|span| {
            Fix::new(Safety::Safe, "Remove the override so that certificates are verified", vec![Edit::delete(span)])
        });
        ctx.report("SC003", found.span, message(&found.what), fix);
    }
    // Command lines: `curl -k ...`, `curl --insecure ...`, `wget --no-check-certificate`.
    for string in model.strings.iter().filter(|s| !s.nested) {
        let text = string.text();
        if !is_command(&text) {
            continue;
        }
        let mut at = 0;
        for word in text.split(' ') {
            let start = at;
            at += word.len() + 1;
            let long = matches!(word, "--insecure" | "--no-check-certificate" | "--verify=no");
            let short = word.starts_with('-')
                && !word.starts_with("--")
                && word.len() > 1
                && word[1..].chars().all(|c| c.is_ascii_alphabetic())
                && word.contains('k')
                && text.starts_with("curl");
            if !(long || short) {
                continue;
            }
            let Some(span) = super::request::text_span(string, start, start + word.len()) else { continue };
            let edit = if word == "-k" || long {
                // The flag and the space before it.
                text_edit(string, start.saturating_sub(1), start + word.len(), "")
            } else {
                let k = start + word.find('k').unwrap_or(0);
                text_edit(string, k, k + 1, "")
            };
            let fix = edit.and_then(|e| {
                Fix::new(Safety::Safe, format!("Remove `{word}` so that certificates are verified"), vec![e])
            });
            ctx.report("SC003", span, message(&format!("`{word}`")), fix);
        }
    }
}

/// True when an expression names the client secret (`process.env.AUTH0_CLIENT_SECRET`,
/// `config.clientSecret`).
fn names_client_secret(text: &str) -> bool {
    let words = words(text);
    words.windows(2).any(|w| w[0] == "client" && w[1] == "secret")
}

/// True when an expression decodes a secret from base64 (`Buffer.from(secret,
/// 'base64')`, `new Buffer(process.env.AUTH0_CLIENT_SECRET, 'base64')`,
/// `base64.b64decode(client_secret)`): Auth0's legacy `secret_encoded` secrets.
fn decodes_secret(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    (lower.contains("base64") || lower.contains("b64decode")) && words(text).iter().any(|w| w == "secret")
}

/// SC004: ID tokens verified with the client secret (HS256), or with a base64-encoded
/// secret (`secret_encoded`).
fn secret_signed_tokens(ctx: &mut Context) {
    let model = ctx.model;
    let auth0 = calls_auth0(ctx.model, ctx.source);
    let message = |what: &str, encoded: bool| {
        let encoded =
            if encoded { " (a base64 `secret_encoded` secret, no longer accepted for new clients)" } else { "" };
        format!("{what}{encoded}: tokens signed with the client secret (HS256) stop verifying when the secret is rotated, and every verifier must hold the secret. Sign the application's tokens with RS256 and verify them with the tenant's public keys (`https://{{yourDomain}}/.well-known/jwks.json`)")
    };
    let mut reported: Vec<Span> = Vec::new();
    // Verification calls: jwt.verify(token, key, options), jwt.decode(token, key, ...),
    // JWT::decode($jwt, $key, ['HS256']), Algorithm.HMAC256(secret).
    for call in &model.calls {
        let name = call.name().to_ascii_lowercase();
        // Go's jwt.Parse(token, keyFunc) / jwt.ParseWithClaims: the key comes from a function.
        let jwt_parse = matches!(name.as_str(), "parse" | "parsewithclaims")
            && call.callee.to_ascii_lowercase().split('.').any(|s| s.starts_with("jwt"));
        let verifies = jwt_parse
            || matches!(
                name.as_str(),
                "verify" | "decode" | "jwtverify" | "verifyjwt" | "verifytoken" | "verifyidtoken" | "decodejwt"
            );
        let hmac = matches!(name.as_str(), "hmac256" | "hmac384" | "hmac512" | "hmacsha256");
        if !(verifies || hmac) {
            continue;
        }
        let first = if hmac { 0 } else { 1 };
        let key = call.args.iter().skip(first).find_map(|arg| {
            let text = value_text(model, ctx.source, &arg.value);
            (!is_text(&arg.value) && (names_client_secret(&text) || decodes_secret(&text)))
                .then(|| (arg.value.span(model), decodes_secret(&text)))
        });
        let hs256 = call.args.iter().any(|a| ctx.text(a.span).to_ascii_uppercase().contains("HS256"));
        let id_token = call.args.first().is_some_and(|a| names_id_token(&value_text(model, ctx.source, &a.value)));
        let (span, encoded) = match key {
            Some(found) => found,
            None if verifies && hs256 && id_token && auth0 => (call.span, false),
            None => continue,
        };
        reported.push(span);
        let what = if hmac {
            "An HMAC verifier built from the client secret"
        } else {
            "ID tokens verified with the client secret"
        };
        ctx.report("SC004", span, message(what, encoded), None);
    }
    // Middleware options: express-jwt `jwt({ secret: new Buffer(process.env.AUTH0_CLIENT_SECRET,
    // 'base64'), ... })`, passport-jwt `secretOrKey: config.clientSecret`; client settings
    // `secret_encoded: true`.
    for object in &model.objects {
        for entry in &object.entries {
            let key = words(&entry.key).join("_");
            let text = value_text(model, ctx.source, &entry.value);
            let span = entry.value.span(model);
            if reported.iter().any(|r| r.overlaps(span) || span.contains(*r)) {
                continue;
            }
            // A string is the name of a field (Postman's `{"key": "client_secret", "value":
            // ...}`), not an expression that reads the secret.
            let names_secret = !is_text(&entry.value) && (names_client_secret(&text) || decodes_secret(&text));
            let what = match key.as_str() {
                "secret" | "secret_or_key" | "secret_or_public_key" | "key" | "signing_key" | "issuer_signing_key"
                    if names_secret =>
                {
                    message("Tokens verified with the client secret", decodes_secret(&text))
                }
                "secret_encoded" | "secret_base64_encoded" if is_true(&setting(ctx, &entry.value)) => {
                    message("A client secret stored base64-encoded", true)
                }
                _ => continue,
            };
            reported.push(span);
            ctx.report("SC004", entry.span, what, None);
        }
    }
}

/// True when a value is written as a string rather than an expression that reads one.
fn is_text(value: &Value) -> bool {
    matches!(value, Value::String(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys_are_told_from_look_alikes() {
        for yes in [
            "client_secret",
            "clientSecret",
            "AUTH0_CLIENT_SECRET",
            "ClientSecret",
            "client-secret",
            "mgmtClientSecret",
            "this.clientSecret",
            "config['client_secret']",
            "AUTH0_MGMT_CLIENT_SECRET",
        ] {
            assert!(is_secret_key(yes), "{yes}");
        }
        for no in [
            "secret",
            "clientSecretName",
            "GOOGLE_CLIENT_SECRET",
            "githubClientSecret",
            "clientId",
            "client_secret_expires_at",
            "AUTH0_SECRET",
        ] {
            assert!(!is_secret_key(no), "{no}");
        }
        assert!(is_secret_setter("setClientSecret"));
        assert!(is_secret_setter("withClientSecret"));
        assert!(is_secret_setter("clientSecret"));
        assert!(!is_secret_setter("getClientSecret"));
        assert!(!is_secret_setter("rotateClientSecret"));
    }

    #[test]
    fn placeholders_are_not_secrets() {
        for placeholder in [
            "YOUR_CLIENT_SECRET",
            "{yourClientSecret}",
            "<secret>",
            "xxxxxxxxxxxxxxxxxxxx",
            "changeme-changeme-changeme",
            "test-client-secret-1234",
            "AUTH0_CLIENT_SECRET",
            "auth0.clientSecret",
            "abcdefghijklmnopqrstuvwxyz",
            "1234567890123456",
            "https://example.com/secret",
            "${AUTH0_CLIENT_SECRET}",
            "dummy_value_for_ci_1",
        ] {
            assert!(!is_candidate(placeholder), "{placeholder}");
        }
        for secret in [
            "m3mLr9Rf7Qp_Zk2Tx8VbN4cW1yHs6Ua0Je5Gd-XoPiKlFnBvCtMqSwDzAhYjEgIu",
            "8f3c2a9b7d1e4f6a0b5c8d2e9f1a3b7c",
            "Kx9_pQ2vL8mZr4Tn",
        ] {
            assert!(is_candidate(secret), "{secret}");
        }
        assert!(!is_candidate("short9Xq"));
        assert!(!looks_generated("auth0ClientSecretProduction"));
        assert!(looks_generated("m3mLr9Rf7Qp_Zk2Tx8VbN4cW1yHs6Ua0"));
    }

    /// Guide 000's Ruby sample, lowered the way a Ruby adapter lowers it (assignments
    /// are bindings, constants are expressions): one SC003 finding, on VERIFY_NONE only.
    #[test]
    fn guide_000_ruby_sample_is_flagged_for_verify_none_only() {
        use crate::model::{Binding, Expr, Literal, Quoting, StringValue};
        let source = "require 'uri'\nrequire 'net/http'\nrequire 'openssl'\n\n\
url = URI(\"https://{yourDomain}/api/v2/clients/%7ByourClientId%7D/rotate-secret\")\n\n\
http = Net::HTTP.new(url.host, url.port)\nhttp.use_ssl = true\nhttp.verify_mode = OpenSSL::SSL::VERIFY_NONE\n\n\
request = Net::HTTP::Post.new(url)\nrequest[\"authorization\"] = 'Bearer {yourMgmtApiAccessToken}'\n\n\
response = http.request(request)\nputs response.read_body\n";
        let at = |needle: &str| {
            let start = source.find(needle).unwrap();
            Span::new(start, start + needle.len())
        };
        let mut model = FileModel::default();
        let string = |model: &mut FileModel, text: &str| {
            let span = at(text);
            model.strings.push(StringValue {
                span: Span::new(span.start - 1, span.end + 1),
                parts: vec![Part::Literal(Literal::plain(text.to_string(), span, Quoting::Quoted('"')))],
                embedded: None,
                nested: false,
            });
            Value::String(model.strings.len() - 1)
        };
        let url = string(&mut model, "https://{yourDomain}/api/v2/clients/%7ByourClientId%7D/rotate-secret");
        let bearer = string(&mut model, "Bearer {yourMgmtApiAccessToken}");
        let expr = |text: &str| Value::Expr(Expr { span: at(text), text: text.to_string() });
        let bind = |name: &str, value: Value, whole: &str| Binding { name: name.to_string(), value, span: at(whole) };
        model.bindings = vec![
            bind("url", url, "url = URI("),
            bind("http.use_ssl", Value::Other(at("true")), "http.use_ssl = true"),
            bind("http.verify_mode", expr("OpenSSL::SSL::VERIFY_NONE"), "http.verify_mode = OpenSSL::SSL::VERIFY_NONE"),
            bind(
                "request[\"authorization\"]",
                bearer,
                "request[\"authorization\"] = 'Bearer {yourMgmtApiAccessToken}'",
            ),
        ];
        let catalogue = crate::catalogue::Catalogue::get();
        let active: std::collections::HashSet<&str> = catalogue.rules.iter().map(|r| r.code.as_str()).collect();
        let findings = super::super::check(&model, source, crate::lang::Language::Ruby, None, None, catalogue, &active);
        let sc: Vec<_> = findings.iter().filter(|f| f.code.starts_with("SC")).collect();
        assert_eq!(sc.len(), 1, "{findings:#?}");
        assert_eq!(sc[0].code, "SC003");
        assert_eq!(&source[sc[0].span.range()], "http.verify_mode = OpenSSL::SSL::VERIFY_NONE");
        let fix = sc[0].fix.as_ref().expect("a fix");
        assert_eq!(fix.safety, Safety::Safe);
        let fixed = crate::finding::apply_edits(source, &fix.edits.iter().collect::<Vec<_>>());
        assert!(fixed.contains("http.use_ssl = true\n\nrequest = Net::HTTP::Post.new(url)"), "{fixed}");
    }

    #[test]
    fn secrets_become_environment_variables_named_after_their_key() {
        assert_eq!(env_name("clientSecret"), "AUTH0_CLIENT_SECRET");
        assert_eq!(env_name("client_secret"), "AUTH0_CLIENT_SECRET");
        assert_eq!(env_name("AUTH0_CLIENT_SECRET"), "AUTH0_CLIENT_SECRET");
        assert_eq!(env_name("auth0ClientSecret"), "AUTH0_CLIENT_SECRET");
        assert_eq!(env_name("mgmtClientSecret"), "AUTH0_MGMT_CLIENT_SECRET");
        assert_eq!(env_name("ClientSecret"), "AUTH0_CLIENT_SECRET");
    }
}
