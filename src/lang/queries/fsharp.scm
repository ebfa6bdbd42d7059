; Facts of F# for the model; the capture names are documented in javascript.scm.
; Strings are single nodes in this grammar: fsharp.rs's extra pass decodes them (escapes,
; `""` in verbatim strings, `{{ }}` and holes in interpolated ones) and adds what a query
; cannot say: calls (curried or tupled applications), `sprintf`/`failwithf`/`String.Format`
; templates, `+` concatenations, lists of `"key", value` pairs as objects, named arguments
; and `AuthenticationHeaderValue("Bearer", x)`.

(string) @string
(verbatim_string) @string
(triple_quoted_string) @string
(const) @unwrap
(paren_expression) @unwrap

; {| grant_type = "password"; ... |} and { Name = ...; ... }: keyed by field name.
(anon_record_expression (field_initializers) @object)
(brace_expression (field_initializers) @object)
(field_initializer . (long_identifier) @object.key . (_) @object.value .) @object.entry

; let x = ..., x <- ...
(function_or_value_defn (value_declaration_left . (identifier_pattern) @binding.name) (_) @binding.value .) @binding
(mutate_expression . (_) @binding.name . (_) @binding.value .) @binding

(line_comment) @comment
(block_comment) @comment
(xml_doc) @comment

(function_or_value_defn (function_declaration_left) (_) @scope .)
(method_or_prop_defn (_) @scope .)
(fun_expression (_) @scope .)
