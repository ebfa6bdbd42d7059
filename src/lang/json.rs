//! JSON (.json, .har): the tree-sitter grammar, its facts query, and the pass that reads
//! requests out of API-client exports.
//!
//! The query lowers objects, arrays and strings. The extra pass then:
//! - decodes every string again from its source, because tree-sitter-json splits
//!   `\uXXXX` into an escape `\u` and four characters of content (surrogate pairs too);
//! - turns `{{variable}}` placeholders (Postman, Insomnia, Thunder Client) into holes
//!   named by the variable, and binds the variables a Postman collection or environment
//!   defines (`"variable"`/`"values"`: `[{"key": ..., "value": ...}]`);
//! - models each request object (an object with a URL and a body or headers: Postman,
//!   HAR, Insomnia, Thunder Client) as a call `request(url, body, headers)`, so the rules
//!   relate a URL to its payload as they do for code. `[{key, value}]` and
//!   `[{name, value}]` lists (urlencoded bodies, headers) become one object each.

use std::sync::OnceLock;

use regex::Regex;
use tree_sitter::Tree;

use super::shell::{authorization_value_at, bearer_string, parts_span, substring, LitBuilder};
use super::treesitter::{compact, Grammar};
use crate::model::{
    Arg, Binding, Call, Entry, Expr, FileModel, Literal, ObjectKind, ObjectLiteral, Part, Quoting, StringValue, Value,
};
use crate::source::Span;

pub(super) fn grammar() -> &'static Grammar {
    static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
    GRAMMAR.get_or_init(|| {
        Grammar::new(tree_sitter_json::LANGUAGE.into(), include_str!("queries/json.scm"), unescape, None)
            .with_extra(lower)
    })
}

/// Decodes one JSON escape sequence.
fn unescape(raw: &str) -> Option<String> {
    json_escape(raw).map(|(text, _)| text)
}

/// The JSON escape at the start of `s` (`\"`, `\/`, `\n`, `\u00e9`, a surrogate pair
/// `\ud83d\ude00`): its text and its length in bytes.
fn json_escape(s: &str) -> Option<(String, usize)> {
    let bytes = s.as_bytes();
    if bytes.first() != Some(&b'\\') {
        return None;
    }
    let simple = match *bytes.get(1)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let code = hex4(s.get(2..6)?)?;
            if (0xD800..0xDC00).contains(&code) {
                let low = s.get(6..8).filter(|u| *u == "\\u").and(s.get(8..12));
                let low = hex4(low?)?;
                if !(0xDC00..0xE000).contains(&low) {
                    return None;
                }
                let c = char::from_u32(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00))?;
                return Some((c.to_string(), 12));
            }
            return Some((char::from_u32(code)?.to_string(), 6));
        }
        _ => return None,
    };
    Some((simple.to_string(), 2))
}

fn hex4(digits: &str) -> Option<u32> {
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(digits, 16).ok()
}

/// Decodes the content of a JSON string, source `[start, end)`, into `lit`.
fn decode(text: &str, start: usize, end: usize, lit: &mut LitBuilder) {
    let bytes = text.as_bytes();
    let mut run = start;
    let mut i = start;
    while i < end {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        match json_escape(&text[i..end]) {
            Some((decoded, len)) => {
                lit.push(&text[run..i], run, i);
                lit.push(&decoded, i, i + len);
                i += len;
                run = i;
            }
            None => i += 2,
        }
    }
    let end = end.max(run);
    lit.push(&text[run..end], run, end);
}

fn lower(tree: &Tree, text: &str, model: &mut FileModel) {
    let root = tree.root_node();
    let range = Span::new(root.start_byte(), root.end_byte());
    for id in 0..model.strings.len() {
        let string = &model.strings[id];
        let raw = &text[string.span.range()];
        if string.nested || !range.contains(string.span) || !raw.starts_with('"') {
            continue;
        }
        let start = string.span.start + 1;
        let end = if raw.len() > 1 && raw.ends_with('"') { string.span.end - 1 } else { string.span.end };
        let mut lit = LitBuilder::new(Quoting::Quoted('"'));
        decode(text, start, end, &mut lit);
        let parts = match lit.take() {
            Some(lit) => template_holes(vec![Part::Literal(lit)]),
            None => vec![Part::Literal(Literal::plain(String::new(), Span::new(start, start), Quoting::Quoted('"')))],
        };
        model.strings[id].parts = parts;
        header_value(model, id);
    }
    variables(model, text, range);
    requests(model, text, range);
}

/// For a string `Authorization: <value>`, adds `<value>` as a string of its own.
pub(super) fn header_value(model: &mut FileModel, id: usize) {
    let text = model.strings[id].text();
    let Some(at) = authorization_value_at(&text) else {
        return;
    };
    let parts = substring(&model.strings[id].parts, at, text.len());
    if let Some(span) = parts_span(model, &parts) {
        model.strings.push(StringValue { span, parts, embedded: None, nested: false });
    }
}

/// Template placeholders in configuration strings: `{{name}}` (Postman, Jinja, Artillery,
/// Handlebars), `${{ expr }}` (GitHub Actions), `${NAME}` (Compose, Serverless).
fn template_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| Regex::new(r"\$?\{\{[^{}]*\}\}|\$\{[^{}]+\}").expect("template pattern"))
}

/// Splits the literal pieces of a string at its template placeholders, each becoming a
/// hole named by what it holds.
pub(super) fn template_holes(parts: Vec<Part>) -> Vec<Part> {
    let mut out = Vec::with_capacity(parts.len());
    for part in parts {
        let Part::Literal(lit) = part else {
            out.push(part);
            continue;
        };
        let mut at = 0;
        for m in template_pattern().find_iter(&lit.text) {
            if m.start() > at {
                out.push(Part::Literal(lit.slice(at, m.start())));
            }
            let inner = m.as_str().trim_start_matches('$').trim_start_matches('{').trim_end_matches('}');
            out.push(Part::Hole(Box::new(Value::Expr(Expr {
                span: lit.source_span(m.start(), m.end()),
                text: compact(inner),
            }))));
            at = m.end();
        }
        if at == 0 {
            out.push(Part::Literal(lit));
        } else if at < lit.text.len() {
            out.push(Part::Literal(lit.slice(at, lit.text.len())));
        }
    }
    out
}

/// The literal text and span of a string value without holes in one piece.
fn key_text(model: &FileModel, value: &Value) -> Option<(String, Span)> {
    match model.string_of(value)?.parts.as_slice() {
        [Part::Literal(lit)] => Some((lit.text.clone(), lit.span)),
        _ => None,
    }
}

/// True when an entry of the object is written `true` (`"disabled": true`).
fn flag(model: &FileModel, source: &str, object: &ObjectLiteral, key: &str) -> Option<bool> {
    let span = object.get(key)?.value.span(model);
    match source.get(span.range())? {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn object_items(model: &FileModel, value: &Value) -> Option<Vec<usize>> {
    let Value::Array(items, _) = model.resolve(value) else {
        return None;
    };
    items
        .iter()
        .map(|item| match item {
            Value::Object(id) => Some(*id),
            _ => None,
        })
        .collect()
}

/// Postman collection variables and environment values as bindings of their names.
fn variables(model: &mut FileModel, source: &str, range: Span) {
    let mut bindings = Vec::new();
    for object in &model.objects {
        if object.kind != ObjectKind::Literal || !range.contains(object.span) {
            continue;
        }
        for entry in &object.entries {
            if !matches!(entry.key.as_str(), "variable" | "values") {
                continue;
            }
            for item in object_items(model, &entry.value).unwrap_or_default() {
                let item = &model.objects[item];
                let (Some((name, _)), Some(value)) =
                    (item.get("key").and_then(|k| key_text(model, &k.value)), item.get("value"))
                else {
                    continue;
                };
                if flag(model, source, item, "enabled") == Some(false)
                    || flag(model, source, item, "disabled") == Some(true)
                {
                    continue;
                }
                bindings.push(Binding { name, value: value.value.clone(), span: item.span });
            }
        }
    }
    model.bindings.extend(bindings);
}

/// `[{"key": k, "value": v}, ...]` (or `name`): one object whose entries are the items,
/// each keyed by the text of its `key`, skipping disabled items.
fn list_object(model: &mut FileModel, source: &str, value: &Value) -> Option<Value> {
    let items = object_items(model, value)?;
    let mut entries = Vec::new();
    for item in items {
        let object = &model.objects[item];
        let Some((key, key_span)) = object.get("key").or(object.get("name")).and_then(|k| key_text(model, &k.value))
        else {
            continue;
        };
        if flag(model, source, object, "disabled") == Some(true)
            || flag(model, source, object, "enabled") == Some(false)
        {
            continue;
        }
        let value = object.get("value").map_or(Value::Other(object.span), |e| e.value.clone());
        entries.push(Entry { key, key_span, value, span: object.span });
    }
    if entries.is_empty() {
        return None;
    }
    model.objects.push(ObjectLiteral { span: value.span(model), kind: ObjectKind::Form, entries });
    Some(Value::Object(model.objects.len() - 1))
}

/// A URL: a string, or a Postman URL object's `raw` string and its path segments.
fn url_values(model: &FileModel, value: &Value) -> Vec<Value> {
    let Value::Object(id) = model.resolve(value) else {
        return vec![value.clone()];
    };
    let object = &model.objects[*id];
    let Some(raw) = object.get("raw") else {
        return vec![value.clone()];
    };
    let mut values = vec![raw.value.clone()];
    if let Some(Value::Array(segments, _)) = object.get("path").map(|p| model.resolve(&p.value)) {
        values.extend(segments.iter().cloned());
    }
    values
}

/// A body: a string, a Postman body (`mode` raw/urlencoded/formdata), a HAR or Insomnia
/// `postData`/body (`text`, `params`), a Thunder Client body (`raw`, `form`), a list of
/// `{key, value}` items, or an object sent as it is.
fn body_values(model: &mut FileModel, source: &str, value: &Value) -> Vec<Value> {
    let resolved = model.resolve(value).clone();
    match &resolved {
        Value::Object(id) => {
            let object = model.objects[*id].clone();
            let field = |key: &str| object.get(key).map(|e| e.value.clone());
            if let Some(mode) = object.get("mode").and_then(|m| key_text(model, &m.value)) {
                return match mode.0.as_str() {
                    "raw" => field("raw").into_iter().collect(),
                    "urlencoded" | "formdata" => {
                        field(&mode.0).and_then(|list| list_object(model, source, &list)).into_iter().collect()
                    }
                    _ => Vec::new(),
                };
            }
            let mut values = Vec::new();
            for key in ["text", "raw"] {
                values.extend(field(key));
            }
            for key in ["params", "form", "urlencoded", "formdata"] {
                if let Some(list) = field(key) {
                    values.extend(list_object(model, source, &list));
                }
            }
            if values.is_empty() {
                values.push(value.clone());
            }
            values
        }
        Value::Array(..) => vec![list_object(model, source, &resolved).unwrap_or(value.clone())],
        _ => vec![value.clone()],
    }
}

/// The token of a Postman bearer auth object.
fn bearer_token(model: &FileModel, request: &ObjectLiteral) -> Option<Value> {
    let Value::Object(auth) = model.resolve(&request.get("auth")?.value) else { return None };
    let auth = &model.objects[*auth];
    if key_text(model, &auth.get("type")?.value)?.0 != "bearer" {
        return None;
    }
    let items = object_items(model, &auth.get("bearer")?.value)?;
    items.into_iter().map(|i| &model.objects[i]).find_map(|item| {
        let key = key_text(model, &item.get("key")?.value)?.0;
        (key == "token").then(|| item.get("value").map(|v| v.value.clone())).flatten()
    })
}

/// Objects with a URL (`url`, `uri`, `endpoint`) and a body (`body`, `json`, `form`,
/// `data`, `payload`, `postData`, `formData`) or headers, as calls `request(...)`.
pub(super) fn requests(model: &mut FileModel, source: &str, range: Span) {
    const URL_KEYS: [&str; 3] = ["url", "uri", "endpoint"];
    const BODY_KEYS: [&str; 7] = ["body", "json", "form", "data", "payload", "postData", "formData"];
    const HEADER_KEYS: [&str; 2] = ["header", "headers"];
    let count = model.objects.len();
    for id in 0..count {
        let object = &model.objects[id];
        if object.kind != ObjectKind::Literal || !range.contains(object.span) {
            continue;
        }
        let find = |keys: &[&str]| object.entries.iter().find(|e| keys.contains(&e.key.as_str())).cloned();
        let Some(url) = find(&URL_KEYS) else {
            continue;
        };
        let body = find(&BODY_KEYS);
        let headers = find(&HEADER_KEYS);
        if body.is_none() && headers.is_none() && !object.has("auth") {
            continue;
        }
        let object = object.clone();
        let span = object.span;
        let mut args: Vec<Arg> = url_values(model, &url.value)
            .into_iter()
            .map(|value| Arg { label: Some(url.key.clone()), span: value.span(model), value })
            .collect();
        if let Some(body) = &body {
            for value in body_values(model, source, &body.value) {
                args.push(Arg { label: Some(body.key.clone()), span: value.span(model), value });
            }
        }
        // Postman's bearer auth: `"auth": {"type": "bearer", "bearer": [{"key": "token", ...}]}`.
        if let Some(token) = bearer_token(model, &object) {
            let bearer = bearer_string(model, &token);
            args.push(Arg { label: Some("auth".into()), value: bearer, span: token.span(model) });
        }
        if let Some(headers) = &headers {
            let value = match model.resolve(&headers.value) {
                Value::Array(..) => list_object(model, source, &headers.value),
                _ => Some(headers.value.clone()),
            };
            args.extend(value.map(|value| Arg { label: Some(headers.key.clone()), value, span: headers.span }));
        }
        model.calls.push(Call {
            span,
            callee: "request".into(),
            name_span: url.key_span,
            is_new: false,
            args,
            args_span: span,
            receiver: None,
            keywords: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;

    fn lower(src: &str) -> FileModel {
        Language::Json.lower(src).unwrap()
    }

    fn string<'m>(m: &'m FileModel, src: &str, source: &str) -> &'m StringValue {
        m.strings
            .iter()
            .find(|s| !s.nested && &src[s.span.range()] == source)
            .unwrap_or_else(|| panic!("no string {source:?}"))
    }

    fn source_of<'s>(src: &'s str, string: &StringValue, needle: &str) -> &'s str {
        let at = string.text().find(needle).unwrap_or_else(|| panic!("{needle:?} in {:?}", string.text()));
        let (lit, a, b) = string.locate(at, at + needle.len()).expect("one literal piece");
        &src[lit.source_span(a, b).range()]
    }

    fn keys(m: &FileModel, object: usize) -> Vec<&str> {
        m.objects[object].entries.iter().map(|e| e.key.as_str()).collect()
    }

    #[test]
    fn escapes_decode_with_source_positions() {
        assert_eq!(json_escape("\\ud83d\\ude00"), Some(("😀".into(), 12)));
        assert_eq!(json_escape("\\u00e9"), Some(("é".into(), 6)));
        assert_eq!(json_escape("\\ud83d"), None);
        let src = r#"{"url": "https:\/\/t.auth0.com\/oauth\/ro", "name": "caf\u00e9 \"bar\" \ud83d\ude00!"}"#;
        let m = lower(src);
        let url = string(&m, src, r#""https:\/\/t.auth0.com\/oauth\/ro""#);
        assert_eq!(url.text(), "https://t.auth0.com/oauth/ro");
        assert_eq!(source_of(src, url, "ro"), "ro");
        assert_eq!(source_of(src, url, "/oauth"), r"\/oauth");
        let name = string(&m, src, r#""caf\u00e9 \"bar\" \ud83d\ude00!""#);
        assert_eq!(name.text(), "café \"bar\" 😀!");
        assert_eq!(source_of(src, name, "é"), r"\u00e9");
        assert_eq!(source_of(src, name, "!"), "!");
    }

    #[test]
    fn objects_keys_arrays_and_scalars() {
        let src = "{\"a\\/b\": [1, true, null, {\"k\": \"v\"}], \"empty\": \"\"}";
        let m = lower(src);
        let top = m.objects.iter().position(|o| o.span.start == 0).unwrap();
        assert_eq!(keys(&m, top), ["a/b", "empty"]);
        let entry = &m.objects[top].entries[0];
        assert_eq!(&src[entry.key_span.range()], "a\\/b");
        let Value::Array(items, _) = &entry.value else { panic!() };
        assert_eq!(items.len(), 4);
        let empty = m.string_of(&m.objects[top].entries[1].value).unwrap();
        assert_eq!(empty.text(), "");
        assert_eq!(empty.parts.len(), 1);
    }

    #[test]
    fn postman_requests_are_calls() {
        let src = r#"{
  "item": [{
    "name": "Login",
    "request": {
      "method": "POST",
      "header": [
        {"key": "Content-Type", "value": "application/json"},
        {"key": "Authorization", "value": "Bearer {{id_token}}"},
        {"key": "X-Debug", "value": "1", "disabled": true}
      ],
      "body": {"mode": "raw", "raw": "{\"grant_type\":\"password\",\"connection\":\"{{connection}}\"}"},
      "url": {"raw": "https://{{domain}}/oauth/ro", "host": ["{{domain}}"], "path": ["oauth", "ro"]}
    }
  }, {
    "request": {
      "method": "POST",
      "body": {"mode": "urlencoded", "urlencoded": [{"key": "grant_type", "value": "password"}, {"key": "connection", "value": "sms"}]},
      "url": "https://{{domain}}/oauth/ro"
    }
  }]
}"#;
        let m = lower(src);
        let calls: Vec<&Call> = m.calls.iter().filter(|c| c.callee == "request").collect();
        assert_eq!(calls.len(), 2);
        let first = calls[0];
        let labels: Vec<&str> = first.args.iter().map(|a| a.label.as_deref().unwrap()).collect();
        assert_eq!(labels, ["url", "url", "url", "body", "header"]);
        let url = m.string_of(&first.args[0].value).unwrap();
        assert_eq!(url.text(), "https://\u{FFFC}/oauth/ro");
        let body = m.string_of(&first.args[3].value).unwrap();
        let json = body.embedded.expect("raw JSON body");
        assert_eq!(keys(&m, json), ["grant_type", "connection"]);
        assert_eq!(&src[m.objects[json].entries[0].key_span.range()], "grant_type");
        let Value::Object(headers) = first.args[4].value else { panic!() };
        assert_eq!(keys(&m, headers), ["Content-Type", "Authorization"]);
        let bearer = m.string_of(&m.objects[headers].entries[1].value).unwrap();
        assert_eq!(bearer.text(), "Bearer \u{FFFC}");
        let Some(Part::Hole(token)) = bearer.parts.last() else { panic!() };
        assert!(matches!(token.as_ref(), Value::Expr(e) if e.text == "id_token"));
        let Value::Object(form) = calls[1].args[1].value else { panic!("{:?}", calls[1].args) };
        assert_eq!(keys(&m, form), ["grant_type", "connection"]);
        for entry in &m.objects[form].entries {
            assert_eq!(&src[entry.key_span.range()], entry.key);
        }
        assert_eq!(&src[m.objects[form].entries[0].value.span(&m).range()], "\"password\"");
    }

    #[test]
    fn har_requests_are_calls() {
        let src = r#"{
  "method": "POST",
  "url": "https://{yourDomain}/api/v2/users/PRIMARY_ACCOUNT_USER_ID/identities",
  "httpVersion": "HTTP/1.1",
  "headers": [{"name": "Authorization", "value": "Bearer ACCESS_TOKEN"}, {"name": "content-type", "value": "application/json"}],
  "postData": {"mimeType": "application/json", "text": "{\"link_with\":\"SECONDARY_ACCOUNT_ID_TOKEN\"}"}
}"#;
        let m = lower(src);
        let call = m.calls.iter().find(|c| c.callee == "request").expect("request");
        let labels: Vec<&str> = call.args.iter().map(|a| a.label.as_deref().unwrap()).collect();
        assert_eq!(labels, ["url", "postData", "headers"]);
        assert_eq!(&src[call.name_span.range()], "url");
        let body = m.string_of(&call.args[1].value).unwrap();
        assert_eq!(keys(&m, body.embedded.expect("JSON text")), ["link_with"]);
    }

    #[test]
    fn postman_variables_are_bindings() {
        let src = r#"{
  "item": [{"request": {"method": "POST", "url": "{{ro_url}}", "body": {"mode": "raw", "raw": "{}"}}}],
  "variable": [{"key": "ro_url", "value": "https://{{domain}}/oauth/ro"}, {"key": "off", "value": "x", "disabled": true}]
}"#;
        let m = lower(src);
        let names: Vec<&str> = m.bindings.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["ro_url"]);
        let used = string(&m, src, "\"{{ro_url}}\"");
        assert_eq!(used.text(), "https://\u{FFFC}/oauth/ro");
        assert_eq!(source_of(src, used, "/oauth/ro"), "/oauth/ro");
    }
}
