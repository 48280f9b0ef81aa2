"""The LADO report's pages (issue 14): the report for a period, its print view, PDF, XLSX and CSV, and the settings.

The figures are counted by ``threshold.reports.lado_report``; these modules choose the period (``forms``), shape
what is shown and downloaded (``presenters``) and serve it (``views``). The authority's small-number threshold is
``threshold.reports.report_settings``.
"""
