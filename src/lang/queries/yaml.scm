; Facts of yaml for the model; the capture names are documented in javascript.scm.
;
; Only comments come from this query. Scalars are lowered by the extra pass in yaml.rs:
; tree-sitter-yaml gives quoted scalars their escape sequences as children but no node
; for the text between them, and plain, quoted and block scalars fold their lines, so
; their text cannot be assembled from captured pieces. The same pass lowers mappings,
; sequences, anchors and aliases, requests, and the shell scripts of CI steps.

(comment) @comment
