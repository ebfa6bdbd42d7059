; Facts of objc for the model; the capture names are documented in javascript.scm.
; Message sends ([receiver selector:arg part:arg]) have no argument-list node: objc.rs
; lowers them in its extra pass, together with `#define NAME @"..."` constants and the
; body and headers set on an NSURLRequest after it is built.

; Strings: @"..." and C "..." literals; adjacent literals are one string.
(string_literal) @string
(string_literal (string_content) @string.content)
(string_literal (escape_sequence) @string.escape)
(concatenated_string) @concat

; [NSString stringWithFormat:@"Bearer %@", idToken], [[NSString alloc] initWithFormat:...],
; [NSMutableString stringWithFormat:...]: the arguments follow the template.
((message_expression
   receiver: (identifier) @_class
   method: (identifier) @_method
   .
   (_) @format.template) @format
 (#any-of? @_class "NSString" "NSMutableString")
 (#any-of? @_method "stringWithFormat" "localizedStringWithFormat"))
((message_expression
   receiver: (message_expression)
   method: (identifier) @_method
   .
   (_) @format.template) @format
 (#eq? @_method "initWithFormat"))
; [base stringByAppendingFormat:@"%@/oauth/ro", domain]: objc.rs puts `base` in front.
((message_expression
   method: (identifier) @_method
   .
   (_) @format.template) @format
 (#eq? @_method "stringByAppendingFormat"))

; Literals: @{ @"k": v }, @[ ... ], @(x).
(dictionary_literal) @object
(dictionary_pair . (_) @object.key . (_) @object.value) @object.entry
(array_literal) @array
(at_expression) @unwrap
(parenthesized_expression) @unwrap

; C function calls (NSLog(...), CFSTR(...)).
(call_expression function: (_) @call.callee arguments: (argument_list) @call.args) @call

; Bindings: declarations with an initializer, assignments.
(init_declarator declarator: (identifier) @binding.name value: (_) @binding.value) @binding
(init_declarator
  declarator: (pointer_declarator declarator: (identifier) @binding.name)
  value: (_) @binding.value) @binding
(assignment_expression
  left: [(identifier) (field_expression)] @binding.name
  operator: "="
  right: (_) @binding.value) @binding

(comment) @comment

(method_definition (compound_statement) @scope)
(function_definition body: (compound_statement) @scope)
(block_literal (compound_statement) @scope)
