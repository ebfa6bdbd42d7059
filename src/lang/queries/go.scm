; Facts of Go for the model; the capture names are documented in javascript.scm.
; Composite literals (`map[string]string{...}`, `url.Values{...}`, `T{F: v}`) and type
; conversions (`[]byte("...")`) stand for their body or operand: go.rs's extra pass
; points every use of them at that value.

; Strings: "interpreted" (escapes decoded) and `raw`.
(interpreted_string_literal) @string
(interpreted_string_literal_content) @string.content
(escape_sequence) @string.escape
(raw_string_literal) @string
(raw_string_literal_content) @string.content

; `+` builds a string unless an operand is a number.
((binary_expression left: (_) @_left operator: "+" right: (_) @_right) @concat
  (#not-match? @_left "^[0-9.]")
  (#not-match? @_right "^[0-9.]"))

; fmt.Sprintf("%s/oauth/ro", domain): the template's placeholders take the arguments
; that follow it.
((call_expression
   function: (selector_expression operand: (identifier) @_pkg field: (field_identifier) @_fn)
   arguments: (argument_list . (_) @format.template)) @format
  (#eq? @_pkg "fmt")
  (#eq? @_fn "Sprintf"))

; Composite literal bodies: keyed elements make an object (map keys, struct fields), two
; or more plain elements an array; one plain element stands for that element, so that
; url.Values{"grant_type": {"password"}} reads as "grant_type": "password".
(literal_value (keyed_element)) @object
(keyed_element
  key: (literal_element [(interpreted_string_literal) (raw_string_literal) (identifier)] @object.key)
  value: (literal_element) @object.value) @object.entry
(literal_value . (literal_element) . (literal_element)) @array
(literal_value . (literal_element) .) @unwrap
(literal_element) @unwrap

((call_expression function: (_) @call.callee arguments: (argument_list) @call.args) @call
  (#not-match? @call.callee "^fmt\\.Sprintf$"))

; Bindings: `x := v`, `a, b := f()` (a is bound to f()), `x = v`, `var x = v`, `const x = v`.
(short_var_declaration
  left: (expression_list . (identifier) @binding.name)
  right: (expression_list . (_) @binding.value)) @binding
(short_var_declaration
  left: (expression_list . (_) . (identifier) @binding.name)
  right: (expression_list . (_) . (_) @binding.value)) @binding
(assignment_statement
  left: (expression_list . [(identifier) (selector_expression)] @binding.name)
  operator: "="
  right: (expression_list . (_) @binding.value)) @binding
(var_spec . name: (identifier) @binding.name value: (expression_list . (_) @binding.value)) @binding
(const_spec . name: (identifier) @binding.name value: (expression_list . (_) @binding.value)) @binding

(parenthesized_expression) @unwrap
(unary_expression operator: "&") @unwrap

(comment) @comment

(function_declaration body: (block) @scope)
(method_declaration body: (block) @scope)
(func_literal body: (block) @scope)

; Only compile-time constants may be written in a `const` declaration.
(const_declaration) @constant
