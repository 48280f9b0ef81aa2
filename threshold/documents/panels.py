"""The documents panel that record pages (concern, allegation, LADO case, meeting) include.

A record page calls ``documents_context`` with a record it fetched through
``threshold.access`` and includes ``documents/_panel.html``.
"""

from __future__ import annotations

from typing import Any

from threshold.access import fetch
from threshold.accounts.models import User
from threshold.documents.services import ACCEPTED_KINDS


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def documents_context(*, user: User, record: Any, record_type: str, can_upload: bool) -> dict[str, Any]:
    """Context for ``documents/_panel.html``: the documents this viewer may download, and whether they may add one."""
    documents = list(fetch.visible_documents(user).filter(**{record_type: record}).select_related("uploaded_by"))
    labels = {kind.content_type: kind.label for kind in ACCEPTED_KINDS}
    return {
        "documents": documents,
        "documents_descriptions": {
            document.pk: f"{labels.get(document.content_type, 'File')}, {_size(document.size)}"
            for document in documents
        },
        "documents_record_type": record_type,
        "documents_record_id": record.pk,
        "documents_can_upload": can_upload,
    }
