"""The allegation figures of an employer's dashboard, counted in the database over what the reader may see.

Every figure starts from ``visible_allegations(reader)`` or ``visible_deadlines(reader)`` (subject exclusion
inside) narrowed to the dashboard's organisations. Each says by which date it counts:

- **came to attention**: the day the allegation came to the employer's attention (``came_to_attention_on``, or
  the day it was opened when that was not recorded), the day the pack's clocks start;
- **concluded**: the day of the outcome that stands (the latest recorded; an outcome recorded again supersedes);
- **today**: what is open, and which steps are overdue, now, whatever the period.

"Informing the LADO" is the first of: the first referral reaching the LADO's inbox (its day in Europe/London),
and the case manager's record of step 2 ("Discuss the allegation with the LADO"). Working days are England and
Wales working days (``threshold.policy.calendar``). That figure reads two dates for each allegation that came to
attention in the period: the bank-holiday calendar is not in the database, so working days are counted here.
"""

from __future__ import annotations

import datetime as dt
import statistics

from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import Coalesce, Least, TruncDate

from threshold.access.fetch import visible_allegations, visible_deadlines
from threshold.accounts.models import User
from threshold.allegations.models import Allegation, AllegationStatus, Step
from threshold.core.vocabularies import Outcome
from threshold.policy.calendar import add_working_days, is_working_day
from threshold.reports.employer.readers import Dashboard
from threshold.reports.periods import Period, utc_bounds
from threshold.reports.tables import Row, Table, counts_table
from threshold.reports.terms import days_of
from threshold.timescales.models import DeadlineState

OPEN_LABELS = {
    AllegationStatus.OPEN: "Open, not yet referred to the LADO",
    AllegationStatus.REFERRED: "Open, referred to the LADO",
}


def _words(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _attention(period: Period) -> str:
    return f"Counted by the date each allegation came to the employer's attention, {days_of(period.start, period.end)}."


def dashboard_allegations(*, user: User, dashboard: Dashboard) -> QuerySet[Allegation]:
    """The allegations at the dashboard's organisations that the reader may see."""
    return (
        visible_allegations(user, "view")
        .filter(organisation_id__in=dashboard.organisation_ids)
        # No ordering: a DISTINCT query selects (and so groups by) its ordering columns, splitting every count.
        .order_by()
    )


def in_period(allegations: QuerySet[Allegation], period: Period) -> QuerySet[Allegation]:
    """Those of ``allegations`` that came to the employer's attention in the period (its London day if unrecorded)."""
    first, after = utc_bounds(period)
    return allegations.filter(
        Q(came_to_attention_on__gte=period.start, came_to_attention_on__lte=period.end)
        | Q(came_to_attention_on__isnull=True, created_at__gte=first, created_at__lt=after)
    )


def allegations_by_school(allegations: QuerySet[Allegation], period: Period, dashboard: Dashboard) -> Table:
    """The allegations that came to attention in the period at each school, and those open there today."""
    came = dict(in_period(allegations, period).values_list("organisation_id").annotate(n=Count("pk", distinct=True)))
    still_open = dict(
        allegations.exclude(status=AllegationStatus.CONCLUDED)
        .values_list("organisation_id")
        .annotate(n=Count("pk", distinct=True))
    )
    places = [(school.pk, school.name) for school in dashboard.schools]
    if came.get(dashboard.organisation.pk) or still_open.get(dashboard.organisation.pk):
        places.append((dashboard.organisation.pk, f"{dashboard.organisation.name} (the trust)"))
    return Table(
        key="allegations_by_school",
        title="Allegations, by school",
        counted_by=_attention(period) + " Open now: as of today, whenever they came to attention.",
        columns=("School", "Came to attention in the period", "Open now"),
        rows=tuple(
            Row(label=name, values=(came.get(pk, 0), still_open.get(pk, 0)), key=str(pk)) for pk, name in places
        ),
    )


def allegations_open(allegations: QuerySet[Allegation], today: dt.date) -> Table:
    """The allegations open today, whether or not they have been referred to the LADO yet."""
    counts = dict(
        allegations.exclude(status=AllegationStatus.CONCLUDED)
        .values_list("status")
        .annotate(n=Count("pk", distinct=True))
    )
    rows = [(str(status), label, counts.get(status, 0)) for status, label in OPEN_LABELS.items()]
    total = sum(count for _, _, count in rows)
    return counts_table(
        key="allegations_open",
        title="Allegations open now",
        counted_by=f"Counted as of {_words(today)}, whenever they came to attention.",
        label_heading="Where it stands",
        value_heading="Allegations",
        counts=rows,
        summary=f"{total} {'allegation is' if total == 1 else 'allegations are'} open.",
    )


def overdue_steps(*, user: User, dashboard: Dashboard, today: dt.date) -> Table:
    """The case manager's steps overdue today on allegations, by step: the stored deadlines (ADR 0024)."""
    grouped = (
        visible_deadlines(user, "view")
        .filter(
            allegation__isnull=False,
            organisation_id__in=dashboard.organisation_ids,
            state=DeadlineState.OPEN,
            due_on__lt=today,
        )
        .values_list("kind")
        .annotate(label=Min("label"), n=Count("allegation_id", distinct=True))
        .order_by("label", "kind")
    )
    rows = [(kind, label, n) for kind, label, n in grouped]
    return counts_table(
        key="overdue_steps",
        title="Allegations with a step overdue, by step",
        counted_by=f"Counted as of {_words(today)}: steps open past their due date.",
        label_heading="Step overdue",
        value_heading="Allegations",
        counts=rows,
        summary="Nothing is overdue." if not rows else "",
    )


def allegations_by_outcome(allegations: QuerySet[Allegation], period: Period) -> Table:
    """Allegations concluded in the period, by the outcome that stands (section 6.3's five outcomes)."""
    # The outcome that stands is the latest recorded: outcomes are written once, in order (ADR 0009), so the
    # highest id of each allegation's outcomes. One query with that as a subquery.
    standing = allegations.annotate(latest=Max("outcomes__pk")).values("latest")
    counts = dict(
        allegations.filter(
            outcomes__pk__in=standing,
            outcomes__concluded_on__gte=period.start,
            outcomes__concluded_on__lte=period.end,
        )
        .values_list("outcomes__outcome")
        .annotate(n=Count("pk", distinct=True))
    )
    rows = [(str(value), str(label), counts.get(value, 0)) for value, label in Outcome.choices]
    return counts_table(
        key="allegations_by_outcome",
        title="Allegations concluded, by outcome",
        counted_by=f"Counted by the date of the outcome, {days_of(period.start, period.end)}.",
        label_heading="Outcome",
        value_heading="Allegations",
        counts=rows,
    )


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days after ``start`` ``end`` is: 0 on the same day, 1 on the next working day."""
    if end <= start:
        return 0
    days = (end - start).days
    return sum(1 for offset in range(1, days + 1) if is_working_day(start + dt.timedelta(days=offset)))


def lado_timeliness(allegations: QuerySet[Allegation], period: Period) -> Table:
    """How soon the LADO was told: KCSIE asks employers to inform the LADO within one working day."""
    step_two = Min("step_records__done_on", filter=Q(step_records__step=Step.DISCUSS_WITH_LADO))
    referred = Min(TruncDate("referrals__recorded_at"))
    # The id too: the list is DISTINCT, and two allegations with the same two dates are two allegations.
    dated = (
        in_period(allegations, period)
        .annotate(step_two=step_two, referred=referred)
        .annotate(
            came=Coalesce("came_to_attention_on", TruncDate("created_at")),
            informed=Least(Coalesce("step_two", "referred"), Coalesce("referred", "step_two")),
        )
        .values_list("pk", "came", "informed")
    )
    pairs = [(came, told) for _pk, came, told in dated]
    informed = [(came, told) for came, told in pairs if told is not None]
    within_one = sum(1 for came, told in informed if told <= add_working_days(came, 1))
    days = [working_days_between(came, told) for came, told in informed]
    rows = (
        Row(label="Allegations that came to attention", values=(len(pairs),), key="came_to_attention"),
        Row(label="LADO informed", values=(len(informed),), key="informed"),
        Row(label="LADO not yet informed", values=(len(pairs) - len(informed),), key="not_informed"),
        Row(label="Informed within one working day", values=(within_one,), key="within_one_working_day"),
        Row(
            label="Informed within one working day, per cent of those informed",
            values=(round(100 * within_one / len(informed), 1) if informed else None,),
            key="within_one_working_day_percent",
        ),
        Row(
            label="Median working days from attention to informing the LADO",
            values=(statistics.median(days) if days else None,),
            key="median_working_days",
        ),
    )
    return Table(
        key="lado_timeliness",
        title="Time from coming to attention to informing the LADO",
        counted_by=_attention(period)
        + " Informed: the first referral to the LADO, or the record of discussing it with the LADO if earlier.",
        columns=("Measure", "Value"),
        rows=rows,
        chart="none",
        summary="Allegations should be reported to the LADO within one working day.",
    )


def allegation_tables(*, user: User, dashboard: Dashboard, period: Period, today: dt.date) -> list[Table]:
    """The dashboard's allegation figures, in the order the page shows them."""
    allegations = dashboard_allegations(user=user, dashboard=dashboard)
    tables = [allegations_open(allegations, today)]
    if dashboard.kind == "trust":
        tables.append(allegations_by_school(allegations, period, dashboard))
    tables += [
        overdue_steps(user=user, dashboard=dashboard, today=today),
        allegations_by_outcome(allegations, period),
        lado_timeliness(allegations, period),
    ]
    return tables
