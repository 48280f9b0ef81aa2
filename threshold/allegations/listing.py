"""What the allegation list and the allegations home panel show of each allegation, a page at a time.

Both once asked each allegation for its due items (``selectors.due_items``: the checklist and the records behind
it, a dozen queries an allegation), so a page's queries grew with its rows (issue 15: "no per-row queries"). They
now read the stored deadlines the services keep (ADR 0024): the list counts each row's overdue clocks in its own
query (``fetch.deadlines_of_listed``), and the home panel reads each row's next open step's day as a subquery of
its list (``open_managed``, ``_concluded``), finding the concluded allegations still to follow up by counting
their open follow-ups. The steps themselves are listed by the work list (``threshold.timescales``).

The same things are due as before: on an open allegation, the checklist's clocks (section 6's steps, the
suspension risk assessment's review, the review of the police investigation's progress, a supply worker's
replacement cover); after the outcome, the follow-ups (the DBS and TRA referrals, the lessons-learned review); and
on both, the sharing of information on the completion of the police's part.
Two follow-ups have no clock, so no stored row: the
outcome still to send to a supply worker's agency (appendix 4) and, for a malicious or false outcome, the
personnel file (section 8). They are read from the outcomes, agency records and personnel file decisions
prefetched for the page (three queries however many rows it has), and shown on the list and the panel, as no
work list has them.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, DateField, IntegerField, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from threshold.access import fetch
from threshold.accounts.models import User
from threshold.allegations import selectors
from threshold.allegations.checklist import STEP_TIMESCALES
from threshold.allegations.duties import OFF_THE_FILE
from threshold.allegations.models import Allegation, AllegationStatus
from threshold.allegations.police_and_suspension import POLICE_REVIEW, POLICE_SHARING, RISK_REVIEW
from threshold.allegations.selectors import DueItem
from threshold.allegations.services.deadlines import (
    FOLLOW_UP_KINDS,
    LESSONS_REVIEW,
    OUTCOME_TOLD,
    REPLACEMENT_COVER,
)
from threshold.core.querysets import last_recorded
from threshold.timescales.models import DeadlineState

# The clocks due on an open allegation, and the follow-ups due once it is concluded.
# Sharing on the police's completion is due on both: a prosecution may end after the outcome.
OPEN_KINDS = (*STEP_TIMESCALES.values(), RISK_REVIEW, POLICE_REVIEW, POLICE_SHARING, REPLACEMENT_COVER)
FOLLOW_UP_CLOCKS = (*FOLLOW_UP_KINDS.values(), LESSONS_REVIEW, OUTCOME_TOLD, POLICE_SHARING)
# Concluded allegations the panel looks through for a follow-up still due: the newest few, as before.
FOLLOW_UP_SCAN = 5
# The sub-records the two follow-ups without a clock are read from.
FOLLOW_UP_RECORDS = ("outcomes", "agency_records", "personnel_file_decisions")


def _due() -> Q:
    """Stored rows due on the lists: an open allegation's clocks, or a concluded one's follow-ups."""
    concluded = Q(allegation__status=AllegationStatus.CONCLUDED)
    return Q(state=DeadlineState.OPEN) & (
        (Q(kind__in=OPEN_KINDS) & ~concluded) | (Q(kind__in=FOLLOW_UP_CLOCKS) & concluded)
    )


def _overdue(today: dt.date, now: dt.datetime) -> Q:
    """A row whose moment (a clock counted in hours) or day has passed."""
    return Q(due_at__isnull=False, due_at__lt=now) | Q(due_at__isnull=True, due_on__lt=today)


def with_overdue(allegations: QuerySet[Allegation]) -> QuerySet[Allegation]:
    """The list with each row's count of overdue stored clocks (``stored_overdue``) and its follow-up records.

    Built on a list the caller read through ``threshold.access`` (``selectors.allegations_listed``).
    """
    today, now = timezone.localdate(), timezone.now()
    overdue = (
        fetch.deadlines_of_listed("allegation")
        .filter(_due(), _overdue(today, now))
        .order_by()
        .values("allegation")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return allegations.annotate(
        stored_overdue=Coalesce(Subquery(overdue, output_field=IntegerField()), 0)
    ).prefetch_related(*FOLLOW_UP_RECORDS)


def overdue_count(allegation: Allegation) -> int:
    """How many things are overdue on a row of ``with_overdue``: its stored clocks and the follow-ups without one."""
    today = timezone.localdate()
    late = [item for item in unclocked(allegation) if item.due < today]
    return int(getattr(allegation, "stored_overdue", 0)) + len(late)


def unclocked(allegation: Allegation) -> list[DueItem]:
    """After the outcome: the outcome to send to the agency and the personnel file, when still to do.

    Neither has a clock, so neither is a stored deadline in anyone's work list: the lists and the home panel show
    them from here.

    As ``selectors.follow_up_items`` and ``selectors.duty_items`` decide them, from the prefetched records.
    """
    if allegation.status != AllegationStatus.CONCLUDED:
        return []
    outcome = last_recorded(allegation.outcomes.all())
    if outcome is None:
        return []
    items = []
    agency = last_recorded(allegation.agency_records.all())
    if agency is not None and agency.outcome_sent_on is None:
        items.append(DueItem(allegation, "Send the outcome to the agency", outcome.concluded_on, "agency"))
    if outcome.outcome in OFF_THE_FILE and not list(allegation.personnel_file_decisions.all()):
        text = "Archive from the personnel file, or record the consent to keep it"
        items.append(DueItem(allegation, text, outcome.concluded_on, "personnel-file"))
    return items


def concluded_with_follow_ups(user: User, limit: int) -> list[Allegation]:
    """Concluded allegations this user may change with a follow-up due (a referral, lessons, the agency, the file…).

    The newest ``limit * FOLLOW_UP_SCAN`` concluded allegations are looked through, each with its stored
    follow-up clocks counted in the same query and its follow-up records prefetched.
    """
    found: list[Allegation] = [row for row in _concluded(user)[: limit * FOLLOW_UP_SCAN] if _following_up(row)]
    return found[:limit]


def _next_due() -> Subquery:
    """The earliest open step's due day of each row (``next_due``): whoever owns it, so a DSL or a trust sees it too."""
    soonest = fetch.deadlines_of_listed("allegation").filter(_due()).order_by("due_on").values("due_on")[:1]
    return Subquery(soonest, output_field=DateField())


@fetch.kept
def open_managed(user: User) -> QuerySet[Allegation]:
    """Open allegations the user may change, newest first, each with its next step's due day (built once a reach).

    The home panel lists them; the work panel above it lists only the steps the reader owns or nobody does, so the
    row says when the allegation's next step is due whoever owns it (the case manager, most often).
    """
    return selectors.open_allegations_managed(user).annotate(next_due=_next_due()).order_by("-created_at", "-pk")


@fetch.kept
def _concluded(user: User) -> QuerySet[Allegation]:
    """The concluded allegations the user may change, newest first, with their follow-ups (built once a reach)."""
    open_clocks = (
        fetch.deadlines_of_listed("allegation")
        .filter(_due())
        .order_by()
        .values("allegation")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        fetch.visible_allegations(user, "change")
        .filter(status=AllegationStatus.CONCLUDED, outcomes__isnull=False)
        .distinct()
        .select_related("subject", "organisation")
        .annotate(open_clocks=Coalesce(Subquery(open_clocks, output_field=IntegerField()), 0), next_due=_next_due())
        .prefetch_related(*FOLLOW_UP_RECORDS)
        .order_by("-created_at", "-pk")
    )


def _following_up(allegation: Allegation) -> bool:
    return bool(getattr(allegation, "open_clocks", 0)) or bool(unclocked(allegation))
