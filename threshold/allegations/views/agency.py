"""Supply workers, contractors and volunteers (appendix 4): the agency's part, its HR manager, and restrictions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from threshold.accounts.models import User
from threshold.allegations import selectors, services
from threshold.allegations.duty_forms import AgencyHrManagerForm, AgencyLiaisonForm, AgencyReplyForm
from threshold.allegations.forms import AgencyForm
from threshold.allegations.models import Allegation
from threshold.allegations.views.common import form_page
from threshold.audit.context import AuditContext
from threshold.audit.services import audit_record
from threshold.core.http import signed_in_user


@login_required
def allegation_agency(request: HttpRequest, allegation_id: int) -> HttpResponse:
    """Appendix 4: the agency notified, suspension discussed, the trust-wide bar, what was sent."""

    def save(user: User, allegation: Allegation, form: Any) -> object:
        data = form.cleaned_data
        return services.agency_record(
            actor=user,
            allegation=allegation,
            notified_at=data.get("notified_at"),
            suspension_discussed=data["suspension_discussed"],
            removed_on=data["removed_on"],
            cover_arranged_on=data["cover_arranged_on"],
            notes_sent_on=data["notes_sent_on"],
            outcome_sent_on=data["outcome_sent_on"],
            audit_context=AuditContext.from_request(request),
        )

    def make_form(allegation: Allegation, data: Any) -> AgencyForm:
        current = selectors.last_recorded(allegation.agency_records.all())
        initial: dict[str, Any] = {"notified_on": timezone.localdate()}
        if current is not None:
            local = timezone.localtime(current.notified_at)
            initial = {
                "notified_on": local.date(),
                "notified_time": local.strftime("%H:%M"),
                "suspension_discussed": current.suspension_discussed,
                "removed_on": current.removed_on,
                "cover_arranged_on": current.cover_arranged_on,
                "notes_sent_on": current.notes_sent_on,
                "outcome_sent_on": current.outcome_sent_on,
            }
        return AgencyForm(data, initial=initial)

    return form_page(
        request,
        allegation_id,
        make_form=make_form,
        save=save,
        template="allegations/agency_form.html",
        message="Agency record saved.",
        anchor="agency",
    )


@login_required
def restrictions(request: HttpRequest) -> HttpResponse:
    """People not to be accepted in the trust's academies until further notice (appendix 4): names only."""
    user = signed_in_user(request)
    if not selectors.restriction_trusts(user):
        raise Http404("No such page.")
    rows = selectors.trust_restrictions(user)
    # Each name shown comes from an allegation the reader may not open: the trail names both, so the allegation's
    # and the person's access logs say who has seen the bar.
    audit_record(
        context=AuditContext.from_request(request),
        action="restrictions.viewed",
        record_type="restriction",
        details={
            "count": len(rows),
            "allegations": sorted(row.allegation_id for row in rows),
            "people": sorted(row.person_id for row in rows),
        },
    )
    return render(request, "allegations/restrictions.html", {"restrictions": rows})


@login_required
def allegation_agency_hr_manager(request: HttpRequest, allegation_id: int) -> HttpResponse:
    """Appendix 4: the supply agency's HR manager or nominated person, a contact (not an account)."""

    def make_form(allegation: Allegation, data: Any) -> AgencyHrManagerForm:
        current = selectors.last_recorded(allegation.agency_hr_managers.all())
        initial = {"name": current.name, "email": current.email} if current is not None else {}
        return AgencyHrManagerForm(data, initial=initial)

    return form_page(
        request,
        allegation_id,
        make_form=make_form,
        save=lambda user, allegation, form: services.agency_hr_manager_record(
            actor=user,
            allegation=allegation,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            audit_context=AuditContext.from_request(request),
        ),
        template="allegations/agency_hr_manager_form.html",
        message="The agency's HR manager saved.",
        anchor="agency",
    )


@login_required
def allegation_agency_liaison(request: HttpRequest, allegation_id: int) -> HttpResponse:
    """Appendix 4: log an invitation to a meeting, or an update, sent to the agency's HR manager."""
    return form_page(
        request,
        allegation_id,
        make_form=lambda allegation, data: AgencyLiaisonForm(data, initial={"sent_on": timezone.localdate()}),
        save=lambda user, allegation, form: services.agency_liaison_add(
            actor=user,
            allegation=allegation,
            kind=form.cleaned_data["kind"],
            sent_on=form.cleaned_data["sent_on"],
            about=form.cleaned_data["about"],
            audit_context=AuditContext.from_request(request),
        ),
        template="allegations/agency_liaison_form.html",
        message="Sent to the agency's HR manager: logged.",
        anchor="agency",
    )


@login_required
def allegation_agency_reply(request: HttpRequest, allegation_id: int) -> HttpResponse:
    """Appendix 4: the agency's outcome, factual references, assurances and updated letter of comfort."""

    def make_form(allegation: Allegation, data: Any) -> AgencyReplyForm:
        current = selectors.last_recorded(allegation.agency_replies.all())
        initial: dict[str, Any] = {}
        if current is not None:
            for date_field, notes_field, _ in services.REPLY_PARTS:
                initial[date_field] = getattr(current, date_field)
                initial[notes_field] = getattr(current, notes_field)
        return AgencyReplyForm(data, initial=initial)

    def save(user: User, allegation: Allegation, form: Any) -> object:
        data = form.cleaned_data
        return services.agency_reply_record(
            actor=user,
            allegation=allegation,
            dates={date_field: data[date_field] for date_field, _, _ in services.REPLY_PARTS},
            notes={notes_field: data[notes_field] for _, notes_field, _ in services.REPLY_PARTS},
            audit_context=AuditContext.from_request(request),
        )

    return form_page(
        request,
        allegation_id,
        make_form=make_form,
        save=save,
        template="allegations/agency_reply_form.html",
        message="The agency's reply saved.",
        anchor="agency",
    )
