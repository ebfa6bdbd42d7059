; TypeScript-only wrappers around values (TSX has no `<T>x` assertion: see javascript.rs).
(as_expression) @unwrap
(satisfies_expression) @unwrap
(non_null_expression) @unwrap
