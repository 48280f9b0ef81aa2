"""Adding a manual entry to a record's chronology, and correcting an entry with a new one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from threshold.access import fetch
from threshold.audit.context import AuditContext
from threshold.chronology import selectors, services
from threshold.chronology.forms import ChronologyCorrectionForm, ChronologyEntryForm
from threshold.core.forms import apply_validation_error
from threshold.core.http import signed_in_user
from threshold.documents.records import record_for_change, record_label, record_page

# Where a service's error about a whole moment is shown on the form.
_FIELD_FOR = {"occurred_at": "occurred_day"}


@login_required
def chronology_add(request: HttpRequest, record_type: str, record_id: int) -> HttpResponse:
    """Add something that happened (a phone call, a conversation) to a record the user may change."""
    user = signed_in_user(request)
    record = record_for_change(
        user=user, record_type=record_type, record_id=record_id, allowed=selectors.RECORD_TYPES, request=request
    )
    form = ChronologyEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.chronology_add_manual(
                actor=user,
                record=record,
                occurred_at=form.cleaned_data["occurred_at"],
                text=form.cleaned_data["text"],
                audit_context=AuditContext.from_request(request),
            )
        except ValidationError as error:
            apply_validation_error(form, error, lambda name: _FIELD_FOR.get(name, name))
        else:
            messages.success(request, "Entry added to the chronology.")
            return HttpResponseRedirect(record_page(record_type, record.pk, "chronology"))
    # The page shows the record (fetched for "change", which is not audited as a read): record the look.
    fetch.audit_read(
        user=user, record=record, record_type=record_type, request=request, details={"page": "chronology_add"}
    )
    return render(
        request,
        "chronology/chronology_add.html",
        {
            "form": form,
            "record_label": record_label(record_type, record),
            "record_url": record_page(record_type, record.pk, "chronology"),
        },
    )


@login_required
def chronology_correct(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Correct an entry: the original stays, and a new entry says what it should have said."""
    user = signed_in_user(request)
    record_type, record_id = selectors.chronology_entry_record_ref(entry_id=entry_id)
    record = record_for_change(
        user=user, record_type=record_type, record_id=record_id, allowed=selectors.RECORD_TYPES, request=request
    )
    entry = selectors.chronology_entry_of(record=record, record_type=record_type, entry_id=entry_id)
    form = ChronologyCorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.chronology_correct(
                actor=user,
                entry=entry,
                text=form.cleaned_data["text"],
                audit_context=AuditContext.from_request(request),
            )
        except ValidationError as error:
            apply_validation_error(form, error, lambda name: _FIELD_FOR.get(name, name))
        else:
            messages.success(request, "Correction added to the chronology.")
            return HttpResponseRedirect(record_page(record_type, record.pk, "chronology"))
    # The page shows the entry's text: a read of the record, audited like any other.
    fetch.audit_read(
        user=user,
        record=record,
        record_type=record_type,
        request=request,
        details={"page": "chronology_correct", "entry": entry.pk},
    )
    return render(
        request,
        "chronology/chronology_correct.html",
        {
            "form": form,
            "entry": entry,
            "record_label": record_label(record_type, record),
            "record_url": record_page(record_type, record.pk, "chronology"),
        },
    )
