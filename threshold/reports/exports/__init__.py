"""Every list out to a spreadsheet: XLSX and CSV with the page's filters, read through ``threshold.access``.

A list page's "Download" links name the list and carry its filters (codes, never a name). The export reads the
list with the page's own selector, as the person reading it (subject exclusion included), writes one
``records.exported`` event naming every record in it, and streams the rows (``threshold.reports.spreadsheets``).
A list longer than ``EXPORT_INLINE_LIMIT`` is written in the background (an ``ExportJob``) for its requester
alone, who follows its progress and downloads it until it expires.
"""
