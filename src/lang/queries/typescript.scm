; TypeScript-only wrappers around values (TSX has no `<T>x` assertion: see javascript.rs).
(as_expression) @unwrap
(satisfies_expression) @unwrap
(non_null_expression) @unwrap

; Interface and type-literal bodies are object-shaped: a payload's declared type is
; migrated with it (`connection: string` → `realm: string`).
(interface_body) @object
(object_type) @object
(property_signature name: (_) @object.key type: (type_annotation (_) @object.value)) @object.entry
(property_signature name: (_) @object.key type: (type_annotation (literal_type (string) @object.value))) @object.entry

; Parameters with a type (RA001's code facts).
(required_parameter pattern: (identifier) @param.name)
(optional_parameter pattern: (identifier) @param.name)
