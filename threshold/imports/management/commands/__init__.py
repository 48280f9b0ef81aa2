"""``lado_import``: a LADO service's spreadsheet in from the command line."""
