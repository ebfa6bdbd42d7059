; Facts of HCL (Terraform) for the model; the capture names are documented in javascript.scm.
;
; Only comments come from this query: tree-sitter-hcl names the delimiters of tuples,
; objects and interpolations as nodes and keeps escapes inside template literals, so the
; pass in hcl.rs lowers bodies, blocks, strings, heredocs, lists, objects and calls.

(comment) @comment
