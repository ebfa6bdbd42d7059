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
;   @constant                  a place where only a compile-time constant may be written
;                              (Go `const`, C# `const` and attributes, PHP class constants)
; and, for the rules that rewrite code rather than values (RA001):
;   @function (@function.name, @function.params, @function.body)
;   @param, @param.name        a parameter (a child of @function.params), the name it binds
;                              (JavaScript's untyped parameters: see javascript.rs)
;   @access (@access.object, @access.property | @access.index)   one step of a member chain
;   @name                      a name used as a value; @declaration: a name being declared
;   @assign (@assign.target, @assign.value), @delete (@delete.target)
;   @compare / @compare.not (@compare.left, @compare.right)      (in)equality tests
;   @statement.expression, @statement.return, @statement.throw (their value is their first
;   named child),
;   @statement.declaration, @statement.branch (@branch.condition, @branch.then,
;   @branch.else: the else clause, whose statement is its first named child), @statement

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
; `context.idToken['https://example.com/roles'] = ...`: the index is a string of its own.
(assignment_expression left: (subscript_expression) @binding.name right: (_) @binding.value) @binding

(parenthesized_expression) @unwrap
(await_expression) @unwrap

(comment) @comment

(statement_block) @scope
(class_body) @scope

; Code facts (RA001).
(function_declaration name: (identifier) @function.name parameters: (formal_parameters) @function.params body: (_) @function.body) @function
(generator_function_declaration name: (identifier) @function.name parameters: (formal_parameters) @function.params body: (_) @function.body) @function
(function_expression name: (identifier)? @function.name parameters: (formal_parameters) @function.params body: (_) @function.body) @function
(generator_function name: (identifier)? @function.name parameters: (formal_parameters) @function.params body: (_) @function.body) @function
(arrow_function parameters: (formal_parameters) @function.params body: (_) @function.body) @function
(arrow_function parameter: (identifier) @function.params @param.name body: (_) @function.body) @function
(method_definition name: (_) @function.name parameters: (formal_parameters) @function.params body: (_) @function.body) @function
(formal_parameters (_) @param)

(member_expression object: (_) @access.object property: (_) @access.property) @access
(subscript_expression object: (_) @access.object index: (_) @access.index) @access

(identifier) @name
(shorthand_property_identifier) @name
(variable_declarator name: (identifier) @declaration)
(function_declaration name: (identifier) @declaration)
(generator_function_declaration name: (identifier) @declaration)
(function_expression name: (identifier) @declaration)
(class_declaration name: (_) @declaration)
(catch_clause parameter: (identifier) @declaration)
(import_clause (identifier) @declaration)
(import_specifier name: (identifier) @declaration)
(import_specifier alias: (identifier) @declaration)
(namespace_import (identifier) @declaration)
(shorthand_property_identifier_pattern) @declaration
(pair_pattern value: (identifier) @declaration)
(array_pattern (identifier) @declaration)
(rest_pattern (identifier) @declaration)
(assignment_pattern left: (identifier) @declaration)
(for_in_statement left: (identifier) @declaration)

(assignment_expression left: (_) @assign.target right: (_) @assign.value) @assign
(augmented_assignment_expression left: (_) @assign.target right: (_) @assign.value) @assign
(unary_expression operator: "delete" argument: (_) @delete.target) @delete
(binary_expression left: (_) @compare.left operator: ["===" "=="] right: (_) @compare.right) @compare
(binary_expression left: (_) @compare.left operator: ["!==" "!="] right: (_) @compare.right) @compare.not

(expression_statement) @statement.expression
(return_statement) @statement.return
(throw_statement) @statement.throw
[(lexical_declaration) (variable_declaration)] @statement.declaration
(if_statement condition: (parenthesized_expression (_) @branch.condition) consequence: (_) @branch.then alternative: (else_clause)? @branch.else) @statement.branch
[(for_statement) (for_in_statement) (while_statement) (do_statement) (try_statement) (switch_statement) (function_declaration) (generator_function_declaration) (class_declaration) (break_statement) (continue_statement) (empty_statement) (labeled_statement) (import_statement) (export_statement) (debugger_statement) (with_statement)] @statement
(statement_block (statement_block) @statement)
