"""Rows for the LADO service's report (reports/lado/): the page, print view, PDF, XLSX and CSV, and the settings.

The report of a local authority is for its LADO manager (Mo), its auditor (Ada) and its LADOs (Lara; Sam reads
Southvale's). Its small-number threshold is set by the LADO manager alone. Everyone else, partners and
administrators included, gets the 404 of a page that is not there.
"""

from __future__ import annotations

TABLE = """
url                   lara  mo    sam   hana  dev   tom   priya henry nina  pat   cara  ada   olu   sid   gina
lado_report           200   200   200   404   404   404   404   404   404   404   404   200   404   404   404
lado_report_print     200   200   200   404   404   404   404   404   404   404   404   200   404   404   404
lado_report_pdf       200   200   200   404   404   404   404   404   404   404   404   200   404   404   404
lado_report_xlsx      200   200   200   404   404   404   404   404   404   404   404   200   404   404   404
lado_report_csv       200   200   200   404   404   404   404   404   404   404   404   200   404   404   404
lado_report_settings  404   200   404   404   404   404   404   404   404   404   404   404   404   404   404
"""
