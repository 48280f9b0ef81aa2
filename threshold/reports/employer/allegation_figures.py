"""The allegation figures of an employer's dashboard, counted in the database over what the reader may see.

Every figure starts from ``visible_allegations(reader)`` or ``visible_deadlines(reader)`` (subject exclusion
inside) narrowed to the dashboard's organisations. Each says by which date it counts:

- **came to attention**: the day the allegation came to the employer's attention (``came_to_attention_on``, or
  the day it was opened when that was not recorded), the day the pack's clocks start;
- **concluded**: the day of the outcome that stands (the latest recorded; an outcome recorded again supersedes);
- **today**: what is open, and which steps are overdue, now, whatever the period.

"Informing the LADO" is the first of: the first referral reaching the LADO's inbox (its day in Europe/London),
and the case manager's record of step 2 ("Discuss the allegation with the LADO"). Whether that was in time is
counted in the database, as the LADO report counts the same duty (``lado_report.contacts``):

- where the allegation has its stored deadline for informing the LADO (ADR 0024: the ``inform-lado`` row that
  ``allegation_deadlines_sync`` writes for step 2, due the pack's working days after it came to attention),
  in time means informed on or before that row's due date. The row is the allegation's own clock, worked out
  in Python by the calculator its page and work lists use (bank holidays included) under the pack it was
  counted with, so this figure and the overdue steps beside it never disagree about the same allegation;
- otherwise (an allegation recorded before deadlines were stored, and not changed since), in time means
  within the ``inform-lado`` timescale of the organisation's pack (``within_working_days``, exact across bank
  holidays for the days of the period).

The median is of calendar days from coming to attention to informing the LADO (the row says so), read from
the database in order, the middle one or two rows (``threshold.reports.medians``), as the LADO report's median
days to conclusion is. Not working days: the day the LADO was informed is itself worked out per allegation (the
first of two records, one of them a time turned into its London day), and a working-day count in SQL names that
date a dozen times over (a day number, then each bank holiday in the range); on SQLite each naming calls a
Python function for every record: 4 to 10 seconds for 5,000 allegations, where calendar days take about one.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Max, Min, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, Least

from threshold.access.fetch import deadlines_of_listed, visible_allegations, visible_deadlines
from threshold.accounts.models import User
from threshold.allegations.models import Allegation, AllegationStatus, Step
from threshold.core.vocabularies import Outcome
from threshold.lado.services.employer_timeliness import INFORM_LADO
from threshold.policy import get_pack
from threshold.reports.employer.readers import Dashboard
from threshold.reports.lado_report.counting import Tally, pack_timescale, percent
from threshold.reports.lado_report.dates import days_between, iso_weekday, london_day, within_working_days
from threshold.reports.medians import median_of
from threshold.reports.periods import Period, utc_bounds
from threshold.reports.tables import Row, Table, counts_table
from threshold.reports.terms import days_of
from threshold.timescales.models import DeadlineState
from threshold.timescales.selectors import steps_only

# KCSIE Part 4's "within one working day": the timescale counted should neither the organisation's pack nor the
# national pack set ``inform-lado`` (every shipped pack sets it; one written later need not).
INFORM_LADO_FALLBACK_WORKING_DAYS = 1

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
    """The case manager's steps overdue today on allegations, by step: the stored deadlines (ADR 0024).

    Policy 6.4's resolution targets are kept as deadlines too, but are not steps: they are left out.
    """
    grouped = (
        steps_only(visible_deadlines(user, "view"))
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


def inform_lado_days(dashboard: Dashboard, today: dt.date) -> dict[int, list[int]]:
    """The working days each organisation's pack gives to inform the LADO: {working days: [organisation ids]}.

    The organisation's ``policy_pack`` as in force today, as the allegation's own clocks read it
    (``allegations.checklist.pack_for``); the national pack, then ``INFORM_LADO_FALLBACK_WORKING_DAYS``, where
    it sets no ``inform-lado`` timescale (``lado_report.counting.pack_timescale``, the LADO report's lookup).
    """
    days: dict[int, list[int]] = {}
    for organisation in sorted({dashboard.organisation, *dashboard.schools}, key=lambda each: each.pk):
        pack = get_pack(organisation.policy_pack, on=today)
        count = pack_timescale(pack, INFORM_LADO, INFORM_LADO_FALLBACK_WORKING_DAYS)
        days.setdefault(count, []).append(organisation.pk)
    return days


def _working_days_words(days: dict[int, list[int]]) -> str:
    """The timescale as the table says it: "one working day", "2 working days", or each policy's."""
    if len(days) != 1:
        return "the timescale of each setting's policy"
    (count,) = days
    return "one working day" if count == 1 else f"{count} working days"


def _dated(allegations: QuerySet[Allegation], period: Period) -> QuerySet[Allegation]:
    """The allegations that came to attention in the period, each with the day it came and the day the LADO knew."""
    step_two = Min("step_records__done_on", filter=Q(step_records__step=Step.DISCUSS_WITH_LADO))
    referred = Min(london_day("referrals__recorded_at"))
    return (
        in_period(allegations, period)
        .annotate(step_two=step_two, referred=referred)
        .annotate(
            came=Coalesce("came_to_attention_on", london_day("created_at")),
            informed=Least(Coalesce("step_two", "referred"), Coalesce("referred", "step_two")),
        )
    )


def lado_timeliness(
    allegations: QuerySet[Allegation], period: Period, *, dashboard: Dashboard, today: dt.date
) -> Table:
    """How soon the LADO was told, against the ``inform-lado`` timescale (KCSIE: within one working day).

    Two queries whatever the number of allegations: one aggregate of the counts, and the median's middle rows.
    """
    days = inform_lado_days(dashboard, today)
    dated = _dated(allegations, period)
    pack_timescale_met = Q()
    for count, organisation_ids in days.items():
        pack_timescale_met |= Q(organisation_id__in=organisation_ids) & within_working_days(
            start=F("came"), weekday=F("came_weekday"), end=F("informed"), count=count, first=period.start,
            last=period.end,
        )  # fmt: skip
    stored_due = deadlines_of_listed("allegation").filter(kind=INFORM_LADO).values("due_on")[:1]
    tally = Tally()
    tally.count("came")
    tally.count("informed", where=Q(informed__isnull=False))
    tally.count(
        "within",
        where=Q(informed__isnull=False)
        & ((Q(due__isnull=False) & Q(informed__lte=F("due"))) | (Q(due__isnull=True) & pack_timescale_met)),
    )
    counts = tally.run(dated.annotate(due=Subquery(stored_due), came_weekday=iso_weekday(F("came"))))
    came, informed, within = counts["came"], counts["informed"], counts["within"]
    # Informed before the recorded day of coming to attention counts as the same day, not as negative days.
    calendar_days = dated.filter(Q(informed__isnull=False)).annotate(
        days=Greatest(days_between(F("came"), F("informed")), Value(dt.timedelta(0)))
    )
    words = _working_days_words(days)
    rows = (
        Row(label="Allegations that came to attention", values=(came,), key="came_to_attention"),
        Row(label="LADO informed", values=(informed,), key="informed"),
        Row(label="LADO not yet informed", values=(came - informed,), key="not_informed"),
        Row(label=f"Informed within {words}", values=(within,), key="within_one_working_day"),
        Row(
            label=f"Informed within {words}, per cent of those informed",
            values=(percent(within, informed),),
            key="within_one_working_day_percent",
        ),
        Row(
            label="Median calendar days from attention to informing the LADO",
            values=(median_of(calendar_days, "days", informed),),
            key="median_days",
        ),
    )
    return Table(
        key="lado_timeliness",
        title="Time from coming to attention to informing the LADO",
        counted_by=_attention(period)
        + " Informed: the first referral to the LADO, or the record of discussing it with the LADO if earlier."
        + " Within: on or before the allegation's own due date for informing the LADO, or, where none is stored,"
        + f" {words} after it came to attention.",
        columns=("Measure", "Value"),
        rows=rows,
        chart="none",
        summary=f"Allegations should be reported to the LADO within {words}.",
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
        lado_timeliness(allegations, period, dashboard=dashboard, today=today),
    ]
    return tables
