"""URLs for adding to and correcting a record's chronology."""

from __future__ import annotations

from django.urls import path

from threshold.chronology import views

urlpatterns = [
    path("add/<str:record_type>/<record:record_id>/", views.chronology_add, name="chronology_add"),
    path("entries/<record:entry_id>/correct/", views.chronology_correct, name="chronology_correct"),
]
