//! Shell (sh, bash, zsh): tree-sitter-bash, and the pass that lowers words and commands.
//!
//! The facts query only marks comments and function bodies. Everything else is lowered
//! here, because tree-sitter-bash does not expose the pieces a query would capture: the
//! text of a heredoc between two expansions has no node, and backslash escapes stay
//! inside `string_content`. Each word becomes one string value (quotes, escapes, `$'...'`,
//! heredocs, `$VAR`/`${VAR}`/`$(...)` as holes, adjacent words joined), `VAR=value` (also
//! under `export`/`local`/`declare`) a binding, and every command a call whose callee is
//! the program. `curl`, `wget` and HTTPie (`http`) are read flag by flag, so that their
//! arguments are what the rules look for: the URLs, the bodies (several `-d k=v` flags
//! make one form object; `-d @-` reads the heredoc, here-string or pipe that feeds the
//! command) and the headers, each labelled with its flag. An `Authorization: <value>`
//! string also yields its value as a string of its own, so `"Authorization: Bearer
//! $ID_TOKEN"` holds the `Bearer <id token>` value the rules read.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use tree_sitter::{Node, Tree};

use super::json::template_holes;
use super::treesitter::{compact, Grammar};
use crate::model::{
    Arg, Binding, Call, Entry, Expr, FileModel, Literal, ObjectKind, ObjectLiteral, Part, Quoting, StringValue, Value,
    HOLE,
};
use crate::source::Span;

/// How deeply values may nest before the rest is treated as opaque.
const MAX_DEPTH: usize = 96;
/// Longest expression text kept on an [`Expr`].
const MAX_EXPR_TEXT: usize = 240;

pub(super) fn grammar() -> &'static Grammar {
    static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
    GRAMMAR.get_or_init(|| {
        Grammar::new(tree_sitter_bash::LANGUAGE.into(), include_str!("queries/shell.scm"), unescape, None)
            .with_extra(lower)
            .with_env_lookup("\"${{name}}\"")
    })
}

/// Decodes one escape sequence of an ANSI-C string (`$'...'`).
fn unescape(raw: &str) -> Option<String> {
    ansi_c_escape(raw).map(|(text, _)| text)
}

/// Decodes the ANSI-C escape at the start of `s` (`\n`, `\'`, `\x41`, `\u00e9`, `\101`,
/// `\cA`, ...): its text and the number of bytes it takes. `None` for an unknown escape,
/// which bash keeps as written.
fn ansi_c_escape(s: &str) -> Option<(String, usize)> {
    let body = s.strip_prefix('\\')?;
    let first = body.chars().next()?;
    let simple = match first {
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'e' | 'E' => Some('\u{1b}'),
        'f' => Some('\u{c}'),
        'v' => Some('\u{b}'),
        '\\' | '\'' | '"' | '?' => Some(first),
        _ => None,
    };
    if let Some(c) = simple {
        return Some((c.to_string(), 1 + first.len_utf8()));
    }
    let digits = |radix: u32, max: usize, from: usize| -> Option<(String, usize)> {
        let run: String = body[from..].chars().take(max).take_while(|c| c.is_digit(radix)).collect();
        if run.is_empty() {
            return None;
        }
        let c = char::from_u32(u32::from_str_radix(&run, radix).ok()?)?;
        Some((c.to_string(), 1 + from + run.len()))
    };
    match first {
        'x' => digits(16, 2, 1),
        'u' => digits(16, 4, 1),
        'U' => digits(16, 8, 1),
        '0'..='7' => digits(8, 3, 0),
        'c' => {
            let c = body[1..].chars().next()?;
            let code = (c.to_ascii_uppercase() as u32) & 0x1f;
            Some((char::from_u32(code)?.to_string(), 2 + c.len_utf8()))
        }
        _ => None,
    }
}

/// Builds one literal piece from decoded chunks, each with the source range it was
/// decoded from, and records the source positions that do not follow from the start.
pub(super) struct LitBuilder {
    text: String,
    map: Vec<(usize, usize)>,
    span: Option<Span>,
    delta: isize,
    quoting: Quoting,
}

impl LitBuilder {
    pub(super) fn new(quoting: Quoting) -> Self {
        LitBuilder { text: String::new(), map: Vec::new(), span: None, delta: 0, quoting }
    }

    /// Appends `decoded`, the text of the source bytes `[start, end)`. Source that
    /// decodes to nothing (a line continuation, indentation) is skipped by pushing "".
    pub(super) fn push(&mut self, decoded: &str, start: usize, end: usize) {
        if decoded.is_empty() {
            return;
        }
        match &mut self.span {
            None => {
                self.span = Some(Span::new(start, end));
                self.delta = start as isize;
            }
            Some(span) => span.end = end,
        }
        let delta = start as isize - self.text.len() as isize;
        if delta != self.delta {
            self.map.push((self.text.len(), start));
            self.delta = delta;
        }
        self.text.push_str(decoded);
    }

    /// The literal built so far, leaving the builder empty.
    pub(super) fn take(&mut self) -> Option<Literal> {
        let span = self.span.take()?;
        Some(Literal {
            text: std::mem::take(&mut self.text),
            span,
            map: std::mem::take(&mut self.map),
            site: None,
            quoting: self.quoting,
        })
    }
}

/// The parts holding the decoded text range `[start, end)` of a string's parts; a hole
/// is kept when the range covers it whole.
pub(super) fn substring(parts: &[Part], start: usize, end: usize) -> Vec<Part> {
    let mut out = Vec::new();
    let mut offset = 0;
    for part in parts {
        let len = match part {
            Part::Literal(lit) => lit.text.len(),
            Part::Hole(_) => HOLE.len_utf8(),
        };
        let (a, b) = (start.max(offset), end.min(offset + len));
        if a < b {
            match part {
                Part::Literal(lit) => out.push(Part::Literal(lit.slice(a - offset, b - offset))),
                Part::Hole(_) if a == offset && b == offset + len => out.push(part.clone()),
                Part::Hole(_) => {}
            }
        }
        offset += len;
    }
    out
}

/// The source span from the first part to the last.
pub(super) fn parts_span(model: &FileModel, parts: &[Part]) -> Option<Span> {
    let of = |part: &Part| match part {
        Part::Literal(lit) => lit.span,
        Part::Hole(value) => value.span(model),
    };
    Some(of(parts.first()?).cover(of(parts.last()?)))
}

/// `Authorization: <value>` (any case): the decoded offset where the value starts.
pub(super) fn authorization_value_at(text: &str) -> Option<usize> {
    let trimmed = text.trim_start();
    let lead = text.len() - trimmed.len();
    let name = trimmed.get(..13)?;
    if !name.eq_ignore_ascii_case("authorization") {
        return None;
    }
    let rest = trimmed[13..].trim_start_matches([' ', '\t']);
    let rest = rest.strip_prefix(':')?;
    let value = rest.trim_start_matches([' ', '\t']);
    let at = text.len() - value.len();
    (at > lead + 13 && at < text.len()).then_some(at)
}

/// The `Bearer <token>` a client sends for a token given on its own (curl's
/// `--oauth2-bearer`, Postman's bearer auth): a string whose `Bearer ` has no source of its
/// own (it sits at the token's start) followed by the token.
pub(super) fn bearer_string(model: &mut FileModel, token: &Value) -> Value {
    let token_span = token.span(model);
    let at = token_span.start;
    let mut parts = vec![Part::Literal(Literal {
        text: "Bearer ".into(),
        span: Span::new(at, at),
        map: (1..7).map(|t| (t, at)).collect(),
        site: None,
        quoting: Quoting::Plain,
    })];
    match token {
        Value::String(id) => parts.extend(model.strings[*id].parts.iter().cloned()),
        other => parts.push(Part::Hole(Box::new(other.clone()))),
    }
    model.strings.push(StringValue { span: token_span, parts, embedded: None, nested: false });
    Value::String(model.strings.len() - 1)
}

/// Lowers the whole tree: every command, assignment and heredoc.
fn lower(tree: &Tree, text: &str, model: &mut FileModel) {
    let mut shell = Shell { text, model, memo: HashMap::new(), functions: HashSet::new(), headers: HashMap::new() };
    let mut cursor = tree.walk();
    'functions: loop {
        let node = cursor.node();
        if node.kind() == "function_definition" {
            if let Some(name) = node.child_by_field_name("name") {
                shell.functions.insert(text[name.byte_range()].to_string());
            }
        }
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'functions;
            }
        }
    }
    let mut cursor = tree.walk();
    'walk: loop {
        shell.visit(cursor.node());
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
}

fn span(node: Node) -> Span {
    Span::new(node.start_byte(), node.end_byte())
}

fn named_children(node: Node) -> Vec<Node> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).filter(|c| c.kind() != "comment").collect()
}

fn child_of_kind<'t>(node: Node<'t>, kind: &str) -> Option<Node<'t>> {
    let mut cursor = node.walk();
    let found = node.children(&mut cursor).find(|c| c.kind() == kind);
    found
}

/// What a flag's value is to the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Url,
    Data,
    Header,
    /// `--oauth2-bearer TOKEN`: sent as `Authorization: Bearer TOKEN`.
    Bearer,
    Other,
}

/// curl's long options that take a value, and what the value is.
fn curl_long(flag: &str) -> Option<Role> {
    Some(match flag {
        "--url" => Role::Url,
        "--data" | "--data-raw" | "--data-binary" | "--data-ascii" | "--data-urlencode" | "--json" | "--form"
        | "--form-string" => Role::Data,
        "--header" | "--proxy-header" => Role::Header,
        "--oauth2-bearer" => Role::Bearer,
        "--request"
        | "--user"
        | "--user-agent"
        | "--referer"
        | "--cookie"
        | "--cookie-jar"
        | "--output"
        | "--write-out"
        | "--max-time"
        | "--connect-timeout"
        | "--retry"
        | "--retry-delay"
        | "--retry-max-time"
        | "--proxy"
        | "--proxy-user"
        | "--cacert"
        | "--capath"
        | "--cert"
        | "--cert-type"
        | "--key"
        | "--key-type"
        | "--config"
        | "--resolve"
        | "--connect-to"
        | "--limit-rate"
        | "--max-filesize"
        | "--interface"
        | "--dns-servers"
        | "--trace"
        | "--trace-ascii"
        | "--stderr"
        | "--upload-file"
        | "--range"
        | "--time-cond"
        | "--variable"
        | "--url-query"
        | "--aws-sigv4"
        | "--unix-socket"
        | "--abstract-unix-socket"
        | "--ciphers"
        | "--tls-max"
        | "--pass"
        | "--proto"
        | "--proto-redir"
        | "--output-dir"
        | "--netrc-file"
        | "--max-redirs"
        | "--speed-limit"
        | "--speed-time"
        | "--expect100-timeout"
        | "--keepalive-time"
        | "--local-port"
        | "--noproxy"
        | "--pinnedpubkey"
        | "--preproxy"
        | "--proxy-cacert"
        | "--request-target"
        | "--socks5"
        | "--socks5-hostname"
        | "--socks4"
        | "--socks4a"
        | "--delegation"
        | "--retry-connrefused-delay"
        | "--parallel-max"
        | "--dump-header"
        | "--etag-save"
        | "--etag-compare"
        | "--hsts"
        | "--alt-svc"
        | "--krb" => Role::Other,
        _ => return None,
    })
}

/// curl's short options that take a value.
fn curl_short(flag: char) -> Option<Role> {
    Some(match flag {
        'd' | 'F' => Role::Data,
        'H' => Role::Header,
        'X' | 'u' | 'A' | 'e' | 'b' | 'c' | 'o' | 'w' | 'm' | 'x' | 'T' | 'r' | 'z' | 'E' | 'K' | 'C' | 'Y' | 'y'
        | 'P' | 'Q' | 't' | 'U' | 'D' => Role::Other,
        _ => return None,
    })
}

/// wget's options that take a value.
fn wget_long(flag: &str) -> Option<Role> {
    Some(match flag {
        "--post-data" | "--body-data" => Role::Data,
        "--header" => Role::Header,
        "--method" | "--post-file" | "--body-file" | "--output-document" | "--output-file" | "--append-output"
        | "--user" | "--password" | "--http-user" | "--http-password" | "--user-agent" | "--referer" | "--timeout"
        | "--tries" | "--wait" | "--load-cookies" | "--save-cookies" | "--ca-certificate" | "--certificate"
        | "--private-key" | "--directory-prefix" | "--input-file" | "--execute" | "--limit-rate" => Role::Other,
        _ => return None,
    })
}

fn wget_short(flag: char) -> Option<Role> {
    matches!(
        flag,
        'O' | 'o' | 'a' | 'i' | 't' | 'T' | 'w' | 'U' | 'P' | 'e' | 'B' | 'Q' | 'l' | 'A' | 'R' | 'D' | 'X' | 'I'
    )
    .then_some(Role::Other)
}

/// HTTPie's options that take a value.
fn httpie_long(flag: &str) -> bool {
    matches!(
        flag,
        "--auth"
            | "--auth-type"
            | "--print"
            | "--session"
            | "--session-read-only"
            | "--verify"
            | "--timeout"
            | "--output"
            | "--proxy"
            | "--cert"
            | "--cert-key"
            | "--cert-key-pass"
            | "--pretty"
            | "--style"
            | "--max-redirects"
            | "--boundary"
            | "--format-options"
            | "--raw"
            | "--default-scheme"
            | "--history-print"
            | "--response-charset"
            | "--response-mime"
            | "--ssl"
            | "--ciphers"
            | "--chunked-size"
    )
}

fn httpie_short(flag: char) -> bool {
    matches!(flag, 'a' | 'A' | 'p' | 'o' | 's' | 'P')
}

/// One argument of a request command, once its flag is known.
struct RequestArg {
    label: Option<String>,
    role: Role,
    value: Pending,
    /// The words it was written with (the flag and its value).
    span: Span,
}

/// A value not yet in the model: a string still to be committed, or a value already
/// lowered (an expansion, a command substitution).
enum Pending {
    /// The string and the id of the node it was lowered from.
    String(StringValue, usize),
    Value(Value),
}

struct Shell<'t, 'm> {
    text: &'t str,
    model: &'m mut FileModel,
    memo: HashMap<usize, Value>,
    /// The functions the script defines: calling one is a call.
    functions: HashSet<String>,
    /// `Authorization: <value>` strings → the string of their value.
    headers: HashMap<usize, usize>,
}

impl<'t> Shell<'t, '_> {
    fn visit(&mut self, node: Node<'t>) {
        match node.kind() {
            "command" | "heredoc_body" => {
                self.value(node, 0);
            }
            "variable_assignment" => self.binding(node),
            "herestring_redirect" => {
                if let Some(word) = named_children(node).first() {
                    self.value(*word, 0);
                }
            }
            _ => {}
        }
    }

    fn node_text(&self, node: Node) -> &'t str {
        &self.text[node.byte_range()]
    }

    fn expr(&self, node: Node) -> Value {
        let raw = self.node_text(node);
        Value::Expr(Expr {
            span: span(node),
            text: if raw.len() > MAX_EXPR_TEXT { String::new() } else { compact(raw) },
        })
    }

    /// `NAME=value`, alone or under `export`/`local`/`declare`/`readonly`, or before a
    /// command.
    fn binding(&mut self, node: Node<'t>) {
        let Some(name) = node.child_by_field_name("name") else {
            return;
        };
        if name.kind() != "variable_name" {
            return;
        }
        let value = match node.child_by_field_name("value") {
            Some(value) => self.value(value, 0),
            None => {
                let at = node.end_byte();
                self.model.strings.push(StringValue {
                    span: Span::new(at, at),
                    parts: vec![Part::Literal(Literal::plain(String::new(), Span::new(at, at), Quoting::Plain))],
                    embedded: None,
                    nested: false,
                });
                Value::String(self.model.strings.len() - 1)
            }
        };
        self.model.bindings.push(Binding { name: self.node_text(name).to_string(), value, span: span(node) });
    }

    fn value(&mut self, node: Node<'t>, depth: usize) -> Value {
        if let Some(value) = self.memo.get(&node.id()) {
            return value.clone();
        }
        let value = if depth > MAX_DEPTH {
            self.expr(node)
        } else {
            match node.kind() {
                "word" | "string" | "raw_string" | "ansi_c_string" | "translated_string" | "concatenation"
                | "heredoc_body" => {
                    let string = self.string(node, depth);
                    self.push_string(string)
                }
                "simple_expansion" | "expansion" => Value::Expr(self.variable(node)),
                "command_substitution" => self.substitution(node, depth),
                "array" => {
                    let items = named_children(node).into_iter().map(|c| self.value(c, depth + 1)).collect();
                    Value::Array(items, span(node))
                }
                "command" => self.command(node, depth),
                _ => self.expr(node),
            }
        };
        self.memo.insert(node.id(), value.clone());
        value
    }

    /// Adds a string to the model, and the value of an `Authorization: <value>` header
    /// as a string of its own. A string that is one expansion is that expansion.
    fn push_string(&mut self, string: StringValue) -> Value {
        // `"$URL"` is the variable's value, as a bare name is in other languages.
        if let [Part::Hole(value)] = string.parts.as_slice() {
            return value.as_ref().clone();
        }
        let header = authorization_value_at(&string.text()).map(|at| {
            let len = string.text().len();
            substring(&string.parts, at, len)
        });
        self.model.strings.push(string);
        let id = self.model.strings.len() - 1;
        if let Some(parts) = header {
            if let Some(span) = parts_span(self.model, &parts) {
                self.model.strings.push(StringValue { span, parts, embedded: None, nested: false });
                self.headers.insert(id, self.model.strings.len() - 1);
            }
        }
        Value::String(id)
    }

    /// A word as one string value, not yet added to the model.
    fn string(&mut self, node: Node<'t>, depth: usize) -> StringValue {
        let mut parts = Vec::new();
        self.parts(node, depth, &mut parts);
        StringValue { span: span(node), parts: template_holes(parts), embedded: None, nested: false }
    }

    /// The content of a quoted node: after `open` bytes, before the closing quote.
    fn inner(&self, node: Node, open: usize, close: char) -> (usize, usize) {
        let raw = self.node_text(node);
        let start = (node.start_byte() + open).min(node.end_byte());
        let end =
            if raw.len() > open && raw.ends_with(close) { node.end_byte() - close.len_utf8() } else { node.end_byte() };
        (start, end.max(start))
    }

    fn parts(&mut self, node: Node<'t>, depth: usize, out: &mut Vec<Part>) {
        match node.kind() {
            "word" | "number" | "ERROR" => {
                // An ERROR is mostly a template the shell never sees (`${{ secrets.X }}`
                // in a CI step), made a hole by `template_holes`.
                let mut lit = LitBuilder::new(Quoting::Plain);
                self.push_escaped(&mut lit, node.start_byte(), node.end_byte(), |_| true);
                out.extend(lit.take().map(Part::Literal));
            }
            "raw_string" => {
                let (a, b) = self.inner(node, 1, '\'');
                out.push(Part::Literal(Literal::plain(
                    self.text[a..b].to_string(),
                    Span::new(a, b),
                    Quoting::Quoted('\''),
                )));
            }
            "ansi_c_string" => {
                let (a, b) = self.inner(node, 2, '\'');
                let mut lit = LitBuilder::new(Quoting::Quoted('\''));
                let mut run = a;
                let mut i = a;
                while i < b {
                    if self.text.as_bytes()[i] == b'\\' {
                        if let Some((decoded, len)) = ansi_c_escape(&self.text[i..b]) {
                            lit.push(&self.text[run..i], run, i);
                            lit.push(&decoded, i, i + len);
                            i += len;
                            run = i;
                            continue;
                        }
                    }
                    i += 1;
                }
                lit.push(&self.text[run..b], run, b);
                match lit.take() {
                    Some(l) => out.push(Part::Literal(l)),
                    None => out.push(empty(a, Quoting::Quoted('\''))),
                }
            }
            "string" => self.double_quoted(node, depth, out),
            "heredoc_body" => self.heredoc(node, depth, out),
            "translated_string" | "concatenation" => {
                let mut cursor = node.walk();
                let children: Vec<Node> = node.children(&mut cursor).collect();
                for child in children {
                    if child.is_named() {
                        self.parts(child, depth + 1, out);
                    } else {
                        // A `$` or `=` the grammar leaves unnamed: literal text.
                        let mut lit = LitBuilder::new(Quoting::Plain);
                        let (a, b) = (child.start_byte(), child.end_byte());
                        if !(node.kind() == "translated_string" && self.text[a..b] == *"$") {
                            lit.push(&self.text[a..b], a, b);
                        }
                        out.extend(lit.take().map(Part::Literal));
                    }
                }
            }
            "simple_expansion" | "expansion" => {
                out.push(Part::Hole(Box::new(Value::Expr(self.variable(node)))));
            }
            _ => {
                let value = self.value(node, depth + 1);
                out.push(Part::Hole(Box::new(value)));
            }
        }
    }

    /// Pushes source `[start, end)`, dropping the backslash of the escapes `drops`
    /// accepts and the line continuations (backslash-newline).
    fn push_escaped(&self, lit: &mut LitBuilder, start: usize, end: usize, drops: impl Fn(char) -> bool) {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut run = start;
        let mut i = start;
        while i < end {
            if bytes[i] != b'\\' || i + 1 >= end {
                i += 1;
                continue;
            }
            let c = text[i + 1..].chars().next().unwrap_or('\\');
            let len = c.len_utf8();
            if c == '\n' || (c == '\r' && bytes.get(i + 2) == Some(&b'\n')) {
                lit.push(&text[run..i], run, i);
                i += if c == '\n' { 2 } else { 3 };
                run = i;
            } else if drops(c) {
                lit.push(&text[run..i], run, i);
                lit.push(&text[i + 1..i + 1 + len], i, i + 1 + len);
                i += 1 + len;
                run = i;
            } else {
                i += 1 + len;
            }
        }
        if run < end {
            lit.push(&text[run..end], run, end);
        }
    }

    /// `"..."`: literal text between the expansions, with `\$ \` \" \\` decoded.
    fn double_quoted(&mut self, node: Node<'t>, depth: usize, out: &mut Vec<Part>) {
        let (a, b) = self.inner(node, 1, '"');
        let drops = |c: char| matches!(c, '$' | '`' | '"' | '\\');
        let mut lit = LitBuilder::new(Quoting::Quoted('"'));
        let mut pos = a;
        let mut holes = false;
        for child in named_children(node) {
            if matches!(child.kind(), "string_content" | "ERROR") || child.start_byte() < pos {
                continue;
            }
            self.push_escaped(&mut lit, pos, child.start_byte(), drops);
            out.extend(lit.take().map(Part::Literal));
            self.parts(child, depth + 1, out);
            pos = child.end_byte();
            holes = true;
        }
        self.push_escaped(&mut lit, pos, b.max(pos), drops);
        match lit.take() {
            Some(l) => out.push(Part::Literal(l)),
            None if !holes => out.push(empty(a, Quoting::Quoted('"'))),
            None => {}
        }
    }

    /// A heredoc's body: literal unless its delimiter is unquoted, in which case the
    /// expansions are holes and `\$ \` \\` are decoded; `<<-` strips leading tabs.
    fn heredoc(&mut self, node: Node<'t>, depth: usize, out: &mut Vec<Part>) {
        let redirect = node.parent();
        let quoted = redirect
            .and_then(|r| child_of_kind(r, "heredoc_start"))
            .is_some_and(|s| self.node_text(s).contains(['\'', '"', '\\']));
        let strip_tabs = redirect.is_some_and(|r| child_of_kind(r, "<<-").is_some());
        let mut lit = LitBuilder::new(Quoting::Plain);
        let mut pos = node.start_byte();
        if !quoted {
            for child in named_children(node) {
                if child.kind() == "heredoc_content" || child.start_byte() < pos {
                    continue;
                }
                self.heredoc_text(&mut lit, pos, child.start_byte(), false, strip_tabs);
                out.extend(lit.take().map(Part::Literal));
                self.parts(child, depth + 1, out);
                pos = child.end_byte();
            }
        }
        self.heredoc_text(&mut lit, pos, node.end_byte(), quoted, strip_tabs);
        out.extend(lit.take().map(Part::Literal));
        if out.is_empty() {
            out.push(empty(node.start_byte(), Quoting::Plain));
        }
    }

    fn heredoc_text(&self, lit: &mut LitBuilder, start: usize, end: usize, quoted: bool, strip_tabs: bool) {
        let mut from = start;
        while from < end {
            let line_end = self.text[from..end].find('\n').map_or(end, |i| from + i + 1);
            if quoted {
                lit.push(&self.text[from..line_end], from, line_end);
            } else {
                self.push_escaped(lit, from, line_end, |c| matches!(c, '$' | '`' | '\\'));
            }
            from = line_end;
            if strip_tabs && self.text[..from].ends_with('\n') {
                while from < end && self.text.as_bytes()[from] == b'\t' {
                    from += 1;
                }
            }
        }
    }

    /// `$NAME` / `${NAME...}`: the name, spanning the whole expansion.
    fn variable(&self, node: Node) -> Expr {
        let name =
            named_children(node).into_iter().find(|c| matches!(c.kind(), "variable_name" | "special_variable_name"));
        Expr {
            span: span(node),
            text: match name {
                Some(name) => self.node_text(name).to_string(),
                None => compact(self.node_text(node)),
            },
        }
    }

    /// `$(...)`: the command it runs (a `cat <<EOF` heredoc is its text), else opaque.
    fn substitution(&mut self, node: Node<'t>, depth: usize) -> Value {
        if let [inner] = named_children(node).as_slice() {
            match inner.kind() {
                "command" => {
                    if let call @ Value::Call(_) = self.value(*inner, depth + 1) {
                        return call;
                    }
                }
                "redirected_statement" => {
                    if let Some(body) = self.printed_by(*inner, depth) {
                        return body;
                    }
                    let command = inner.child_by_field_name("body").filter(|b| b.kind() == "command");
                    if let Some(command) = command {
                        if let call @ Value::Call(_) = self.value(command, depth + 1) {
                            return call;
                        }
                    }
                }
                _ => {}
            }
        }
        self.expr(node)
    }

    /// The program a command runs, without its directory.
    fn program(&self, name: Node) -> String {
        let raw = self.node_text(name);
        // A console prompt (`$ curl ...`) is read by the grammar as an expansion.
        let raw = raw.strip_prefix("$ ").unwrap_or(raw).trim();
        let raw = raw.trim_matches(['"', '\'']);
        raw.rsplit('/').next().unwrap_or(raw).to_string()
    }

    fn command(&mut self, node: Node<'t>, depth: usize) -> Value {
        let Some(name) = node.child_by_field_name("name") else {
            return self.expr(node);
        };
        let mut cursor = node.walk();
        let mut words: Vec<Node<'t>> =
            node.children_by_field_name("argument", &mut cursor).filter(|n| n.is_named()).collect();
        let mut program = self.program(name);
        let mut name_span = span(name);
        if name_span.len() > program.len() && self.text[name_span.range()].ends_with(program.as_str()) {
            name_span = Span::new(name_span.end - program.len(), name_span.end);
        }
        while matches!(program.as_str(), "sudo" | "command" | "exec" | "nohup" | "time" | "$") {
            let Some(&first) = words.first() else { break };
            let word = self.node_text(first);
            if first.kind() != "word" || word.starts_with('-') {
                break;
            }
            program = word.rsplit('/').next().unwrap_or(word).to_string();
            name_span = span(first);
            words.remove(0);
        }
        let request = matches!(program.as_str(), "curl" | "wget" | "http" | "https" | "xh" | "xhs");
        if !request && !self.functions.contains(&program) {
            // Only requests and the script's own functions (wrappers of requests) are
            // calls: `echo "$URL"` does not send the URL anywhere.
            for &word in &words {
                self.value(word, depth + 1);
            }
            return self.expr(node);
        }
        // Reserve the id, so that calls nested in the arguments come after this one.
        let id = self.model.calls.len();
        self.model.calls.push(Call {
            span: span(node),
            callee: program.clone(),
            name_span,
            is_new: false,
            args: Vec::new(),
            args_span: Span::new(name_span.end, name_span.end),
            receiver: None,
            keywords: None,
        });
        self.memo.insert(node.id(), Value::Call(id));
        if matches!(program.as_str(), "curl" | "wget") {
            self.insecure_switches(&program, &words);
        }
        let request = match program.as_str() {
            "curl" => Some(self.flags(&words, depth, curl_long, curl_short, false)),
            "wget" => Some(self.flags(&words, depth, wget_long, wget_short, true)),
            "http" | "https" | "xh" | "xhs" => Some(self.httpie(&words, depth)),
            _ => None,
        };
        let args = match request {
            Some(request) => self.request_args(node, request, depth),
            None => {
                words.iter().map(|&w| Arg { label: None, value: self.value(w, depth + 1), span: span(w) }).collect()
            }
        };
        let mut args_span = match (words.first(), words.last()) {
            (Some(a), Some(b)) => span(*a).cover(span(*b)),
            _ => Span::new(name_span.end, name_span.end),
        };
        for arg in &args {
            args_span = args_span.cover(arg.span);
        }
        let call = &mut self.model.calls[id];
        call.args = args;
        call.args_span = args_span;
        Value::Call(id)
    }

    /// The word as a string not yet in the model, for the words that are strings.
    fn pending(&mut self, node: Node<'t>, depth: usize) -> Pending {
        match node.kind() {
            "word" | "string" | "raw_string" | "ansi_c_string" | "translated_string" | "concatenation"
                if !self.memo.contains_key(&node.id()) =>
            {
                let string = self.string(node, depth + 1);
                Pending::String(string, node.id())
            }
            _ => Pending::Value(self.value(node, depth + 1)),
        }
    }

    /// Adds a pending value to the model.
    fn commit(&mut self, pending: Pending) -> Value {
        match pending {
            Pending::Value(value) => value,
            Pending::String(string, node) => {
                let value = self.push_string(string);
                self.memo.insert(node, value.clone());
                value
            }
        }
    }

    /// Reads curl-like flags: long options with their value in the next word (or after
    /// `=` when `equals`), clusters of short options whose last may take a value
    /// (attached or next), and positional URLs.
    /// `curl -k`/`--insecure` (also in a cluster such as `-sk`) and `wget
    /// --no-check-certificate`: TLS verification turned off, with the text whose removal
    /// turns it back on.
    fn insecure_switches(&mut self, program: &str, words: &[Node<'t>]) {
        for &word in words {
            let text = self.node_text(word);
            if text == "--" {
                break;
            }
            let start = word.start_byte();
            let whole = match program {
                "curl" => matches!(text, "-k" | "--insecure"),
                _ => text == "--no-check-certificate",
            };
            let removal = if whole {
                // The switch and the blanks before it.
                let blanks = self.text[..start].len() - self.text[..start].trim_end_matches([' ', '\t']).len();
                Span::new(start - blanks, word.end_byte())
            } else if program == "curl"
                && text.len() > 2
                && text.starts_with('-')
                && !text.starts_with("--")
                && text[1..].chars().all(|c| c.is_ascii_alphabetic())
            {
                // A cluster: `k` before any switch that takes a value.
                let Some(k) = text[1..].chars().take_while(|&c| curl_short(c).is_none()).position(|c| c == 'k') else {
                    continue;
                };
                Span::new(start + 1 + k, start + 2 + k)
            } else {
                continue;
            };
            self.model.tls_overrides.push(crate::model::TlsOverride {
                span: span(word),
                what: format!("`{program} {text}`"),
                removal: Some(removal),
            });
        }
    }

    fn flags(
        &mut self,
        words: &[Node<'t>],
        depth: usize,
        long: fn(&str) -> Option<Role>,
        short: fn(char) -> Option<Role>,
        equals: bool,
    ) -> Vec<RequestArg> {
        let mut pendings: Vec<Option<Pending>> = words.iter().map(|&w| Some(self.pending(w, depth))).collect();
        let mut out = Vec::new();
        let mut options = true;
        let mut i = 0;
        while i < words.len() {
            let word_span = span(words[i]);
            let pending = pendings[i].take().expect("each word is read once");
            i += 1;
            let Pending::String(string, node) = pending else {
                out.push(RequestArg { label: None, role: Role::Url, value: pending, span: word_span });
                continue;
            };
            let text = string.text();
            let prefix = text.split(HOLE).next().unwrap_or("").to_string();
            if !options || !prefix.starts_with('-') || prefix.len() < 2 {
                out.push(RequestArg {
                    label: None,
                    role: Role::Url,
                    value: Pending::String(string, node),
                    span: word_span,
                });
                continue;
            }
            if prefix == "--" {
                options = false;
                continue;
            }
            if let Some(flag) = prefix.strip_prefix("--") {
                let (name, attached) = match flag.find('=') {
                    Some(eq) if equals => (format!("--{}", &flag[..eq]), Some(2 + eq + 1)),
                    _ => (prefix.clone(), None),
                };
                let Some(role) = long(&name) else { continue };
                match attached {
                    Some(at) => out.push(RequestArg {
                        label: Some(name),
                        role,
                        value: Pending::String(self.cut_front(string, at), node),
                        span: word_span,
                    }),
                    None => out.extend(next_value(&mut pendings, words, &mut i, name, role, word_span)),
                }
                continue;
            }
            let cluster = prefix[1..]
                .char_indices()
                .find_map(|(offset, c)| short(c).map(|role| (1 + offset + c.len_utf8(), c, role)));
            if let Some((at, c, role)) = cluster {
                let label = format!("-{c}");
                if at < text.len() {
                    out.push(RequestArg {
                        label: Some(label),
                        role,
                        value: Pending::String(self.cut_front(string, at), node),
                        span: word_span,
                    });
                } else {
                    out.extend(next_value(&mut pendings, words, &mut i, label, role, word_span));
                }
            }
        }
        out
    }

    /// `http [flags] [METHOD] URL [ITEM...]`: items `k=v` and `k:=json` form the body,
    /// `Name:value` items are headers.
    fn httpie(&mut self, words: &[Node<'t>], depth: usize) -> Vec<RequestArg> {
        let mut out = Vec::new();
        let mut form = false;
        let mut positional = 0;
        let mut body: Vec<(StringValue, usize, usize, Span)> = Vec::new();
        let mut skip = false;
        for (index, &word) in words.iter().enumerate() {
            if skip {
                skip = false;
                self.value(word, depth + 1);
                continue;
            }
            let pending = self.pending(word, depth);
            let Pending::String(string, node) = pending else {
                positional += 1;
                out.push(RequestArg { label: None, role: Role::Url, value: pending, span: span(word) });
                continue;
            };
            let text = string.text();
            if positional == 0 && text.starts_with('-') && text.len() > 1 {
                if text == "--form" || text == "--multipart" {
                    form = true;
                } else if let Some(flag) = text.strip_prefix("--") {
                    skip = !flag.contains('=') && httpie_long(&text);
                } else {
                    let cluster = &text[1..];
                    form |= cluster.contains('f');
                    skip = cluster.chars().last().is_some_and(httpie_short);
                }
                continue;
            }
            let is_method = positional == 0
                && index + 1 < words.len()
                && matches!(text.as_str(), "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS");
            if is_method {
                continue;
            }
            positional += 1;
            if positional == 1 {
                out.push(RequestArg {
                    label: None,
                    role: Role::Url,
                    value: Pending::String(string, node),
                    span: span(word),
                });
                continue;
            }
            match httpie_separator(&text) {
                Some((at, sep)) if matches!(sep, "=" | ":=") => {
                    body.push((string, at, at + sep.len(), span(word)));
                }
                Some((_, ":")) => out.push(RequestArg {
                    label: Some("header".into()),
                    role: Role::Header,
                    value: Pending::String(string, node),
                    span: span(word),
                }),
                _ => {
                    self.commit(Pending::String(string, node));
                }
            }
        }
        if !body.is_empty() {
            let kind = if form { ObjectKind::Form } else { ObjectKind::Json };
            let items: Vec<(StringValue, usize, usize, Span)> = body;
            if let Some(object) = self.object_of_items(items, kind, false) {
                let object_span = self.model.objects[object].span;
                out.push(RequestArg {
                    label: None,
                    role: Role::Data,
                    value: Pending::Value(Value::Object(object)),
                    span: object_span,
                });
            }
        }
        out
    }

    /// The entries `key<sep>value` of several strings as one object: `(string, end of
    /// the key, start of the value, span of the entry)`. An item whose key is not a
    /// plain parameter name is skipped, or, when `strict`, makes it no object at all.
    fn object_of_items(
        &mut self,
        items: Vec<(StringValue, usize, usize, Span)>,
        kind: ObjectKind,
        strict: bool,
    ) -> Option<usize> {
        let mut keyed = Vec::new();
        for (string, key_end, value_start, entry_span) in items {
            let text = string.text();
            let key = &text[..key_end];
            let located = string.locate(0, key_end).filter(|_| {
                !key.is_empty()
                    && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']'))
            });
            let Some((lit, a, b)) = located else {
                if strict {
                    return None;
                }
                continue;
            };
            let key_span = lit.source_span(a, b);
            let separator_end =
                string.locate(key_end, value_start).map_or(key_span.end, |(l, a, b)| l.source_span(a, b).end);
            keyed.push((key.to_string(), key_span, separator_end, string, value_start, entry_span));
        }
        let mut entries = Vec::new();
        for (key, key_span, separator_end, string, value_start, entry_span) in keyed {
            let len = string.text().len();
            let value = self.nested_string(&string.parts, value_start, len, separator_end);
            entries.push(Entry { key, key_span, value, span: entry_span });
        }
        let first = entries.first()?.span;
        let last = entries.last()?.span;
        self.model.objects.push(ObjectLiteral { span: first.cover(last), kind, entries });
        Some(self.model.objects.len() - 1)
    }

    /// The text range of a string's parts as a value of its own (an entry's value); an
    /// empty value sits at `at`.
    fn nested_string(&mut self, parts: &[Part], start: usize, end: usize, at: usize) -> Value {
        let mut parts = substring(parts, start, end);
        if parts.is_empty() {
            parts.push(empty(at, Quoting::Plain));
        }
        let span = parts_span(self.model, &parts).unwrap_or(Span::new(at, at));
        self.model.strings.push(StringValue { span, parts, embedded: None, nested: true });
        Value::String(self.model.strings.len() - 1)
    }

    /// A string without its first `at` bytes of text (the flag written before a value).
    fn cut_front(&self, string: StringValue, at: usize) -> StringValue {
        let len = string.text().len();
        let parts = substring(&string.parts, at, len);
        let start = parts_span(self.model, &parts).map_or(string.span.end, |s| s.start);
        StringValue { span: Span::new(start, string.span.end.max(start)), parts, embedded: None, nested: false }
    }

    /// The arguments of a request command's call: URLs, bodies and headers.
    fn request_args(&mut self, node: Node<'t>, request: Vec<RequestArg>, depth: usize) -> Vec<Arg> {
        let mut args = Vec::new();
        let mut data: Vec<RequestArg> = Vec::new();
        let mut data_at = None;
        for item in request {
            match item.role {
                Role::Data => {
                    data_at.get_or_insert(args.len());
                    data.push(item);
                }
                Role::Url | Role::Header => {
                    let value = self.commit(item.value);
                    let header = match &value {
                        Value::String(id) => self.headers.get(id).copied(),
                        _ => None,
                    };
                    args.push(Arg { label: item.label.clone(), value, span: item.span });
                    // The header's value, which the rules read as the credential sent.
                    if let Some(header) = header {
                        args.push(Arg {
                            label: item.label,
                            value: Value::String(header),
                            span: self.model.strings[header].span,
                        });
                    }
                }
                Role::Bearer => {
                    let value = self.commit(item.value);
                    let bearer = bearer_string(self.model, &value);
                    args.push(Arg { label: item.label, value: bearer, span: item.span });
                }
                Role::Other => {
                    self.commit(item.value);
                }
            }
        }
        let mut bodies = Vec::new();
        if let Some(object) = self.form_of(&data) {
            let label = data[0].label.clone();
            let span = data.iter().map(|d| d.span).reduce(|a, b| a.cover(b)).unwrap_or_default();
            bodies.push(Arg { label, value: Value::Object(object), span });
        } else {
            for item in data {
                let stdin = matches!(&item.value, Pending::String(s, _) if matches!(s.literal_text().as_deref(), Some("@-" | "@/dev/stdin")));
                let value = match stdin.then(|| self.stdin(node, depth)).flatten() {
                    Some(body) => body,
                    None => self.commit(item.value),
                };
                let span = item.span.cover(value.span(self.model));
                bodies.push(Arg { label: item.label, value, span });
            }
        }
        let at = data_at.unwrap_or(args.len());
        args.splice(at..at, bodies);
        args
    }

    /// Several `-d key=value` flags: one form body, as curl sends them joined by `&`.
    fn form_of(&mut self, data: &[RequestArg]) -> Option<usize> {
        if data.len() < 2 {
            return None;
        }
        let mut items = Vec::new();
        for item in data {
            let Pending::String(string, _) = &item.value else {
                return None;
            };
            let text = string.text();
            let mut from = 0;
            for piece in text.split('&') {
                let eq = piece.find('=')?;
                let start = from;
                let end = from + piece.len();
                from = end + 1;
                if piece.is_empty() {
                    continue;
                }
                let mut sub = string.clone();
                sub.parts = substring(&string.parts, start, end);
                let entry_span = parts_span(self.model, &sub.parts)?;
                items.push((sub, eq, eq + 1, entry_span));
            }
        }
        self.object_of_items(items, ObjectKind::Form, true)
    }

    /// What a command reads as `@-`: its heredoc or here-string, or what the command
    /// before it in a pipeline prints.
    fn stdin(&mut self, command: Node<'t>, depth: usize) -> Option<Value> {
        for child in named_children(command) {
            if child.kind() == "herestring_redirect" {
                let word = *named_children(child).first()?;
                return Some(self.value(word, depth + 1));
            }
        }
        let mut current = command;
        while let Some(parent) = current.parent() {
            match parent.kind() {
                "redirected_statement" => {
                    if parent.child_by_field_name("body") == Some(current) {
                        if let Some(body) = self.redirected_input(parent, depth) {
                            return Some(body);
                        }
                    }
                }
                "pipeline" => {
                    if let Some(previous) = current.prev_named_sibling() {
                        return self.printed_by(previous, depth);
                    }
                }
                "heredoc_redirect" => {
                    let body = child_of_kind(parent, "heredoc_body")?;
                    return Some(self.value(body, depth + 1));
                }
                _ => return None,
            }
            current = parent;
        }
        None
    }

    /// The heredoc or here-string of a redirected statement.
    fn redirected_input(&mut self, statement: Node<'t>, depth: usize) -> Option<Value> {
        for redirect in named_children(statement) {
            match redirect.kind() {
                "heredoc_redirect" => {
                    let body = child_of_kind(redirect, "heredoc_body")?;
                    return Some(self.value(body, depth + 1));
                }
                "herestring_redirect" => {
                    let word = *named_children(redirect).first()?;
                    return Some(self.value(word, depth + 1));
                }
                _ => {}
            }
        }
        None
    }

    /// What a command prints, when it is text written in the script: `cat <<EOF`,
    /// `echo '...'`, `printf '%s' "$BODY"`.
    fn printed_by(&mut self, node: Node<'t>, depth: usize) -> Option<Value> {
        let (command, statement) = match node.kind() {
            "redirected_statement" => (node.child_by_field_name("body")?, Some(node)),
            "command" => (node, None),
            _ => return None,
        };
        let program = self.program(command.child_by_field_name("name")?);
        match program.as_str() {
            "cat" => self.redirected_input(statement?, depth),
            "echo" | "printf" => {
                let mut cursor = command.walk();
                let last = command.children_by_field_name("argument", &mut cursor).filter(|n| n.is_named()).last()?;
                Some(self.value(last, depth + 1))
            }
            _ => None,
        }
    }
}

/// An empty literal at a position.
fn empty(at: usize, quoting: Quoting) -> Part {
    Part::Literal(Literal::plain(String::new(), Span::new(at, at), quoting))
}

/// The HTTPie item separator in `text`: the earliest, the longest at one position.
fn httpie_separator(text: &str) -> Option<(usize, &'static str)> {
    const SEPARATORS: [&str; 7] = [":=@", "=@", "==", ":=", "@", "=", ":"];
    let mut best: Option<(usize, &'static str)> = None;
    for sep in SEPARATORS {
        if let Some(at) = text.find(sep) {
            if best.is_none_or(|(b, s)| at < b || (at == b && sep.len() > s.len())) {
                best = Some((at, sep));
            }
        }
    }
    best.filter(|&(at, _)| at > 0)
}

/// The value of a flag written in the next word, which is then consumed.
fn next_value(
    pendings: &mut [Option<Pending>],
    words: &[Node],
    i: &mut usize,
    label: String,
    role: Role,
    flag_span: Span,
) -> Option<RequestArg> {
    let value = pendings.get_mut(*i)?.take()?;
    let arg = RequestArg { label: Some(label), role, value, span: flag_span.cover(span(words[*i])) };
    *i += 1;
    Some(arg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;

    fn lower(src: &str) -> FileModel {
        Language::Shell.lower(src).unwrap()
    }

    /// The string written exactly as `source` in the file.
    fn string<'m>(m: &'m FileModel, src: &str, source: &str) -> &'m StringValue {
        m.strings
            .iter()
            .find(|s| !s.nested && &src[s.span.range()] == source)
            .unwrap_or_else(|| panic!("no string {source:?}"))
    }

    /// The source text of the decoded range of `needle` in the string.
    fn source_of<'s>(src: &'s str, string: &StringValue, needle: &str) -> &'s str {
        let at = string.text().find(needle).unwrap_or_else(|| panic!("{needle:?} in {:?}", string.text()));
        let (lit, a, b) = string.locate(at, at + needle.len()).expect("one literal piece");
        &src[lit.source_span(a, b).range()]
    }

    fn keys(m: &FileModel, object: usize) -> Vec<&str> {
        m.objects[object].entries.iter().map(|e| e.key.as_str()).collect()
    }

    fn call<'m>(m: &'m FileModel, callee: &str) -> &'m Call {
        m.calls.iter().find(|c| c.callee == callee).unwrap_or_else(|| panic!("no call {callee}"))
    }

    fn labels(call: &Call) -> Vec<Option<&str>> {
        call.args.iter().map(|a| a.label.as_deref()).collect()
    }

    #[test]
    fn ansi_c_escapes_decode() {
        assert_eq!(ansi_c_escape("\\'x"), Some(("'".into(), 2)));
        assert_eq!(ansi_c_escape("\\x41"), Some(("A".into(), 4)));
        assert_eq!(ansi_c_escape("\\u00e9z"), Some(("é".into(), 6)));
        assert_eq!(ansi_c_escape("\\101"), Some(("A".into(), 4)));
        assert_eq!(ansi_c_escape("\\cA"), Some(("\u{1}".into(), 3)));
        assert_eq!(ansi_c_escape("\\q"), None);
    }

    #[test]
    fn every_quoting_decodes_with_source_positions() {
        let src = r#"echo 'a\b' "x\"y\$z $HOME" $'a\tb\x41' plain\ word "$BASE"/oauth/ro 'it'"'"'s'"#;
        let m = lower(src);
        assert_eq!(string(&m, src, r"'a\b'").text(), r"a\b");
        let dq = string(&m, src, r#""x\"y\$z $HOME""#);
        assert_eq!(dq.text(), "x\"y$z \u{FFFC}");
        assert_eq!(source_of(src, dq, "\""), "\\\"");
        assert_eq!(source_of(src, dq, "z "), "z ");
        let Some(Part::Hole(home)) = dq.parts.last() else { panic!("{:?}", dq.parts) };
        let Value::Expr(home) = home.as_ref() else { panic!() };
        assert_eq!((home.text.as_str(), &src[home.span.range()]), ("HOME", "$HOME"));
        assert_eq!(string(&m, src, r"$'a\tb\x41'").text(), "a\tbA");
        let word = string(&m, src, r"plain\ word");
        assert_eq!(word.text(), "plain word");
        assert_eq!(source_of(src, word, "word"), "word");
        let joined = string(&m, src, r#""$BASE"/oauth/ro"#);
        assert_eq!(joined.text(), "\u{FFFC}/oauth/ro");
        assert_eq!(source_of(src, joined, "ro"), "ro");
        assert_eq!(string(&m, src, r#"'it'"'"'s'"#).text(), "it's");
    }

    #[test]
    fn heredocs_are_strings_with_holes() {
        let src = "cat <<EOF > a.json\n{\"user\": \"$USER\", \"cost\": \"\\$5\"}\nEOF\ncat <<'EOF'\n$NOT_A_HOLE\nEOF\n\tcat <<-EOF\n\t\tgrant_type=password\n\tEOF\n";
        let m = lower(src);
        let body = m.strings.iter().find(|s| s.text().starts_with("{\"user\"")).expect("heredoc");
        assert_eq!(body.text(), "{\"user\": \"\u{FFFC}\", \"cost\": \"$5\"}\n");
        assert_eq!(source_of(src, body, "cost"), "cost");
        assert_eq!(source_of(src, body, "$5"), "\\$5");
        let json = body.embedded.expect("JSON body");
        assert_eq!(keys(&m, json), ["user", "cost"]);
        assert!(m.strings.iter().any(|s| s.text() == "$NOT_A_HOLE\n"));
        let tabbed = m.strings.iter().find(|s| s.text().contains("grant_type")).unwrap();
        assert_eq!(tabbed.text(), "grant_type=password\n");
        assert_eq!(source_of(src, tabbed, "grant_type"), "grant_type");
    }

    #[test]
    fn assignments_are_bindings_and_functions_scopes() {
        let src = "# login\nBASE=https://t.auth0.com\nexport DOMAIN=\"t.auth0.com\"\nlogin() {\n  local TOKEN=$(cat id_token.txt)\n  curl \"$BASE/oauth/ro\"\n}\n";
        let m = lower(src);
        let names: Vec<&str> = m.bindings.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["BASE", "DOMAIN", "TOKEN"]);
        assert_eq!(m.comments.len(), 1);
        assert_eq!(m.scopes.len(), 1);
        assert_eq!(&src[m.scopes[0].range()], "{\n  local TOKEN=$(cat id_token.txt)\n  curl \"$BASE/oauth/ro\"\n}");
        // The constant is spliced into the string that uses it, each piece keeping its
        // own source.
        let used = string(&m, src, "\"$BASE/oauth/ro\"");
        assert_eq!(used.text(), "https://t.auth0.com/oauth/ro");
        assert_eq!(source_of(src, used, "/oauth/ro"), "/oauth/ro");
        let at = used.text().find("t.auth0").unwrap();
        let (lit, a, b) = used.locate(at, at + 7).unwrap();
        assert!(lit.from_binding());
        assert_eq!(lit.source_span(a, b).start, src.find("t.auth0").unwrap());
        let token = m.bindings.iter().find(|b| b.name == "TOKEN").unwrap();
        assert_eq!(&src[token.value.span(&m).range()], "$(cat id_token.txt)");
    }

    #[test]
    fn curl_arguments_are_labelled_by_their_flags() {
        let src = r#"curl -sS -X POST --url "https://$AUTH0_DOMAIN/oauth/ro" \
  -H 'Content-Type: application/json' \
  --data-raw '{"grant_type":"password","connection":"db"}' -o out.json"#;
        let m = lower(src);
        let c = call(&m, "curl");
        assert_eq!(labels(c), [Some("--url"), Some("-H"), Some("--data-raw")]);
        assert_eq!(&src[c.name_span.range()], "curl");
        let Value::String(body) = c.args[2].value else { panic!() };
        let json = m.strings[body].embedded.expect("JSON body");
        assert_eq!(keys(&m, json), ["grant_type", "connection"]);
        assert_eq!(&src[m.objects[json].entries[1].key_span.range()], "connection");
        assert!(!m.strings.iter().any(|s| s.text() == "-sS"));
    }

    #[test]
    fn attached_short_values_drop_their_flag() {
        let src = r#"curl -XPOST -d'{"grant_type":"password"}' -H"Authorization: Bearer $ID_TOKEN" https://x/oauth/ro"#;
        let m = lower(src);
        let c = call(&m, "curl");
        assert_eq!(labels(c), [Some("-d"), Some("-H"), Some("-H"), None]);
        let Value::String(body) = c.args[0].value else { panic!() };
        assert_eq!(m.strings[body].text(), r#"{"grant_type":"password"}"#);
        assert!(m.strings[body].embedded.is_some());
    }

    #[test]
    fn several_data_flags_make_one_form_body() {
        let src = r#"curl https://x/oauth/ro -d grant_type=password -d "connection=$CONN" --data-urlencode 'username=a b' -d device=cli"#;
        let m = lower(src);
        let c = call(&m, "curl");
        assert_eq!(labels(c), [None, Some("-d")]);
        let Value::Object(form) = c.args[1].value else { panic!("{:?}", c.args) };
        assert_eq!(m.objects[form].kind, ObjectKind::Form);
        assert_eq!(keys(&m, form), ["grant_type", "connection", "username", "device"]);
        for entry in &m.objects[form].entries {
            assert_eq!(&src[entry.key_span.range()], entry.key);
        }
        let grant = &m.objects[form].entries[0];
        assert_eq!(&src[grant.value.span(&m).range()], "password");
        assert_eq!(&src[grant.span.range()], "grant_type=password");
        let connection = m.string_of(&m.objects[form].entries[1].value).unwrap();
        assert_eq!(connection.text(), "\u{FFFC}");
    }

    #[test]
    fn authorization_headers_yield_the_bearer_value() {
        let src = r#"curl -H "Authorization: Bearer $ID_TOKEN" https://t/api/v2/users
curl -H 'authorization: Bearer '"$id_token" https://t/userinfo
curl --oauth2-bearer "$ID_TOKEN" https://t/api/v2/users"#;
        let m = lower(src);
        let bearers: Vec<&StringValue> = m.strings.iter().filter(|s| s.text() == "Bearer \u{FFFC}").collect();
        assert_eq!(bearers.len(), 3);
        assert_eq!(&src[bearers[0].span.range()], "Bearer $ID_TOKEN");
        assert_eq!(&src[bearers[1].span.range()], "Bearer '\"$id_token");
        assert_eq!(&src[bearers[2].span.range()], "$ID_TOKEN");
        // Each value is an argument of its request.
        for (call, bearer) in m.calls.iter().zip(&bearers) {
            assert!(call
                .args
                .iter()
                .any(|a| matches!(a.value, Value::String(id) if m.strings[id].span == bearer.span)));
        }
    }

    #[test]
    fn stdin_bodies_are_the_payload_of_at_minus() {
        let src = r#"curl -s -d @- "$URL" <<EOF
{"grant_type": "password", "username": "$USER"}
EOF
cat <<'JSON' | curl --data-binary @- https://x/oauth/ro
{"grant_type": "password"}
JSON
echo "$BODY" | curl -d @- https://x/oauth/ro
curl --json @- https://x/oauth/ro <<< '{"grant_type":"password"}'
BODY=$(cat <<EOF
{"connection": "db"}
EOF
)"#;
        let m = lower(src);
        let curls: Vec<&Call> = m.calls.iter().filter(|c| c.callee == "curl").collect();
        assert_eq!(curls.len(), 4);
        let bodies: Vec<&str> = curls
            .iter()
            .map(|c| {
                let arg = c.args.iter().find(|a| a.label.is_some()).expect("body");
                &src[arg.value.span(&m).range()]
            })
            .collect();
        assert_eq!(
            bodies,
            [
                "{\"grant_type\": \"password\", \"username\": \"$USER\"}\n",
                "{\"grant_type\": \"password\"}\n",
                "$BODY",
                "'{\"grant_type\":\"password\"}'"
            ]
        );
        let body = m.bindings.iter().find(|b| b.name == "BODY").unwrap();
        assert!(m.object_of(&body.value).is_some(), "{:?}", body.value);
    }

    #[test]
    fn wget_and_httpie_requests() {
        let src = r#"wget -qO- --post-data="grant_type=password&connection=db" --header='Authorization: Bearer $T' https://x/oauth/ro
http --form POST :3000/oauth/ro grant_type=password connection:='"db"' 'Authorization:Bearer x' debug==1"#;
        let m = lower(src);
        let wget = call(&m, "wget");
        assert_eq!(labels(wget), [Some("--post-data"), Some("--header"), Some("--header"), None]);
        let Value::String(body) = wget.args[0].value else { panic!() };
        assert_eq!(m.strings[body].text(), "grant_type=password&connection=db");
        assert!(m.strings[body].embedded.is_some());
        let http = call(&m, "http");
        assert_eq!(labels(http), [None, Some("header"), Some("header"), None]);
        let Value::Object(items) = http.args[3].value else { panic!("{:?}", http.args) };
        assert_eq!(m.objects[items].kind, ObjectKind::Form);
        assert_eq!(keys(&m, items), ["grant_type", "connection"]);
        assert_eq!(&src[m.objects[items].entries[1].span.range()], r#"connection:='"db"'"#);
    }

    #[test]
    fn only_requests_and_the_scripts_functions_are_calls() {
        let src = "post() {\n  curl -s \"$1\" -d \"$2\"\n}\necho \"$URL\"\nsudo curl https://x\n$ curl https://y\npost \"$URL\" \"$BODY\"\n";
        let m = lower(src);
        let callees: Vec<&str> = m.calls.iter().map(|c| c.callee.as_str()).collect();
        assert_eq!(callees, ["curl", "curl", "curl", "post"]);
        let post = call(&m, "post");
        assert_eq!(post.args.len(), 2);
        // `"$URL"` is the variable itself.
        assert!(matches!(&post.args[0].value, Value::Expr(e) if e.text == "URL"));
    }

    #[test]
    fn ci_templates_are_holes() {
        let src = r#"curl "https://${{ secrets.AUTH0_DOMAIN }}/oauth/ro" -H "Authorization: Bearer ${{ steps.login.outputs.id_token }}""#;
        let m = lower(src);
        assert!(m.strings.iter().any(|s| s.text() == "https://\u{FFFC}/oauth/ro"));
        let bearer = m.strings.iter().find(|s| s.text() == "Bearer \u{FFFC}").expect("bearer");
        let Some(Part::Hole(token)) = bearer.parts.last() else { panic!() };
        let Value::Expr(token) = token.as_ref() else { panic!() };
        assert_eq!(token.text, "steps.login.outputs.id_token");
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let depth = 3000;
        let src =
            format!("X={}1{}\ncurl {}/oauth/ro\n", "$(echo ".repeat(depth), ")".repeat(depth), "\"a\"".repeat(depth));
        let m = lower(&src);
        assert!(m.strings.iter().any(|s| s.text().ends_with("/oauth/ro")));
    }
}
