"""Reports and exports: figures counted in the database over what the reader may see, charts, spreadsheets, PDFs.

The layer above the record apps (docs/architecture.md): it reads every record app through ``threshold.access``
and writes nothing but its own export jobs and settings.
"""
