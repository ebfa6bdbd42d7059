//! PHP: the tree-sitter grammar, its facts query, its escape rules, and the pass that
//! completes what the query cannot say.
//!
//! The extra pass:
//! - rebuilds callee paths with `->` and `::` written `.` (`$auth->authorize_with_ro` is
//!   `auth.authorize_with_ro`, `new \Auth0\SDK\API\Authentication` constructs
//!   `Auth0.SDK.API.Authentication`), with the receiver call of chained calls;
//! - makes each interpolated expression (`"$idToken"`, `"{$this->token}"`) a whole hole;
//! - moves heredoc and nowdoc bodies to where they are used, without the indentation of
//!   the closing marker;
//! - turns arrays without keys into arrays of values (header lists);
//! - binds class constants and properties under the names code uses for them
//!   (`self.RO`, `$this.url`), and `define('NAME', value)`;
//! - reads an `Authorization: Bearer ...` header line (a curl header list, a stream
//!   context's `header`) as the object `{authorization: "Bearer ..."}` held by its string,
//!   so its value is a string like any other header value.

use std::collections::HashMap;
use std::sync::OnceLock;

use tree_sitter::{Node, Tree};

use super::ruby::{
    calls_by_span, collect, header_values, insert_hole, line_start, normalize_names, push_call, replace_tokens,
    rewrite_values, span, trim_parts, value_at,
};
use super::treesitter::{compact, Grammar};
use crate::model::{Binding, Expr, FileModel, Part, Value};
use crate::source::Span;

/// PHP's sprintf placeholders: printf's, with `%1$s` argument numbers and `%'*10s` pads.
const FORMAT: &str = r"%(?:\d+\$)?[-+ 0#]*(?:'.)?(?:\d+|\*)?(?:\.(?:\d+|\*))?[A-Za-z%]";

/// Expressions the query captures as interpolations in a double-quoted string or heredoc.
const INTERPOLATED: &[&str] = &[
    "variable_name",
    "dynamic_variable_name",
    "member_access_expression",
    "nullsafe_member_access_expression",
    "subscript_expression",
    "scoped_property_access_expression",
    "class_constant_access_expression",
];

/// Calls interpolated in a string (`"{$session->get('id_token')}"`): they are calls of
/// the model, which the extra pass puts in their string as holes.
const INTERPOLATED_CALLS: &[&str] = &[
    "member_call_expression",
    "nullsafe_member_call_expression",
    "function_call_expression",
    "scoped_call_expression",
];

/// The node kinds the extra pass reads.
const KINDS: &[&str] = &[
    "function_call_expression",
    "member_call_expression",
    "nullsafe_member_call_expression",
    "scoped_call_expression",
    "object_creation_expression",
    "encapsed_string",
    "heredoc_body",
    "heredoc",
    "nowdoc",
    "array_creation_expression",
    "const_element",
    "property_element",
];

pub(super) fn grammar() -> &'static Grammar {
    static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
    GRAMMAR.get_or_init(|| {
        Grammar::new(
            tree_sitter_php::LANGUAGE_PHP.into(),
            include_str!("queries/php.scm"),
            super::escapes::c_like,
            Some(FORMAT),
        )
        .with_extra(extra)
        .with_pair_separator(" => ")
        .with_env_lookup("getenv('{name}')")
        .with_concatenation(" . ")
    })
}

fn extra(tree: &Tree, source: &str, model: &mut FileModel) {
    let mut nodes = Vec::new();
    collect(tree.root_node(), KINDS, &mut nodes);
    callees(model, source, &nodes);
    interpolations(model, source, &nodes);
    interpolated_calls(model, source, &nodes);
    heredocs(model, source, &nodes);
    lists(model, source, &nodes);
    class_members(model, source, &nodes);
    defines(model, source, &nodes);
    constructors_without_arguments(model, source, &nodes);
    normalize_names(model, php_name);
    header_values(model, source);
}

/// PHP names as the model writes paths: `$this->url` is `$this.url`, `self::RO` is
/// `self.RO`, `\Foo\BAR` is `Foo.BAR`.
fn php_name(text: &str) -> String {
    let text = text.replace("?->", ".").replace("->", ".").replace("::", ".");
    let text = text.strip_prefix('\\').unwrap_or(&text);
    if text.contains('\\') && !text.contains(['\'', '"']) {
        text.replace('\\', ".")
    } else {
        text.to_string()
    }
}

/// The dotted path of a callee or receiver, without `$`: `$this->client` →
/// `this.client`, `\Auth0\SDK\API\Authentication` → `Auth0.SDK.API.Authentication`,
/// `$a->b()->c` → `a.b().c`.
fn path(node: Node, source: &str, depth: usize) -> String {
    let text = &source[node.byte_range()];
    if depth > 64 {
        return compact(text);
    }
    let field = |name: &str| node.child_by_field_name(name);
    let sub = |n: Option<Node>| n.map_or(String::new(), |n| path(n, source, depth + 1));
    match node.kind() {
        "name" | "relative_scope" => text.to_string(),
        "variable_name" => text.trim_start_matches('$').to_string(),
        "qualified_name" | "namespace_name" => {
            let mut cursor = node.walk();
            let names: Vec<&str> = node
                .named_children(&mut cursor)
                .flat_map(|c| match c.kind() {
                    "namespace_name" => {
                        let mut inner = c.walk();
                        c.named_children(&mut inner).map(|n| &source[n.byte_range()]).collect::<Vec<_>>()
                    }
                    _ => vec![&source[c.byte_range()]],
                })
                .collect();
            names.join(".")
        }
        "member_access_expression" | "nullsafe_member_access_expression" => {
            format!("{}.{}", sub(field("object")), sub(field("name")))
        }
        "scoped_property_access_expression" => format!("{}.{}", sub(field("scope")), sub(field("name"))),
        "class_constant_access_expression" => {
            let first = node.named_child(0);
            let last = node.named_child(node.named_child_count().saturating_sub(1));
            format!("{}.{}", sub(first), sub(last))
        }
        "member_call_expression" | "nullsafe_member_call_expression" => {
            format!("{}.{}()", sub(field("object")), sub(field("name")))
        }
        "scoped_call_expression" => format!("{}.{}()", sub(field("scope")), sub(field("name"))),
        "function_call_expression" => format!("{}()", sub(field("function"))),
        "parenthesized_expression" => match node.named_child(0) {
            Some(inner) if node.named_child_count() == 1 => path(inner, source, depth + 1),
            _ => compact(text),
        },
        _ => php_name(&compact(text)),
    }
}

/// The node that names what a callee path ends with: the last name of a qualified name.
fn last_name(node: Node) -> Node {
    if node.kind() == "qualified_name" {
        let mut cursor = node.walk();
        if let Some(name) = node.named_children(&mut cursor).filter(|c| c.kind() == "name").last() {
            return name;
        }
    }
    node
}

/// The class node of `new X(...)`.
fn class_of(node: Node) -> Option<Node> {
    let mut cursor = node.walk();
    let class = node
        .named_children(&mut cursor)
        .find(|c| matches!(c.kind(), "name" | "qualified_name" | "variable_name" | "relative_scope"));
    class
}

fn callees(model: &mut FileModel, source: &str, nodes: &[Node]) {
    let by_span = calls_by_span(model);
    for node in nodes {
        let (callee, name, receiver) = match node.kind() {
            "function_call_expression" => {
                let Some(function) = node.child_by_field_name("function") else { continue };
                (path(function, source, 0), last_name(function), None)
            }
            "member_call_expression" | "nullsafe_member_call_expression" | "scoped_call_expression" => {
                let object = node.child_by_field_name("object").or_else(|| node.child_by_field_name("scope"));
                let Some(name) = node.child_by_field_name("name") else { continue };
                let prefix = object.map(|o| format!("{}.", path(o, source, 0))).unwrap_or_default();
                (format!("{prefix}{}", &source[name.byte_range()]), name, object)
            }
            "object_creation_expression" => {
                let Some(class) = class_of(*node) else { continue };
                (path(class, source, 0), last_name(class), None)
            }
            _ => continue,
        };
        let Some(&id) = by_span.get(&span(*node)) else { continue };
        model.calls[id].callee = callee;
        model.calls[id].name_span = span(name);
        model.calls[id].receiver = receiver.and_then(|r| by_span.get(&span(r)).copied());
    }
}

/// The expressions interpolated in double-quoted strings and heredocs, with their string.
fn interpolated<'a, 't>(nodes: &'a [Node<'t>]) -> impl Iterator<Item = (Node<'t>, Node<'t>)> + 'a {
    nodes.iter().filter(|n| matches!(n.kind(), "encapsed_string" | "heredoc_body")).flat_map(|string| {
        let mut cursor = string.walk();
        let children: Vec<Node> = string.named_children(&mut cursor).collect();
        children.into_iter().map(move |child| (child, *string))
    })
}

/// `"Bearer $idToken"`, `"{$this->user->token}"`: the hole is the whole expression (the
/// query can only give it the expression's first part).
fn interpolations(model: &mut FileModel, source: &str, nodes: &[Node]) {
    let mut by_first: HashMap<Span, Node> = HashMap::new();
    for node in interpolated(nodes).filter(|(n, _)| INTERPOLATED.contains(&n.kind())).map(|(n, _)| n) {
        let mut cursor = node.walk();
        let first = node.named_children(&mut cursor).find(|c| !c.is_extra());
        if let Some(first) = first {
            by_first.insert(span(first), node);
        }
    }
    if by_first.is_empty() {
        return;
    }
    let mut fixes = Vec::new();
    for (id, string) in model.strings.iter().enumerate() {
        for (index, part) in string.parts.iter().enumerate() {
            if let Part::Hole(value) = part {
                if let Some(node) = by_first.get(&value.span(model)) {
                    fixes.push((id, index, *node));
                }
            }
        }
    }
    for (id, index, node) in fixes {
        let value = match node.kind() {
            // `${name}` is `$name`.
            "dynamic_variable_name" => match node.named_child(0).filter(|n| n.kind() == "name") {
                Some(name) => Value::Expr(Expr { span: span(node), text: format!("${}", &source[name.byte_range()]) }),
                None => value_at(model, node, source),
            },
            _ => value_at(model, node, source),
        };
        model.strings[id].parts[index] = Part::Hole(Box::new(value));
    }
}

/// `"Bearer {$session->get('id_token')}"`: the call becomes a hole between the literal
/// text around it.
fn interpolated_calls(model: &mut FileModel, source: &str, nodes: &[Node]) {
    let calls: Vec<(Node, Node)> =
        interpolated(nodes).filter(|(n, _)| INTERPOLATED_CALLS.contains(&n.kind())).collect();
    for (node, parent) in calls {
        // The braces of `{$...}` go with the call.
        let bytes = source.as_bytes();
        let braced = node.start_byte() > 0 && bytes[node.start_byte() - 1] == b'{';
        let region = Span::new(
            node.start_byte() - usize::from(braced),
            node.end_byte() + usize::from(braced && bytes.get(node.end_byte()) == Some(&b'}')),
        );
        let value = value_at(model, node, source);
        insert_hole(model, span(parent), region, value);
    }
}

/// Heredoc and nowdoc bodies without the closing marker's indentation (PHP 7.3), used
/// wherever the heredoc is.
fn heredocs(model: &mut FileModel, source: &str, nodes: &[Node]) {
    let mut replacements = HashMap::new();
    for node in nodes.iter().filter(|n| matches!(n.kind(), "heredoc" | "nowdoc")) {
        let Some(body) = node.child_by_field_name("value") else { continue };
        let Some(id) = model.strings.iter().position(|s| s.span == span(body)) else { continue };
        if let Some(end) = node.child_by_field_name("end_tag") {
            let start = line_start(source, end.start_byte());
            let indent = &source[start..end.start_byte()];
            if !indent.is_empty() && indent.chars().all(|c| c == ' ' || c == '\t') {
                let keep = Span::new(body.start_byte(), body.end_byte());
                let parts = trim_parts(&model.strings[id].parts, source, keep, indent.len());
                model.strings[id].parts = parts;
            }
        }
        replacements.insert(span(*node), id);
    }
    replace_tokens(model, &replacements);
}

/// `['Content-Type: application/json', "Authorization: Bearer $token"]` is a list of
/// values, not an object.
fn lists(model: &mut FileModel, source: &str, nodes: &[Node]) {
    let mut arrays: HashMap<Span, Value> = HashMap::new();
    // Inner lists first, so that a list of lists holds arrays.
    for node in nodes.iter().rev().filter(|n| n.kind() == "array_creation_expression") {
        let mut cursor = node.walk();
        let elements: Vec<Node> =
            node.named_children(&mut cursor).filter(|c| c.kind() == "array_element_initializer").collect();
        let keyed = elements.iter().any(|e| {
            let mut inner = e.walk();
            let has_arrow = e.children(&mut inner).any(|c| c.kind() == "=>");
            has_arrow
        });
        if keyed || elements.is_empty() {
            continue;
        }
        let items = elements
            .iter()
            .filter_map(|e| e.named_child(0))
            .map(|item| match arrays.get(&span(item)) {
                Some(list) => list.clone(),
                None => value_at(model, item, source),
            })
            .collect();
        arrays.insert(span(*node), Value::Array(items, span(*node)));
    }
    if arrays.is_empty() {
        return;
    }
    let objects: HashMap<usize, Value> = model
        .objects
        .iter()
        .enumerate()
        .filter_map(|(id, o)| arrays.get(&o.span).filter(|_| o.entries.is_empty()).map(|v| (id, v.clone())))
        .collect();
    rewrite_values(model, &mut |value| match value {
        Value::Object(id) => objects.get(id).cloned(),
        _ => None,
    });
}

/// Class constants are used as `self::X`, `static::X` and `Cls::X`; properties as
/// `$this->x` and, when static, `self::$x`.
fn class_members(model: &mut FileModel, source: &str, nodes: &[Node]) {
    let mut extra = Vec::new();
    for node in nodes.iter().filter(|n| matches!(n.kind(), "const_element" | "property_element")) {
        let class = std::iter::successors(node.parent(), |n| n.parent()).find(|n| {
            matches!(n.kind(), "class_declaration" | "trait_declaration" | "interface_declaration" | "enum_declaration")
        });
        let Some(class) = class else { continue };
        let class_name = class.child_by_field_name("name").map(|n| source[n.byte_range()].to_string());
        let Some(index) = model.bindings.iter().position(|b| b.span == span(*node)) else { continue };
        let name = model.bindings[index].name.clone();
        let names: Vec<String> = if node.kind() == "const_element" {
            let mut names = vec![format!("self.{name}"), format!("static.{name}")];
            names.extend(class_name.map(|c| format!("{c}.{name}")));
            names
        } else {
            let bare = name.trim_start_matches('$');
            model.bindings[index].name = format!("$this.{bare}");
            let mut names = vec![format!("self.{name}"), format!("static.{name}")];
            names.extend(class_name.map(|c| format!("{c}.{name}")));
            names
        };
        for alias in names {
            extra.push(Binding { name: alias, value: model.bindings[index].value.clone(), span: span(*node) });
        }
    }
    model.bindings.extend(extra);
}

/// `define('RO_PATH', '/oauth/ro')` binds `RO_PATH`.
fn defines(model: &mut FileModel, source: &str, nodes: &[Node]) {
    for node in nodes.iter().filter(|n| n.kind() == "function_call_expression") {
        let function = node.child_by_field_name("function").map(|f| &source[f.byte_range()]);
        if !matches!(function, Some("define" | "\\define")) {
            continue;
        }
        let Some(args) = node.child_by_field_name("arguments") else { continue };
        let mut cursor = args.walk();
        let values: Vec<Node> = args.named_children(&mut cursor).filter_map(|a| a.named_child(0)).collect();
        let [name, value, ..] = values.as_slice() else { continue };
        let Some(name) = model.string_of(&value_at(model, *name, source)).and_then(|s| s.literal_text()) else {
            continue;
        };
        let value = value_at(model, *value, source);
        model.bindings.push(Binding { name, value, span: span(*node) });
    }
}

/// `new Client` without arguments still constructs `Client`.
fn constructors_without_arguments(model: &mut FileModel, source: &str, nodes: &[Node]) {
    for node in nodes.iter().filter(|n| n.kind() == "object_creation_expression") {
        let mut cursor = node.walk();
        if node.named_children(&mut cursor).any(|c| c.kind() == "arguments") {
            continue;
        }
        let Some(class) = class_of(*node) else { continue };
        push_call(model, *node, path(class, source, 0), span(last_name(class)), true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;
    use crate::model::{ObjectKind, HOLE};

    fn lower(src: &str) -> FileModel {
        Language::Php.lower(src).unwrap()
    }

    fn texts(m: &FileModel) -> Vec<String> {
        m.strings.iter().filter(|s| !s.nested).map(|s| s.text()).collect()
    }

    #[test]
    fn the_query_compiles() {
        assert!(Language::Php.lower("<?php $x = 1;").is_ok());
    }

    #[test]
    fn single_and_double_quoted_strings() {
        let src = r#"<?php
$a = 'it\'s \\ C:\new';
$b = "https://{$domain}/oauth/ro\n \d \/ \$x \x41\101";"#;
        let m = lower(src);
        let t = texts(&m);
        assert!(t.contains(&r"it's \ C:\new".to_string()), "{t:?}");
        // PHP keeps unknown escapes (`\d`, `\/`) as written.
        assert!(t.contains(&format!("https://{HOLE}/oauth/ro\n \\d \\/ $x AA")), "{t:?}");
        let s = m.strings.iter().find(|s| s.text().contains("oauth")).unwrap();
        let at = s.text().find("ro\n").unwrap();
        let (lit, x, y) = s.locate(at, at + 2).unwrap();
        assert_eq!(&src[lit.source_span(x, y).range()], "ro");
    }

    #[test]
    fn interpolations_are_whole_expressions() {
        let src = r#"<?php $h = "Bearer $idToken {$this->session->idToken} ${name} $arr[0] {$o->get('id_token')}";"#;
        let m = lower(src);
        let s = m.strings.iter().find(|s| s.text().starts_with("Bearer")).unwrap();
        let holes: Vec<String> = s
            .holes()
            .map(|v| match v {
                Value::Expr(e) => e.text.clone(),
                Value::Call(id) => format!("call {}", m.calls[*id].callee),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(holes, ["$idToken", "$this.session.idToken", "$name", "$arr[0]", "call o.get"]);
    }

    #[test]
    fn interpolated_calls_are_holes_between_their_text() {
        let src = r#"<?php $a = "Bearer {$session->get('id_token')}!"; $b = "{$o->url()}";"#;
        let m = lower(src);
        let a = m.bindings.iter().find(|b| b.name == "$a").unwrap();
        let s = m.string_of(&a.value).unwrap();
        assert_eq!(s.text(), format!("Bearer {HOLE}!"));
        let Some(Value::Call(id)) = s.holes().next() else { panic!() };
        assert_eq!(m.calls[*id].callee, "session.get");
        let (lit, x, y) = s.locate(0, 7).unwrap();
        assert_eq!(&src[lit.source_span(x, y).range()], "Bearer ");
        let (lit, x, y) = s.locate(7 + HOLE.len_utf8(), 8 + HOLE.len_utf8()).unwrap();
        assert_eq!(&src[lit.source_span(x, y).range()], "!");
        let b = m.bindings.iter().find(|b| b.name == "$b").unwrap();
        assert_eq!(m.string_of(&b.value).unwrap().text(), HOLE.to_string());
    }

    #[test]
    fn interpolated_calls_stay_in_their_own_string() {
        let src = r#"<?php $u = 'a' . f("{$o->m()}") . "b{$p->q()}";"#;
        let m = lower(src);
        let u = m.bindings.iter().find(|b| b.name == "$u").unwrap();
        assert_eq!(m.string_of(&u.value).unwrap().text(), format!("a{HOLE}b{HOLE}"));
        let f = m.calls.iter().find(|c| c.callee == "f").unwrap();
        assert_eq!(m.string_of(&f.args[0].value).unwrap().text(), HOLE.to_string());
    }

    #[test]
    fn concatenation_and_sprintf() {
        let m = lower(
            "<?php $a = 'https://' . $domain . '/oauth/ro';\n$b = sprintf('https://%s/oauth/ro', $domain);\n$c = sprintf(\"%1\\$s/%2\\$s\", $d, 'oauth/ro');",
        );
        let t = texts(&m);
        let url = format!("https://{HOLE}/oauth/ro");
        assert_eq!(t.iter().filter(|s| **s == url).count(), 2, "{t:?}");
        assert!(t.contains(&format!("{HOLE}/{HOLE}")), "{t:?}");
        let b = m.bindings.iter().find(|b| b.name == "$b").unwrap();
        let s = m.string_of(&b.value).unwrap();
        let Some(Value::Expr(e)) = s.holes().next() else { panic!() };
        assert_eq!(e.text, "$domain");
    }

    #[test]
    fn heredocs_and_nowdocs() {
        let src = "<?php\nfunction f() {\n    $body = <<<JSON\n        {\"grant_type\": \"password\", \"connection\": \"$conn\"}\n        JSON;\n    $raw = <<<'EOT'\n    raw $x\n    EOT;\n}\n";
        let m = lower(src);
        let body = m.bindings.iter().find(|b| b.name == "$body").unwrap();
        let s = m.string_of(&body.value).expect("heredoc string");
        assert_eq!(s.text(), format!("{{\"grant_type\": \"password\", \"connection\": \"{HOLE}\"}}"));
        let json = m.objects.iter().find(|o| o.kind == ObjectKind::Json).expect("json");
        assert_eq!(&src[json.get("connection").unwrap().key_span.range()], "connection");
        let raw = m.bindings.iter().find(|b| b.name == "$raw").unwrap();
        assert_eq!(m.string_of(&raw.value).unwrap().text(), "raw $x");
    }

    #[test]
    fn arrays_are_objects_with_keys_inside_quotes() {
        let src = "<?php $p = ['grant_type' => 'password', \"connection\" => $c, CURLOPT_URL => $u, 0 => 'x'];\n$q = array('device' => 'd');";
        let m = lower(src);
        let p = m.bindings.iter().find(|b| b.name == "$p").unwrap();
        let Value::Object(id) = p.value else { panic!() };
        let keys: Vec<&str> = m.objects[id].entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["grant_type", "connection", "CURLOPT_URL", "0"]);
        for e in &m.objects[id].entries {
            assert_eq!(&src[e.key_span.range()], e.key);
        }
        let q = m.bindings.iter().find(|b| b.name == "$q").unwrap();
        let Value::Object(id) = q.value else { panic!() };
        assert!(m.objects[id].has("device"));
    }

    #[test]
    fn lists_are_arrays_of_values() {
        let src = "<?php curl_setopt_array($ch, [CURLOPT_HTTPHEADER => ['content-type: application/json', \"authorization: Bearer \" . $idToken]]);";
        let m = lower(src);
        let call = m.calls.iter().find(|c| c.callee == "curl_setopt_array").unwrap();
        let Value::Object(opts) = call.args[1].value else { panic!() };
        let Value::Array(items, _) = &m.objects[opts].get("CURLOPT_HTTPHEADER").unwrap().value else { panic!() };
        assert_eq!(items.len(), 2);
        assert_eq!(m.string_of(&items[1]).unwrap().text(), format!("authorization: Bearer {HOLE}"));
    }

    #[test]
    fn bearer_header_lines_have_their_value_as_a_string() {
        let src = "<?php $h = [\"Authorization: Bearer \" . $idToken, \"Content-Type: application/json\\r\\nAuthorization: Bearer {$tokens['id_token']}\\r\\n\"];";
        let m = lower(src);
        // The header list's strings hold their header as an object, reached with them.
        let headers: Vec<&crate::model::ObjectLiteral> =
            m.strings.iter().filter_map(|s| s.embedded).map(|o| &m.objects[o]).collect();
        assert_eq!(headers.len(), 2);
        assert_eq!(&src[headers[1].get("authorization").unwrap().key_span.range()], "Authorization");
        let values: Vec<&crate::model::StringValue> =
            m.strings.iter().filter(|s| s.text().starts_with("Bearer ")).collect();
        assert_eq!(values.len(), 2, "{:?}", texts(&m));
        assert_eq!(values[0].text(), format!("Bearer {HOLE}"));
        assert_eq!(&src[values[0].span.range()], "Bearer \" . $idToken");
        assert_eq!(values[1].text(), format!("Bearer {HOLE}"));
        let Some(Value::Expr(e)) = values[1].holes().next() else { panic!() };
        assert_eq!(e.text, "$tokens['id_token']");
    }

    #[test]
    fn callee_paths() {
        let src = "<?php\n$auth = new \\Auth0\\SDK\\API\\Authentication($domain, $clientId);\n$auth->authorize_with_ro($u, $p);\n$this->client?->post($url, ['json' => $x]);\nFoo\\Bar::create(1);\n$client = new Client;\n\\curl_init($url);\n$b->path('oauth')->path('ro');";
        let m = lower(src);
        let callees: Vec<&str> = m.calls.iter().map(|c| c.callee.as_str()).collect();
        for want in [
            "Auth0.SDK.API.Authentication",
            "auth.authorize_with_ro",
            "this.client.post",
            "Foo.Bar.create",
            "Client",
            "curl_init",
            "b.path",
            "b.path().path",
        ] {
            assert!(callees.contains(&want), "{want} in {callees:?}");
        }
        let new = m.calls.iter().find(|c| c.callee == "Auth0.SDK.API.Authentication").unwrap();
        assert!(new.is_new);
        assert_eq!(&src[new.name_span.range()], "Authentication");
        let ro = m.calls.iter().find(|c| c.callee == "auth.authorize_with_ro").unwrap();
        assert_eq!(&src[ro.name_span.range()], "authorize_with_ro");
        assert!(m.constructs("Client"));
        let chained = m.calls.iter().find(|c| c.callee == "b.path().path").unwrap();
        assert_eq!(m.calls[chained.receiver.unwrap()].callee, "b.path");
    }

    #[test]
    fn named_arguments_are_keywords() {
        let m = lower("<?php $client->request('POST', $url, json: ['grant_type' => 'password']);");
        let call = m.calls.iter().find(|c| c.callee == "client.request").unwrap();
        let kw = &m.objects[call.keywords.unwrap()];
        assert!(kw.has("json"));
        assert_eq!(call.args[2].label.as_deref(), Some("json"));
    }

    #[test]
    fn bindings_constants_properties_and_defines() {
        let src = "<?php\ndefine('AUTH0_RO', '/oauth/ro');\nclass Login {\n    const RO_PATH = '/oauth/ro';\n    private $url = 'https://t.auth0.com/oauth/ro';\n    public function go() {\n        $this->token = $tokens['id_token'];\n        return [self::RO_PATH, $this->url, AUTH0_RO, Login::RO_PATH];\n    }\n}";
        let m = lower(src);
        let names: Vec<&str> = m.bindings.iter().map(|b| b.name.as_str()).collect();
        for want in ["AUTH0_RO", "RO_PATH", "self.RO_PATH", "Login.RO_PATH", "$this.url", "$this.token"] {
            assert!(names.contains(&want), "{want} in {names:?}");
        }
        let at = Span::new(src.find("return").unwrap(), src.find("return").unwrap() + 1);
        for name in ["self.RO_PATH", "$this.url", "AUTH0_RO", "Login.RO_PATH"] {
            let value = Value::Expr(Expr { span: at, text: name.into() });
            let s = m.string_of(&value).unwrap_or_else(|| panic!("{name} resolves"));
            assert!(s.text().ends_with("/oauth/ro"), "{name}");
        }
    }

    #[test]
    fn comments_and_scopes() {
        let src = "<?php\n// POST /oauth/ro\n# old\n/* block */\nfunction login() { return 1; }\n$f = function () { return 2; };\nclass A { public function m() {} }\n";
        let m = lower(src);
        assert_eq!(m.comments.len(), 3);
        assert!(m.scopes.iter().any(|s| src[s.range()].starts_with("function login")));
        assert!(m.scopes.iter().any(|s| src[s.range()].starts_with("public function m")));
        assert!(m.scopes.iter().any(|s| s.start == 0));
    }
}
