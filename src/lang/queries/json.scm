; Facts of json for the model; the capture names are documented in javascript.scm.
