; Facts of Python for the model; the capture names are documented in javascript.scm.
; The escapes inside a `string_content` are its children, not the string's, so the
; content is taken as written here and decoded by the extra pass in python.rs (which
; also knows raw strings, f-string `{{`, `.format` `{{` and `%%`).

(string) @string
(string_content) @string.content
(interpolation) @string.interpolation

; Implicit concatenation of adjacent literals, and `+`.
(concatenated_string) @concat
(binary_operator operator: "+") @concat

; "%s/oauth/ro" % domain, "%s/%s" % (a, b), "%(d)s/oauth/ro" % {"d": d}
(binary_operator
  left: [(string) (concatenated_string) (parenthesized_expression [(string) (concatenated_string)])] @format.template
  operator: "%"
  right: (tuple) @format.args) @format
(binary_operator
  left: [(string) (concatenated_string) (parenthesized_expression [(string) (concatenated_string)])] @format.template
  operator: "%"
  right: [
    (identifier) (attribute) (subscript) (call) (string) (concatenated_string)
    (dictionary) (parenthesized_expression) (integer) (float)
  ] @format.arg) @format

(dictionary) @object
(pair key: (string) @object.key value: (_) @object.value) @object.entry
[(list) (tuple) (set)] @array

(call function: (_) @call.callee arguments: (argument_list) @call.args) @call
(keyword_argument name: (identifier) @arg.label value: (_) @arg.value) @arg

; "{}/oauth/ro".format(domain), "{d}/oauth/ro".format(d=domain): after the generic call
; pattern, so that the node's role is the format's.
(call
  function: (attribute
    object: [(string) (concatenated_string) (parenthesized_expression [(string) (concatenated_string)])] @format.template
    attribute: (identifier) @_format (#eq? @_format "format"))
  arguments: (argument_list) @format.args) @format

; `**options` and `*args` stand for their value.
(dictionary_splat) @unwrap
(list_splat) @unwrap
(parenthesized_expression) @unwrap
(await) @unwrap

; `json.dumps(body).encode()`, `urlencode(form).encode("utf-8")` stand for their
; receiver (the call and its callee unwrap in turn). A node keeps the role of the last
; match that captures it, and matches of one node come in pattern order when they end
; on the same child: so these follow the generic call pattern and end on the arguments.
(call
  function: (attribute
    attribute: (identifier) @_encode (#eq? @_encode "encode"))
  arguments: (argument_list)) @unwrap
(call
  function: (attribute
    attribute: (identifier) @_encode (#eq? @_encode "encode")) @unwrap
  arguments: (argument_list))

(assignment left: [(identifier) (attribute)] @binding.name right: (_) @binding.value) @binding
(named_expression name: (identifier) @binding.name value: (_) @binding.value) @binding
; `with requests.Session() as session:`, `async with httpx.AsyncClient(...) as client:`
(with_item
  value: (as_pattern
    (call) @binding.value
    alias: (as_pattern_target (identifier) @binding.name)) @binding)

(comment) @comment

(function_definition body: (block) @scope)
(class_definition body: (block) @scope)
