//! Rust, lowered from `syn`'s syntax tree (with proc-macro2 span locations).

use std::ops::Range;

use crate::model::FileModel;

/// Lowers the Rust code in `text[range]` into `model`, with spans into `text`.
pub(super) fn lower_into(text: &str, range: Range<usize>, model: &mut FileModel) {
    let _ = (text, range, model);
}

/// 1 when the code does not parse (syn stops at the first error), else 0.
pub(super) fn syntax_errors(code: &str) -> usize {
    usize::from(syn::parse_file(code).is_err())
}
