//! Swift: the tree-sitter grammar, its facts query and its escape rules, and an extra
//! pass for what the query cannot express:
//!
//! - dictionary entries: `["k": v]` has no key-value node, so the query keys each entry
//!   on its key and the extra pass widens the entry's span to the end of its value;
//! - multi-line (`"""`) and raw (`#"..."#`) strings: the grammar splits their text at
//!   every quote and keeps the delimiters inside the text tokens, so their pieces are
//!   rebuilt from the tree (indentation stripped as Swift does, `\#n` escapes decoded);
//! - requests built by mutation: `request.httpBody = ...`,
//!   `request.setValue(v, forHTTPHeaderField: h)` on a name bound to
//!   `URLRequest(url: ...)` become arguments of that construction (see
//!   [`attach_request_parts`], shared with Objective-C).

use std::collections::HashMap;
use std::sync::OnceLock;

use tree_sitter::{Node, Tree};

use super::treesitter::descendants;
use super::treesitter::{compact, Grammar};
use crate::model::{Arg, Call, Expr, FileModel, Literal, Part, Quoting, Value};
use crate::source::Span;

/// `printf`-style placeholders of Foundation's format strings: [`super::treesitter::PRINTF`]
/// plus the object placeholder `%@`, positional `%1$@` and length modifiers (`%ld`).
pub(super) const FOUNDATION_FORMAT: &str =
    r"%(?:\d+\$)?[-+# 0,']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|ll|[hlqLzjt])?[A-Za-z%@]";

pub(super) fn grammar() -> &'static Grammar {
    static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
    GRAMMAR.get_or_init(|| {
        Grammar::new(
            tree_sitter_swift::LANGUAGE.into(),
            include_str!("queries/swift.scm"),
            super::escapes::c_like,
            Some(FOUNDATION_FORMAT),
        )
        .with_concatenation(" + ")
        .with_extra(extra)
    })
}

fn extra(tree: &Tree, text: &str, model: &mut FileModel) {
    model.client_side |= is_app(text);
    let mut dictionaries = Vec::new();
    let mut rebuilt = Vec::new();
    let mut properties: Vec<(Span, Vec<(String, Span)>)> = Vec::new();
    for node in descendants(tree.root_node()) {
        match node.kind() {
            "dictionary_literal" => dictionaries.push(node),
            "call_expression" => strip_try(node, text, model),
            "multi_line_string_literal" | "raw_string_literal" => {
                if let Some(pieces) = string_pieces(node, text) {
                    rebuilt.push((span(node), node.kind() == "raw_string_literal", pieces));
                }
            }
            "property_declaration" => {
                if let Some(names) = member_names(node, text) {
                    properties.push((span(node), names));
                }
            }
            _ => {}
        }
    }
    widen_entries(&dictionaries, model);
    rebuild_strings(&rebuilt, model);
    // A property is also named through `self` and through its type, from anywhere in
    // the file: `self.tokenURL`, `Endpoints.resourceOwner`, `Auth0Config.Paths.ro`.
    let mut aliases = Vec::new();
    for binding in &model.bindings {
        let Some((_, names)) = properties.iter().find(|(s, _)| *s == binding.span) else {
            continue;
        };
        for (name, span) in names {
            aliases.push(crate::model::Binding { name: name.clone(), value: binding.value.clone(), span: *span });
        }
    }
    model.bindings.extend(aliases);
    unwrap_conversions(model);
    attach_request_parts(model);
}

/// The other names of a property declared in a type's body, each with the span of the
/// binding that makes it visible: `self.x` within the type, `Type.x` (and `Outer.Type.x`)
/// in the whole file. `None` for a local variable.
fn member_names(property: Node, text: &str) -> Option<Vec<(String, Span)>> {
    let body = property.parent().filter(|p| matches!(p.kind(), "class_body" | "enum_class_body"))?;
    let name = property
        .child_by_field_name("name")
        .and_then(|p| p.child_by_field_name("bound_identifier"))
        .map(|n| &text[n.byte_range()])?;
    let mut names = vec![(format!("self.{name}"), span(property))];
    let mut path = name.to_string();
    let mut current = body.parent();
    while let Some(decl) = current {
        if decl.kind() == "class_declaration" {
            let Some(type_name) = decl.child_by_field_name("name") else {
                break;
            };
            path = format!("{}.{path}", compact(&text[type_name.byte_range()]));
            // Visible from the whole file: the binding spans the outermost declaration.
            names.push((path.clone(), span(decl)));
        }
        current = decl.parent();
    }
    let outermost = names.last().map(|(_, s)| *s);
    for (_, span) in names.iter_mut().skip(1) {
        if let Some(outer) = outermost {
            *span = outer;
        }
    }
    Some(names)
}

/// `try? JSONEncoder().encode(body)` parses as a call on `try? JSONEncoder()`: the
/// callee path drops the `try`.
fn strip_try(call: Node, text: &str, model: &mut FileModel) {
    let Some(callee) = call.named_child(0) else {
        return;
    };
    let mut leftmost = callee;
    while leftmost.kind() != "try_operator" {
        match leftmost.child(0) {
            Some(child) => leftmost = child,
            None => return,
        }
    }
    let Some(found) = model.calls.iter_mut().find(|c| c.span == span(call)) else {
        return;
    };
    let rest = &text[leftmost.end_byte()..callee.end_byte()];
    found.callee = super::treesitter::callee_path(rest);
}

/// True when the file is part of an iOS, macOS, watchOS or tvOS app: a public client, which
/// cannot keep a secret. Apps import a UI framework or Auth0's native SDKs; server-side
/// Swift (Vapor) imports none of them.
///
/// No environment lookup is offered for Swift: `ProcessInfo.processInfo.environment[...]`
/// is a `String?`, which does not type-check where a `String` is expected, and an app
/// has no environment of its own to read a secret from.
pub(super) fn is_app(text: &str) -> bool {
    const APP_MODULES: &[&str] =
        &["UIKit", "SwiftUI", "AppKit", "Cocoa", "WatchKit", "Auth0", "Lock", "JWTDecode", "AuthenticationServices"];
    text.lines().any(|line| {
        let words: Vec<&str> = line.split_whitespace().collect();
        let module = match words.as_slice() {
            ["import", module, ..] | ["@testable", "import", module, ..] => *module,
            ["@import", module, ..] => module.trim_end_matches(';'),
            ["#import", header, ..] | ["#include", header, ..] => {
                header.trim_start_matches(['<', '"']).split('/').next().unwrap_or("").trim_end_matches(".h")
            }
            _ => return false,
        };
        APP_MODULES.contains(&module.split('.').next().unwrap_or(""))
    })
}

pub(super) fn span(node: Node) -> Span {
    Span::new(node.start_byte(), node.end_byte())
}

/// Gives every entry of a dictionary literal the span from its key to its value.
fn widen_entries(dictionaries: &[Node], model: &mut FileModel) {
    let mut by_span: HashMap<Span, usize> = HashMap::new();
    for (id, object) in model.objects.iter().enumerate() {
        if object.kind == crate::model::ObjectKind::Literal {
            by_span.insert(object.span, id);
        }
    }
    for dict in dictionaries {
        let Some(&id) = by_span.get(&span(*dict)) else {
            continue;
        };
        let mut cursor = dict.walk();
        let children: Vec<(Option<&str>, Node)> =
            dict.children(&mut cursor).enumerate().map(|(i, c)| (dict.field_name_for_child(i as u32), c)).collect();
        for (i, (field, key)) in children.iter().enumerate() {
            if *field != Some("key") {
                continue;
            }
            let Some((_, value)) = children[i + 1..].iter().find(|(f, _)| *f == Some("value")) else {
                continue;
            };
            let key_span = span(*key);
            if let Some(entry) = model.objects[id].entries.iter_mut().find(|e| e.span == key_span) {
                entry.span = Span::new(key_span.start, value.end_byte());
            }
        }
    }
}

/// A piece of a rebuilt string: one decoded character with its source range, or a hole
/// (the `n`th interpolation of the literal, with its expression node's span and text).
#[derive(Clone, Debug)]
enum Piece {
    Char { ch: char, start: usize, end: usize, raw: bool },
    Hole { span: Span, text: String },
}

/// The decoded pieces of a multi-line or raw string literal; `None` when its delimiters
/// are not where they are expected (a recovered syntax error).
fn string_pieces(node: Node, text: &str) -> Option<Vec<Piece>> {
    let raw_text = &text[node.byte_range()];
    let hashes = raw_text.len() - raw_text.trim_start_matches('#').len();
    let after = &raw_text[hashes..];
    let multi = after.starts_with("\"\"\"");
    let quotes = if multi { 3 } else { 1 };
    if !after.starts_with('"') {
        return None;
    }
    let open = hashes + quotes;
    let close = quotes + hashes;
    if raw_text.len() < open + close {
        return None;
    }
    let content = Span::new(node.start_byte() + open, node.end_byte() - close);
    let mut pieces = Vec::new();
    let mut cursor = node.walk();
    let children: Vec<Node> = node.children(&mut cursor).collect();
    for child in children {
        match child.kind() {
            "interpolated_expression" | "raw_str_interpolation" => {
                let inner = if child.kind() == "raw_str_interpolation" {
                    child.child_by_field_name("interpolation").and_then(|i| i.child_by_field_name("value"))
                } else {
                    child.child_by_field_name("value")
                };
                let inner = inner.unwrap_or(child);
                pieces.push(Piece::Hole { span: span(inner), text: compact(&text[inner.byte_range()]) });
            }
            "str_escaped_char" => {
                let source = &text[child.byte_range()];
                let decoded = super::escapes::c_like(source).unwrap_or_else(|| source.to_string());
                for ch in decoded.chars() {
                    pieces.push(Piece::Char { ch, start: child.start_byte(), end: child.end_byte(), raw: false });
                }
            }
            _ => {
                // Text tokens (and the `"` tokens inside a multi-line string), clipped
                // to the content between the delimiters.
                let start = child.start_byte().max(content.start);
                let end = child.end_byte().min(content.end);
                if start >= end || child.kind() == "\\(" || child.kind() == ")" {
                    continue;
                }
                let is_text = matches!(
                    child.kind(),
                    "multi_line_str_text"
                        | "line_str_text"
                        | "raw_str_part"
                        | "raw_str_end_part"
                        | "raw_str_continuing_indicator"
                        | "\""
                );
                if !is_text {
                    continue;
                }
                if hashes > 0 {
                    raw_chars(text, start, end, hashes, &mut pieces);
                } else {
                    for (i, ch) in text[start..end].char_indices() {
                        pieces.push(Piece::Char { ch, start: start + i, end: start + i + ch.len_utf8(), raw: true });
                    }
                }
            }
        }
    }
    if multi {
        strip_indentation(&mut pieces);
    }
    Some(pieces)
}

/// The characters of a raw string's text, decoding the escapes written with the
/// string's number of `#` (`\#n` in `#"..."#`).
fn raw_chars(text: &str, start: usize, end: usize, hashes: usize, pieces: &mut Vec<Piece>) {
    let slice = &text[start..end];
    let escape = format!("\\{}", "#".repeat(hashes));
    let mut i = 0;
    while i < slice.len() {
        let rest = &slice[i..];
        if rest.starts_with(&escape) && rest.len() > escape.len() {
            let body = &rest[escape.len()..];
            let len = if body.starts_with("u{") {
                body.find('}').map_or(1, |p| p + 1)
            } else {
                body.chars().next().map_or(1, char::len_utf8)
            };
            let source = format!("\\{}", &body[..len]);
            let total = escape.len() + len;
            if let Some(decoded) = super::escapes::c_like(&source) {
                for ch in decoded.chars() {
                    pieces.push(Piece::Char { ch, start: start + i, end: start + i + total, raw: false });
                }
                i += total;
                continue;
            }
        }
        let ch = rest.chars().next().expect("not empty");
        pieces.push(Piece::Char { ch, start: start + i, end: start + i + ch.len_utf8(), raw: true });
        i += ch.len_utf8();
    }
}

/// Swift's multi-line string rules: the line break after the opening delimiter and the
/// one before the closing delimiter are not part of the string, and the closing
/// delimiter's indentation is removed from every line.
fn strip_indentation(pieces: &mut Vec<Piece>) {
    let is_raw = |p: &Piece, want: fn(char) -> bool| matches!(p, Piece::Char { ch, raw: true, .. } if want(*ch));
    // The closing line: raw spaces after the last raw line break.
    let mut indent = 0;
    let mut cut = None;
    for (i, piece) in pieces.iter().enumerate().rev() {
        if is_raw(piece, |c| c == ' ' || c == '\t') {
            indent += 1;
            continue;
        }
        if is_raw(piece, |c| c == '\n') {
            cut = Some(i);
        }
        break;
    }
    if let Some(i) = cut {
        pieces.truncate(i);
        if i > 0 && is_raw(&pieces[i - 1], |c| c == '\r') {
            pieces.truncate(i - 1);
        }
    } else {
        indent = 0;
    }
    // The opening line break.
    if pieces.first().is_some_and(|p| is_raw(p, |c| c == '\r')) {
        pieces.remove(0);
    }
    if pieces.first().is_some_and(|p| is_raw(p, |c| c == '\n')) {
        pieces.remove(0);
    }
    if indent == 0 {
        return;
    }
    let mut out = Vec::with_capacity(pieces.len());
    let mut at_line_start = true;
    let mut skipped = 0;
    for piece in pieces.drain(..) {
        if at_line_start && skipped < indent && is_raw(&piece, |c| c == ' ' || c == '\t') {
            skipped += 1;
            continue;
        }
        at_line_start = is_raw(&piece, |c| c == '\n');
        skipped = 0;
        out.push(piece);
    }
    *pieces = out;
}

/// Replaces the parts the query gave multi-line and raw strings with the rebuilt ones.
/// Interpolations keep the values the engine lowered for them when it found them all.
fn rebuild_strings(rebuilt: &[(Span, bool, Vec<Piece>)], model: &mut FileModel) {
    if rebuilt.is_empty() {
        return;
    }
    for id in 0..model.strings.len() {
        if model.strings[id].nested {
            continue;
        }
        let outer = model.strings[id].span;
        if !rebuilt.iter().any(|(s, _, _)| outer.start <= s.start && s.end <= outer.end) {
            continue;
        }
        let old = std::mem::take(&mut model.strings[id].parts);
        let mut parts = Vec::with_capacity(old.len());
        let mut i = 0;
        while i < old.len() {
            let owner = rebuilt.iter().find(|(s, _, _)| part_within(model, &old[i], *s));
            let Some((node_span, raw, pieces)) = owner else {
                parts.push(old[i].clone());
                i += 1;
                continue;
            };
            let mut holes = Vec::new();
            while i < old.len() && part_within(model, &old[i], *node_span) {
                if let Part::Hole(value) = &old[i] {
                    holes.push((**value).clone());
                }
                i += 1;
            }
            let expected = pieces.iter().filter(|p| matches!(p, Piece::Hole { .. })).count();
            let mut lowered = holes.into_iter();
            // A raw string's interpolation node is not a hole the query can name.
            let use_lowered = !raw && lowered.len() == expected;
            let found: Vec<Value> = pieces
                .iter()
                .filter_map(|p| match p {
                    Piece::Hole { span, text } => Some(existing(model, *span, text)),
                    Piece::Char { .. } => None,
                })
                .collect();
            let mut found = found.into_iter();
            parts.extend(to_parts(pieces, |_, _| {
                let fallback = found.next();
                if use_lowered { lowered.next() } else { fallback }.expect("one value per hole")
            }));
        }
        model.strings[id].parts = parts;
    }
}

/// The value the engine lowered for the node at `span` (a call, a string, an object), or
/// the expression's text.
fn existing(model: &FileModel, span: Span, text: &str) -> Value {
    if let Some(id) = model.calls.iter().position(|c| c.span == span) {
        return Value::Call(id);
    }
    if let Some(id) = model.strings.iter().position(|s| !s.nested && s.span == span) {
        return Value::String(id);
    }
    if let Some(id) = model.objects.iter().position(|o| o.span == span) {
        return Value::Object(id);
    }
    Value::Expr(Expr { span, text: text.to_string() })
}

/// True when a part of a string comes from the source range `within`.
fn part_within(model: &FileModel, part: &Part, within: Span) -> bool {
    let s = match part {
        Part::Literal(lit) => lit.span,
        Part::Hole(value) => value.span(model),
    };
    within.start <= s.start && s.end <= within.end
}

/// Literal pieces with their maps back to the source, and holes.
fn to_parts(pieces: &[Piece], mut hole: impl FnMut(Span, &str) -> Value) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut current: Option<Literal> = None;
    for piece in pieces {
        match piece {
            Piece::Hole { span, text } => {
                if let Some(lit) = current.take() {
                    parts.push(Part::Literal(lit));
                }
                parts.push(Part::Hole(Box::new(hole(*span, text))));
            }
            Piece::Char { ch, start, end, .. } => {
                let lit = current.get_or_insert_with(|| {
                    Literal::plain(String::new(), Span::new(*start, *start), Quoting::Quoted('"'))
                });
                let expected = match lit.map.last() {
                    Some(&(t, s)) => s + (lit.text.len() - t),
                    None => lit.span.start + lit.text.len(),
                };
                if *start != expected {
                    lit.map.push((lit.text.len(), *start));
                }
                lit.text.push(*ch);
                lit.span.end = *end;
            }
        }
    }
    if let Some(lit) = current {
        parts.push(Part::Literal(lit));
    }
    if parts.is_empty() {
        if let Some(Piece::Char { start, .. }) = pieces.first() {
            parts.push(Part::Literal(Literal::plain(String::new(), Span::new(*start, *start), Quoting::Quoted('"'))));
        }
    }
    parts
}

/// Calls that turn a URL string into a URL object: `URL(string: s)`, `NSURL(string: s)`,
/// `URLComponents(string: s)` and `[NSURL URLWithString:s]`. Their value is the string.
fn is_conversion(call: &Call) -> bool {
    let [arg] = call.args.as_slice() else {
        return false;
    };
    let label = arg.label.as_deref();
    match call.callee.as_str() {
        "URL" | "NSURL" | "URLComponents" | "URL.init" | "NSURL.init" => label == Some("string"),
        "NSURL.URLWithString" | "NSURLComponents.componentsWithString" => label.is_none(),
        _ => false,
    }
}

/// Drops the URL conversions from the calls and puts their argument where they were
/// used, so `URLRequest(url: URL(string: "https://...")!)` sends the string itself and
/// the conversion is not taken for a request of its own.
pub(super) fn unwrap_conversions(model: &mut FileModel) {
    let removed: Vec<bool> = model.calls.iter().map(is_conversion).collect();
    if !removed.contains(&true) {
        return;
    }
    let mut new_id = Vec::with_capacity(removed.len());
    let mut next = 0;
    for &gone in &removed {
        new_id.push(next);
        if !gone {
            next += 1;
        }
    }
    // What a removed call stands for, with conversions of conversions followed.
    let mut replacement: Vec<Option<Value>> =
        model.calls.iter().zip(&removed).map(|(call, &gone)| gone.then(|| call.args[0].value.clone())).collect();
    for id in 0..replacement.len() {
        let mut steps = 0;
        while let Some(Value::Call(inner)) = &replacement[id] {
            if !removed[*inner] || steps > 8 {
                break;
            }
            replacement[id] = replacement[*inner].clone();
            steps += 1;
        }
    }
    let remap = |value: &mut Value| {
        if let Value::Call(id) = value {
            *value = match &replacement[*id] {
                Some(inner) => match inner {
                    Value::Call(k) if !removed[*k] => Value::Call(new_id[*k]),
                    other => other.clone(),
                },
                None => Value::Call(new_id[*id]),
            };
        }
    };
    for_each_value(model, remap);
    let calls = std::mem::take(&mut model.calls);
    model.calls = calls
        .into_iter()
        .zip(&removed)
        .filter(|(_, &gone)| !gone)
        .map(|(mut call, _)| {
            call.receiver = call.receiver.filter(|&r| !removed[r]).map(|r| new_id[r]);
            call
        })
        .collect();
}

/// Calls `visit` on every value the model holds (bindings, arguments, entries, string
/// holes, and the items of arrays among them).
pub(super) fn for_each_value(model: &mut FileModel, mut visit: impl FnMut(&mut Value)) {
    fn walk(value: &mut Value, visit: &mut dyn FnMut(&mut Value), depth: usize) {
        visit(value);
        if let Value::Array(items, _) = value {
            if depth < 64 {
                for item in items {
                    walk(item, visit, depth + 1);
                }
            }
        }
    }
    for binding in &mut model.bindings {
        walk(&mut binding.value, &mut visit, 0);
    }
    for call in &mut model.calls {
        for arg in &mut call.args {
            walk(&mut arg.value, &mut visit, 0);
        }
    }
    for object in &mut model.objects {
        for entry in &mut object.entries {
            walk(&mut entry.value, &mut visit, 0);
        }
    }
    for string in &mut model.strings {
        for part in &mut string.parts {
            if let Part::Hole(value) = part {
                walk(value, &mut visit, 0);
            }
        }
    }
}

/// Properties of a URL request set after it is built, by assignment or setter.
const REQUEST_PROPERTIES: &[&str] =
    &["httpBody", "HTTPBody", "allHTTPHeaderFields", "httpBodyStream", "HTTPBodyStream"];
/// Setters of a URL request whose first argument travels with it.
const REQUEST_SETTERS: &[&str] =
    &["setValue", "addValue", "setHTTPBody", "setAllHTTPHeaderFields", "setHTTPBodyStream"];

/// Attaches what is set on a request after its construction to the construction:
/// `request.httpBody = body` (Swift), `request.HTTPBody = body`, `[request
/// setHTTPBody:body]`, `request.setValue(v, forHTTPHeaderField: h)` and `[request
/// setValue:v forHTTPHeaderField:h]` on a name bound to a call (`URLRequest(url: u)`,
/// `[NSMutableURLRequest requestWithURL:u]`) add the value as a labeled argument of
/// that call, so the URL, the body and the headers are reached by one request.
pub(super) fn attach_request_parts(model: &mut FileModel) {
    let mut attachments: Vec<(usize, Arg)> = Vec::new();
    let target = |model: &FileModel, name: &str, at: Span| -> Option<usize> {
        let expr = Value::Expr(Expr { span: at, text: name.to_string() });
        match model.resolve(&expr) {
            Value::Call(id) => Some(*id),
            _ => None,
        }
    };
    for binding in &model.bindings {
        let Some((receiver, property)) = binding.name.rsplit_once('.') else {
            continue;
        };
        if !REQUEST_PROPERTIES.contains(&property) {
            continue;
        }
        if let Some(call) = target(model, receiver, binding.span) {
            attachments.push((
                call,
                Arg { label: Some(property.to_string()), value: binding.value.clone(), span: binding.span },
            ));
        }
    }
    for setter in &model.calls {
        let segments = setter.segments();
        let [receiver @ .., name] = segments.as_slice() else {
            continue;
        };
        if receiver.is_empty() || !REQUEST_SETTERS.contains(name) {
            continue;
        }
        let header = setter.args.iter().any(|a| a.label.as_deref() == Some("forHTTPHeaderField"));
        if name.ends_with("Value") && !header {
            continue;
        }
        let Some(first) = setter.args.first() else {
            continue;
        };
        if let Some(call) = target(model, &receiver.join("."), setter.span) {
            attachments
                .push((call, Arg { label: Some(name.to_string()), value: first.value.clone(), span: setter.span }));
        }
    }
    for (call, arg) in attachments {
        if !model.calls[call].span.contains(arg.span) {
            model.calls[call].args.push(arg);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;
    use crate::model::{ObjectKind, HOLE};

    fn lower(src: &str) -> FileModel {
        Language::Swift.lower(src).unwrap()
    }

    #[test]
    fn apps_are_public_clients_with_no_environment() {
        assert!(lower("import UIKit\nlet a = 1").client_side);
        assert!(lower("import SwiftUI\nimport Auth0\n").client_side);
        assert!(!lower("import Vapor\nimport Foundation\n").client_side);
        assert_eq!(lower("import Foundation\n").env_lookup, None);
        assert!(is_app("#import <UIKit/UIKit.h>\n"));
        assert!(is_app("@import Auth0;\n"));
        assert!(!is_app("#import <Foundation/Foundation.h>\n"));
    }

    fn texts(m: &FileModel) -> Vec<String> {
        m.strings.iter().filter(|s| !s.nested).map(|s| s.text()).collect()
    }

    #[test]
    fn query_compiles_and_parses_cleanly() {
        let src = "import Foundation\nlet x = 1\n";
        assert!(lower(src).syntax_errors.is_empty());
    }

    #[test]
    fn strings_decode_escapes_and_interpolations() {
        let src = r#"let u = "https://\(domain)/oauth/ro\u{21}\n""#;
        let m = lower(src);
        let s = m.strings.iter().find(|s| s.text().contains("oauth")).unwrap();
        assert_eq!(s.text(), format!("https://{HOLE}/oauth/ro!\n"));
        let Value::Expr(hole) = s.holes().next().unwrap() else { panic!() };
        assert_eq!(hole.text, "domain");
        let at = s.text().find("ro!").unwrap();
        let (lit, a, b) = s.locate(at, at + 2).unwrap();
        assert_eq!(&src[lit.source_span(a, b).range()], "ro");
        let (lit, a, b) = s.locate(at + 2, at + 3).unwrap();
        assert_eq!(&src[lit.source_span(a, b).range()], r"\u{21}");
    }

    #[test]
    fn multi_line_strings_keep_quotes_and_strip_indentation() {
        let src = "func f() {\n    let body = \"\"\"\n        {\"grant_type\": \"password\",\n         \"u\": \"\\(user)\"}\n        \"\"\"\n}\n";
        let m = lower(src);
        let s = m.strings.iter().find(|s| !s.nested && s.text().contains("grant_type")).unwrap();
        assert_eq!(s.text(), format!("{{\"grant_type\": \"password\",\n \"u\": \"{HOLE}\"}}"));
        let json = s.embedded.map(|o| &m.objects[o]).expect("json body");
        assert_eq!(json.kind, ObjectKind::Json);
        let grant = json.get("grant_type").unwrap();
        assert_eq!(&src[grant.key_span.range()], "grant_type");
        let at = s.text().find("password").unwrap();
        let (lit, a, b) = s.locate(at, at + 8).unwrap();
        assert_eq!(&src[lit.source_span(a, b).range()], "password");
        assert!(lit.is_verbatim(a, b));
    }

    #[test]
    fn raw_strings_drop_delimiters() {
        let src = r###"let a = #"https://x/oauth/ro"#
let b = ##"a "#quoted"# \##(host)/oauth/ro\##n"##
let c = #"no \n escape"#"###;
        let m = lower(src);
        let t = texts(&m);
        assert!(t.contains(&"https://x/oauth/ro".to_string()), "{t:?}");
        assert!(t.contains(&format!("a \"#quoted\"# {HOLE}/oauth/ro\n")), "{t:?}");
        assert!(t.contains(&"no \\n escape".to_string()), "{t:?}");
        let s = m.strings.iter().find(|s| s.text().starts_with("https")).unwrap();
        let at = s.text().find("ro").unwrap();
        let (lit, a, b) = s.locate(at, at + 2).unwrap();
        assert_eq!(&src[lit.source_span(a, b).range()], "ro");
        let b = m.strings.iter().find(|s| s.text().starts_with("a ")).unwrap();
        let Value::Expr(hole) = b.holes().next().unwrap() else { panic!() };
        assert_eq!(hole.text, "host");
    }

    #[test]
    fn concatenation_and_format_are_one_value() {
        let src = r#"let a = "https://" + domain + "/oauth/ro"
let b = String(format: "https://%@/oauth/ro?n=%ld", domain, n)
let c = "Bearer " + (credentials.idToken ?? "")"#;
        let m = lower(src);
        let t = texts(&m);
        assert!(t.contains(&format!("https://{HOLE}/oauth/ro")), "{t:?}");
        assert!(t.contains(&format!("https://{HOLE}/oauth/ro?n={HOLE}")), "{t:?}");
        let b = m.strings.iter().find(|s| s.text().contains("?n=") && s.holes().count() > 0).unwrap();
        let holes: Vec<String> = b
            .holes()
            .map(|h| match h {
                Value::Expr(e) => e.text.clone(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(holes, ["domain", "n"]);
        assert!(t.contains(&format!("Bearer {HOLE}")), "{t:?}");
    }

    #[test]
    fn dictionaries_have_keys_inside_quotes_and_full_entry_spans() {
        let src = r#"let params: [String: Any] = [
    "grant_type": "password",
    "connection": connection,
    "device": "my-device"
]"#;
        let m = lower(src);
        let o = m.objects.iter().find(|o| o.kind == ObjectKind::Literal).unwrap();
        let keys: Vec<&str> = o.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["grant_type", "connection", "device"]);
        assert_eq!(&src[o.entries[1].key_span.range()], "connection");
        assert_eq!(&src[o.entries[2].span.range()], r#""device": "my-device""#);
        assert_eq!(&src[o.entries[0].span.range()], r#""grant_type": "password""#);
        let binding = m.bindings.iter().find(|b| b.name == "params").unwrap();
        assert!(matches!(binding.value, Value::Object(_)));
    }

    #[test]
    fn calls_have_paths_labels_and_receivers() {
        let src = r#"Auth0
    .authentication()
    .login(usernameOrEmail: email, password: password, connection: "db")
    .start { result in print(result) }
let users = Auth0.users(token: credentials.idToken, domain: domain)
params["connection"] = "db"
"#;
        let m = lower(src);
        let login = m.calls.iter().find(|c| c.name() == "login").unwrap();
        assert_eq!(login.callee, "Auth0.authentication().login");
        let labels: Vec<_> = login.args.iter().map(|a| a.label.clone().unwrap()).collect();
        assert_eq!(labels, ["usernameOrEmail", "password", "connection"]);
        assert_eq!(&src[login.name_span.range()], "login");
        let receiver = login.receiver.expect("receiver");
        assert_eq!(m.calls[receiver].callee, "Auth0.authentication");
        let keywords = &m.objects[login.keywords.unwrap()];
        assert_eq!(&src[keywords.entries[0].key_span.range()], "usernameOrEmail");
        let start = m.calls.iter().find(|c| c.name() == "start");
        assert!(start.is_none(), "a trailing closure alone is not an argument list");
        let users = m.calls.iter().find(|c| c.name() == "users").unwrap();
        assert_eq!(users.callee, "Auth0.users");
        let Value::Expr(token) = &users.args[0].value else { panic!() };
        assert_eq!(token.text, "credentials.idToken");
        assert!(!m.calls.iter().any(|c| c.callee.starts_with("params")));
    }

    #[test]
    fn unwrapped_arguments_and_bindings() {
        let src = r#"func f() async throws {
    let url = URL(string: "https://\(domain)/oauth/ro")!
    var request = URLRequest(url: url)
    request.httpMethod = "POST"
    request.httpBody = try JSONSerialization.data(withJSONObject: ["grant_type": "password"])
    request.setValue("Bearer \(idToken)", forHTTPHeaderField: "Authorization")
    let (data, _) = try await URLSession.shared.data(for: request)
}"#;
        let m = lower(src);
        // `URL(string: s)!` is the string itself: a conversion, not a request.
        let url = m.bindings.iter().find(|b| b.name == "url").unwrap();
        let Value::String(id) = url.value else { panic!("{:?}", url.value) };
        assert_eq!(m.strings[id].text(), format!("https://{HOLE}/oauth/ro"));
        assert!(!m.calls.iter().any(|c| c.callee == "URL"));
        let request = m.calls.iter().position(|c| c.callee == "URLRequest").unwrap();
        let labels: Vec<_> = m.calls[request].args.iter().map(|a| a.label.clone().unwrap_or_default()).collect();
        assert_eq!(labels, ["url", "httpBody", "setValue"]);
        let reach = crate::rules::request::reach_of(&m, request);
        let reached: Vec<String> = reach.strings.iter().map(|&s| m.strings[s].text()).collect();
        assert!(reached.contains(&format!("https://{HOLE}/oauth/ro")), "{reached:?}");
        assert!(reached.contains(&format!("Bearer {HOLE}")), "{reached:?}");
        assert!(reach.objects.iter().any(|&o| m.objects[o].has("grant_type")));
        assert_eq!(m.scopes.len(), 1);
    }

    #[test]
    fn properties_are_reachable_through_self() {
        let src = r#"final class AuthClient {
    let tokenURL = "https://tenant.auth0.com/oauth/ro"
    func login() {
        AF.request(self.tokenURL, method: .post, parameters: ["grant_type": "password"])
    }
}"#;
        let m = lower(src);
        let call = m.calls.iter().find(|c| c.callee == "AF.request").unwrap();
        let s = m.string_of(&call.args[0].value).expect("resolved");
        assert_eq!(s.text(), "https://tenant.auth0.com/oauth/ro");

        let src = r#"enum Auth0Config {
    static let domain = "tenant.auth0.com"
    enum Paths { static let resourceOwner = "/oauth/ro" }
}
func url() -> String { "https://" + Auth0Config.domain + Auth0Config.Paths.resourceOwner }"#;
        let m = lower(src);
        assert!(texts(&m).contains(&"https://tenant.auth0.com/oauth/ro".to_string()), "{:?}", texts(&m));
    }

    #[test]
    fn comments_and_scopes() {
        let src = "// POST /oauth/ro\n/* block */\nlet f = { (x: Int) in x }\nstruct S { var v: Int { return 1 } }\n";
        let m = lower(src);
        assert_eq!(m.comments.len(), 2);
        assert_eq!(m.scopes.len(), 3, "{:?}", m.scopes);
    }
}
