//! F#: the tree-sitter grammar, its facts query, and an extra pass for what the query
//! cannot say:
//!
//! - strings are single nodes: each is decoded here (`\` escapes and trigraphs in regular
//!   strings, `""` in verbatim `@"..."` ones, nothing in triple-quoted ones, `{{ }}` and
//!   `{expr}` holes in interpolated `$"..."` ones), with its source positions;
//! - applications are calls: `client.PostAsync(url, content)` (tupled), `f x y` (curried),
//!   `new T(...)`, with named arguments (`T(Prop = value)`) as the keyword object;
//! - `sprintf "%s/oauth/ro" domain` (and `failwithf`, `printfn`, ...) and
//!   `String.Format("{0}/oauth/ro", domain)` are string values with holes, and `a + b` on
//!   strings a concatenation;
//! - lists of `"key", value` pairs (`dict [...]`, `Map.ofList [...]`, the body of a
//!   `FormUrlEncodedContent`) are objects keyed by those strings;
//! - `AuthenticationHeaderValue("Bearer", token)` is the string `"Bearer " + token`.

use std::collections::HashMap;
use std::sync::OnceLock;

use tree_sitter::{Node, Tree};

use super::go::{named, repoint, span, SpanIndex};
use super::rust::{literal_of, Char};
use super::treesitter::descendants;
use super::treesitter::{callee_path, compact, Grammar, PRINTF};
use crate::model::{Arg, Call, Entry, Expr, FileModel, ObjectKind, ObjectLiteral, Part, Quoting, StringValue, Value};
use crate::source::Span;

pub(super) fn grammar() -> &'static Grammar {
    static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
    GRAMMAR.get_or_init(|| {
        Grammar::new(
            tree_sitter_fsharp::LANGUAGE_FSHARP.into(),
            include_str!("queries/fsharp.scm"),
            super::escapes::c_like,
            None,
        )
        .with_pair_separator(" = ")
        .with_env_lookup("System.Environment.GetEnvironmentVariable(\"{name}\")")
        .with_extra(extra)
    })
}

/// Functions whose first argument is a `printf`-style template.
const PRINTF_FUNCTIONS: &[&str] =
    &["sprintf", "printf", "printfn", "eprintf", "eprintfn", "failwithf", "fprintf", "fprintfn", "kprintf", "ksprintf"];

/// How a string literal's text is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Regular,
    Verbatim,
    Triple,
}

/// One piece of a decoded string: text, or an interpolation's expression node.
enum Piece<'t> {
    Text(Vec<Char>),
    Hole(Node<'t>),
}

/// Decodes a string node (`"..."`, `@"..."`, `"""..."""`, `$"..."` with its holes).
fn decode<'t>(node: Node<'t>, text: &str) -> Option<(Vec<Piece<'t>>, Span, Quoting)> {
    let raw = &text[node.byte_range()];
    let at = node.start_byte();
    let prefix = raw.find('"')?;
    let flags = &raw[..prefix];
    let triple = raw[prefix..].starts_with("\"\"\"") && raw.len() >= prefix + 6;
    let form = if triple {
        Form::Triple
    } else if flags.contains('@') {
        Form::Verbatim
    } else {
        Form::Regular
    };
    let quote_len = if triple { 3 } else { 1 };
    let open = prefix + quote_len;
    let close = raw.len().checked_sub(quote_len).filter(|&c| c >= open)?;
    let interpolated = flags.contains('$');
    let holes: Vec<Node> = descendants(node).into_iter().filter(|n| n.kind() == "format_string_eval").collect();
    let content = Span::new(at + open, at + close);
    let mut pieces = Vec::new();
    let mut chars: Vec<Char> = Vec::new();
    let mut i = open;
    let bytes = raw.as_bytes();
    while i < close {
        let start = at + i;
        if let Some(hole) = holes.iter().find(|h| h.start_byte() == start) {
            if !chars.is_empty() {
                pieces.push(Piece::Text(std::mem::take(&mut chars)));
            }
            match named(*hole).into_iter().find(|n| !n.is_extra()) {
                Some(expr) => pieces.push(Piece::Hole(expr)),
                None => pieces.push(Piece::Hole(*hole)),
            }
            i = hole.end_byte() - at;
            continue;
        }
        let ch = raw[i..].chars().next()?;
        let len = ch.len_utf8();
        if interpolated && form != Form::Triple && matches!(ch, '{' | '}') && bytes.get(i + 1) == Some(&(ch as u8)) {
            chars.push(Char { ch, start, end: start + 2 });
            i += 2;
            continue;
        }
        if form == Form::Verbatim && ch == '"' && bytes.get(i + 1) == Some(&b'"') {
            chars.push(Char { ch, start, end: start + 2 });
            i += 2;
            continue;
        }
        if form == Form::Regular && ch == '\\' {
            let (decoded, used) = escape(&raw[i..close]);
            if let Some(c) = decoded {
                chars.push(Char { ch: c, start, end: start + used });
            }
            i += used.max(1);
            continue;
        }
        chars.push(Char { ch, start, end: start + len });
        i += len;
    }
    if !chars.is_empty() {
        pieces.push(Piece::Text(chars));
    }
    Some((pieces, content, Quoting::Quoted('"')))
}

/// One F# escape at the start of `s` (which starts with `\`): the character it stands
/// for (none for a line continuation) and how many bytes it takes.
fn escape(s: &str) -> (Option<char>, usize) {
    let rest = &s[1..];
    let Some(first) = rest.chars().next() else { return (Some('\\'), 1) };
    let hex = |len: usize| {
        rest.get(1..1 + len)
            .filter(|h| h.chars().all(|c| c.is_ascii_hexdigit()))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32)
    };
    match first {
        'n' => (Some('\n'), 2),
        't' => (Some('\t'), 2),
        'b' => (Some('\u{8}'), 2),
        'r' => (Some('\r'), 2),
        'a' => (Some('\u{7}'), 2),
        'f' => (Some('\u{c}'), 2),
        'v' => (Some('\u{b}'), 2),
        '\\' | '"' | '\'' => (Some(first), 2),
        'x' => hex(2).map_or((Some('\\'), 1), |c| (Some(c), 4)),
        'u' => hex(4).map_or((Some('\\'), 1), |c| (Some(c), 6)),
        'U' => hex(8).map_or((Some('\\'), 1), |c| (Some(c), 10)),
        '0'..='9' => {
            // A trigraph: three decimal digits.
            let digits = rest.get(..3).filter(|d| d.chars().all(|c| c.is_ascii_digit()));
            match digits.and_then(|d| d.parse::<u32>().ok()).and_then(char::from_u32) {
                Some(c) => (Some(c), 4),
                None if first == '0' => (Some('\0'), 2),
                None => (Some('\\'), 1),
            }
        }
        '\n' | '\r' => {
            // A line continuation: the newline and the indentation after it vanish.
            let skipped = rest.len() - rest.trim_start().len();
            (None, 1 + skipped)
        }
        // Any other backslash is itself.
        _ => (Some('\\'), 1),
    }
}

struct Pass<'a> {
    text: &'a str,
    index: SpanIndex,
    /// Values made by this pass, by the span of the node they stand for.
    made: HashMap<Span, Value>,
}

impl Pass<'_> {
    /// The value of an expression node, looking through parentheses and constants.
    fn value(&self, node: Node) -> Value {
        let mut node = node;
        while matches!(node.kind(), "paren_expression" | "const") {
            match named(node).into_iter().find(|n| !n.is_extra()) {
                Some(inner) => node = inner,
                None => break,
            }
        }
        if let Some(value) = self.made.get(&span(node)) {
            return value.clone();
        }
        self.index.value(span(node), self.text)
    }

    fn node_text(&self, node: Node) -> &str {
        &self.text[node.byte_range()]
    }
}

fn extra(tree: &Tree, text: &str, model: &mut FileModel) {
    let nodes = descendants(tree.root_node());
    decode_strings(&nodes, text, model);
    let mut pass = Pass { text, index: SpanIndex::new(model), made: HashMap::new() };

    // Innermost first, so that what an outer node uses is already made.
    let mut work: Vec<Node> = nodes
        .iter()
        .copied()
        .filter(|n| matches!(n.kind(), "application_expression" | "infix_expression" | "list_expression"))
        .collect();
    work.sort_by_key(|n| (n.byte_range().len(), n.start_byte()));
    for node in work {
        match node.kind() {
            "list_expression" => pair_list(node, &mut pass, model),
            "infix_expression" => concatenation(node, &mut pass, model),
            _ => application(node, &mut pass, model),
        }
    }
    repoint(model, &pass.made);
    super::csharp::bearer_headers(model);
}

/// Rebuilds every string lowered from a string node with its decoded pieces.
fn decode_strings(nodes: &[Node], text: &str, model: &mut FileModel) {
    let index = SpanIndex::new(model);
    for node in nodes.iter().filter(|n| matches!(n.kind(), "string" | "verbatim_string" | "triple_quoted_string")) {
        let Some(Value::String(id)) = Some(index.value(span(*node), text)) else { continue };
        let Some((pieces, content, quoting)) = decode(*node, text) else { continue };
        let mut parts = Vec::new();
        for piece in pieces {
            match piece {
                Piece::Text(chars) => parts.push(Part::Literal(literal_of(&chars, content.start, quoting))),
                Piece::Hole(expr) => parts.push(Part::Hole(Box::new(index.value(span(expr), text)))),
            }
        }
        if parts.is_empty() {
            parts.push(Part::Literal(literal_of(&[], content.start, quoting)));
        }
        model.strings[id].parts = parts;
    }
}

/// The parts a value contributes to a concatenation or a template.
fn parts_of(model: &FileModel, value: Value) -> Vec<Part> {
    match value {
        Value::String(id) => model.strings[id].parts.clone(),
        other => vec![Part::Hole(Box::new(other))],
    }
}

fn push_string(model: &mut FileModel, span: Span, parts: Vec<Part>) -> Value {
    model.strings.push(StringValue { span, parts, embedded: None, nested: false });
    Value::String(model.strings.len() - 1)
}

/// `a + b` where either side is a string.
fn concatenation(node: Node, pass: &mut Pass, model: &mut FileModel) {
    let children = named(node);
    let [left, op, right] = children.as_slice() else { return };
    if op.kind() != "infix_op" || pass.node_text(*op) != "+" {
        return;
    }
    let (l, r) = (pass.value(*left), pass.value(*right));
    if !matches!(l, Value::String(_)) && !matches!(r, Value::String(_)) {
        return;
    }
    let mut parts = parts_of(model, l);
    parts.extend(parts_of(model, r));
    let value = push_string(model, span(node), parts);
    pass.made.insert(span(node), value);
}

/// `[ "grant_type", "password"; ("username", user) ]`: an object.
fn pair_list(node: Node, pass: &mut Pass, model: &mut FileModel) {
    let items: Vec<Node> = named(node).into_iter().filter(|n| !n.is_extra()).collect();
    if items.is_empty() {
        return;
    }
    let mut entries = Vec::new();
    for item in items {
        let tuple = if item.kind() == "paren_expression" { named(item).into_iter().next() } else { Some(item) };
        let Some(tuple) = tuple.filter(|t| t.kind() == "tuple_expression") else { return };
        let parts = named(tuple);
        let [key, value] = parts.as_slice() else { return };
        let Value::String(k) = pass.value(*key) else { return };
        let [Part::Literal(lit)] = model.strings[k].parts.as_slice() else { return };
        let key_span = if lit.map.is_empty() { lit.span } else { Span::new(lit.span.end, lit.span.end) };
        entries.push(Entry { key: lit.text.clone(), key_span, value: pass.value(*value), span: span(item) });
    }
    model.objects.push(ObjectLiteral { span: span(node), kind: ObjectKind::Literal, entries });
    pass.made.insert(span(node), Value::Object(model.objects.len() - 1));
}

/// An application: a call (tupled or curried), a construction, or a format template.
fn application(node: Node, pass: &mut Pass, model: &mut FileModel) {
    // The function part of a curried application is lowered with the whole.
    if let Some(parent) = node.parent() {
        if parent.kind() == "application_expression" && named(parent).first().map(|n| n.id()) == Some(node.id()) {
            return;
        }
    }
    let mut head = node;
    let mut applied = Vec::new();
    while head.kind() == "application_expression" {
        let children: Vec<Node> = named(head).into_iter().filter(|n| !n.is_extra()).collect();
        let Some(&function) = children.first() else { return };
        applied.extend(children[1..].iter().rev().copied());
        head = function;
    }
    applied.reverse();
    let mut args: Vec<Node> = Vec::new();
    for arg in applied {
        match arg.kind() {
            "tuple_expression" => args.extend(named(arg).into_iter().filter(|n| !n.is_extra())),
            "unit" => {}
            "const" if pass.node_text(arg) == "()" => {}
            _ => args.push(arg),
        }
    }
    let callee = callee_path(&compact(pass.node_text(head)));
    let name = crate::model::split_path(&callee).last().copied().unwrap_or("").to_string();

    // Templates: sprintf "%s/oauth/ro" domain, String.Format("{0}/oauth/ro", domain).
    let braces = callee.ends_with("String.Format") || callee == "Format";
    if PRINTF_FUNCTIONS.contains(&name.as_str()) || braces {
        if let Some(Value::String(template)) = args.first().map(|a| pass.value(*a)) {
            let values: Vec<Value> = args[1..].iter().map(|a| pass.value(*a)).collect();
            let parts = fill_template(model, template, &values, braces);
            let value = push_string(model, span(node), parts);
            pass.made.insert(span(node), value);
            return;
        }
    }

    let construction =
        node.parent().filter(|p| p.kind() == "prefixed_expression" && pass.node_text(*p).starts_with("new"));
    let call_span = construction.map_or(span(node), span);
    let mut lowered = Vec::new();
    let mut keywords = Vec::new();
    for arg in args {
        // `Prop = value`: a named argument or a property set by the constructor.
        if arg.kind() == "infix_expression" {
            let parts = named(arg);
            if let [label, op, value] = parts.as_slice() {
                let label_text = pass.node_text(*label);
                if pass.node_text(*op) == "="
                    && label.kind() == "long_identifier_or_op"
                    && label_text.chars().all(|c| c.is_alphanumeric() || c == '_')
                {
                    keywords.push(Entry {
                        key: label_text.to_string(),
                        key_span: span(*label),
                        value: pass.value(*value),
                        span: span(arg),
                    });
                    continue;
                }
            }
        }
        lowered.push(Arg { label: None, value: pass.value(arg), span: span(arg) });
    }
    let keywords = (!keywords.is_empty()).then(|| {
        model.objects.push(ObjectLiteral {
            span: Span::new(span(head).end, span(node).end),
            kind: ObjectKind::Arguments,
            entries: keywords,
        });
        model.objects.len() - 1
    });
    let head_span = span(head);
    let name_span = if pass.node_text(head).ends_with(&name) && !name.is_empty() {
        Span::new(head_span.end - name.len(), head_span.end)
    } else {
        head_span
    };
    model.calls.push(Call {
        span: call_span,
        callee,
        name_span,
        is_new: construction.is_some(),
        args: lowered,
        args_span: Span::new(head_span.end, span(node).end),
        receiver: None,
        keywords,
    });
    let value = Value::Call(model.calls.len() - 1);
    pass.made.insert(span(node), value.clone());
    pass.made.insert(call_span, value);
}

/// A template's parts with each placeholder (`%s`, `%d`, `{0}`) replaced by its argument.
fn fill_template(model: &FileModel, template: usize, values: &[Value], braces: bool) -> Vec<Part> {
    static PRINTF_RE: OnceLock<regex::Regex> = OnceLock::new();
    static BRACES_RE: OnceLock<regex::Regex> = OnceLock::new();
    let pattern = if braces {
        BRACES_RE.get_or_init(|| regex::Regex::new(super::treesitter::BRACES).expect("placeholder pattern"))
    } else {
        PRINTF_RE.get_or_init(|| regex::Regex::new(PRINTF).expect("placeholder pattern"))
    };
    let mut parts = Vec::new();
    let mut next = 0;
    for part in model.strings[template].parts.clone() {
        let Part::Literal(lit) = part else {
            parts.push(part);
            continue;
        };
        let mut at = 0;
        for m in pattern.find_iter(&lit.text) {
            let token = m.as_str();
            if matches!(token, "%%" | "{{" | "}}") {
                parts.push(Part::Literal(super::treesitter::through_escaped_pair(&lit, at, m.start())));
                at = m.end();
                continue;
            }
            if m.start() > at {
                parts.push(Part::Literal(lit.slice(at, m.start())));
            }
            let index = token.trim_matches(['{', '}']).split(':').next().and_then(|i| i.parse::<usize>().ok());
            let value = match index {
                Some(i) if braces => values.get(i).cloned(),
                _ => {
                    next += 1;
                    values.get(next - 1).cloned()
                }
            };
            let hole =
                value.unwrap_or(Value::Expr(Expr { span: lit.source_span(m.start(), m.end()), text: String::new() }));
            parts.extend(parts_of(model, hole));
            at = m.end();
        }
        if at < lit.text.len() || lit.text.is_empty() {
            parts.push(Part::Literal(lit.slice(at, lit.text.len())));
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;
    use crate::model::HOLE;

    fn lower(src: &str) -> FileModel {
        let m = Language::FSharp.lower(src).unwrap();
        assert!(m.syntax_errors.is_empty(), "syntax errors in test source: {:?}", m.syntax_errors);
        m
    }

    fn texts(m: &FileModel) -> Vec<String> {
        m.strings.iter().filter(|s| !s.nested).map(|s| s.text()).collect()
    }

    fn string_with<'m>(m: &'m FileModel, text: &str) -> &'m StringValue {
        m.strings.iter().find(|s| s.text() == text).unwrap_or_else(|| panic!("no string {text:?}: {:?}", texts(m)))
    }

    fn object_with<'m>(m: &'m FileModel, key: &str) -> &'m ObjectLiteral {
        m.objects.iter().find(|o| o.has(key)).unwrap_or_else(|| panic!("no object with {key}: {:?}", m.objects))
    }

    #[test]
    fn query_compiles() {
        let _ = grammar();
    }

    #[test]
    fn strings_of_every_form_are_decoded() {
        let src = "module M\nlet a = \"tab\\there\\u0041\"\nlet b = @\"C:\\x \"\"q\"\"\"\nlet c = \"\"\"say \"hi\" \"\"\"\nlet d = $\"https://{domain}/oauth/ro?x={{y}}\"\n";
        let m = lower(src);
        let all = texts(&m);
        assert!(all.contains(&"tab\thereA".to_string()), "{all:?}");
        assert!(all.contains(&"C:\\x \"q\"".to_string()), "{all:?}");
        assert!(all.contains(&"say \"hi\" ".to_string()), "{all:?}");
        let d = string_with(&m, &format!("https://{HOLE}/oauth/ro?x={{y}}"));
        assert!(matches!(d.holes().next(), Some(Value::Expr(e)) if e.text == "domain"));
        let Part::Literal(tail) = d.parts.last().unwrap() else { panic!() };
        assert_eq!(&src[tail.span.range()], "/oauth/ro?x={{y}}");
        let b = string_with(&m, "C:\\x \"q\"");
        let Part::Literal(lit) = &b.parts[0] else { panic!() };
        assert_eq!(&src[lit.source_span(5, 6).range()], "\"\"");
    }

    #[test]
    fn templates_and_concatenations_are_strings() {
        let src = "module M\nlet a = sprintf \"https://%s/oauth/%s\" domain \"ro\"\nlet b = String.Format(\"{0}/delegation\", baseUrl)\nlet c = \"https://\" + domain + \"/oauth/ro\"\n";
        let m = lower(src);
        let all = texts(&m);
        assert!(all.contains(&format!("https://{HOLE}/oauth/ro")), "{all:?}");
        assert!(all.contains(&format!("{HOLE}/delegation")), "{all:?}");
        let c = m.bindings.iter().find(|b| b.name == "c").unwrap();
        assert!(matches!(c.value, Value::String(id) if m.strings[id].text() == format!("https://{HOLE}/oauth/ro")));
    }

    #[test]
    fn records_pair_lists_calls_and_named_arguments() {
        let src = r#"module M
let body = {| grant_type = "password"; username = user |}
let content = new FormUrlEncodedContent(dict [ ("client_id", "abc"); ("connection", "db") ])
let r = client.PostAsync(url, content) |> Async.AwaitTask
let h = new HttpClientHandler(ServerCertificateCustomValidationCallback = (fun _ _ _ _ -> true))
client.DefaultRequestHeaders.Authorization <- AuthenticationHeaderValue("Bearer", idToken)
"#;
        let m = lower(src);
        let record = object_with(&m, "grant_type");
        assert_eq!(&src[record.get("grant_type").unwrap().key_span.range()], "grant_type");
        let pairs = object_with(&m, "connection");
        assert_eq!(&src[pairs.get("connection").unwrap().key_span.range()], "connection");
        let new = m.calls.iter().find(|c| c.callee == "FormUrlEncodedContent").unwrap();
        assert!(new.is_new);
        assert!(matches!(new.args[0].value, Value::Call(id) if m.calls[id].callee == "dict"));
        let post = m.calls.iter().find(|c| c.callee == "client.PostAsync").unwrap();
        assert_eq!(post.args.len(), 2);
        assert_eq!(&src[post.name_span.range()], "PostAsync");
        let handler = m.calls.iter().find(|c| c.callee == "HttpClientHandler").unwrap();
        let keywords = &m.objects[handler.keywords.unwrap()];
        assert!(keywords.has("ServerCertificateCustomValidationCallback"));
        assert!(texts(&m).contains(&format!("Bearer {HOLE}")));
        assert!(m.bindings.iter().any(|b| b.name == "client.DefaultRequestHeaders.Authorization"));
    }

    #[test]
    fn comments_and_scopes() {
        let src = "module M\n// one /oauth/ro\n(* two *)\n/// doc\nlet f x =\n    x + 1\n";
        let m = lower(src);
        let comments: Vec<&str> = m.comments.iter().map(|c| &src[c.range()]).collect();
        assert_eq!(comments, vec!["// one /oauth/ro", "(* two *)", "/// doc"]);
        assert_eq!(m.scopes.len(), 1);
        assert!(texts(&m).is_empty());
    }
}
