"""The import pages, under the LADO service: a run's id is a record id (ADR 0017), never a name."""

from __future__ import annotations

from django.urls import URLPattern, path

from threshold.imports import views

urlpatterns: list[URLPattern] = [
    path("lado/imports/", views.import_list, name="imports"),
    path("lado/imports/<record:run_id>/", views.import_run, name="import_run"),
    path("lado/imports/<record:run_id>/columns/", views.import_columns, name="import_columns"),
    path("lado/imports/<record:run_id>/values/", views.import_values, name="import_values"),
    path("lado/imports/<record:run_id>/import/", views.import_go, name="import_go"),
    path("lado/imports/<record:run_id>/check-again/", views.import_recheck, name="import_recheck"),
    path("lado/imports/<record:run_id>/undo/", views.import_undo_page, name="import_undo"),
    path("lado/imports/<record:run_id>/mapping/", views.import_save_mapping, name="import_save_mapping"),
    path("lado/imports/<record:run_id>/rows-to-fix.xlsx", views.import_problems, name="import_problems"),
]
