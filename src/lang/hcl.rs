//! HCL (Terraform `.tf`, `.tfvars`, `.hcl`): the tree-sitter grammar, and the pass that
//! lowers its configuration into the model.
//!
//! The query captures only comments. tree-sitter-hcl names the delimiters of tuples,
//! objects and interpolations (`tuple_start`, `template_interpolation_start`, ...), and
//! leaves escapes inside its template literals, so the values are lowered by the pass
//! below:
//! - a body (the file's, a block's) is an object whose entries are its attributes and its
//!   nested blocks, keyed by the block type (`jwt_configuration { alg = "HS256" }` is the
//!   entry `jwt_configuration` holding an object); each block is also a [`Block`] fact with
//!   its type and labels (`resource "auth0_client" "app"`);
//! - quoted strings and heredocs are strings, `${...}` interpolations and `%{...}`
//!   directives their holes; escapes (`\n`, `\"`, `\u00e9`, `$${`, `%%{`) are decoded;
//! - tuples are arrays, object expressions are objects, function calls
//!   (`file("rules/x.js")`, `templatefile(...)`) are calls; references (`var.x`,
//!   `auth0_client.app.id`) are expressions.

use std::sync::OnceLock;

use tree_sitter::{Node, Tree};

use super::shell::LitBuilder;
use super::treesitter::{compact, Grammar};
use crate::model::{Arg, Block, Call, Entry, Expr, FileModel, Literal, ObjectKind, ObjectLiteral, Part, Quoting};
use crate::model::{StringValue, Value};
use crate::source::Span;

/// How deeply values may nest before the rest is an opaque expression.
const MAX_DEPTH: usize = 96;

pub(super) fn grammar() -> &'static Grammar {
    static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
    GRAMMAR.get_or_init(|| {
        Grammar::new(tree_sitter_hcl::LANGUAGE.into(), include_str!("queries/hcl.scm"), unescape, None)
            .with_extra(lower)
            .with_pair_separator(" = ")
    })
}

fn unescape(raw: &str) -> Option<String> {
    hcl_escape(raw).map(|(text, _)| text)
}

/// The escape at the start of `s` (`\n`, `\"`, `\u00e9`, `\U0001F600`, `$${`, `%%{`): its
/// text and its length in the source.
fn hcl_escape(s: &str) -> Option<(String, usize)> {
    if s.starts_with("$${") || s.starts_with("%%{") {
        return Some((s[1..3].to_string(), 3));
    }
    let mut chars = s.chars();
    if chars.next()? != '\\' {
        return None;
    }
    let simple = match chars.next()? {
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        '"' => '"',
        '\\' => '\\',
        'u' => return hex(s, 4),
        'U' => return hex(s, 8),
        _ => return None,
    };
    Some((simple.to_string(), 2))
}

fn hex(s: &str, digits: usize) -> Option<(String, usize)> {
    let code = u32::from_str_radix(s.get(2..2 + digits)?, 16).ok()?;
    Some((char::from_u32(code)?.to_string(), 2 + digits))
}

fn span(node: Node) -> Span {
    Span::new(node.start_byte(), node.end_byte())
}

/// The named children of a node that carry content: no comments, no delimiters.
fn children(node: Node) -> Vec<Node> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|c| {
            !matches!(
                c.kind(),
                "comment"
                    | "block_start"
                    | "block_end"
                    | "tuple_start"
                    | "tuple_end"
                    | "object_start"
                    | "object_end"
                    | "quoted_template_start"
                    | "quoted_template_end"
                    | "template_interpolation_start"
                    | "template_interpolation_end"
                    | "strip_marker"
                    | "heredoc_start"
            )
        })
        .collect()
}

fn lower(tree: &Tree, text: &str, model: &mut FileModel) {
    let root = tree.root_node();
    let mut hcl = Hcl { text, model };
    for child in children(root) {
        match child.kind() {
            "body" => {
                hcl.body(child, span(root), 0);
            }
            _ => {
                hcl.value(child, 0);
            }
        }
    }
}

struct Hcl<'t, 'm> {
    text: &'t str,
    model: &'m mut FileModel,
}

impl<'t> Hcl<'t, '_> {
    fn node_text(&self, node: Node) -> &'t str {
        &self.text[node.byte_range()]
    }

    fn expr(&self, node: Node) -> Value {
        let raw = self.node_text(node);
        let text = if raw.len() > 240 { String::new() } else { compact(raw) };
        Value::Expr(Expr { span: span(node), text })
    }

    /// A body as an object: its attributes and its blocks.
    fn body(&mut self, body: Node<'t>, object_span: Span, depth: usize) -> usize {
        let mut entries = Vec::new();
        for child in children(body) {
            match child.kind() {
                "attribute" => {
                    let parts = children(child);
                    let (Some(key), Some(value)) = (
                        parts.iter().find(|n| n.kind() == "identifier"),
                        parts.iter().find(|n| n.kind() == "expression"),
                    ) else {
                        continue;
                    };
                    let value = self.value(*value, depth + 1);
                    entries.push(Entry {
                        key: self.node_text(*key).to_string(),
                        key_span: span(*key),
                        value,
                        span: span(child),
                    });
                }
                "block" => {
                    if let Some(entry) = self.block(child, depth + 1) {
                        entries.push(entry);
                    }
                }
                _ => {}
            }
        }
        self.model.objects.push(ObjectLiteral { span: object_span, kind: ObjectKind::Literal, entries });
        self.model.objects.len() - 1
    }

    /// A block: its [`Block`] fact, and the entry of the enclosing body it makes.
    fn block(&mut self, block: Node<'t>, depth: usize) -> Option<Entry> {
        let parts = children(block);
        let kind = parts.iter().find(|n| n.kind() == "identifier")?;
        let labels: Vec<String> = parts
            .iter()
            .filter(|n| matches!(n.kind(), "string_lit" | "identifier") && n.id() != kind.id())
            .map(|n| self.node_text(*n).trim_matches('"').to_string())
            .collect();
        // The body object spans the braces; an empty block (`flags {}`) has no body node.
        let open = {
            let mut cursor = block.walk();
            let open = block.named_children(&mut cursor).find(|n| n.kind() == "block_start");
            open
        };
        let braces = open.map_or(span(block), |open| Span::new(open.start_byte(), block.end_byte()));
        let index = self.model.blocks.len();
        self.model.blocks.push(Block { span: span(block), kind: self.node_text(*kind).to_string(), labels, body: 0 });
        let body = match parts.iter().find(|n| n.kind() == "body") {
            Some(body) if depth < MAX_DEPTH => self.body(*body, braces, depth),
            _ => {
                self.model.objects.push(ObjectLiteral { span: braces, kind: ObjectKind::Literal, entries: Vec::new() });
                self.model.objects.len() - 1
            }
        };
        self.model.blocks[index].body = body;
        Some(Entry {
            key: self.node_text(*kind).to_string(),
            key_span: span(*kind),
            value: Value::Object(body),
            span: span(block),
        })
    }

    fn value(&mut self, node: Node<'t>, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            return self.expr(node);
        }
        match node.kind() {
            // Wrappers of one value; a reference (`var.x`, `a.b[0]`) is several children.
            "expression" | "literal_value" | "collection_value" | "template_expr" => match children(node).as_slice() {
                [only] => self.value(*only, depth + 1),
                _ => self.expr(node),
            },
            "string_lit" | "quoted_template" | "heredoc_template" => self.string(node, depth),
            "tuple" => {
                let items = children(node).into_iter().map(|c| self.value(c, depth + 1)).collect();
                Value::Array(items, span(node))
            }
            "object" => self.object(node, depth),
            "function_call" => self.call(node, depth),
            _ => self.expr(node),
        }
    }

    fn object(&mut self, node: Node<'t>, depth: usize) -> Value {
        let mut entries = Vec::new();
        for elem in children(node).into_iter().filter(|c| c.kind() == "object_elem") {
            let (Some(key), Some(val)) = (elem.child_by_field_name("key"), elem.child_by_field_name("val")) else {
                continue;
            };
            let key_value = self.value(key, depth + 1);
            let (key_text, key_span) = match &key_value {
                Value::String(id) => match self.model.strings[*id].parts.as_slice() {
                    [Part::Literal(lit)] => (lit.text.clone(), lit.span),
                    _ => continue,
                },
                Value::Expr(expr) if expr.is_path() && !expr.text.contains('.') => (expr.text.clone(), expr.span),
                _ => continue,
            };
            if let Value::String(id) = key_value {
                // A quoted key is the entry's key, not a value of its own.
                self.model.strings[id].nested = true;
            }
            let value = self.value(val, depth + 1);
            entries.push(Entry { key: key_text, key_span, value, span: span(elem) });
        }
        self.model.objects.push(ObjectLiteral { span: span(node), kind: ObjectKind::Literal, entries });
        Value::Object(self.model.objects.len() - 1)
    }

    fn call(&mut self, node: Node<'t>, depth: usize) -> Value {
        let parts = children(node);
        let Some(name) = parts.iter().find(|n| n.kind() == "identifier") else {
            return self.expr(node);
        };
        let arguments = parts.iter().find(|n| n.kind() == "function_arguments");
        // The argument list with its parentheses: from the `(` after the name.
        let open =
            self.text[name.end_byte()..node.end_byte()].find('(').map_or(name.end_byte(), |i| name.end_byte() + i);
        let id = self.model.calls.len();
        self.model.calls.push(Call {
            span: span(node),
            callee: self.node_text(*name).to_string(),
            name_span: span(*name),
            is_new: false,
            args: Vec::new(),
            args_span: Span::new(open, node.end_byte()),
            receiver: None,
            keywords: None,
        });
        let mut args = Vec::new();
        if let Some(arguments) = arguments {
            for arg in children(*arguments).into_iter().filter(|a| a.kind() == "expression") {
                let value = self.value(arg, depth + 1);
                args.push(Arg { label: None, value, span: span(arg) });
            }
        }
        self.model.calls[id].args = args;
        Value::Call(id)
    }

    /// A quoted string or a heredoc: the text between its delimiters, cut at its
    /// interpolations and directives.
    fn string(&mut self, node: Node<'t>, depth: usize) -> Value {
        let all = {
            let mut cursor = node.walk();
            node.children(&mut cursor).collect::<Vec<_>>()
        };
        let heredoc = node.kind() == "heredoc_template";
        let (start, end) = if heredoc {
            // From the line after `<<EOT` to the start of the closing identifier's line.
            let identifiers: Vec<&Node> = all.iter().filter(|n| n.kind() == "heredoc_identifier").collect();
            let open_end = identifiers.first().map_or(node.start_byte(), |n| n.end_byte());
            let start = self.text[open_end..node.end_byte()].find('\n').map_or(open_end, |i| open_end + i + 1);
            let close =
                if identifiers.len() > 1 { identifiers[identifiers.len() - 1].start_byte() } else { node.end_byte() };
            let end = self.text[..close].rfind('\n').map_or(close, |i| i + 1).max(start);
            (start, end)
        } else {
            let open =
                all.iter().find(|n| n.kind() == "quoted_template_start").map_or(node.start_byte(), |n| n.end_byte());
            let close =
                all.iter().find(|n| n.kind() == "quoted_template_end").map_or(node.end_byte(), |n| n.start_byte());
            (open, close.max(open))
        };
        let quoting = if heredoc { Quoting::Plain } else { Quoting::Quoted('"') };
        let mut parts = Vec::new();
        let mut at = start;
        let holes: Vec<Node> = all
            .iter()
            .filter(|n| matches!(n.kind(), "template_interpolation" | "template_directive"))
            .copied()
            .collect();
        for hole in holes {
            if hole.start_byte() < at || hole.end_byte() > end {
                continue;
            }
            self.literal(at, hole.start_byte(), heredoc, quoting, &mut parts);
            let value = match (hole.kind(), children(hole).as_slice()) {
                ("template_interpolation", [inner, ..]) => self.value(*inner, depth + 1),
                _ => self.expr(hole),
            };
            parts.push(Part::Hole(Box::new(value)));
            at = hole.end_byte();
        }
        self.literal(at, end, heredoc, quoting, &mut parts);
        if parts.is_empty() {
            parts.push(Part::Literal(Literal::plain(String::new(), Span::new(start, start), quoting)));
        }
        self.model.strings.push(StringValue { span: span(node), parts, embedded: None, nested: false });
        Value::String(self.model.strings.len() - 1)
    }

    /// The literal text of source `[start, end)`, escapes decoded (a heredoc decodes only
    /// `$${` and `%%{`).
    fn literal(&self, start: usize, end: usize, heredoc: bool, quoting: Quoting, parts: &mut Vec<Part>) {
        if start >= end {
            return;
        }
        let mut lit = LitBuilder::new(quoting);
        let bytes = self.text.as_bytes();
        let mut run = start;
        let mut i = start;
        while i < end {
            let escape = match bytes[i] {
                b'\\' if !heredoc => hcl_escape(&self.text[i..end]),
                b'$' | b'%' => hcl_escape(&self.text[i..end]),
                _ => None,
            };
            match escape {
                Some((decoded, len)) => {
                    lit.push(&self.text[run..i], run, i);
                    lit.push(&decoded, i, i + len);
                    i += len;
                    run = i;
                }
                None => i += 1,
            }
        }
        lit.push(&self.text[run..end], run, end);
        if let Some(lit) = lit.take() {
            parts.push(Part::Literal(lit));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;

    fn lower(src: &str) -> FileModel {
        Language::Hcl.lower(src).expect("parses")
    }

    #[test]
    fn blocks_are_objects_with_their_type_and_labels() {
        let src = r#"
# tenant
resource "auth0_tenant" "main" {
  friendly_name = "Example"
  flags {
    allow_legacy_ro_grant_types = true // legacy
  }
  /* empty */
  session_cookie {}
}
"#;
        let m = lower(src);
        assert!(m.syntax_errors.is_empty());
        assert_eq!(m.blocks.len(), 3);
        assert_eq!(m.blocks[0].resource_type(), Some("auth0_tenant"));
        assert_eq!(m.blocks[0].resource_name(), Some("main"));
        let open = src.find("\"main\" {").unwrap() + "\"main\" ".len();
        assert_eq!(m.objects[m.blocks[0].body].span.start, open, "the body object starts at its brace");
        let body = &m.objects[m.blocks[0].body];
        let keys: Vec<&str> = body.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["friendly_name", "flags", "session_cookie"]);
        let flags = m.object_of(&body.get("flags").unwrap().value).unwrap();
        let flag = &m.objects[flags].entries[0];
        assert_eq!(flag.key, "allow_legacy_ro_grant_types");
        assert_eq!(&src[flag.value.span(&m).range()], "true");
        assert_eq!(m.comments.len(), 3);
    }

    #[test]
    fn strings_lists_objects_and_calls() {
        let src = r#"
resource "auth0_client" "app" {
  name        = "App \"one\" ${var.env}"
  grant_types = ["authorization_code", "http://auth0.com/oauth/legacy/grant-type/ro"]
  addons      = { "firebase" = { secret = var.secret } }
  script      = file("rules/enrich.js")
  tpl         = "$${literal}"
}
"#;
        let m = lower(src);
        let body = &m.objects[m.blocks[0].body];
        let name = m.string_of(&body.get("name").unwrap().value).unwrap();
        assert_eq!(name.text(), "App \"one\" \u{FFFC}");
        let Value::Array(items, _) = &body.get("grant_types").unwrap().value else { panic!("a list") };
        assert_eq!(items.len(), 2);
        assert_eq!(
            m.string_of(&items[1]).unwrap().literal_text().unwrap(),
            "http://auth0.com/oauth/legacy/grant-type/ro"
        );
        let addons = m.object_of(&body.get("addons").unwrap().value).unwrap();
        assert_eq!(m.objects[addons].entries[0].key, "firebase");
        let Value::Call(call) = &body.get("script").unwrap().value else { panic!("a call") };
        assert_eq!(m.calls[*call].callee, "file");
        assert_eq!(m.string_of(&m.calls[*call].args[0].value).unwrap().literal_text().unwrap(), "rules/enrich.js");
        assert_eq!(m.string_of(&body.get("tpl").unwrap().value).unwrap().literal_text().unwrap(), "${literal}");
    }

    /// No HCL checker can be installed offline (`terraform fmt -check` needs the terraform
    /// binary): the fixtures are checked by a tree-sitter re-parse with no ERROR or MISSING
    /// node, and the fixture runner holds their fixed files to the same count.
    #[test]
    fn fixtures_have_no_syntax_errors() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut checked = 0;
        for rule in std::fs::read_dir(root).unwrap() {
            for file in std::fs::read_dir(rule.unwrap().path()).unwrap() {
                let path = file.unwrap().path();
                if path.extension().is_some_and(|e| e == "tf") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    assert_eq!(Language::Hcl.syntax_errors(&text), Some(0), "{}", path.display());
                    checked += 1;
                }
            }
        }
        assert!(checked > 0);
    }

    #[test]
    fn broken_configuration_has_syntax_errors() {
        assert!(Language::Hcl.syntax_errors("resource \"a\" \"b\" {\n  x = [1,\n").unwrap() > 0);
    }

    #[test]
    fn heredocs_keep_their_lines() {
        let src = "resource \"auth0_rule\" \"r\" {\n  script = <<-EOT\n    function (user, context, callback) {\n      callback(null, user, context);\n    }\n  EOT\n}\n";
        let m = lower(src);
        let body = &m.objects[m.blocks[0].body];
        let script = m.string_of(&body.get("script").unwrap().value).unwrap();
        let text = script.literal_text().unwrap();
        assert!(text.starts_with("    function (user, context, callback) {\n"), "{text:?}");
        assert!(text.ends_with("    }\n"), "{text:?}");
        let Part::Literal(lit) = &script.parts[0] else { panic!() };
        assert_eq!(&src[lit.span.range()], text);
    }
}
