//! Markdown: fenced code blocks with a language tag are regions in that language, so
//! the `curl .../oauth/ro` copied into a runbook is checked (and fixed) in place.

use std::ops::Range;
use std::sync::OnceLock;

use super::treesitter::{find_nodes, parse, Grammar};
use super::{Language, Region};

fn grammar() -> &'static Grammar {
    static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
    GRAMMAR.get_or_init(|| Grammar::new(tree_sitter_md::LANGUAGE.into(), "", super::escapes::c_like, None))
}

pub(super) fn regions(text: &str) -> Vec<Region> {
    let Ok(tree) = parse(grammar(), text) else {
        return Vec::new();
    };
    let mut regions = Vec::new();
    for node in find_nodes(tree.root_node(), "fenced_code_block") {
        let mut cursor = node.walk();
        let children: Vec<_> = node.named_children(&mut cursor).collect();
        let Some(info) = children.iter().find(|c| c.kind() == "info_string") else {
            continue;
        };
        let tag = text[info.byte_range()].split([' ', '{', ',']).next().unwrap_or("").to_string();
        let Some(language) = Language::from_name(&tag) else {
            continue;
        };
        if matches!(language, Language::Markdown | Language::Html | Language::Vue | Language::Svelte) {
            continue;
        }
        let Some(content) = children.iter().find(|c| c.kind() == "code_fence_content") else {
            continue;
        };
        // The fence's indentation (inside a list item) is not part of the code.
        let line_start = text[..node.start_byte()].rfind('\n').map_or(0, |i| i + 1);
        let indent = node.start_byte() - line_start;
        let prompt = matches!(tag.to_ascii_lowercase().as_str(), "console" | "shell-session");
        let ranges = lines(text, content.byte_range(), indent, prompt);
        if !ranges.is_empty() {
            regions.push(Region { language, ranges });
        }
    }
    regions.sort_by_key(|r| r.ranges.first().map(|r| r.start));
    regions
}

/// The document's HTML comments (`<!-- ... -->`), where suppressions may be written.
pub(super) fn comments(text: &str) -> Vec<crate::source::Span> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = text[from..].find("<!--").map(|i| from + i) {
        let end = text[start..].find("-->").map_or(text.len(), |i| start + i + 3);
        found.push(crate::source::Span::new(start, end));
        from = end;
    }
    found
}

/// The ranges of a block's lines without the first `indent` spaces; for a console
/// session, only the commands after a `$ ` prompt.
fn lines(text: &str, content: Range<usize>, indent: usize, prompt: bool) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut at = content.start;
    while at < content.end {
        let end = text[at..content.end].find('\n').map_or(content.end, |i| at + i + 1);
        let line = &text[at..end];
        let spaces = line.bytes().take(indent).take_while(|&b| b == b' ').count();
        let mut start = at + spaces;
        if prompt {
            let rest = &text[start..end];
            let trimmed = rest.trim_start();
            if let Some(command) = trimmed.strip_prefix("$ ") {
                start = end - command.len();
            } else {
                at = end;
                continue;
            }
        }
        if start < end {
            ranges.push(start..end);
        }
        at = end;
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fenced_blocks_are_regions_in_their_language() {
        let doc = "# Login\n\n```js\nfetch('/oauth/ro');\n```\n\n- step\n\n   ```python\n   requests.post(url)\n   ```\n\n```\nplain\n```\n";
        let found = regions(doc);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].language, Language::JavaScript);
        assert_eq!(&doc[found[0].ranges[0].clone()], "fetch('/oauth/ro');\n");
        assert_eq!(found[1].language, Language::Python);
        assert_eq!(&doc[found[1].ranges[0].clone()], "requests.post(url)\n");
    }

    #[test]
    fn console_blocks_keep_only_commands() {
        let doc = "```console\n$ curl https://x/oauth/ro\n{\"ok\": true}\n```\n";
        let found = regions(doc);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].ranges.len(), 1);
        assert_eq!(&doc[found[0].ranges[0].clone()], "curl https://x/oauth/ro\n");
    }

    #[test]
    fn a_finding_in_a_fence_points_into_the_document() {
        let doc = "Old login:\n\n```javascript\naxios.post(`https://${d}/oauth/ro`, body);\n```\n";
        let model = Language::Markdown.lower(doc).unwrap();
        let string = model.strings.iter().find(|s| s.text().ends_with("/oauth/ro")).expect("lowered");
        assert_eq!(&doc[string.span.range()], "`https://${d}/oauth/ro`");
    }
}
