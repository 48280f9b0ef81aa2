"""The LADO service's annual and quarterly report: page, charts, print view, PDF, XLSX and CSV."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
