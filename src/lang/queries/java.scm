; Facts of java for the model; the capture names are documented in javascript.scm.
; The extra pass in java.rs adds what a query cannot say: callee paths of method calls,
; the indentation of text blocks, and the objects built by calls (`Map.of(k, v, ...)`,
; `new FormBody.Builder().add(k, v)...`, `params.put(k, v);` statements).

; Strings: "..." and text blocks """...""" (the extra pass strips their indentation).
(string_literal) @string
(string_fragment) @string.content
(multiline_string_fragment) @string.content
(escape_sequence) @string.escape

(binary_expression operator: "+") @concat

; String.format("%s/oauth/ro", domain), String.format(Locale.ROOT, "...", x),
; "%s/oauth/ro".formatted(domain). The other `format` calls are calls.
((method_invocation
   object: (identifier) @_class
   name: (identifier) @_method
   arguments: (argument_list . (string_literal) @format.template)) @format
 (#eq? @_class "String")
 (#eq? @_method "format"))
((method_invocation
   object: (identifier) @_class
   name: (identifier) @_method
   arguments: (argument_list . (_) @_locale . (string_literal) @format.template)) @format
 (#eq? @_class "String")
 (#eq? @_method "format")
 (#match? @_locale "Locale"))
((method_invocation
   object: (string_literal) @format.template
   name: (identifier) @_method
   arguments: (argument_list) @format.args) @format
 (#eq? @_method "formatted"))

; Calls. A method call is its own callee: the extra pass rewrites the callee path from
; the receiver and the method name, and the receiver call is the call's first child.
((method_invocation
   name: (identifier) @_method
   arguments: (argument_list) @call.args) @call @call.callee
 (#not-any-of? @_method "format" "formatted"))
((method_invocation
   object: (_) @_object
   name: (identifier) @_method
   arguments: (argument_list) @call.args) @call @call.callee
 (#eq? @_method "format")
 (#not-eq? @_object "String"))
((method_invocation
   !object
   name: (identifier) @_method
   arguments: (argument_list) @call.args) @call @call.callee
 (#eq? @_method "format"))
((method_invocation
   object: (identifier) @_object
   name: (identifier) @_method
   arguments: (argument_list . (_) @_first) @call.args) @call @call.callee
 (#eq? @_object "String")
 (#eq? @_method "format")
 (#not-match? @_first "^\"|Locale"))
((method_invocation
   object: (_) @_object
   name: (identifier) @_method
   arguments: (argument_list) @call.args) @call @call.callee
 (#eq? @_method "formatted")
 (#not-match? @_object "^\""))

(object_creation_expression type: (_) @call.callee arguments: (argument_list) @call.args) @call.new

(array_initializer) @array

; Bindings: locals, fields and constants, assignments.
(variable_declarator name: (identifier) @binding.name value: (_) @binding.value) @binding
(resource name: (identifier) @binding.name value: (_) @binding.value) @binding
(assignment_expression
  left: [(identifier) (field_access)] @binding.name
  operator: "="
  right: (_) @binding.value) @binding

(parenthesized_expression) @unwrap

(line_comment) @comment
(block_comment) @comment

(method_declaration body: (block) @scope)
(constructor_declaration body: (constructor_body) @scope)
(lambda_expression body: (block) @scope)
(static_initializer (block) @scope)
(class_body) @scope
(interface_body) @scope
(enum_body) @scope
