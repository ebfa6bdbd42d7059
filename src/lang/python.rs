//! Python: the tree-sitter grammar, its facts query, its escape rules and a pass for what
//! the query cannot say.
//!
//! In tree-sitter-python the escapes of a string are children of its `string_content`
//! node, not of the string, so the query takes each content piece as written (exact
//! spans) and [`extra`] decodes it afterwards: backslash escapes (none in raw strings),
//! f-string `{{`/`}}`, and the `{{`/`}}` or `%%` of a `.format` or `%` template. The same
//! pass treats bare string statements (docstrings) as documentation, not values, makes attributes
//! assigned in a class (`self.url = ...`, class constants) visible to all its methods,
//! and marks calls of classes (`Database(domain)`) as constructions.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use tree_sitter::{Node, Tree};

use super::treesitter::{descendants, Grammar, BRACES, PRINTF};
use crate::model::{Arg, Binding, Expr, FileModel, Literal, Part, Quoting, Value};
use crate::source::Span;

pub(super) fn grammar() -> &'static Grammar {
    static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
    GRAMMAR.get_or_init(|| {
        // `%` templates and `.format` templates share the one placeholder pattern.
        let placeholder = format!("{PRINTF}|{BRACES}");
        Grammar::new(
            tree_sitter_python::LANGUAGE.into(),
            include_str!("queries/python.scm"),
            unescape,
            Some(&placeholder),
        )
        .with_concatenation(" + ")
        .with_extra(extra)
        .with_env_lookup("os.environ[\"{name}\"]")
    })
}

/// Decodes one Python escape sequence of a `str` or `bytes` literal; `None` for a
/// backslash Python keeps as written (`\8`, `\N{...}`).
fn unescape(raw: &str) -> Option<String> {
    let body = raw.strip_prefix('\\')?;
    let first = body.chars().next()?;
    let decoded = match first {
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'b' => '\u{8}',
        'f' => '\u{c}',
        'v' => '\u{b}',
        'a' => '\u{7}',
        '\\' | '\'' | '"' => first,
        '\n' | '\r' => return Some(String::new()), // line continuation
        'x' if body.len() == 3 => char::from_u32(u32::from_str_radix(&body[1..], 16).ok()?)?,
        'u' if body.len() == 5 => char::from_u32(u32::from_str_radix(&body[1..], 16).ok()?)?,
        'U' if body.len() == 9 => char::from_u32(u32::from_str_radix(&body[1..], 16).ok()?)?,
        '0'..='7' if body.len() <= 3 => char::from_u32(u32::from_str_radix(body, 8).ok()?)?,
        _ => return None,
    };
    Some(decoded.to_string())
}

/// How a string literal is written.
#[derive(Clone, Copy, Debug)]
struct Flavor {
    quote: char,
    raw: bool,
    /// The template of a `.format` call: `{{` and `}}` stand for one brace.
    braces: bool,
    /// The template of a `%` operator: `%%` stands for one percent sign.
    percent: bool,
}

/// One `string_content` node: its span, how its string is written, and the source
/// spans that do not stand for themselves with what they decode to.
struct Content {
    span: Span,
    flavor: Flavor,
    escapes: Vec<(Span, String)>,
}

impl Content {
    /// The literal for the source range `span` of this content (a whole piece, or the
    /// slice of a format template between two placeholders).
    fn decode(&self, span: Span, source: &str) -> Literal {
        let mut text = String::new();
        let mut map = Vec::new();
        let mut at = span.start;
        for (escape, decoded) in &self.escapes {
            if escape.start < span.start || escape.end > span.end {
                continue;
            }
            text.push_str(&source[at..escape.start]);
            map.push((text.len(), escape.start));
            text.push_str(decoded);
            map.push((text.len(), escape.end));
            at = escape.end;
        }
        text.push_str(&source[at..span.end]);
        let mut lit = Literal::plain(text, span, Quoting::Quoted(self.flavor.quote));
        lit.map = normalize_map(span.start, map);
        lit
    }
}

/// Keeps one entry per text offset (the last) and only the entries where the offset
/// between text and source changes, as [`Literal::map`] expects.
fn normalize_map(start: usize, map: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let mut unique: Vec<(usize, usize)> = Vec::with_capacity(map.len());
    for entry in map {
        match unique.last_mut() {
            Some(last) if last.0 == entry.0 => *last = entry,
            _ => unique.push(entry),
        }
    }
    let mut delta = 0isize;
    unique.retain(|&(t, s)| {
        let d = s as isize - (start + t) as isize;
        let keep = d != delta;
        delta = d;
        keep
    });
    unique
}

fn span(node: Node) -> Span {
    Span::new(node.start_byte(), node.end_byte())
}

fn children(node: Node) -> Vec<Node> {
    let mut cursor = node.walk();
    node.children(&mut cursor).collect()
}

fn named_children(node: Node) -> Vec<Node> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).collect()
}

/// The strings that are templates: of a `.format` call (`{{` is one brace) and of a `%`
/// operator (`%%` is one percent sign), through implicit concatenation and parentheses.
/// Found top-down, since a node's parent costs a walk from the root in tree-sitter.
struct Templates {
    braces: HashSet<usize>,
    percent: HashSet<usize>,
}

fn templates(nodes: &[Node], source: &str) -> Templates {
    let mut found = Templates { braces: HashSet::new(), percent: HashSet::new() };
    for node in nodes {
        let (template, set) = match node.kind() {
            "call" => {
                let Some(function) = node.child_by_field_name("function").filter(|f| f.kind() == "attribute") else {
                    continue;
                };
                let is_format =
                    function.child_by_field_name("attribute").is_some_and(|a| &source[a.byte_range()] == "format");
                match function.child_by_field_name("object") {
                    Some(object) if is_format => (object, &mut found.braces),
                    _ => continue,
                }
            }
            "binary_operator" => {
                let is_percent = node.child_by_field_name("operator").is_some_and(|o| o.kind() == "%");
                match node.child_by_field_name("left") {
                    Some(left) if is_percent => (left, &mut found.percent),
                    _ => continue,
                }
            }
            _ => continue,
        };
        let mut stack = vec![template];
        while let Some(n) = stack.pop() {
            match n.kind() {
                "string" => {
                    set.insert(n.id());
                }
                "concatenated_string" | "parenthesized_expression" => stack.extend(named_children(n)),
                _ => {}
            }
        }
    }
    found
}

/// The flavor of a `string` node from its prefix and delimiter.
fn flavor(string: Node, source: &str, templates: &Templates) -> Flavor {
    let text = &source[string.byte_range()];
    let quote_at = text.find(['\'', '"']).unwrap_or(0);
    let prefix = text[..quote_at].to_ascii_lowercase();
    let fstring = prefix.contains('f') || prefix.contains('t');
    Flavor {
        quote: text[quote_at..].chars().next().unwrap_or('"'),
        raw: prefix.contains('r'),
        braces: templates.braces.contains(&string.id()) && !fstring,
        percent: templates.percent.contains(&string.id()),
    }
}

/// The decoding of every string content of the file.
fn contents(nodes: &[Node], source: &str) -> Vec<Content> {
    let templates = templates(nodes, source);
    let mut found = Vec::new();
    for &string in nodes.iter().filter(|n| n.kind() == "string") {
        let flavor = flavor(string, source, &templates);
        for content in children(string).into_iter().filter(|c| c.kind() == "string_content") {
            let mut escapes = Vec::new();
            for piece in named_children(content) {
                match piece.kind() {
                    "escape_sequence" if !flavor.raw => {
                        if let Some(decoded) = unescape(&source[piece.byte_range()]) {
                            escapes.push((span(piece), decoded));
                        }
                    }
                    "escape_interpolation" => {
                        let brace = &source[piece.start_byte()..piece.start_byte() + 1];
                        escapes.push((span(piece), brace.to_string()));
                    }
                    _ => {}
                }
            }
            // `{{` `}}` of a `.format` template and `%%` of a `%` template, outside escapes.
            let doubled: &[&str] = if flavor.braces {
                &["{{", "}}"]
            } else if flavor.percent {
                &["%%"]
            } else {
                &[]
            };
            if !doubled.is_empty() {
                let text = &source[content.byte_range()];
                let mut i = 0;
                while i + 1 < text.len() {
                    let at = content.start_byte() + i;
                    let pair = &text[i..i + 2];
                    let inside = escapes.iter().any(|(s, _)| s.start <= at && at < s.end);
                    if doubled.contains(&pair) && !inside {
                        escapes.push((Span::new(at, at + 2), pair[..1].to_string()));
                        i += 2;
                    } else {
                        i += text[i..].chars().next().map_or(1, char::len_utf8);
                    }
                }
            }
            escapes.sort_by_key(|(s, _)| s.start);
            found.push(Content { span: span(content), flavor, escapes });
        }
    }
    found.sort_by_key(|c| c.span.start);
    found
}

/// The content holding a source span, if any.
fn content_of(contents: &[Content], at: Span) -> Option<&Content> {
    let i = contents.partition_point(|c| c.span.start <= at.start);
    let candidate = contents.get(i.checked_sub(1)?)?;
    candidate.span.contains(at).then_some(candidate)
}

/// The span the engine gives the text of a string without pieces (`''`, `""""""`).
fn engine_inner_span(node: Node, source: &str) -> Span {
    let raw = &source[node.byte_range()];
    let open = raw.find(['"', '\'', '`']).map_or(0, |i| i + 1);
    let close = raw.len().saturating_sub(raw.chars().next_back().map_or(0, |c| {
        if matches!(c, '"' | '\'') {
            c.len_utf8()
        } else {
            0
        }
    }));
    Span::new(node.start_byte() + open.min(close), node.start_byte() + close.max(open))
}

/// Python's own lowering pass, after the query's.
fn extra(tree: &Tree, source: &str, model: &mut FileModel) {
    decode_strings(tree, source, model);
    bare_strings_are_documentation(tree, model);
    class_attributes(tree, source, model);
    constructors(model);
    session_headers(tree, source, model);
    model.env_lookup_import = os_import(tree, source);
}

/// Where `import os` goes when the module does not import `os` yet: before its first
/// statement after the docstring and the `from __future__` imports, which must come first.
fn os_import(tree: &Tree, source: &str) -> Option<(usize, String)> {
    let root = tree.root_node();
    let mut cursor = root.walk();
    let statements: Vec<Node> = root.named_children(&mut cursor).filter(|n| n.kind() != "comment").collect();
    let imports_os = |node: &Node| {
        let mut cursor = node.walk();
        let names: Vec<Node> = node.children_by_field_name("name", &mut cursor).collect();
        names.iter().any(|name| match name.kind() {
            "dotted_name" => {
                let text = &source[name.byte_range()];
                text == "os" || text.starts_with("os.")
            }
            "aliased_import" => name.child_by_field_name("alias").is_some_and(|a| &source[a.byte_range()] == "os"),
            _ => false,
        })
    };
    if statements.iter().any(|s| s.kind() == "import_statement" && imports_os(s)) {
        return None;
    }
    let is_docstring = |node: &Node| {
        node.kind() == "expression_statement" && node.named_child(0).is_some_and(|c| c.kind() == "string")
    };
    let first = statements
        .iter()
        .enumerate()
        .find(|(i, s)| !(s.kind() == "future_import_statement" || (*i == 0 && is_docstring(s))))
        .map(|(_, s)| *s)?;
    // The start of the statement's line: module-level statements start at column 0.
    let at = source[..first.start_byte()].rfind('\n').map_or(0, |i| i + 1);
    Some((at, "import os\n".to_string()))
}

/// The methods of a `requests.Session`, `httpx.Client` or `aiohttp.ClientSession` that
/// send a request.
const REQUEST_METHODS: [&str; 9] = ["get", "post", "put", "patch", "delete", "head", "options", "request", "send"];

/// Default headers of a session or client object travel with every request made on it:
/// `s.headers.update({...})`, `s.headers["Authorization"] = ...`, `s.headers = {...}`,
/// `s = httpx.Client(headers={...})`. Each request call on the same object (`s.post(...)`,
/// in the same function, or in the same class for `self.s`) gets them as one more
/// `headers` argument, so what it sends includes them.
fn session_headers(tree: &Tree, source: &str, model: &mut FileModel) {
    let nodes = descendants(tree.root_node());
    let classes: Vec<Span> = nodes.iter().filter(|n| n.kind() == "class_definition").map(|n| span(*n)).collect();
    // Where a header source applies: the innermost class for `self.x` / `cls.x`, else the
    // innermost function (or the module).
    let region = |model: &FileModel, path: &str, at: Span| -> Option<Span> {
        if path.starts_with("self.") || path.starts_with("cls.") {
            classes.iter().filter(|c| c.contains(at)).min_by_key(|c| c.len()).copied()
        } else {
            model.scope_of(at)
        }
    };
    let mut sources: Vec<(String, Option<Span>, Value)> = Vec::new();
    for call in &model.calls {
        if let Some(object) = call.callee.strip_suffix(".headers.update") {
            if let Some(arg) = call.args.first() {
                sources.push((object.to_string(), region(model, object, call.span), arg.value.clone()));
            }
        }
    }
    for binding in model.bindings.iter().filter(|b| !b.span.is_empty()) {
        if let Some(object) = binding.name.strip_suffix(".headers") {
            sources.push((object.to_string(), region(model, object, binding.span), binding.value.clone()));
        } else if let Value::Call(id) = binding.value {
            let headers = model.calls[id].keywords.and_then(|k| model.objects[k].get("headers"));
            if let Some(entry) = headers {
                let name = &binding.name;
                sources.push((name.clone(), region(model, name, binding.span), entry.value.clone()));
            }
        }
    }
    // `s.headers["Authorization"] = value`
    for node in nodes.iter().filter(|n| n.kind() == "assignment") {
        let (Some(left), Some(right)) = (node.child_by_field_name("left"), node.child_by_field_name("right")) else {
            continue;
        };
        let Some(target) = left.child_by_field_name("value").filter(|_| left.kind() == "subscript") else {
            continue;
        };
        let path = super::treesitter::compact(&source[target.byte_range()]);
        let Some(object) = path.strip_suffix(".headers") else {
            continue;
        };
        let value = value_at(model, source, right);
        sources.push((object.to_string(), region(model, object, span(*node)), value));
    }
    if sources.is_empty() {
        return;
    }
    for id in 0..model.calls.len() {
        let call = &model.calls[id];
        let segments = call.segments();
        let Some((method, object)) = segments.split_last() else {
            continue;
        };
        if object.is_empty() || !REQUEST_METHODS.contains(method) {
            continue;
        }
        let object = object.join(".");
        let here = region(model, &object, call.span);
        let extra: Vec<Arg> = sources
            .iter()
            .filter(|(path, at, _)| *path == object && *at == here)
            .map(|(_, _, value)| Arg {
                label: Some("headers".to_string()),
                value: value.clone(),
                span: value.span(model),
            })
            .collect();
        model.calls[id].args.extend(extra);
    }
}

/// The model's value for a node: the string, object or call lowered at its span, else
/// the expression.
fn value_at(model: &FileModel, source: &str, node: Node) -> Value {
    let at = span(node);
    if let Some(id) = model.strings.iter().position(|s| s.span == at && !s.nested) {
        return Value::String(id);
    }
    if let Some(id) = model.objects.iter().position(|o| o.span == at) {
        return Value::Object(id);
    }
    if let Some(id) = model.calls.iter().position(|c| c.span == at) {
        return Value::Call(id);
    }
    let text = &source[node.byte_range()];
    Value::Expr(Expr {
        span: at,
        text: if text.len() > 240 { String::new() } else { super::treesitter::compact(text) },
    })
}

/// Python writes `new Database(domain)` as `Database(domain)`: a call of a name in
/// CapWords (PEP 8's class names) constructs an instance. ALL_CAPS names are constants.
fn constructors(model: &mut FileModel) {
    for call in &mut model.calls {
        let name = call.name().trim_start_matches('_');
        let is_class = name.starts_with(|c: char| c.is_ascii_uppercase()) && name.chars().any(|c| c.is_lowercase());
        if is_class {
            call.is_new = true;
        }
    }
}

/// Decodes the literal pieces the query took as written, and gives empty and
/// triple-quoted empty strings their true (empty) text.
fn decode_strings(tree: &Tree, source: &str, model: &mut FileModel) {
    let nodes = descendants(tree.root_node());
    let contents = contents(&nodes, source);
    // Strings without content: the engine's text between the first and last quote.
    let mut empty: HashMap<Span, Literal> = HashMap::new();
    for &string in nodes.iter().filter(|n| n.kind() == "string") {
        let pieces = children(string);
        if pieces.iter().any(|c| matches!(c.kind(), "string_content" | "interpolation")) {
            continue;
        }
        let Some(start) = pieces.iter().find(|c| c.kind() == "string_start") else {
            continue;
        };
        let at = start.end_byte();
        let text = &source[string.byte_range()];
        let quote = text.chars().find(|c| matches!(c, '\'' | '"')).unwrap_or('"');
        empty.insert(
            engine_inner_span(string, source),
            Literal::plain(String::new(), Span::new(at, at), Quoting::Quoted(quote)),
        );
    }
    let fix = |lit: &mut Literal| {
        if let Some(content) = content_of(&contents, lit.span) {
            let site = lit.site;
            *lit = content.decode(lit.span, source);
            lit.site = site;
        } else if let Some(replacement) = empty.get(&lit.span) {
            if source.get(lit.span.range()) == Some(lit.text.as_str()) {
                *lit = replacement.clone();
            }
        }
    };
    for string in &mut model.strings {
        for part in &mut string.parts {
            if let Part::Literal(lit) = part {
                fix(lit);
            }
        }
    }
    for object in &mut model.objects {
        for entry in &mut object.entries {
            if let Some(content) = content_of(&contents, entry.key_span) {
                if !content.escapes.is_empty() {
                    entry.key = content.decode(entry.key_span, source).text;
                }
            }
        }
    }
}

/// A string alone as a statement (a docstring, a block of notes) is documentation, like
/// a comment: it is no value a request uses, so its text is cleared. It is not listed as a
/// comment: suppression directives belong in `#` comments, whose removal never empties a
/// function body.
fn bare_strings_are_documentation(tree: &Tree, model: &mut FileModel) {
    for statement in descendants(tree.root_node()).into_iter().filter(|n| n.kind() == "expression_statement") {
        let inner = named_children(statement);
        let [string] = inner.as_slice() else {
            continue;
        };
        if !matches!(string.kind(), "string" | "concatenated_string") {
            continue;
        }
        let at = span(*string);
        for value in model.strings.iter_mut().filter(|s| s.span == at) {
            value.parts.clear();
        }
    }
}

/// Attributes set in a method (`self.url = ...`) and class constants (`URL = ...`) are
/// bound for every method of the class, as `self.x` / `cls.x`, and for the code after the
/// class as `Class.x`: each gets a binding at the start of the class body (an empty span
/// inside the class's scope) or, for `Class.x`, at the start of the class.
fn class_attributes(tree: &Tree, source: &str, model: &mut FileModel) {
    let mut added = Vec::new();
    for class in descendants(tree.root_node()).into_iter().filter(|n| n.kind() == "class_definition") {
        let (Some(body), Some(name)) = (class.child_by_field_name("body"), class.child_by_field_name("name")) else {
            continue;
        };
        let class_name = &source[name.byte_range()];
        let body_span = span(body);
        let at_body = Span::new(body_span.start, body_span.start);
        let at_class = Span::new(class.start_byte(), class.start_byte());
        // Attributes of classes nested in this one belong to them.
        let nested_classes: Vec<Span> =
            all_nodes_in(body).into_iter().filter(|n| n.kind() == "class_definition").map(span).collect();
        let mut seen: Vec<String> = Vec::new();
        for binding in &model.bindings {
            if !body_span.contains(binding.span)
                || nested_classes.iter().any(|c| c.contains(binding.span))
                || matches!(binding.value, Value::Other(_))
            {
                continue;
            }
            let in_method = model.scope_of(binding.span).is_some_and(|s| s != body_span);
            let names: Vec<(String, Span)> = if let Some(attr) = binding.name.strip_prefix("self.") {
                if !in_method || attr.contains('.') {
                    continue;
                }
                vec![(binding.name.clone(), at_body)]
            } else if !in_method && !binding.name.contains('.') {
                vec![
                    (format!("self.{}", binding.name), at_body),
                    (format!("cls.{}", binding.name), at_body),
                    (format!("{class_name}.{}", binding.name), at_class),
                ]
            } else {
                continue;
            };
            for (name, at) in names {
                if seen.contains(&name) {
                    continue;
                }
                seen.push(name.clone());
                added.push(Binding { name, value: binding.value.clone(), span: at });
            }
        }
    }
    model.bindings.extend(added);
}

fn all_nodes_in(node: Node) -> Vec<Node> {
    let mut nodes = Vec::new();
    let mut stack = named_children(node);
    while let Some(n) = stack.pop() {
        stack.extend(named_children(n));
        nodes.push(n);
    }
    nodes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;
    use crate::model::{ObjectKind, StringValue, HOLE};

    fn lower(src: &str) -> FileModel {
        Language::Python.lower(src).unwrap()
    }

    #[test]
    fn env_lookup_needs_os_imported() {
        let m = lower("\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\n\nimport requests\nX = 1\n");
        assert_eq!(m.env_lookup, Some("os.environ[\"{name}\"]"));
        let at = "\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\n\n".len();
        assert_eq!(m.env_lookup_import, Some((at, "import os\n".to_string())));
        assert_eq!(lower("# c\nX = 1\n").env_lookup_import, Some((4, "import os\n".to_string())));
        assert_eq!(lower("import sys, os.path\nX = 1\n").env_lookup_import, None);
        assert_eq!(lower("import os as os\nX = 1\n").env_lookup_import, None);
        assert!(lower("from os import environ\nX = 1\n").env_lookup_import.is_some());
        assert!(lower("import operator\nX = 1\n").env_lookup_import.is_some());
    }

    /// The top-level string values (not those parsed out of JSON or form bodies).
    fn texts(m: &FileModel) -> Vec<String> {
        m.strings.iter().filter(|s| !s.nested).map(StringValue::text).collect()
    }

    fn string_with<'m>(m: &'m FileModel, text: &str) -> &'m StringValue {
        m.strings.iter().find(|s| s.text() == text).unwrap_or_else(|| panic!("no string {text:?} in {:?}", texts(m)))
    }

    /// The source text of the decoded range `[a, b)` of a string.
    fn source_of<'s>(src: &'s str, s: &StringValue, a: usize, b: usize) -> &'s str {
        let (lit, x, y) = s.locate(a, b).expect("one literal piece");
        &src[lit.source_span(x, y).range()]
    }

    #[test]
    fn the_query_compiles() {
        assert!(Language::Python.lower("x = 1\n").is_ok());
        assert_eq!(Language::Python.syntax_errors("x = {'a': f'{b}'}\n"), Some(0));
    }

    #[test]
    fn unescapes_python_sequences() {
        assert_eq!(unescape("\\n").as_deref(), Some("\n"));
        assert_eq!(unescape("\\'").as_deref(), Some("'"));
        assert_eq!(unescape("\\x41").as_deref(), Some("A"));
        assert_eq!(unescape("\\u00e9").as_deref(), Some("é"));
        assert_eq!(unescape("\\U0001F600").as_deref(), Some("😀"));
        assert_eq!(unescape("\\101").as_deref(), Some("A"));
        assert_eq!(unescape("\\\n").as_deref(), Some(""));
        assert_eq!(unescape("\\8"), None);
        assert_eq!(unescape("\\N{BULLET}"), None);
    }

    #[test]
    fn quoted_strings_of_every_kind() {
        let src = "a = 'single'\nb = \"double\"\nc = '''tri\nple'''\nd = \"\"\"x\"\"\"\ne = b'bytes'\nf = ''\ng = \"\"\"\"\"\"\n";
        let m = lower(src);
        let t = texts(&m);
        for want in ["single", "double", "tri\nple", "x", "bytes"] {
            assert!(t.contains(&want.to_string()), "{want:?} in {t:?}");
        }
        assert_eq!(t.iter().filter(|s| s.is_empty()).count(), 2, "{t:?}");
        // Spans are the text inside the delimiters.
        let s = string_with(&m, "tri\nple");
        assert_eq!(source_of(src, s, 0, 3), "tri");
        let empty = m.strings.iter().filter(|s| s.text().is_empty());
        for s in empty {
            let [Part::Literal(lit)] = s.parts.as_slice() else { panic!() };
            assert!(lit.span.is_empty());
            assert!(matches!(&src[lit.span.start - 1..lit.span.start], "'" | "\""));
        }
    }

    #[test]
    fn escapes_are_decoded_and_map_back_to_the_source() {
        let src = r#"url = "https:\x2f/t.auth0.com/oauth\/ro\n"
"#;
        let m = lower(src);
        let s = string_with(&m, "https://t.auth0.com/oauth\\/ro\n");
        let text = s.text();
        let at = text.find("ro").unwrap();
        assert_eq!(source_of(src, s, at, at + 2), "ro");
        assert_eq!(source_of(src, s, 6, 7), "\\x2f");
        let (lit, a, b) = s.locate(6, 7).unwrap();
        assert!(!lit.is_verbatim(a, b));
        assert!(lit.is_verbatim(at, at + 2));
        assert_eq!(lit.quoting, Quoting::Quoted('"'));
    }

    #[test]
    fn raw_strings_keep_their_backslashes() {
        let src = "p = r'^/oauth/ro\\d+$'\nq = R\"a\\nb\"\nr = rb'\\x41'\n";
        let t = texts(&lower(src));
        assert!(t.contains(&"^/oauth/ro\\d+$".to_string()), "{t:?}");
        assert!(t.contains(&"a\\nb".to_string()), "{t:?}");
        assert!(t.contains(&"\\x41".to_string()), "{t:?}");
    }

    #[test]
    fn bytes_decode_their_escapes() {
        let m = lower("body = b'{\\x22a\\x22: 1}'\n");
        assert!(texts(&m).contains(&"{\"a\": 1}".to_string()));
        assert!(m.objects.iter().any(|o| o.kind == ObjectKind::Json && o.has("a")));
    }

    #[test]
    fn f_strings_have_holes_and_decode_doubled_braces() {
        let src = "u = f\"https://{domain}/oauth/ro?x={{y}}&n={n!r:>4}\"\n";
        let m = lower(src);
        let s = string_with(&m, "https://\u{FFFC}/oauth/ro?x={y}&n=\u{FFFC}");
        let holes: Vec<String> = s
            .holes()
            .map(|h| match h {
                Value::Expr(e) => e.text.clone(),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(holes, ["domain", "n"]);
        let text = s.text();
        let at = text.find("{y}").unwrap();
        assert_eq!(source_of(src, s, at, at + 3), "{{y}}");
        let ro = text.find("ro?").unwrap();
        assert_eq!(source_of(src, s, ro, ro + 2), "ro");
    }

    #[test]
    fn implicit_and_plus_concatenation_are_one_value() {
        let src = "A = ('https://' 'tenant.auth0.com'\n     '/oauth/ro')\nB = BASE + '/oauth/' + \"ro\"\nC = 1 + 2\n";
        let m = lower(src);
        let t = texts(&m);
        assert!(t.contains(&"https://tenant.auth0.com/oauth/ro".to_string()), "{t:?}");
        assert!(t.contains(&"\u{FFFC}/oauth/ro".to_string()), "{t:?}");
        let s = string_with(&m, "https://tenant.auth0.com/oauth/ro");
        assert_eq!(source_of(src, s, 24, 33), "/oauth/ro");
        assert!(!t.iter().any(|s| s.contains('1')), "numbers are not strings: {t:?}");
    }

    #[test]
    fn percent_formatting() {
        let src = "a = '%s/oauth/ro' % domain\nb = \"%s://%s/oauth/ro\" % (scheme, host)\nc = '%(d)s/x' % {'d': d}\nd = 'Bearer %s, 100%%' % id_token\n";
        let m = lower(src);
        let t = texts(&m);
        assert!(t.contains(&"\u{FFFC}/oauth/ro".to_string()), "{t:?}");
        assert!(t.contains(&"\u{FFFC}://\u{FFFC}/oauth/ro".to_string()), "{t:?}");
        assert!(t.contains(&"\u{FFFC}/x".to_string()), "{t:?}");
        let s = string_with(&m, "\u{FFFC}://\u{FFFC}/oauth/ro");
        let holes: Vec<String> = s
            .holes()
            .map(|h| match h {
                Value::Expr(e) => e.text.clone(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(holes, ["scheme", "host"]);
        let bearer = string_with(&m, "Bearer \u{FFFC}, 100%");
        let text = bearer.text();
        let pct = text.rfind('%').unwrap();
        assert_eq!(source_of(src, bearer, pct, pct + 1), "%%");
    }

    #[test]
    fn format_method_positional_indexed_and_keyword() {
        let src = "a = '{}/oauth/ro'.format(domain)\nb = 'https://{0}/{1}'.format(host, path)\nc = \"https://{domain}/oauth/ro\".format(domain=AUTH0_DOMAIN)\nd = '{{\"k\": \"{}\"}}'.format(v)\n";
        let m = lower(src);
        let t = texts(&m);
        assert!(t.contains(&"\u{FFFC}/oauth/ro".to_string()), "{t:?}");
        assert!(t.contains(&"https://\u{FFFC}/\u{FFFC}".to_string()), "{t:?}");
        let c = string_with(&m, "https://\u{FFFC}/oauth/ro");
        let hole = c.holes().next().unwrap();
        assert!(matches!(hole, Value::Expr(e) if e.text == "AUTH0_DOMAIN"));
        // `{{` `}}` of a template are one brace, and the JSON in it is parsed.
        let d = string_with(&m, "{\"k\": \"\u{FFFC}\"}");
        assert!(d.embedded.is_some());
        // No `.format` call is left as a call.
        assert!(m.calls.iter().all(|c| c.name() != "format"));
    }

    #[test]
    fn dict_keys_are_spans_inside_the_quotes() {
        let src =
            "payload = {\n    'grant_type': 'password',\n    \"connection\": conn,\n    other: 1,\n    **extra,\n}\n";
        let m = lower(src);
        let o = &m.objects[0];
        let keys: Vec<&str> = o.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["grant_type", "connection"], "a name as key is a variable");
        for e in &o.entries {
            assert_eq!(&src[e.key_span.range()], e.key);
        }
        let e = o.get("grant_type").unwrap();
        assert_eq!(&src[e.span.range()], "'grant_type': 'password'");
        let Value::String(v) = e.value else { panic!() };
        assert_eq!(m.strings[v].text(), "password");
    }

    #[test]
    fn dict_calls_and_keyword_arguments_are_objects() {
        let src = "r = requests.post(url, json=dict(grant_type='password', connection=c), headers={'Authorization': auth}, timeout=5)\n";
        let m = lower(src);
        let post = m.calls.iter().find(|c| c.callee == "requests.post").unwrap();
        assert_eq!(post.args.len(), 4);
        assert_eq!(post.args[1].label.as_deref(), Some("json"));
        let kw = &m.objects[post.keywords.unwrap()];
        assert_eq!(kw.kind, ObjectKind::Arguments);
        let keys: Vec<&str> = kw.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["json", "headers", "timeout"]);
        let dict = m.calls.iter().find(|c| c.callee == "dict").unwrap();
        let body = &m.objects[dict.keywords.unwrap()];
        let connection = body.get("connection").unwrap();
        assert_eq!(&src[connection.key_span.range()], "connection");
        assert_eq!(&src[connection.span.range()], "connection=c");
    }

    #[test]
    fn calls_have_dotted_callees_and_receivers() {
        let src = "conn = http.client.HTTPSConnection(DOMAIN)\nconn.request('POST', '/oauth/ro', payload, headers)\ntok = Database(domain).login(client_id=cid, connection='db')\n";
        let m = lower(src);
        let callees: Vec<&str> = m.calls.iter().map(|c| c.callee.as_str()).collect();
        assert!(callees.contains(&"http.client.HTTPSConnection"), "{callees:?}");
        assert!(callees.contains(&"conn.request"), "{callees:?}");
        let login = m.calls.iter().find(|c| c.name() == "login").unwrap();
        assert_eq!(login.callee, "Database().login");
        assert_eq!(&src[login.name_span.range()], "login");
        let receiver = &m.calls[login.receiver.unwrap()];
        assert_eq!(receiver.callee, "Database");
        assert!(m.constructs("Database"));
        let request = m.calls.iter().find(|c| c.callee == "conn.request").unwrap();
        assert_eq!(request.args.len(), 4);
        assert_eq!(&src[request.args_span.range()], "('POST', '/oauth/ro', payload, headers)");
    }

    #[test]
    fn calls_of_classes_are_constructions() {
        let m = lower("a = Auth0(domain, token)\nb = auth0.v3.management.Users(d, t)\nc = get_token(x)\nd = URL(x)\ne = db.login(u)\n");
        let new: Vec<(&str, bool)> = m.calls.iter().map(|c| (c.name(), c.is_new)).collect();
        assert_eq!(new, [("Auth0", true), ("Users", true), ("get_token", false), ("URL", false), ("login", false)]);
    }

    #[test]
    fn session_headers_travel_with_its_requests() {
        let src = "class Api:\n    def __init__(self, t):\n        self.s = requests.Session()\n        self.s.headers.update({'Authorization': 'Bearer ' + t})\n\n    def get(self):\n        return self.s.get('/api/v2/users')\n\nasync def f(tok):\n    async with aiohttp.ClientSession(headers={'X': tok}) as session:\n        await session.post('/a')\n    c = httpx.Client()\n    c.headers['Authorization'] = f'Bearer {tok}'\n    c.delete('/b')\n\ndef g():\n    c.delete('/c')\n";
        let m = lower(src);
        let headers_of = |callee: &str| -> Vec<String> {
            let call = m.calls.iter().find(|c| c.callee == callee).unwrap_or_else(|| panic!("{callee}"));
            call.args
                .iter()
                .filter(|a| a.label.as_deref() == Some("headers"))
                .map(|a| src[a.value.span(&m).range()].to_string())
                .collect()
        };
        assert_eq!(headers_of("self.s.get"), ["{'Authorization': 'Bearer ' + t}"]);
        assert_eq!(headers_of("session.post"), ["{'X': tok}"]);
        let deletes: Vec<usize> = m.calls.iter().filter(|c| c.callee == "c.delete").map(|c| c.args.len()).collect();
        assert_eq!(deletes, [2, 1], "only the request in the same function");
        let bearer = m
            .strings
            .iter()
            .position(|s| s.text() == format!("Bearer {HOLE}") && src[s.span.range()].starts_with('f'))
            .unwrap();
        let delete = m.calls.iter().find(|c| c.callee == "c.delete").unwrap();
        assert!(matches!(delete.args[1].value, Value::String(id) if id == bearer));
    }

    #[test]
    fn with_as_binds_the_context_manager() {
        let m = lower("with requests.Session() as s, open(p) as f:\n    pass\n");
        let names: Vec<&str> = m.bindings.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["s", "f"]);
        assert!(matches!(m.bindings[0].value, Value::Call(id) if m.calls[id].callee == "requests.Session"));
    }

    #[test]
    fn encode_stands_for_its_receiver() {
        let src = "req = Request(url, data=urlencode({'grant_type': 'password'}).encode('utf-8'))\nbody = json.dumps(p).encode()\n";
        let m = lower(src);
        let request = m.calls.iter().find(|c| c.callee == "Request").unwrap();
        let Value::Call(inner) = request.args[1].value else { panic!("{:?}", request.args[1].value) };
        assert_eq!(m.calls[inner].callee, "urlencode");
        assert!(m.calls.iter().all(|c| c.name() != "encode"));
    }

    #[test]
    fn bindings_assignments_annotations_and_walrus() {
        let src = "RO_URL = 'https://t.auth0.com/oauth/ro'\nTOKEN: str = 'x'\nif (n := 'y'):\n    pass\n\ndef f():\n    requests.post(RO_URL)\n";
        let m = lower(src);
        let names: Vec<&str> = m.bindings.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["RO_URL", "TOKEN", "n"]);
        let post = &m.calls[0];
        let s = m.string_of(&post.args[0].value).unwrap();
        assert_eq!(s.text(), "https://t.auth0.com/oauth/ro");
    }

    #[test]
    fn class_attributes_are_visible_in_every_method() {
        let src = "class Api:\n    TOKEN_PATH = '/oauth/ro'\n\n    def __init__(self, domain):\n        self.base = f'https://{domain}'\n\n    def login(self):\n        return requests.post(self.base + self.TOKEN_PATH)\n\n    @classmethod\n    def path(cls):\n        return cls.TOKEN_PATH\n\nother = Api.TOKEN_PATH\n";
        let m = lower(src);
        let post = m.calls.iter().find(|c| c.callee == "requests.post").unwrap();
        let s = m.string_of(&post.args[0].value).unwrap();
        assert_eq!(s.text(), format!("https://{HOLE}/oauth/ro"));
        let other = m.bindings.iter().find(|b| b.name == "other").unwrap();
        assert_eq!(m.string_of(&other.value).map(StringValue::text).as_deref(), Some("/oauth/ro"));
        let ret = m.calls.len();
        assert_eq!(ret, 1);
    }

    #[test]
    fn a_self_attribute_does_not_leak_into_another_class() {
        let src = "class A:\n    def __init__(self):\n        self.url = '/oauth/ro'\n\nclass B:\n    def go(self):\n        return post(self.url)\n";
        let m = lower(src);
        let post = m.calls.iter().find(|c| c.callee == "post").unwrap();
        assert!(m.string_of(&post.args[0].value).is_none());
    }

    #[test]
    fn function_bodies_are_scopes_comments_and_docstrings_are_not_values() {
        let src = "# POST /oauth/ro was the old endpoint\ndef login():\n    \"\"\"POST /oauth/ro\"\"\"\n    return 1\n";
        let m = lower(src);
        let bodies: Vec<&str> = m.scopes.iter().map(|s| &src[s.range()]).collect();
        assert_eq!(bodies, ["\"\"\"POST /oauth/ro\"\"\"\n    return 1"]);
        let comments: Vec<&str> = m.comments.iter().map(|s| &src[s.range()]).collect();
        assert_eq!(comments, ["# POST /oauth/ro was the old endpoint"]);
        // The docstring is documentation, not a string value.
        assert!(texts(&m).iter().all(|t| !t.contains("oauth")));
    }

    #[test]
    fn escaped_dict_keys_are_decoded_but_not_renamed() {
        let src = "p = {'conn\\x65ction': 'db'}\n";
        let m = lower(src);
        let e = &m.objects[0].entries[0];
        assert_eq!(e.key, "connection");
        assert_ne!(&src[e.key_span.range()], e.key);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let depth = 3000;
        let src = format!("x = {}1{}\ny = {}\n", "(".repeat(depth), ")".repeat(depth), vec!["'a'"; depth].join(" + "));
        let m = lower(&src);
        assert!(m.strings.iter().any(|s| s.text().len() == depth));
    }
}
