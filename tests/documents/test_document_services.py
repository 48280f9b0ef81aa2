"""The upload service: what it accepts, what it refuses, and what it leaves behind."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from tests.documents import files
from threshold.allegations.models import Allegation
from threshold.audit.models import AuditEvent
from threshold.chronology.models import ChronologyEntry
from threshold.concerns.models import Concern
from threshold.documents import services
from threshold.documents.models import Document
from threshold.lado.models import Case, Meeting

pytestmark = pytest.mark.django_db


def _stored_files(store: Path) -> list[Path]:
    return sorted(store.iterdir()) if store.exists() else []


def _allegation(records: dict[str, int]) -> Allegation:
    return Allegation.objects.get(pk=records["allegation_chris"])


def _refusal(error: pytest.ExceptionInfo[ValidationError], field: str = "uploaded_file") -> str:
    return " ".join(error.value.message_dict[field])


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("notes.pdf", files.pdf_bytes(), "application/pdf"),
        ("photo.png", files.png_bytes(), "image/png"),
        ("photo.JPG", files.jpeg_bytes(), "image/jpeg"),
        ("photo.jpeg", files.jpeg_bytes(), "image/jpeg"),
        ("minutes.docx", files.docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("timeline.xlsx", files.xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("call.txt", "Rang the LADO – advice: consult police.\n".encode(), "text/plain"),
    ],
)
def test_each_accepted_type_is_stored_under_a_random_name_with_its_checksum(
    name, content, content_type, records, persona, store
) -> None:
    document = services.document_upload(
        actor=persona("hana"), record=_allegation(records), title="Notes", uploaded_file=files.upload(name, content)
    )

    assert document.content_type == content_type
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.original_name == name
    assert [path.name for path in _stored_files(store)] == [document.stored_name]
    assert name not in document.stored_name
    assert len(document.stored_name) == 64
    assert (store / document.stored_name).read_bytes() == content


def test_the_type_comes_from_the_content_not_from_what_the_browser_says(records, persona, store) -> None:
    uploaded = files.upload("notes.pdf", files.pdf_bytes(), content_type="text/html")

    document = services.document_upload(
        actor=persona("hana"), record=_allegation(records), title="Notes", uploaded_file=uploaded
    )

    assert document.content_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(range(256)) * 4),
        ("notes.pdf", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200),
        ("notes.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(range(256)) * 4),
        ("archive.zip", files._office({"readme.txt": b"hello"})),
    ],
)
def test_an_executable_or_unknown_file_is_refused_whatever_its_name(name, content, records, persona, store) -> None:
    with pytest.raises(ValidationError) as error:
        services.document_upload(
            actor=persona("hana"), record=_allegation(records), title="Notes", uploaded_file=files.upload(name, content)
        )

    assert "must be a PDF, Word document" in _refusal(error)
    assert not Document.objects.filter(title="Notes").exists()
    assert _stored_files(store) == []


def test_an_html_page_renamed_to_pdf_is_refused_because_the_name_does_not_match(records, persona, store) -> None:
    page = b"<!doctype html><html><body><script>alert(1)</script></body></html>"

    with pytest.raises(ValidationError) as error:
        services.document_upload(
            actor=persona("hana"), record=_allegation(records), title="Notes", uploaded_file=files.upload("a.pdf", page)
        )

    assert _refusal(error) == "The selected file is a text file: its name must end in .txt"
    assert _stored_files(store) == []


@pytest.mark.parametrize(
    ("name", "content"),
    [("photo.pdf", files.png_bytes()), ("notes.docx", files.pdf_bytes()), ("notes", files.pdf_bytes())],
)
def test_an_extension_that_does_not_match_the_content_is_refused(name, content, records, persona, store) -> None:
    with pytest.raises(ValidationError) as error:
        services.document_upload(
            actor=persona("hana"), record=_allegation(records), title="Notes", uploaded_file=files.upload(name, content)
        )

    assert "its name must end in" in _refusal(error)
    assert _stored_files(store) == []


def test_a_file_over_the_size_limit_is_refused(records, persona, store, settings) -> None:
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    content = b"%PDF-1.4\n" + b"0" * (1024 * 1024)

    with pytest.raises(ValidationError) as error:
        services.document_upload(
            actor=persona("hana"),
            record=_allegation(records),
            title="Big",
            uploaded_file=files.upload("b.pdf", content),
        )

    assert _refusal(error) == "The selected file must be smaller than 1 MB"
    assert _stored_files(store) == []


def test_a_file_that_says_it_is_small_but_is_not_is_stopped_while_it_is_received(
    records, persona, store, settings
) -> None:
    settings.DOCUMENT_MAX_BYTES = 1024
    uploaded = files.upload("b.pdf", b"%PDF-1.4\n" + b"0" * 4096)
    uploaded.size = 10

    with pytest.raises(ValidationError) as error:
        services.document_upload(
            actor=persona("hana"), record=_allegation(records), title="Big", uploaded_file=uploaded
        )

    assert "must be smaller than" in _refusal(error)
    assert _stored_files(store) == []


def test_a_zip_bomb_dressed_as_a_word_document_is_refused(records, persona, store, settings) -> None:
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    bomb = files.zip_bomb_bytes(16 * 1024 * 1024)
    assert len(bomb) < settings.DOCUMENT_MAX_BYTES

    with pytest.raises(ValidationError) as error:
        services.document_upload(
            actor=persona("hana"), record=_allegation(records), title="Bomb", uploaded_file=files.upload("b.docx", bomb)
        )

    assert "unpacks to too much data" in _refusal(error)
    assert _stored_files(store) == []


def test_a_password_protected_word_document_is_refused(records, persona, store) -> None:
    with pytest.raises(ValidationError) as error:
        services.document_upload(
            actor=persona("hana"),
            record=_allegation(records),
            title="Locked",
            uploaded_file=files.upload("locked.docx", files.encrypted_zip_bytes()),
        )

    assert "password protected" in _refusal(error)


def test_a_macro_enabled_document_is_refused(records, persona, store) -> None:
    content = files._office({"word/document.xml": b"<w:document/>", "word/vbaProject.bin": b"\x00\x01"})

    with pytest.raises(ValidationError) as error:
        services.document_upload(
            actor=persona("hana"), record=_allegation(records), title="M", uploaded_file=files.upload("m.docx", content)
        )

    assert "macros" in _refusal(error)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "The selected file is empty"), (b"caf\xe9 \x00\x01", "must be a PDF, Word document")],
)
def test_an_empty_or_binary_file_is_refused(content, message, records, persona, store) -> None:
    with pytest.raises(ValidationError) as error:
        services.document_upload(
            actor=persona("hana"), record=_allegation(records), title="T", uploaded_file=files.upload("t.txt", content)
        )

    assert message in _refusal(error)


@pytest.mark.parametrize(("title", "message"), [("   ", "Enter a title"), ("x" * 201, "200 characters or fewer")])
def test_a_missing_or_long_title_is_refused_before_anything_is_stored(title, message, records, persona, store) -> None:
    with pytest.raises(ValidationError) as error:
        services.document_upload(
            actor=persona("hana"),
            record=_allegation(records),
            title=title,
            uploaded_file=files.upload("n.pdf", files.pdf_bytes()),
        )

    assert message in _refusal(error, "title")
    assert _stored_files(store) == []


def test_the_file_is_removed_again_if_the_database_write_fails(records, persona, store, monkeypatch) -> None:
    def fail(**kwargs):
        raise IntegrityError("disk full")

    monkeypatch.setattr(services, "chronology_record_event", fail)
    before = Document.objects.count()

    with pytest.raises(IntegrityError):
        services.document_upload(
            actor=persona("hana"),
            record=_allegation(records),
            title="Notes",
            uploaded_file=files.upload("n.pdf", files.pdf_bytes()),
        )

    assert Document.objects.count() == before
    assert _stored_files(store) == []
    assert not AuditEvent.objects.filter(action="document.uploaded").exists()


def test_an_upload_is_audited_without_its_contents_and_noted_in_the_chronology(records, persona, store) -> None:
    allegation = _allegation(records)
    content = files.pdf_bytes("Secret words from the interview")

    document = services.document_upload(
        actor=persona("hana"), record=allegation, title="Interview notes", uploaded_file=files.upload("i.pdf", content)
    )

    event = AuditEvent.objects.get(action="document.uploaded")
    assert event.actor == persona("hana")
    assert (event.record_type, event.record_id) == ("allegation", str(allegation.pk))
    assert event.details == {  # never the title: the trail outlives the record, and titles name people
        "document": document.pk,
        "content_type": "application/pdf",
        "size": len(content),
        "sha256": document.sha256,
    }
    assert "Secret words" not in str(event.details) + str(event.changes)
    entry = ChronologyEntry.objects.get(allegation=allegation)
    assert entry.text == "Document uploaded: Interview notes (PDF)."
    assert entry.recorded_by == persona("hana")


def test_documents_attach_to_concerns_cases_and_meetings_and_a_meetings_upload_goes_in_its_cases_chronology(
    records, persona, store
) -> None:
    concern = Concern.objects.get(pk=records["concern_by_tom"])
    case = Case.objects.get(pk=records["case_chris"])
    meeting = Meeting.objects.get(pk=records["meeting_chris"])
    pdf = files.pdf_bytes()

    on_concern = services.document_upload(
        actor=persona("hana"), record=concern, title="Letter", uploaded_file=files.upload("l.pdf", pdf)
    )
    on_case = services.document_upload(
        actor=persona("lara"), record=case, title="Police update", uploaded_file=files.upload("p.pdf", pdf)
    )
    on_meeting = services.document_upload(
        actor=persona("lara"), record=meeting, title="Minutes", uploaded_file=files.upload("m.pdf", pdf)
    )

    assert (on_concern.concern, on_concern.organisation) == (concern, concern.organisation)
    assert (on_case.case, on_case.organisation) == (case, case.local_authority)
    assert (on_meeting.meeting, on_meeting.organisation) == (meeting, case.local_authority)
    assert ChronologyEntry.objects.filter(concern=concern, text__contains="Letter").exists()
    assert ChronologyEntry.objects.filter(
        case=case, text="Document uploaded to the strategy meeting: Minutes (PDF)."
    ).exists()


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\hana\\Desktop\\notes.pdf", "notes.pdf"),
        ('bad"\r\nX-Injected: yes.pdf', 'bad"X-Injected: yes.pdf'),
        ("   ", "document"),
        ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
        ("Café notes.pdf", "Café notes.pdf"),
    ],
)
def test_the_original_name_is_kept_only_as_a_safe_display_name(name, shown) -> None:
    assert services.safe_filename(name) == shown


def test_a_word_document_whose_main_part_has_another_name_is_recognised_by_its_declared_type(
    records, persona, store
) -> None:
    content = files._office(
        {
            "[Content_Types].xml": b'<Types><Override PartName="/word/document2.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
            "word/document2.xml": b"<w:document/>",
        }
    )

    document = services.document_upload(
        actor=persona("hana"), record=_allegation(records), title="W", uploaded_file=files.upload("w.docx", content)
    )

    assert document.content_type == services.DOCX.content_type


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "older Word or Excel file"),
        ("broken.docx", files.docx_bytes()[:-40], "damaged or not a Word or Excel file"),
    ],
)
def test_old_office_files_and_damaged_archives_are_refused_with_a_reason(
    name, content, message, records, persona, store
) -> None:
    with pytest.raises(ValidationError) as error:
        services.document_upload(
            actor=persona("hana"), record=_allegation(records), title="T", uploaded_file=files.upload(name, content)
        )

    assert message in _refusal(error)
    assert _stored_files(store) == []
