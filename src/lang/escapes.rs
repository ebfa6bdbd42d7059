//! Escape sequences shared by the C family of string syntaxes.

/// Decodes one backslash escape: `\n`, `\t`, `\"`, `\\`, `\/`, `\xHH`, `\uHHHH`,
/// `\u{H..}`, `\UHHHHHHHH`, octal `\NNN`. Unknown escapes decode to the escaped
/// character.
pub fn c_like(raw: &str) -> Option<String> {
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
        'e' => '\u{1b}',
        '\n' | '\r' => return Some(String::new()),
        'x' => char::from_u32(u32::from_str_radix(&body[1..], 16).ok()?)?,
        'u' | 'U' => {
            let hex = body[1..].trim_start_matches('{').trim_end_matches('}');
            char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
        }
        '0'..='7' => char::from_u32(u32::from_str_radix(body, 8).ok()?)?,
        other => other,
    };
    Some(decoded.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_c_escapes() {
        assert_eq!(c_like("\\\"").as_deref(), Some("\""));
        assert_eq!(c_like("\\/").as_deref(), Some("/"));
        assert_eq!(c_like("\\u0041").as_deref(), Some("A"));
        assert_eq!(c_like("\\U0001F600").as_deref(), Some("😀"));
        assert_eq!(c_like("\\101").as_deref(), Some("A"));
        assert_eq!(c_like("\\x41").as_deref(), Some("A"));
    }
}
