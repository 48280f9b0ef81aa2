"""Forms of the LADO pages, one module per part of the work."""
