"""The employer's dashboards: the trust's picture and a school's own view."""

from __future__ import annotations

from django.urls import URLPattern, path

from threshold.reports.employer import views

urlpatterns: list[URLPattern] = [
    path(f"{kind}/{suffix}", view, {"kind": kind}, name=f"employer_{kind}_{name}")
    for kind in ("trust", "school")
    for suffix, view, name in (
        ("", views.dashboard, "dashboard"),
        ("print/", views.dashboard_print, "print"),
        ("figures.pdf", views.dashboard_pdf, "pdf"),
        ("figures.xlsx", views.dashboard_xlsx, "xlsx"),
        ("figures.csv", views.dashboard_csv, "csv"),
    )
]
