"""Refer to the LADO: the recording data set, pre-filled from the allegation and the person."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from threshold.allegations import services
from threshold.allegations.forms import CHILD_ROWS, ReferralForm
from threshold.allegations.models import Referral
from threshold.allegations.views.common import fetch_for_change, record_page
from threshold.audit.context import AuditContext
from threshold.core import pages
from threshold.core.http import signed_in_user


@login_required
def allegation_referral(request: HttpRequest, allegation_id: int) -> HttpResponse:
    """Refer to the LADO: the recording data set, pre-filled from the allegation and the person."""
    user = signed_in_user(request)
    allegation = fetch_for_change(request, user, allegation_id)
    initial = services.referral_initial(actor=user, allegation=allegation)
    latest = allegation.referrals.first()
    if latest is not None:
        for i, child in enumerate(latest.children.all()[:CHILD_ROWS]):
            initial.update(
                {
                    f"child_{i}_full_name": child.full_name,
                    f"child_{i}_address": child.address,
                    f"child_{i}_date_of_birth": child.date_of_birth,
                    f"child_{i}_gender": child.gender,
                    f"child_{i}_ethnicity": child.ethnicity,
                }
            )
    initial["previous"] = latest.pk if latest else ""
    form = ReferralForm(request.POST if request.method == "POST" else None, initial=initial, allegation=allegation)
    if request.method == "POST" and form.is_valid():
        rows = form.child_indexes()
        try:
            services.referral_make(
                actor=user,
                allegation=allegation,
                audit_context=AuditContext.from_request(request),
                details=form.details(),
                children=form.children(),
                expected_previous=form.cleaned_data["previous"],
            )
        except services.ReferralConflict as conflict:
            return pages.form_conflict_page(
                request,
                form,
                conflict.current,
                heading="Someone else sent a referral for this allegation after you opened the form",
                back=record_page(allegation, "referral"),
                back_text="Go back to the allegation to see the referral sent",
                summary=_sent_by(conflict.current),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for key, messages_ in error.message_dict.items():
                    parts = key.split("_", 2)
                    if parts[0] == "child" and parts[1].isdigit() and int(parts[1]) < len(rows):
                        key = f"child_{rows[int(parts[1])]}_{parts[2]}"
                    form.add_error(key if key in form.fields else None, messages_)
            else:
                form.apply_errors(error)
        else:
            messages.success(request, f"Referral sent to the LADO of {services.referral_local_authority(allegation)}.")
            return redirect(record_page(allegation, "referral"))
    return render(
        request,
        "allegations/referral_form.html",
        {
            "allegation": allegation,
            "form": form,
            "back": record_page(allegation),
            "local_authority": services.referral_local_authority(allegation),
            "child_rows": range(CHILD_ROWS),
            "latest": latest,
        },
    )


def _sent_by(referral: Referral | None) -> str:
    """Who sent the referral that got there first, to whom and when (the person's own colleague, by name)."""
    if referral is None:
        return "The referral changed after you opened the form."
    sent = timezone.localtime(referral.recorded_at)
    return (
        f"{referral.recorded_by.full_name} sent referral {referral.reference} to the LADO of "
        f"{referral.local_authority.name} on {sent.day} {sent:%B %Y}."
    )
