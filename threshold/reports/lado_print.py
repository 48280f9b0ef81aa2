"""The LADO report's PDF, as ``manage.py report lado-annual --format pdf`` makes it.

The same document the report page's PDF download is: the print view is laid out in
``threshold.reports.lado_pages.printing``, and this is the name the command calls it by.
"""

from __future__ import annotations

from threshold.reports.lado_pages.printing import lado_report_pdf, lado_report_print_html

__all__ = ["lado_report_pdf", "lado_report_print_html"]
