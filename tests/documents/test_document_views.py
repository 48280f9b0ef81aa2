"""Uploading and downloading through the browser's pages: access, errors beside the field, safe downloads."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tests.documents import files
from threshold.allegations.models import Allegation
from threshold.audit.models import AuditEvent
from threshold.core.record_ids import token_of
from threshold.documents.models import Document

pytestmark = pytest.mark.django_db


def _upload_url(record_type: str, record_id: int) -> str:
    return reverse("document_upload", args=[record_type, record_id])


def test_the_case_manager_uploads_notes_and_returns_to_the_allegations_documents(records, signed_in, store) -> None:
    hana = signed_in("hana")
    url = _upload_url("allegation", records["allegation_chris"])

    page = hana.get(url)
    response = hana.post(
        url, {"title": "Investigation notes", "uploaded_file": files.upload("notes.pdf", files.pdf_bytes())}
    )

    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("allegation_detail", args=[records["allegation_chris"]]) + "#documents"
    assert Document.objects.filter(allegation_id=records["allegation_chris"], title="Investigation notes").exists()


def test_the_upload_banner_keeps_the_documents_title_out_of_the_session(records, signed_in, store) -> None:
    hana = signed_in("hana")
    url = _upload_url("allegation", records["allegation_chris"])
    upload = files.upload("notes.pdf", files.pdf_bytes())

    response = hana.post(url, {"title": "Statement of Jamie Smith", "uploaded_file": upload})

    assert response.status_code == 302
    # People name documents after whom they are about; the banner waits in the session until the next page.
    assert "Jamie Smith" not in " ".join(str(session.get_decoded()) for session in Session.objects.all())
    assert "The document was uploaded." in hana.get(response["Location"]).content.decode()


def test_a_refused_file_is_explained_beside_the_field_and_nothing_is_saved(records, signed_in, store) -> None:
    hana = signed_in("hana")
    before = Document.objects.count()

    response = hana.post(
        _upload_url("allegation", records["allegation_chris"]),
        {"title": "Notes", "uploaded_file": files.upload("notes.pdf", b"MZ\x90\x00" + bytes(range(256)))},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert 'href="#id_uploaded_file"' in body
    assert 'id="id_uploaded_file-error"' in body
    assert 'value="Notes"' in body
    assert Document.objects.count() == before


def test_a_missing_file_and_title_are_both_asked_for(records, signed_in, store) -> None:
    response = signed_in("hana").post(_upload_url("allegation", records["allegation_chris"]), {"title": ""})

    body = response.content.decode()
    assert "Enter a title for the document" in body
    assert "Select a file" in body


@pytest.mark.parametrize(
    ("key", "record_type", "record"),
    [
        ("tom", "concern", "concern_by_tom"),  # raised it, may read his own report, may not add to the record
        ("cara", "case", "case_chris"),  # the case is shared with her to read, not to change
        ("pat", "meeting", "meeting_chris"),  # likewise the meeting
        ("nina", "allegation", "allegation_chris"),  # another organisation
        ("lara", "allegation", "allegation_chris"),  # the LADO service does not write in the employer's record
    ],
)
def test_people_who_may_not_change_a_record_get_not_found_for_both_the_form_and_the_upload(
    key, record_type, record, records, signed_in, store
) -> None:
    client = signed_in(key)
    url = _upload_url(record_type, records[record])
    before = Document.objects.count()

    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"title": "X", "uploaded_file": files.upload("x.pdf", files.pdf_bytes())}).status_code == 404
    )
    assert Document.objects.count() == before


def test_an_unknown_kind_of_record_is_not_found(records, signed_in) -> None:
    assert signed_in("hana").get(_upload_url("person", records["person_chris"])).status_code == 404


def test_the_lado_uploads_to_a_case_and_a_meeting(records, signed_in, store) -> None:
    lara = signed_in("lara")

    to_case = lara.post(
        _upload_url("case", records["case_chris"]),
        {"title": "Police update", "uploaded_file": files.upload("p.txt", b"ok")},
    )
    to_meeting = lara.post(
        _upload_url("meeting", records["meeting_chris"]),
        {"title": "Minutes", "uploaded_file": files.upload("m.pdf", files.pdf_bytes())},
    )

    assert to_case["Location"] == reverse("case_detail", args=[records["case_chris"]]) + "#documents"
    assert to_meeting["Location"] == reverse("meeting_detail", args=[records["meeting_chris"]]) + "#documents"


def test_a_download_is_an_audited_attachment_with_a_safe_name(records, signed_in, persona, store) -> None:
    hana = signed_in("hana")
    content = files.pdf_bytes()
    hana.post(
        _upload_url("allegation", records["allegation_chris"]),
        {"title": "Notes", "uploaded_file": files.upload('notes "final";.pdf', content)},
    )
    document = Document.objects.get(title="Notes")

    response = signed_in("dev").get(reverse("document_download", args=[document.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    # Named by its allegation's reference and its own token, never as uploaded: file names name people.
    allegation_reference = Allegation.objects.get(pk=records["allegation_chris"]).reference
    assert response["Content-Disposition"] == (
        f'attachment; filename="{allegation_reference}-document-{token_of(document.pk)}.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.filter(action="record.download").latest("sequence")
    assert (event.actor, event.record_type, event.record_id) == (persona("dev"), "document", str(document.pk))


def test_someone_who_cannot_see_the_record_cannot_download_its_documents(records, signed_in) -> None:
    assert signed_in("tom").get(reverse("document_download", args=[records["document_allegation"]])).status_code == 404
    assert signed_in("nina").get(reverse("document_download", args=[records["document_allegation"]])).status_code == 404


def test_an_upload_over_the_limit_is_stopped_as_it_arrives_and_explained(records, signed_in, store, settings) -> None:
    settings.DOCUMENT_MAX_BYTES = 64 * 1024
    big = files.upload("big.pdf", b"%PDF-1.4\n" + b"0" * (256 * 1024))

    response = signed_in("hana").post(
        _upload_url("allegation", records["allegation_chris"]), {"uploaded_file": big, "title": "Big"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "The selected file must be smaller than 64 KB" in body
    assert 'value="Big"' in body
    assert not Document.objects.filter(title="Big").exists()
    assert not store.exists() or list(store.iterdir()) == []


def test_many_files_in_one_upload_are_received_only_up_to_the_limit_between_them(
    records, signed_in, store, settings
) -> None:
    settings.DOCUMENT_MAX_BYTES = 64 * 1024
    parts = [files.upload(f"part{n}.pdf", b"%PDF-1.4\n" + b"0" * (40 * 1024)) for n in range(5)]

    response = signed_in("hana").post(
        _upload_url("allegation", records["allegation_chris"]), {"uploaded_file": parts, "title": "Parts"}
    )

    assert response.status_code == 200
    assert "The selected file must be smaller than 64 KB" in response.content.decode()
    assert not Document.objects.filter(title="Parts").exists()


def test_an_upload_without_the_form_token_is_refused(records, signed_in, store) -> None:
    client = signed_in("hana", Client(enforce_csrf_checks=True))

    response = client.post(
        _upload_url("allegation", records["allegation_chris"]),
        {"title": "Notes", "uploaded_file": files.upload("n.pdf", files.pdf_bytes())},
    )

    assert response.status_code == 403
    assert not Document.objects.filter(title="Notes").exists()


def test_a_file_named_after_a_person_is_never_downloaded_under_that_name(records, signed_in, store) -> None:
    hana = signed_in("hana")
    hana.post(
        _upload_url("allegation", records["allegation_chris"]),
        {"title": "Letter", "uploaded_file": files.upload("Lettre à Mme Dupré.pdf", files.pdf_bytes())},
    )
    document = Document.objects.get(title="Letter")

    response = hana.get(reverse("document_download", args=[document.pk]))

    assert "Dupr" not in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith(f'-document-{token_of(document.pk)}.pdf"')
    assert document.original_name == "Lettre à Mme Dupré.pdf"  # kept, as uploaded, for the record's handlers


def test_an_upload_sent_twice_with_its_one_time_token_stores_one_document(records, signed_in, store) -> None:
    hana = signed_in("hana")
    url = _upload_url("allegation", records["allegation_chris"])
    token = re.search(r'name="submission" value="([A-Za-z0-9_-]+)"', hana.get(url).content.decode())
    assert token, "the upload form carries a one-time token"

    def send() -> int:
        upload = files.upload("notes.pdf", files.pdf_bytes())
        sent = {"title": "Notes of the second interview", "uploaded_file": upload, "submission": token.group(1)}
        return hana.post(url, sent).status_code

    first, again = send(), send()

    assert (first, again) == (302, 303)
    assert (
        Document.objects.filter(
            allegation_id=records["allegation_chris"], title="Notes of the second interview"
        ).count()
        == 1
    )
