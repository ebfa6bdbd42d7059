//! Ruby: the tree-sitter grammar, its facts query, its escape rules, and the pass that
//! completes what the query cannot say.
//!
//! The extra pass:
//! - rebuilds callee paths from receiver chains (`client.login`, `Net::HTTP::Post.new`
//!   constructs `Net.HTTP.Post`), with the receiver call of chained calls;
//! - moves each heredoc body to where the heredoc starts (`request.body = <<~JSON`), without
//!   the indentation a squiggly heredoc strips;
//! - decodes the two escapes of single-quoted strings (`\'` and `\\`);
//! - writes `:key => v` symbol keys without their colon;
//! - names instance variables `self.x` and constants `A.B` in bindings and expressions;
//! - reads an `Authorization: Bearer ...` header line held in a string as the object
//!   `{authorization: "Bearer ..."}` (shared with PHP, where curl header lists are such
//!   strings).
//!
//! The helpers below the Ruby-specific code are shared with the PHP adapter, whose
//! strings, heredocs and calls need the same repairs.

use std::collections::HashMap;
use std::sync::OnceLock;

use tree_sitter::{Node, Tree};

use super::treesitter::{compact, Grammar};
use crate::model::{
    Call, Entry, Expr, FileModel, Literal, ObjectKind, ObjectLiteral, Part, Quoting, StringValue, Value,
};
use crate::source::Span;

/// Ruby's format placeholders: printf's, plus `%{name}` and `%<name>s`.
const FORMAT: &str = r"%(?:\{[A-Za-z_]\w*\}|<[A-Za-z_]\w*>[-+# 0]*\d*(?:\.\d+)?[A-Za-z]|[-+# 0,']*(?:\d+|\*)?(?:\.(?:\d+|\*))?[A-Za-z%])";

pub(super) fn grammar() -> &'static Grammar {
    static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
    GRAMMAR.get_or_init(|| {
        Grammar::new(tree_sitter_ruby::LANGUAGE.into(), include_str!("queries/ruby.scm"), unescape, Some(FORMAT))
            .with_extra(extra)
            .with_pair_separator(": ")
            .with_env_lookup("ENV[\"{name}\"]")
            .with_concatenation(" + ")
    })
}

/// Decodes one escape of a double-quoted Ruby string: C's, plus `\s` (a space) and
/// `\u{61 62}` (several code points).
fn unescape(raw: &str) -> Option<String> {
    let body = raw.strip_prefix('\\')?;
    if body == "s" {
        return Some(" ".to_string());
    }
    if let Some(list) = body.strip_prefix("u{").and_then(|b| b.strip_suffix('}')) {
        return list
            .split_whitespace()
            .map(|hex| u32::from_str_radix(hex, 16).ok().and_then(char::from_u32))
            .collect::<Option<String>>();
    }
    super::escapes::c_like(raw)
}

fn extra(tree: &Tree, source: &str, model: &mut FileModel) {
    let mut nodes = Vec::new();
    collect(tree.root_node(), KINDS, &mut nodes);
    callees(model, source, &nodes);
    single_quoted(model, source, &nodes);
    symbol_keys(model, source, &nodes);
    heredocs(model, source, &nodes);
    constructors_without_arguments(model, source, &nodes);
    normalize_names(model, ruby_name);
    header_values(model, source);
}

/// The node kinds the extra pass reads.
const KINDS: &[&str] = &["call", "string", "delimited_symbol", "pair", "heredoc_beginning", "heredoc_body"];

/// The nodes of these kinds in document order, iteratively (deep trees do not overflow).
pub(super) fn collect<'t>(root: Node<'t>, kinds: &[&str], out: &mut Vec<Node<'t>>) {
    let mut cursor = root.walk();
    'walk: loop {
        let node = cursor.node();
        if kinds.contains(&node.kind()) {
            out.push(node);
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
}

/// The dotted path of a receiver or callee: `Net::HTTP::Post` → `Net.HTTP.Post`,
/// `@client.users` → `self.client.users`, `foo(1).bar` → `foo().bar`.
fn path(node: Node, source: &str, depth: usize) -> String {
    let text = &source[node.byte_range()];
    if depth > 64 {
        return compact(text);
    }
    match node.kind() {
        "identifier" | "constant" | "self" => text.to_string(),
        "instance_variable" | "class_variable" => format!("self.{}", text.trim_start_matches('@')),
        "scope_resolution" => {
            let name = node.child_by_field_name("name").map_or("", |n| &source[n.byte_range()]);
            match node.child_by_field_name("scope") {
                Some(scope) => format!("{}.{name}", path(scope, source, depth + 1)),
                None => name.to_string(),
            }
        }
        "call" => {
            let method =
                node.child_by_field_name("method").map_or(String::new(), |m| source[m.byte_range()].to_string());
            let parens = if node.child_by_field_name("arguments").is_some() { "()" } else { "" };
            match node.child_by_field_name("receiver") {
                Some(receiver) => format!("{}.{method}{parens}", path(receiver, source, depth + 1)),
                None => format!("{method}{parens}"),
            }
        }
        "parenthesized_statements" => match node.named_child(0) {
            Some(inner) if node.named_child_count() == 1 => path(inner, source, depth + 1),
            _ => compact(text),
        },
        _ => ruby_name(&compact(text)),
    }
}

/// Callee paths, method-name spans and receiver calls, from the tree.
fn callees(model: &mut FileModel, source: &str, nodes: &[Node]) {
    let by_span = calls_by_span(model);
    for node in nodes.iter().filter(|n| n.kind() == "call") {
        let Some(&id) = by_span.get(&span(*node)) else { continue };
        let receiver = node.child_by_field_name("receiver");
        let method = node.child_by_field_name("method");
        if model.calls[id].is_new {
            // `Net::HTTP::Post.new(url)` constructs `Net.HTTP.Post`, named by its last constant.
            let Some(class) = receiver else { continue };
            model.calls[id].callee = path(class, source, 0);
            let name = match class.kind() {
                "scope_resolution" => class.child_by_field_name("name").unwrap_or(class),
                _ => class,
            };
            model.calls[id].name_span = span(name);
            continue;
        }
        let Some(method) = method else { continue };
        let name = &source[method.byte_range()];
        model.calls[id].callee = match receiver {
            Some(r) => format!("{}.{name}", path(r, source, 0)),
            None => name.to_string(),
        };
        model.calls[id].name_span = span(method);
        model.calls[id].receiver = receiver.and_then(|r| by_span.get(&span(r)).copied());
    }
}

/// `'it\'s'` and `%q(a\)b)`: only the delimiter and the backslash are escaped.
fn single_quoted(model: &mut FileModel, source: &str, nodes: &[Node]) {
    let mut contents: HashMap<Span, char> = HashMap::new();
    for node in nodes.iter().filter(|n| matches!(n.kind(), "string" | "delimited_symbol")) {
        let text = &source[node.byte_range()];
        let close = match text.strip_prefix(':').unwrap_or(text) {
            t if t.starts_with('\'') => '\'',
            t if t.starts_with("%q") => closing(t[2..].chars().next().unwrap_or('(')),
            _ => continue,
        };
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor).filter(|c| c.kind() == "string_content") {
            if source[child.byte_range()].contains('\\') {
                contents.insert(span(child), close);
            }
        }
    }
    if contents.is_empty() {
        return;
    }
    map_literals(model, |lit| {
        let &close = contents.get(&lit.span)?;
        (lit.map.is_empty() && lit.text.len() == lit.span.len()).then(|| decode_single_quoted(lit, close))
    });
}

/// The delimiter that closes `%q(`, `%q[`, `%q{`, `%q<` or `%q|`.
fn closing(open: char) -> char {
    match open {
        '(' => ')',
        '[' => ']',
        '{' => '}',
        '<' => '>',
        other => other,
    }
}

fn decode_single_quoted(lit: &Literal, close: char) -> Literal {
    let mut text = String::new();
    let mut map = Vec::new();
    let mut chars = lit.text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let escaped = c == '\\' && chars.peek().is_some_and(|&(_, n)| n == '\\' || n == '\'' || n == close);
        if escaped {
            let (_, n) = chars.next().expect("peeked");
            map.push((text.len(), lit.span.start + at));
            text.push(n);
            map.push((text.len(), lit.span.start + at + 1 + n.len_utf8()));
        } else {
            text.push(c);
        }
    }
    normalize(Literal { text, span: lit.span, map, site: lit.site, quoting: lit.quoting })
}

/// `:grant_type => 'password'`: the key is `grant_type`, its span after the colon.
fn symbol_keys(model: &mut FileModel, source: &str, nodes: &[Node]) {
    let symbols: std::collections::HashSet<Span> = nodes
        .iter()
        .filter(|n| n.kind() == "pair")
        .filter_map(|pair| pair.child_by_field_name("key"))
        .filter(|key| key.kind() == "simple_symbol")
        .map(span)
        .collect();
    if symbols.is_empty() {
        return;
    }
    let strip = |key: &mut String, key_span: &mut Span| {
        if symbols.contains(key_span) && key.starts_with(':') && source[key_span.range()].starts_with(':') {
            key.remove(0);
            key_span.start += 1;
        }
    };
    for object in &mut model.objects {
        for entry in &mut object.entries {
            strip(&mut entry.key, &mut entry.key_span);
        }
    }
    for call in &mut model.calls {
        for arg in &mut call.args {
            if let Some(label) = &mut arg.label {
                if label.starts_with(':') && symbols.iter().any(|s| arg.span.contains(*s) && s.start == arg.span.start)
                {
                    label.remove(0);
                }
            }
        }
    }
    for string in &mut model.strings {
        if symbols.contains(&string.span) {
            if let [Part::Literal(lit)] = string.parts.as_mut_slice() {
                if lit.text.starts_with(':') && lit.span.start == string.span.start {
                    lit.text.remove(0);
                    lit.span.start += 1;
                }
            }
        }
    }
}

/// Heredocs: the body (lowered where it sits, after the line that starts it) without
/// its first line break, the closing line and, for `<<~`, the common indentation; then
/// it becomes the value of the `<<~EOS` token wherever that is used.
fn heredocs(model: &mut FileModel, source: &str, nodes: &[Node]) {
    let starts: Vec<Node> = nodes.iter().copied().filter(|n| n.kind() == "heredoc_beginning").collect();
    let bodies: Vec<Node> = nodes.iter().copied().filter(|n| n.kind() == "heredoc_body").collect();
    if starts.is_empty() {
        return;
    }
    let mut replacements: HashMap<Span, usize> = HashMap::new();
    for (start, body) in starts.iter().zip(&bodies) {
        let marker = &source[start.byte_range()];
        let Some(id) = model.strings.iter().position(|s| s.span == span(*body)) else { continue };
        let content_start = body.start_byte() + usize::from(source[body.byte_range()].starts_with('\n'));
        let end_line = body
            .child_by_field_name("end")
            .or_else(|| {
                let mut cursor = body.walk();
                let last = body.named_children(&mut cursor).filter(|c| c.kind() == "heredoc_end").last();
                last
            })
            .map_or(body.end_byte(), |end| line_start(source, end.start_byte()));
        let keep = Span::new(content_start, end_line.max(content_start));
        let indent = if marker.starts_with("<<~") { common_indent(source, keep) } else { 0 };
        let raw = marker.contains('\'');
        let string = &mut model.strings[id];
        string.parts = trim_parts(&string.parts, source, keep, indent);
        if raw {
            for part in &mut string.parts {
                if let Part::Literal(lit) = part {
                    lit.quoting = Quoting::Quoted('\'');
                }
            }
        }
        replacements.insert(span(*start), id);
    }
    replace_tokens(model, &replacements);
}

/// `Auth0Client.new` without arguments still constructs `Auth0Client`.
fn constructors_without_arguments(model: &mut FileModel, source: &str, nodes: &[Node]) {
    for node in nodes.iter().filter(|n| n.kind() == "call") {
        if node.child_by_field_name("arguments").is_some() {
            continue;
        }
        let (Some(receiver), Some(method)) = (node.child_by_field_name("receiver"), node.child_by_field_name("method"))
        else {
            continue;
        };
        if &source[method.byte_range()] != "new" || !matches!(receiver.kind(), "constant" | "scope_resolution") {
            continue;
        }
        let name = receiver.child_by_field_name("name").unwrap_or(receiver);
        push_call(model, *node, path(receiver, source, 0), span(name), true);
    }
}

/// Ruby names as the model writes paths: `@client` is `self.client`, `A::B` is `A.B`.
fn ruby_name(text: &str) -> String {
    let text = text.replace("::", ".");
    let text = text.strip_prefix('.').unwrap_or(&text);
    match text.strip_prefix("@@").or_else(|| text.strip_prefix('@')) {
        Some(rest) => format!("self.{rest}"),
        None => text.to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// Helpers shared with the PHP adapter.
// ---------------------------------------------------------------------------------------

pub(super) fn span(node: Node) -> Span {
    Span::new(node.start_byte(), node.end_byte())
}

/// The calls of the model by their span.
pub(super) fn calls_by_span(model: &FileModel) -> HashMap<Span, usize> {
    let mut map = HashMap::new();
    for (id, call) in model.calls.iter().enumerate() {
        map.entry(call.span).or_insert(id);
    }
    map
}

/// Adds a call the query could not capture (a constructor without an argument list).
pub(super) fn push_call(model: &mut FileModel, node: Node, callee: String, name_span: Span, is_new: bool) {
    let at = node.end_byte();
    if model.calls.iter().any(|c| c.span == span(node)) {
        return;
    }
    model.calls.push(Call {
        span: span(node),
        callee,
        name_span,
        is_new,
        args: Vec::new(),
        args_span: Span::new(at, at),
        receiver: None,
        keywords: None,
    });
}

/// The value the model already holds for a node: a string, call or object lowered at
/// that span, else the node as an expression.
pub(super) fn value_at(model: &FileModel, node: Node, source: &str) -> Value {
    let at = span(node);
    if let Some(id) = model.strings.iter().position(|s| s.span == at && !s.nested) {
        return Value::String(id);
    }
    if let Some(id) = model.calls.iter().position(|c| c.span == at) {
        return Value::Call(id);
    }
    if let Some(id) = model.objects.iter().position(|o| o.span == at) {
        return Value::Object(id);
    }
    let text = &source[node.byte_range()];
    Value::Expr(Expr { span: at, text: if text.len() > 240 { String::new() } else { compact(text) } })
}

/// Replaces values everywhere the model holds one: call arguments, entries, bindings,
/// string holes, array items. `f` returns the replacement of a value, or `None`.
pub(super) fn rewrite_values(model: &mut FileModel, f: &mut dyn FnMut(&Value) -> Option<Value>) {
    fn visit(value: &mut Value, f: &mut dyn FnMut(&Value) -> Option<Value>, depth: usize) {
        if let Some(new) = f(value) {
            *value = new;
            return;
        }
        if let Value::Array(items, _) = value {
            if depth < 64 {
                for item in items {
                    visit(item, f, depth + 1);
                }
            }
        }
    }
    for call in &mut model.calls {
        for arg in &mut call.args {
            visit(&mut arg.value, f, 0);
        }
    }
    for object in &mut model.objects {
        for entry in &mut object.entries {
            visit(&mut entry.value, f, 0);
        }
    }
    for binding in &mut model.bindings {
        visit(&mut binding.value, f, 0);
    }
    for string in &mut model.strings {
        for part in &mut string.parts {
            if let Part::Hole(value) = part {
                visit(value, f, 0);
            }
        }
    }
}

/// Applies `f` to every literal piece of every string; `f` returns the new piece.
pub(super) fn map_literals(model: &mut FileModel, mut f: impl FnMut(&Literal) -> Option<Literal>) {
    for string in &mut model.strings {
        for part in &mut string.parts {
            if let Part::Literal(lit) = part {
                if let Some(new) = f(lit) {
                    *lit = new;
                }
            }
        }
    }
}

/// Uses of a token that stands for a string written elsewhere (a heredoc's `<<~EOS`)
/// become that string: as a value, and spliced into the strings it is part of.
pub(super) fn replace_tokens(model: &mut FileModel, replacements: &HashMap<Span, usize>) {
    if replacements.is_empty() {
        return;
    }
    let bodies: HashMap<Span, Vec<Part>> =
        replacements.iter().map(|(&at, &id)| (at, model.strings[id].parts.clone())).collect();
    for (id, string) in model.strings.iter_mut().enumerate() {
        if replacements.values().any(|&body| body == id) {
            continue;
        }
        if !string
            .parts
            .iter()
            .any(|p| matches!(p, Part::Hole(v) if matches!(**v, Value::Expr(ref e) if bodies.contains_key(&e.span))))
        {
            continue;
        }
        let mut parts = Vec::new();
        for part in std::mem::take(&mut string.parts) {
            match &part {
                Part::Hole(value) => match &**value {
                    Value::Expr(e) if bodies.contains_key(&e.span) => parts.extend(bodies[&e.span].iter().cloned()),
                    _ => parts.push(part),
                },
                Part::Literal(_) => parts.push(part),
            }
        }
        string.parts = parts;
    }
    rewrite_values(model, &mut |value| match value {
        Value::Expr(e) => replacements.get(&e.span).map(|&id| Value::String(id)),
        _ => None,
    });
}

/// The start of the line that holds `offset`.
pub(super) fn line_start(source: &str, offset: usize) -> usize {
    source[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// The smallest indentation of the non-blank lines that start in `range` (a squiggly
/// heredoc strips it).
fn common_indent(source: &str, range: Span) -> usize {
    let text = &source[range.range()];
    text.split('\n')
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0)
}

/// The pieces of a heredoc restricted to the source range `keep`, with up to `indent`
/// leading blanks of every source line in it removed.
pub(super) fn trim_parts(parts: &[Part], source: &str, keep: Span, indent: usize) -> Vec<Part> {
    // Source offsets of the blanks that indentation removal drops.
    let mut dropped = std::collections::HashSet::new();
    if indent > 0 {
        let mut line = keep.start;
        while line < keep.end {
            let mut at = line;
            while at < keep.end && at - line < indent && matches!(source.as_bytes()[at], b' ' | b'\t') {
                dropped.insert(at);
                at += 1;
            }
            line = match source[line..keep.end].find('\n') {
                Some(i) => line + i + 1,
                None => keep.end,
            };
        }
    }
    let mut out = Vec::new();
    for part in parts {
        match part {
            // An interpolation is never in the line break or indentation dropped.
            Part::Hole(_) => out.push(part.clone()),
            Part::Literal(lit) => {
                if let Some(kept) = filter_literal(lit, |s| s >= keep.start && s < keep.end && !dropped.contains(&s)) {
                    out.push(Part::Literal(kept));
                }
            }
        }
    }
    if out.is_empty() {
        let at = Span::new(keep.start, keep.start);
        out.push(Part::Literal(Literal::plain(String::new(), at, Quoting::Plain)));
    }
    out
}

/// The characters of a literal whose source offset satisfies `keep`, with a map that
/// still points each of them at its source.
pub(super) fn filter_literal(lit: &Literal, keep: impl Fn(usize) -> bool) -> Option<Literal> {
    let mut text = String::new();
    let mut map = Vec::new();
    let mut start = None;
    let mut end = 0;
    for (t, ch) in lit.text.char_indices() {
        let s = lit.source_offset(t);
        if !keep(s) {
            continue;
        }
        // Where the character's source ends: before the dropped text that may follow it.
        let next = lit.source_offset(t + ch.len_utf8()).max(s);
        let e = (s + 1..next).find(|&x| !keep(x)).unwrap_or(next);
        let first = *start.get_or_insert(s);
        if s != first + text.len() {
            map.push((text.len(), s));
        }
        text.push(ch);
        end = e;
    }
    let start = start?;
    Some(normalize(Literal { text, span: Span::new(start, end.max(start)), map, site: lit.site, quoting: lit.quoting }))
}

/// Puts a hole for the source `region` (an interpolated call) into the string values
/// made of the string node `within`: between the literal text before and after it.
pub(super) fn insert_hole(model: &mut FileModel, within: Span, region: Span, value: Value) {
    // Each string's pieces by where they come from; the strings with a piece of the node.
    let spans: Vec<Vec<Span>> = model
        .strings
        .iter()
        .map(|s| {
            s.parts
                .iter()
                .map(|p| match p {
                    Part::Literal(lit) => lit.span,
                    Part::Hole(v) => v.span(model),
                })
                .collect()
        })
        .collect();
    for (id, string) in model.strings.iter_mut().enumerate() {
        if string.nested || !spans[id].iter().any(|s| within.contains(*s)) {
            continue;
        }
        let mut parts = Vec::with_capacity(string.parts.len() + 2);
        let mut inserted = false;
        for (index, part) in std::mem::take(&mut string.parts).into_iter().enumerate() {
            let at = spans[id][index];
            match part {
                Part::Literal(ref lit) if !inserted && at.start < region.end && region.start < at.end => {
                    parts.extend(filter_literal(lit, |s| s < region.start).map(Part::Literal));
                    parts.push(Part::Hole(Box::new(value.clone())));
                    parts.extend(filter_literal(lit, |s| s >= region.end).map(Part::Literal));
                    inserted = true;
                }
                part => {
                    if !inserted && at.start >= region.end && within.contains(at) {
                        parts.push(Part::Hole(Box::new(value.clone())));
                        inserted = true;
                    }
                    parts.push(part);
                    // The node's last piece is before the call: the hole follows it.
                    let last_of_node = spans[id][index + 1..].iter().all(|s| !within.contains(*s));
                    if !inserted && within.contains(at) && last_of_node {
                        parts.push(Part::Hole(Box::new(value.clone())));
                        inserted = true;
                    }
                }
            }
        }
        string.parts = parts;
    }
}

/// Drops the map entries that the previous one already implies.
pub(super) fn normalize(mut lit: Literal) -> Literal {
    let start = lit.span.start;
    let mut last_delta = 0isize;
    let mut unique: Vec<(usize, usize)> = Vec::with_capacity(lit.map.len());
    for entry in lit.map.drain(..) {
        match unique.last_mut() {
            Some(last) if last.0 == entry.0 => *last = entry,
            _ => unique.push(entry),
        }
    }
    unique.retain(|&(t, s)| {
        let delta = s as isize - (start + t) as isize;
        let keep = delta != last_delta;
        last_delta = delta;
        keep
    });
    lit.map = unique;
    lit
}

/// Rewrites expression texts and binding names with a language's path spelling, so that
/// a name and its uses agree (`@url` and `self.url`, `$this->url` and `$this.url`).
pub(super) fn normalize_names(model: &mut FileModel, name: fn(&str) -> String) {
    for binding in &mut model.bindings {
        binding.name = name(&binding.name);
    }
    rewrite_values(model, &mut |value| match value {
        Value::Expr(e) if !e.text.is_empty() => {
            let text = name(&e.text);
            (text != e.text).then_some(Value::Expr(Expr { span: e.span, text }))
        }
        _ => None,
    });
}

/// `Authorization: Bearer <token>` header lines (a curl header list, a stream context's
/// `header`): the string holds the header as an object of its own, `{authorization:
/// "Bearer <token>"}`, whose value is a string like a header value anywhere else
/// (`setRequestHeader('Authorization', 'Bearer ' + t)`) and travels with the string.
/// Only credentials are read this way: other `Name: value` text is often prose.
pub(super) fn header_values(model: &mut FileModel, source: &str) {
    let count = model.strings.len();
    for id in 0..count {
        if model.strings[id].nested || model.strings[id].embedded.is_some() {
            continue;
        }
        let text = model.strings[id].text();
        let mut entries = Vec::new();
        let mut at = 0;
        for line in text.split('\n') {
            let content = line.trim_end_matches('\r');
            if let Some((name_at, name, value_at)) = bearer_header(content) {
                let string = &model.strings[id];
                let name_span =
                    string.locate(at + name_at, at + name_at + name.len()).map(|(lit, a, b)| lit.source_span(a, b));
                if let Some(mut value) = substring(model, source, string, at + value_at, at + content.len()) {
                    value.nested = true;
                    let line_span = value.span.cover(name_span.unwrap_or(value.span));
                    model.strings.push(value);
                    entries.push(Entry {
                        key: name.to_ascii_lowercase(),
                        key_span: name_span.unwrap_or(line_span),
                        value: Value::String(model.strings.len() - 1),
                        span: line_span,
                    });
                }
            }
            at += line.len() + 1;
        }
        if !entries.is_empty() {
            let span = model.strings[id].span;
            model.objects.push(ObjectLiteral { span, kind: ObjectKind::Form, entries });
            model.strings[id].embedded = Some(model.objects.len() - 1);
        }
    }
}

/// `Authorization: Bearer x` → the header name's offset, the name, and the value's
/// offset, for a header line whose value is a Bearer credential.
fn bearer_header(line: &str) -> Option<(usize, &str, usize)> {
    let colon = line.find(':')?;
    let name = line[..colon].trim_start();
    let name_at = colon - name.len();
    let rest = &line[colon + 1..];
    let value_at = colon + 1 + (rest.len() - rest.trim_start().len());
    let value = &line[value_at..];
    let is_name = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let is_bearer = value.len() > 7
        && value.is_char_boundary(6)
        && value[..6].eq_ignore_ascii_case("bearer")
        && value[6..].starts_with(char::is_whitespace);
    (is_name && is_bearer).then_some((name_at, name, value_at))
}

/// A new string value made of the decoded range `[start, end)` of `string`'s text, its
/// span running from the first piece kept to the end of the last (an interpolation's
/// closing brace included).
pub(super) fn substring(
    model: &FileModel,
    source: &str,
    string: &StringValue,
    start: usize,
    end: usize,
) -> Option<StringValue> {
    let mut parts = Vec::new();
    let mut offset = 0;
    let mut next_start = None;
    for part in &string.parts {
        let len = match part {
            Part::Literal(lit) => lit.text.len(),
            Part::Hole(_) => crate::model::HOLE.len_utf8(),
        };
        let (a, b) = (start.max(offset), end.min(offset + len));
        if a < b {
            match part {
                Part::Literal(lit) => parts.push(Part::Literal(lit.slice(a - offset, b - offset))),
                Part::Hole(_) => parts.push(part.clone()),
            }
        } else if offset >= end && next_start.is_none() {
            next_start = Some(match part {
                Part::Literal(lit) => lit.span.start,
                Part::Hole(v) => v.span(model).start,
            });
        }
        offset += len;
    }
    let from = match parts.first()? {
        Part::Literal(lit) => lit.span.start,
        Part::Hole(v) => v.span(model).start,
    }
    .clamp(string.span.start, string.span.end);
    let to = match parts.last()? {
        Part::Literal(lit) => lit.span.end,
        // `#{token}`, `{$token}`: up to the text after the interpolation, or the closing
        // quote of the string.
        Part::Hole(v) => {
            let closing = string.span.end.saturating_sub(1);
            let quoted = source.get(closing..string.span.end).is_some_and(|c| c == "\"" || c == "'");
            let hole_end = v.span(model).end;
            match next_start {
                Some(next) if next >= hole_end => next,
                _ if quoted && closing >= hole_end => closing,
                _ => hole_end,
            }
        }
    }
    .clamp(from, string.span.end);
    Some(StringValue { span: Span::new(from, to), parts, embedded: None, nested: false })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;
    use crate::model::{ObjectKind, HOLE};

    fn lower(src: &str) -> FileModel {
        Language::Ruby.lower(src).unwrap()
    }

    fn texts(m: &FileModel) -> Vec<String> {
        m.strings.iter().filter(|s| !s.nested).map(|s| s.text()).collect()
    }

    #[test]
    fn the_query_compiles() {
        assert!(Language::Ruby.lower("x = 1").is_ok());
    }

    #[test]
    fn unescapes_ruby_sequences() {
        assert_eq!(unescape("\\s").as_deref(), Some(" "));
        assert_eq!(unescape("\\u{61 62}").as_deref(), Some("ab"));
        assert_eq!(unescape("\\u00e9").as_deref(), Some("é"));
        assert_eq!(unescape("\\/").as_deref(), Some("/"));
        assert_eq!(unescape("\\n").as_deref(), Some("\n"));
    }

    #[test]
    fn double_quoted_strings_decode_escapes_and_interpolate() {
        let src = r#"url = "https:\/\/#{domain}\/oauth\/ro\n""#;
        let m = lower(src);
        let s = m.strings.iter().find(|s| s.text().contains("oauth")).unwrap();
        assert_eq!(s.text(), format!("https://{HOLE}/oauth/ro\n"));
        let at = s.text().find("ro").unwrap();
        let (lit, a, b) = s.locate(at, at + 2).unwrap();
        assert_eq!(&src[lit.source_span(a, b).range()], "ro");
        let Some(Value::Expr(e)) = s.holes().next() else { panic!() };
        assert_eq!(e.text, "domain");
    }

    #[test]
    fn single_quoted_strings_keep_backslashes_but_two() {
        let src = r"a = 'it\'s \\ C:\new'";
        let m = lower(src);
        let s = &m.strings[0];
        assert_eq!(s.text(), r"it's \ C:\new");
        let at = s.text().find("new").unwrap();
        let (lit, x, y) = s.locate(at, at + 3).unwrap();
        assert_eq!(&src[lit.source_span(x, y).range()], "new");
        let q = lower(r"b = %q(a\)b/oauth/ro)");
        assert_eq!(q.strings[0].text(), "a)b/oauth/ro");
    }

    #[test]
    fn percent_literals_and_adjacent_strings() {
        let m = lower("a = %Q(https://#{d}/oauth/ro)\nb = %(x)\nc = \"https://t.auth0.com\" \"/oauth/ro\"");
        let t = texts(&m);
        assert!(t.contains(&format!("https://{HOLE}/oauth/ro")), "{t:?}");
        assert!(t.contains(&"x".to_string()), "{t:?}");
        assert!(t.contains(&"https://t.auth0.com/oauth/ro".to_string()), "{t:?}");
    }

    #[test]
    fn concatenation_and_format_are_one_string() {
        let m = lower(
            "a = \"https://\" + domain + '/oauth/ro'\nb = format('https://%s/oauth/ro', domain)\nc = \"https://%s/%s\" % [domain, 'oauth/ro']\nd = 'https://%s/oauth/ro' % domain\ne = sprintf(\"%{d}/oauth/ro\", d: host)",
        );
        let t = texts(&m);
        let url = format!("https://{HOLE}/oauth/ro");
        assert_eq!(t.iter().filter(|s| **s == url).count(), 3, "{t:?}");
        assert!(t.contains(&format!("https://{HOLE}/{HOLE}")), "{t:?}");
        let named = m.strings.iter().find(|s| s.text() == format!("{HOLE}/oauth/ro")).expect("named format");
        let Some(Value::Expr(e)) = named.holes().next() else { panic!() };
        assert_eq!(e.text, "host");
    }

    #[test]
    fn squiggly_heredocs_are_dedented_and_used_where_they_start() {
        let src = "def login\n  request.body = <<~JSON\n    {\n      \"grant_type\": \"password\",\n      \"connection\": \"#{conn}\"\n    }\n  JSON\nend\n";
        let m = lower(src);
        let body = m.bindings.iter().find(|b| b.name == "request.body").expect("binding");
        let Value::String(id) = body.value else { panic!("{:?}", body.value) };
        let s = &m.strings[id];
        assert_eq!(s.text(), format!("{{\n  \"grant_type\": \"password\",\n  \"connection\": \"{HOLE}\"\n}}\n"));
        let json = m.objects.iter().find(|o| o.kind == ObjectKind::Json).expect("json body");
        let key = json.get("connection").unwrap();
        assert_eq!(&src[key.key_span.range()], "connection");
        let grant = json.get("grant_type").unwrap();
        let Value::String(v) = grant.value else { panic!() };
        let (lit, a, b) = m.strings[v].locate(0, 8).unwrap();
        assert_eq!(&src[lit.source_span(a, b).range()], "password");
    }

    #[test]
    fn heredocs_as_arguments_and_raw_heredocs() {
        let src = "post(url, <<-EOS, <<~'RAW')\n  grant_type=password&connection=db\n  EOS\n  raw \\n #{x}\nRAW\n";
        let m = lower(src);
        let call = m.calls.iter().find(|c| c.callee == "post").unwrap();
        let Value::String(a) = call.args[1].value else { panic!("{:?}", call.args[1].value) };
        assert_eq!(m.strings[a].text(), "  grant_type=password&connection=db\n");
        let Value::String(b) = call.args[2].value else { panic!() };
        assert_eq!(m.strings[b].text(), "raw \\n #{x}\n");
    }

    #[test]
    fn hashes_with_every_kind_of_key() {
        let src = "p = { \"grant_type\" => \"password\", connection: 'db', :device => 'd', :\"scope\" => 'openid', 'k' => 1 }";
        let m = lower(src);
        let o = m.objects.iter().find(|o| o.kind == ObjectKind::Literal).unwrap();
        let keys: Vec<&str> = o.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["grant_type", "connection", "device", "scope", "k"]);
        for e in &o.entries {
            assert_eq!(&src[e.key_span.range()], e.key);
        }
        assert_eq!(m.string_of(&o.get("connection").unwrap().value).unwrap().text(), "db");
    }

    #[test]
    fn keyword_arguments_without_braces() {
        let src = "HTTParty.post(url, body: { grant_type: 'password' }, :headers => h)\nreq.set_form_data('grant_type' => 'password', 'connection' => c)";
        let m = lower(src);
        let post = m.calls.iter().find(|c| c.callee == "HTTParty.post").unwrap();
        let kw = &m.objects[post.keywords.unwrap()];
        let keys: Vec<&str> = kw.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["body", "headers"]);
        assert_eq!(&src[kw.entries[1].key_span.range()], "headers");
        assert!(matches!(post.args[1].value, Value::Object(_)));
        let form = m.calls.iter().find(|c| c.callee == "req.set_form_data").unwrap();
        let kw = &m.objects[form.keywords.unwrap()];
        assert_eq!(&src[kw.get("connection").unwrap().key_span.range()], "connection");
    }

    #[test]
    fn callee_paths_and_constructors() {
        let src = "request = Net::HTTP::Post.new(url)\nclient = Auth0Client.new(client_id: id, domain: d)\n@client.login(u, p)\nfoo(1).bar(2)\nx = Foo::Bar.new\nclient.users.link(1)";
        let m = lower(src);
        let callees: Vec<&str> = m.calls.iter().map(|c| c.callee.as_str()).collect();
        for want in
            ["Net.HTTP.Post", "Auth0Client", "self.client.login", "foo", "foo().bar", "Foo.Bar", "client.users.link"]
        {
            assert!(callees.contains(&want), "{want} in {callees:?}");
        }
        let post = m.calls.iter().find(|c| c.callee == "Net.HTTP.Post").unwrap();
        assert!(post.is_new);
        assert_eq!(&src[post.name_span.range()], "Post");
        let login = m.calls.iter().find(|c| c.callee == "self.client.login").unwrap();
        assert_eq!(&src[login.name_span.range()], "login");
        assert!(m.constructs("Auth0Client"));
        assert!(m.constructs("Foo.Bar"));
        let bar = m.calls.iter().find(|c| c.callee == "foo().bar").unwrap();
        assert_eq!(m.calls[bar.receiver.unwrap()].callee, "foo");
    }

    #[test]
    fn bindings_of_every_kind() {
        let src = "RO = '/oauth/ro'\n@url = \"https://#{DOMAIN}\" + RO\nrequest[\"authorization\"] = \"Bearer #{id_token}\"\n@client ||= Auth0Client.new(domain: d)\nHTTParty.post(@url, body: payload.to_json)";
        let m = lower(src);
        let names: Vec<&str> = m.bindings.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["RO", "self.url", "request[\"authorization\"]", "self.client"]);
        let post = m.calls.iter().find(|c| c.callee == "HTTParty.post").unwrap();
        let url = m.string_of(&post.args[0].value).expect("@url resolves");
        assert_eq!(url.text(), format!("https://{HOLE}/oauth/ro"));
        let bearer = m.strings.iter().find(|s| s.text().starts_with("Bearer")).unwrap();
        assert_eq!(bearer.text(), format!("Bearer {HOLE}"));
        // `payload.to_json` is the payload.
        let Value::Object(kw) = Value::Object(post.keywords.unwrap()) else { panic!() };
        let Value::Expr(e) = &m.objects[kw].get("body").unwrap().value else { panic!() };
        assert_eq!(e.text, "payload");
    }

    #[test]
    fn bearer_header_lines() {
        let src = "headers = [\"Accept: application/json\", \"Authorization: Bearer #{session[:id_token]}\"]";
        let m = lower(src);
        let host = m.strings.iter().find(|s| s.text().starts_with("Authorization")).unwrap();
        let header = &m.objects[host.embedded.expect("header object")];
        let Value::String(v) = header.get("authorization").unwrap().value else { panic!() };
        assert_eq!(m.strings[v].text(), format!("Bearer {HOLE}"));
        assert_eq!(&src[m.strings[v].span.range()], "Bearer #{session[:id_token]}");
        let accept = m.strings.iter().find(|s| s.text().starts_with("Accept")).unwrap();
        assert!(accept.embedded.is_none());
    }

    #[test]
    fn comments_and_scopes() {
        let src = "# POST /oauth/ro\n=begin\nold\n=end\nclass Auth\n  def login\n    1\n  end\nend\n";
        let m = lower(src);
        assert_eq!(m.comments.len(), 2);
        assert!(m.scopes.len() >= 3, "{:?}", m.scopes);
        let method = m.scopes.iter().find(|s| src[s.range()].starts_with("def login")).unwrap();
        assert!(src[method.range()].ends_with("end"));
    }
}
