//! JSON: the tree-sitter grammar, its facts query and its escape rules.

use std::sync::OnceLock;

use super::treesitter::Grammar;

pub(super) fn grammar() -> &'static Grammar {
    static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
    GRAMMAR.get_or_init(|| {
        Grammar::new(tree_sitter_json::LANGUAGE.into(), include_str!("queries/json.scm"), super::escapes::c_like, None)
    })
}
