"""Sharing a low-level concern with an HR business partner for advice, and the partner's advice (section 13.3).

"Where a breach may have occurred, the Headteacher or nominated member of SLT should seek further advice
from HR on possible next steps"; "The headteacher should always seek advice from their HR business
partner." HR business partners reach no concern of their own accord (``threshold.access.scope``): the head
or another handler shares one concern with one named partner of the setting or its trust, who may then
read it and add advice (``threshold.access.policies.concern_condition``, actions ``view`` and ``advise``).
Notifications say what happened and the reference, never a name.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from threshold.access import fetch
from threshold.accounts.models import User
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.chronology.services import chronology_record_event
from threshold.concerns import recipients
from threshold.concerns.models import Concern, ConcernHrShare, ConcernStatus
from threshold.core.locking import hold
from threshold.notifications.models import NotificationKind
from threshold.notifications.services import notify_in_transaction


def concern_share_with_hr(
    *,
    actor: User,
    concern: Concern,
    partner: User | None,
    question: str,
    audit_context: AuditContext | None = None,
) -> ConcernHrShare:
    """Share the concern (fetched with "change") with one HR business partner of its setting or trust."""
    question = question.strip()
    errors: dict[str, str] = {}
    if partner is None or partner not in recipients.hr_partners_for(concern):
        errors["partner"] = "Choose the HR business partner to ask for advice"
    elif concern.hr_shares.filter(user=partner, ended_at__isnull=True).exists():
        errors["partner"] = "This concern is already shared with that HR business partner"
    if not question:
        errors["question"] = "Enter what you would like advice on"
    if concern.status == ConcernStatus.CLOSED:
        errors["__all__"] = "A closed concern cannot be shared for advice"
    if errors:
        raise ValidationError(errors)
    assert partner is not None
    with transaction.atomic(durable=True):
        # The head and a DSL asking Henry at once: the second waits for the first, then finds its share.
        hold(concern)
        if concern.hr_shares.filter(user=partner, ended_at__isnull=True).exists():
            raise ValidationError({"partner": "This concern is already shared with that HR business partner"})
        # A share that ended when the partner stopped partnering the setting is shared afresh, not revived as it was.
        share = ConcernHrShare.objects.filter(concern=concern, user=partner).first() or ConcernHrShare(
            concern=concern, user=partner
        )
        share.question, share.shared_by, share.shared_at, share.ended_at = question, actor, timezone.now(), None
        share.save()
        audit_record(
            context=context_for(actor, audit_context),
            action="concern.shared_with_hr",
            record_type="concern",
            record_id=concern.pk,
            organisation=concern.organisation,
            details={"hr_share": share.pk, "partner": partner.pk},
        )
        chronology_record_event(
            record=concern,
            text=f"Shared with {partner.full_name} (HR business partner) for advice: {question}",
            actor=actor,
        )
        notify_in_transaction(
            recipients=[partner],
            kind=NotificationKind.HR_ADVICE,
            text=f"A concern has been shared with you for HR advice: concern {concern.reference}.",
            key=f"hr:advice-asked:concern:{concern.pk}",
            url=reverse("concern_detail", args=[concern.pk]),
            reference=concern.reference,
            subject=concern.subject,
        )
    return share


def concern_hr_advise(
    *, actor: User, concern: Concern, advice: str, audit_context: AuditContext | None = None
) -> Concern:
    """The HR business partner's advice on a concern shared with them (fetched with "advise").

    Kept in the concern's chronology, and whoever shared it (and still reads it) is told there is advice to read.
    """
    advice = advice.strip()
    if not advice:
        raise ValidationError({"advice": "Enter your advice"})
    with transaction.atomic(durable=True):
        audit_record(
            context=context_for(actor, audit_context),
            action="concern.hr_advised",
            record_type="concern",
            record_id=concern.pk,
            organisation=concern.organisation,
        )
        entry = chronology_record_event(
            record=concern, text=f"Advice from {actor.full_name} (HR business partner): {advice}", actor=actor
        )
        sharers = [share.shared_by for share in concern.hr_shares.filter(user=actor).select_related("shared_by")]
        # Only a sharer who still reads the concern: one re-routed past them since is kept from them (13.3).
        readers = [user for user in sharers if user.pk != actor.pk and fetch.can(user, "view", concern)]
        notify_in_transaction(
            recipients=readers,
            kind=NotificationKind.HR_ADVICE,
            text=f"An HR business partner has added advice: concern {concern.reference}.",
            key=f"hr:advice-given:concern:{concern.pk}:{entry.pk}",
            url=reverse("concern_detail", args=[concern.pk]),
            reference=concern.reference,
            subject=concern.subject,
        )
    return concern
