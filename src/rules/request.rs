//! Requests, read from the model: which strings name an endpoint, which call sends them,
//! which payload objects travel with them, and how to edit a payload's entries in the
//! style its own source already uses.

use crate::finding::Edit;
use crate::model::{
    Call, CallId, Entry, FileModel, ObjectId, ObjectKind, ObjectLiteral, Part, StringId, StringValue, Value, HOLE,
};
use crate::source::Span;

/// Where an endpoint path occurs in a string's text.
#[derive(Clone, Copy, Debug)]
pub struct EndpointMatch {
    /// Byte offset of the path (without its leading `/`) in the string's text.
    pub start: usize,
    pub end: usize,
}

/// Finds `path` (e.g. `oauth/ro`) as a whole path in `text`: after a `/`, a host or the
/// start, and followed by the end of the path (end of text, `?`, `#`, a hole, a quote or
/// a space). `oauth/robots` and `/oauth/ro/x` are not matches.
pub fn find_endpoint(text: &str, path: &str) -> Vec<EndpointMatch> {
    let lower = text.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find(path) {
        let start = from + i;
        let end = start + path.len();
        from = end;
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        let starts_path = matches!(before, None | Some('/') | Some(HOLE));
        let boundary =
            |c: Option<char>| c.is_none_or(|c| matches!(c, '?' | '#' | '"' | '\'' | HOLE) || c.is_whitespace());
        // `/oauth/ro`, `/oauth/ro?x`, and with a trailing slash `/oauth/ro/`; a hole after
        // the slash is one more path segment (`/delegation/${id}`): someone else's route.
        let after_slash = text[end..].strip_prefix('/').map(|rest| rest.chars().next());
        let ends_path = boundary(after) || after_slash.is_some_and(|c| c != Some(HOLE) && boundary(c));
        if starts_path && ends_path {
            found.push(EndpointMatch { start, end });
        }
    }
    found
}

/// True when a string's text reads as a URL or a path rather than prose: no spaces, a
/// request line such as `POST /oauth/ro HTTP/1.1`, or a command line that sends a
/// request (`curl -X POST https://.../oauth/ro -d '...'`).
pub fn is_url_like(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let is_method = |w: &str| matches!(w.to_ascii_uppercase().as_str(), "GET" | "POST" | "PUT" | "PATCH" | "DELETE");
    match words.as_slice() {
        [] | [_] => true,
        [method, _] => is_method(method),
        [method, _, version] => is_method(method) && version.starts_with("HTTP/"),
        _ => crate::model::is_command(text),
    }
}

/// The strings of a file that read as URLs or request lines (not values the model made
/// itself inside other strings), with their decoded text.
pub fn url_strings(model: &FileModel) -> impl Iterator<Item = (StringId, String)> + '_ {
    model.strings.iter().enumerate().filter(|(_, s)| !s.nested).filter_map(|(id, s)| {
        let text = s.text();
        is_url_like(&text).then_some((id, text))
    })
}

/// The source span of a decoded range of a string, when it sits in one literal piece.
pub fn text_span(string: &StringValue, start: usize, end: usize) -> Option<Span> {
    let (lit, a, b) = string.locate(start, end)?;
    Some(lit.source_span(a, b))
}

/// An edit that replaces a decoded range of a string, when the range is written
/// verbatim in one literal piece (no escape inside it).
pub fn text_edit(string: &StringValue, start: usize, end: usize, content: &str) -> Option<Edit> {
    let (lit, a, b) = string.locate(start, end)?;
    lit.is_verbatim(a, b).then(|| Edit::replace(lit.source_span(a, b), content))
}

/// What the calls of a file reach through their arguments: strings and objects,
/// following names to the values bound to them. A call chained on another
/// (`client.R().SetHeader(...).SetBody(...).Post(url)`,
/// `request.post(url).set(...).send({...})`) builds one request with it: every call of a
/// chain reaches the arguments of the whole chain, so its URL, headers and body are
/// seen together.
pub struct Reach {
    pub strings: Vec<StringId>,
    pub objects: Vec<ObjectId>,
}

pub fn reach_all(model: &FileModel) -> Vec<Reach> {
    let chained_on = chained_on(model);
    (0..model.calls.len()).map(|call| reach_of_chain(model, &chain(model, &chained_on, call))).collect()
}

/// What one call reaches, with the calls of its chain.
pub fn reach_of(model: &FileModel, call: CallId) -> Reach {
    reach_of_chain(model, &chain(model, &chained_on(model), call))
}

/// True when call `a` is a step of the request that call `b` sends: `a` is in `b`'s
/// chain (`https.request(options)` before `req.end(body)`), or `a` is given the request
/// object that chain built (`http.request(req)` after `req = Net::HTTP::Post.new(uri)`
/// and `req.set_form_data(...)`); and `b` reaches everything `a` does (of calls that
/// reach the same, the earlier is the step).
pub fn part_of_request(model: &FileModel, reach: &[Reach], a: CallId, b: CallId) -> bool {
    if a == b {
        return false;
    }
    let (ra, rb) = (&reach[a], &reach[b]);
    let covered =
        ra.strings.iter().all(|s| rb.strings.contains(s)) && ra.objects.iter().all(|o| rb.objects.contains(o));
    // Calls of one chain reach the same: the last one stands for them.
    let same = ra.strings.len() == rb.strings.len() && ra.objects.len() == rb.objects.len();
    if !covered || (same && a > b) {
        return false;
    }
    let steps = chain(model, &chained_on(model), b);
    steps.contains(&a)
        || model.calls[a]
            .args
            .iter()
            .any(|arg| matches!(model.resolve(&arg.value), Value::Call(built) if steps.contains(built)))
}

/// For each call, the call made on its result, if any.
fn chained_on(model: &FileModel) -> Vec<Option<CallId>> {
    let mut chained_on: Vec<Option<CallId>> = vec![None; model.calls.len()];
    for (id, call) in model.calls.iter().enumerate() {
        if let Some(receiver) = call.receiver.filter(|&r| r < model.calls.len() && r != id) {
            chained_on[receiver] = Some(id);
        }
    }
    chained_on
}

/// The calls of `call`'s chain, and of the chains of the objects it is made on: a
/// method called on a name bound to a call's result (`req.Header.Add(...)` after
/// `req, _ := http.NewRequest("POST", url, body)`) works on the request that call built.
fn chain(model: &FileModel, chained_on: &[Option<CallId>], call: CallId) -> Vec<CallId> {
    let mut calls = linear_chain(model, chained_on, call);
    let mut i = 0;
    while i < calls.len() && calls.len() < 256 {
        let c = &model.calls[calls[i]];
        i += 1;
        let segments = c.segments();
        let [root, _, ..] = segments.as_slice() else { continue };
        if !root.chars().all(|ch| ch.is_alphanumeric() || ch == '_' || ch == '$') {
            continue;
        }
        let Some(binding) = model.binding_at(root, c.span) else { continue };
        if let Value::Call(built) = model.resolve(&binding.value) {
            if !calls.contains(built) {
                for more in linear_chain(model, chained_on, *built) {
                    if !calls.contains(&more) {
                        calls.push(more);
                    }
                }
            }
        }
    }
    calls
}

/// The calls of `call`'s chain: its receivers down to the first call, and the calls
/// chained on it up to the last (`chained_on[c]` is the call made on the result of `c`).
fn linear_chain(model: &FileModel, chained_on: &[Option<CallId>], call: CallId) -> Vec<CallId> {
    let mut calls = vec![call];
    let mut at = call;
    while let Some(receiver) = model.calls[at].receiver {
        if calls.contains(&receiver) || calls.len() > 64 || receiver >= model.calls.len() {
            break;
        }
        calls.push(receiver);
        at = receiver;
    }
    let mut at = call;
    while let Some(next) = chained_on[at] {
        if calls.contains(&next) || calls.len() > 128 {
            break;
        }
        calls.push(next);
        at = next;
    }
    calls
}

fn reach_of_chain(model: &FileModel, calls: &[CallId]) -> Reach {
    enum Item<'a> {
        Value(&'a Value),
        Object(ObjectId),
    }
    let mut reach = Reach { strings: Vec::new(), objects: Vec::new() };
    let mut stack: Vec<Item> = Vec::new();
    for &call in calls {
        stack.extend(model.calls[call].args.iter().map(|a| Item::Value(&a.value)));
        stack.extend(model.calls[call].keywords.map(Item::Object));
    }
    let mut steps = 0;
    while let Some(item) = stack.pop() {
        steps += 1;
        if steps > 2_000 {
            break;
        }
        let value = match item {
            Item::Object(id) => {
                if !reach.objects.contains(&id) {
                    reach.objects.push(id);
                    stack.extend(model.objects[id].entries.iter().map(|e| Item::Value(&e.value)));
                }
                continue;
            }
            Item::Value(value) => model.resolve(value),
        };
        match value {
            Value::String(id) => {
                if !reach.strings.contains(id) {
                    reach.strings.push(*id);
                    stack.extend(model.strings[*id].holes().map(Item::Value));
                    if let Some(obj) = model.strings[*id].embedded {
                        stack.push(Item::Object(obj));
                    }
                }
            }
            Value::Object(id) => stack.push(Item::Object(*id)),
            Value::Array(items, _) => stack.extend(items.iter().map(Item::Value)),
            Value::Call(id) => {
                stack.extend(model.calls[*id].args.iter().map(|a| Item::Value(&a.value)));
                stack.extend(model.calls[*id].keywords.map(Item::Object));
            }
            Value::Expr(_) | Value::Other(_) => {}
        }
    }
    reach
}

/// True when a string is the same text as `target` or was built from it: `target`'s own
/// span holds one of its literal pieces (a constant spliced into a concatenation).
pub fn derives_from(model: &FileModel, string: StringId, target: StringId) -> bool {
    if string == target {
        return true;
    }
    let outer = model.strings[target].span;
    // A string written inside the target (`getenv('AUTH0_DOMAIN')` in the URL) is a part
    // of it, not a string built from it.
    if outer.contains(model.strings[string].span) {
        return false;
    }
    model.strings[string].parts.iter().any(|p| match p {
        Part::Literal(lit) => outer.contains(lit.span) && !lit.span.is_empty(),
        Part::Hole(_) => false,
    })
}

/// The calls that send a string: it sits in their arguments, or they reach a string
/// built from it.
pub fn senders(model: &FileModel, reach: &[Reach], string: StringId) -> Vec<CallId> {
    let span = model.strings[string].span;
    (0..model.calls.len())
        .filter(|&call| {
            model.calls[call].args_span.contains(span)
                || reach[call].strings.iter().any(|&s| derives_from(model, s, string))
        })
        .collect()
}

/// True when a call only shows its arguments to a person: a log line, a print, an error
/// or exception being built (`console.log`, `logger.warn`, `print`, `fmt.Println`,
/// `puts`, `echo`, `NSLog`, `new Error(...)`, `RuntimeException(...)`).
pub fn is_output_call(call: &Call) -> bool {
    let name = call.name();
    let lower = name.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "log"
            | "info"
            | "warn"
            | "warning"
            | "error"
            | "debug"
            | "trace"
            | "fatal"
            | "critical"
            | "exception"
            | "print"
            | "println"
            | "printf"
            | "eprintln"
            | "eprint"
            | "puts"
            | "echo"
            | "nslog"
            | "fatalf"
            | "errorf"
            | "warnf"
            | "infof"
            | "debugf"
            | "panic"
            | "alert"
            | "writeline"
            | "die"
    ) || ((name.ends_with("Error") || name.ends_with("Exception")) && name.starts_with(char::is_uppercase))
}

/// True when every call that uses a string only shows it (a log line, an error message):
/// the endpoint is named, not requested. A string no call uses is not "only shown".
pub fn only_shown(model: &FileModel, reach: &[Reach], string: StringId) -> bool {
    let senders = senders(model, reach, string);
    !senders.is_empty() && senders.iter().all(|&call| is_output_call(&model.calls[call]))
}

/// The objects that travel with a string: those reached by the calls that send it,
/// else the ones in the same function.
pub fn payloads(
    model: &FileModel,
    reach: &[Reach],
    string: StringId,
    accept: impl Fn(&ObjectLiteral) -> bool,
) -> Vec<ObjectId> {
    let mut found: Vec<ObjectId> = Vec::new();
    for call in senders(model, reach, string) {
        for &obj in &reach[call].objects {
            if accept(&model.objects[obj]) && !found.contains(&obj) {
                found.push(obj);
            }
        }
    }
    if found.is_empty() {
        // Built in the same function (not in a function nested in it), or both at the top level.
        let scope = model.scope_of(model.strings[string].span);
        found = (0..model.objects.len())
            .filter(|&o| model.scope_of(model.objects[o].span) == scope && accept(&model.objects[o]))
            .collect();
    }
    found
}

/// The strings reached together with an object: the URLs it is sent to.
pub fn destinations(reach: &[Reach], object: ObjectId) -> Vec<StringId> {
    let mut found = Vec::new();
    for r in reach.iter().filter(|r| r.objects.contains(&object)) {
        for &s in &r.strings {
            if !found.contains(&s) {
                found.push(s);
            }
        }
    }
    found
}

/// The literal text of an entry's value, following names bound to strings.
pub fn entry_text(model: &FileModel, entry: &Entry) -> Option<String> {
    model.string_of(&entry.value).and_then(|s| s.literal_text())
}

/// An edit that replaces an entry's string value, when it is a verbatim literal.
pub fn value_edit(model: &FileModel, entry: &Entry, content: &str) -> Option<Edit> {
    let string = model.string_of(&entry.value)?;
    let text = string.literal_text()?;
    text_edit(string, 0, text.len(), content)
}

/// An edit that renames an entry's key. A shorthand entry (`{ connection }`) keeps its
/// value by borrowing the separator of a sibling written in full.
pub fn key_edit(model: &FileModel, source: &str, object: &ObjectLiteral, entry: &Entry, new_key: &str) -> Option<Edit> {
    let shorthand = entry.span == entry.key_span;
    if !shorthand {
        return (source.get(entry.key_span.range()) == Some(entry.key.as_str()))
            .then(|| Edit::replace(entry.key_span, new_key));
    }
    let infix = match object.entries.iter().find(|e| e.span != e.key_span) {
        Some(sibling) => {
            let open = source.get(sibling.span.start..sibling.key_span.start)?;
            let infix = source.get(sibling.key_span.end..sibling.value.span(model).start)?;
            return Some(Edit::replace(entry.span, format!("{open}{new_key}{infix}{}", entry.key)));
        }
        None => model.pair_separator?,
    };
    Some(Edit::replace(entry.span, format!("{new_key}{infix}{}", entry.key)))
}

/// The span to delete to remove an entry with its separator, keeping the layout of the
/// entries around it.
pub fn entry_removal(source: &str, object: &ObjectLiteral, index: usize) -> Span {
    let entries = &object.entries;
    let entry = &entries[index];
    if let Some(next) = entries.get(index + 1) {
        return Span::new(entry.span.start, next.span.start);
    }
    if index > 0 {
        return Span::new(entries[index - 1].span.end, entry.span.end);
    }
    // The only entry: take a trailing comma and the spaces before it too.
    let rest = &source[entry.span.end..];
    let trimmed = rest.trim_start_matches([' ', '\t']);
    let extra = if trimmed.starts_with(',') || trimmed.starts_with('&') { rest.len() - trimmed.len() + 1 } else { 0 };
    Span::new(entry.span.start, entry.span.end + extra)
}

/// The span to delete to remove an argument of a call with its separator: from the end
/// of the argument before it, or, for the first one, up to the next argument.
pub fn argument_removal(call: &Call, index: usize) -> Option<Span> {
    let arg = call.args.get(index)?;
    if index > 0 {
        return Some(Span::new(call.args[index - 1].span.end, arg.span.end));
    }
    match call.args.get(1) {
        Some(next) => Some(Span::new(arg.span.start, next.span.start)),
        None => Some(arg.span),
    }
}

/// The span to delete to remove an entry, for any kind of object: an argument of the
/// call it belongs to for keyword arguments (`f(url, verify=False)`), else the entry with
/// its separator.
pub fn removal_of_entry(model: &FileModel, source: &str, object: ObjectId, index: usize) -> Option<Span> {
    let literal = &model.objects[object];
    match literal.kind {
        ObjectKind::Arguments => {
            let entry = literal.entries.get(index)?;
            let call = model.calls.iter().find(|c| c.keywords == Some(object))?;
            let position = call.args.iter().position(|a| a.span == entry.span)?;
            let span = argument_removal(call, position)?;
            if call.args.len() > 1 {
                return Some(span);
            }
            // The only argument (`new T { X = v, }`, `f(\n  a=1,\n)`): its trailing comma too.
            let rest = source.get(span.end..)?;
            let trimmed = rest.trim_start_matches([' ', '\t']);
            let extra = if trimmed.starts_with(',') { rest.len() - trimmed.len() + 1 } else { 0 };
            Some(Span::new(span.start, span.end + extra))
        }
        ObjectKind::Form => None,
        ObjectKind::Literal | ObjectKind::Json => Some(entry_removal(source, literal, index)),
    }
}

/// The span to delete to remove a statement that stands alone on its line(s): from the
/// start of its first line to the start of the line after it, a trailing `;` included.
/// `None` when something else shares those lines.
pub fn statement_removal(source: &str, span: Span) -> Option<Span> {
    let start = source[..span.start].rfind('\n').map_or(0, |i| i + 1);
    if !source[start..span.start].trim().is_empty() {
        return None;
    }
    let rest = &source[span.end..];
    let line_end = rest.find('\n').map_or(source.len(), |i| span.end + i + 1);
    let tail = source[span.end..line_end].trim();
    if !(tail.is_empty() || tail == ";") {
        return None;
    }
    Some(Span::new(start, line_end))
}

/// True when an expression's text names an ID token (`idToken`, `id_token`,
/// `authResult.idToken`, `localStorage.getItem('id_token')`, `getIdToken()`, the raw token
/// of `getIdTokenClaims()`), not its claims, payload or hint, nor a word that merely
/// contains the letters (`validToken`).
pub fn names_id_token(text: &str) -> bool {
    let words = subwords(text);
    let raw_claims =
        text.contains("__raw") && words.windows(3).any(|w| w[0] == "id" && w[1] == "token" && w[2] == "claims");
    raw_claims
        || words.iter().enumerate().any(|(i, w)| {
            let id_token = w == "idtoken" || (w == "id" && words.get(i + 1).is_some_and(|n| n == "token"));
            let next = words.get(i + if w == "idtoken" { 1 } else { 2 }).map(String::as_str);
            id_token
                && !matches!(
                    next,
                    Some(
                        "payload"
                            | "claims"
                            | "hint"
                            | "decoded"
                            | "type"
                            | "expires"
                            | "exp"
                            | "expiry"
                            | "verifier"
                            | "validator"
                            | "signing"
                            | "alg"
                    )
                )
        })
}

/// The words of identifiers and strings in `text`, split at case changes and
/// separators, lowercased: `getIdTokenClaims` → get, id, token, claims.
fn subwords(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current).to_lowercase());
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1);
        let boundary = c.is_uppercase()
            && prev.is_some_and(|p| {
                p.is_lowercase() || p.is_ascii_digit() || (p.is_uppercase() && next.is_some_and(|n| n.is_lowercase()))
            });
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current).to_lowercase());
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current.to_lowercase());
    }
    words
}

/// The source text of a value, followed by the text of what it is bound to: for a path
/// `a.b`, the value bound to `a.b`, else to `a` (`const claims = await getIdTokenClaims()`
/// then `claims.__raw`).
pub fn value_text(model: &FileModel, source: &str, value: &Value) -> String {
    let text = |v: &Value| source.get(v.span(model).range()).unwrap_or("").to_string();
    let mut out = text(value);
    let resolved = model.resolve(value);
    if !std::ptr::eq(resolved, value) {
        out.push(' ');
        out.push_str(&text(resolved));
    } else if let Value::Expr(expr) = value {
        if let Some((root, _)) = expr.text.split_once('.') {
            if let Some(binding) = model.binding_at(root, expr.span) {
                out.push(' ');
                out.push_str(&text(&binding.value));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_whole_path_segments() {
        let found = |text: &str| !find_endpoint(text, "oauth/ro").is_empty();
        let hole = HOLE.to_string();
        for yes in ["/oauth/ro", "https://x.auth0.com/oauth/ro?a=b", "/oauth/ro/", &format!("{hole}/oauth/ro{hole}")] {
            assert!(found(yes), "{yes}");
        }
        for no in ["/oauth/robots", "/oauth/ro/status", &format!("/oauth/ro/{hole}"), "/api/oauth/rox"] {
            assert!(!found(no), "{no}");
        }
    }

    #[test]
    fn id_token_names_are_told_from_look_alikes() {
        for yes in [
            "idToken",
            "id_token",
            "authResult.idToken",
            "localStorage.getItem('id_token')",
            "credentials.getIdToken()",
            "IDToken",
            "authResult.accessToken || localStorage.getItem('id_token')",
            "claims.__raw getIdTokenClaims()",
        ] {
            assert!(names_id_token(yes), "{yes}");
        }
        for no in [
            "validToken",
            "accessToken",
            "access_token",
            "idTokenPayload",
            "id_token_hint",
            "getIdTokenClaims()",
            "mgmtToken",
            "jwt",
            "paidTokens",
        ] {
            assert!(!names_id_token(no), "{no}");
        }
    }
}
