; Facts of json for the model; the capture names are documented in javascript.scm.
;
; The extra pass in json.rs decodes `\uXXXX` (which tree-sitter-json splits into an
; escape and content), turns Postman `{{variable}}` placeholders into holes, binds
; Postman variables, and models each request object (Postman, HAR, Insomnia) as a call.

(object) @object
(pair key: (string) @object.key value: (_) @object.value) @object.entry
(array) @array

(string) @string
(string_content) @string.content
(escape_sequence) @string.escape

(comment) @comment
