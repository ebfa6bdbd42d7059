//! What a rule reports: a finding on a span, and optionally a fix made of edits that are
//! applied all together or not at all.

use serde::{Deserialize, Serialize};

use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// How far a fix may be trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Safety {
    /// Applied by `fix`: the result is the documented replacement, same behaviour.
    Safe,
    /// Applied with `--unsafe-fixes`: behaviour or tenant configuration changes too.
    Unsafe,
    /// Shown, never applied.
    DisplayOnly,
}

impl Safety {
    pub fn as_str(&self) -> &'static str {
        match self {
            Safety::Safe => "safe",
            Safety::Unsafe => "unsafe",
            Safety::DisplayOnly => "display-only",
        }
    }
}

/// Replace the text of `span` with `content`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Edit {
    pub span: Span,
    pub content: String,
}

impl Edit {
    pub fn replace(span: Span, content: impl Into<String>) -> Self {
        Edit { span, content: content.into() }
    }

    pub fn delete(span: Span) -> Self {
        Edit { span, content: String::new() }
    }
}

/// A file a fix creates beside the one it fixes (an Action written to
/// `actions/<name>/code.js` of an auth0-deploy-cli export).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewFile {
    /// Relative to the directory of the file being fixed.
    pub path: std::path::PathBuf,
    pub contents: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub safety: Safety,
    pub message: String,
    /// Sorted, non-overlapping.
    pub edits: Vec<Edit>,
    /// Files created by the fix; an existing file is never overwritten.
    pub creates: Vec<NewFile>,
}

impl Fix {
    /// A fix from edits in any order; `None` when two of them overlap (a rule defect
    /// that must never reach a file).
    pub fn new(safety: Safety, message: impl Into<String>, mut edits: Vec<Edit>) -> Option<Fix> {
        edits.sort();
        edits.dedup();
        if edits.windows(2).any(|w| w[0].span.end > w[1].span.start) || edits.is_empty() {
            return None;
        }
        Some(Fix { safety, message: message.into(), edits, creates: Vec::new() })
    }

    /// A fix that only creates files, leaving the fixed file as it is.
    pub fn creating(safety: Safety, message: impl Into<String>, creates: Vec<NewFile>) -> Option<Fix> {
        (!creates.is_empty()).then(|| Fix { safety, message: message.into(), edits: Vec::new(), creates })
    }

    pub fn span(&self) -> Span {
        let first = self.edits.first().map_or(Span::default(), |e| e.span);
        self.edits.iter().fold(first, |acc, e| acc.cover(e.span))
    }

    pub fn applies(&self, unsafe_fixes: bool) -> bool {
        match self.safety {
            Safety::Safe => true,
            Safety::Unsafe => unsafe_fixes,
            Safety::DisplayOnly => false,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Finding {
    pub code: String,
    pub span: Span,
    pub severity: Severity,
    pub message: String,
    pub help: String,
    pub fix: Option<Fix>,
}

/// Applies non-overlapping edits to a text.
pub fn apply_edits(text: &str, edits: &[&Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.to_vec();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in sorted {
        out.push_str(&text[at..edit.span.start]);
        out.push_str(&edit.content);
        at = edit.span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// How a secret appears in any message: its first four characters and a fixed mask, so
/// that neither the secret nor its length is ever printed.
pub fn mask_secret(secret: &str) -> String {
    let head: String = secret.chars().take(4).collect();
    format!("{head}********")
}

/// The text with the secrets at `spans` masked for display: the first four characters
/// of each stay, every other character becomes `*` repeated as many times as it has
/// bytes, so that every span into the text still points at the same place.
pub fn redact<'a>(text: &'a str, spans: &[crate::source::Span]) -> std::borrow::Cow<'a, str> {
    if spans.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut masked = vec![false; text.len()];
    for span in spans {
        let Some(secret) = text.get(span.range()) else { continue };
        for (i, (offset, ch)) in secret.char_indices().enumerate() {
            if i >= 4 {
                for b in 0..ch.len_utf8() {
                    masked[span.start + offset + b] = true;
                }
            }
        }
    }
    let mut out = String::with_capacity(text.len());
    for (offset, ch) in text.char_indices() {
        if masked[offset] {
            out.extend(std::iter::repeat_n('*', ch.len_utf8()));
        } else {
            out.push(ch);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    #[test]
    fn secrets_are_masked_to_their_first_four_characters() {
        assert_eq!(mask_secret("AbCdEfGhIjKlMnOpQrSt"), "AbCd********");
        let text = "x = 'AbCdEfGhIjKl'; y = 'é';";
        let masked = redact(text, &[Span::new(5, 17)]);
        assert_eq!(masked, "x = 'AbCd********'; y = 'é';");
        assert_eq!(masked.len(), text.len());
        assert_eq!(redact("a 'ééééé'", &[Span::new(3, 13)]), "a 'éééé**'");
    }
}
