"""Rows for the employer's dashboards (reports/trust/, reports/school/): the page, print view, PDF, XLSX and CSV.

The trust's dashboard is for a director of school or a trust DSL (Priya); a setting's own view for its
headteacher or manager and its DSL (Hana and Dev at Oakfield, Nina at Little Acorns). Everyone else, HR business
partners included (they read a low-level concern only once it is shared with them), gets the 404 of a page that
is not there.
"""

from __future__ import annotations

TABLE = """
url                                  lara  mo    sam   hana  dev   tom   priya henry nina  pat   cara  ada   olu   sid   gina
employer_trust_dashboard             404   404   404   404   404   404   200   404   404   404   404   404   404   404   404
employer_trust_print                 404   404   404   404   404   404   200   404   404   404   404   404   404   404   404
employer_trust_pdf                   404   404   404   404   404   404   200   404   404   404   404   404   404   404   404
employer_trust_xlsx                  404   404   404   404   404   404   200   404   404   404   404   404   404   404   404
employer_trust_csv                   404   404   404   404   404   404   200   404   404   404   404   404   404   404   404
employer_school_dashboard            404   404   404   200   200   404   404   404   200   404   404   404   404   404   404
employer_school_print                404   404   404   200   200   404   404   404   200   404   404   404   404   404   404
employer_school_pdf                  404   404   404   200   200   404   404   404   200   404   404   404   404   404   404
employer_school_xlsx                 404   404   404   200   200   404   404   404   200   404   404   404   404   404   404
employer_school_csv                  404   404   404   200   200   404   404   404   200   404   404   404   404   404   404
"""
