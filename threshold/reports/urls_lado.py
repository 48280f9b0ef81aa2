"""The LADO service's annual and quarterly report: page, charts, print view, PDF, XLSX and CSV."""

from __future__ import annotations

from django.urls import URLPattern, path

from threshold.reports.lado_pages import views

urlpatterns: list[URLPattern] = [
    path("lado/", views.report_page, name="lado_report"),
    path("lado/print/", views.report_print, name="lado_report_print"),
    path("lado/report.pdf", views.report_pdf, name="lado_report_pdf"),
    path("lado/report.xlsx", views.report_xlsx, name="lado_report_xlsx"),
    path("lado/report.csv", views.report_csv, name="lado_report_csv"),
    path("lado/settings/", views.report_settings, name="lado_report_settings"),
]
