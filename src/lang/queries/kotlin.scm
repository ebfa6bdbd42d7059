; Facts of kotlin for the model; the capture names are documented in javascript.scm.
; The extra pass in kotlin.rs adds what a query cannot say: `$name` templates and `\uXXXX`
; escapes (which the grammar leaves as text in "..." strings), trailing lambdas as
; arguments, and the objects built by calls (`mapOf(k to v)`, `FormBody.Builder().add(k, v)`,
; `parameters { append(k, v) }`, `params["k"] = v`).

; Strings: "...", raw """...""", with ${...} and (in raw strings) $name holes.
(string_literal) @string
(multiline_string_literal) @string
(string_content) @string.content
(escape_sequence) @string.escape
(interpolation) @string.interpolation

(binary_expression operator: "+") @concat

; String.format("%s/oauth/ro", domain), "%s/oauth/ro".format(domain).
((call_expression
   . (navigation_expression . (identifier) @_class . (identifier) @_method .)
   (value_arguments . (value_argument . (string_literal) .) @format.template) @format.args) @format
 (#eq? @_class "String")
 (#eq? @_method "format"))
((call_expression
   . (navigation_expression . [(string_literal) (multiline_string_literal)] @format.template . (identifier) @_method .)
   (value_arguments) @format.args) @format
 (#eq? @_method "format"))

; Calls. A call of a capitalized name is a construction (Kotlin has no `new`).
((call_expression . (identifier) @_name @call.callee (value_arguments) @call.args) @call.new
 (#match? @_name "^[A-Z]"))
((call_expression . (navigation_expression (identifier) @_name .) @call.callee (value_arguments) @call.args) @call.new
 (#match? @_name "^[A-Z]"))
((call_expression . (identifier) @_name @call.callee (value_arguments) @call.args) @call
 (#match? @_name "^[^A-Z]"))
((call_expression
   . (navigation_expression (identifier) @_name .) @call.callee
   (value_arguments) @call.args) @call
 (#match? @_name "^[^A-Z]")
 (#not-eq? @_name "format"))
((call_expression
   . (navigation_expression . (_) @_receiver . (identifier) @_name .) @call.callee
   (value_arguments) @call.args) @call
 (#eq? @_name "format")
 (#not-eq? @_receiver "String")
 (#not-match? @_receiver "^\""))
((call_expression
   . (navigation_expression . (identifier) @_receiver . (identifier) @_name .) @call.callee
   (value_arguments . (value_argument . (_) @_first)) @call.args) @call
 (#eq? @_receiver "String")
 (#eq? @_name "format")
 (#not-match? @_first "^\""))

; Named arguments `f(realm = "x")`; `"k" to v` pairs in an argument list are entries.
(value_argument (identifier) @arg.label "=" (_) @arg.value) @arg
((value_argument
   (infix_expression
     . [(string_literal) (multiline_string_literal)] @object.key
     . (identifier) @_to
     . (_) @object.value .)) @object.entry
 (#eq? @_to "to"))
(value_argument) @unwrap
(parenthesized_expression) @unwrap
(as_expression) @unwrap

(collection_literal) @array

; Bindings: val/var declarations (top level, members, locals) and assignments.
(property_declaration (variable_declaration . (identifier) @binding.name) "=" . (_) @binding.value) @binding
(assignment
  left: [(identifier) (navigation_expression)] @binding.name
  operator: "="
  right: (_) @binding.value) @binding

(line_comment) @comment
(block_comment) @comment

(function_body) @scope
(class_body) @scope
(enum_class_body) @scope
(lambda_literal) @scope
(anonymous_initializer) @scope
(secondary_constructor (block) @scope)
