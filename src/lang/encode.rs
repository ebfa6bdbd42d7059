//! Writing text back into a string literal of a file: the inverse of each adapter's
//! decoding, for the literal forms a fix may rewrite (a Rule's source held in a string).

use super::Language;
use crate::model::{Literal, Quoting};

/// The source text that, written in place of the literal piece `lit` of `source`, decodes
/// to `text`. Line breaks stay raw where the piece already holds raw ones (a template
/// literal, a triple-quoted string, a YAML `|` block, whose lines keep the piece's
/// indentation) and are escaped otherwise. `None` when the piece's form cannot hold the
/// text exactly (a YAML plain scalar, a line break in a one-line YAML single-quoted
/// string, a shell word). Callers check the result by decoding it again.
pub(super) fn encode(language: Language, source: &str, lit: &Literal, text: &str) -> Option<String> {
    let raw = source.get(lit.span.range())?;
    let multiline = raw.contains('\n');
    match (language, lit.quoting) {
        (Language::Yaml, Quoting::Plain) => {
            // A `|` block: every line after the first starts at the block's indentation.
            let line_start = source[..lit.span.start].rfind('\n').map_or(0, |i| i + 1);
            let indent = &source[line_start..lit.span.start];
            if !indent.chars().all(|c| c == ' ') || indent.is_empty() {
                return None;
            }
            // After a line break comes the indentation of the line that follows, whether
            // it is written here or is the source's next line; empty lines stay empty.
            let mut out = String::new();
            let mut chars = text.chars().peekable();
            while let Some(c) = chars.next() {
                out.push(c);
                if c == '\n' && chars.peek() != Some(&'\n') {
                    out.push_str(indent);
                }
            }
            Some(out)
        }
        (Language::Yaml, Quoting::Quoted('\'')) => (!text.contains('\n')).then(|| text.replace('\'', "''")),
        (Language::Shell, _) | (_, Quoting::Plain) => None,
        (Language::Php | Language::Ruby, Quoting::Quoted('\'')) => {
            Some(text.replace('\\', "\\\\").replace('\'', "\\'"))
        }
        (_, Quoting::Quoted(quote)) => {
            let mut out = String::with_capacity(text.len());
            for c in text.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\n' if !multiline => out.push_str("\\n"),
                    '\r' if !multiline => out.push_str("\\r"),
                    '\t' if !multiline => out.push_str("\\t"),
                    '$' if quote == '`' || (quote == '"' && language == Language::Php) => out.push_str("\\$"),
                    '#' if quote == '"' && language == Language::Ruby => out.push_str("\\#"),
                    c if c == quote => {
                        out.push('\\');
                        out.push(c);
                    }
                    c if (c as u32) < 0x20 && c != '\n' && c != '\t' && c != '\r' => {
                        out.push_str(&format!("\\u{:04x}", c as u32))
                    }
                    c => out.push(c),
                }
            }
            Some(out)
        }
    }
}
