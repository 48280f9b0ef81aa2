"""Sharing a meeting or a case with named police and children's social care users, and their updates.

The protocol expects both agencies at the table: police "would be expected to
contribute to the meeting chaired by the LADO", and "information recorded by
police may be used to inform future Disclosure and Barring Service
disclosures". A partner sees nothing by default (access rule 1): the LADO
shares one meeting (the partner then sees it and the case summary) or the whole
case with a named person holding an active police liaison membership, or a
children's social care manager membership in the case's local authority area.
A closed case is no longer shared further and takes no more updates. Stopping
sharing sets ``ended_at``; the share row is kept, so who could see what, and
when, stays answerable.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from threshold.access import fetch
from threshold.access.scope import PARTNER_ROLES
from threshold.accounts.models import Membership, User
from threshold.audit.context import AuditContext
from threshold.lado.models import Case, CaseShare, Meeting, MeetingShare, MeetingUpdate
from threshold.lado.selectors import partner_candidates
from threshold.lado.services.case_rules import held_case, require_not_closed
from threshold.lado.services.common import record_case_event, require_case
from threshold.lado.services.common import text as clean_text
from threshold.lado.services.meetings import meeting_label
from threshold.notifications.models import NotificationKind
from threshold.notifications.services import notify_in_transaction

UPDATE_LENGTH = 10000
CLOSED_SHARING = "it and its meetings can no longer be shared (you can still stop sharing)"


def partner_agency(user: User) -> str:
    """The partner organisation a user acts for (the first by name, if they hold several)."""
    membership = (
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True, role__in=PARTNER_ROLES)
        .select_related("organisation")
        .order_by("organisation__name")
        .first()
    )
    return membership.organisation.name if membership else ""


def _require_partner(case: Case, user: User) -> str:
    """The partner's agency, or ``ValidationError`` beside the user field when they may not be shared with."""
    partner = partner_candidates(case).filter(pk=user.pk).first()
    if partner is None:
        raise ValidationError(
            {
                "user": "Choose someone from the police, or from children's social care in the case's area,"
                " with an active account"
            }
        )
    return str(getattr(partner, "agency_name", "") or "")


def meeting_share(
    *, actor: User, meeting: Meeting, user: User, audit_context: AuditContext | None = None
) -> MeetingShare:
    """Share a meeting with a named partner: they see it and the case summary, and may add their update."""
    case = meeting.case
    require_case(actor, case, "change")
    require_not_closed(case, CLOSED_SHARING)
    agency = _require_partner(case, user)
    with transaction.atomic(durable=True):
        case = held_case(case, open_for=CLOSED_SHARING)
        if meeting.shares.filter(user=user, ended_at__isnull=True).exists():
            raise ValidationError({"user": f"The meeting is already shared with {user.full_name}"})
        share = MeetingShare.objects.create(meeting=meeting, user=user, shared_by=actor)
        record_case_event(
            actor=actor,
            case=case,
            action="meeting.shared",
            text=f"{meeting_label(meeting)} shared with {user.full_name} ({agency}).",
            audit_context=audit_context,
            row=share.pk,
            details={"meeting": meeting.pk, "user": user.pk},
        )
        notify_in_transaction(
            recipients=[user],
            kind=NotificationKind.MEETING_SHARED,
            text=f"Meeting shared with you: {meeting_label(meeting)}, case {case.reference}",
            key=f"meeting_shared:share:{share.pk}",
            url=reverse("meeting_detail", args=[meeting.pk]),
            reference=case.reference,
            subject=case.subject,
        )
    return share


def meeting_unshare(
    *, actor: User, meeting: Meeting, user: User, audit_context: AuditContext | None = None
) -> MeetingShare:
    """Stop sharing a meeting with a partner: they lose it (and the summary) at once; the share row is kept.

    Allowed on a closed case too: it only takes access away.
    """
    case = meeting.case
    require_case(actor, case, "change")
    with transaction.atomic(durable=True):
        held_case(case)  # a share being made at this moment ends too, not after
        share = meeting.shares.filter(user=user, ended_at__isnull=True).first()
        if share is None:
            raise ValidationError({"user": "The meeting is not shared with this person"})
        # Every live share with them ends (there is one; a share made before shares were held made a second).
        meeting.shares.filter(user=user, ended_at__isnull=True).update(ended_at=timezone.now())
        share.refresh_from_db(fields=["ended_at"])
        record_case_event(
            actor=actor,
            case=case,
            action="meeting.unshared",
            text=f"{meeting_label(meeting)} no longer shared with {user.full_name}.",
            audit_context=audit_context,
            row=share.pk,
            details={"meeting": meeting.pk, "user": user.pk},
        )
    return share


def case_share(*, actor: User, case: Case, user: User, audit_context: AuditContext | None = None) -> CaseShare:
    """Share a whole case with a named partner: they see the case and all its meetings while it is shared."""
    require_case(actor, case, "change")
    require_not_closed(case, CLOSED_SHARING)
    agency = _require_partner(case, user)
    with transaction.atomic(durable=True):
        case = held_case(case, open_for=CLOSED_SHARING)
        if case.shares.filter(user=user, ended_at__isnull=True).exists():
            raise ValidationError({"user": f"The case is already shared with {user.full_name}"})
        share = CaseShare.objects.create(case=case, user=user, shared_by=actor)
        record_case_event(
            actor=actor,
            case=case,
            action="case.shared",
            text=f"Case shared with {user.full_name} ({agency}).",
            audit_context=audit_context,
            row=share.pk,
            details={"user": user.pk},
        )
        notify_in_transaction(
            recipients=[user],
            kind=NotificationKind.MEETING_SHARED,
            text=f"Case shared with you: {case.reference}",
            key=f"case_shared:share:{share.pk}",
            url=reverse("case_detail", args=[case.pk]),
            reference=case.reference,
            subject=case.subject,
        )
    return share


def case_unshare(*, actor: User, case: Case, user: User, audit_context: AuditContext | None = None) -> CaseShare:
    """Stop sharing a case with a partner; the share row is kept with the time it ended.

    Allowed on a closed case too: it only takes access away.
    """
    require_case(actor, case, "change")
    with transaction.atomic(durable=True):
        held_case(case)  # a share being made at this moment ends too, not after
        share = case.shares.filter(user=user, ended_at__isnull=True).first()
        if share is None:
            raise ValidationError({"user": "The case is not shared with this person"})
        # Every live share with them ends (there is one; a share made before shares were held made a second).
        case.shares.filter(user=user, ended_at__isnull=True).update(ended_at=timezone.now())
        share.refresh_from_db(fields=["ended_at"])
        record_case_event(
            actor=actor,
            case=case,
            action="case.unshared",
            text=f"Case no longer shared with {user.full_name}.",
            audit_context=audit_context,
            row=share.pk,
            details={"user": user.pk},
        )
    return share


def meeting_add_update(
    *, actor: User, meeting: Meeting, text: str, audit_context: AuditContext | None = None
) -> MeetingUpdate:
    """Add an agency's update to a meeting: a partner it is shared with, or the LADO service.

    The agency is the partner's organisation (for the LADO service, its local
    authority). Updates are never edited: a later one supersedes.
    """
    if not fetch.visible_meetings(actor, "add_update").filter(pk=meeting.pk).exists():
        raise PermissionDenied("You cannot add an update to this meeting.")
    require_not_closed(meeting.case, "updates can no longer be added to its meetings")
    body = clean_text(text)
    if not body:
        raise ValidationError({"text": "Enter your agency's update"})
    if len(body) > UPDATE_LENGTH:
        raise ValidationError({"text": f"The update must be {UPDATE_LENGTH:,} characters or fewer"})
    case = meeting.case
    agency = partner_agency(actor) or case.local_authority.name
    with transaction.atomic(durable=True):
        update = MeetingUpdate.objects.create(meeting=meeting, agency=agency, text=body, recorded_by=actor)
        record_case_event(
            actor=actor,
            case=case,
            action="meeting.update_added",
            text=f"{meeting_label(meeting)}: update from {agency} added by {actor.full_name}.",
            audit_context=audit_context,
            row=update.pk,
            details={"meeting": meeting.pk, "agency": agency},
        )
        if case.lado is not None and case.lado != actor and partner_agency(actor):
            notify_in_transaction(
                recipients=[case.lado],
                kind=NotificationKind.PARTNER_UPDATE,
                text=f"Update from a partner on {case.reference}: {meeting_label(meeting)}",
                key=f"partner_update:update:{update.pk}",
                url=reverse("meeting_detail", args=[meeting.pk]),
                reference=case.reference,
                subject=case.subject,
                about=case,  # the case's LADO may have left the service since
            )
    return update


def shared_meeting_users(meeting: Meeting) -> QuerySet[MeetingShare]:
    """The meeting's current shares, for the meeting page's "Stop sharing" list."""
    return meeting.shares.filter(ended_at__isnull=True).select_related("user", "shared_by").order_by("shared_at")


def shared_case_users(case: Case) -> QuerySet[CaseShare]:
    """The case's current shares, for the case page's sharing controls."""
    return case.shares.filter(ended_at__isnull=True).select_related("user", "shared_by").order_by("shared_at")
