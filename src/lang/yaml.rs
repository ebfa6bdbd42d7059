//! YAML (.yml, .yaml): tree-sitter-yaml, and the pass that lowers documents.
//!
//! The facts query only marks comments; the extra pass lowers the rest, because a YAML
//! scalar's text is not made of nodes: quoted scalars have their escapes as children
//! but nothing for the text between them, and every flow scalar folds its line breaks.
//! Block and flow mappings become objects (a quoted key's span is inside its quotes),
//! sequences arrays, scalars strings: plain, single-quoted (`''`), double-quoted (YAML's
//! escapes), literal `|` and folded `>` block scalars with their chomping, each character
//! mapped back to its source. Template placeholders (`{{ var }}`, `${{ expr }}`,
//! `${VAR}`) are holes; an anchor binds its name to its value and an alias refers to it.
//! A mapping with a URL and a body or headers (an Artillery or Ansible `uri` step, an
//! API test) is a call `request(...)`, as in JSON. The shell scripts of CI steps (`run:`,
//! `script:`, `before_script:`, `after_script:`, `shell:`, `command:`, `commands:`,
//! `cmd:`, as a single line, a `|` block or a list) are lowered as shell, in place.

use std::ops::Range;
use std::sync::OnceLock;

use tree_sitter::{Node, Tree};

use super::json::{header_value, requests, template_holes};
use super::shell::LitBuilder;
use super::treesitter::Grammar;
use crate::model::{
    Binding, Entry, Expr, FileModel, Literal, ObjectKind, ObjectLiteral, Part, Quoting, StringValue, Value,
};
use crate::source::Span;

/// How deeply values may nest before the rest is treated as opaque.
const MAX_DEPTH: usize = 96;

/// Keys whose value is a shell script in CI configurations.
const SHELL_KEYS: [&str; 8] = ["run", "script", "before_script", "after_script", "shell", "command", "commands", "cmd"];

pub(super) fn grammar() -> &'static Grammar {
    static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
    GRAMMAR.get_or_init(|| {
        Grammar::new(tree_sitter_yaml::LANGUAGE.into(), include_str!("queries/yaml.scm"), unescape, None)
            .with_extra(lower)
    })
}

/// Decodes one escape sequence of a double-quoted scalar.
fn unescape(raw: &str) -> Option<String> {
    yaml_escape(raw).map(|(text, _)| text)
}

/// The escape at the start of `s` in a double-quoted scalar: its text and length.
fn yaml_escape(s: &str) -> Option<(String, usize)> {
    let body = s.strip_prefix('\\')?;
    let first = body.chars().next()?;
    let hex = |digits: usize| -> Option<(String, usize)> {
        let run = body.get(1..1 + digits)?;
        if !run.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let c = char::from_u32(u32::from_str_radix(run, 16).ok()?)?;
        Some((c.to_string(), 2 + digits))
    };
    let c = match first {
        '0' => '\0',
        'a' => '\u{7}',
        'b' => '\u{8}',
        't' | '\t' => '\t',
        'n' => '\n',
        'v' => '\u{b}',
        'f' => '\u{c}',
        'r' => '\r',
        'e' => '\u{1b}',
        ' ' | '"' | '/' | '\\' => first,
        'N' => '\u{85}',
        '_' => '\u{a0}',
        'L' => '\u{2028}',
        'P' => '\u{2029}',
        'x' => return hex(2),
        'u' => return hex(4),
        'U' => return hex(8),
        _ => return None,
    };
    Some((c.to_string(), 1 + first.len_utf8()))
}

fn span(node: Node) -> Span {
    Span::new(node.start_byte(), node.end_byte())
}

fn named_children(node: Node) -> Vec<Node> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).filter(|c| c.kind() != "comment").collect()
}

fn lower(tree: &Tree, text: &str, model: &mut FileModel) {
    let root = tree.root_node();
    let mut yaml = Yaml { text, model };
    let documents = if root.kind() == "document" { vec![root] } else { named_children(root) };
    for document in documents {
        for child in named_children(document) {
            yaml.value(child, 0);
        }
    }
    requests(model, text, span(root));
}

/// A block scalar's header, the indentation of its content, and its lines.
type BlockLines = (String, usize, Vec<(usize, usize)>);

/// How a flow scalar is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
}

struct Yaml<'t, 'm> {
    text: &'t str,
    model: &'m mut FileModel,
}

impl<'t> Yaml<'t, '_> {
    fn node_text(&self, node: Node) -> &'t str {
        &self.text[node.byte_range()]
    }

    /// A node's span without the line breaks a block collection ends with.
    fn span(&self, node: Node) -> Span {
        let text = self.node_text(node);
        Span::new(node.start_byte(), node.start_byte() + text.trim_end().len())
    }

    fn value(&mut self, node: Node<'t>, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            return Value::Other(span(node));
        }
        match node.kind() {
            "block_node" | "flow_node" => self.node_value(node, depth),
            "block_mapping" | "flow_mapping" => self.mapping(&named_children(node), self.span(node), depth),
            "flow_pair" => self.mapping(&[node], span(node), depth),
            "block_sequence" => {
                let items = named_children(node)
                    .into_iter()
                    .filter(|item| item.kind() == "block_sequence_item")
                    .map(|item| match named_children(item).first() {
                        Some(&inner) => self.value(inner, depth + 1),
                        None => Value::Other(span(item)),
                    })
                    .collect();
                Value::Array(items, self.span(node))
            }
            "flow_sequence" => {
                let items = named_children(node).into_iter().map(|item| self.value(item, depth + 1)).collect();
                Value::Array(items, span(node))
            }
            "plain_scalar" => match named_children(node).first() {
                Some(inner) if inner.kind() == "string_scalar" => self.scalar(node),
                _ => Value::Other(span(node)),
            },
            "double_quote_scalar" | "single_quote_scalar" | "block_scalar" => self.scalar(node),
            "alias" => {
                let name = named_children(node).first().map_or("", |n| self.node_text(*n));
                Value::Expr(Expr { span: span(node), text: name.to_string() })
            }
            _ => Value::Other(span(node)),
        }
    }

    /// The content of a node, without its anchor and tag.
    fn content(&self, node: Node<'t>) -> Option<Node<'t>> {
        if !matches!(node.kind(), "block_node" | "flow_node") {
            return Some(node);
        }
        named_children(node).into_iter().rfind(|c| !matches!(c.kind(), "anchor" | "tag"))
    }

    /// A node's value; an anchor (`&name`) binds the name to it.
    fn node_value(&mut self, node: Node<'t>, depth: usize) -> Value {
        let value = match self.content(node) {
            Some(content) => self.value(content, depth + 1),
            None => Value::Other(span(node)),
        };
        let anchor = named_children(node).into_iter().find(|c| c.kind() == "anchor");
        if let Some(name) = anchor.and_then(|a| named_children(a).into_iter().next()) {
            self.model.bindings.push(Binding {
                name: self.node_text(name).to_string(),
                value: value.clone(),
                span: span(node),
            });
        }
        value
    }

    fn mapping(&mut self, pairs: &[Node<'t>], object_span: Span, depth: usize) -> Value {
        let mut entries = Vec::new();
        for &pair in pairs {
            if !matches!(pair.kind(), "block_mapping_pair" | "flow_pair") {
                continue;
            }
            let Some((key, key_span)) = pair.child_by_field_name("key").and_then(|k| self.key(k)) else {
                continue;
            };
            let value = match pair.child_by_field_name("value") {
                Some(value) if SHELL_KEYS.contains(&key.as_str()) && self.shell_script(value) => {
                    Value::Other(span(value))
                }
                Some(value) => self.value(value, depth + 1),
                None => Value::Other(Span::new(pair.end_byte(), pair.end_byte())),
            };
            entries.push(Entry { key, key_span, value, span: span(pair) });
        }
        self.model.objects.push(ObjectLiteral { span: object_span, kind: ObjectKind::Literal, entries });
        Value::Object(self.model.objects.len() - 1)
    }

    /// A key's text and the span of that text (inside the quotes of a quoted key).
    fn key(&mut self, key: Node<'t>) -> Option<(String, Span)> {
        let scalar = self.content(key)?;
        let (lit, _) = self.flow_literal(scalar)?;
        match lit {
            Some(lit) => Some((lit.text, lit.span)),
            None => {
                let at = scalar.start_byte() + usize::from(scalar.kind() != "plain_scalar");
                Some((String::new(), Span::new(at, at)))
            }
        }
    }

    /// The decoded text of a flow scalar and where its content starts.
    fn flow_literal(&self, scalar: Node<'t>) -> Option<(Option<Literal>, usize)> {
        let (style, quoting, open) = match scalar.kind() {
            "plain_scalar" => (Style::Plain, Quoting::Plain, 0),
            "single_quote_scalar" => (Style::Single, Quoting::Quoted('\''), 1),
            "double_quote_scalar" => (Style::Double, Quoting::Quoted('"'), 1),
            _ => return None,
        };
        let (start, end) = self.inner(scalar, open);
        let mut lit = LitBuilder::new(quoting);
        self.flow_text(&mut lit, start, end, style);
        Some((lit.take(), start))
    }

    /// The content of a scalar node: after `open` bytes, before a closing quote.
    fn inner(&self, node: Node, open: usize) -> (usize, usize) {
        let raw = self.node_text(node);
        let start = node.start_byte() + open.min(raw.len());
        let closed = open > 0 && raw.len() > open && raw.ends_with(['"', '\'']);
        let end = if closed { node.end_byte() - 1 } else { node.end_byte() };
        (start, end.max(start))
    }

    /// A scalar as a string value; an `Authorization: <value>` string also yields its
    /// value.
    fn scalar(&mut self, node: Node<'t>) -> Value {
        let (lit, at) = if node.kind() == "block_scalar" {
            let mut lit = LitBuilder::new(Quoting::Plain);
            let at = self.block_text(&mut lit, node);
            (lit.take(), at)
        } else {
            match self.flow_literal(node) {
                Some(found) => found,
                None => return Value::Other(span(node)),
            }
        };
        let parts = match lit {
            Some(lit) => template_holes(vec![Part::Literal(lit)]),
            None => vec![Part::Literal(Literal::plain(String::new(), Span::new(at, at), Quoting::Plain))],
        };
        self.model.strings.push(StringValue { span: span(node), parts, embedded: None, nested: false });
        let id = self.model.strings.len() - 1;
        header_value(self.model, id);
        Value::String(id)
    }

    /// The lines of source `[start, end)`: `(start, end)` of each without its line break.
    fn lines(&self, start: usize, end: usize) -> Vec<(usize, usize)> {
        let mut lines = Vec::new();
        let mut from = start;
        for (i, c) in self.text[start..end].char_indices() {
            if c == '\n' {
                let at = start + i;
                let stop = if self.text[..at].ends_with('\r') { at - 1 } else { at };
                lines.push((from, stop.max(from)));
                from = at + 1;
            }
        }
        lines.push((from, end));
        lines
    }

    /// A flow scalar's text: each line break folds to a space, empty lines to line
    /// breaks, and the indentation of continuation lines is dropped.
    fn flow_text(&self, lit: &mut LitBuilder, start: usize, end: usize, style: Style) {
        let lines = self.lines(start, end);
        let bytes = self.text.as_bytes();
        let last = lines.len() - 1;
        let mut previous: Option<usize> = None;
        let mut blanks = 0;
        let mut escaped_break = false;
        for (i, &(mut a, mut b)) in lines.iter().enumerate() {
            if i > 0 {
                while a < b && matches!(bytes[a], b' ' | b'\t') {
                    a += 1;
                }
            }
            if i < last {
                while b > a && matches!(bytes[b - 1], b' ' | b'\t') {
                    b -= 1;
                }
            }
            let backslashes = self.text[a..b].bytes().rev().take_while(|&c| c == b'\\').count();
            let escapes_break = style == Style::Double && i < last && backslashes % 2 == 1;
            if escapes_break {
                b -= 1;
            }
            if a >= b && i > 0 && i < last && !escapes_break {
                blanks += 1;
                continue;
            }
            if let Some(previous) = previous {
                if blanks > 0 {
                    lit.push(&"\n".repeat(blanks), previous, a);
                } else if !escaped_break {
                    lit.push(" ", previous, a);
                }
            }
            blanks = 0;
            self.line(lit, a, b, style);
            previous = Some(b);
            escaped_break = escapes_break;
        }
    }

    /// One line of a flow scalar, with its escapes decoded.
    fn line(&self, lit: &mut LitBuilder, start: usize, end: usize, style: Style) {
        let text = self.text;
        let mut run = start;
        let mut i = start;
        while i < end {
            let escape = match (style, text.as_bytes()[i]) {
                (Style::Single, b'\'') if text[i..end].starts_with("''") => Some(("'".to_string(), 2)),
                (Style::Double, b'\\') => yaml_escape(&text[i..end]),
                _ => None,
            };
            match escape {
                Some((decoded, len)) => {
                    lit.push(&text[run..i], run, i);
                    lit.push(&decoded, i, i + len);
                    i += len;
                    run = i;
                }
                None => i += 1,
            }
        }
        if run < end {
            lit.push(&text[run..end], run, end);
        }
    }

    /// The indentation of the content lines of a block scalar, and their lines.
    fn block_lines(&self, node: Node) -> Option<BlockLines> {
        let start = node.start_byte();
        let header_end = self.text[start..node.end_byte()].find('\n').map(|i| start + i)?;
        let header = self.text[start..header_end].split_whitespace().next().unwrap_or("").to_string();
        let lines = self.lines(header_end + 1, node.end_byte());
        let bytes = self.text.as_bytes();
        let indent_of = |(a, b): (usize, usize)| (a..b).take_while(|&i| bytes[i] == b' ').count();
        let explicit = header.chars().find_map(|c| c.to_digit(10)).map(|d| d as usize);
        let indent = match explicit {
            Some(d) => {
                let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
                indent_of((line_start, start)) + d
            }
            None => lines.iter().find(|&&(a, b)| self.text[a..b].trim() != "").map_or(0, |&line| indent_of(line)),
        };
        Some((header, indent, lines))
    }

    /// A block scalar's text (`|` literal or `>` folded, with `-`/`+` chomping); returns
    /// where its content starts.
    fn block_text(&self, lit: &mut LitBuilder, node: Node) -> usize {
        let Some((header, indent, lines)) = self.block_lines(node) else {
            return node.end_byte();
        };
        let content_start = lines.first().map_or(node.end_byte(), |l| l.0);
        let folded = header.starts_with('>');
        let content = |&(a, b): &(usize, usize)| -> Option<(usize, usize)> {
            (self.text[a..b].trim() != "").then(|| ((a + indent).min(b), b))
        };
        let Some(last) = lines.iter().rposition(|l| content(l).is_some()) else {
            return content_start;
        };
        let more_indented = |a: usize| matches!(self.text.as_bytes().get(a), Some(b' ' | b'\t'));
        let mut previous: Option<(usize, bool)> = None; // end of the last content line, normal?
        let mut blanks: Vec<usize> = Vec::new(); // line ends of the empty lines since
        for (i, line) in lines.iter().enumerate().take(last + 1) {
            let Some((a, b)) = content(line) else {
                blanks.push(line.1);
                continue;
            };
            let normal = !more_indented(a);
            match previous {
                None => {
                    for &end in &blanks {
                        lit.push("\n", end, end + 1);
                    }
                }
                Some((end, previous_normal)) if folded => {
                    let breaks = if previous_normal && normal { blanks.len() } else { blanks.len() + 1 };
                    let separator = if breaks == 0 { " ".to_string() } else { "\n".repeat(breaks) };
                    lit.push(&separator, end, a);
                }
                Some((end, _)) => {
                    lit.push("\n", end, end + 1);
                    for &blank in &blanks {
                        lit.push("\n", blank, blank + 1);
                    }
                }
            }
            blanks.clear();
            lit.push(&self.text[a..b], a, b);
            previous = Some((b, normal));
            let _ = i;
        }
        let end = lines[last].1;
        if header.contains('+') {
            // Every line break to the next content, which the node does not hold.
            let mut at = end;
            while let Some(offset) = self.text[at..].find('\n') {
                let line_end = at + offset;
                if self.text[at..line_end].trim() != "" {
                    break;
                }
                lit.push("\n", line_end, line_end + 1);
                at = line_end + 1;
            }
        } else if !header.contains('-') {
            lit.push("\n", end, end);
        }
        content_start
    }

    /// Lowers the value of a script key as shell; false when it is not a script written
    /// verbatim (a folded block, a quoted scalar with escapes, a mapping).
    fn shell_script(&mut self, node: Node<'t>) -> bool {
        let Some(content) = self.content(node) else { return false };
        let raw = self.node_text(content);
        // An Auth0 Rule kept in a deploy-cli `script:` is JavaScript held in a string.
        let body = if content.kind() == "block_scalar" { raw.split_once('\n').map_or("", |(_, b)| b) } else { raw };
        if is_javascript_function(body.trim_start_matches(['"', '\'']).trim_start()) {
            return false;
        }
        let ranges: Vec<Range<usize>> = match content.kind() {
            "block_scalar" if raw.starts_with('|') => {
                let Some((_, indent, lines)) = self.block_lines(content) else { return false };
                lines
                    .into_iter()
                    .filter(|&(a, b)| self.text[a..b].trim() != "")
                    .map(|(a, b)| {
                        let end = if self.text[b..].starts_with('\n') { b + 1 } else { b };
                        (a + indent).min(b)..end
                    })
                    .collect()
            }
            "plain_scalar" if !raw.contains('\n') => vec![content.byte_range()],
            "single_quote_scalar" | "double_quote_scalar"
                if !raw.contains('\n') && !raw[1..].contains(['\\', '\'']) && raw.len() > 1 =>
            {
                let (a, b) = self.inner(content, 1);
                std::iter::once(a..b).collect()
            }
            "block_sequence" | "flow_sequence" => {
                let items: Vec<Node> = named_children(content)
                    .into_iter()
                    .map(|item| {
                        if item.kind() == "block_sequence_item" {
                            named_children(item).first().copied().unwrap_or(item)
                        } else {
                            item
                        }
                    })
                    .collect();
                let scalar = |n: &Node| {
                    self.content(*n).is_some_and(|c| {
                        matches!(
                            c.kind(),
                            "plain_scalar" | "single_quote_scalar" | "double_quote_scalar" | "block_scalar"
                        )
                    })
                };
                if items.is_empty() || !items.iter().all(scalar) {
                    return false;
                }
                for item in items {
                    if !self.shell_script(item) {
                        self.value(item, 0);
                    }
                }
                return true;
            }
            _ => return false,
        };
        if ranges.is_empty() {
            return true;
        }
        let grammar = super::shell::grammar();
        let Ok(tree) = super::treesitter::parse_ranges(grammar, self.text, &ranges) else {
            return false;
        };
        // Template expressions (`${{ secrets.X }}`) are not shell: their parse errors
        // are not the YAML file's.
        let errors = self.model.syntax_errors.len();
        super::treesitter::lower_into(grammar, &tree, self.text, self.model);
        self.model.syntax_errors.truncate(errors);
        true
    }
}

/// True for text that starts as a JavaScript function with parameters
/// (`function name(user, ...`, `async function (`, `async (a, b) =>`), which no shell
/// script does (a shell function's parentheses are empty), or as a CommonJS export.
fn is_javascript_function(text: &str) -> bool {
    if text.starts_with("exports.") || text.starts_with("module.exports") {
        return true;
    }
    let text = text.strip_prefix("async").map_or(text, str::trim_start);
    let after_params = |rest: &str| {
        let rest = rest.trim_start();
        rest.strip_prefix('(').is_some_and(|p| !p.trim_start().starts_with(')'))
    };
    match text.strip_prefix("function") {
        Some(rest) => {
            let rest = rest.trim_start().trim_start_matches(|c: char| c.is_alphanumeric() || c == '_' || c == '$');
            after_params(rest)
        }
        None => text.starts_with('(') && after_params(text) && text.contains("=>"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;
    use crate::model::{Call, HOLE};

    fn lower(src: &str) -> FileModel {
        Language::Yaml.lower(src).unwrap()
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

    fn object_at<'m>(m: &'m FileModel, src: &str, start: &str) -> &'m ObjectLiteral {
        m.objects
            .iter()
            .find(|o| src[o.span.range()].starts_with(start))
            .unwrap_or_else(|| panic!("no object at {start:?}"))
    }

    #[test]
    fn flow_scalars_decode_and_fold() {
        let src = "plain: https://t.auth0.com/oauth/ro\nsingle: 'it''s /oauth/ro'\ndouble: \"a\\tb\\\"c\\u00e9 \\/oauth\\/ro\"\nfolded: first\n  second\n\n  third\nescaped: \"one\\\n  two\"\n";
        let m = lower(src);
        let plain = string(&m, src, "https://t.auth0.com/oauth/ro");
        assert_eq!(source_of(src, plain, "ro"), "ro");
        let single = string(&m, src, "'it''s /oauth/ro'");
        assert_eq!(single.text(), "it's /oauth/ro");
        assert_eq!(source_of(src, single, "'"), "''");
        assert_eq!(source_of(src, single, "/oauth/ro"), "/oauth/ro");
        let double = string(&m, src, "\"a\\tb\\\"c\\u00e9 \\/oauth\\/ro\"");
        assert_eq!(double.text(), "a\tb\"cé /oauth/ro");
        assert_eq!(source_of(src, double, "é"), "\\u00e9");
        assert_eq!(source_of(src, double, "ro"), "ro");
        let folded = string(&m, src, "first\n  second\n\n  third");
        assert_eq!(folded.text(), "first second\nthird");
        assert_eq!(source_of(src, folded, "third"), "third");
        assert_eq!(string(&m, src, "\"one\\\n  two\"").text(), "onetwo");
    }

    #[test]
    fn block_scalars_keep_or_fold_lines() {
        let src = "literal: |\n  line1\n    line2\n\n  line4\nstrip: |-\n  a\n  b\nfolded: >\n  a\n  b\n\n  c\n    code\n  d\nkeep: |+\n  x\n\nnext: 1\n";
        let m = lower(src);
        let texts: Vec<String> = m.strings.iter().map(|s| s.text()).collect();
        assert_eq!(texts, ["line1\n  line2\n\nline4\n", "a\nb", "a b\nc\n  code\nd\n", "x\n\n"]);
        let literal = &m.strings[0];
        assert_eq!(source_of(src, literal, "line2"), "line2");
        assert_eq!(source_of(src, literal, "line4"), "line4");
        assert!(!literal.locate(0, 8).is_some_and(|(l, a, b)| l.is_verbatim(a, b)));
    }

    #[test]
    fn mappings_sequences_anchors_and_aliases() {
        let src = "\"grant_type\": password\n'connection': db\nlist: [a, {k: v}]\nitems:\n  - one\n  - two: 2\nbase: &creds\n  client_id: abc\nother: *creds\n";
        let m = lower(src);
        let top = object_at(&m, src, "\"grant_type\"");
        let keys: Vec<&str> = top.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["grant_type", "connection", "list", "items", "base", "other"]);
        assert_eq!(&src[top.entries[0].key_span.range()], "grant_type");
        assert_eq!(&src[top.entries[1].key_span.range()], "connection");
        let Value::Array(list, _) = &top.entries[2].value else { panic!() };
        assert!(matches!(list[1], Value::Object(_)));
        let Value::Array(items, _) = &top.entries[3].value else { panic!() };
        assert_eq!(items.len(), 2);
        assert_eq!(m.bindings[0].name, "creds");
        let Value::Object(creds) = m.resolve(&top.entries[5].value) else { panic!() };
        assert_eq!(m.objects[*creds].entries[0].key, "client_id");
    }

    #[test]
    fn request_mappings_are_calls_with_template_holes() {
        let src = "- name: login\n  uri:\n    url: \"https://{{ auth0_domain }}/oauth/ro\"\n    method: POST\n    body_format: json\n    body:\n      grant_type: password\n      connection: \"{{ connection }}\"\n    headers:\n      Authorization: \"Bearer {{ id_token }}\"\n";
        let m = lower(src);
        let call: &Call = m.calls.iter().find(|c| c.callee == "request").expect("request");
        let labels: Vec<&str> = call.args.iter().map(|a| a.label.as_deref().unwrap()).collect();
        assert_eq!(labels, ["url", "body", "headers"]);
        let url = m.string_of(&call.args[0].value).unwrap();
        assert_eq!(url.text(), format!("https://{HOLE}/oauth/ro"));
        let Value::Object(body) = call.args[1].value else { panic!() };
        assert_eq!(m.objects[body].entries[0].key, "grant_type");
        assert!(m.strings.iter().any(|s| s.text() == format!("Bearer {HOLE}")));
    }

    #[test]
    fn ci_scripts_are_shell() {
        let src = "jobs:\n  login:\n    steps:\n      - run: |\n          curl -s \"https://${{ secrets.AUTH0_DOMAIN }}/oauth/ro\" \\\n            -d '{\"grant_type\":\"password\",\"connection\":\"db\"}'\n      - run: echo done\nscript:\n  - curl https://t/oauth/ro -d grant_type=password -d connection=db\n";
        let m = lower(src);
        let curls: Vec<&Call> = m.calls.iter().filter(|c| c.callee == "curl").collect();
        assert_eq!(curls.len(), 2);
        let url = m.string_of(&curls[0].args[0].value).unwrap();
        assert_eq!(url.text(), format!("https://{HOLE}/oauth/ro"));
        assert_eq!(source_of(src, url, "/oauth/ro"), "/oauth/ro");
        assert!(m.syntax_errors.is_empty(), "{:?}", m.syntax_errors);
        let Value::Object(form) = curls[1].args[1].value else { panic!("{:?}", curls[1].args) };
        assert_eq!(&src[m.objects[form].entries[1].key_span.range()], "connection");
    }

    #[test]
    fn a_rule_script_is_a_string_not_shell() {
        let src = "rules:\n  - name: r\n    script: |\n      function r(user, context, callback) {\n        callback(null, user, context);\n      }\n  - name: s\n    script: 'async (user, context) => {}'\nbuild:\n  script: |\n    function setup() { echo hi; }\n    curl -s https://example.com/health\n";
        let m = lower(src);
        let scripts: Vec<String> = m
            .objects
            .iter()
            .filter_map(|o| o.get("script"))
            .filter_map(|e| m.string_of(&e.value))
            .map(|s| s.text())
            .collect();
        assert_eq!(
            scripts,
            [
                "function r(user, context, callback) {\n  callback(null, user, context);\n}\n",
                "async (user, context) => {}"
            ]
        );
        assert!(m.calls.iter().any(|c| c.callee == "curl"), "a shell script with a function stays shell");
        assert!(is_javascript_function("function (user, context, callback) {"));
        assert!(!is_javascript_function("function setup() { echo hi; }"));
        assert!(!is_javascript_function("functions deploy"));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let depth = 3000;
        let src = format!("a: {}x{}\nurl: /oauth/ro\n", "[".repeat(depth), "]".repeat(depth));
        let m = lower(&src);
        assert!(m.strings.iter().any(|s| s.text() == "/oauth/ro"));
    }
}
