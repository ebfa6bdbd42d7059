//! HTML, Vue and Svelte: every inline `<script>` is a region in its own language
//! (`lang="ts"`, `type="text/typescript"`, JSON data blocks), parsed in place so that
//! positions stay those of the page.

use std::sync::OnceLock;

use tree_sitter::Node;

use super::treesitter::{find_nodes, parse, Grammar};
use super::{Language, Region};

fn grammar() -> &'static Grammar {
    static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
    GRAMMAR.get_or_init(|| Grammar::new(tree_sitter_html::LANGUAGE.into(), "", super::escapes::c_like, None))
}

pub(super) fn regions(text: &str) -> Vec<Region> {
    let Ok(tree) = parse(grammar(), text) else { return Vec::new() };
    find_nodes(tree.root_node(), "script_element").into_iter().filter_map(|node| script(node, text)).collect()
}

/// The page's own comments (`<!-- ... -->`), where suppressions may be written.
pub(super) fn comments(text: &str) -> Vec<crate::source::Span> {
    let Ok(tree) = parse(grammar(), text) else { return Vec::new() };
    find_nodes(tree.root_node(), "comment")
        .into_iter()
        .map(|n| crate::source::Span::new(n.start_byte(), n.end_byte()))
        .collect()
}

/// The scripts a page loads by URL: the `src` of each `<script>` element.
pub(super) fn script_sources(text: &str) -> Vec<crate::model::ScriptSource> {
    let Ok(tree) = parse(grammar(), text) else { return Vec::new() };
    let mut out = Vec::new();
    for node in find_nodes(tree.root_node(), "script_element") {
        let mut cursor = node.walk();
        let Some(start) = node.named_children(&mut cursor).find(|c| c.kind() == "start_tag") else { continue };
        let mut tag_cursor = start.walk();
        for attribute in start.named_children(&mut tag_cursor).filter(|c| c.kind() == "attribute") {
            let mut inner = attribute.walk();
            let parts: Vec<Node> = attribute.named_children(&mut inner).collect();
            let is_src =
                parts.iter().any(|p| p.kind() == "attribute_name" && text[p.byte_range()].eq_ignore_ascii_case("src"));
            let value = parts.iter().find(|p| p.kind() == "quoted_attribute_value" || p.kind() == "attribute_value");
            if let (true, Some(value)) = (is_src, value) {
                let raw = &text[value.byte_range()];
                let inner = raw.trim_matches(['"', '\'']);
                let at = value.start_byte() + raw.find(inner).unwrap_or(0);
                out.push(crate::model::ScriptSource {
                    url: inner.to_string(),
                    span: crate::source::Span::new(at, at + inner.len()),
                });
            }
        }
    }
    out
}

fn script(node: Node, text: &str) -> Option<Region> {
    let mut cursor = node.walk();
    let children: Vec<Node> = node.named_children(&mut cursor).collect();
    let raw = children.iter().find(|c| c.kind() == "raw_text").filter(|r| !text[r.byte_range()].trim().is_empty())?;
    let mut language = Language::JavaScript;
    if let Some(start) = children.iter().find(|c| c.kind() == "start_tag") {
        for (name, value) in attributes(*start, text) {
            match (name.as_str(), value.to_ascii_lowercase().as_str()) {
                ("lang", "ts" | "typescript") => language = Language::TypeScript,
                ("lang", "tsx") => language = Language::Tsx,
                ("type", "text/typescript" | "application/typescript") => language = Language::TypeScript,
                ("type", "application/json" | "application/ld+json" | "importmap") => language = Language::Json,
                ("type", "" | "module" | "text/javascript" | "application/javascript" | "text/babel") => {}
                // Templates and other data blocks are not script.
                ("type", _) => return None,
                _ => {}
            }
        }
    }
    let range = raw.start_byte()..raw.end_byte();
    Some(Region { language, ranges: Vec::from([range]) })
}

/// `(name, value)` of each attribute of a start tag, names lowercased.
fn attributes(tag: Node, text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut cursor = tag.walk();
    for attribute in tag.named_children(&mut cursor).filter(|c| c.kind() == "attribute") {
        let mut inner = attribute.walk();
        let parts: Vec<Node> = attribute.named_children(&mut inner).collect();
        let name =
            parts.iter().find(|p| p.kind() == "attribute_name").map(|n| text[n.byte_range()].to_ascii_lowercase());
        let value = parts
            .iter()
            .find(|p| p.kind() == "quoted_attribute_value" || p.kind() == "attribute_value")
            .map(|v| text[v.byte_range()].trim_matches(['"', '\'']).to_string())
            .unwrap_or_default();
        if let Some(name) = name {
            out.push((name, value));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_inline_scripts_with_their_language() {
        let page = "<html><script src=\"x.js\"></script>\n<script>var a = '/oauth/ro';</script>\n<script lang=\"ts\">let b: string = 'x';</script>\n<script type=\"text/x-template\"><div/></script></html>";
        let found = regions(page);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].language, Language::JavaScript);
        assert_eq!(&page[found[0].ranges[0].clone()], "var a = '/oauth/ro';");
        assert_eq!(found[1].language, Language::TypeScript);
    }

    #[test]
    fn script_sources_are_facts() {
        let page = "<head><script src=\"https://cdn.auth0.com/w2/auth0-7.6.1.min.js\"></script>\n<SCRIPT SRC='/app.js'></SCRIPT><script>x()</script></head>";
        let model = Language::Html.lower(page).unwrap();
        let urls: Vec<&str> = model.script_sources.iter().map(|s| &page[s.span.range()]).collect();
        assert_eq!(urls, vec!["https://cdn.auth0.com/w2/auth0-7.6.1.min.js", "/app.js"]);
        assert_eq!(model.script_sources[1].url, "/app.js");
    }

    #[test]
    fn a_finding_in_a_page_points_into_the_page() {
        let page = "<p>hi</p>\n<script>\n  fetch('https://' + d + '/oauth/ro');\n</script>\n";
        let model = Language::Html.lower(page).unwrap();
        let string = model.strings.iter().find(|s| s.text().ends_with("/oauth/ro")).expect("lowered");
        assert_eq!(&page[string.span.range()], "'https://' + d + '/oauth/ro'");
    }
}
