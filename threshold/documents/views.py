"""Uploading documents to a record, and downloading them: always as an attachment, always audited."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_safe

from threshold.access import fetch
from threshold.audit.context import AuditContext
from threshold.core.forms import apply_validation_error
from threshold.core.http import signed_in_user
from threshold.core.uploads import size_limited_upload, upload_too_large
from threshold.documents import services
from threshold.documents.forms import DocumentUploadForm
from threshold.documents.records import record_for_change, record_label, record_page


@login_required
@size_limited_upload(services.max_upload_bytes)
def document_upload(request: HttpRequest, record_type: str, record_id: int) -> HttpResponse:
    """Upload investigation notes, minutes or a letter to a record the user may change.

    The size limit is enforced while the upload arrives (``core.uploads``).
    """
    user = signed_in_user(request)
    record = record_for_change(
        user=user, record_type=record_type, record_id=record_id, allowed=services.RECORD_TYPES, request=request
    )
    form = DocumentUploadForm(request.POST or None, request.FILES or None, file_too_large=upload_too_large(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.document_upload(
                actor=user,
                record=record,
                title=form.cleaned_data["title"],
                uploaded_file=form.cleaned_data["uploaded_file"],
                audit_context=AuditContext.from_request(request),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            # Not its title: people name documents after whom they are about, and messages wait in the session.
            messages.success(request, "The document was uploaded.")
            return HttpResponseRedirect(record_page(record_type, record.pk, "documents"))
    if request.method != "POST":
        # The page names the record it adds to: that is a read, and is audited.
        fetch.audit_read(user=user, record=record, record_type=record_type, request=request)
    return render(
        request,
        "documents/document_upload.html",
        {
            "form": form,
            "record_label": record_label(record_type, record),
            "record_url": record_page(record_type, record.pk, "documents"),
            "max_size": services.max_upload_bytes(),
            "accepted_extensions": services.ACCEPTED_EXTENSIONS,
        },
    )


@login_required
@require_safe
def document_download(request: HttpRequest, document_id: int) -> FileResponse:
    """Send the file with a safe name, never rendered inline by the browser."""
    document = fetch.access_document(signed_in_user(request), document_id, "download", request=request)
    path = settings.DOCUMENT_ROOT / document.stored_name
    if not path.is_file():
        raise Http404("No such record.")
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=services.document_download_name(document),
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
