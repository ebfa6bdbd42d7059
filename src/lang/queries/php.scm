; Facts of PHP for the model; the capture names are documented in javascript.scm.
; The extra pass in php.rs completes what a query cannot say: callee paths (`->` and
; `::` written `.`), interpolated expressions as whole holes, heredoc bodies moved to
; where the heredoc is used, list arrays, class constants and properties, define(),
; and the value of an `Authorization: Bearer ...` header line.

; Strings: '...', "...", heredoc and nowdoc bodies.
(string) @string
(encapsed_string) @string
(heredoc_body) @string
(nowdoc_body) @string
(string_content) @string.content
(nowdoc_string) @string.content
(escape_sequence) @string.escape
; "$var", "{$obj->prop}", "${name}", "$arr[0]": the extra pass makes the whole
; expression the hole's value. Calls ("{$obj->get('x')}") are calls; the extra pass
; puts them in their string as holes.
(encapsed_string
  [(variable_name) (dynamic_variable_name) (member_access_expression)
   (nullsafe_member_access_expression) (subscript_expression)
   (scoped_property_access_expression) (class_constant_access_expression)] @string.interpolation)
(heredoc_body
  [(variable_name) (dynamic_variable_name) (member_access_expression)
   (nullsafe_member_access_expression) (subscript_expression)
   (scoped_property_access_expression) (class_constant_access_expression)] @string.interpolation)

; Concatenation with `.`.
(binary_expression operator: ".") @concat

; sprintf('https://%s/oauth/ro', $domain), vsprintf(...)
(function_call_expression
  function: (name) @_format
  arguments: (arguments . (argument) @format.template) @format.args
  (#any-of? @_format "sprintf" "vsprintf")) @format

; Arrays: ['k' => v], array('k' => v); the extra pass turns arrays without keys into
; arrays of values.
(array_creation_expression) @object
(array_element_initializer (_) @object.key "=>" (_) @object.value) @object.entry

; Calls: f(...), $obj->m(...), $obj?->m(...), Cls::m(...), new Cls(...). The extra pass
; rebuilds the callee path from the receiver chain.
(function_call_expression
  function: (_) @call.callee
  arguments: (arguments) @call.args
  (#not-any-of? @call.callee "sprintf" "vsprintf")) @call
(member_call_expression name: (_) @call.callee arguments: (arguments) @call.args) @call
(nullsafe_member_call_expression name: (_) @call.callee arguments: (arguments) @call.args) @call
(scoped_call_expression name: (_) @call.callee arguments: (arguments) @call.args) @call
(object_creation_expression [(name) (qualified_name) (variable_name)] @call.callee (arguments) @call.args) @call.new

; Arguments, and PHP 8 named arguments (`json: $payload`).
(argument) @unwrap
(argument name: (name) @arg.label . (_) @arg.value) @arg

; Bindings: $x = ..., $this->x = ..., $x .= ..., const X = ..., class constants and
; properties (the extra pass names them as they are used: self.X, $this.x).
(assignment_expression left: (_) @binding.name right: (_) @binding.value) @binding
(augmented_assignment_expression left: (_) @binding.name right: (_) @binding.value) @binding
(const_element . (name) @binding.name . (_) @binding.value) @binding
(property_element name: (variable_name) @binding.name default_value: (_) @binding.value) @binding

(parenthesized_expression) @unwrap

(comment) @comment

(program) @scope
(function_definition) @scope
(method_declaration) @scope
(anonymous_function) @scope
(arrow_function) @scope
(class_declaration) @scope
(trait_declaration) @scope
(interface_declaration) @scope
(enum_declaration) @scope

; Only constant expressions may be written in constants, property defaults, parameter
; defaults and static variables.
(const_declaration) @constant
(property_element) @constant
(simple_parameter default_value: (_) @constant)
(static_variable_declaration) @constant
