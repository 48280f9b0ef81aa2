"""The reminder pass (``manage.py remind``): deadlines coming and missed, the daily digest, the auto-chase, retries.

Run once a day from cron (the demo runs it every few minutes); running it again for the same date sends
nothing new, because every message has a key made once per person (``deadline:<id>:soon``,
``deadline:<id>:overdue``, ``digest:<date>``).

- **Deadline coming** (``deadline_soon``, in the product; the digest carries it by email): on the working
  day before the deadline is due. One working day is the product's rhythm (the LADO's advice clock is one
  working day) and leaves a full working day to act; a deadline due on a Monday, or after a bank holiday,
  is reminded on the working day before it (the Friday, Christmas Eve), never on a day nobody works. A
  deadline written later than that (or a pass that did not run) is reminded at the next pass before it is
  due.
- **Deadline missed** (``deadline_missed``, in the product and by immediate email): the day after it
  passes, whatever the day. A pass that did not run catches up for a week; older misses are in the digest.
- Who is told: the deadline's owner; for a deadline nobody owns, everyone who may act on its record
  (``threshold.access.fetch.visible_deadlines(user, "change")``), looked for among the members of the
  deadline's organisation and its trust only. Never the record's subject.
- **The daily digest**, on working days, to each person whose preference includes it and who has anything
  overdue, due today or in the next 7 days in their work list
  (``threshold.timescales.selectors.work_list``, so subject exclusion applies): counts, references, what
  is due and when, and a link to sign in. Nobody reads a Saturday digest; Monday's carries the weekend.
- Requests for information are reminded and chased by their own pass
  (``threshold.lado.services.request_chases.requests_chase``), called from here; their deadlines are not
  reminded a second time.
- Rows that move with the calendar (the termly pattern review) are rolled on by ``manage.py deadlines_sync``,
  which cron runs just before this pass.
- Emails still queued or failed from earlier passes are enqueued again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.urls import NoReverseMatch, reverse

from threshold.access.fetch import visible_deadlines
from threshold.accounts.models import Membership, Organisation, User
from threshold.audit.context import AuditContext
from threshold.audit.services import audit_record
from threshold.jinja2 import govuk_date
from threshold.lado.services.request_chases import requests_chase
from threshold.notifications.models import EmailDelivery, NotificationKind
from threshold.notifications.preferences import preferences_for
from threshold.notifications.services import notify_and_email_in_transaction
from threshold.notifications.services.delivery import (
    SUBJECT_PREFIX,
    absolute,
    collecting,
    deliveries_retry,
    email_create_in_transaction,
    email_send_on_commit,
    render_text,
)
from threshold.people.models import Person
from threshold.policy import is_working_day, working_day_before
from threshold.timescales.models import Deadline, DeadlineState
from threshold.timescales.selectors import deadline_url, work_list

# Reminded and chased by requests_chase, at the stages the LADO set.
CHASED_ELSEWHERE = frozenset({"information-request"})
# How far back a pass that did not run catches up on missed deadlines.
CATCH_UP = dt.timedelta(days=7)
# The working day before a due date is never more than this far back (Christmas and a weekend).
LOOK_AHEAD = dt.timedelta(days=12)
DIGEST_WINDOW = dt.timedelta(days=7)
DIGEST_STATUSES = ("overdue", "today", "week")


@dataclass
class _Summary:
    skipped: int = 0
    notifications: int = 0
    digests: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, name: str, number: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + number


def _subject(deadline: Deadline) -> Person | None:
    """The person the deadline's record is about (None for an organisation's own deadline)."""
    for record in (deadline.contact, deadline.case, deadline.allegation, deadline.concern):
        if record is not None:
            return record.subject
    if deadline.meeting is not None:
        return deadline.meeting.case.subject
    return None


def _open_rows(on: dt.date) -> Any:
    return (
        Deadline.objects.filter(state=DeadlineState.OPEN)
        .exclude(kind__in=CHASED_ELSEWHERE)
        .select_related(
            "owner",
            "organisation",
            "contact__subject",
            "case__subject",
            "allegation__subject",
            "concern__subject",
            "meeting__case__subject",
        )
        .order_by("due_on", "pk")
    )


def _organisations_of(deadlines: Iterable[Deadline]) -> set[int]:
    """The deadlines' organisations and the trusts they belong to: where those who may act are members."""
    ids: set[int] = set()
    for deadline in deadlines:
        ids.add(deadline.organisation_id)
        if deadline.organisation.trust_id:
            ids.add(deadline.organisation.trust_id)
    return ids


def _members(organisation_ids: set[int]) -> list[User]:
    if not organisation_ids:
        return []
    member_ids = Membership.objects.filter(
        organisation_id__in=organisation_ids, is_active=True, organisation__is_active=True
    ).values("user_id")
    return list(User.objects.filter(pk__in=member_ids, is_active=True).order_by("pk"))


def _who_acts(deadlines: list[Deadline]) -> dict[int, list[User]]:
    """For each deadline, who is told: its owner, or (nobody owning it) those who may act on its record.

    An owner is told only while they may still see the record: one who has left the organisation, or whose role
    no longer reaches it, still owns its deadlines until someone takes the record on, and those deadlines are told
    to whoever may act on the record instead, as if nobody owned them.
    """
    told: dict[int, list[User]] = {}
    by_owner: defaultdict[int, list[Deadline]] = defaultdict(list)
    owners: dict[int, User] = {}
    for deadline in deadlines:
        if deadline.owner is not None:
            owners[deadline.owner.pk] = deadline.owner
            by_owner[deadline.owner.pk].append(deadline)
    for owner_id, owned in by_owner.items():
        owner = owners[owner_id]
        # One query per owner: bounded by the day's deadlines.
        seen = visible_deadlines(owner, "view").filter(pk__in=[deadline.pk for deadline in owned])
        for deadline_id in seen.values_list("pk", flat=True):
            told[deadline_id] = [owner]
    unowned = [deadline for deadline in deadlines if deadline.pk not in told]
    if unowned:
        ids = [deadline.pk for deadline in unowned]
        for user in _members(_organisations_of(unowned)):
            # One query per member of the organisations concerned: bounded by those organisations.
            for deadline_id in visible_deadlines(user, "change").filter(pk__in=ids).values_list("pk", flat=True):
                told.setdefault(deadline_id, []).append(user)
    return told


def _deadline_notifications(on: dt.date, summary: _Summary) -> None:
    """Tell who acts on each deadline that is due on the next working day, or passed, once per stage."""
    coming = [
        deadline
        for deadline in _open_rows(on).filter(due_on__gte=on, due_on__lte=on + LOOK_AHEAD)
        if working_day_before(deadline.due_on) <= on
    ]
    missed = list(_open_rows(on).filter(due_on__lt=on, due_on__gte=on - CATCH_UP))
    told = _who_acts([*coming, *missed])
    for stage, deadlines in (("soon", coming), ("overdue", missed)):
        for deadline in deadlines:
            recipients = told.get(deadline.pk, [])
            if not recipients:
                continue
            when = govuk_date(deadline.due_on)
            if stage == "soon":
                kind = NotificationKind.DEADLINE_SOON
                text = f"Deadline coming: {deadline.label} on {deadline.reference}, due {when}"
            else:
                kind = NotificationKind.DEADLINE_MISSED
                text = f"Deadline missed: {deadline.label} on {deadline.reference} was due {when}"
            with transaction.atomic(durable=True):
                made, _emails = notify_and_email_in_transaction(
                    recipients=recipients,
                    kind=kind,
                    text=text[:300],
                    key=f"deadline:{deadline.pk}:{stage}",
                    url=deadline_url(deadline),
                    reference=deadline.reference,
                    subject=_subject(deadline),
                )
            summary.notifications += len(made)
            summary.count(kind, len(made))
            summary.skipped += max(len(recipients) - len(made), 0)


def _digest_candidates(on: dt.date) -> list[User]:
    """Everyone who could have something in their digest: owners of what is due, and members where nobody owns it."""
    due = Deadline.objects.filter(state=DeadlineState.OPEN, due_on__lte=on + DIGEST_WINDOW)
    owner_ids = set(due.filter(owner__isnull=False).values_list("owner_id", flat=True))
    organisation_ids = set(due.filter(owner__isnull=True).values_list("organisation_id", flat=True))
    trust_ids = set(
        Organisation.objects.filter(pk__in=organisation_ids, trust__isnull=False).values_list("trust_id", flat=True)
    )
    members = _members(organisation_ids | trust_ids)
    owners = list(User.objects.filter(pk__in=owner_ids, is_active=True))
    return list({user.pk: user for user in [*owners, *members]}.values())


def _work_link() -> str:
    try:
        return absolute(reverse("my_work"))
    except NoReverseMatch:  # pragma: no cover - the work list is part of the product
        return absolute("/work/")


def digest_email(on: dt.date, groups: dict[str, list[Any]]) -> tuple[str, str, int]:
    """The digest's subject line, body and number of items: counts, references, what is due, a link."""
    counts = {status: len(groups[status]) for status in DIGEST_STATUSES}
    parts = []
    if counts["overdue"]:
        parts.append(f"{counts['overdue']} overdue")
    if counts["today"]:
        parts.append(f"{counts['today']} due today")
    if counts["week"]:
        parts.append(f"{counts['week']} due in the next 7 days")
    summary = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    sections = [
        {
            "heading": heading,
            "lines": [
                f"{item.deadline.reference} {item.deadline.label}, due {govuk_date(item.deadline.due_on)}."
                for item in groups[status]
            ],
        }
        for status, heading in (("overdue", "Overdue"), ("today", "Due today"), ("week", "Due in the next 7 days"))
        if groups[status]
    ]
    body = render_text(
        "digest.txt",
        {
            "summary": summary,
            "date": govuk_date(on),
            "sections": sections,
            "link": _work_link(),
            "settings_link": absolute(reverse("notification_settings")),
        },
    )
    subject = f"{SUBJECT_PREFIX}What is due, {govuk_date(on)}"
    return subject, body, sum(counts.values())


def _digests(on: dt.date, summary: _Summary) -> None:
    """Each person's digest for ``on`` (working days only), once."""
    if not is_working_day(on):
        return
    key = f"digest:{on.isoformat()}"
    candidates = _digest_candidates(on)
    wanted = preferences_for(candidates)
    done = set(EmailDelivery.objects.filter(key=key).values_list("recipient_id", flat=True))
    for user in sorted(candidates, key=lambda user: user.pk):
        groups = work_list(user, today=on)
        if not any(groups[status] for status in DIGEST_STATUSES):
            continue
        if not wanted[user.pk].daily_digest or user.pk in done or not user.email:
            summary.skipped += 1
            continue
        subject_line, body, items = digest_email(on, groups)
        with transaction.atomic(durable=True):
            delivery = email_create_in_transaction(
                recipient=user, key=key, subject_line=subject_line, body=body, kinds=["digest"], items=items
            )
            if delivery is None:
                summary.skipped += 1
                continue
            email_send_on_commit([delivery])
        summary.digests += 1


def _chase(on: dt.date, audit_context: AuditContext) -> int:
    """The auto-chase of requests for information (the LADO side's own service)."""
    return len(requests_chase(on=on, audit_context=audit_context))


def remind(*, on: dt.date, audit_context: AuditContext) -> dict[str, Any]:
    """Send everything due for ``on``; the summary ``{"date", "sent": [{"user", "kinds", "items"}], "skipped"}``.

    ``user`` is the recipient's account id, never their address: the summary goes to cron's mail and logs.
    """
    summary = _Summary()
    with collecting() as decided:
        _deadline_notifications(on, summary)
        chased = _chase(on, audit_context)
        _digests(on, summary)
    retried = deliveries_retry()
    sent: dict[int, dict[str, Any]] = {}
    for delivery in decided:
        entry = sent.setdefault(delivery.recipient_id, {"user": delivery.recipient_id, "kinds": [], "items": 0})
        for kind in delivery.kinds:
            if kind not in entry["kinds"]:
                entry["kinds"].append(kind)
        entry["items"] += delivery.items
    with transaction.atomic(durable=True):
        audit_record(
            context=audit_context,
            action="notifications.reminded",
            details={
                "date": on.isoformat(),
                "notifications": summary.notifications,
                "by_kind": summary.counts,
                "emails": len(decided),
                "digests": summary.digests,
                "requests_chased": chased,
                "retried": len(retried),
                "skipped": summary.skipped,
            },
        )
    result: dict[str, Any] = {
        "date": on.isoformat(),
        "sent": [
            {"user": entry["user"], "kinds": sorted(entry["kinds"]), "items": entry["items"]}
            for entry in sorted(sent.values(), key=lambda entry: entry["user"])
        ],
        "skipped": summary.skipped,
    }
    return result
