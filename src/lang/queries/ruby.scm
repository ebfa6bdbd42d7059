; Facts of Ruby for the model; the capture names are documented in javascript.scm.
; The extra pass in ruby.rs completes what a query cannot say: callee paths
; (`Net::HTTP::Post.new` is `Net.HTTP.Post`), heredoc bodies moved to where the heredoc
; starts, the two escapes of single-quoted strings, `:key =>` symbol keys without
; their colon, and `@ivar` names written `self.ivar`.

; Strings: "...", '...', %q() %Q() %(), :"symbol" keys, heredoc bodies.
(string) @string
(delimited_symbol) @string
(heredoc_body) @string
(string_content) @string.content
(heredoc_content) @string.content
(escape_sequence) @string.escape
(interpolation) @string.interpolation
; `:grant_type => 'password'`: the extra pass drops the colon from the key.
(pair key: (simple_symbol) @string)

; Concatenation: `+`, and adjacent literals ("a" "b").
(binary operator: "+") @concat
(chained_string) @concat

; format("%s/oauth/ro", domain), sprintf(...), "%s/oauth/ro" % domain, "%s/%s" % [a, b]
(call
  !receiver
  method: (identifier) @_format
  arguments: (argument_list . (_) @format.template)
  (#any-of? @_format "format" "sprintf")) @format
(call
  !receiver
  method: (identifier) @_format
  arguments: (argument_list (pair key: (hash_key_symbol) @arg.label value: (_) @arg.value) @arg)
  (#any-of? @_format "format" "sprintf"))
(binary left: [(string) (chained_string)] @format.template operator: "%" right: (array) @format.args) @format
(binary left: [(string) (chained_string)] @format.template operator: "%" right: (_) @format.arg) @format

; Hashes: { "k" => v }, { k: v }, { :k => v }; pairs written without braces in an
; argument list are keyword arguments.
(hash) @object
(pair key: (_) @object.key value: (_) @object.value) @object.entry
(array) @array

; Calls: the extra pass rebuilds the callee path from the receiver chain.
(call
  receiver: (_)
  method: (_) @call.callee
  arguments: (argument_list) @call.args
  (#not-eq? @call.callee "new")) @call
(call
  !receiver
  method: (_) @call.callee
  arguments: (argument_list) @call.args
  (#not-any-of? @call.callee "format" "sprintf")) @call
; Auth0Client.new(...), Net::HTTP::Post.new(url): constructs the receiver.
(call
  receiver: (_) @call.callee
  method: (identifier) @_new
  arguments: (argument_list) @call.args
  (#eq? @_new "new")) @call.new

; Bindings: x = ..., X = ..., @x = ..., req.body = ..., request["authorization"] = ...,
; @client ||= ..., url += ...
(assignment left: (_) @binding.name right: (_) @binding.value) @binding
(operator_assignment left: (_) @binding.name right: (_) @binding.value) @binding

; Wrappers whose value is their first named child: (...), payload.to_json, body.strip.
(parenthesized_statements) @unwrap
(call
  receiver: (_)
  method: (identifier) @_conversion
  !arguments
  !block
  (#any-of? @_conversion "to_json" "to_s" "to_str" "to_h" "strip" "chomp" "squish" "freeze" "dup" "itself")) @unwrap

(comment) @comment

(program) @scope
(method) @scope
(singleton_method) @scope
(lambda) @scope
(class) @scope
(singleton_class) @scope
(module) @scope
