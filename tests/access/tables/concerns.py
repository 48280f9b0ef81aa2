"""Rows for sharing concerns, triage, low-level concern records and pattern reviews (issue 5)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from threshold.accounts.models import Organisation, User
from threshold.concerns import services
from threshold.demo import world


def _user(key: str) -> User:
    return User.objects.get(email=world.PERSONAS_BY_KEY[key].email)


def _oakfield(ids: dict[str, int]) -> list[Any]:
    return [Organisation.objects.get(name=world.OAKFIELD).pk]


def _low_level_concern(ids: dict[str, int]) -> list[Any]:
    concern = services.concern_share(
        actor=_user("tom"), organisation=Organisation.objects.get(name=world.OAKFIELD), subject_user=None,
        subject_name="Chris Coach", subject_role="Sports coach", anonymous=False,
        raised_on=timezone.localdate() - dt.timedelta(days=1), how_arose="suspicion",
        details="Chris stood too close to a pupil.", headteacher_conflict=False,
    )  # fmt: skip
    services.concern_triage(
        actor=_user("hana"), concern=concern, expected_version=concern.version,
        raw_facts={"inconsistent_with_code_of_conduct": True}, decision="low_level", rationale="Tier 2.",
    )  # fmt: skip
    return [concern.pk]


def _review(ids: dict[str, int]) -> list[Any]:
    review = services.pattern_review_start(
        actor=_user("hana"), organisation=Organisation.objects.get(name=world.OAKFIELD),
        period_start=dt.date(2026, 9, 1), period_end=dt.date(2026, 12, 31),
    )  # fmt: skip
    return [review.pk]


def _pattern(ids: dict[str, int]) -> list[Any]:
    """Hana's review finds a pattern in the concerns about Chris (the low-level concern shared for it)."""
    concern = services.concern_share(
        actor=_user("tom"), organisation=Organisation.objects.get(name=world.OAKFIELD), subject_user=None,
        subject_name="Chris Coach", subject_role="Sports coach", anonymous=False,
        raised_on=timezone.localdate() - dt.timedelta(days=1), how_arose="suspicion",
        details="Chris stood too close to a pupil again.", headteacher_conflict=False,
    )  # fmt: skip
    review = services.pattern_review_start(
        actor=_user("hana"), organisation=Organisation.objects.get(name=world.OAKFIELD),
        period_start=timezone.localdate() - dt.timedelta(days=60), period_end=timezone.localdate(),
    )  # fmt: skip
    finding = services.pattern_finding_record(
        actor=_user("hana"), review=review, subject=concern.subject, pattern_found=True, findings="Alike concerns."
    )
    return [finding.pk]


ARGS: dict[str, Callable[[dict[str, int]], list[Any]]] = {
    "concern_triage": lambda ids: [ids["concern_anonymous"]],
    "concern_low_level": _low_level_concern,
    "concern_leaving_date": _low_level_concern,
    "concern_close": _low_level_concern,
    "concern_escalate": _low_level_concern,
    "concern_reroute": lambda ids: [ids["concern_anonymous"]],
    "pattern_review_start": _oakfield,
    "pattern_review_detail": _review,
    "pattern_finding_escalate": _pattern,
}

TABLE = """
url                       lara  mo    sam   hana  dev   tom   priya henry nina  pat   cara  ada   olu   sid   gina
concern_my_reports        200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
concern_share             403   403   403   200   200   200   200   200   200   403   403   403   403   403   403
concern_triage            404   404   404   200   200   404   200   404   404   404   404   404   404   404   404
concern_low_level         404   404   404   200   200   404   200   404   404   404   404   404   404   404   404
concern_leaving_date      404   404   404   200   200   404   200   404   404   404   404   404   404   404   404
concern_close             404   404   404   200   200   404   200   404   404   404   404   404   404   404   404
concern_reroute           404   404   404   200   200   404   200   404   404   404   404   404   404   404   404
concern_escalate          404   404   404   200   200   404   200   404   404   404   404   404   404   404   404
pattern_review_list       403   403   403   200   200   403   200   403   200   403   403   403   403   403   403
pattern_review_start      403   403   403   200   200   403   404   403   404   403   403   403   403   403   403
pattern_review_detail     404   404   404   200   200   404   404   404   404   404   404   404   404   404   404
pattern_finding_escalate  404   404   404   200   200   404   404   404   404   404   404   404   404   404   404
"""
