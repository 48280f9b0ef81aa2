"""The low-level concern figures of an employer's dashboard, counted in the database over what the reader may see.

Every figure starts from ``visible_concerns(reader)`` (subject exclusion inside) narrowed to the dashboard's
organisations and to concerns **raised** in the period (``raised_on``, both ends included). A low-level concern
is one decided low level at triage (``Triage.decision``), whatever followed it (closed, escalated to an
allegation by a pattern review): the policy's section 13.4 review looks at those. Each figure is one grouped
query; the only rows read one by one are the concerns of adults with more than one (a short list, on the page).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform

from threshold.access.fetch import visible_concerns
from threshold.accounts.models import User
from threshold.concerns.models import BreachCategory, Concern, Decision
from threshold.reports.employer.readers import Dashboard
from threshold.reports.periods import Period
from threshold.reports.tables import Table, counts_table
from threshold.reports.terms import days_of, term_label, terms_between, within

NOT_DECIDED = "Not yet decided"
NOT_RECORDED = "Not yet recorded"
# How many concerns the last row of the "more than one" figure starts at ("4 or more").
REPEAT_BANDS = 4


def period_concerns(*, user: User, dashboard: Dashboard, period: Period) -> QuerySet[Concern]:
    """The concerns raised in the period at the dashboard's organisations that the reader may see."""
    # No ordering: a DISTINCT query (``visible_*``) selects, and so groups by, its ordering columns.
    return (
        visible_concerns(user, "view")
        .filter(organisation_id__in=dashboard.organisation_ids, raised_on__gte=period.start, raised_on__lte=period.end)
        .order_by()
    )


def low_level(concerns: QuerySet[Concern]) -> QuerySet[Concern]:
    """Those of ``concerns`` decided low level at triage."""
    return concerns.filter(triage__decision=Decision.LOW_LEVEL)


def _raised(period: Period) -> str:
    return f"Counted by the date each concern was raised, {days_of(period.start, period.end)}."


def concerns_by_decision(concerns: QuerySet[Concern], period: Period) -> Table:
    """Every concern raised in the period by where triage put it on the spectrum, and those not yet decided."""
    counts = dict(concerns.values_list("triage__decision").annotate(n=Count("pk", distinct=True)))
    rows = [(str(value), str(label), counts.get(value, 0)) for value, label in Decision.choices]
    rows.append(("not-decided", NOT_DECIDED, counts.get(None, 0)))
    total = sum(count for _, _, count in rows)
    return counts_table(
        key="concerns_by_decision",
        title="Concerns raised, by decision",
        counted_by=_raised(period),
        label_heading="Decision at triage",
        value_heading="Concerns",
        counts=rows,
        summary=f"{total} {'concern was' if total == 1 else 'concerns were'} raised in the period.",
    )


def low_level_by_tier(concerns: QuerySet[Concern], period: Period) -> Table:
    """Low-level concerns by the level the policy advised at triage (the trust's matrix: Tier 1 or Tier 2)."""
    grouped = (
        low_level(concerns)
        .annotate(
            level=KeyTextTransform("level", "triage__result"), title=KeyTextTransform("level_title", "triage__result")
        )
        .values_list("level", "title")
        .annotate(n=Count("pk", distinct=True))
        .order_by("level", "title")
    )
    rows = [(level or "", title or "No level recorded", n) for level, title, n in grouped]
    return counts_table(
        key="low_level_by_tier",
        title="Low-level concerns, by the level the policy advised",
        counted_by=_raised(period),
        label_heading="Level advised at triage",
        value_heading="Low-level concerns",
        counts=rows,
        summary="A concern decided low level against the policy's advice is counted under the level advised.",
    )


def low_level_by_category(concerns: QuerySet[Concern], period: Period) -> Table:
    """Low-level concerns by how the behaviour sits against the code of conduct (section 13.3), as recorded."""
    counts = dict(
        low_level(concerns).values_list("low_level_record__breach_category").annotate(n=Count("pk", distinct=True))
    )
    rows = [(str(value), str(label), counts.get(value, 0)) for value, label in BreachCategory.choices]
    rows.append(("not-recorded", NOT_RECORDED, counts.get(None, 0) + counts.get("", 0)))
    return counts_table(
        key="low_level_by_category",
        title="Low-level concerns, by category of behaviour",
        counted_by=_raised(period),
        label_heading="Category (code of conduct)",
        value_heading="Low-level concerns",
        counts=rows,
    )


def low_level_by_term(concerns: QuerySet[Concern], period: Period) -> Table:
    """Low-level concerns by school term (autumn, spring, summer: ``reports.terms``), one query for every term."""
    terms = terms_between(period.start, period.end)
    counts = low_level(concerns).aggregate(
        **{
            f"term_{index}": Count(
                "pk", distinct=True, filter=Q(raised_on__range=within(term, period.start, period.end))
            )
            for index, term in enumerate(terms)
        }
    )
    rows = []
    for index, term in enumerate(terms):
        first, last = within(term, period.start, period.end)
        label = term_label(term) if (first, last) == (term.start, term.end) else f"{term_label(term)} (part)"
        rows.append((f"{term.start:%Y}-{term.name}", label, counts[f"term_{index}"]))
    return counts_table(
        key="low_level_by_term",
        title="Low-level concerns, by term",
        counted_by=_raised(period)
        + " Terms: autumn 1 September to 31 December, spring 1 January to 30 April, summer 1 May to 31 August.",
        label_heading="Term",
        value_heading="Low-level concerns",
        counts=rows,
    )


def low_level_by_school(concerns: QuerySet[Concern], period: Period, dashboard: Dashboard) -> Table:
    """Low-level concerns at each of the trust's schools (and at the trust itself, when it recorded any)."""
    counts = dict(low_level(concerns).values_list("organisation_id").annotate(n=Count("pk", distinct=True)))
    rows = [(str(school.pk), school.name, counts.get(school.pk, 0)) for school in dashboard.schools]
    own = counts.get(dashboard.organisation.pk, 0)
    if own:
        rows.append((str(dashboard.organisation.pk), f"{dashboard.organisation.name} (the trust)", own))
    return counts_table(
        key="low_level_by_school",
        title="Low-level concerns, by school",
        counted_by=_raised(period),
        label_heading="School",
        value_heading="Low-level concerns",
        counts=rows,
    )


def _repeat_counts(concerns: QuerySet[Concern]) -> dict[int, int]:
    """Each adult (person record) with more than one low-level concern, and how many: one grouped query."""
    grouped = low_level(concerns).values_list("subject_id").annotate(n=Count("pk", distinct=True)).filter(n__gt=1)
    return dict(grouped.order_by())


def repeat_adults_table(concerns: QuerySet[Concern], period: Period) -> Table:
    """How many adults had two, three, or four or more low-level concerns raised in the period (section 13.4)."""
    counts = list(_repeat_counts(concerns).values())
    rows = [
        (str(n), f"{n} low-level concerns", sum(1 for count in counts if count == n)) for n in range(2, REPEAT_BANDS)
    ]
    rows.append(
        (f"{REPEAT_BANDS}-or-more", f"{REPEAT_BANDS} or more", sum(1 for count in counts if count >= REPEAT_BANDS))
    )
    adults = len(counts)
    return counts_table(
        key="repeat_adults",
        title="Adults with more than one low-level concern",
        counted_by=_raised(period) + " An adult is counted by the person record each school keeps.",
        label_heading="Concerns about the same adult",
        value_heading="Adults",
        counts=rows,
        summary=f"{adults} {'adult' if adults == 1 else 'adults'} had more than one low-level concern in the period.",
    )


@dataclass(frozen=True)
class ListedConcern:
    """One concern of a repeated pattern, as the page links it: its reference and the day it was raised."""

    pk: int
    reference: str
    raised_on: dt.date


@dataclass(frozen=True)
class RepeatAdult:
    """An adult with more than one low-level concern in the period: where, and the concerns' references."""

    school: str
    concerns: tuple[ListedConcern, ...]


def repeat_adults(concerns: QuerySet[Concern]) -> list[RepeatAdult]:
    """The adults with more than one low-level concern, each with the references of those concerns.

    Built from the same concerns the reader may see, so every reference opens for them. No name: the concern
    page says whom it is about, and the dashboard stays a page of counts.
    """
    subjects = _repeat_counts(concerns)
    if not subjects:
        return []
    rows = (
        low_level(concerns)
        .filter(subject_id__in=list(subjects))
        .values_list("subject_id", "organisation__name", "pk", "reference", "raised_on")
        .order_by("organisation__name", "subject_id", "raised_on", "pk")
    )
    grouped: dict[int, tuple[str, list[ListedConcern]]] = {}
    for subject_id, school, pk, reference, raised_on in rows:
        grouped.setdefault(subject_id, (school, []))[1].append(ListedConcern(pk, reference, raised_on))
    adults = [RepeatAdult(school=school, concerns=tuple(listed)) for school, listed in grouped.values()]
    return sorted(adults, key=lambda adult: (-len(adult.concerns), adult.school, adult.concerns[0].raised_on))


def concern_tables(*, user: User, dashboard: Dashboard, period: Period) -> list[Table]:
    """The dashboard's low-level concern figures, in the order the page shows them."""
    concerns = period_concerns(user=user, dashboard=dashboard, period=period)
    tables = [concerns_by_decision(concerns, period)]
    if dashboard.kind == "trust":
        tables.append(low_level_by_school(concerns, period, dashboard))
    tables += [
        low_level_by_term(concerns, period),
        low_level_by_category(concerns, period),
        low_level_by_tier(concerns, period),
        repeat_adults_table(concerns, period),
    ]
    return tables
