"""Writing what ``bench.synthetic.lado`` planned: the cases and decisions, and the contacts' audit trail.

As the services record them: ``contact.recorded`` (or ``contact.received`` and the manager's
``contact.allocated`` for an employer's referral), the advice, ``case.opened`` with its chronology line, and
``contact.decided``.
"""

from __future__ import annotations

import datetime as dt

from bench.synthetic.insert import insert_objects
from bench.synthetic.lado import Decided
from bench.synthetic.organisations import Authority
from bench.synthetic.trail import Trail
from threshold.lado.models import Case, ContactStatus, Decision, Level
from threshold.lado.services.decision_dataset import dataset_from_decision


def write_decisions(trail: Trail, authority: Authority, rows: list[Decided]) -> tuple[int, int]:
    """Insert the cases (planned by now) and the decisions naming them; record the contacts' events."""
    cases = [row.case for row in rows if row.case is not None]
    insert_objects(Case, cases)
    decisions = []
    for row in rows:
        if row.decision is not None:
            row.decision.case = row.case
            decisions.append(row.decision)
    insert_objects(Decision, decisions)
    for row in rows:
        if row.managed is not None:
            trail.record(
                at=trail_later(row),
                user_id=authority.manager.pk,
                organisation_id=authority.organisation.pk,
                action="contact.allocated",
                record_type="contact",
                record_id=row.contact.pk,
                changes={"allocated_to": (None, row.decider.pk)},
            )
        _contact_events(trail, row)
    return len(cases), len(decisions)


def trail_later(row: Decided) -> dt.datetime:
    """When the manager allocated a referral: soon after it arrived, before it was decided."""
    arrived = row.contact.received_at
    decided = row.decided_at or arrived + dt.timedelta(hours=1)
    return arrived + (decided - arrived) / 2


def _contact_events(trail: Trail, row: Decided) -> None:
    """``contact.recorded`` or ``contact.received``, the advice, the decision and ``case.opened``."""
    contact = row.contact
    la_id = contact.local_authority_id
    if row.managed is not None:
        referral = row.managed.referral
        trail.record(
            at=contact.received_at,
            user_id=contact.recorded_by_id,
            organisation_id=la_id,
            action="contact.received",
            record_type="contact",
            record_id=contact.pk,
            details={"referral": referral.pk, "allegation": contact.allegation_id, "complete": True},
        )
    else:
        trail.record(
            at=contact.received_at + dt.timedelta(minutes=2),
            user_id=contact.recorded_by_id,
            organisation_id=la_id,
            action="contact.recorded",
            record_type="contact",
            record_id=contact.pk,
            details={"method": contact.method, "source": contact.source},
        )
    if row.decision is None or row.decided_at is None:
        return
    if contact.advice_given_at is not None:
        trail.record(
            at=contact.advice_given_at,
            user_id=row.decider.pk,
            organisation_id=la_id,
            action="contact.advice_recorded",
            record_type="contact",
            record_id=contact.pk,
            changes={
                "advice": ("", contact.advice),
                "advice_given_at": (None, contact.advice_given_at.isoformat()),
                "status": (ContactStatus.NEW, ContactStatus.ADVISED),
            },
        )
    case = row.case
    if case is not None:
        tier = "Tier 1" if case.tier == Level.TIER_1 else "Tier 2"
        trail.case_event(
            case,
            user_id=row.decider.pk,
            at=row.decided_at,
            action="case.opened",
            text=f"{tier} case opened from contact {contact.reference}; allocated to {row.decider.full_name}.",
            details={
                "contact": contact.pk,
                "tier": case.tier,
                "referral": contact.referral_id,
                "from_decision": sorted(dataset_from_decision(row.decision.facts, contact)),
                "managed_by": case.managed_by,
            },
        )
    previous = ContactStatus.ADVISED if contact.advice_given_at is not None else ContactStatus.NEW
    trail.record(
        at=row.decided_at,
        user_id=row.decider.pk,
        organisation_id=la_id,
        action="contact.decided",
        record_type="contact",
        record_id=contact.pk,
        changes={"status": (previous, ContactStatus.DECIDED)},
        details={
            "decision": row.decision.pk,
            "level": row.level,
            "advised_level": row.decision.advised_level,
            "overridden": False,
            "case": case.pk if case else None,
            "pack": row.decision.pack,
            "pack_version": row.decision.pack_version,
        },
    )
