; Facts of python for the model; the capture names are documented in javascript.scm.
