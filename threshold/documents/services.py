"""Uploading a document to a record: checked by content, stored outside the web root, audited.

The file is streamed to a temporary file beside the store, checked (size,
type by its first bytes, extension matching that type), then renamed to a
random name. Only then is the ``Document`` row written; if that fails the
file is removed again, so there is never a row without a file nor a stored
file that nobody recorded. (Called inside a caller's larger transaction that
later rolls back, the file would stay behind with no row naming it: call it
on its own, as the upload view does.)
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import secrets
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from threshold.accounts.models import User
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.chronology.services import chronology_record_event
from threshold.core.record_ids import token_of
from threshold.documents.models import Document

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_TITLE_LENGTH = 200
MAX_NAME_LENGTH = 120
# A Word or Excel file is a ZIP archive: these bound what it may unpack to.
MAX_ZIP_MEMBERS = 5000
MAX_ZIP_EXPANSION = 10

RECORD_TYPES = ("concern", "allegation", "case", "meeting")


@dataclass(frozen=True)
class FileKind:
    """A kind of file we accept: what it is called, its MIME type and the extensions it may have."""

    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileKind("PDF", "application/pdf", (".pdf",))
PNG = FileKind("PNG image", "image/png", (".png",))
JPEG = FileKind("JPEG image", "image/jpeg", (".jpg", ".jpeg"))
DOCX = FileKind("Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = FileKind("Excel spreadsheet", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
TEXT = FileKind("text file", "text/plain", (".txt",))
ACCEPTED_KINDS = (PDF, DOCX, XLSX, PNG, JPEG, TEXT)
ACCEPTED_EXTENSIONS = ", ".join(ext for kind in ACCEPTED_KINDS for ext in kind.extensions)

_UNSUPPORTED = (
    f"The selected file must be a PDF, Word document, Excel spreadsheet, JPEG, PNG or text file ({ACCEPTED_EXTENSIONS})"
)


def max_upload_bytes() -> int:
    """The largest file we accept, from ``settings.DOCUMENT_MAX_BYTES`` (20 MB unless set)."""
    return int(getattr(settings, "DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def too_large_message(size_limit: int | None = None) -> str:
    """What we say about a file over the limit."""
    return f"The selected file must be smaller than {_megabytes(size_limit or max_upload_bytes())}"


def _megabytes(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size // 1024} KB"
    return f"{size / (1024 * 1024):g} MB"


def safe_filename(name: str, *, fallback: str = "document") -> str:
    """A file name fit to show and to send back in Content-Disposition.

    Keeps only the last path part, drops control and formatting characters,
    collapses whitespace and shortens long names while keeping the extension.
    """
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] not in ("C", "Z") or ch == " ")
    name = re.sub(r"\s+", " ", name).strip(" .")
    if not name:
        return fallback
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        return name[:MAX_NAME_LENGTH]
    extension = extension[:16]
    return f"{stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip(' .')}.{extension}"


def _extension(name: str) -> str:
    _stem, dot, extension = name.rpartition(".")
    return f".{extension.lower()}" if dot and _stem else ""


def _is_utf8_text(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        while chunk := handle.read(64 * 1024):
            if b"\x00" in chunk:
                return False
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return False
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _content_types(archive: zipfile.ZipFile, names: set[str]) -> str:
    """The start of the archive's list of part types (Word may name its main part document2.xml)."""
    if "[Content_Types].xml" not in names:
        return ""
    with archive.open("[Content_Types].xml") as part:
        return part.read(256 * 1024).decode("utf-8", errors="replace")


def _office_kind(path: Path, size_limit: int) -> FileKind:
    """Word or Excel, if the ZIP holds their parts, is not encrypted and does not unpack to something huge."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise ValidationError(
                    {"uploaded_file": "The selected file could not be checked: it has too many parts"}
                )
            if any(member.flag_bits & 0x1 for member in members):
                raise ValidationError(
                    {
                        "uploaded_file": "The selected file is password protected: "
                        "remove the password and upload it again"
                    }
                )
            names = {member.filename for member in members}
            declared = _content_types(archive, names)
            if "macroEnabled" in declared or any(name.endswith("vbaProject.bin") for name in names):
                raise ValidationError({"uploaded_file": "The selected file contains macros: save it without macros"})
            if any(name.startswith("word/") for name in names) and (
                "word/document.xml" in names or "wordprocessingml.document.main+xml" in declared
            ):
                kind = DOCX
            elif any(name.startswith("xl/") for name in names) and (
                "xl/workbook.xml" in names or "spreadsheetml.sheet.main+xml" in declared
            ):
                kind = XLSX
            else:
                raise ValidationError({"uploaded_file": _UNSUPPORTED})
            # Unpack everything, counting what comes out rather than trusting
            # the sizes the archive declares: a ZIP bomb lies about them.
            budget = size_limit * MAX_ZIP_EXPANSION
            for member in members:
                with archive.open(member) as part:
                    while chunk := part.read(64 * 1024):
                        budget -= len(chunk)
                        if budget < 0:
                            raise ValidationError(
                                {"uploaded_file": "The selected file could not be checked: it unpacks to too much data"}
                            )
            return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError, zlib.error):
        raise ValidationError({"uploaded_file": "The selected file is damaged or not a Word or Excel file"}) from None


def detect_kind(path: Path, *, size_limit: int | None = None) -> FileKind:
    """What a file is, judged by its content (its first bytes, and for Word and Excel, its parts)."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(path, size_limit or max_upload_bytes())
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        # The container of old .doc and .xls files, and of any password-protected Office file.
        raise ValidationError(
            {
                "uploaded_file": "The selected file is an older Word or Excel file, or is password protected: "
                "save it as .docx or .xlsx without a password"
            }
        )
    if _is_utf8_text(path):
        return TEXT
    raise ValidationError({"uploaded_file": _UNSUPPORTED})


def _receive(chunks: Iterable[bytes], *, directory: Path, size_limit: int) -> tuple[Path, int, str]:
    """Stream an upload to a temporary file in the store; return its path, size and SHA-256."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = directory / f".upload-{secrets.token_hex(16)}"
    digest = hashlib.sha256()
    size = 0
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            for chunk in chunks:
                size += len(chunk)
                if size > size_limit:
                    raise ValidationError({"uploaded_file": too_large_message(size_limit)})
                digest.update(chunk)
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary, size, digest.hexdigest()


def _record_field(record: Any) -> str:
    name = type(record).__name__.lower()
    if name not in RECORD_TYPES:
        raise TypeError(f"A document belongs to a concern, an allegation, a LADO case or a meeting, not a {name}.")
    return name


def _organisation_of(record: Any) -> Any:
    if type(record).__name__ == "Meeting":
        return record.case.local_authority
    return getattr(record, "organisation", None) or record.local_authority


def _chronology_record(record: Any) -> Any:
    """The record whose chronology notes the upload: a meeting's is its case's."""
    return record.case if type(record).__name__ == "Meeting" else record


def document_upload(
    *, actor: User, record: Any, title: str, uploaded_file: Any, audit_context: AuditContext | None = None
) -> Document:
    """Store a file against a record the actor may change, and note it in the audit trail and chronology.

    ``uploaded_file`` is a Django ``UploadedFile`` (anything with ``name`` and
    ``chunks()``). Refuses, with a message for the field, files that are
    empty, too large, of a type we do not accept (judged by content) or whose
    extension does not match their content.
    """
    field = _record_field(record)
    title = " ".join(str(title or "").split())
    if not title:
        raise ValidationError({"title": "Enter a title for the document"})
    if len(title) > MAX_TITLE_LENGTH:
        raise ValidationError({"title": f"The title must be {MAX_TITLE_LENGTH} characters or fewer"})
    if uploaded_file is None:
        raise ValidationError({"uploaded_file": "Select a file"})
    size_limit = max_upload_bytes()
    declared_size = getattr(uploaded_file, "size", None)
    if declared_size is not None and declared_size > size_limit:
        raise ValidationError({"uploaded_file": too_large_message(size_limit)})
    original_name = safe_filename(getattr(uploaded_file, "name", "") or "")
    extension = _extension(original_name)

    store = Path(settings.DOCUMENT_ROOT)
    temporary, size, sha256 = _receive(uploaded_file.chunks(), directory=store, size_limit=size_limit)
    stored: Path | None = None
    try:
        if size == 0:
            raise ValidationError({"uploaded_file": "The selected file is empty"})
        kind = detect_kind(temporary, size_limit=size_limit)
        if extension not in kind.extensions:
            raise ValidationError(
                {
                    "uploaded_file": f"The selected file is a {kind.label}: its name must end in "
                    f"{' or '.join(kind.extensions)}"
                }
            )
        stored_name = secrets.token_hex(32)
        stored = store / stored_name
        os.replace(temporary, stored)
        with transaction.atomic(durable=True):
            document = Document.objects.create(
                organisation=_organisation_of(record),
                title=title,
                original_name=original_name,
                stored_name=stored_name,
                content_type=kind.content_type,
                size=size,
                sha256=sha256,
                uploaded_by=actor,
                **{field: record},
            )
            audit_record(
                context=context_for(actor, audit_context),
                action="document.uploaded",
                record_type=field,
                record_id=record.pk,
                # Never its title: people name documents after whom they are about, and the trail outlives the
                # record (the title is in the record's chronology, which goes with it).
                details={
                    "document": document.pk,
                    "content_type": kind.content_type,
                    "size": size,
                    "sha256": sha256,
                },
            )
            where = f" to the {record.kind} meeting" if field == "meeting" else ""
            chronology_record_event(
                record=_chronology_record(record),
                text=f"Document uploaded{where}: {title} ({kind.label}).",
                actor=actor,
            )
    except BaseException:
        temporary.unlink(missing_ok=True)
        if stored is not None:
            stored.unlink(missing_ok=True)
        raise
    return document


def document_download_name(document: Document) -> str:
    """The name a download is offered under: its record's reference and its own token, with its kind's extension.

    Never the name it was uploaded under, nor its title: people name files after whom they are about ("Statement
    of Jamie Smith"), and a download's name travels (the Downloads folder, an email attachment), as the product's
    PDFs are named by reference. The page lists the document by its title.
    """
    meeting = document.meeting
    record = document.allegation or document.concern or document.case or (meeting.case if meeting else None)
    reference = getattr(record, "reference", "") or "record"
    kind = next((kind for kind in ACCEPTED_KINDS if kind.content_type == document.content_type), None)
    extension = _extension(document.original_name)
    if kind is not None and extension not in kind.extensions:
        extension = kind.extensions[0]
    return safe_filename(f"{reference}-document-{token_of(document.pk)}{extension}")
