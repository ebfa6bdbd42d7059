//! C#: the tree-sitter grammar, its facts query and its escape rules, and an extra pass
//! for what the query cannot say:
//!
//! - `""` is a quote in verbatim strings (`@"..."`, `$@"..."`), `{{` and `}}` are braces in
//!   interpolated ones: the literal pieces are decoded with their source positions;
//! - an interpolation's value is its expression (the grammar's braces are named nodes);
//! - anonymous objects `new { grant_type = "password" }` get their entries;
//! - `new T(...) { ... }`: the initializer is the keyword object of the constructor call,
//!   as it is for `new T { ... }`;
//! - a list of `new KeyValuePair<string, string>("k", v)` (the body of a
//!   `FormUrlEncodedContent`), and `values.Add("k", v)` / `values["k"] = v` on a dictionary
//!   or list created empty, are one object keyed by those strings;
//! - `new AuthenticationHeaderValue("Bearer", token)` is the string `"Bearer " + token`.

use std::collections::HashMap;
use std::sync::OnceLock;

use tree_sitter::{Node, Tree};

use super::go::{named, repoint, repoint_calls, span, SpanIndex};
use super::treesitter::descendants;
use super::treesitter::Grammar;
use crate::model::{Entry, Expr, FileModel, Literal, ObjectKind, ObjectLiteral, Part, Quoting, StringValue, Value};
use crate::source::Span;

pub(super) fn grammar() -> &'static Grammar {
    static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
    GRAMMAR.get_or_init(|| {
        Grammar::new(
            tree_sitter_c_sharp::LANGUAGE.into(),
            include_str!("queries/csharp.scm"),
            super::escapes::c_like,
            Some(super::treesitter::BRACES),
        )
        .with_pair_separator(" = ")
        .with_concatenation(" + ")
        .with_extra(extra)
    })
}

/// How the file reads an environment variable, and whether it runs on a user's device.
///
/// `Environment` needs `using System;`; without it (a project may rely on implicit global
/// usings, or not) the lookup is written fully qualified, which compiles either way.
/// Blazor WebAssembly, Xamarin, MAUI, WPF/WinForms/UWP apps using Auth0's native OIDC
/// client, and Unity games run on the user's device: public clients.
fn environment(nodes: &[Node], text: &str, model: &mut FileModel) {
    let usings: Vec<&str> = nodes
        .iter()
        .filter(|n| n.kind() == "using_directive")
        .map(|n| text[n.byte_range()].trim_end_matches(';').trim())
        .collect();
    let has_system = usings.iter().any(|u| u.split_whitespace().collect::<Vec<_>>() == ["using", "System"]);
    model.env_lookup = Some(if has_system {
        "Environment.GetEnvironmentVariable(\"{name}\")"
    } else {
        "System.Environment.GetEnvironmentVariable(\"{name}\")"
    });
    const DEVICE: &[&str] = &[
        "Microsoft.AspNetCore.Components.WebAssembly",
        "Xamarin.",
        "Microsoft.Maui",
        "Auth0.OidcClient",
        "UnityEngine",
        "Windows.UI.Xaml",
        "System.Windows",
    ];
    model.client_side |=
        usings.iter().any(|u| DEVICE.iter().any(|d| u.contains(d))) || text.contains("WebAssemblyHostBuilder");
}

/// The doubled characters that stand for one in a string's text.
#[derive(Clone, Copy)]
struct Doubles {
    quotes: bool,
    braces: bool,
}

fn extra(tree: &Tree, text: &str, model: &mut FileModel) {
    let nodes = descendants(tree.root_node());
    environment(&nodes, text, model);
    decode_doubles(tree.root_node(), &nodes, text, model);
    let index = SpanIndex::new(model);

    // Interpolations: the opening brace the engine took for the value → the expression.
    let mut aliases = HashMap::new();
    for node in nodes.iter().filter(|n| n.kind() == "interpolation") {
        let children = named(*node);
        let brace = children.iter().find(|c| c.kind() == "interpolation_brace");
        let value = children.iter().find(|c| {
            !matches!(
                c.kind(),
                "interpolation_brace" | "interpolation_alignment_clause" | "interpolation_format_clause"
            )
        });
        if let (Some(brace), Some(value)) = (brace, value) {
            aliases.insert(span(*brace), index.value(span(*value), text));
        }
    }
    repoint(model, &aliases);

    for node in &nodes {
        match node.kind() {
            "anonymous_object_creation_expression" => anonymous_object(*node, text, model, &index),
            "object_creation_expression" | "implicit_object_creation_expression" => {
                let initializer = named(*node).into_iter().find(|c| c.kind() == "initializer_expression");
                let has_args = named(*node).iter().any(|c| c.kind() == "argument_list");
                if let (Some(init), true) = (initializer, has_args) {
                    if let (Some(call), Some(Value::Object(object))) =
                        (index.call(span(*node)), index.object(span(init)))
                    {
                        if !model.objects[object].entries.is_empty() && model.calls[call].keywords.is_none() {
                            model.calls[call].keywords = Some(object);
                        }
                    }
                }
            }
            _ => {}
        }
        if node.kind() == "initializer_expression" {
            key_value_pairs(*node, text, model, &index);
        }
    }
    collection_builders(&nodes, text, model, &index);
    bearer_headers(model);
}

/// Decodes `""` (verbatim strings) and `{{` `}}` (interpolated strings) in the literal
/// pieces lowered from those strings.
fn decode_doubles(root: Node, nodes: &[Node], text: &str, model: &mut FileModel) {
    let has_doubles =
        nodes.iter().any(|n| matches!(n.kind(), "verbatim_string_literal" | "interpolated_string_expression"));
    if !has_doubles {
        return;
    }
    for string in &mut model.strings {
        for part in &mut string.parts {
            let Part::Literal(lit) = part else { continue };
            // The innermost string literal that holds the piece decides.
            let mut node = root.descendant_for_byte_range(lit.span.start, lit.span.end);
            while let Some(n) = node {
                if matches!(
                    n.kind(),
                    "verbatim_string_literal"
                        | "interpolated_string_expression"
                        | "string_literal"
                        | "raw_string_literal"
                ) {
                    break;
                }
                node = n.parent();
            }
            if let Some(doubles) = node.and_then(|n| doubles_of(n, text)) {
                *lit = undouble(lit, text, doubles);
            }
        }
    }
}

/// The doubled characters of a string literal node, if it has any.
fn doubles_of(node: Node, text: &str) -> Option<Doubles> {
    match node.kind() {
        "verbatim_string_literal" => Some(Doubles { quotes: true, braces: false }),
        "interpolated_string_expression" => {
            let children = named(node);
            let start = children.iter().find(|c| c.kind() == "interpolation_start");
            let verbatim = start.is_some_and(|s| text[s.byte_range()].contains('@'));
            // Raw interpolated strings have no doubles.
            let raw = children.iter().any(|c| c.kind() == "interpolation_quote");
            (!raw).then_some(Doubles { quotes: verbatim, braces: true })
        }
        _ => None,
    }
}

/// The literal with each doubled quote or brace written in the source read as one.
fn undouble(lit: &Literal, source: &str, doubles: Doubles) -> Literal {
    let chars: Vec<(usize, char)> = lit.text.char_indices().collect();
    let mut text = String::with_capacity(lit.text.len());
    let mut positions: Vec<(usize, usize)> = Vec::with_capacity(chars.len());
    let mut k = 0;
    while k < chars.len() {
        let (offset, ch) = chars[k];
        let at = lit.source_offset(offset);
        positions.push((text.len(), at));
        text.push(ch);
        let doubled = (doubles.quotes && ch == '"') || (doubles.braces && matches!(ch, '{' | '}'));
        let pair_in_source = source.as_bytes().get(at..at + 2) == Some(&[ch as u8, ch as u8][..]);
        if doubled
            && pair_in_source
            && chars.get(k + 1).is_some_and(|&(o, c)| c == ch && lit.source_offset(o) == at + 1)
        {
            k += 2;
        } else {
            k += 1;
        }
    }
    // Keep the positions that the previous one does not imply.
    let mut map = Vec::new();
    let mut delta = 0isize;
    for (t, s) in positions {
        let d = s as isize - (lit.span.start + t) as isize;
        if d != delta {
            map.push((t, s));
            delta = d;
        }
    }
    Literal { text, span: lit.span, map, site: lit.site, quoting: lit.quoting }
}

/// `new { grant_type = "password", user.Email }`: `name = value` pairs and projections.
fn anonymous_object(node: Node, text: &str, model: &mut FileModel, index: &SpanIndex) {
    let Some(Value::Object(object)) = index.object(span(node)) else { return };
    let mut entries = Vec::new();
    let mut cursor = node.walk();
    let children: Vec<Node> = node.children(&mut cursor).filter(|c| !c.is_extra()).collect();
    let mut i = 0;
    while i < children.len() {
        let child = children[i];
        if !child.is_named() {
            i += 1;
            continue;
        }
        if children.get(i + 1).is_some_and(|n| n.kind() == "=") && child.kind() == "identifier" {
            if let Some(&value) = children.get(i + 2) {
                entries.push(Entry {
                    key: text[child.byte_range()].to_string(),
                    key_span: span(child),
                    value: index.value(span(value), text),
                    span: Span::new(child.start_byte(), value.end_byte()),
                });
            }
            i += 3;
            continue;
        }
        // A projection: `connection` is the entry `connection`, `user.Email` the entry
        // `Email`, whose key cannot be renamed without rewriting the expression (an empty
        // key span says so).
        let raw = &text[child.byte_range()];
        if let Some(name) = raw.rsplit('.').next().filter(|n| n.chars().all(|c| c.is_alphanumeric() || c == '_')) {
            let key_span =
                if name.len() == raw.len() { span(child) } else { Span::new(child.end_byte(), child.end_byte()) };
            let value = Value::Expr(Expr { span: span(child), text: super::treesitter::compact(raw) });
            entries.push(Entry { key: name.to_string(), key_span, value, span: span(child) });
        }
        i += 1;
    }
    model.objects[object].entries = entries;
}

/// A `KeyValuePair<string, string>("k", v)` (or target-typed `new("k", v)`) construction:
/// its key string and value.
fn pair_entry(model: &FileModel, text: &str, call: usize) -> Option<Entry> {
    let c = &model.calls[call];
    let target_typed = c.callee == "new" && text[c.args_span.range()].starts_with('(');
    let is_pair = c.is_new && (c.callee.ends_with("KeyValuePair") || target_typed);
    let [key, value] = c.args.as_slice() else { return None };
    if !is_pair || key.label.is_some() {
        return None;
    }
    literal_key(model, &key.value).map(|(k, key_span)| Entry {
        key: k,
        key_span,
        value: value.value.clone(),
        span: c.span,
    })
}

/// The text of a string literal written as a key, and the span of that text.
fn literal_key(model: &FileModel, value: &Value) -> Option<(String, Span)> {
    let Value::String(id) = value else { return None };
    match model.strings[*id].parts.as_slice() {
        [Part::Literal(lit)] if lit.site.is_none() => Some((lit.text.clone(), lit.span)),
        _ => None,
    }
}

/// `new[] { new KeyValuePair<string, string>("grant_type", "password"), ... }`: an object
/// made the keyword object of the array or list construction that holds the pairs.
fn key_value_pairs(init: Node, text: &str, model: &mut FileModel, index: &SpanIndex) {
    let items = named(init);
    if items.is_empty() {
        return;
    }
    let mut entries = Vec::new();
    for item in &items {
        let Some(entry) = index.call(span(*item)).and_then(|call| pair_entry(model, text, call)) else { return };
        entries.push(entry);
    }
    let Some(holder) = init.parent().and_then(|p| index.call(span(p))) else { return };
    if model.calls[holder].keywords.is_some() {
        return;
    }
    model.objects.push(ObjectLiteral { span: span(init), kind: ObjectKind::Literal, entries });
    model.calls[holder].keywords = Some(model.objects.len() - 1);
}

/// `var form = new Dictionary<string, string>();` then `form.Add("grant_type", "password")`,
/// `form["connection"] = c` or `form.Add(new KeyValuePair<string, string>(...))`: one object
/// whose entries are those statements, made the keyword object of the construction.
fn collection_builders(nodes: &[Node], text: &str, model: &mut FileModel, index: &SpanIndex) {
    const COLLECTIONS: [&str; 5] = ["Dictionary", "List", "NameValueCollection", "SortedDictionary", "Collection"];
    let builders: Vec<(String, Span, usize)> = model
        .bindings
        .iter()
        .filter_map(|b| match b.value {
            Value::Call(call) => {
                let c = &model.calls[call];
                let empty = c.keywords.is_none() && c.args.is_empty();
                (c.is_new && empty && COLLECTIONS.iter().any(|k| c.callee.ends_with(k)))
                    .then(|| (b.name.clone(), b.span, call))
            }
            _ => None,
        })
        .collect();
    if builders.is_empty() {
        return;
    }
    // `x.Add(...)` calls by receiver, and `x["k"] = v` assignments by target.
    let mut adds: HashMap<&str, Vec<usize>> = HashMap::new();
    for (id, call) in model.calls.iter().enumerate() {
        if let Some(receiver) = call.callee.strip_suffix(".Add") {
            adds.entry(receiver).or_default().push(id);
        }
    }
    let mut indexed: HashMap<&str, Vec<(Node, Node, Node)>> = HashMap::new();
    for node in nodes.iter().filter(|n| n.kind() == "assignment_expression") {
        let (Some(left), Some(right)) = (node.child_by_field_name("left"), node.child_by_field_name("right")) else {
            continue;
        };
        if left.kind() != "element_access_expression" {
            continue;
        }
        if let Some(target) = left.child_by_field_name("expression") {
            indexed.entry(&text[target.byte_range()]).or_default().push((*node, left, right));
        }
    }
    let mut objects = Vec::new();
    for (name, declared, constructor) in builders {
        let scope = model.scope_of(declared);
        let in_scope = |s: Span| scope.is_none_or(|scope| scope.contains(s)) && s.start >= declared.end;
        let mut entries = Vec::new();
        for &id in adds.get(name.as_str()).into_iter().flatten() {
            let call = &model.calls[id];
            if !in_scope(call.span) {
                continue;
            }
            let entry = match call.args.as_slice() {
                [key, value] if key.label.is_none() => literal_key(model, &key.value).map(|(k, key_span)| Entry {
                    key: k,
                    key_span,
                    value: value.value.clone(),
                    span: call.span,
                }),
                [pair] => match pair.value {
                    Value::Call(inner) => {
                        pair_entry(model, text, inner).map(|e| Entry { span: model.calls[id].span, ..e })
                    }
                    _ => None,
                },
                _ => None,
            };
            entries.extend(entry);
        }
        // form["connection"] = c;
        for &(node, left, right) in indexed.get(name.as_str()).into_iter().flatten() {
            if !in_scope(span(node)) {
                continue;
            }
            let key = left
                .child_by_field_name("subscript")
                .and_then(|s| named(s).into_iter().next())
                .and_then(|arg| named(arg).into_iter().next())
                .and_then(|lit| literal_key(model, &index.value(span(lit), text)));
            if let Some((key, key_span)) = key {
                entries.push(Entry { key, key_span, value: index.value(span(right), text), span: span(node) });
            }
        }
        if entries.is_empty() {
            continue;
        }
        entries.sort_by_key(|e| e.span.start);
        let object_span = entries[0].span.cover(entries[entries.len() - 1].span);
        objects.push((constructor, ObjectLiteral { span: object_span, kind: ObjectKind::Literal, entries }));
    }
    for (constructor, object) in objects {
        model.objects.push(object);
        model.calls[constructor].keywords = Some(model.objects.len() - 1);
    }
}

/// `new AuthenticationHeaderValue("Bearer", token)` as the string `"Bearer " + token`,
/// wherever the construction is used as a value.
pub(super) fn bearer_headers(model: &mut FileModel) {
    let mut found = Vec::new();
    let mut aliases = HashMap::new();
    for call in model.calls.iter().filter(|c| c.callee.ends_with("AuthenticationHeaderValue")) {
        let [scheme, token] = call.args.as_slice() else { continue };
        let Value::String(id) = scheme.value else { continue };
        let [Part::Literal(lit)] = model.strings[id].parts.as_slice() else { continue };
        if !lit.text.eq_ignore_ascii_case("bearer") {
            continue;
        }
        let prefix = Literal::plain(format!("{} ", lit.text), lit.span, Quoting::Quoted('"'));
        aliases.insert(call.span, Value::String(model.strings.len() + found.len()));
        found.push(StringValue {
            span: call.span,
            parts: vec![Part::Literal(prefix), Part::Hole(Box::new(token.value.clone()))],
            embedded: None,
            nested: false,
        });
    }
    model.strings.extend(found);
    repoint_calls(model, &aliases);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;
    use crate::model::HOLE;

    fn lower(src: &str) -> FileModel {
        let m = Language::CSharp.lower(src).unwrap();
        assert!(m.syntax_errors.is_empty(), "syntax errors in test source: {:?}", m.syntax_errors);
        m
    }

    #[test]
    fn environment_lookup_and_device_apps() {
        let m = lower("using System;\nclass A { const string S = \"x\"; string T = \"y\"; }\n");
        assert_eq!(m.env_lookup, Some("Environment.GetEnvironmentVariable(\"{name}\")"));
        assert_eq!(m.constant_contexts.len(), 1);
        assert!(!m.client_side);
        let m = lower("using Microsoft.Maui.Controls;\nclass A { [Obsolete(\"x\")] void F(string s = \"d\") { const string c = \"z\"; } }\n");
        assert_eq!(m.env_lookup, Some("System.Environment.GetEnvironmentVariable(\"{name}\")"));
        assert_eq!(m.constant_contexts.len(), 3);
        assert!(m.client_side);
        assert!(lower("var builder = WebAssemblyHostBuilder.CreateDefault(args);\n").client_side);
    }

    fn texts(m: &FileModel) -> Vec<String> {
        m.strings.iter().filter(|s| !s.nested).map(|s| s.text()).collect()
    }

    fn string_with<'m>(m: &'m FileModel, text: &str) -> &'m StringValue {
        m.strings.iter().find(|s| s.text() == text).unwrap_or_else(|| panic!("no string {text:?}: {:?}", texts(m)))
    }

    fn object_with<'m>(m: &'m FileModel, key: &str) -> &'m ObjectLiteral {
        m.objects.iter().find(|o| o.has(key)).unwrap_or_else(|| panic!("no object with {key}"))
    }

    fn keys(o: &ObjectLiteral) -> Vec<&str> {
        o.entries.iter().map(|e| e.key.as_str()).collect()
    }

    fn value_text(m: &FileModel, o: &ObjectLiteral, key: &str) -> Option<String> {
        m.string_of(&o.get(key)?.value).and_then(|s| s.literal_text())
    }

    /// The source text of the decoded range `[a, b)` of a string.
    fn source_of<'s>(src: &'s str, s: &StringValue, a: usize, b: usize) -> &'s str {
        let (lit, x, y) = s.locate(a, b).unwrap();
        &src[lit.source_span(x, y).range()]
    }

    /// There is no C# compiler in the toolchain: the fixtures are checked with the grammar.
    #[test]
    fn fixtures_have_no_syntax_errors() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut checked = 0;
        for rule in std::fs::read_dir(root).unwrap() {
            for file in std::fs::read_dir(rule.unwrap().path()).unwrap() {
                let path = file.unwrap().path();
                if path.extension().is_some_and(|e| e == "cs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    assert_eq!(Language::CSharp.syntax_errors(&text), Some(0), "{}", path.display());
                    checked += 1;
                }
            }
        }
        assert!(checked > 0);
    }

    #[test]
    fn query_compiles() {
        assert!(Language::CSharp.lower("class A { void M() { } }").is_ok());
    }

    #[test]
    fn regular_verbatim_raw_and_interpolated_strings() {
        let src = r#"class A {
  void M(string domain) {
    var a = "https://t.auth0.com\u002Foauth\x2Fro\n";
    var b = @"{""grant_type"":""password"",""connection"":""db""}";
    var c = $"https://{domain}/oauth/ro?x={{y}}";
    var d = $@"{domain}\oauth\ro ""q""";
    var e = """
      {"grant_type": "password", "connection": "db"}
      """;
    var f = $"{(flag ? @"a""b" : "{{c}}")}";
  }
}"#;
        let m = lower(src);
        let a = string_with(&m, "https://t.auth0.com/oauth/ro\n");
        assert_eq!(source_of(src, a, 19, 25), "\\u002Foauth");
        assert_eq!(source_of(src, a, 26, 28), "ro");
        let b = string_with(&m, r#"{"grant_type":"password","connection":"db"}"#);
        let json = &m.objects[b.embedded.expect("json in a verbatim string")];
        assert_eq!(&src[json.get("connection").unwrap().key_span.range()], "connection");
        let db = m.string_of(&json.get("connection").unwrap().value).unwrap();
        assert_eq!(source_of(src, db, 0, 2), "db");
        let c = string_with(&m, &format!("https://{HOLE}/oauth/ro?x={{y}}"));
        assert_eq!(&src[c.holes().next().unwrap().span(&m).range()], "domain");
        let at = c.text().find("y}").unwrap();
        assert_eq!(source_of(src, c, at, at + 2), "y}}");
        let d = string_with(&m, &format!("{HOLE}\\oauth\\ro \"q\""));
        let at = d.text().find("q").unwrap();
        assert_eq!(source_of(src, d, at, at + 1), "q");
        let e = m.strings.iter().find(|s| s.text().contains("\"connection\": \"db\"")).unwrap();
        assert!(e.embedded.is_some());
        // Strings inside an interpolation follow their own rules.
        string_with(&m, "a\"b");
        string_with(&m, "{{c}}");
    }

    #[test]
    fn concatenation_and_string_format() {
        let src = r#"class A {
  string Url(string domain, int n) {
    var a = "https://" + domain + "/oauth/ro";
    var b = string.Format("https://{0}/oauth/{1}?n={2}", domain, "ro", n);
    var c = String.Format(CultureInfo.InvariantCulture, "Bearer {0}", idToken);
    return a;
  }
}"#;
        let m = lower(src);
        let t = texts(&m);
        assert!(t.contains(&format!("https://{HOLE}/oauth/ro")), "{t:?}");
        let b = string_with(&m, &format!("https://{HOLE}/oauth/{HOLE}?n={HOLE}"));
        let holes: Vec<&str> = b.holes().map(|h| &src[h.span(&m).range()]).collect();
        assert_eq!(holes, ["domain", "\"ro\"", "n"]);
        let c = string_with(&m, &format!("Bearer {HOLE}"));
        assert_eq!(&src[c.holes().next().unwrap().span(&m).range()], "idToken");
        assert!(!m.calls.iter().any(|c| c.callee.ends_with("Format")));
    }

    #[test]
    fn dictionaries_anonymous_objects_and_initializers() {
        let src = r#"class A {
  void M(string user) {
    var d1 = new Dictionary<string, string> { { "grant_type", "password" }, { "connection", conn } };
    var d2 = new Dictionary<string, object>() { ["grant_type"] = "password", ["device"] = "d" };
    var anon = new { grant_type = "password", connection = "db", user.Email };
    var shorthand = new { grant_type = "password", connection };
    var req = new AuthenticationRequest { Connection = "db", Username = user, Scope = "openid" };
    var typed = new TokenRequest(domain) { GrantType = "x" };
  }
}"#;
        let m = lower(src);
        let d1 = object_with(&m, "connection");
        assert_eq!(keys(d1), ["grant_type", "connection"]);
        assert_eq!(&src[d1.get("grant_type").unwrap().key_span.range()], "grant_type");
        let d2 = object_with(&m, "device");
        assert_eq!(value_text(&m, d2, "grant_type").as_deref(), Some("password"));
        assert_eq!(&src[d2.get("device").unwrap().key_span.range()], "device");
        let anon = object_with(&m, "Email");
        assert_eq!(keys(anon), ["grant_type", "connection", "Email"]);
        // A projection's key cannot be renamed: its key span is empty.
        assert!(anon.get("Email").unwrap().key_span.is_empty());
        assert_eq!(&src[anon.get("connection").unwrap().key_span.range()], "connection");
        assert_eq!(&src[anon.get("connection").unwrap().span.range()], "connection = \"db\"");
        let shorthand = m.objects.iter().find(|o| src[o.span.range()].ends_with("connection }")).unwrap();
        let entry = shorthand.get("connection").unwrap();
        assert_eq!((&src[entry.key_span.range()], entry.span), ("connection", entry.key_span));
        // Object initializers are the keyword object of their constructor.
        let req = m.calls.iter().find(|c| c.callee == "AuthenticationRequest").unwrap();
        assert!(req.is_new);
        let kw = &m.objects[req.keywords.unwrap()];
        assert_eq!(keys(kw), ["Connection", "Username", "Scope"]);
        let dict =
            m.calls.iter().find(|c| c.callee == "Dictionary" && c.keywords.is_some_and(|k| m.objects[k].has("device")));
        assert!(dict.is_some());
        let typed = m.calls.iter().find(|c| c.callee == "TokenRequest").unwrap();
        assert!(m.objects[typed.keywords.unwrap()].has("GrantType"));
        assert_eq!(typed.args.len(), 1);
    }

    #[test]
    fn key_value_pairs_and_collection_builders() {
        let src = r#"class A {
  async Task M(HttpClient client, string url) {
    var content = new FormUrlEncodedContent(new[]
    {
        new KeyValuePair<string, string>("grant_type", "password"),
        new KeyValuePair<string, string>("connection", "db"),
    });
    var values = new Dictionary<string, string>();
    values.Add("grant_type", "password");
    values["device"] = "kiosk";
    var pairs = new List<KeyValuePair<string, string>>();
    pairs.Add(new KeyValuePair<string, string>("username", "alice"));
    await client.PostAsync(url, new FormUrlEncodedContent(values));
  }
}"#;
        let m = lower(src);
        let pairs = object_with(&m, "connection");
        assert_eq!(keys(pairs), ["grant_type", "connection"]);
        assert_eq!(&src[pairs.get("connection").unwrap().key_span.range()], "connection");
        assert_eq!(value_text(&m, pairs, "connection").as_deref(), Some("db"));
        let values = object_with(&m, "device");
        assert_eq!(keys(values), ["grant_type", "device"]);
        assert_eq!(&src[values.get("device").unwrap().span.range()], "values[\"device\"] = \"kiosk\"");
        assert_eq!(&src[values.get("grant_type").unwrap().span.range()], "values.Add(\"grant_type\", \"password\")");
        assert!(object_with(&m, "username").entries.len() == 1);
        // The request reaches the dictionary through the name `values`.
        let post = m.calls.iter().position(|c| c.callee == "client.PostAsync").unwrap();
        let reach = crate::rules::request::reach_of(&m, post);
        assert!(reach.objects.iter().any(|&o| m.objects[o].has("device")));
    }

    #[test]
    fn named_arguments_and_bearer_headers() {
        let src = r#"class A {
  void M(string idToken) {
    var r = client.Login(realm: "db", scope: "openid");
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", idToken);
    request.AddHeader("authorization", $"Bearer {idToken}");
    var msg = new HttpRequestMessage(HttpMethod.Post, url)
    {
        Headers = { Authorization = new AuthenticationHeaderValue("Bearer", idToken) },
    };
  }
}"#;
        let m = lower(src);
        let login = m.calls.iter().find(|c| c.callee == "client.Login").unwrap();
        assert_eq!(login.args[0].label.as_deref(), Some("realm"));
        let kw = &m.objects[login.keywords.unwrap()];
        assert_eq!(keys(kw), ["realm", "scope"]);
        assert_eq!(&src[kw.get("realm").unwrap().key_span.range()], "realm");
        let bearers: Vec<&StringValue> = m.strings.iter().filter(|s| s.text() == format!("Bearer {HOLE}")).collect();
        assert_eq!(bearers.len(), 3);
        for b in &bearers {
            assert_eq!(&src[b.holes().next().unwrap().span(&m).range()], "idToken");
        }
        // The header is reached by the request built with it, as a string.
        let msg = m.calls.iter().position(|c| c.callee == "HttpRequestMessage").unwrap();
        let reach = crate::rules::request::reach_of(&m, msg);
        assert!(reach.strings.iter().any(|&s| m.strings[s].text() == format!("Bearer {HOLE}")));
        let binding = m.bindings.iter().find(|b| b.name == "client.DefaultRequestHeaders.Authorization").unwrap();
        assert!(m.string_of(&binding.value).is_some_and(|s| s.text() == format!("Bearer {HOLE}")));
    }

    #[test]
    fn bindings_scopes_and_comments() {
        let src = r#"// Legacy login.
public class AuthService {
    private const string RoPath = "/oauth/ro";
    private static readonly string Domain = "acme.auth0.com";
    public string TokenUrl { get; } = "https://" + Domain + RoPath;
    public string Other => "x";
    /* constructor */
    public AuthService() { this.Base = "y"; }
    public void Login() { var url = TokenUrl; Func<int> f = () => { return 1; }; }
}"#;
        let m = lower(src);
        assert_eq!(m.comments.len(), 2);
        assert_eq!(m.scopes.len(), 4);
        let names: Vec<&str> = m.bindings.iter().map(|b| b.name.as_str()).collect();
        for name in ["RoPath", "Domain", "TokenUrl", "Other", "this.Base", "url", "f"] {
            assert!(names.contains(&name), "{name} in {names:?}");
        }
        assert!(texts(&m).contains(&"https://acme.auth0.com/oauth/ro".to_string()), "{:?}", texts(&m));
    }
}
