//! Strings inside strings: a JSON body (`"{\"grant_type\":\"password\"}"`), a form body
//! (`"grant_type=password&connection=x"`) or a URL's query string held in a string value
//! is parsed into an object of its own. Every character keeps the source position it
//! was decoded from, so entries can be reported on and edited in the host file, through
//! escapes and across the pieces of a concatenation.

use super::{Entry, FileModel, Literal, ObjectKind, ObjectLiteral, Part, Quoting, StringValue, Value, HOLE};
use crate::source::Span;

/// How deeply nested a JSON document held in a string may be.
const MAX_DEPTH: usize = 32;

pub(super) fn parse_embedded(model: &mut FileModel, source: &str) {
    let _ = source;
    let count = model.strings.len();
    for id in 0..count {
        let chars = decoded_chars(model, &model.strings[id]);
        let first = chars.iter().position(|c| !c.is_space());
        let last = chars.iter().rposition(|c| !c.is_space());
        let (Some(first), Some(last)) = (first, last) else { continue };
        let object = if chars[first].ch == '{' && chars[last].ch == '}' {
            let mut parser = JsonParser { chars: &chars, pos: first, model, depth: 0 };
            parser.object().filter(|_| parser.at_end())
        } else if is_command_line(&chars) {
            command_body(model, &chars)
        } else {
            parse_form(model, &chars)
        };
        if let Some(object) = object {
            model.strings[id].embedded = Some(object);
        }
    }
}

/// True for the text of a command line that sends a request (`curl -d '...' URL`).
pub fn is_command(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("");
    matches!(first, "curl" | "wget" | "http" | "https")
}

fn is_command_line(chars: &[Char]) -> bool {
    let text: String = chars.iter().take(8).map(|c| c.ch).collect();
    is_command(&text)
}

/// The body of a command line: the first quoted word that is a JSON object or a form.
fn command_body(model: &mut FileModel, chars: &[Char]) -> Option<usize> {
    let mut i = 0;
    while i < chars.len() {
        let quote = chars[i].ch;
        if chars[i].hole.is_none() && (quote == '\'' || quote == '"') {
            let close = (i + 1..chars.len()).find(|&j| chars[j].hole.is_none() && chars[j].ch == quote);
            let Some(close) = close else { break };
            let word = &chars[i + 1..close];
            let object = if word.first().is_some_and(|c| c.ch == '{') {
                let mut parser = JsonParser { chars: word, pos: 0, model, depth: 0 };
                parser.object().filter(|_| parser.at_end())
            } else {
                parse_form(model, word)
            };
            if object.is_some() {
                return object;
            }
            i = close + 1;
        } else {
            i += 1;
        }
    }
    None
}

#[derive(Clone)]
struct Char {
    ch: char,
    /// Source span the character was decoded from (empty for holes).
    span: Span,
    /// Where the character stands in the string that holds it: its own span, the span of
    /// a hole's expression, or of the name a spliced constant replaced. Entry spans are
    /// built from these, so that removing an entry removes its hole with it.
    at: Span,
    /// The part of the string it comes from.
    part: usize,
    quoting: Quoting,
    hole: Option<Value>,
}

impl Char {
    fn is_space(&self) -> bool {
        self.hole.is_none() && self.ch.is_whitespace()
    }
}

fn decoded_chars(model: &FileModel, string: &StringValue) -> Vec<Char> {
    let mut out = Vec::new();
    for (index, part) in string.parts.iter().enumerate() {
        match part {
            Part::Literal(lit) => {
                for (offset, ch) in lit.text.char_indices() {
                    let start = lit.source_offset(offset);
                    let end = lit.source_offset(offset + ch.len_utf8());
                    let span = Span::new(start, end.max(start));
                    out.push(Char {
                        ch,
                        span,
                        at: lit.site.unwrap_or(span),
                        part: index,
                        quoting: lit.quoting,
                        hole: None,
                    });
                }
            }
            Part::Hole(value) => out.push(Char {
                ch: HOLE,
                span: Span::default(),
                at: value.span(model),
                part: index,
                quoting: Quoting::Plain,
                hole: Some((**value).clone()),
            }),
        }
    }
    out
}

/// Builds a string value from a run of decoded characters, one literal piece per
/// source piece so that an edit never spans two of them.
fn string_from(model: &mut FileModel, chars: &[Char]) -> Value {
    let mut parts: Vec<Part> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if let Some(hole) = &chars[i].hole {
            parts.push(Part::Hole(Box::new(hole.clone())));
            i += 1;
            continue;
        }
        let part = chars[i].part;
        let mut j = i;
        let mut text = String::new();
        let mut map = Vec::new();
        let start = chars[i].span.start;
        while j < chars.len() && chars[j].hole.is_none() && chars[j].part == part {
            let expected = start + text.len();
            if chars[j].span.start != expected {
                map.push((text.len(), chars[j].span.start));
            }
            text.push(chars[j].ch);
            j += 1;
        }
        let end = chars[j - 1].span.end;
        parts.push(Part::Literal(Literal {
            text,
            span: Span::new(start, end),
            map,
            site: None,
            quoting: chars[i].quoting,
        }));
        i = j;
    }
    let span = span_of(chars);
    model.strings.push(StringValue { span, parts, embedded: None, nested: true });
    Value::String(model.strings.len() - 1)
}

/// The span a run of characters covers in the string that holds them.
fn span_of(chars: &[Char]) -> Span {
    let spans: Vec<Span> = chars.iter().map(|c| c.at).collect();
    match (spans.iter().map(|s| s.start).min(), spans.iter().map(|s| s.end).max()) {
        (Some(start), Some(end)) => Span::new(start, end),
        _ => Span::default(),
    }
}

/// The characters of a JSON string's content with its escapes decoded (`\\n`, `\\"`,
/// `\\uXXXX`...); each decoded character stands for the whole escape sequence. `None` for
/// an invalid escape.
fn unescape(run: &[Char]) -> Option<Vec<Char>> {
    if !run.iter().any(|c| c.hole.is_none() && c.ch == '\\') {
        return Some(run.to_vec());
    }
    let mut out = Vec::with_capacity(run.len());
    let mut i = 0;
    while i < run.len() {
        let c = &run[i];
        if c.hole.is_some() || c.ch != '\\' {
            out.push(c.clone());
            i += 1;
            continue;
        }
        let next = run.get(i + 1).filter(|n| n.hole.is_none())?;
        let (ch, len) = match next.ch {
            'n' => ('\n', 2),
            't' => ('\t', 2),
            'r' => ('\r', 2),
            'b' => ('\u{8}', 2),
            'f' => ('\u{c}', 2),
            '"' | '\\' | '/' => (next.ch, 2),
            'u' => {
                let hex: String = run.get(i + 2..i + 6)?.iter().map(|c| c.ch).collect();
                (char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?, 6)
            }
            _ => return None,
        };
        let last = &run[i + len - 1];
        out.push(Char {
            ch,
            span: c.span.cover(last.span),
            at: c.at.cover(last.at),
            part: c.part,
            quoting: c.quoting,
            hole: None,
        });
        i += len;
    }
    Some(out)
}

struct JsonParser<'a> {
    chars: &'a [Char],
    pos: usize,
    model: &'a mut FileModel,
    depth: usize,
}

impl JsonParser<'_> {
    fn skip_space(&mut self) {
        while self.pos < self.chars.len() && self.chars[self.pos].is_space() {
            self.pos += 1;
        }
    }

    fn at_end(&mut self) -> bool {
        self.skip_space();
        self.pos == self.chars.len()
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).map(|c| c.ch)
    }

    fn eat(&mut self, ch: char) -> bool {
        self.skip_space();
        if self.peek() == Some(ch) && self.chars[self.pos].hole.is_none() {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn object(&mut self) -> Option<usize> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        self.skip_space();
        let open = self.pos;
        if !self.eat('{') {
            return None;
        }
        let mut entries = Vec::new();
        if !self.eat('}') {
            loop {
                self.skip_space();
                let entry_start = self.pos;
                let (key, key_span) = self.string_text()?;
                if !self.eat(':') {
                    return None;
                }
                let value = self.value()?;
                let entry_end = self.pos;
                entries.push(Entry { key, key_span, value, span: span_of(&self.chars[entry_start..entry_end]) });
                if self.eat(',') {
                    continue;
                }
                if self.eat('}') {
                    break;
                }
                return None;
            }
        }
        self.depth -= 1;
        let span = span_of(&self.chars[open..self.pos]);
        self.model.objects.push(ObjectLiteral { span, kind: ObjectKind::Json, entries });
        Some(self.model.objects.len() - 1)
    }

    /// A JSON string whose content has no holes: its text and the span of its content.
    fn string_text(&mut self) -> Option<(String, Span)> {
        self.skip_space();
        let (start, end) = self.string_bounds()?;
        let run = &unescape(&self.chars[start..end])?;
        if run.iter().any(|c| c.hole.is_some()) {
            return None;
        }
        let text = run.iter().map(|c| c.ch).collect();
        let span = if run.is_empty() {
            Span::new(self.chars[start - 1].span.end, self.chars[start - 1].span.end)
        } else {
            span_of(run)
        };
        Some((text, span))
    }

    /// Consumes a quoted JSON string and returns the range of its content characters.
    fn string_bounds(&mut self) -> Option<(usize, usize)> {
        if self.peek() != Some('"') || self.chars[self.pos].hole.is_some() {
            return None;
        }
        let start = self.pos + 1;
        let mut i = start;
        while i < self.chars.len() {
            match self.chars[i].ch {
                '\\' if self.chars[i].hole.is_none() => i += 2,
                '"' if self.chars[i].hole.is_none() => {
                    self.pos = i + 1;
                    return Some((start, i));
                }
                _ => i += 1,
            }
        }
        None
    }

    fn value(&mut self) -> Option<Value> {
        self.skip_space();
        let c = self.chars.get(self.pos)?;
        if let Some(hole) = &c.hole {
            let hole = hole.clone();
            self.pos += 1;
            return Some(hole);
        }
        match c.ch {
            '"' => {
                let (start, end) = self.string_bounds()?;
                let run = unescape(&self.chars[start..end])?;
                if run.is_empty() {
                    let at = self.chars[start - 1].span.end;
                    self.model.strings.push(StringValue {
                        span: Span::new(at, at),
                        parts: vec![Part::Literal(Literal::plain(String::new(), Span::new(at, at), c.quoting))],
                        embedded: None,
                        nested: true,
                    });
                    return Some(Value::String(self.model.strings.len() - 1));
                }
                Some(string_from(self.model, &run))
            }
            '{' => self.object().map(Value::Object),
            '[' => {
                let start = self.pos;
                self.pos += 1;
                let mut items = Vec::new();
                if !self.eat(']') {
                    loop {
                        items.push(self.value()?);
                        if self.eat(',') {
                            continue;
                        }
                        if self.eat(']') {
                            break;
                        }
                        return None;
                    }
                }
                Some(Value::Array(items, span_of(&self.chars[start..self.pos])))
            }
            _ => {
                let start = self.pos;
                while self.pos < self.chars.len() {
                    let c = &self.chars[self.pos];
                    if c.hole.is_some() || !(c.ch.is_alphanumeric() || matches!(c.ch, '-' | '+' | '.')) {
                        break;
                    }
                    self.pos += 1;
                }
                (self.pos > start).then(|| Value::Other(span_of(&self.chars[start..self.pos])))
            }
        }
    }
}

/// `a=b&c=d`, alone or as the query of a URL. Keys must look like parameter names and
/// the text must hold no spaces, so prose with an `=` in it is left alone.
fn parse_form(model: &mut FileModel, chars: &[Char]) -> Option<usize> {
    if chars.iter().any(|c| c.is_space()) {
        return None;
    }
    let query_start = chars.iter().position(|c| c.hole.is_none() && c.ch == '?').map_or(0, |i| i + 1);
    let end = chars.iter().position(|c| c.hole.is_none() && c.ch == '#').unwrap_or(chars.len());
    if query_start >= end {
        return None;
    }
    let body = &chars[query_start..end];
    let mut pairs = Vec::new();
    let mut start = 0;
    for i in 0..=body.len() {
        if i == body.len() || (body[i].hole.is_none() && body[i].ch == '&') {
            if i > start {
                pairs.push(&body[start..i]);
            }
            start = i + 1;
        }
    }
    let is_query = query_start > 0;
    if pairs.is_empty() || (!is_query && pairs.len() < 2) {
        return None;
    }
    let mut entries = Vec::new();
    for pair in pairs {
        let eq = pair.iter().position(|c| c.hole.is_none() && c.ch == '=')?;
        let key_chars = &pair[..eq];
        if key_chars.is_empty()
            || !key_chars.iter().all(|c| {
                c.hole.is_none() && (c.ch.is_ascii_alphanumeric() || matches!(c.ch, '_' | '-' | '.' | '[' | ']'))
            })
        {
            return None;
        }
        let key: String = key_chars.iter().map(|c| c.ch).collect();
        let value = if eq + 1 < pair.len() {
            string_from(model, &pair[eq + 1..])
        } else {
            let at = pair[eq].span.end;
            model.strings.push(StringValue {
                span: Span::new(at, at),
                parts: vec![Part::Literal(Literal::plain(String::new(), Span::new(at, at), pair[eq].quoting))],
                embedded: None,
                nested: true,
            });
            Value::String(model.strings.len() - 1)
        };
        entries.push(Entry { key, key_span: span_of(key_chars), value, span: span_of(pair) });
    }
    model.objects.push(ObjectLiteral { span: span_of(body), kind: ObjectKind::Form, entries });
    Some(model.objects.len() - 1)
}

#[cfg(test)]
mod tests {
    use crate::lang::Language;

    #[test]
    fn json_escapes_inside_a_body_held_in_a_string_are_decoded_in_place() {
        let src = "curl https://x/api -d '{\"script\":\"a\\n\\\"b\\\"\\u0041\"}'\n";
        let model = Language::Shell.lower(src).unwrap();
        let entry = model.objects.iter().find_map(|o| o.get("script")).expect("parsed");
        let value = model.string_of(&entry.value).unwrap();
        assert_eq!(value.text(), "a\n\"b\"A");
        // Each decoded character points at its whole escape sequence in the file.
        let crate::model::Part::Literal(lit) = &value.parts[0] else { panic!() };
        assert_eq!(&src[lit.source_span(1, 2).range()], "\\n");
        assert_eq!(&src[lit.source_span(5, 6).range()], "\\u0041");
        assert_eq!(&src[lit.span.range()], "a\\n\\\"b\\\"\\u0041");
    }
}
