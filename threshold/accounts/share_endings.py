"""What was shared with someone ends when the role it was shared with them in does (ADR 0016's partners, 13.3's HR).

Called by the account services that end or change a membership or an account, inside their transaction, with
their audit context: each share ended is its record's own audit event, on the record's organisation, as a
LADO's or a DSL's ending of a share is.
"""

# access-lint: allow-module a part of the account services: it ends shares and audits each one, showing nothing.

from __future__ import annotations

from typing import Any

from django.utils import timezone

from threshold.accounts.models import Membership, Organisation, User
from threshold.accounts.roles import Role
from threshold.audit.context import AuditContext
from threshold.audit.services import audit_record


def end_partner_shares(*, user: User, context: AuditContext) -> int:
    """End every case and meeting shared with someone whose partner role has ended or changed.

    Shares name a person, given in a role at an agency: a police liaison who leaves the force, or a social care
    manager who moves to another area's, must not keep what was shared with them there, even while they hold a
    partner role elsewhere (the access rule asks only "a partner at all, with an open share?"). A share does not
    say through which membership it was given, so all of them end; the LADO shares again what is still theirs to
    see. Nor do they return when the role or the account does. Each share ended is its case's own event, on the
    case's organisation, as a LADO's unsharing is (``case.unshared``, ``meeting.unshared``).
    """
    from threshold.lado.models import CaseShare, MeetingShare

    now = timezone.now()
    cases = list(CaseShare.objects.filter(user=user, ended_at__isnull=True).select_related("case"))
    meetings = list(MeetingShare.objects.filter(user=user, ended_at__isnull=True).select_related("meeting__case"))
    CaseShare.objects.filter(pk__in=[share.pk for share in cases]).update(ended_at=now)
    MeetingShare.objects.filter(pk__in=[share.pk for share in meetings]).update(ended_at=now)
    for share in cases:
        _share_ended(context, "case.unshared", share.case, {"user": user.pk, "row": share.pk})
    for meeting_share in meetings:
        meeting = meeting_share.meeting
        _share_ended(
            context, "meeting.unshared", meeting.case, {"meeting": meeting.pk, "user": user.pk, "row": meeting_share.pk}
        )
    return len(cases) + len(meetings)


def _share_ended(context: AuditContext, action: str, case: Any, details: dict[str, object]) -> None:
    audit_record(
        context=context,
        action=action,
        record_type="case",
        record_id=case.pk,
        organisation=case.local_authority,
        details={**details, "reason": "partner_role_ended"},
    )


def end_hr_shares_no_longer_partnered(*, user: User, context: AuditContext) -> int:
    """End the low-level concerns shared for advice with someone no longer HR business partner of their setting.

    A share names a person in their HR role (section 13.3): one who leaves the trust, or moves to another
    role, must not have it back if they are made HR business partner there again later. Each share ended is its
    concern's own event, on the concern's organisation.
    """
    from threshold.concerns.models import ConcernHrShare

    partnered = set(
        Membership.objects.filter(user=user, is_active=True, role=Role.HR_BUSINESS_PARTNER).values_list(
            "organisation_id", flat=True
        )
    )
    # A trust's HR business partner partners its schools too.
    partnered |= set(Organisation.objects.filter(trust_id__in=partnered).values_list("pk", flat=True))
    ending = list(
        ConcernHrShare.objects.filter(user=user, ended_at__isnull=True)
        .exclude(concern__organisation_id__in=partnered)
        .select_related("concern")
    )
    ConcernHrShare.objects.filter(pk__in=[share.pk for share in ending]).update(ended_at=timezone.now())
    for share in ending:
        audit_record(
            context=context,
            action="concern.hr_share_ended",
            record_type="concern",
            record_id=share.concern_id,
            organisation=share.concern.organisation,
            details={"user": user.pk, "row": share.pk, "reason": "hr_role_ended"},
        )
    return len(ending)
