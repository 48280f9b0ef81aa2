"""Reads for concerns: colleagues, prior concerns, school terms and pattern reviews.

Protected records are read through ``threshold.access.fetch`` here too, so the
access rules (and subject exclusion) apply to every list these build.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from threshold.access import fetch, reviews

# Who reviews an organisation's concerns is an access rule, so it lives with the review door (no cycle);
# re-exported for the concerns pages, which use it to show the reviews link and to refuse a review.
from threshold.access.reviews import review_organisations as review_organisations
from threshold.accounts.models import Membership, Organisation, User
from threshold.accounts.roles import EMPLOYER_ROLES, OrganisationKind, Role
from threshold.accounts.selectors import current_memberships
from threshold.allegations.models import AllegationStatus
from threshold.concerns.models import (
    Concern,
    ConcernStatus,
    LowLevelRecord,
    PatternFinding,
    PatternReview,
    SignOffState,
)
from threshold.people.adults import group_same_adults, same_adult_reasons
from threshold.people.models import Person
from threshold.people.subjects import users_not_about
from threshold.timescales.models import DeadlineState


def concerns_handled(user: User, *, query: str = "") -> QuerySet[Concern]:
    """The concerns this person handles, newest first, narrowed by the adult's name when searched.

    The concerns page and its spreadsheets read this one list (``threshold.reports.exports``). ``query`` is a
    name typed into the POSTed search, never a URL's: a spreadsheet link carries no name, so it holds them all.
    """
    concerns = fetch.visible_concerns(user).select_related("subject", "organisation", "triage")
    if query:
        concerns = concerns.filter(subject__full_name__icontains=query)
    return concerns.order_by("-created_at", "-pk")


def may_share(membership: Membership | None) -> bool:
    """Any member of staff of a setting or trust may share a concern."""
    return membership is not None and membership.role in EMPLOYER_ROLES


def colleagues(*, organisation: Organisation, actor: User) -> list[Membership]:
    """Active staff of the organisation the actor could share a concern about (not themselves)."""
    return list(
        Membership.objects.filter(organisation=organisation, is_active=True, role__in=EMPLOYER_ROLES)
        .exclude(user=actor)
        .select_related("user")
        .order_by("user__full_name")
    )


def member_named(*, organisation: Organisation, name: str) -> User | None:
    """The one active member of the organisation with exactly this name, if there is exactly one."""
    name = " ".join(name.split())
    if not name:
        return None
    members = list(
        User.objects.filter(
            memberships__organisation=organisation, memberships__is_active=True, full_name__iexact=name
        ).distinct()[:2]
    )
    return members[0] if len(members) == 1 else None


def is_headteacher(*, user: User, organisation: Organisation) -> bool:
    """The user is the setting's headteacher or manager (its case manager)."""
    return Membership.objects.filter(
        user=user, organisation=organisation, role=Role.CASE_MANAGER, is_active=True
    ).exists()


def governance_recipients(organisation: Organisation, *, subject: Person | None = None) -> list[User]:
    """The setting's active governance members: they receive the concerns routed past its head (13.3).

    In a setting with no trust they handle them; in a trust's school the chair of governors is told and
    reads them beside the trust's director of school and DSLs ("reported to the director of schools, chair
    of governors and the Trust DSLs"). A trust itself has no governance role. Never the concern's own
    subject (rule 2): a concern about the chair goes to nobody in that role, and the page says so.
    """
    if organisation.kind == OrganisationKind.ACADEMY_TRUST:
        return []
    members = User.objects.filter(
        memberships__organisation=organisation,
        memberships__role=Role.GOVERNANCE,
        memberships__is_active=True,
        is_active=True,
    )
    ordered = list(members.distinct().order_by("full_name"))
    # Never anyone the concern's adult is, or could be (ADR 0018).
    return users_not_about(subject, ordered) if subject is not None else ordered


def related_organisations(organisation: Organisation) -> list[int]:
    """The organisation and, where it has one, its trust and the trust's other schools."""
    trust_id = organisation.pk if organisation.kind == OrganisationKind.ACADEMY_TRUST else organisation.trust_id
    if trust_id is None:
        return [organisation.pk]
    return [trust_id, *Organisation.objects.filter(trust_id=trust_id).values_list("pk", flat=True)]


@dataclass(frozen=True)
class PriorConcern:
    """An earlier concern that may be about the same adult, and why it matched."""

    concern: Concern
    reasons: tuple[str, ...]


def prior_concerns(*, user: User, concern: Concern) -> list[PriorConcern]:
    """Other concerns about the same adult in this organisation and its trust that the viewer may open.

    People are recorded per organisation, so the same adult at another of the
    trust's schools is matched by account, name, date of birth and employer.
    """
    candidates = (
        fetch.visible_concerns(user, "view")
        .filter(organisation__in=related_organisations(concern.organisation))
        .exclude(pk=concern.pk)
        .select_related("organisation", "subject__employer")
        .order_by("-raised_on", "-pk")
    )
    subject = concern.subject
    prior = []
    for other in candidates:
        reasons = same_adult_reasons(subject, other.subject)
        if reasons:
            prior.append(PriorConcern(other, reasons))
    return prior


# School terms, kept simple and documented (docs: "Pattern reviews"):
# autumn 1 September – 31 December, spring 1 January – 30 April, summer 1 May – 31 August.
TERMS = (("spring", 1, 4), ("summer", 5, 8), ("autumn", 9, 12))


@dataclass(frozen=True)
class Term:
    """A school term: its name and first and last days."""

    name: str
    start: dt.date
    end: dt.date


def term_of(day: dt.date) -> Term:
    """The school term a day falls in."""
    for name, first_month, last_month in TERMS:
        if first_month <= day.month <= last_month:
            start = dt.date(day.year, first_month, 1)
            end = (
                dt.date(day.year, last_month + 1, 1) - dt.timedelta(days=1)
                if last_month < 12
                else dt.date(day.year, 12, 31)
            )
            return Term(name=name, start=start, end=end)
    raise ValueError(day)


def reviewable_concerns(*, user: User, organisation: Organisation) -> QuerySet[Concern]:
    """Concerns a review of this organisation covers (a trust's review covers its schools)."""
    return fetch.visible_concerns(user, "change").filter(organisation__in=related_organisations(organisation))


@dataclass(frozen=True)
class PersonInPeriod:
    """One adult with concerns in a review's period (perhaps recorded at several schools), and the finding.

    ``subject`` is the record a finding is kept against; ``records`` are all
    the records grouped as the same adult, and ``outside_period`` counts their
    concerns raised before or after the period.
    """

    subject: Person
    concerns: list[Concern]
    finding: PatternFinding | None
    records: tuple[Person, ...] = ()
    outside_period: int = 0
    reasons: tuple[str, ...] = ()

    @property
    def records_of(self) -> dict[int, LowLevelRecord | None]:
        """Each concern's low-level record (None where there is none yet), by concern id."""
        return {concern.pk: getattr(concern, "low_level_record", None) for concern in self.concerns}


def people_in_period(*, user: User, review: PatternReview) -> list[PersonInPeriod]:
    """Adults with concerns raised in the review's period, records of the same adult grouped, with any finding."""
    reviewable = reviewable_concerns(user=user, organisation=review.organisation)
    concerns = (
        reviewable.filter(raised_on__gte=review.period_start, raised_on__lte=review.period_end)
        .select_related("subject__employer", "organisation", "low_level_record")
        .order_by("subject__full_name", "subject_id", "raised_on")
    )
    by_subject: dict[int, list[Concern]] = {}
    subjects: dict[int, Person] = {}
    for concern in concerns:
        by_subject.setdefault(concern.subject_id, []).append(concern)
        subjects[concern.subject_id] = concern.subject
    findings = {finding.subject_id: finding for finding in review.findings.filter(subject__in=list(subjects))}
    rows = []
    for group in group_same_adults(list(subjects.values())):
        ids = [person.pk for person in group]
        # The finding is kept against the record it was first recorded about, else the first of the group.
        subject = next((person for person in group if person.pk in findings), group[0])
        grouped = sorted((c for pk in ids for c in by_subject[pk]), key=lambda c: (c.raised_on, c.pk))
        outside = (
            reviewable.filter(subject__in=ids)
            .exclude(raised_on__gte=review.period_start, raised_on__lte=review.period_end)
            .count()
        )
        reasons = sorted({r for other in group if other.pk != subject.pk for r in same_adult_reasons(subject, other)})
        rows.append(PersonInPeriod(subject, grouped, findings.get(subject.pk), tuple(group), outside, tuple(reasons)))
    return rows


def finding_concerns(*, user: User, finding: PatternFinding) -> list[Concern]:
    """The concerns a finding is about: those of its adult (records grouped) in the review's period."""
    for row in people_in_period(user=user, review=finding.review):
        if row.subject.pk == finding.subject_id or finding.subject_id in {p.pk for p in row.records}:
            return row.concerns
    return []


def covering_review(completed: QuerySet[PatternReview], term: Term) -> PatternReview | None:
    """The first completed review whose period reaches into ``term`` (None: the term is not yet reviewed).

    ``completed`` is an organisation's completed reviews, as the caller may read them (a page: through
    ``threshold.access``; the deadline sync: all of them). The one rule of "this term's review is done",
    shared by the concerns pages and the stored deadline (``concerns.services.deadlines``).
    """
    return completed.filter(period_start__lte=term.end, period_end__gte=term.start).order_by("completed_at").first()


def next_term(term: Term) -> Term:
    """The term after ``term``."""
    return term_of(term.end + dt.timedelta(days=1))


def previous_term(term: Term) -> Term:
    """The term before ``term``."""
    return term_of(term.start - dt.timedelta(days=1))


# The stored deadline of an organisation's termly pattern review (``concerns.services.deadlines`` keeps it).
PATTERN_REVIEW = "pattern-review"


@dataclass(frozen=True)
class ReviewDue:
    """When an organisation's next pattern review is due, and the end of a term whose review was missed (or None)."""

    organisation: Organisation
    due: dt.date
    overdue: dt.date | None


def reviews_due(*, user: User, organisations: list[Organisation], today: dt.date | None = None) -> list[ReviewDue]:
    """Each organisation's next pattern review, and a past term's review still open: one query.

    Read from the stored deadlines that the review services and the daily reminder pass keep
    (``concerns.services.deadlines.pattern_review_deadline_sync``: this term's, last term's when there were
    concerns to review by its end, and next term's once this term's is done), so the home panel, the reviews page
    and the work list agree on when it is due. An organisation the pass has not reached yet has no row: its review
    is due at the end of this term, as the pass would write. A missed review reaches only a reader who may see a
    concern it should have covered (``fetch.visible_deadlines``): the stored row counts every concern of the
    setting, one about the reader (or sent past them to the trust) among them.
    """
    today = today or timezone.localdate()
    rows: dict[int, list[dt.date]] = {organisation.pk: [] for organisation in organisations}
    open_reviews = fetch.visible_deadlines(user, "view").filter(
        kind=PATTERN_REVIEW, state=DeadlineState.OPEN, organisation__in=list(rows)
    )
    for organisation_id, due_on in open_reviews.order_by("due_on").values_list("organisation_id", "due_on"):
        rows[organisation_id].append(due_on)
    this_term = term_of(today).end
    due = []
    for organisation in organisations:
        dates = rows[organisation.pk]
        overdue = [day for day in dates if day < today]
        coming = [day for day in dates if day >= today]
        due.append(ReviewDue(organisation, coming[0] if coming else this_term, overdue[-1] if overdue else None))
    return due


def _setting_handled(user: User) -> list[int]:
    """Settings (not trusts) where the user is headteacher or DSL: they triage those settings' own concerns."""
    return [
        membership.organisation_id
        for membership in current_memberships(user)
        if membership.role in (Role.CASE_MANAGER, Role.DSL)
        and membership.organisation.kind != OrganisationKind.ACADEMY_TRUST
    ]


def awaiting_triage(user: User) -> QuerySet[Concern]:
    """Concerns this user triages that nobody has triaged yet, the most serious and then the oldest first.

    A trust's director or DSL (and a chair of governors) may open every
    concern at the schools they cover, but triage only those routed to them:
    the setting's own handlers triage the rest.

    Before triage nothing says how serious a concern is but what is known of its adult (issue 17): an open
    allegation about them comes first, then earlier concerns about them (a pattern, policy 13.4), then the
    rest; within each, the concern waiting longest (since it was shared, whatever day it says it was
    raised). Each row carries ``open_allegation`` and ``earlier_concerns``, counted among the records this
    user may see (nobody learns of one hidden from them).

    Built once for each reach and the settings the user handles (``fetch.kept``, ADR 0039): the home page asks
    for it on every visit, and building its two ``EXISTS`` cost more than running them.
    """
    return _awaiting_triage(user, tuple(sorted(_setting_handled(user))))


@fetch.kept
def _awaiting_triage(user: User, handled: tuple[int, ...]) -> QuerySet[Concern]:
    """``awaiting_triage`` for the settings the user handles, which are in the key it is kept under."""
    mine = Q(routed_to_trust=True) | Q(organisation__in=handled)
    live = (AllegationStatus.OPEN, AllegationStatus.REFERRED)
    allegations = fetch.visible_allegations(user).filter(subject=OuterRef("subject"), status__in=live)
    earlier = fetch.visible_concerns(user).filter(
        Q(raised_on__lt=OuterRef("raised_on")) | Q(raised_on=OuterRef("raised_on"), pk__lt=OuterRef("pk")),
        subject=OuterRef("subject"),
    )
    # A decision awaiting the headteacher's sign-off is no longer waiting for triage.
    return (
        fetch.visible_concerns(user, "change")
        .filter(mine, status=ConcernStatus.NEW)
        .exclude(sign_offs__state=SignOffState.AWAITING)
        .annotate(open_allegation=Exists(allegations), earlier_concerns=Exists(earlier))
        .select_related("subject", "organisation")
        .order_by("-open_allegation", "-earlier_concerns", "created_at", "pk")
    )


@fetch.kept
def open_low_level(user: User) -> QuerySet[Concern]:
    """Low-level concerns still open, oldest first: the record is missing or unfinished, or its action not done.

    Kept for each reach (``fetch.kept``): a pure function of the user's scope, asked for on every home page.
    """
    unfinished = (
        Q(low_level_record__isnull=True)
        | Q(low_level_record__further_action="")
        | Q(low_level_record__breach_category="")
        | (~Q(low_level_record__further_action="none") & Q(low_level_record__action_done_on__isnull=True))
    )
    return (
        fetch.visible_concerns(user, "change")
        .filter(unfinished, status=ConcernStatus.LOW_LEVEL)
        .select_related("subject", "low_level_record")
        .order_by("raised_on", "pk")
    )


def reviews_of(*, user: User, organisation: Organisation) -> list[PatternReview]:
    """An organisation's pattern reviews that this user may open, latest first."""
    return list(reviews.visible_pattern_reviews(user).filter(organisation=organisation).select_related("completed_by"))


def access_review(*, user: User, review_id: int) -> PatternReview:
    """A review of an organisation this user reviews (moved to ``threshold.access.reviews``)."""
    return reviews.access_review(user=user, review_id=review_id)


def access_finding(*, user: User, finding_id: int) -> PatternFinding:
    """A finding of a review this user may open, never about the user (moved to ``threshold.access.reviews``)."""
    return reviews.access_finding(user=user, finding_id=finding_id)
