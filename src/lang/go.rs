//! Go: the tree-sitter grammar, its facts query and its escape rules, and an extra pass
//! for what the query cannot say:
//!
//! - a composite literal (`map[string]string{...}`, `url.Values{...}`, `T{F: v}`,
//!   `[]string{...}`) and a type conversion (`[]byte("...")`) stand for their body or
//!   operand: every use of them is pointed at the object, array or string inside;
//! - the fields of a struct literal whose type is declared in the file with `json` tags
//!   are keyed by their JSON names (`Connection` → `connection`); the key span stays on
//!   the field name, so no fix renames a field whose tag would have to change too;
//! - `form := url.Values{}` followed by `form.Set("k", v)` / `form.Add("k", v)` calls is
//!   one object whose entries are those calls, and `form.Encode()` stands for it.
//!
//! The helpers at the end (values by span, re-pointing values) serve C#'s pass too.

use std::collections::HashMap;
use std::sync::OnceLock;

use tree_sitter::{Node, Tree};

use super::treesitter::descendants;
use super::treesitter::{compact, Grammar};
use crate::model::{Binding, Entry, Expr, FileModel, ObjectKind, ObjectLiteral, Part, Value};
use crate::source::Span;

pub(super) fn grammar() -> &'static Grammar {
    static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
    GRAMMAR.get_or_init(|| {
        Grammar::new(
            tree_sitter_go::LANGUAGE.into(),
            include_str!("queries/go.scm"),
            super::escapes::c_like,
            Some(super::treesitter::PRINTF),
        )
        .with_pair_separator(": ")
        .with_env_lookup("os.Getenv(\"{name}\")")
        .with_concatenation(" + ")
        .with_extra(extra)
    })
}

fn extra(tree: &Tree, text: &str, model: &mut FileModel) {
    model.env_lookup_import = os_import(tree.root_node(), text);
    let nodes = descendants(tree.root_node());
    let index = SpanIndex::new(model);
    let tags = json_tags(&nodes, text);
    let mut aliases: HashMap<Span, Value> = HashMap::new();
    let mut renames: Vec<(Span, &HashMap<String, String>)> = Vec::new();
    for &node in &nodes {
        match node.kind() {
            "composite_literal" | "type_conversion_expression" => {
                aliases.insert(span(node), body_value(node, text, &index));
                if let (Some(ty), Some(body)) = (node.child_by_field_name("type"), node.child_by_field_name("body")) {
                    if let Some(fields) = tags.get(&text[ty.byte_range()]) {
                        renames.push((span(body), fields));
                    }
                }
            }
            _ => {}
        }
    }
    for (body, fields) in renames {
        if let Some(object) = model.objects.iter_mut().find(|o| o.span == body && o.kind == ObjectKind::Literal) {
            for entry in &mut object.entries {
                if let Some(json) = fields.get(&entry.key) {
                    entry.key = json.clone();
                }
            }
        }
    }
    repoint(model, &aliases);
    url_values(&nodes, text, model);
}

/// The value a composite literal or conversion stands for.
fn body_value(node: Node, text: &str, index: &SpanIndex) -> Value {
    match node.kind() {
        "composite_literal" => match node.child_by_field_name("body") {
            Some(body) => body_value(body, text, index),
            None => index.value(span(node), text),
        },
        "type_conversion_expression" => match node.child_by_field_name("operand") {
            Some(operand) => body_value(operand, text, index),
            None => index.value(span(node), text),
        },
        "literal_value" => {
            if let Some(value) = index.object(span(node)) {
                return value;
            }
            let elements: Vec<Node> = named(node).into_iter().filter(|c| c.kind() == "literal_element").collect();
            match elements.as_slice() {
                [] => index.value(span(node), text),
                [one] => body_value(*one, text, index),
                many => Value::Array(many.iter().map(|e| body_value(*e, text, index)).collect(), span(node)),
            }
        }
        "literal_element" | "parenthesized_expression" | "unary_expression" => match named(node).into_iter().next() {
            Some(inner) if node.kind() != "unary_expression" || text[node.byte_range()].starts_with('&') => {
                body_value(inner, text, index)
            }
            _ => index.value(span(node), text),
        },
        _ => index.value(span(node), text),
    }
}

/// `type T struct { F string `json:"f"` }`: for each struct type, field name → JSON name.
fn json_tags(nodes: &[Node], text: &str) -> HashMap<String, HashMap<String, String>> {
    let mut types = HashMap::new();
    for &spec in nodes.iter().filter(|n| n.kind() == "type_spec") {
        let (Some(name), Some(ty)) = (spec.child_by_field_name("name"), spec.child_by_field_name("type")) else {
            continue;
        };
        if ty.kind() != "struct_type" {
            continue;
        }
        let mut fields = HashMap::new();
        for field in descendants(ty).into_iter().filter(|n| n.kind() == "field_declaration") {
            let Some(tag) = field.child_by_field_name("tag") else { continue };
            let tag = &text[tag.byte_range()];
            let Some(json) = tag.split("json:\"").nth(1).and_then(|rest| rest.split(['"', ',']).next()) else {
                continue;
            };
            if json.is_empty() || json == "-" {
                continue;
            }
            let mut cursor = field.walk();
            for name in field.children_by_field_name("name", &mut cursor) {
                fields.insert(text[name.byte_range()].to_string(), json.to_string());
            }
        }
        if !fields.is_empty() {
            types.insert(text[name.byte_range()].to_string(), fields);
        }
    }
    types
}

/// `form := url.Values{}` then `form.Set("grant_type", "password")`, ...: one object whose
/// entries are the calls; the name and `form.Encode()` stand for it.
fn url_values(nodes: &[Node], text: &str, model: &mut FileModel) {
    // Names bound to an empty url.Values, with the span of their declaration.
    let mut forms: Vec<(String, Span)> = Vec::new();
    for &node in nodes {
        let (names, value) = match node.kind() {
            "short_var_declaration" | "assignment_statement" => {
                (node.child_by_field_name("left"), node.child_by_field_name("right"))
            }
            "var_spec" => (Some(node), node.child_by_field_name("value").or(node.child_by_field_name("type"))),
            _ => continue,
        };
        let (Some(names), Some(value)) = (names, value) else { continue };
        let Some(name) = named(names).into_iter().find(|n| n.kind() == "identifier") else { continue };
        if value.byte_range().len() > 40 {
            continue;
        }
        let value_text = compact(&text[value.byte_range()]);
        if matches!(value_text.as_str(), "url.Values{}" | "make(url.Values)" | "url.Values") {
            forms.push((text[name.byte_range()].to_string(), span(node)));
        }
    }
    for (name, declared) in forms {
        let scope = model.scope_of(declared);
        let in_scope = |s: Span| scope.is_none_or(|scope| scope.contains(s)) && s.start > declared.end;
        let setter = |callee: &str| callee == format!("{name}.Set") || callee == format!("{name}.Add");
        let mut entries = Vec::new();
        for call in &model.calls {
            if !setter(&call.callee) || !in_scope(call.span) || call.args.len() != 2 {
                continue;
            }
            let Value::String(key) = call.args[0].value else { continue };
            let key = &model.strings[key];
            let (Some(key_text), [Part::Literal(lit)]) = (key.literal_text(), key.parts.as_slice()) else {
                continue;
            };
            entries.push(Entry {
                key: key_text,
                key_span: lit.span,
                value: call.args[1].value.clone(),
                span: call.span,
            });
        }
        if entries.is_empty() {
            continue;
        }
        entries.sort_by_key(|e| e.span.start);
        let span = entries[0].span.cover(entries[entries.len() - 1].span);
        model.objects.push(ObjectLiteral { span, kind: ObjectKind::Literal, entries });
        let object = Value::Object(model.objects.len() - 1);
        let mut bound = false;
        for binding in model.bindings.iter_mut().filter(|b| b.name == name && b.span == declared) {
            binding.value = object.clone();
            bound = true;
        }
        if !bound {
            // `var form url.Values`
            model.bindings.push(Binding { name: name.clone(), value: object.clone(), span: declared });
        }
        let encode: Vec<usize> = (0..model.calls.len())
            .filter(|&c| model.calls[c].callee == format!("{name}.Encode") && in_scope(model.calls[c].span))
            .collect();
        let mut aliases = HashMap::new();
        for call in encode {
            aliases.insert(model.calls[call].span, object.clone());
        }
        repoint_calls(model, &aliases);
    }
}

// --- Helpers for extra passes (also used by csharp.rs) ---------------------------------

/// Where the `"os"` import goes when the file does not import `os` yet: in the import
/// group, in sorted order; else after the last import; else after the package clause.
fn os_import(root: Node, text: &str) -> Option<(usize, String)> {
    let mut cursor = root.walk();
    let top: Vec<Node> = root.named_children(&mut cursor).collect();
    let declarations: Vec<Node> = top.iter().copied().filter(|n| n.kind() == "import_declaration").collect();
    let mut specs = Vec::new();
    for declaration in &declarations {
        for node in descendants(*declaration) {
            if node.kind() == "import_spec" {
                specs.push(node);
            }
        }
    }
    let path_of = |spec: &Node| spec.child_by_field_name("path").map(|p| text[p.byte_range()].trim_matches(['"', '`']));
    let name_of = |spec: &Node| spec.child_by_field_name("name").map(|n| &text[n.byte_range()]);
    if specs.iter().any(|s| path_of(s) == Some("os") && name_of(s).is_none_or(|n| n == "os")) {
        return None;
    }
    // A name `os` bound to another package would be shadowed: no insertion can help.
    if specs.iter().any(|s| name_of(s) == Some("os")) {
        return None;
    }
    if let Some(group) = declarations.iter().rev().find_map(|d| {
        let mut cursor = d.walk();
        let list = d.named_children(&mut cursor).find(|c| c.kind() == "import_spec_list");
        list
    }) {
        let mut cursor = group.walk();
        let inner: Vec<Node> = group.named_children(&mut cursor).filter(|c| c.kind() == "import_spec").collect();
        let line_start = |at: usize| text[..at].rfind('\n').map_or(0, |i| i + 1);
        if let Some(next) = inner.iter().find(|s| path_of(s).is_some_and(|p| p > "os")) {
            let start = line_start(next.start_byte());
            let indent = &text[start..next.start_byte()];
            if indent.trim().is_empty() {
                return Some((start, format!("{indent}\"os\"\n")));
            }
        }
        if let Some(last) = inner.last() {
            let start = line_start(last.start_byte());
            let indent = &text[start..last.start_byte()];
            if indent.trim().is_empty() {
                return Some((last.end_byte(), format!("\n{indent}\"os\"")));
            }
        }
        return None;
    }
    if let Some(last) = declarations.last() {
        return Some((last.end_byte(), "\nimport \"os\"".to_string()));
    }
    let package = top.iter().find(|n| n.kind() == "package_clause")?;
    Some((package.end_byte(), "\n\nimport \"os\"".to_string()))
}

pub(super) fn span(node: Node) -> Span {
    Span::new(node.start_byte(), node.end_byte())
}

pub(super) fn named(node: Node) -> Vec<Node> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).filter(|c| !c.is_extra()).collect()
}

/// The values of the model by the span of the source they were lowered from.
pub(super) struct SpanIndex {
    strings: HashMap<Span, usize>,
    objects: HashMap<Span, usize>,
    calls: HashMap<Span, usize>,
}

impl SpanIndex {
    pub(super) fn new(model: &FileModel) -> SpanIndex {
        let mut index = SpanIndex { strings: HashMap::new(), objects: HashMap::new(), calls: HashMap::new() };
        for (id, s) in model.strings.iter().enumerate().filter(|(_, s)| !s.nested) {
            index.strings.entry(s.span).or_insert(id);
        }
        for (id, o) in model.objects.iter().enumerate().filter(|(_, o)| o.kind == ObjectKind::Literal) {
            index.objects.entry(o.span).or_insert(id);
        }
        for (id, c) in model.calls.iter().enumerate() {
            index.calls.entry(c.span).or_insert(id);
        }
        index
    }

    pub(super) fn object(&self, span: Span) -> Option<Value> {
        self.objects.get(&span).map(|&id| Value::Object(id))
    }

    pub(super) fn call(&self, span: Span) -> Option<usize> {
        self.calls.get(&span).copied()
    }

    /// The string, object or call lowered from exactly `span`, else the expression.
    pub(super) fn value(&self, span: Span, text: &str) -> Value {
        if let Some(&id) = self.strings.get(&span) {
            return Value::String(id);
        }
        if let Some(object) = self.object(span) {
            return object;
        }
        if let Some(&id) = self.calls.get(&span) {
            return Value::Call(id);
        }
        let raw = &text[span.range()];
        Value::Expr(Expr { span, text: if raw.len() > 240 { String::new() } else { compact(raw) } })
    }
}

/// Replaces every expression whose span is a key of `aliases` by the value it stands for,
/// wherever the model holds values.
pub(super) fn repoint(model: &mut FileModel, aliases: &HashMap<Span, Value>) {
    if aliases.is_empty() {
        return;
    }
    let swap = &|value: &mut Value| {
        if let Value::Expr(expr) = value {
            if let Some(target) = aliases.get(&expr.span) {
                *value = target.clone();
            }
        }
    };
    each_value(model, swap);
}

/// Replaces every value that is one of the calls at the spans of `aliases`.
pub(super) fn repoint_calls(model: &mut FileModel, aliases: &HashMap<Span, Value>) {
    if aliases.is_empty() {
        return;
    }
    let spans: HashMap<usize, Value> =
        model.calls.iter().enumerate().filter_map(|(id, c)| aliases.get(&c.span).map(|v| (id, v.clone()))).collect();
    let swap = &|value: &mut Value| {
        if let Value::Call(id) = value {
            if let Some(target) = spans.get(id) {
                *value = target.clone();
            }
        }
    };
    each_value(model, swap);
}

/// Applies `f` to every value the model holds, nested arrays included.
fn each_value(model: &mut FileModel, f: &dyn Fn(&mut Value)) {
    fn visit(value: &mut Value, f: &dyn Fn(&mut Value)) {
        f(value);
        if let Value::Array(items, _) = value {
            for item in items {
                visit(item, f);
            }
        }
    }
    for call in &mut model.calls {
        for arg in &mut call.args {
            visit(&mut arg.value, f);
        }
    }
    for object in &mut model.objects {
        for entry in &mut object.entries {
            visit(&mut entry.value, f);
        }
    }
    for binding in &mut model.bindings {
        visit(&mut binding.value, f);
    }
    for string in &mut model.strings {
        for part in &mut string.parts {
            if let Part::Hole(value) = part {
                visit(value, f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;
    use crate::model::{FileModel, ObjectLiteral, StringValue, HOLE};

    fn lower(src: &str) -> FileModel {
        Language::Go.lower(src).unwrap()
    }

    #[test]
    fn env_lookup_needs_os_imported() {
        let import =
            |src: &str| lower(src).env_lookup_import.map(|(at, text)| format!("{}{text}{}", &src[..at], &src[at..]));
        assert_eq!(lower("package a\n").env_lookup, Some("os.Getenv(\"{name}\")"));
        assert_eq!(
            import("package a\n\nimport (\n\t\"fmt\"\n\t\"strings\"\n)\n").as_deref(),
            Some("package a\n\nimport (\n\t\"fmt\"\n\t\"os\"\n\t\"strings\"\n)\n")
        );
        assert_eq!(
            import("package a\n\nimport (\n\t\"fmt\"\n)\n").as_deref(),
            Some("package a\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n")
        );
        assert_eq!(
            import("package a\n\nimport \"fmt\"\n").as_deref(),
            Some("package a\n\nimport \"fmt\"\nimport \"os\"\n")
        );
        assert_eq!(import("package a\n").as_deref(), Some("package a\n\nimport \"os\"\n"));
        assert_eq!(import("package a\n\nimport (\n\t\"os\"\n)\n"), None);
        assert_eq!(lower("package a\nconst s = \"x\"\nvar v = \"y\"\n").constant_contexts.len(), 1);
    }

    fn top_strings(m: &FileModel) -> Vec<String> {
        m.strings.iter().filter(|s| !s.nested).map(|s| s.text()).collect()
    }

    fn string_with<'m>(m: &'m FileModel, text: &str) -> &'m StringValue {
        m.strings
            .iter()
            .find(|s| s.text() == text)
            .unwrap_or_else(|| panic!("no string {text:?}: {:?}", top_strings(m)))
    }

    fn object_with<'m>(m: &'m FileModel, key: &str) -> &'m ObjectLiteral {
        m.objects.iter().find(|o| o.has(key)).unwrap_or_else(|| panic!("no object with {key}"))
    }

    fn keys(o: &ObjectLiteral) -> Vec<&str> {
        o.entries.iter().map(|e| e.key.as_str()).collect()
    }

    fn entry_text(m: &FileModel, o: &ObjectLiteral, key: &str) -> Option<String> {
        m.string_of(&o.get(key)?.value).and_then(|s| s.literal_text())
    }

    #[test]
    fn query_compiles() {
        assert!(lower("package main\nfunc main() {}\n").syntax_errors.is_empty());
    }

    #[test]
    fn interpreted_and_raw_strings() {
        let src = "package main\nvar a = \"https://t.auth0.com\\u002Foauth\\x2Fro\\n\"\nvar b = `{\"grant_type\": \"password\",\n\"x\": 1}`\nvar c = `a\\nb`\n";
        let m = lower(src);
        let a = string_with(&m, "https://t.auth0.com/oauth/ro\n");
        let at = a.text().find("ro\n").unwrap();
        let (lit, s, e) = a.locate(at, at + 2).unwrap();
        assert_eq!(&src[lit.source_span(s, e).range()], "ro");
        // No escapes in raw strings: `\n` is a backslash and an n.
        string_with(&m, "a\\nb");
        let b = string_with(&m, "{\"grant_type\": \"password\",\n\"x\": 1}");
        assert!(b.embedded.is_some());
        let json = &m.objects[b.embedded.unwrap()];
        assert_eq!(&src[json.get("grant_type").unwrap().key_span.range()], "grant_type");
    }

    #[test]
    fn concatenation_and_sprintf() {
        let src = r#"package main
func f(domain string, n int) {
	a := "https://" + domain + "/oauth/ro"
	b := fmt.Sprintf("https://%s/oauth/%s?x=%d%%", domain, "ro", n)
	c := n + 1
	d := fmt.Sprintf(`Bearer %v`, idToken)
}
"#;
        let m = lower(src);
        let texts = top_strings(&m);
        assert!(texts.contains(&format!("https://{HOLE}/oauth/ro")), "{texts:?}");
        assert!(texts.contains(&format!("https://{HOLE}/oauth/{HOLE}?x={HOLE}%")), "{texts:?}");
        assert!(texts.contains(&format!("Bearer {HOLE}")), "{texts:?}");
        assert!(!texts.iter().any(|t| t.starts_with(HOLE) && t.chars().count() == 2), "{texts:?}");
        let d = string_with(&m, &format!("Bearer {HOLE}"));
        let hole = d.holes().next().unwrap();
        assert_eq!(&src[hole.span(&m).range()], "idToken");
        // The arguments of Sprintf are holes, in order: "ro" is the second.
        let b = string_with(&m, &format!("https://{HOLE}/oauth/{HOLE}?x={HOLE}%"));
        let holes: Vec<&str> = b.holes().map(|h| &src[h.span(&m).range()]).collect();
        assert_eq!(holes, ["domain", "\"ro\"", "n"]);
    }

    #[test]
    fn maps_url_values_and_json_in_readers() {
        let src = r#"package main
func login() {
	body := map[string]interface{}{"grant_type": "password", "connection": conn, "n": 1}
	form := url.Values{"grant_type": {"password"}, "scope": {"openid", "email"}}
	resp, err := http.PostForm(ro, form)
	r := strings.NewReader("{\"grant_type\":\"password\",\"connection\":\"db\"}")
	q := []byte(`{"device":"d"}`)
}
"#;
        let m = lower(src);
        let body = object_with(&m, "n");
        assert_eq!(keys(body), ["grant_type", "connection", "n"]);
        assert_eq!(&src[body.get("connection").unwrap().key_span.range()], "connection");
        let form = m.objects.iter().find(|o| o.has("scope")).unwrap();
        assert_eq!(entry_text(&m, form, "grant_type").as_deref(), Some("password"));
        assert!(matches!(form.get("scope").unwrap().value, Value::Array(ref items, _) if items.len() == 2));
        // PostForm's second argument is the object, through the name `form`.
        let post = m.calls.iter().find(|c| c.callee == "http.PostForm").unwrap();
        assert!(m.object_of(&post.args[1].value).is_some_and(|o| m.objects[o].has("scope")));
        let json = m.objects.iter().find(|o| o.kind == ObjectKind::Json && o.has("connection")).unwrap();
        assert_eq!(&src[json.get("connection").unwrap().key_span.range()], "connection");
        let value = m.string_of(&json.get("connection").unwrap().value).unwrap();
        let (lit, a, b) = value.locate(0, 2).unwrap();
        assert_eq!(&src[lit.source_span(a, b).range()], "db");
        // []byte("...") is its string.
        let q = m.bindings.iter().find(|b| b.name == "q").unwrap();
        assert!(m.object_of(&q.value).is_some_and(|o| m.objects[o].has("device")));
        // `resp, err := http.PostForm(...)` binds resp to the call.
        let resp = m.bindings.iter().find(|b| b.name == "resp").unwrap();
        assert!(matches!(resp.value, Value::Call(id) if m.calls[id].callee == "http.PostForm"));
    }

    #[test]
    fn struct_literals_are_keyed_by_field_or_json_tag() {
        let src = r#"package main
type roRequest struct {
	GrantType  string `json:"grant_type"`
	Connection string `json:"connection,omitempty"`
	Device     string `json:"-"`
}
func login() {
	a := &roRequest{GrantType: "password", Connection: "db", Device: "d"}
	b := oauth.LoginWithPasswordRequest{Username: u, Realm: "db"}
	send(a, b)
}
"#;
        let m = lower(src);
        let a = object_with(&m, "grant_type");
        assert_eq!(keys(a), ["grant_type", "connection", "Device"]);
        // The key span is the field name: a rename would have to change the tag too.
        assert_eq!(&src[a.get("connection").unwrap().key_span.range()], "Connection");
        let b = object_with(&m, "Realm");
        assert_eq!(keys(b), ["Username", "Realm"]);
        let send = m.calls.iter().find(|c| c.callee == "send").unwrap();
        assert!(m.object_of(&send.args[0].value).is_some_and(|o| m.objects[o].has("grant_type")));
        assert!(m.object_of(&send.args[1].value).is_some_and(|o| m.objects[o].has("Realm")));
    }

    #[test]
    fn url_values_built_with_set() {
        let src = r#"package main
func login(user, pass string) {
	data := url.Values{}
	data.Set("grant_type", "password")
	data.Set("username", user)
	data.Add("connection", "Username-Password-Authentication")
	req, _ := http.NewRequest("POST", roURL, strings.NewReader(data.Encode()))
	other.Set("device", "x")
}
"#;
        let m = lower(src);
        let form = object_with(&m, "connection");
        assert_eq!(keys(form), ["grant_type", "username", "connection"]);
        assert_eq!(&src[form.get("connection").unwrap().key_span.range()], "connection");
        assert!(src[form.get("username").unwrap().span.range()].starts_with("data.Set(\"username\""));
        assert_eq!(entry_text(&m, form, "grant_type").as_deref(), Some("password"));
        let reader = m.calls.iter().find(|c| c.callee == "strings.NewReader").unwrap();
        assert!(m.object_of(&reader.args[0].value).is_some_and(|o| m.objects[o].has("connection")));
        assert!(!m.objects.iter().any(|o| o.has("device")));
    }

    #[test]
    fn calls_bindings_scopes_and_comments() {
        let src = r#"package main

// RO is the legacy endpoint.
const (
	Domain = "tenant.auth0.com"
	RO     = "https://" + Domain + "/oauth/ro"
)

var client = &http.Client{}

func (c *Client) Login() {
	req, _ := http.NewRequest("POST", RO, nil)
	req.Header.Add("authorization", "Bearer "+c.session.IDToken)
	res, _ := c.http.R().SetBody(payload).Post(RO)
	c.base = "x"
	go func() { y := 1 }()
}
"#;
        let m = lower(src);
        assert_eq!(m.comments.len(), 1);
        assert_eq!(m.scopes.len(), 2);
        let names: Vec<&str> = m.bindings.iter().map(|b| b.name.as_str()).collect();
        for name in ["Domain", "RO", "client", "req", "res", "c.base", "y"] {
            assert!(names.contains(&name), "{name} in {names:?}");
        }
        // Constants are spliced: the use of RO reads as the full URL.
        let new_request = m.calls.iter().find(|c| c.callee == "http.NewRequest").unwrap();
        let url = m.string_of(&new_request.args[1].value).unwrap();
        assert_eq!(url.text(), "https://tenant.auth0.com/oauth/ro");
        let add = m.calls.iter().find(|c| c.callee == "req.Header.Add").unwrap();
        assert_eq!(&src[add.name_span.range()], "Add");
        let bearer = m.string_of(&add.args[1].value).unwrap();
        assert_eq!(bearer.text(), format!("Bearer {HOLE}"));
        let post = m.calls.iter().find(|c| c.callee == "c.http.R().SetBody().Post").unwrap();
        let set_body = &m.calls[post.receiver.unwrap()];
        assert_eq!(set_body.callee, "c.http.R().SetBody");
    }
}
