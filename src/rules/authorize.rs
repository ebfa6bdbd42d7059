//! AZ001–AZ006: `/authorize` requests and the hybrid flow (guide 004, "Call Your API
//! Using the Hybrid Flow"), and custom claims added by Rules and Actions.
//!
//! An authorization request is read from wherever its parameters are written:
//! - a URL to Auth0's `/authorize` in a string, template or concatenation, with its query
//!   (`?response_type=code id_token&...`), and the query objects spliced into it
//!   (`querystring.stringify({...})`, `new URLSearchParams({...})`);
//! - a URL builder: `const url = new URL(.../authorize)` and its `url.searchParams.set(...)`;
//! - a parameters object on its own (`{ response_type, client_id, redirect_uri, ... }`);
//! - the options of an SDK that sends it (the `[[sdk]]` table of AZ001: auth0.js
//!   `WebAuth`/`authorize`, Lock, auth0-spa-js, Auth0.Android `WebAuthProvider`,
//!   Auth0.swift `webAuth()`, auth0.net `AuthorizationUrlBuilder`), with the setters
//!   chained on it (`.withResponseType(...)`, the map of `.withParameters(...)`), and the
//!   parameters the SDK adds itself (`generates`).

use super::delegation::{at_root, names_auth0_host};
use super::request::{find_endpoint, removal_of_entry, statement_removal, text_edit, text_span, value_edit};
use super::secrets::{calls_auth0, words, OTHER_PROVIDERS};
use super::{sdk, Context};
use crate::finding::{Edit, Finding, Fix, Safety, Severity};
use crate::model::{CallId, FileModel, ObjectId, ObjectKind, Part, Quoting, StringId, Value, HOLE};
use crate::source::Span;

const CODES: [&str; 6] = ["AZ001", "AZ002", "AZ003", "AZ004", "AZ005", "AZ006"];

/// Where a parameter is written, for the edits that change it.
#[derive(Clone, Debug)]
pub(super) enum Origin {
    /// In a URL's query: the decoded range of its value in the string's text.
    Url { string: StringId, start: usize, end: usize },
    /// An entry of an object.
    Entry { object: ObjectId, index: usize },
    /// A setter call (`url.searchParams.set(...)`, `.withResponseType(...)`).
    Call,
}

#[derive(Clone, Debug)]
pub(super) struct Param {
    /// The parameter's name in the protocol: `response_type`, `redirect_uri`, ...
    pub name: String,
    /// The decoded value when it is written literally.
    pub value: Option<String>,
    /// Where to report on it: its value, else the whole parameter.
    pub span: Span,
    pub origin: Origin,
}

/// How `response_mode=form_post` can be added to a request.
#[derive(Clone, Debug)]
pub(super) enum Adder {
    /// Appended to a URL's query, after the decoded offset `after`, or else inserted
    /// after its `?` (the decoded offset `question`).
    Url { string: StringId, after: usize, question: usize },
    /// A new entry in an object, in the style of its `response_type` entry.
    Object(ObjectId),
}

#[derive(Clone, Debug)]
pub(super) struct Request {
    pub params: Vec<Param>,
    /// True when every parameter is known: no query built from an unknown value, no
    /// spread object. Missing-parameter findings need it.
    pub complete: bool,
    /// Parameters the SDK adds itself.
    pub generates: Vec<String>,
    /// The SDK that sends it, for SDK options.
    pub sdk: Option<String>,
    /// Where request-level findings go (a missing `state`).
    pub anchor: Span,
    pub adder: Option<Adder>,
    /// A setter that selects the implicit grant (`usingImplicitGrant()`, `useCodeGrant(false)`).
    pub implicit: Option<Span>,
    /// The tenant's domain as the SDK is given it outside its options (Lock's second
    /// argument: `new Auth0Lock(clientID, domain, options)`).
    pub domain: Option<Value>,
}

impl Request {
    pub fn get(&self, name: &str) -> Option<&Param> {
        self.params.iter().rev().find(|p| p.name == name)
    }

    fn has(&self, name: &str) -> bool {
        self.get(name).is_some() || self.generates.iter().any(|g| g == name)
    }
}

/// A parameter's protocol name from the way code spells it: `responseType`,
/// `response_type`, `redirectUri`, `redirectUrl`, `callbackURL`, `clientID`.
pub(super) fn protocol_name(key: &str) -> String {
    let name = words(key).join("_");
    match name.as_str() {
        "redirect_url" | "callback_url" | "redirect_uri" | "callback" => "redirect_uri".to_string(),
        _ => name,
    }
}

/// The response types named in a value or an expression: `code id_token`,
/// `code+id_token`, `ResponseType.CODE | ResponseType.ID_TOKEN`, `[.idToken, .token]`.
pub(super) fn response_types(text: &str) -> Vec<&'static str> {
    let decoded = text.replace("%20", " ").replace('+', " ");
    let words = words(&decoded);
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        match words[i].as_str() {
            "code" => found.push("code"),
            "idtoken" => found.push("id_token"),
            "id" if words.get(i + 1).is_some_and(|w| w == "token") => {
                found.push("id_token");
                i += 1;
            }
            "token" => found.push("token"),
            _ => {}
        }
        i += 1;
    }
    found.sort_unstable();
    found.dedup();
    found
}

/// The decoded text of a URL parameter value (`%23` → `#`, `%20` and `+` → space).
fn decode(value: &str) -> String {
    value.replace("%23", "#").replace("%20", " ").replace('+', " ")
}

/// The params written in an object's entries.
fn object_params(ctx: &Context, object: ObjectId) -> Vec<Param> {
    let model = ctx.model;
    model.objects[object]
        .entries
        .iter()
        .enumerate()
        .map(|(index, entry)| {
            let string = model.string_of(&entry.value);
            let value = string.and_then(|s| s.literal_text());
            let span = match string {
                Some(s) if value.is_some() => s.span,
                _ => entry.span,
            };
            Param { name: protocol_name(&entry.key), value, span, origin: Origin::Entry { object, index } }
        })
        .collect()
}

/// True when an object's source has a spread (`{...defaults, state}`, `**extra`): some
/// of its entries are not known.
fn has_spread(ctx: &Context, object: ObjectId) -> bool {
    let text = ctx.text(ctx.model.objects[object].span);
    text.contains("...") || text.contains("**")
}

/// The params a name receives after it is built: `params.set('state', s)`,
/// `url.searchParams.append('nonce', n)`, `params.state = s`, `params['nonce'] = n`.
fn later_params(ctx: &Context, name: &str) -> Vec<Param> {
    let model = ctx.model;
    let mut found = Vec::new();
    for call in &model.calls {
        let segments = call.segments();
        let setter = matches!(call.name(), "set" | "append");
        let on_name = segments.len() >= 2
            && (segments[..segments.len() - 1].join(".") == name
                || segments[..segments.len() - 1].join(".") == format!("{name}.searchParams"));
        if !(setter && on_name) {
            continue;
        }
        let Some(key) = call.args.first().and_then(|a| model.string_of(&a.value)).and_then(|s| s.literal_text()) else {
            continue;
        };
        let value_string = call.args.get(1).and_then(|a| model.string_of(&a.value));
        let value = value_string.and_then(|s| s.literal_text());
        let span = value_string.filter(|_| value.is_some()).map_or(call.span, |s| s.span);
        found.push(Param { name: protocol_name(&key), value, span, origin: Origin::Call });
    }
    for binding in &model.bindings {
        let Some(rest) = binding.name.strip_prefix(name) else { continue };
        let key = rest.trim_start_matches(['.', '[']).trim_end_matches(']').trim_matches(['\'', '"', '`']);
        if key.is_empty() || !key.chars().all(|c| c.is_alphanumeric() || c == '_') || rest == key {
            continue;
        }
        let value_string = model.string_of(&binding.value);
        let value = value_string.and_then(|s| s.literal_text());
        found.push(Param { name: protocol_name(key), value, span: binding.span, origin: Origin::Call });
    }
    found
}

/// The name a value is bound to (`const params = ...`), if any.
fn bound_name(model: &FileModel, span: Span) -> Option<&str> {
    model.bindings.iter().find(|b| b.value.span(model) == span).map(|b| b.name.as_str())
}

/// The params held by a query value spliced into a URL: an object, a call that encodes
/// one (`querystring.stringify(obj)`, `new URLSearchParams(obj)`, `params.toString()`),
/// or a name bound to one of those. `None` when they cannot be known.
fn query_value_params(ctx: &Context, value: &Value, used: &mut Vec<ObjectId>) -> Option<(Vec<Param>, bool)> {
    let model = ctx.model;
    let name = match value {
        Value::Expr(expr) if expr.is_path() => Some(expr.text.as_str()),
        _ => None,
    };
    let (object, built) = match model.resolve(value) {
        Value::Object(id) => (*id, model.objects[*id].span),
        Value::Call(id) => {
            let call = &model.calls[*id];
            // `params.toString()`: what the name it is called on holds.
            if call.args.is_empty() && call.name() == "toString" {
                let segments = call.segments();
                let receiver = segments[..segments.len() - 1].join(".");
                if receiver.contains('(') {
                    return None;
                }
                let expr = Value::Expr(crate::model::Expr { span: call.span, text: receiver });
                return query_value_params(ctx, &expr, used);
            }
            (call.args.iter().find_map(|a| model.object_of(&a.value))?, call.span)
        }
        _ => return None,
    };
    used.push(object);
    let mut params = object_params(ctx, object);
    if let Some(name) = name.or(bound_name(model, built)) {
        params.extend(later_params(ctx, name));
    }
    Some((params, !has_spread(ctx, object)))
}

/// True when a URL's host is Auth0's (or the file's code talks to Auth0 and the host is
/// not another provider's).
fn auth0_host(ctx: &Context, string: StringId, prefix: &str, file_auth0: bool) -> bool {
    let lower = prefix.to_ascii_lowercase();
    if lower.contains("auth0") || names_auth0_host(ctx, &ctx.model.strings[string], prefix) {
        return true;
    }
    file_auth0 && !OTHER_PROVIDERS.iter().any(|p| lower.contains(p))
}

/// Requests written as URLs to `/authorize`.
fn url_requests(ctx: &Context, file_auth0: bool, used: &mut Vec<ObjectId>) -> Vec<Request> {
    let model = ctx.model;
    let mut requests = Vec::new();
    for (id, string) in model.strings.iter().enumerate() {
        if string.nested {
            continue;
        }
        let text = string.text();
        for m in find_endpoint(&text, "authorize") {
            let prefix = &text[..m.start];
            let Some(before) = prefix.strip_suffix('/') else { continue };
            if before.contains(char::is_whitespace) || !at_root(before) || !auth0_host(ctx, id, before, file_auth0) {
                continue;
            }
            let rest = &text[m.end..];
            let rest = rest.strip_prefix('/').unwrap_or(rest);
            let Some(query) = rest.strip_prefix('?') else {
                continue;
            };
            let question = text.len() - query.len() - 1;
            let (params, complete, last_end) = parse_query(ctx, id, &text, question + 1, used);
            let anchor = text_span(string, m.start - 1, m.end).unwrap_or(string.span);
            requests.push(Request {
                params,
                complete,
                generates: Vec::new(),
                sdk: None,
                anchor,
                adder: Some(Adder::Url { string: id, after: last_end, question }),
                implicit: None,
                domain: None,
            });
        }
    }
    requests
}

/// The params of a query starting at the decoded offset `from`, whether they are all
/// known, and the decoded offset where the last one ends.
fn parse_query(
    ctx: &Context,
    string: StringId,
    text: &str,
    from: usize,
    used: &mut Vec<ObjectId>,
) -> (Vec<Param>, bool, usize) {
    let model = ctx.model;
    let holes: Vec<&Value> = model.strings[string].holes().collect();
    let hole_index = |offset: usize| text[..offset].matches(HOLE).count();
    let mut params = Vec::new();
    let mut complete = true;
    let mut at = from;
    let mut last_end = from;
    for segment in text[from..].split('&') {
        let start = at;
        let end = start + segment.len();
        at = end + 1;
        if segment.is_empty() {
            continue;
        }
        last_end = end;
        match segment.find('=') {
            Some(eq) if !segment[..eq].contains(HOLE) => {
                let raw = &segment[eq + 1..];
                let value = (!raw.contains(HOLE)).then(|| decode(raw));
                let value_start = start + eq + 1;
                let span = text_span(&model.strings[string], value_start, end)
                    .filter(|s| !s.is_empty())
                    .or_else(|| text_span(&model.strings[string], start, end))
                    .unwrap_or(model.strings[string].span);
                params.push(Param {
                    name: protocol_name(&segment[..eq]),
                    value,
                    span,
                    origin: Origin::Url { string, start: value_start, end },
                });
            }
            None if segment == HOLE.to_string() => {
                match holes.get(hole_index(start)).and_then(|v| query_value_params(ctx, v, used)) {
                    Some((more, known)) => {
                        params.extend(more);
                        complete &= known;
                    }
                    None => complete = false,
                }
            }
            None if !segment.contains(HOLE) => {
                let span = text_span(&model.strings[string], start, end).unwrap_or(model.strings[string].span);
                params.push(Param {
                    name: protocol_name(segment),
                    value: Some(String::new()),
                    span,
                    origin: Origin::Call,
                });
            }
            _ => complete = false,
        }
    }
    (params, complete, last_end)
}

/// Requests built with `new URL(.../authorize)` and `url.searchParams.set(...)`.
fn builder_requests(ctx: &Context, file_auth0: bool, used: &mut Vec<ObjectId>) -> Vec<Request> {
    let model = ctx.model;
    let mut requests = Vec::new();
    for binding in &model.bindings {
        let Value::Call(call) = binding.value else { continue };
        let call = &model.calls[call];
        if !call.is_new || call.name() != "URL" {
            continue;
        }
        let Some(string) = call.args.first().and_then(|a| match model.resolve(&a.value) {
            Value::String(id) => Some(*id),
            _ => None,
        }) else {
            continue;
        };
        let text = model.strings[string].text();
        let Some(m) = find_endpoint(&text, "authorize").into_iter().next() else { continue };
        let before = text[..m.start].trim_end_matches('/');
        if !at_root(before) || !auth0_host(ctx, string, before, file_auth0) {
            continue;
        }
        let mut params = Vec::new();
        let mut complete = true;
        if let Some(q) = text[m.end..].find('?') {
            let (more, known, _) = parse_query(ctx, string, &text, m.end + q + 1, used);
            params.extend(more);
            complete &= known;
        }
        params.extend(later_params(ctx, &binding.name));
        // `url.search = qs`: the query comes from elsewhere.
        if model.bindings.iter().any(|b| b.name == format!("{}.search", binding.name)) {
            complete = false;
        }
        requests.push(Request {
            params,
            complete,
            generates: Vec::new(),
            sdk: None,
            anchor: call.span,
            adder: None,
            implicit: None,
            domain: None,
        });
    }
    requests
}

/// Parameter objects on their own: `{ response_type, client_id | redirect_uri, ... }`.
fn object_requests(ctx: &Context, used: &[ObjectId]) -> Vec<Request> {
    let model = ctx.model;
    let mut requests = Vec::new();
    for (id, object) in model.objects.iter().enumerate() {
        if used.contains(&id) || matches!(object.kind, ObjectKind::Form) {
            continue;
        }
        if !object.has("response_type") || !(object.has("client_id") || object.has("redirect_uri")) {
            continue;
        }
        if object.has("grant_type") {
            continue;
        }
        let mut params = object_params(ctx, id);
        let complete = !has_spread(ctx, id);
        if let Some(name) = bound_name(model, object.span) {
            params.extend(later_params(ctx, name));
        }
        requests.push(Request {
            params,
            complete,
            generates: Vec::new(),
            sdk: None,
            anchor: object.span,
            adder: Some(Adder::Object(id)),
            implicit: None,
            domain: None,
        });
    }
    requests
}

/// The objects an SDK's options are made of: the options object and the objects nested
/// in it under `auth`, `params`, `authParams`, `authorizationParams`.
fn sdk_option_objects(ctx: &Context, call: &crate::model::Call) -> Vec<ObjectId> {
    let model = ctx.model;
    let mut objects = sdk::object_args(ctx, call);
    let mut i = 0;
    while i < objects.len() {
        for entry in &model.objects[objects[i]].entries {
            if matches!(
                words(&entry.key).join("_").as_str(),
                "auth" | "params" | "auth_params" | "authorization_params"
            ) {
                if let Some(inner) = model.object_of(&entry.value) {
                    if !objects.contains(&inner) {
                        objects.push(inner);
                    }
                }
            }
        }
        i += 1;
    }
    objects
}

/// The calls chained on `call`: `b` and `c` in `a(...).b(...).c(...)`.
fn chained(model: &FileModel, call: CallId) -> Vec<CallId> {
    let mut found = Vec::new();
    let mut frontier = vec![call];
    while let Some(current) = frontier.pop() {
        for (id, c) in model.calls.iter().enumerate() {
            if c.receiver == Some(current) && !found.contains(&id) {
                found.push(id);
                frontier.push(id);
            }
        }
    }
    found
}

/// Requests sent by SDKs (AZ001's table): their options and the setters chained on them.
fn sdk_requests(ctx: &Context, used: &mut Vec<ObjectId>) -> Vec<Request> {
    let model = ctx.model;
    let mut requests: Vec<Request> = Vec::new();
    for (call, row) in sdk::matches(ctx, ctx.rule("AZ001")) {
        let c = &model.calls[call];
        let mut params = Vec::new();
        let mut complete = true;
        let mut adder = None;
        for object in sdk_option_objects(ctx, c) {
            used.push(object);
            complete &= !has_spread(ctx, object);
            let object_params = object_params(ctx, object);
            if object_params.iter().any(|p| p.name == "response_type") {
                adder = Some(Adder::Object(object));
            }
            params.extend(object_params);
        }
        let mut implicit = None;
        for setter in chained(model, call) {
            let s = &model.calls[setter];
            let mut name = words(s.name());
            if matches!(name.first().map(String::as_str), Some("with" | "set" | "using")) {
                name.remove(0);
            }
            let name = name.join("_");
            let args_text: String = s.args.iter().map(|a| ctx.text(a.span)).collect::<Vec<_>>().join(",");
            match name.as_str() {
                // `.withParameters(mapOf("response_type" to ...))`: an options object of its own.
                "parameters" | "authentication_parameters" => {
                    for arg in &s.args {
                        let Some(object) = model.object_of(&arg.value) else { continue };
                        used.push(object);
                        complete &= !has_spread(ctx, object);
                        let object_params = object_params(ctx, object);
                        if adder.is_none() && object_params.iter().any(|p| p.name == "response_type") {
                            adder = Some(Adder::Object(object));
                        }
                        params.extend(object_params);
                    }
                }
                "implicit_grant" => implicit = Some(s.span),
                "use_code_grant" if args_text.trim() == "false" => implicit = Some(s.span),
                "response_type" => params.push(Param {
                    name: "response_type".into(),
                    value: Some(response_types(&args_text).join(" ")),
                    span: s.span,
                    origin: Origin::Call,
                }),
                "response_mode" => {
                    let mode = if words(&args_text).join("").contains("formpost") { "form_post" } else { "other" };
                    params.push(Param {
                        name: "response_mode".into(),
                        value: Some(mode.into()),
                        span: s.span,
                        origin: Origin::Call,
                    });
                }
                "nonce" | "state" | "device" | "redirect_uri" | "redirect_url" | "callback_url" | "scope"
                | "audience" => {
                    let string = s.args.first().and_then(|a| model.string_of(&a.value));
                    let value = string.and_then(|v| v.literal_text());
                    let span = string.filter(|_| value.is_some()).map_or(s.span, |v| v.span);
                    params.push(Param { name: protocol_name(&name), value, span, origin: Origin::Call });
                }
                _ => {}
            }
        }
        requests.push(Request {
            params,
            complete,
            generates: row.generates.clone(),
            sdk: Some(row.sdk.clone()),
            anchor: c.name_span,
            adder,
            implicit,
            domain: row.domain_arg.and_then(|i| c.args.get(i)).map(|a| a.value.clone()),
        });
    }
    // Options given to one SDK in several places (`new WebAuth({...})` then
    // `webAuth.authorize({...})`) complete each other: a parameter is missing only when
    // no call of that SDK in the file gives it.
    let all: Vec<(Option<String>, Vec<String>)> =
        requests.iter().map(|r| (r.sdk.clone(), r.params.iter().map(|p| p.name.clone()).collect())).collect();
    for request in &mut requests {
        for (sdk, names) in &all {
            if *sdk == request.sdk {
                for name in names {
                    if !request.generates.contains(name) && request.get(name).is_none() {
                        request.generates.push(name.clone());
                    }
                }
            }
        }
    }
    requests
}

/// The edit that sets a parameter written literally to `value` (as it is written in a URL's
/// query, or as a string entry's content).
pub(super) fn param_value_edit(ctx: &Context, param: &Param, value: &str) -> Option<Edit> {
    let model = ctx.model;
    match &param.origin {
        Origin::Url { string, start, end } => text_edit(&model.strings[*string], *start, *end, value),
        Origin::Entry { object, index } => value_edit(model, &model.objects[*object].entries[*index], value),
        Origin::Call => None,
    }
}

/// Where a new parameter goes in a request's URL or options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Place {
    /// Right after the parameter of that name (in an object), else at the end of the query.
    After(&'static str),
    /// Right before the parameter of that name (in an object), else first in the query.
    Before(&'static str),
}

/// The edit that adds a parameter to a request: an entry of the object that holds the
/// parameter named by `place` (written like it), else an entry of the request's options,
/// else a `name=value` pair of its URL's query. `value` gives the value's source for a
/// quote character (`'...'` in an object); `url_value` the text written in a query.
pub(super) fn add_param(
    ctx: &Context,
    request: &Request,
    place: Place,
    name: &str,
    value: &dyn Fn(char) -> Option<String>,
    url_value: Option<&str>,
) -> Option<Edit> {
    let model = ctx.model;
    let sibling = match place {
        Place::After(s) | Place::Before(s) => s,
    };
    let before = matches!(place, Place::Before(_));
    if let Some(Origin::Entry { object, .. }) = request.get(sibling).map(|p| &p.origin) {
        return add_entry(ctx, *object, sibling, before, name, value);
    }
    match request.adder.as_ref()? {
        Adder::Url { string, after, question } => {
            let pair = format!("{name}={}", url_value?);
            let string = &model.strings[*string];
            // After the last parameter, when it ends in the string's own text.
            if !before && *after > *question + 1 {
                if let Some((lit, a, b)) = string.locate(after - 1, *after) {
                    if !lit.from_binding() {
                        let at = lit.source_span(a, b).end;
                        return Some(Edit::replace(Span::new(at, at), format!("&{pair}")));
                    }
                }
                // It ends with an interpolation that closes the template: before the quote.
                let source = ctx.text(string.span);
                let quote = source.chars().next().filter(|c| matches!(c, '`' | '"' | '\''));
                if matches!(string.parts.last(), Some(Part::Hole(_)))
                    && quote.is_some_and(|q| source.len() > 1 && source.ends_with(q))
                    && string.text().len() == *after
                {
                    let at = string.span.end - 1;
                    return Some(Edit::replace(Span::new(at, at), format!("&{pair}")));
                }
            }
            // Else first, right after the `?`.
            let (lit, a, b) = string.locate(*question, question + 1)?;
            if lit.from_binding() {
                return None;
            }
            let at = lit.source_span(a, b).end;
            Some(Edit::replace(Span::new(at, at), format!("{pair}&")))
        }
        Adder::Object(object) => {
            let object = *object;
            let anchor = [sibling, "response_type", "scope", "client_id", "redirect_uri"]
                .into_iter()
                .find(|n| model.objects[object].entries.iter().any(|e| protocol_name(&e.key) == *n))?;
            add_entry(ctx, object, anchor, before && anchor == sibling, name, value)
        }
    }
}

/// The edit that sets `response_mode` to `form_post` in a request, or adds it.
fn response_mode_edit(ctx: &Context, request: &Request) -> Option<Edit> {
    if let Some(mode) = request.get("response_mode") {
        return param_value_edit(ctx, mode, "form_post");
    }
    // Next to `response_type`: in the object that holds it, else in the URL's query.
    add_param(
        ctx,
        request,
        Place::After("response_type"),
        "response_mode",
        &|quote| Some(format!("{quote}form_post{quote}")),
        Some("form_post"),
    )
}

/// An edit that adds an entry `name` to an object in the style of its entry spelled like
/// `sibling` (its key's case and quotes, its separator, its value's quote), placed right
/// after that entry, or right before it.
fn add_entry(
    ctx: &Context,
    object: ObjectId,
    sibling: &str,
    before: bool,
    name: &str,
    value: &dyn Fn(char) -> Option<String>,
) -> Option<Edit> {
    let model = ctx.model;
    let source = ctx.source;
    let literal = &model.objects[object];
    let index = literal.entries.iter().position(|e| protocol_name(&e.key) == sibling)?;
    let entry = &literal.entries[index];
    if entry.span == entry.key_span || source.get(entry.key_span.range()) != Some(entry.key.as_str()) {
        return None;
    }
    let string = model.string_of(&entry.value).filter(|s| s.span == entry.value.span(model))?;
    let quote = match string.parts.first() {
        Some(Part::Literal(lit)) => match lit.quoting {
            Quoting::Quoted(q) if matches!(q, '\'' | '"' | '`') => q,
            _ => return None,
        },
        _ => return None,
    };
    // The key in the sibling's case: `responseType` → `responseMode`.
    let key = if entry.key.contains('_') || entry.key.chars().all(|c| !c.is_ascii_uppercase()) {
        name.to_string()
    } else {
        let mut out = String::new();
        let mut upper = false;
        for c in name.chars() {
            if c == '_' {
                upper = true;
            } else if upper {
                out.push(c.to_ascii_uppercase());
                upper = false;
            } else {
                out.push(c);
            }
        }
        out
    };
    let head = source.get(entry.span.start..entry.key_span.start)?;
    let infix = source.get(entry.key_span.end..string.span.start)?;
    let separator = if let Some(next) = literal.entries.get(index + 1) {
        source.get(entry.span.end..next.span.start)?.to_string()
    } else if index > 0 {
        source.get(literal.entries[index - 1].span.end..entry.span.start)?.to_string()
    } else {
        // The only entry: on a line of its own, the new one goes on a line of its own too.
        let lead = source.get(literal.span.start..entry.span.start)?;
        let indent = &lead[lead.trim_end_matches([' ', '\t', '\n', '\r']).len()..];
        if indent.contains('\n') {
            format!(",{indent}")
        } else {
            ", ".to_string()
        }
    };
    if !separator.trim_start().starts_with(',') || separator.contains("//") || separator.contains('#') {
        return None;
    }
    let new_entry = format!("{head}{key}{infix}{}", value(quote)?);
    if before {
        let at = entry.span.start;
        return Some(Edit::replace(Span::new(at, at), format!("{new_entry}{separator}")));
    }
    let at = entry.span.end;
    Some(Edit::replace(Span::new(at, at), format!("{separator}{new_entry}")))
}

/// Every authorization request of the file: SDK options, URLs to Auth0's `/authorize`,
/// URL builders, and parameter objects of a file that talks to Auth0.
pub(super) fn authorization_requests(ctx: &Context) -> Vec<Request> {
    let file_auth0 = calls_auth0(ctx.model, ctx.source);
    let mut used = Vec::new();
    let mut requests = sdk_requests(ctx, &mut used);
    requests.extend(url_requests(ctx, file_auth0, &mut used));
    requests.extend(builder_requests(ctx, file_auth0, &mut used));
    if file_auth0 {
        requests.extend(object_requests(ctx, &used));
    }
    // An authorization request names its client or its response type.
    requests.retain(|r| r.sdk.is_some() || r.get("client_id").is_some() || r.get("response_type").is_some());
    requests
}

pub fn check(ctx: &mut Context) {
    if !CODES.iter().any(|c| ctx.is_active(c)) {
        return;
    }
    for request in &authorization_requests(ctx) {
        check_request(ctx, request);
    }
    ignored_state(ctx);
    custom_claims(ctx);
}

fn check_request(ctx: &mut Context, request: &Request) {
    let by = |what: &str| match &request.sdk {
        Some(sdk) => format!("{what} ({sdk} options)"),
        None => what.to_string(),
    };
    let response_type = request.get("response_type");
    let types = response_type.and_then(|p| p.value.as_deref()).map(response_types);
    if let (Some(param), Some(types)) = (response_type, &types) {
        let code = types.contains(&"code");
        let id_token = types.contains(&"id_token");
        let token = types.contains(&"token");
        let written = types.join(" ");
        // AZ001: the hybrid flow must return its front-channel tokens in a POST.
        let mode = request.get("response_mode").map(|p| p.value.clone());
        let missing_mode = mode.is_none() && request.complete && !request.has("response_mode");
        let wrong_mode = matches!(&mode, Some(Some(m)) if m != "form_post");
        if code && (id_token || token) && (missing_mode || wrong_mode) {
            let fix = response_mode_edit(ctx, request).and_then(|e| {
                Fix::new(Safety::Unsafe, "Request `response_mode=form_post`; the callback must then accept a POST with the response in its form body", vec![e])
            });
            let what = if wrong_mode {
                "with a `response_mode` other than `form_post`"
            } else {
                "without `response_mode=form_post`"
            };
            ctx.report(
                "AZ001",
                param.span,
                by(&format!("Hybrid flow (`response_type={written}`) {what}: the ID token and access token come back in the URL, where browsers, logs and referrers keep them; ask for `response_mode=form_post`")),
                fix,
            );
        }
        // AZ002: an ID token in the front channel needs a nonce.
        if id_token && request.complete && !request.has("nonce") {
            ctx.report(
                "AZ002",
                param.span,
                by(&format!("`response_type={written}` returns an ID token but the request has no `nonce`: send a cryptographically random `nonce`, store it, and compare it with the ID token's `nonce` claim to stop replayed tokens")),
                None,
            );
        }
        // AZ005: the implicit legacy flow.
        if types.as_slice() == ["token"] {
            ctx.report(
                "AZ005",
                param.span,
                by("`response_type=token` is the implicit flow: the access token is returned in the URL fragment and cannot be refreshed; use the Authorization Code flow with PKCE (`response_type=code` with `code_challenge`, e.g. auth0-spa-js)"),
                None,
            );
        }
    }
    if let Some(span) = request.implicit {
        ctx.report(
            "AZ005",
            span,
            by("The implicit grant returns tokens in the URL fragment and cannot be refreshed; use the Authorization Code flow with PKCE (the SDK's default)"),
            None,
        );
    }
    if let Some(device) = request.get("device") {
        ctx.report(
            "AZ005",
            device.span,
            by("`device` is a parameter of the legacy implicit flow (for refresh tokens on `/authorize`); the OIDC-conformant flows do not accept it: use the Authorization Code flow with PKCE and `offline_access`"),
            None,
        );
    }
    // AZ003: no `state` on a raw request.
    if request.complete && !request.has("state") && response_type.is_some() {
        ctx.report(
            "AZ003",
            request.anchor,
            by("Authorization request without `state`: send an opaque random value, keep it (cookie or session), and compare it on the callback to stop cross-site request forgery"),
            None,
        );
    }
    // AZ004: a fragment in the callback URL.
    for param in request.params.iter().filter(|p| p.name == "redirect_uri") {
        if param.value.as_deref().is_some_and(|v| v.contains('#')) {
            ctx.report(
                "AZ004",
                param.span,
                by("The callback URL contains `#`: Auth0 drops everything after it and does not honour fragments, so the callback does not match or loses its route; use a path (`/callback`) and keep client-side routes in `state`"),
                None,
            );
        }
    }
}

/// AZ003: omniauth-auth0's `provider_ignores_state: true` (the 1.x default), anywhere.
fn ignored_state(ctx: &mut Context) {
    let model = ctx.model;
    let message = "`provider_ignores_state: true` makes OmniAuth skip the `state` check on the callback (cross-site request forgery); remove it (omniauth-auth0 2+ checks state by default)";
    let fix = |span: Option<Span>| {
        span.and_then(|s| {
            Fix::new(
                Safety::Safe,
                "Remove `provider_ignores_state` so that OmniAuth checks `state`",
                vec![Edit::delete(s)],
            )
        })
    };
    for (id, object) in model.objects.iter().enumerate() {
        for (index, entry) in object.entries.iter().enumerate() {
            if entry.key.trim_start_matches(':') == "provider_ignores_state"
                && ctx.text(entry.value.span(model)).trim() == "true"
            {
                let removal = removal_of_entry(model, ctx.source, id, index);
                ctx.report("AZ003", entry.span, message.to_string(), fix(removal));
            }
        }
    }
    for binding in &model.bindings {
        if binding.name.ends_with("provider_ignores_state") && ctx.text(binding.value.span(model)).trim() == "true" {
            ctx.report("AZ003", binding.span, message.to_string(), fix(statement_removal(ctx.source, binding.span)));
        }
    }
    // `option :provider_ignores_state, true`
    for call in &model.calls {
        if let [name, value] = call.args.as_slice() {
            let name_text = ctx.text(name.span).trim_matches([':', '\'', '"']);
            if call.name() == "option" && name_text == "provider_ignores_state" && ctx.text(value.span).trim() == "true"
            {
                ctx.report("AZ003", call.span, message.to_string(), fix(statement_removal(ctx.source, call.span)));
            }
        }
    }
}

/// OIDC standard claims and registered JWT claims: a custom claim with one of these
/// names collides with what Auth0 issues.
const RESERVED_CLAIMS: &[&str] = &[
    "sub",
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "email",
    "email_verified",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "phone_number",
    "phone_number_verified",
    "address",
    "updated_at",
    "iss",
    "aud",
    "exp",
    "nbf",
    "iat",
    "jti",
    "azp",
    "nonce",
    "auth_time",
    "at_hash",
    "c_hash",
    "acr",
    "amr",
    "sid",
    "scope",
    "permissions",
    "gty",
    "org_id",
    "org_name",
];

/// AZ006: custom claims that are not namespaced, or collide with standard claims.
fn custom_claims(ctx: &mut Context) {
    if !ctx.is_active("AZ006") {
        return;
    }
    let model = ctx.model;
    let mut claims: Vec<(String, Span, &str, bool)> = Vec::new();
    // Actions: api.idToken.setCustomClaim(name, value), api.accessToken.setCustomClaim(...).
    for call in &model.calls {
        let token = if call.callee_ends_with("idToken.setCustomClaim") {
            "ID token"
        } else if call.callee_ends_with("accessToken.setCustomClaim") {
            "access token"
        } else {
            continue;
        };
        let Some(arg) = call.args.first() else { continue };
        let Some(string) = model.string_of(&arg.value) else { continue };
        claims.push((string.text(), string.span, token, true));
    }
    // Rules: context.idToken[name] = value, context.idToken.name = value.
    for binding in &model.bindings {
        let name = &binding.name;
        let token = if name.starts_with("context.idToken") {
            "ID token"
        } else if name.starts_with("context.accessToken") {
            "access token"
        } else {
            continue;
        };
        let rest = &name[if token == "ID token" { 15 } else { 19 }..];
        let value_start = binding.value.span(model).start;
        if let Some(member) = rest.strip_prefix('.') {
            if member.chars().all(|c| c.is_alphanumeric() || c == '_')
                && !(token == "access token" && member == "scope")
            {
                let span = Span::new(binding.span.start, binding.span.start + name.len().min(binding.span.len()));
                claims.push((member.to_string(), span, token, false));
            }
        } else if rest.starts_with('[') {
            // The index: the string written between the brackets.
            let index =
                model.strings.iter().find(|s| !s.nested && binding.span.contains(s.span) && s.span.end <= value_start);
            if let Some(string) = index {
                claims.push((string.text(), string.span, token, false));
            }
        }
    }
    for (claim, span, token, action) in claims {
        // A namespace written as a variable (`${namespace}roles`, `ns + 'roles'`).
        if claim.starts_with(HOLE) || claim.is_empty() {
            continue;
        }
        let literal = claim.split(HOLE).next().unwrap_or("");
        let lower = literal.to_ascii_lowercase();
        let namespaced = lower.starts_with("https://") || lower.starts_with("http://");
        let host = lower.trim_start_matches("https://").trim_start_matches("http://");
        let host = host.split('/').next().unwrap_or("");
        let auth0_namespace =
            ["auth0.com", "webtask.io", "webtask.run"].iter().any(|d| host == *d || host.ends_with(&format!(".{d}")));
        let shown = claim.replace(HOLE, "…");
        let how = if action { "`setCustomClaim`" } else { "a Rule" };
        let (severity, message) = if namespaced && !auth0_namespace {
            continue;
        } else if auth0_namespace {
            (Severity::Error, format!("The {token} claim `{shown}` set by {how} uses an Auth0 namespace (auth0.com, webtask.io), which Auth0 reserves: the claim is dropped; use a namespace of your own (`https://myapp.example.com/...`)"))
        } else if RESERVED_CLAIMS.contains(&literal) {
            (Severity::Error, format!("The {token} claim `{shown}` set by {how} collides with a standard OIDC/JWT claim: Auth0 will not let a Rule or Action override it; give it a namespaced name (`https://myapp.example.com/{shown}`)"))
        } else {
            (Severity::Warning, format!("The {token} claim `{shown}` set by {how} is not namespaced: name custom claims with a URL you control (`https://myapp.example.com/{shown}`) so they cannot collide with standard or future claims"))
        };
        let rule = ctx.rule("AZ006");
        ctx.push(Finding {
            code: rule.code.clone(),
            span,
            severity,
            message,
            help: rule.replacement.trim().to_string(),
            fix: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_types_are_read_from_values_and_expressions() {
        assert_eq!(response_types("code id_token"), ["code", "id_token"]);
        assert_eq!(response_types("code+id_token+token"), ["code", "id_token", "token"]);
        assert_eq!(response_types("code%20token"), ["code", "token"]);
        assert_eq!(response_types("ResponseType.CODE | ResponseType.ID_TOKEN"), ["code", "id_token"]);
        assert_eq!(response_types("[.idToken, .token]"), ["id_token", "token"]);
        assert_eq!(
            response_types("AuthorizationResponseType.Code, AuthorizationResponseType.IdToken"),
            ["code", "id_token"]
        );
        assert_eq!(response_types("token"), ["token"]);
    }

    /// omniauth-auth0's option, lowered the way a Ruby adapter lowers a call with a
    /// trailing hash: keyword arguments. Reported, and removed with its separator.
    #[test]
    fn omniauth_provider_ignores_state_is_removed() {
        use crate::model::{Arg, Call, Entry, Expr, ObjectLiteral};
        let source = "Rails.application.config.middleware.use OmniAuth::Builder do\n  provider :auth0, ENV['AUTH0_CLIENT_ID'], ENV['AUTH0_DOMAIN'], provider_ignores_state: true\nend\n";
        let at = |needle: &str| {
            let start = source.find(needle).unwrap();
            Span::new(start, start + needle.len())
        };
        let expr = |text: &str| Value::Expr(Expr { span: at(text), text: text.to_string() });
        let arg = |text: &str| Arg { label: None, value: expr(text), span: at(text) };
        let keyword = at("provider_ignores_state: true");
        let mut model = FileModel::default();
        model.objects.push(ObjectLiteral {
            span: keyword,
            kind: ObjectKind::Arguments,
            entries: vec![Entry {
                key: "provider_ignores_state".into(),
                key_span: at("provider_ignores_state"),
                value: Value::Other(Span::new(keyword.end - 4, keyword.end)),
                span: keyword,
            }],
        });
        let args_span = Span::new(at(":auth0").start, keyword.end);
        model.calls.push(Call {
            span: Span::new(at("provider :auth0").start, keyword.end),
            callee: "provider".into(),
            name_span: Span::new(at("provider :auth0").start, at("provider :auth0").start + 8),
            is_new: false,
            args: vec![
                arg(":auth0"),
                arg("ENV['AUTH0_CLIENT_ID']"),
                arg("ENV['AUTH0_DOMAIN']"),
                Arg {
                    label: Some("provider_ignores_state".into()),
                    value: Value::Other(Span::new(keyword.end - 4, keyword.end)),
                    span: keyword,
                },
            ],
            args_span,
            receiver: None,
            keywords: Some(0),
        });
        let catalogue = crate::catalogue::Catalogue::get();
        let active: std::collections::HashSet<&str> = catalogue.rules.iter().map(|r| r.code.as_str()).collect();
        let findings = super::super::check(&model, source, crate::lang::Language::Ruby, None, None, catalogue, &active);
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert_eq!(findings[0].code, "AZ003");
        let fix = findings[0].fix.as_ref().expect("a fix");
        assert_eq!(fix.safety, Safety::Safe);
        let fixed = crate::finding::apply_edits(source, &fix.edits.iter().collect::<Vec<_>>());
        assert!(fixed.contains("  provider :auth0, ENV['AUTH0_CLIENT_ID'], ENV['AUTH0_DOMAIN']\nend"), "{fixed}");
    }

    #[test]
    fn parameter_names_are_read_in_any_spelling() {
        assert_eq!(protocol_name("responseType"), "response_type");
        assert_eq!(protocol_name("redirectUri"), "redirect_uri");
        assert_eq!(protocol_name("redirectUrl"), "redirect_uri");
        assert_eq!(protocol_name("callbackURL"), "redirect_uri");
        assert_eq!(protocol_name("clientID"), "client_id");
        assert_eq!(protocol_name("response_mode"), "response_mode");
    }
}
