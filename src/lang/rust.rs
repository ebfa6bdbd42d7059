//! Rust, lowered from `syn`'s syntax tree (with proc-macro2 span locations).
//!
//! What the model gets:
//! - string literals (normal, raw `r#"..."#`, byte and C strings), decoded with their
//!   escapes mapped back to the source;
//! - `format!`-style macros (`format!`, `write!`, `println!`, `panic!`, `log::info!`, ...):
//!   the format string with its placeholders (`{}`, `{0}`, `{name}`, inline captures) as
//!   holes; `concat!` and `+` / `+=` / `push_str` on strings as concatenations;
//! - `serde_json::json!({...})` objects, with key spans inside the quotes;
//! - arrays and `vec![...]` of `("key", value)` pairs (the bodies of reqwest's
//!   `.form(&[...])` / `.query(&[...])`, `HashMap::from([...])`) as objects, and maps
//!   created empty then filled with `map.insert("key", value)`;
//! - struct literals as objects whose keys cannot be renamed (the struct declares them);
//! - calls and method calls with dotted callee paths (`reqwest.Client.new().post`) and
//!   their receiver chains; `.to_string()`, `.into()`, `String::from(..)`, `&`, `?`,
//!   `.await` are the value they wrap;
//! - reqwest's `.bearer_auth(token)` as the header string `"Bearer " + token`;
//! - `let` bindings, `const`/`static` items and assignments, function bodies and closures
//!   as scopes, and comments (line, block, doc), found by a scan of the source since
//!   `syn` drops them.
//!
//! A file that does not parse reports syn's one error, and its string literals are still
//! read from the token stream when it lexes.

use std::collections::HashMap;
use std::ops::Range;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Expr, Lit, Pat, Token};

use super::treesitter::{callee_path, compact};
use crate::model::{
    Arg, Binding, Call, Entry, Expr as ExprValue, FileModel, Function, Literal, ObjectKind, ObjectLiteral, Param, Part,
    Quoting, StringValue, Value,
};
use crate::source::Span;

/// How Rust reads an environment variable: an owned `String`, which fits where the
/// literal it replaces was turned into one (see [`Lowerer::owned`]).
const ENV_LOOKUP: &str = "std::env::var(\"{name}\").expect(\"{name}\")";

/// Longest expression text kept for [`ExprValue::text`].
const MAX_EXPR_TEXT: usize = 240;

/// Lowers the Rust code in `text[range]` into `model`, with spans into `text`.
pub(super) fn lower_into(text: &str, range: Range<usize>, model: &mut FileModel) {
    let base = range.start;
    let source = &text[range];
    let code = prepare(source);
    model.env_lookup = Some(ENV_LOOKUP);
    model.pair_separator = Some(": ");
    model.comments.extend(comments(source).into_iter().map(|r| Span::new(base + r.start, base + r.end)));
    let mut lowerer = Lowerer { base, source, model, maps: HashMap::new(), owned: Vec::new() };
    match syn::parse_file(&code) {
        Ok(file) => lowerer.visit_file(&file),
        Err(error) => {
            let r = error.span().byte_range();
            let at = r.start.min(source.len());
            lowerer.model.syntax_errors.push(Span::new(base + at, base + r.end.clamp(at, source.len())));
            if let Ok(tokens) = code.parse::<TokenStream>() {
                lowerer.loose_strings(tokens);
            }
        }
    }
    let owned = std::mem::take(&mut lowerer.owned);
    model.env_lookup_sites.get_or_insert_with(Vec::new).extend(owned);
    proc_macro2::extra::invalidate_current_thread_spans();
}

/// 1 when the code does not parse (syn stops at the first error), else 0.
pub(super) fn syntax_errors(code: &str) -> usize {
    let errors = usize::from(syn::parse_file(&prepare(code)).is_err());
    proc_macro2::extra::invalidate_current_thread_spans();
    errors
}

/// The code with a byte order mark and a `#!` line blanked out rather than removed (as
/// `syn::parse_file` would), so that span offsets are offsets into the source.
fn prepare(source: &str) -> String {
    let mut code = source.to_string();
    if code.starts_with('\u{feff}') {
        code.replace_range(0..3, "   ");
    }
    if code.starts_with("#!") && !code[2..].trim_start().starts_with('[') {
        let end = code.find('\n').unwrap_or(code.len());
        code.replace_range(0..end, &" ".repeat(end));
    }
    code
}

/// Comments of Rust source: `//` lines (doc comments too) and nested `/* */` blocks,
/// skipping strings, raw strings and character literals.
fn comments(source: &str) -> Vec<Range<usize>> {
    let bytes = source.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = source[i..].find('\n').map_or(bytes.len(), |n| i + n);
                found.push(i..end);
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let start = i;
                let mut depth = 0;
                while i < bytes.len() {
                    if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                found.push(start..i.min(bytes.len()));
            }
            b'"' => i = skip_string(bytes, i + 1),
            b'r' if !prev_is_ident(bytes, i) && matches!(bytes.get(i + 1), Some(b'"' | b'#')) => {
                i = skip_raw(bytes, i + 1);
            }
            b'b' | b'c' if !prev_is_ident(bytes, i) && bytes.get(i + 1) == Some(&b'r') => {
                if matches!(bytes.get(i + 2), Some(b'"' | b'#')) {
                    i = skip_raw(bytes, i + 2);
                } else {
                    i += 1;
                }
            }
            b'\'' => {
                // A character literal (`'x'`, `'\n'`, `'\u{..}'`), else a lifetime.
                if bytes.get(i + 1) == Some(&b'\\') {
                    let close = source[i + 2..].find('\'').map_or(bytes.len(), |n| i + 2 + n);
                    i = close + 1;
                } else {
                    let ch_len = source[i + 1..].chars().next().map_or(1, char::len_utf8);
                    i += if bytes.get(i + 1 + ch_len) == Some(&b'\'') { ch_len + 2 } else { 1 };
                }
            }
            _ => i += 1,
        }
    }
    found
}

fn prev_is_ident(bytes: &[u8], i: usize) -> bool {
    i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_')
}

/// The index after the closing quote of a string whose content starts at `i`.
fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The index after a raw string whose `#`s or opening quote start at `i`.
fn skip_raw(bytes: &[u8], mut i: usize) -> usize {
    let mut hashes = 0;
    while bytes.get(i) == Some(&b'#') {
        hashes += 1;
        i += 1;
    }
    if bytes.get(i) != Some(&b'"') {
        return i;
    }
    i += 1;
    while i < bytes.len() {
        if bytes[i] == b'"' && bytes[i + 1..].iter().take(hashes).filter(|&&b| b == b'#').count() == hashes {
            return i + 1 + hashes;
        }
        i += 1;
    }
    bytes.len()
}

/// One decoded character of a string literal and the source bytes it comes from.
#[derive(Clone, Copy, Debug)]
pub(super) struct Char {
    pub ch: char,
    pub start: usize,
    pub end: usize,
}

/// Decodes the content of a string literal written at `at` (`raw` is its source text,
/// prefix and quotes included): its characters with their source positions, the span of
/// the content, and how inserted text must be quoted. `None` for what is not a string.
fn decode_literal(raw: &str, at: usize) -> Option<(Vec<Char>, Span, Quoting)> {
    let body = raw.trim_start_matches(['b', 'c']);
    let prefix = raw.len() - body.len();
    if let Some(rest) = body.strip_prefix('r') {
        let hashes = rest.len() - rest.trim_start_matches('#').len();
        let open = prefix + 1 + hashes + 1;
        let close = raw.len().checked_sub(1 + hashes)?;
        if close < open {
            return None;
        }
        let content = &raw[open..close];
        let chars = content
            .char_indices()
            .map(|(i, ch)| Char { ch, start: at + open + i, end: at + open + i + ch.len_utf8() })
            .collect();
        return Some((chars, Span::new(at + open, at + close), Quoting::Plain));
    }
    if !body.starts_with('"') || raw.len() < prefix + 2 {
        return None;
    }
    let open = prefix + 1;
    let close = raw.len() - 1;
    let content = &raw[open..close];
    let mut chars = Vec::new();
    let mut iter = content.char_indices().peekable();
    while let Some((i, ch)) = iter.next() {
        let start = at + open + i;
        if ch != '\\' {
            chars.push(Char { ch, start, end: start + ch.len_utf8() });
            continue;
        }
        let Some((_, kind)) = iter.next() else { break };
        let mut end = open + i + 2;
        let decoded = match kind {
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            '0' => Some('\0'),
            '\\' | '"' | '\'' => Some(kind),
            'x' => {
                let hex: String = content[i + 2..].chars().take(2).collect();
                end += hex.len();
                iter.nth(hex.len().saturating_sub(1));
                u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
            }
            'u' => {
                let tail = &content[i + 2..];
                let close_brace = tail.find('}').unwrap_or(0);
                let hex: String = tail.get(1..close_brace).unwrap_or("").chars().filter(|&c| c != '_').collect();
                end += close_brace + 1;
                for _ in 0..=close_brace {
                    iter.next();
                }
                u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
            }
            '\n' | '\r' => {
                // A line continuation: the newline and the whitespace after it vanish.
                while let Some(&(_, c)) = iter.peek() {
                    if c.is_whitespace() {
                        iter.next();
                    } else {
                        break;
                    }
                }
                None
            }
            other => Some(other),
        };
        if let Some(ch) = decoded {
            chars.push(Char { ch, start, end: at + end });
        }
    }
    Some((chars, Span::new(at + open, at + close), Quoting::Quoted('"')))
}

/// A literal piece made of decoded characters; `at` is where an empty piece sits.
pub(super) fn literal_of(chars: &[Char], at: usize, quoting: Quoting) -> Literal {
    let (Some(first), Some(last)) = (chars.first(), chars.last()) else {
        return Literal::plain(String::new(), Span::new(at, at), quoting);
    };
    let span = Span::new(first.start, last.end);
    let mut text = String::new();
    let mut map = Vec::new();
    let mut delta = 0isize;
    for c in chars {
        let d = c.start as isize - (span.start + text.len()) as isize;
        if d != delta {
            map.push((text.len(), c.start));
            delta = d;
        }
        text.push(c.ch);
    }
    Literal { text, span, map, site: None, quoting }
}

/// Splits a format string into literal pieces and placeholders: `{{`/`}}` are braces,
/// `{arg:spec}` a placeholder with its argument (empty, an index or a name) and the
/// source span of that argument.
enum FormatPiece {
    Text(Vec<Char>),
    Placeholder { arg: String, arg_span: Span, span: Span },
}

fn format_pieces(chars: &[Char]) -> Vec<FormatPiece> {
    let mut pieces = Vec::new();
    let mut text = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).map(|n| n.ch);
        if (c.ch == '{' && next == Some('{')) || (c.ch == '}' && next == Some('}')) {
            text.push(Char { ch: c.ch, start: c.start, end: chars[i + 1].end });
            i += 2;
            continue;
        }
        if c.ch == '{' {
            if let Some(close) = chars[i..].iter().position(|x| x.ch == '}') {
                let inner = &chars[i + 1..i + close];
                let arg_len = inner.iter().position(|x| x.ch == ':').unwrap_or(inner.len());
                let arg: String = inner[..arg_len].iter().map(|x| x.ch).collect::<String>().trim().to_string();
                let arg_span = match (inner.first(), inner.get(arg_len.wrapping_sub(1))) {
                    (Some(a), Some(b)) if arg_len > 0 => Span::new(a.start, b.end),
                    _ => Span::new(c.end, c.end),
                };
                if !text.is_empty() {
                    pieces.push(FormatPiece::Text(std::mem::take(&mut text)));
                }
                pieces.push(FormatPiece::Placeholder { arg, arg_span, span: Span::new(c.start, chars[i + close].end) });
                i += close + 1;
                continue;
            }
        }
        text.push(c);
        i += 1;
    }
    if !text.is_empty() {
        pieces.push(FormatPiece::Text(text));
    }
    pieces
}

/// Macros whose arguments are a format string and its arguments, and how many
/// arguments come before the format string.
fn format_macro(name: &str) -> Option<usize> {
    Some(match name {
        "format" | "format_args" | "print" | "println" | "eprint" | "eprintln" | "panic" | "unreachable" | "todo"
        | "unimplemented" | "anyhow" | "bail" | "format_err" | "trace" | "debug" | "info" | "warn" | "error"
        | "eyre" => 0,
        "write" | "writeln" | "ensure" | "log" => 1,
        _ => return None,
    })
}

/// Calls that give back the string they are made from.
fn is_string_conversion(name: &str) -> bool {
    matches!(
        name,
        "to_string" | "to_owned" | "into" | "as_str" | "as_ref" | "clone" | "borrow" | "as_bytes" | "into_bytes"
    )
}

/// Calls that create an empty map to be filled with `insert`.
fn is_map_constructor(callee: &str) -> bool {
    let mut segments = crate::model::split_path(callee);
    let Some(last) = segments.pop() else { return false };
    let Some(ty) = segments.pop() else { return false };
    matches!(last, "new" | "with_capacity" | "default")
        && matches!(ty, "HashMap" | "BTreeMap" | "IndexMap" | "Map" | "HeaderMap")
}

struct Lowerer<'a> {
    base: usize,
    source: &'a str,
    model: &'a mut FileModel,
    /// Maps created empty (`let mut params = HashMap::new()`), by variable name.
    maps: HashMap<String, usize>,
    /// The string literals an owned `String` may replace (see [`ENV_LOOKUP`]).
    owned: Vec<Span>,
}

impl Lowerer<'_> {
    fn span(&self, s: proc_macro2::Span) -> Span {
        let r = s.byte_range();
        let end = r.end.min(self.source.len());
        Span::new(self.base + r.start.min(end), self.base + end)
    }

    fn text(&self, span: Span) -> &str {
        self.source.get(span.start - self.base..span.end - self.base).unwrap_or("")
    }

    fn expr_value(&self, span: Span) -> Value {
        let raw = self.text(span);
        let text = if raw.len() > MAX_EXPR_TEXT { String::new() } else { compact(raw) };
        Value::Expr(ExprValue { span, text })
    }

    fn push_string(&mut self, string: StringValue) -> Value {
        self.model.strings.push(string);
        Value::String(self.model.strings.len() - 1)
    }

    fn push_object(&mut self, span: Span, entries: Vec<Entry>) -> Value {
        self.model.objects.push(ObjectLiteral { span, kind: ObjectKind::Literal, entries });
        Value::Object(self.model.objects.len() - 1)
    }

    /// The decoded characters of a string literal token.
    fn literal_chars(&self, lit: &proc_macro2::Literal) -> Option<(Vec<Char>, Span, Quoting)> {
        let span = self.span(lit.span());
        decode_literal(self.text(span), span.start)
    }

    fn string_literal(&mut self, lit: &proc_macro2::Literal) -> Option<Value> {
        let (chars, content, quoting) = self.literal_chars(lit)?;
        let span = self.span(lit.span());
        let literal = literal_of(&chars, content.start, quoting);
        Some(self.push_string(StringValue { span, parts: vec![Part::Literal(literal)], embedded: None, nested: false }))
    }

    /// Lowers an expression and gives its value.
    fn expr(&mut self, e: &Expr) -> Value {
        let span = self.span(e.span());
        match e {
            Expr::Lit(lit) => match &lit.lit {
                Lit::Str(s) => self.string_literal(&s.token()),
                Lit::ByteStr(s) => self.string_literal(&s.token()),
                Lit::CStr(s) => self.string_literal(&s.token()),
                _ => None,
            }
            .unwrap_or(Value::Other(span)),
            Expr::Paren(p) => self.expr(&p.expr),
            Expr::Group(g) => self.expr(&g.expr),
            Expr::Reference(r) => self.expr(&r.expr),
            Expr::Try(t) => self.expr(&t.expr),
            Expr::Await(a) => self.expr(&a.base),
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => self.expr(&u.expr),
            Expr::Path(_) | Expr::Field(_) => self.expr_value(span),
            Expr::Index(i) => {
                self.expr(&i.expr);
                self.expr(&i.index);
                self.expr_value(span)
            }
            Expr::Binary(b) if matches!(b.op, syn::BinOp::Add(_)) => {
                let left = self.expr(&b.left);
                let right = self.expr(&b.right);
                let is_string = |v: &Value| matches!(v, Value::String(_));
                if is_string(&left) || is_string(&right) {
                    let mut parts = self.parts_of(left);
                    parts.extend(self.parts_of(right));
                    self.push_string(StringValue { span, parts, embedded: None, nested: false })
                } else {
                    Value::Other(span)
                }
            }
            Expr::Binary(b) if matches!(b.op, syn::BinOp::AddAssign(_)) => {
                let right = self.expr(&b.right);
                self.append(&b.left, right, span, false);
                Value::Other(span)
            }
            Expr::Assign(a) => {
                let value = self.expr(&a.right);
                self.expr(&a.left);
                let name = compact(self.text(self.span(a.left.span())));
                self.model.bindings.push(Binding { name, value, span });
                Value::Other(span)
            }
            Expr::Array(a) => {
                let items: Vec<&Expr> = a.elems.iter().collect();
                self.sequence(&items, span)
            }
            Expr::Tuple(t) => {
                let items = t.elems.iter().map(|x| self.expr(x)).collect();
                Value::Array(items, span)
            }
            Expr::Struct(s) => self.struct_literal(s, span),
            Expr::Call(c) => self.call(c, span),
            Expr::MethodCall(m) => self.method_call(m, span),
            Expr::Macro(m) => self.mac(&m.mac, span),
            Expr::Closure(c) => {
                self.closure(c);
                Value::Other(span)
            }
            _ => {
                visit::visit_expr(self, e);
                Value::Other(span)
            }
        }
    }

    /// The parts a value contributes to a concatenation.
    fn parts_of(&self, value: Value) -> Vec<Part> {
        match value {
            Value::String(id) => self.model.strings[id].parts.clone(),
            other => vec![Part::Hole(Box::new(other))],
        }
    }

    /// `target += value` / `target.push_str(value)`: `target` is bound to itself followed
    /// by `value`, when that appends to a string.
    fn append(&mut self, target: &Expr, value: Value, span: Span, is_string: bool) {
        let target_span = self.span(target.span());
        let name = compact(self.text(target_span));
        let is_string = is_string || matches!(value, Value::String(_));
        self.expr(target);
        if !is_string || name.is_empty() {
            return;
        }
        let mut parts = vec![Part::Hole(Box::new(Value::Expr(ExprValue { span: target_span, text: name.clone() })))];
        parts.extend(self.parts_of(value));
        let value = self.push_string(StringValue { span, parts, embedded: None, nested: false });
        self.model.bindings.push(Binding { name, value, span });
    }

    /// An array, slice or `vec![...]`: an object when every item is a `("key", value)`
    /// pair with a literal key, else an array.
    fn sequence(&mut self, items: &[&Expr], span: Span) -> Value {
        let pairs = !items.is_empty()
            && items.iter().all(|item| match item {
                Expr::Tuple(t) if t.elems.len() == 2 => {
                    matches!(&t.elems[0], Expr::Lit(l) if matches!(l.lit, Lit::Str(_)))
                }
                _ => false,
            });
        if !pairs {
            let values = items.iter().map(|x| self.expr(x)).collect();
            return Value::Array(values, span);
        }
        let mut entries = Vec::new();
        for item in items {
            let Expr::Tuple(t) = item else { continue };
            let entry_span = self.span(t.span());
            if let Some(entry) = self.pair(&t.elems[0], &t.elems[1], entry_span) {
                entries.push(entry);
            }
        }
        self.push_object(span, entries)
    }

    /// The entry of a `"key", value` pair; `span` is the whole pair.
    fn pair(&mut self, key: &Expr, value: &Expr, span: Span) -> Option<Entry> {
        let Expr::Lit(syn::ExprLit { lit: Lit::Str(k), .. }) = key else { return None };
        let (chars, content, _) = self.literal_chars(&k.token())?;
        let literal = literal_of(&chars, content.start, Quoting::Quoted('"'));
        // The key is read as written, but a key with escapes cannot be renamed in place.
        let key_span = if literal.map.is_empty() { content } else { Span::new(content.end, content.end) };
        let value = self.expr(value);
        Some(Entry { key: literal.text, key_span, value, span })
    }

    /// `Request { grant_type: "password".into(), username, .. }`: an object whose keys are
    /// the struct's fields, which a rename would break (their key spans are empty).
    fn struct_literal(&mut self, s: &syn::ExprStruct, span: Span) -> Value {
        let mut entries = Vec::new();
        for field in &s.fields {
            let syn::Member::Named(ident) = &field.member else {
                self.expr(&field.expr);
                continue;
            };
            let key_at = self.span(ident.span());
            let value = self.expr(&field.expr);
            let entry_span = self.span(field.span());
            entries.push(Entry {
                key: ident.to_string().trim_start_matches("r#").to_string(),
                key_span: Span::new(key_at.end, key_at.end),
                value,
                span: entry_span,
            });
        }
        if let Some(rest) = &s.rest {
            self.expr(rest);
        }
        self.push_object(span, entries)
    }

    fn args(&mut self, args: &Punctuated<Expr, Token![,]>) -> Vec<Arg> {
        args.iter()
            .map(|a| {
                let span = self.span(a.span());
                Arg { label: None, value: self.expr(a), span }
            })
            .collect()
    }

    fn call(&mut self, c: &syn::ExprCall, span: Span) -> Value {
        let func_span = self.span(c.func.span());
        let callee = rust_path(self.text(func_span));
        // `String::from("...")`, `str::to_string(..)`: the string itself.
        if c.args.len() == 1 && (callee.ends_with("String.from") || callee.ends_with("str.to_string")) {
            let value = self.expr(&c.args[0]);
            if let Value::String(id) = value {
                self.mark_owned(id);
            }
            return value;
        }
        let name_span = match &*c.func {
            Expr::Path(p) => p.path.segments.last().map_or(func_span, |s| self.span(s.ident.span())),
            _ => func_span,
        };
        if !matches!(&*c.func, Expr::Path(_)) {
            self.expr(&c.func);
        }
        let id = self.model.calls.len();
        self.model.calls.push(Call {
            span,
            callee,
            name_span,
            is_new: false,
            args: Vec::new(),
            args_span: self.span(c.paren_token.span.join()),
            receiver: None,
            keywords: None,
        });
        let args = self.args(&c.args);
        self.model.calls[id].args = args;
        Value::Call(id)
    }

    fn method_call(&mut self, m: &syn::ExprMethodCall, span: Span) -> Value {
        let method = m.method.to_string();
        if m.args.is_empty() && is_string_conversion(&method) {
            let value = self.expr(&m.receiver);
            if let Value::String(id) = value {
                if matches!(method.as_str(), "to_string" | "to_owned" | "into") {
                    self.mark_owned(id);
                }
            }
            return value;
        }
        if method == "push_str" && m.args.len() == 1 {
            let value = self.expr(&m.args[0]);
            self.append(&m.receiver, value, span, true);
            return Value::Other(span);
        }
        let receiver_value = self.expr(&m.receiver);
        let receiver = match receiver_value {
            Value::Call(id) => Some(id),
            _ => None,
        };
        let name_span = self.span(m.method.span());
        let head = Span::new(span.start, name_span.end);
        let callee = rust_path(self.text(head));
        let id = self.model.calls.len();
        self.model.calls.push(Call {
            span,
            callee,
            name_span,
            is_new: false,
            args: Vec::new(),
            args_span: self.span(m.paren_token.span.join()),
            receiver,
            keywords: None,
        });
        let args = self.args(&m.args);
        // `params.insert("grant_type", "password")` on a map created empty.
        if method == "insert" && args.len() == 2 {
            if let Expr::Path(p) = &*m.receiver {
                let name = compact(self.text(self.span(p.span())));
                if let Some(&object) = self.maps.get(&name) {
                    if let Value::String(k) = &args[0].value {
                        if let [Part::Literal(lit)] = self.model.strings[*k].parts.as_slice() {
                            let key_span =
                                if lit.map.is_empty() { lit.span } else { Span::new(lit.span.end, lit.span.end) };
                            let entry = Entry { key: lit.text.clone(), key_span, value: args[1].value.clone(), span };
                            self.model.objects[object].entries.push(entry);
                        }
                    }
                }
            }
        }
        // reqwest's `.bearer_auth(token)` sends `Authorization: Bearer <token>`.
        if method == "bearer_auth" && args.len() == 1 {
            let at = name_span.start;
            let prefix = Literal::plain("Bearer ".to_string(), Span::new(at, at), Quoting::Plain);
            let header = Span::new(at, span.end);
            self.push_string(StringValue {
                span: header,
                parts: vec![Part::Literal(prefix), Part::Hole(Box::new(args[0].value.clone()))],
                embedded: None,
                nested: false,
            });
        }
        self.model.calls[id].args = args;
        Value::Call(id)
    }

    /// Marks a literal turned into an owned `String` (`"...".to_string()`, `.into()`,
    /// `String::from("...")`): an environment lookup, itself a `String`, may replace it.
    fn mark_owned(&mut self, id: usize) {
        let string = &self.model.strings[id];
        if let [Part::Literal(_)] = string.parts.as_slice() {
            self.owned.push(string.span);
        }
    }

    fn closure(&mut self, c: &syn::ExprClosure) {
        let body = self.span(c.body.span());
        let params_span = self.span(c.or1_token.span).cover(self.span(c.or2_token.span));
        let params = c.inputs.iter().map(|p| self.param(p)).collect();
        self.model.functions.push(Function {
            span: self.span(c.span()),
            name: None,
            params,
            params_span,
            body,
            expression_body: !matches!(&*c.body, Expr::Block(_)),
        });
        self.model.scopes.push(body);
        self.expr(&c.body);
    }

    fn param(&self, pat: &Pat) -> Param {
        let span = self.span(pat.span());
        Param { name: pat_name(pat), span }
    }

    fn function(&mut self, name: &syn::Ident, sig: &syn::Signature, block: &syn::Block, span: Span) {
        let body = self.span(block.brace_token.span.join());
        let params = sig
            .inputs
            .iter()
            .map(|input| match input {
                syn::FnArg::Typed(t) => self.param(&t.pat),
                syn::FnArg::Receiver(r) => Param { name: Some("self".into()), span: self.span(r.span()) },
            })
            .collect();
        self.model.functions.push(Function {
            span,
            name: Some(name.to_string()),
            params,
            params_span: self.span(sig.paren_token.span.join()),
            body,
            expression_body: false,
        });
        self.model.scopes.push(body);
    }

    /// A macro invocation's value.
    fn mac(&mut self, mac: &syn::Macro, span: Span) -> Value {
        let path = rust_path(&mac.path.segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>().join("::"));
        let name = mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        let args_span = self.span(match &mac.delimiter {
            syn::MacroDelimiter::Paren(p) => p.span.join(),
            syn::MacroDelimiter::Brace(b) => b.span.join(),
            syn::MacroDelimiter::Bracket(b) => b.span.join(),
        });
        match name.as_str() {
            "json" => return self.json(mac.tokens.clone(), span),
            "vec" => {
                if let Ok(items) = Punctuated::<Expr, Token![,]>::parse_terminated.parse2(mac.tokens.clone()) {
                    let items: Vec<&Expr> = items.iter().collect();
                    return self.sequence(&items, span);
                }
            }
            "concat" => {
                if let Ok(items) = Punctuated::<Expr, Token![,]>::parse_terminated.parse2(mac.tokens.clone()) {
                    let mut parts = Vec::new();
                    for item in &items {
                        let value = self.expr(item);
                        parts.extend(self.parts_of(value));
                    }
                    return self.push_string(StringValue { span, parts, embedded: None, nested: false });
                }
            }
            _ => {}
        }
        let parsed = Punctuated::<Expr, Token![,]>::parse_terminated.parse2(mac.tokens.clone());
        let Ok(items) = parsed else {
            self.loose_strings(mac.tokens.clone());
            return Value::Other(span);
        };
        let items: Vec<&Expr> = items.iter().collect();
        let mut args: Vec<Arg> = Vec::new();
        let skip = format_macro(&name);
        let format_at = skip.and_then(|skip| {
            // `log::info!(target: "x", ...)` does not parse as expressions; `write!(f, ...)`
            // and `ensure!(cond, ...)` put the format string second.
            (skip..items.len().min(skip + 1))
                .find(|&i| matches!(items[i], Expr::Lit(l) if matches!(l.lit, Lit::Str(_))))
        });
        if let Some(at) = format_at {
            for item in &items[..at] {
                let value = self.expr(item);
                args.push(Arg { label: None, value, span: self.span(item.span()) });
            }
            let value = self.format_string(&items[at..], span);
            if name == "format" || name == "format_args" {
                return value;
            }
            let arg_span = self.span(items[at].span()).cover(items.last().map_or(span, |l| self.span(l.span())));
            args.push(Arg { label: None, value, span: arg_span });
        } else {
            for item in &items {
                let value = self.expr(item);
                args.push(Arg { label: None, value, span: self.span(item.span()) });
            }
        }
        let name_span = mac.path.segments.last().map_or(span, |s| self.span(s.ident.span()));
        self.model.calls.push(Call {
            span,
            callee: path,
            name_span,
            is_new: false,
            args,
            args_span,
            receiver: None,
            keywords: None,
        });
        Value::Call(self.model.calls.len() - 1)
    }

    /// A format string and its arguments as one string value: literal pieces with the
    /// placeholders as holes (`{}` the next positional argument, `{0}` by index, `{name}` a
    /// named argument or a variable captured inline).
    fn format_string(&mut self, items: &[&Expr], span: Span) -> Value {
        let Expr::Lit(syn::ExprLit { lit: Lit::Str(format), .. }) = items[0] else { return Value::Other(span) };
        let mut positional = Vec::new();
        let mut named = HashMap::new();
        for item in &items[1..] {
            match item {
                Expr::Assign(a) if matches!(&*a.left, Expr::Path(_)) => {
                    let key = compact(self.text(self.span(a.left.span())));
                    let value = self.expr(&a.right);
                    named.insert(key, value);
                }
                other => positional.push(self.expr(other)),
            }
        }
        let Some((chars, content, quoting)) = self.literal_chars(&format.token()) else {
            return Value::Other(span);
        };
        let mut parts = Vec::new();
        let mut next = 0;
        for piece in format_pieces(&chars) {
            match piece {
                FormatPiece::Text(chars) => parts.push(Part::Literal(literal_of(&chars, content.start, quoting))),
                FormatPiece::Placeholder { arg, arg_span, span: placeholder } => {
                    let value = if arg.is_empty() {
                        next += 1;
                        positional.get(next - 1).cloned()
                    } else if let Ok(index) = arg.parse::<usize>() {
                        positional.get(index).cloned()
                    } else {
                        named
                            .get(&arg)
                            .cloned()
                            .or_else(|| Some(Value::Expr(ExprValue { span: arg_span, text: arg.clone() })))
                    };
                    // A literal argument is text of the string (`format!("{}/oauth/ro", "x")`).
                    parts.extend(self.parts_of(value.unwrap_or(Value::Other(placeholder))));
                }
            }
        }
        if parts.is_empty() {
            parts.push(Part::Literal(Literal::plain(String::new(), Span::new(content.start, content.start), quoting)));
        }
        self.push_string(StringValue { span, parts, embedded: None, nested: false })
    }

    /// `json!(...)`: objects with their entries, arrays, and Rust expressions as values.
    fn json(&mut self, tokens: TokenStream, span: Span) -> Value {
        let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
        if let [TokenTree::Group(group)] = trees.as_slice() {
            let group_span = self.span(group.span());
            match group.delimiter() {
                Delimiter::Brace => return self.json_object(group.stream(), group_span),
                Delimiter::Bracket => {
                    let items = split_commas(group.stream())
                        .into_iter()
                        .map(|item| {
                            let item_span = self.tokens_span(&item).unwrap_or(group_span);
                            self.json(item.into_iter().collect(), item_span)
                        })
                        .collect();
                    return Value::Array(items, group_span);
                }
                _ => {}
            }
        }
        match syn::parse2::<Expr>(tokens.clone()) {
            Ok(e) => self.expr(&e),
            Err(_) => {
                self.loose_strings(tokens);
                Value::Other(span)
            }
        }
    }

    fn json_object(&mut self, tokens: TokenStream, span: Span) -> Value {
        let mut entries = Vec::new();
        for item in split_commas(tokens) {
            let colon = item.iter().position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ':'));
            let (Some(1), Some(TokenTree::Literal(key)), Some(entry_span)) =
                (colon, item.first(), self.tokens_span(&item))
            else {
                self.loose_strings(item.into_iter().collect());
                continue;
            };
            let Some((chars, content, quoting)) = self.literal_chars(key) else {
                self.loose_strings(item.into_iter().collect());
                continue;
            };
            let literal = literal_of(&chars, content.start, quoting);
            let key_span = if literal.map.is_empty() { content } else { Span::new(content.end, content.end) };
            let value_tokens: Vec<TokenTree> = item[2..].to_vec();
            let value_span = self.tokens_span(&value_tokens).unwrap_or(entry_span);
            let value = self.json(value_tokens.into_iter().collect(), value_span);
            // `json!` serializes any value: an owned string fits where a literal was.
            if let Value::String(id) = value {
                self.mark_owned(id);
            }
            entries.push(Entry { key: literal.text, key_span, value, span: entry_span });
        }
        self.push_object(span, entries)
    }

    fn tokens_span(&self, tokens: &[TokenTree]) -> Option<Span> {
        Some(self.span(tokens.first()?.span()).cover(self.span(tokens.last()?.span())))
    }

    /// The string literals in tokens that are not parsed further (an unknown macro, a file
    /// with a syntax error).
    fn loose_strings(&mut self, tokens: TokenStream) {
        for tree in tokens {
            match tree {
                TokenTree::Group(g) => self.loose_strings(g.stream()),
                TokenTree::Literal(lit) => {
                    let _ = self.string_literal(&lit);
                }
                _ => {}
            }
        }
    }
}

use syn::parse::Parser;

/// Tokens split at the commas outside any group.
fn split_commas(tokens: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut items = vec![Vec::new()];
    for tree in tokens {
        match &tree {
            TokenTree::Punct(p) if p.as_char() == ',' => items.push(Vec::new()),
            _ => items.last_mut().expect("at least one item").push(tree),
        }
    }
    items.retain(|i| !i.is_empty());
    items
}

/// The name a pattern binds, when it binds one (`x`, `mut x`, `x: T`, `&x`).
fn pat_name(pat: &Pat) -> Option<String> {
    match pat {
        Pat::Ident(i) if i.subpat.is_none() => Some(i.ident.to_string()),
        Pat::Type(t) => pat_name(&t.pat),
        Pat::Reference(r) => pat_name(&r.pat),
        _ => None,
    }
}

/// A Rust path or method chain as a dotted path: `::` is a dot, generic arguments and
/// argument lists are dropped (`HashMap::<K, V>::new` → `HashMap.new`,
/// `reqwest::Client::new().post` → `reqwest.Client.new().post`).
fn rust_path(text: &str) -> String {
    let emptied = callee_path(text);
    let mut out = String::new();
    let mut angle = 0usize;
    for c in emptied.chars() {
        match c {
            '<' => angle += 1,
            '>' if angle > 0 => angle -= 1,
            _ if angle > 0 => {}
            _ => out.push(c),
        }
    }
    let mut path = out.replace("::", ".");
    while path.contains("..") {
        path = path.replace("..", ".");
    }
    path.trim_start_matches('.').trim_end_matches('.').to_string()
}

impl<'ast> Visit<'ast> for Lowerer<'_> {
    // Attributes (doc comments included) hold no code a rule reads: `#[get("/delegation")]`
    // declares the application's own route.
    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {}

    fn visit_expr(&mut self, e: &'ast Expr) {
        self.expr(e);
    }

    fn visit_stmt_macro(&mut self, m: &'ast syn::StmtMacro) {
        let span = self.span(m.span());
        self.mac(&m.mac, span);
    }

    fn visit_item_macro(&mut self, m: &'ast syn::ItemMacro) {
        if m.mac.path.is_ident("macro_rules") {
            return;
        }
        let span = self.span(m.span());
        self.mac(&m.mac, span);
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        let span = self.span(local.span());
        let Some(init) = &local.init else { return };
        let value = self.expr(&init.expr);
        if let Some((_, diverge)) = &init.diverge {
            self.expr(diverge);
        }
        let Some(name) = pat_name(&local.pat) else { return };
        // `let mut params = HashMap::new();`: an object that `insert` calls fill.
        let value = match value {
            Value::Call(id) if is_map_constructor(&self.model.calls[id].callee) => {
                let map_span = self.model.calls[id].span;
                let object = self.push_object(map_span, Vec::new());
                if let Value::Object(o) = object {
                    self.maps.insert(name.clone(), o);
                }
                object
            }
            other => {
                self.maps.remove(&name);
                other
            }
        };
        self.model.bindings.push(Binding { name, value, span });
    }

    fn visit_item_const(&mut self, item: &'ast syn::ItemConst) {
        let value = self.expr(&item.expr);
        let span = self.span(item.span());
        self.model.bindings.push(Binding { name: item.ident.to_string(), value, span });
    }

    fn visit_item_static(&mut self, item: &'ast syn::ItemStatic) {
        let value = self.expr(&item.expr);
        let span = self.span(item.span());
        self.model.bindings.push(Binding { name: item.ident.to_string(), value, span });
    }

    fn visit_impl_item_const(&mut self, item: &'ast syn::ImplItemConst) {
        let value = self.expr(&item.expr);
        let span = self.span(item.span());
        self.model.bindings.push(Binding { name: item.ident.to_string(), value, span });
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        let span = self.span(item.span());
        self.function(&item.sig.ident, &item.sig, &item.block, span);
        visit::visit_item_fn(self, item);
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        let span = self.span(item.span());
        self.function(&item.sig.ident, &item.sig, &item.block, span);
        visit::visit_impl_item_fn(self, item);
    }

    fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
        if let Some(block) = &item.default {
            let span = self.span(item.span());
            self.function(&item.sig.ident, &item.sig, block, span);
        }
        visit::visit_trait_item_fn(self, item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;
    use crate::model::HOLE;

    fn lower(src: &str) -> FileModel {
        let m = Language::Rust.lower(src).unwrap();
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

    fn keys(o: &ObjectLiteral) -> Vec<&str> {
        o.entries.iter().map(|e| e.key.as_str()).collect()
    }

    fn entry_text(m: &FileModel, o: &ObjectLiteral, key: &str) -> Option<String> {
        m.string_of(&o.get(key)?.value).and_then(|s| s.literal_text())
    }

    #[test]
    fn literals_decode_with_source_positions() {
        let src = "fn f() {\n    let a = \"https://x/oauth\\u{2F}ro\";\n    let b = r#\"{\"grant_type\":\"password\"}\"#;\n    let c = b\"tab\\there\";\n}\n";
        let m = lower(src);
        let a = string_with(&m, "https://x/oauth/ro");
        let Part::Literal(lit) = &a.parts[0] else { panic!() };
        let at = lit.text.find("ro").unwrap();
        assert_eq!(&src[lit.source_span(at, at + 2).range()], "ro");
        let slash = lit.text.rfind('/').unwrap();
        assert_eq!(&src[lit.source_span(slash, slash + 1).range()], "\\u{2F}");
        assert_eq!(&src[a.span.range()], "\"https://x/oauth\\u{2F}ro\"");
        let b = string_with(&m, "{\"grant_type\":\"password\"}");
        let Part::Literal(raw) = &b.parts[0] else { panic!() };
        assert_eq!(raw.quoting, Quoting::Plain);
        assert_eq!(&src[raw.span.range()], "{\"grant_type\":\"password\"}");
        // The raw string holds a JSON body: its keys are inside the raw string.
        let body = object_with(&m, "grant_type");
        assert_eq!(&src[body.get("grant_type").unwrap().key_span.range()], "grant_type");
        assert!(texts(&m).contains(&"tab\there".to_string()));
    }

    #[test]
    fn format_macros_have_holes_for_placeholders() {
        let src = r#"
fn f(domain: &str, token: &str) {
    let a = format!("https://{}/oauth/ro", domain);
    let b = format!("https://{domain}/oauth/{0}?x={{y}}", "ro");
    let c = format!("{scheme}://{host}/delegation", scheme = "https", host = domain);
    println!("calling {}/oauth/ro failed", domain);
    let d = concat!("https://", "tenant.auth0.com", "/oauth/ro");
}
"#;
        let m = lower(src);
        let all = texts(&m);
        assert!(all.contains(&format!("https://{HOLE}/oauth/ro")), "{all:?}");
        let b = string_with(&m, &format!("https://{HOLE}/oauth/ro?x={{y}}"));
        assert!(matches!(&b.parts[3], Part::Literal(l) if l.text == "ro" && &src[l.span.range()] == "ro"));
        let holes: Vec<&Value> = b.holes().collect();
        assert!(matches!(holes[0], Value::Expr(e) if e.text == "domain" && &src[e.span.range()] == "domain"));
        let Part::Literal(tail) = b.parts.last().unwrap() else { panic!() };
        assert_eq!(&src[tail.span.range()], "?x={{y}}");
        assert_eq!(tail.text, "?x={y}");
        let c = string_with(&m, &format!("https://{HOLE}/delegation"));
        assert!(matches!(c.holes().next(), Some(Value::Expr(e)) if e.text == "domain"));
        let log = m.calls.iter().find(|c| c.callee == "println").expect("println! is a call");
        assert!(
            matches!(log.args[0].value, Value::String(id) if m.strings[id].text() == format!("calling {HOLE}/oauth/ro failed"))
        );
        assert!(all.contains(&"https://tenant.auth0.com/oauth/ro".to_string()), "{all:?}");
    }

    #[test]
    fn concatenation_and_push_str_build_strings() {
        let src = r#"
const DOMAIN: &str = "tenant.auth0.com";
fn f(base: String) -> String {
    let url = base + "/oauth/ro";
    let mut other = String::from("https://");
    other.push_str(DOMAIN);
    other.push_str("/delegation");
    other
}
"#;
        let m = lower(src);
        let all = texts(&m);
        assert!(all.contains(&format!("{HOLE}/oauth/ro")), "{all:?}");
        assert!(all.contains(&"https://tenant.auth0.com/delegation".to_string()), "{all:?}");
    }

    #[test]
    fn json_macro_objects_have_keys_inside_quotes() {
        let src = r#"
fn f(user: &str, pass: &str) -> serde_json::Value {
    serde_json::json!({
        "grant_type": "password",
        "username": user,
        "password": pass.to_string(),
        "nested": { "connection": "db" },
        "scopes": ["openid", "profile"],
    })
}
"#;
        let m = lower(src);
        let o = object_with(&m, "grant_type");
        assert_eq!(keys(o), vec!["grant_type", "username", "password", "nested", "scopes"]);
        let e = o.get("grant_type").unwrap();
        assert_eq!(&src[e.key_span.range()], "grant_type");
        assert_eq!(&src[e.span.range()], "\"grant_type\": \"password\"");
        assert_eq!(entry_text(&m, o, "grant_type").as_deref(), Some("password"));
        assert!(matches!(&o.get("password").unwrap().value, Value::Expr(e) if e.text == "pass"));
        let nested = object_with(&m, "connection");
        assert_eq!(entry_text(&m, nested, "connection").as_deref(), Some("db"));
    }

    #[test]
    fn pairs_and_maps_are_objects() {
        let src = r#"
use std::collections::HashMap;
async fn f(client: &reqwest::Client, url: &str, user: &str) {
    let form = client.post(url).form(&[("grant_type", "password"), ("username", user)]).send().await;
    let map = HashMap::from([("device", "phone")]);
    let mut params = HashMap::new();
    params.insert("client_id", "abc");
    params.insert("scope", "openid");
    let pairs = vec![("connection", "db")];
}
"#;
        let m = lower(src);
        let form = object_with(&m, "grant_type");
        assert_eq!(keys(form), vec!["grant_type", "username"]);
        assert_eq!(&src[form.get("username").unwrap().span.range()], "(\"username\", user)");
        assert_eq!(&src[form.get("grant_type").unwrap().key_span.range()], "grant_type");
        assert!(m.objects.iter().any(|o| o.has("device")));
        assert!(m.objects.iter().any(|o| o.has("connection")));
        let params = object_with(&m, "client_id");
        assert_eq!(keys(params), vec!["client_id", "scope"]);
        assert_eq!(&src[params.get("scope").unwrap().key_span.range()], "scope");
        let binding = m.bindings.iter().find(|b| b.name == "params").unwrap();
        assert!(matches!(binding.value, Value::Object(_)));
    }

    #[test]
    fn method_chains_have_callees_and_receivers() {
        let src = r#"
async fn f(url: &str, id_token: &str, body: &serde_json::Value) {
    let res = reqwest::Client::new().post(url).bearer_auth(id_token).json(body).send().await?;
    let map = std::collections::HashMap::<String, String>::new();
}
"#;
        let m = lower(src);
        let callees: Vec<&str> = m.calls.iter().map(|c| c.callee.as_str()).collect();
        assert!(callees.contains(&"reqwest.Client.new"), "{callees:?}");
        assert!(callees.contains(&"reqwest.Client.new().post"), "{callees:?}");
        assert!(callees.contains(&"std.collections.HashMap.new"), "{callees:?}");
        let send = m.calls.iter().find(|c| c.name() == "send").unwrap();
        assert_eq!(&src[send.name_span.range()], "send");
        assert_eq!(&src[send.args_span.range()], "()");
        let json = &m.calls[send.receiver.unwrap()];
        assert_eq!(json.name(), "json");
        let bearer = &m.calls[json.receiver.unwrap()];
        assert_eq!(bearer.name(), "bearer_auth");
        assert_eq!(m.calls[bearer.receiver.unwrap()].name(), "post");
        let header = string_with(&m, &format!("Bearer {HOLE}"));
        assert_eq!(&src[header.span.range()], "bearer_auth(id_token)");
        assert!(matches!(header.holes().next(), Some(Value::Expr(e)) if e.text == "id_token"));
    }

    #[test]
    fn bindings_scopes_functions_and_comments() {
        let src = r#"//! Crate docs naming /oauth/ro.
/// A doc comment: /delegation
static URL: &str = "https://t.auth0.com/oauth/ro";
fn login(user: &str) {
    /* a /* nested */ block */
    let f = |x: &str| x.len();
    let s = 'x'; let l: &'static str = "a // not a comment";
}
"#;
        let m = lower(src);
        assert!(m.bindings.iter().any(|b| b.name == "URL" && matches!(b.value, Value::String(_))));
        assert!(m.bindings.iter().any(|b| b.name == "l"));
        let comments: Vec<&str> = m.comments.iter().map(|c| &src[c.range()]).collect();
        assert_eq!(
            comments,
            vec!["//! Crate docs naming /oauth/ro.", "/// A doc comment: /delegation", "/* a /* nested */ block */"]
        );
        // Doc comments are not strings of the code.
        assert!(!texts(&m).iter().any(|t| t.contains("delegation")), "{:?}", texts(&m));
        assert_eq!(m.functions.len(), 2);
        assert_eq!(m.functions[0].name.as_deref(), Some("login"));
        assert_eq!(m.functions[0].params[0].name.as_deref(), Some("user"));
        assert_eq!(m.scopes.len(), 2);
    }

    #[test]
    fn owned_literals_accept_the_environment_lookup() {
        let src = r#"
const SECRET: &str = "abc";
fn f() {
    let a = "one".to_string();
    let b = String::from("two");
    let c = "three";
}
"#;
        let m = lower(src);
        let sites = m.env_lookup_sites.as_ref().unwrap();
        let owned: Vec<&str> = sites.iter().map(|s| &src[s.range()]).collect();
        assert_eq!(owned, vec!["\"one\"", "\"two\""]);
    }

    #[test]
    fn syntax_errors_are_reported_and_strings_still_read() {
        let src = "fn f() { let x = \"https://t/oauth/ro\"; let = ; }\n";
        let m = Language::Rust.lower(src).unwrap();
        assert_eq!(m.syntax_errors.len(), 1);
        assert!(texts(&m).contains(&"https://t/oauth/ro".to_string()));
        assert_eq!(Language::Rust.syntax_errors(src), Some(1));
        assert_eq!(Language::Rust.syntax_errors("#!/usr/bin/env run-cargo-script\nfn main() {}\n"), Some(0));
    }

    #[test]
    fn paths_drop_generics_and_arguments() {
        assert_eq!(rust_path("HashMap::<String, Vec<u8>>::new"), "HashMap.new");
        assert_eq!(rust_path("reqwest::Client::new()\n    .post"), "reqwest.Client.new().post");
        assert_eq!(rust_path("client.get(format!(\"{}\", x)).send"), "client.get().send");
    }
}
