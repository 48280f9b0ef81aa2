"""The door to pattern reviews and their findings (the concerns app's termly reviews).

A pattern review belongs to an organisation; who may open it is who reviews
that organisation's concerns (``review_organisations``: a
setting's headteacher or DSL, a trust's director of school or DSL). A finding
is about one adult, so subject exclusion (rule 2) applies to it as to any
record. A low-level record follows its concern.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from threshold.access import policies
from threshold.access.guard import scoped
from threshold.access.scope import scope_for
from threshold.accounts.models import Organisation, User
from threshold.accounts.roles import OrganisationKind, Role
from threshold.accounts.selectors import current_memberships
from threshold.concerns.models import PatternFinding, PatternReview


def review_organisations(user: User) -> list[Organisation]:
    """Organisations whose concerns this user reviews: their setting, or their trust for trust roles."""
    organisations = []
    for membership in current_memberships(user):
        is_trust = membership.organisation.kind == OrganisationKind.ACADEMY_TRUST
        handlers = (Role.DIRECTOR_OF_SCHOOL, Role.DSL) if is_trust else (Role.CASE_MANAGER, Role.DSL)
        if membership.role in handlers:
            organisations.append(membership.organisation)
    return organisations


def visible_pattern_reviews(user: User) -> QuerySet[PatternReview]:
    """Pattern reviews of the organisations whose concerns this user reviews (rule 1)."""
    return scoped(PatternReview.objects.filter(organisation__in=review_organisations(user)))


def access_review(*, user: User, review_id: int) -> PatternReview:
    """A review of an organisation this user reviews; otherwise ``Http404`` (not-found and forbidden alike)."""
    review = visible_pattern_reviews(user).filter(pk=review_id).select_related("organisation", "completed_by").first()
    if review is None:
        raise Http404("No such review.")
    return review


def visible_pattern_findings(user: User) -> QuerySet[PatternFinding]:
    """Findings of the reviews this user may open, never one about the user (rules 1 and 2)."""
    return scoped(
        PatternFinding.objects.filter(
            policies.not_about_user(scope_for(user), "subject__"),
            review__organisation__in=review_organisations(user),
        )
    )


def access_finding(*, user: User, finding_id: int) -> PatternFinding:
    """A finding of a review this user may open, never one about the user (subject exclusion)."""
    finding = visible_pattern_findings(user).filter(pk=finding_id).select_related("review", "subject").first()
    if finding is None:
        raise Http404("No such finding.")
    return finding
