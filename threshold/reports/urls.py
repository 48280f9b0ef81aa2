"""The reports app's pages, one URL module per part so each part's pages are found together."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("threshold.reports.urls_lado")),
    path("", include("threshold.reports.urls_employer")),
    path("", include("threshold.reports.urls_exports")),
    path("", include("threshold.reports.urls_printing")),
]
