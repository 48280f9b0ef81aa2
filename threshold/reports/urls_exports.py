"""Every list out to XLSX and CSV, and large exports as background jobs with an expiring download."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
