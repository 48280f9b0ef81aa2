"""Django app configuration for ``threshold.documents``."""

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Uploaded documents, stored outside the web root."""

    name = "threshold.documents"
    label = "documents"
