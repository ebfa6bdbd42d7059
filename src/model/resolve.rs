//! Splices constants into the strings that use them, so that
//! `const RO = "/oauth/ro"; fetch(BASE + RO)` is one value `<BASE>/oauth/ro` whose
//! literal piece still points at the constant's definition.

use super::{FileModel, Part, StringId, Value};

/// How many constants deep a string may be built (`A = B + "x"; B = C + ...`).
const MAX_DEPTH: usize = 8;

pub(super) fn splice_constants(model: &mut FileModel) {
    let mut resolved: Vec<Option<Vec<Part>>> = vec![None; model.strings.len()];
    for id in 0..model.strings.len() {
        let parts = resolve_parts(model, id, &mut resolved, 0);
        resolved[id] = Some(parts);
    }
    for (id, parts) in resolved.into_iter().enumerate() {
        if let Some(parts) = parts {
            model.strings[id].parts = parts;
        }
    }
}

fn resolve_parts(model: &FileModel, id: StringId, memo: &mut [Option<Vec<Part>>], depth: usize) -> Vec<Part> {
    if let Some(parts) = &memo[id] {
        return parts.clone();
    }
    let mut out = Vec::with_capacity(model.strings[id].parts.len());
    for part in &model.strings[id].parts {
        match part {
            Part::Hole(value) => match constant_string(model, value) {
                Some(target) if target != id && depth < MAX_DEPTH => {
                    let site = value.span(model);
                    for spliced in resolve_parts(model, target, memo, depth + 1) {
                        out.push(match spliced {
                            Part::Literal(mut lit) => {
                                lit.site = Some(site);
                                Part::Literal(lit)
                            }
                            hole => hole,
                        });
                    }
                }
                _ => out.push(part.clone()),
            },
            Part::Literal(_) => out.push(part.clone()),
        }
    }
    out
}

/// The string a hole's name is bound to, if any.
fn constant_string(model: &FileModel, value: &Value) -> Option<StringId> {
    match value {
        Value::Expr(expr) if expr.is_path() => match model.resolve(value) {
            Value::String(id) => Some(*id),
            _ => None,
        },
        _ => None,
    }
}
