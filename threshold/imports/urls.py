"""The import pages, for a LADO service or a setting: a run's id is a record id (ADR 0017), never a name."""

from __future__ import annotations

from django.urls import URLPattern, path

from threshold.imports import views

urlpatterns: list[URLPattern] = [
    path("imports/", views.import_list, name="imports"),
    path("imports/<record:run_id>/", views.import_run, name="import_run"),
    path("imports/<record:run_id>/columns/", views.import_columns, name="import_columns"),
    path("imports/<record:run_id>/values/", views.import_values, name="import_values"),
    path("imports/<record:run_id>/import/", views.import_go, name="import_go"),
    path("imports/<record:run_id>/check-again/", views.import_recheck, name="import_recheck"),
    path("imports/<record:run_id>/undo/", views.import_undo_page, name="import_undo"),
    path("imports/<record:run_id>/mapping/", views.import_save_mapping, name="import_save_mapping"),
    path("imports/<record:run_id>/rows-to-fix.xlsx", views.import_problems, name="import_problems"),
]
