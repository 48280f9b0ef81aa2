"""The documents panel record pages include."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from tests.documents import files
from threshold.allegations.models import Allegation
from threshold.documents.panels import documents_context
from threshold.documents.services import document_upload

pytestmark = pytest.mark.django_db


def test_the_panel_lists_downloads_and_offers_an_upload_to_those_who_may_change_the_record(
    records, persona, store
) -> None:
    allegation = Allegation.objects.get(pk=records["allegation_chris"])
    document = document_upload(
        actor=persona("hana"),
        record=allegation,
        title="Interview <notes>",
        uploaded_file=files.upload("notes.pdf", files.pdf_bytes()),
    )

    editable = render_to_string(
        "documents/_panel.html",
        documents_context(user=persona("hana"), record=allegation, record_type="allegation", can_upload=True),
    )
    read_only = render_to_string(
        "documents/_panel.html",
        documents_context(user=persona("dev"), record=allegation, record_type="allegation", can_upload=False),
    )

    assert reverse("document_download", args=[document.pk]) in editable
    assert "Interview &lt;notes&gt;" in editable
    assert "notes.pdf – PDF, " in editable
    assert reverse("document_upload", args=["allegation", allegation.pk]) in editable
    assert reverse("document_upload", args=["allegation", allegation.pk]) not in read_only


def test_the_panel_shows_only_documents_the_viewer_may_see(records, persona) -> None:
    allegation = Allegation.objects.get(pk=records["allegation_chris"])

    context = documents_context(user=persona("tom"), record=allegation, record_type="allegation", can_upload=False)

    assert context["documents"] == []
