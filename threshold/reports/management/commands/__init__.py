"""The reports commands: ``report`` produces the LADO report as JSON, XLSX or PDF."""
