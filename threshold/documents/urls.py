"""URLs for documents: upload to a record, download as an attachment."""

from __future__ import annotations

from django.urls import path

from threshold.documents import views

urlpatterns = [
    path("upload/<str:record_type>/<record:record_id>/", views.document_upload, name="document_upload"),
    path("<record:document_id>/download/", views.document_download, name="document_download"),
]
