//! Shell: the tree-sitter grammar, its facts query and its escape rules.

use std::sync::OnceLock;

use super::treesitter::Grammar;

pub(super) fn grammar() -> &'static Grammar {
    static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
    GRAMMAR.get_or_init(|| {
        Grammar::new(tree_sitter_bash::LANGUAGE.into(), include_str!("queries/shell.scm"), super::escapes::c_like, None)
    })
}
