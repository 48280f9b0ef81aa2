"""The LADO service's annual and quarterly report (issue 14): figures counted in the database, and their tables.

``lado_report`` and ``LadoReport`` are in ``report.py``; each group of figures has its module (``contacts``,
``cases``, ``conclusions``, ``agencies``, ``workload``), the date arithmetic the database does is ``dates``, the
words ``labels``, the tables ``figure_tables`` and small-number suppression ``suppression``. Every key is
described in ``docs/reports.md``.
"""

from threshold.reports.lado_report.report import LadoReport, ReportFormat, lado_report, lado_report_for_system

__all__ = ["LadoReport", "ReportFormat", "lado_report", "lado_report_for_system"]
