; Facts of JavaScript (and, with typescript.scm appended, TypeScript) for the model.
; Every language maps its own node kinds onto these shared capture names:
;   @string                    a string literal or template; its pieces are
;   @string.content            literal text, as written
;   @string.escape             an escape sequence, decoded by the adapter
;   @string.interpolation      a hole; its value is its first named child
;   @concat                    a `+` whose operands build one string
;   @object / @object.entry (@object.key, @object.value) / @object.shorthand
;   @array
;   @call (@call.callee, @call.args), @call.new (@call.callee, @call.args)
;   @binding (@binding.name, @binding.value)
;   @unwrap                    a wrapper whose value is its first named child
;   @comment, @scope

(string) @string
(template_string) @string
(string_fragment) @string.content
(escape_sequence) @string.escape
(template_substitution) @string.interpolation

(binary_expression operator: "+") @concat

(object) @object
(pair key: (_) @object.key value: (_) @object.value) @object.entry
(shorthand_property_identifier) @object.shorthand
(array) @array

(call_expression function: (_) @call.callee arguments: (arguments) @call.args) @call
(new_expression constructor: (_) @call.callee arguments: (arguments) @call.args) @call.new

(variable_declarator name: (identifier) @binding.name value: (_) @binding.value) @binding
(assignment_expression left: [(identifier) (member_expression)] @binding.name right: (_) @binding.value) @binding

(parenthesized_expression) @unwrap
(await_expression) @unwrap

(comment) @comment

(statement_block) @scope
(class_body) @scope
