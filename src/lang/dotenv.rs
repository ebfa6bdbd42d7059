//! Dotenv files (`.env`, `.env.production`, `app.env`): one `KEY=value` per line.
//!
//! Each assignment is lowered to a binding of the key to its value, so the rules see
//! `AUTH0_CLIENT_SECRET=...` like `AUTH0_CLIENT_SECRET = "..."` in code. What the common
//! dotenv loaders accept is understood: `export KEY=value`, spaces around `=`, values in
//! single quotes (taken as written), double quotes (with `\n`, `\"`, `\\` escapes and
//! `${VAR}` / `$VAR` expansions, which are holes) or none (up to a ` #` comment), and
//! double-quoted values spanning several lines. `#` lines are comments.
//!
//! A dotenv file has no way to read another variable at run time that a fix could
//! write, so the model has no environment lookup: secrets found here are reported for
//! rotation, not rewritten.

use std::ops::Range;

use crate::model::{Binding, Expr, FileModel, Literal, Part, Quoting, StringValue, Value};
use crate::source::Span;

/// True when a file name is a dotenv file's: `.env`, `.env.local`, `.env.example`, ...
pub fn is_dotenv_name(name: &str) -> bool {
    name == ".env" || name.starts_with(".env.")
}

/// Lowers the lines of `text` in `range` into `model`.
pub fn lower_into(text: &str, range: Range<usize>, model: &mut FileModel) {
    for line in assignments(text, range, model) {
        let Line { key, value, whole } = line;
        let value = match value {
            Some(string) => {
                model.strings.push(string);
                Value::String(model.strings.len() - 1)
            }
            None => Value::Other(Span::new(whole.end, whole.end)),
        };
        model.bindings.push(Binding { name: key, value, span: whole });
    }
}

/// The number of lines that are neither blank, a comment nor an assignment.
pub fn syntax_errors(text: &str) -> usize {
    let mut model = FileModel::default();
    lower_into(text, 0..text.len(), &mut model);
    model.syntax_errors.len()
}

struct Line {
    key: String,
    value: Option<StringValue>,
    whole: Span,
}

/// The assignments of the text, with comments and unreadable lines recorded on the model.
fn assignments(text: &str, range: Range<usize>, model: &mut FileModel) -> Vec<Line> {
    let mut lines = Vec::new();
    let end = range.end.min(text.len());
    let mut at = range.start;
    while at < end {
        let line_end = text[at..end].find('\n').map_or(end, |i| at + i);
        let line = &text[at..line_end];
        let indent = line.len() - line.trim_start().len();
        let start = at + indent;
        let content = line.trim();
        if content.is_empty() {
            at = line_end + 1;
            continue;
        }
        if content.starts_with('#') {
            model.comments.push(Span::new(start, start + content.len()));
            at = line_end + 1;
            continue;
        }
        let mut key_start = start;
        if let Some(rest) = content.strip_prefix("export") {
            if rest.starts_with([' ', '\t']) {
                key_start = start + "export".len() + (rest.len() - rest.trim_start().len());
            }
        }
        let key_len = text[key_start..line_end]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'))
            .unwrap_or(line_end - key_start);
        let after_key = key_start + key_len;
        let rest = &text[after_key..line_end];
        let equals = rest.len() - rest.trim_start().len();
        if key_len == 0 || !rest.trim_start().starts_with('=') {
            model.syntax_errors.push(Span::new(start, line_end));
            at = line_end + 1;
            continue;
        }
        let mut value_start = after_key + equals + 1;
        value_start += text[value_start..line_end].len() - text[value_start..line_end].trim_start().len();
        let (value, value_end) = value(text, value_start, line_end, end, model);
        lines.push(Line {
            key: text[key_start..after_key].to_string(),
            value,
            whole: Span::new(start, value_end.max(after_key)),
        });
        // A quoted value may run over several lines.
        let next = text[value_end.min(end)..end].find('\n').map_or(end, |i| value_end + i);
        at = next.max(line_end) + 1;
    }
    lines
}

/// The value starting at `start` (on a line ending at `line_end`): the string, and where
/// the value ends.
fn value(text: &str, start: usize, line_end: usize, end: usize, model: &mut FileModel) -> (Option<StringValue>, usize) {
    let first = text[start..line_end].chars().next();
    match first {
        Some(quote @ ('\'' | '"' | '`')) => {
            let body = start + 1;
            let close = closing_quote(text, body, end, quote);
            let Some(close) = close else {
                model.syntax_errors.push(Span::new(start, line_end));
                return (None, line_end);
            };
            let parts =
                if quote == '"' { double_quoted(text, body, close) } else { vec![literal(text, body, close, quote)] };
            let string = StringValue { span: Span::new(start, close + 1), parts, embedded: None, nested: false };
            // A comment may follow the closing quote.
            let tail = &text[close + 1..text[close + 1..end].find('\n').map_or(end, |i| close + 1 + i)];
            if let Some(hash) = tail.find('#') {
                let comment = close + 1 + hash;
                model.comments.push(Span::new(comment, comment + tail[hash..].trim_end().len()));
            }
            (Some(string), close + 1)
        }
        None => (None, start),
        Some(_) => {
            // Unquoted: up to ` #` (a comment), trailing spaces trimmed.
            let raw = &text[start..line_end];
            let cut = raw.find(" #").or_else(|| raw.find("\t#")).unwrap_or(raw.len());
            if cut < raw.len() {
                let comment = start + cut + (raw[cut..].len() - raw[cut..].trim_start().len());
                model.comments.push(Span::new(comment, start + raw.trim_end().len()));
            }
            let value_end = start + raw[..cut].trim_end().len();
            let string = StringValue {
                span: Span::new(start, value_end),
                parts: expansions(text, start, value_end, Quoting::Plain),
                embedded: None,
                nested: false,
            };
            (Some(string), value_end)
        }
    }
}

/// The offset of the quote closing a value whose text starts at `body`; escaped quotes
/// do not count in double quotes.
fn closing_quote(text: &str, body: usize, end: usize, quote: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in text[body..end].char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        if c == '\\' && quote == '"' {
            escaped = true;
        } else if c == quote {
            return Some(body + i);
        }
    }
    None
}

fn literal(text: &str, start: usize, end: usize, quote: char) -> Part {
    Part::Literal(Literal::plain(text[start..end].to_string(), Span::new(start, end), Quoting::Quoted(quote)))
}

/// A double-quoted value: escapes decoded (with their source positions), expansions as
/// holes.
fn double_quoted(text: &str, start: usize, end: usize) -> Vec<Part> {
    let mut parts = Vec::new();
    for part in expansions(text, start, end, Quoting::Quoted('"')) {
        match part {
            Part::Literal(lit) if lit.text.contains('\\') => parts.push(Part::Literal(unescape(lit))),
            other => parts.push(other),
        }
    }
    parts
}

fn unescape(lit: Literal) -> Literal {
    let mut text = String::new();
    let mut map = Vec::new();
    let mut chars = lit.text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            if let Some(&(j, next)) = chars.peek() {
                chars.next();
                map.push((text.len(), lit.span.start + i));
                text.push(match next {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    other => other,
                });
                // The identity resumes after the escape.
                map.push((text.len(), lit.span.start + j + next.len_utf8()));
                continue;
            }
        }
        text.push(c);
    }
    map.retain(|&(t, s)| s != lit.span.start + t);
    Literal { text, span: lit.span, map, site: None, quoting: lit.quoting }
}

/// Splits `[start, end)` into literal pieces and `${VAR}` / `$VAR` holes.
fn expansions(text: &str, start: usize, end: usize, quoting: Quoting) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut piece = start;
    let mut i = start;
    let bytes = text.as_bytes();
    while i < end {
        if bytes[i] == b'\\' && quoting != Quoting::Plain {
            i += 2;
            continue;
        }
        if bytes[i] == b'$' && i + 1 < end {
            let hole_end = if bytes[i + 1] == b'{' {
                text[i..end].find('}').map(|j| i + j + 1)
            } else {
                let n =
                    text[i + 1..end].find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(end - i - 1);
                (n > 0 && !bytes[i + 1].is_ascii_digit()).then_some(i + 1 + n)
            };
            if let Some(hole_end) = hole_end {
                if piece < i {
                    parts.push(Part::Literal(Literal::plain(text[piece..i].to_string(), Span::new(piece, i), quoting)));
                }
                let span = Span::new(i, hole_end);
                parts.push(Part::Hole(Box::new(Value::Expr(Expr { span, text: text[span.range()].to_string() }))));
                piece = hole_end;
                i = hole_end;
                continue;
            }
        }
        i += 1;
    }
    if piece < end || parts.is_empty() {
        parts.push(Part::Literal(Literal::plain(text[piece..end].to_string(), Span::new(piece, end), quoting)));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;

    fn bindings(src: &str) -> Vec<(String, Option<String>)> {
        let m = Language::Dotenv.lower(src).unwrap();
        m.bindings.iter().map(|b| (b.name.clone(), m.string_of(&b.value).map(|s| s.text()))).collect()
    }

    #[test]
    fn every_form_of_assignment() {
        let src = "# Auth0\nAUTH0_DOMAIN=acme.auth0.com\nexport AUTH0_CLIENT_ID = 'abc' # the app\n\
AUTH0_CLIENT_SECRET=\"a\\\"b\\nc\"\nEMPTY=\nCALLBACK=\"${BASE_URL}/callback\"\nPLAIN=x y # note\n\
MULTI=\"line1\nline2\"\nAFTER=1\nnot an assignment\n";
        assert_eq!(
            bindings(src),
            vec![
                ("AUTH0_DOMAIN".into(), Some("acme.auth0.com".into())),
                ("AUTH0_CLIENT_ID".into(), Some("abc".into())),
                ("AUTH0_CLIENT_SECRET".into(), Some("a\"b\nc".into())),
                ("EMPTY".into(), None),
                ("CALLBACK".into(), Some(format!("{}/callback", crate::model::HOLE))),
                ("PLAIN".into(), Some("x y".into())),
                ("MULTI".into(), Some("line1\nline2".into())),
                ("AFTER".into(), Some("1".into())),
            ]
        );
        let m = Language::Dotenv.lower(src).unwrap();
        let comments: Vec<&str> = m.comments.iter().map(|c| &src[c.range()]).collect();
        assert_eq!(comments, vec!["# Auth0", "# the app", "# note"]);
        assert_eq!(Language::Dotenv.syntax_errors(src), Some(1));
    }

    #[test]
    fn escapes_keep_their_source_positions() {
        let src = "K=\"a\\\"bcdef\"";
        let m = Language::Dotenv.lower(src).unwrap();
        let s = m.string_of(&m.bindings[0].value).unwrap();
        let Part::Literal(lit) = &s.parts[0] else { panic!() };
        assert_eq!(lit.text, "a\"bcdef");
        assert_eq!(&src[lit.source_span(2, 4).range()], "bc");
        assert_eq!(&src[lit.source_span(1, 2).range()], "\\\"");
    }

    #[test]
    fn dotenv_files_are_told_by_name() {
        assert!(is_dotenv_name(".env"));
        assert!(is_dotenv_name(".env.production"));
        assert!(!is_dotenv_name(".envrc"));
        assert!(!is_dotenv_name("env"));
    }
}
