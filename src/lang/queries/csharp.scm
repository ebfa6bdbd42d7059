; Facts of C# for the model; the capture names are documented in javascript.scm.
; csharp.rs's extra pass adds what a query cannot say: `""` in verbatim strings and
; `{{ }}` in interpolated ones, the values of interpolations, anonymous objects,
; KeyValuePair lists as objects, and `new AuthenticationHeaderValue("Bearer", x)`.

; Strings: "regular" (C escapes), @"verbatim", $"interpolated {holes}", """raw""".
(string_literal) @string
(string_literal_content) @string.content
(escape_sequence) @string.escape
(verbatim_string_literal) @string
(raw_string_literal) @string
(raw_string_content) @string.content
(interpolated_string_expression) @string
(string_content) @string.content
(interpolation) @string.interpolation

(binary_expression operator: "+") @concat

; string.Format("{0}/oauth/ro", domain), also with a format provider first.
((invocation_expression
   function: (member_access_expression expression: (_) @_type name: (identifier) @_fn)
   arguments: (argument_list
     . (argument !name [(string_literal) (verbatim_string_literal) (raw_string_literal) (interpolated_string_expression) (identifier)]) @format.template)) @format
  (#match? @_type "^([Ss]tring|System\\.String)$")
  (#eq? @_fn "Format"))
((invocation_expression
   function: (member_access_expression expression: (_) @_type name: (identifier) @_fn)
   arguments: (argument_list
     . (argument (member_access_expression) @_provider)
     . (argument !name [(string_literal) (verbatim_string_literal) (raw_string_literal)]) @format.template)) @format
  (#match? @_type "^([Ss]tring|System\\.String)$")
  (#eq? @_fn "Format")
  (#match? @_provider "Culture"))

; Initializers: `{ { "k", v } }` and `{ ["k"] = v }` (dictionaries), `{ Name = v }`
; (object initializers, keyed by property name). With `new T { ... }` the entries are
; the keyword arguments of the constructor call; with `new T(...) { ... }` the extra
; pass makes the initializer object the call's keywords.
(initializer_expression
  (initializer_expression . (_) @object.key . (_) @object.value .) @object.entry)
(initializer_expression
  (assignment_expression
    left: (element_binding_expression . (argument . [(string_literal) (verbatim_string_literal)] @object.key .) .)
    right: (_) @object.value) @object.entry)
(initializer_expression
  (assignment_expression left: (identifier) @object.key right: (_) @object.value) @object.entry)
(object_creation_expression arguments: (argument_list) initializer: (initializer_expression) @object)
(implicit_object_creation_expression (argument_list) (initializer_expression) @object)
; new { grant_type = "password", ... }: the extra pass fills in the entries.
(anonymous_object_creation_expression) @object
; Headers = { Authorization = ... } inside an object initializer.
(initializer_expression (assignment_expression right: (initializer_expression) @object))

; Calls and constructors; generic types are named without their type arguments.
((invocation_expression function: (_) @call.callee arguments: (argument_list) @call.args) @call
  (#not-match? @call.callee "^([Ss]tring|System\\.String)\\.Format$"))
(object_creation_expression
  type: [(identifier) (qualified_name) (predefined_type) (alias_qualified_name)] @call.callee
  arguments: (argument_list) @call.args) @call.new
(object_creation_expression
  type: (generic_name . (identifier) @call.callee)
  arguments: (argument_list) @call.args) @call.new
(object_creation_expression
  type: [(identifier) (qualified_name) (predefined_type) (alias_qualified_name)] @call.callee
  !arguments
  initializer: (initializer_expression) @call.args) @call.new
(object_creation_expression
  type: (generic_name . (identifier) @call.callee)
  !arguments
  initializer: (initializer_expression) @call.args) @call.new
(implicit_object_creation_expression "new" @call.callee (argument_list) @call.args) @call.new
(array_creation_expression type: (_) @call.callee (initializer_expression) @call.args) @call.new
(implicit_array_creation_expression "new" @call.callee (initializer_expression) @call.args) @call.new

; Named arguments: f(realm: "x").
(argument name: (identifier) @arg.label (_) @arg.value) @arg
(argument !name) @unwrap

; Bindings: declarations, assignments, properties with a value.
(variable_declarator name: (identifier) @binding.name (_) @binding.value) @binding
(expression_statement
  (assignment_expression
    left: [(identifier) (member_access_expression)] @binding.name
    operator: "="
    right: (_) @binding.value) @binding)
(property_declaration name: (identifier) @binding.name value: (_) @binding.value) @binding

(parenthesized_expression) @unwrap
(await_expression) @unwrap
(arrow_expression_clause) @unwrap

(comment) @comment

(method_declaration body: (_) @scope)
(constructor_declaration body: (_) @scope)
(local_function_statement body: (_) @scope)
(accessor_declaration body: (_) @scope)
(lambda_expression body: (block) @scope)
(anonymous_method_expression (block) @scope)
(class_declaration body: (declaration_list) @scope)
(struct_declaration body: (declaration_list) @scope)
(record_declaration body: (declaration_list) @scope)

; Only compile-time constants may be written in `const` declarations, attribute arguments
; and parameter defaults.
(field_declaration (modifier "const")) @constant
(local_declaration_statement (modifier "const")) @constant
(attribute_argument_list) @constant
(parameter [(string_literal) (verbatim_string_literal) (raw_string_literal)] @constant)
