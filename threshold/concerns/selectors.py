"""Reads for concerns: colleagues, prior concerns, school terms and pattern reviews.

Protected records are read through ``threshold.access.fetch`` here too, so the
access rules (and subject exclusion) apply to every list these build.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from threshold.access import fetch
from threshold.accounts.models import Membership, Organisation, User
from threshold.accounts.roles import EMPLOYER_ROLES, OrganisationKind, Role
from threshold.concerns.models import Concern, ConcernStatus, LowLevelRecord, PatternFinding, PatternReview
from threshold.people.models import Person

REVIEWER_ROLES = frozenset({Role.CASE_MANAGER, Role.DSL, Role.DIRECTOR_OF_SCHOOL})


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


def related_organisations(organisation: Organisation) -> list[int]:
    """The organisation and, where it has one, its trust and the trust's other schools."""
    trust_id = organisation.pk if organisation.kind == OrganisationKind.ACADEMY_TRUST else organisation.trust_id
    if trust_id is None:
        return [organisation.pk]
    return [trust_id, *Organisation.objects.filter(trust_id=trust_id).values_list("pk", flat=True)]


def prior_concerns(*, user: User, concern: Concern) -> list[Concern]:
    """Other concerns about the same person in this organisation and its trust that the viewer may open."""
    same_person = Q(subject=concern.subject_id)
    if concern.subject.user_id:
        same_person |= Q(subject__user=concern.subject.user_id)
    return list(
        fetch.visible_concerns(user, "view")
        .filter(same_person, organisation__in=related_organisations(concern.organisation))
        .exclude(pk=concern.pk)
        .select_related("organisation")
        .order_by("-raised_on")
    )


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


def review_organisations(user: User) -> list[Organisation]:
    """Organisations whose concerns this user reviews: their setting, or their trust for trust roles."""
    memberships = Membership.objects.filter(
        user=user, is_active=True, organisation__is_active=True, role__in=REVIEWER_ROLES
    ).select_related("organisation")
    organisations = []
    for membership in memberships:
        is_trust = membership.organisation.kind == OrganisationKind.ACADEMY_TRUST
        handlers = (Role.DIRECTOR_OF_SCHOOL, Role.DSL) if is_trust else (Role.CASE_MANAGER, Role.DSL)
        if membership.role in handlers:
            organisations.append(membership.organisation)
    return organisations


def reviewable_concerns(*, user: User, organisation: Organisation) -> QuerySet[Concern]:
    """Concerns a review of this organisation covers (a trust's review covers its schools)."""
    return fetch.visible_concerns(user, "change").filter(organisation__in=related_organisations(organisation))


@dataclass(frozen=True)
class PersonInPeriod:
    """One person with concerns in a review's period, and what the review found about them."""

    subject: Person
    concerns: list[Concern]
    finding: PatternFinding | None


def people_in_period(*, user: User, review: PatternReview) -> list[PersonInPeriod]:
    """People with concerns raised in the review's period, with the concerns and any finding."""
    concerns = (
        reviewable_concerns(user=user, organisation=review.organisation)
        .filter(raised_on__gte=review.period_start, raised_on__lte=review.period_end)
        .select_related("subject", "organisation")
        .order_by("subject__full_name", "raised_on")
    )
    by_subject: dict[int, list[Concern]] = {}
    subjects: dict[int, Person] = {}
    for concern in concerns:
        by_subject.setdefault(concern.subject_id, []).append(concern)
        subjects[concern.subject_id] = concern.subject
    findings = {finding.subject_id: finding for finding in review.findings.filter(subject__in=list(subjects))}
    return [PersonInPeriod(subjects[pk], by_subject[pk], findings.get(pk)) for pk in subjects]


def next_review_due(*, organisation: Organisation, today: dt.date | None = None) -> dt.date:
    """When the next pattern review is due: the end of this term, or of next term if this term's is done."""
    today = today or timezone.localdate()
    term = term_of(today)
    done = PatternReview.objects.filter(
        organisation=organisation, completed_at__isnull=False, period_end__gte=term.start
    ).exists()
    return term_of(term.end + dt.timedelta(days=1)).end if done else term.end


def awaiting_triage(user: User) -> QuerySet[Concern]:
    """Concerns this user handles that nobody has triaged yet."""
    return fetch.visible_concerns(user, "change").filter(status=ConcernStatus.NEW).select_related("subject")


def actions_due(user: User, *, within_days: int = 14) -> list[LowLevelRecord]:
    """Low-level concerns whose further action is not done and is due soon or overdue."""
    horizon = timezone.localdate() + dt.timedelta(days=within_days)
    concerns = fetch.visible_concerns(user, "change")
    return list(
        LowLevelRecord.objects.filter(
            concern__in=concerns, action_due_on__isnull=False, action_due_on__lte=horizon, action_done_on__isnull=True
        )
        .exclude(further_action="none")
        .select_related("concern__subject")
        .order_by("action_due_on")
    )


def reviews_of(organisation: Organisation) -> list[PatternReview]:
    """An organisation's pattern reviews, latest first."""
    return list(PatternReview.objects.filter(organisation=organisation).select_related("completed_by"))


def access_review(*, user: User, review_id: int) -> PatternReview:
    """A review of an organisation this user reviews; otherwise ``Http404`` (not-found and forbidden alike)."""
    review = (
        PatternReview.objects.filter(organisation__in=review_organisations(user), pk=review_id)
        .select_related("organisation", "completed_by")
        .first()
    )
    if review is None:
        raise Http404("No such review.")
    return review


def access_finding(*, user: User, finding_id: int) -> PatternFinding:
    """A finding of a review this user may open, never one about the user (subject exclusion)."""
    about_user = Q(subject__user=user) | (Q(subject__email__iexact=user.email) if user.email else Q(pk__in=[]))
    finding = (
        PatternFinding.objects.filter(review__organisation__in=review_organisations(user), pk=finding_id)
        .exclude(about_user)
        .select_related("review", "subject")
        .first()
    )
    if finding is None:
        raise Http404("No such finding.")
    return finding
