; Facts of swift for the model; the capture names are documented in javascript.scm.
; The extra pass in swift.rs completes what a query cannot say: the spans of dictionary
; entries (Swift has no key-value node), the text of multi-line and raw strings (their
; quotes and delimiters are separate tokens), and the body and headers set on a
; URLRequest after it is built.

; Strings: "..." and """...""" with \(x) holes; #"..."# raw strings (rebuilt in swift.rs).
(line_string_literal) @string
(multi_line_string_literal) @string
(raw_string_literal) @string
(line_string_literal (line_str_text) @string.content)
(line_string_literal (str_escaped_char) @string.escape)
(line_string_literal (interpolated_expression) @string.interpolation)
(multi_line_string_literal (multi_line_str_text) @string.content)
(multi_line_string_literal (str_escaped_char) @string.escape)
(multi_line_string_literal (interpolated_expression) @string.interpolation)
(raw_string_literal (raw_str_part) @string.content)
(raw_string_literal (raw_str_end_part) @string.content)
(raw_string_literal (raw_str_interpolation) @string.interpolation)

(additive_expression op: "+") @concat

; String(format: "%@/oauth/ro", domain), NSString(format: ...)
((call_expression
   . (simple_identifier) @_type
   . (call_suffix
       (value_arguments
         . (value_argument
             name: (value_argument_label) @_label
             value: (_) @format.template)) @format.args)) @format
 (#any-of? @_type "String" "NSString")
 (#eq? @_label "format"))

; Dictionaries: ["k": v]. Entries are keyed on their key node; swift.rs widens each
; entry's span to cover its value.
(dictionary_literal) @object
(dictionary_literal
  key: (_) @object.key @object.entry
  .
  value: (_) @object.value)
(array_literal) @array

; Calls: f(a, label: b), a.b.c(...), X(...) constructors; trailing closures are not
; arguments. Subscripts (x["k"]) share the node kind and are left out, and so is
; String(...), a conversion or a format.
((call_expression
   . (_) @call.callee
   . (call_suffix (value_arguments "(") @call.args)) @call
 (#not-any-of? @call.callee "String" "NSString"))

; Labeled arguments; an unlabeled one is its value. `try x` is x; `try? a().b()` parses
; as a call on `try? a()`, and stays that call.
((value_argument
   name: (value_argument_label) @arg.label
   value: (_) @arg.value) @arg
 (#not-match? @arg.value "^try[?!]?\\s"))
(value_argument
  name: (value_argument_label) @arg.label
  value: (try_expression expr: (_) @arg.value)) @arg
((value_argument
   name: (value_argument_label) @arg.label
   value: (call_expression) @arg.value) @arg
 (#match? @arg.value "^try[?!]?\\s"))
(value_argument !name value: (_)) @unwrap

; Bindings: let/var (locals and properties), assignments.
((property_declaration
   name: (pattern bound_identifier: (simple_identifier) @binding.name)
   value: (_) @binding.value) @binding
 (#not-match? @binding.value "^try[?!]?\\s"))
(property_declaration
  name: (pattern bound_identifier: (simple_identifier) @binding.name)
  value: (try_expression expr: (_) @binding.value)) @binding
((property_declaration
   name: (pattern bound_identifier: (simple_identifier) @binding.name)
   value: (call_expression) @binding.value) @binding
 (#match? @binding.value "^try[?!]?\\s"))
((assignment
   target: (directly_assignable_expression) @binding.name
   operator: "="
   result: (_) @binding.value) @binding
 (#not-match? @binding.value "^try[?!]?\\s"))
(assignment
  target: (directly_assignable_expression) @binding.name
  operator: "="
  result: (try_expression expr: (_) @binding.value)) @binding
((assignment
   target: (directly_assignable_expression) @binding.name
   operator: "="
   result: (call_expression) @binding.value) @binding
 (#match? @binding.value "^try[?!]?\\s"))

; Wrappers whose value is their first named child: (x), x!, x as T, await x.
(tuple_expression "(" . value: (_) . ")") @unwrap
(postfix_expression operation: (bang)) @unwrap
(as_expression) @unwrap
(await_expression) @unwrap

(comment) @comment
(multiline_comment) @comment

(function_body) @scope
(lambda_literal) @scope
(computed_property) @scope
(class_body) @scope
(enum_class_body) @scope
