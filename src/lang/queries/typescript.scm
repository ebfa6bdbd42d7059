; TypeScript-only wrappers around values.
(as_expression) @unwrap
(satisfies_expression) @unwrap
(non_null_expression) @unwrap
(type_assertion) @unwrap
