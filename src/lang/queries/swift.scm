; Facts of swift for the model; the capture names are documented in javascript.scm.
