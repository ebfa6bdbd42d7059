; Facts of shell for the model; the capture names are documented in javascript.scm.
;
; Only comments and function bodies come from this query. Shell words are lowered by the
; extra pass in shell.rs: tree-sitter-bash leaves the text of a heredoc between its
; expansions without a node and keeps backslash escapes inside `string_content`, so the
; literal pieces of a word cannot be captured, and a curl command's meaning lies in the
; order of its flags, which a query cannot read.

(comment) @comment

(function_definition body: (_) @scope)
