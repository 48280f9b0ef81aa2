"""Rows for the headteacher's sign-off and HR advice on a concern (issue 13, policy section 13.3).

Only the head (or a director of the trust) signs off a DSL's decision: Dev, the DSL who made it, may open
the concern but not the sign-off page. A concern is shared with one named HR business partner: Henry
alone may add advice to it, and nobody else reaches that page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from threshold.accounts.models import Organisation, User
from threshold.concerns import services
from threshold.concerns.models import Concern
from threshold.demo import world

TIER_2 = {"inconsistent_with_code_of_conduct": True, "incident_pattern": "accidental"}


def _user(key: str) -> User:
    return User.objects.get(email=world.PERSONAS_BY_KEY[key].email)


def _shared_by_tom() -> Concern:
    return services.concern_share(
        actor=_user("tom"), organisation=Organisation.objects.get(name=world.OAKFIELD), subject_user=None,
        subject_name="Chris Coach", subject_role="Sports coach", anonymous=False,
        raised_on=timezone.localdate() - dt.timedelta(days=1), how_arose="suspicion",
        details="Chris stood too close to a pupil.", headteacher_conflict=False,
    )  # fmt: skip


def _awaiting_hanas_sign_off(ids: dict[str, int]) -> list[Any]:
    concern = _shared_by_tom()
    services.concern_triage(
        actor=_user("dev"), concern=concern, expected_version=concern.version, raw_facts=TIER_2,
        decision="low_level", rationale="Tier 2: a breach of the code of conduct.",
    )  # fmt: skip
    return [concern.pk]


def _low_level_by_hana(ids: dict[str, int]) -> list[Any]:
    concern = _shared_by_tom()
    services.concern_triage(
        actor=_user("hana"), concern=concern, expected_version=concern.version, raw_facts=TIER_2,
        decision="low_level", rationale="Tier 2: a breach of the code of conduct.",
    )  # fmt: skip
    return [concern.pk]


def _shared_with_henry(ids: dict[str, int]) -> list[Any]:
    [concern_id] = _low_level_by_hana(ids)
    concern = Concern.objects.get(pk=concern_id)
    services.concern_share_with_hr(
        actor=_user("hana"), concern=concern, partner=_user("henry"), question="Is this a disciplinary matter?"
    )
    return [concern.pk]


ARGS: dict[str, Callable[[dict[str, int]], list[Any]]] = {
    "concern_sign_off": _awaiting_hanas_sign_off,
    "concern_share_hr": _low_level_by_hana,
    "concern_hr_advice": _shared_with_henry,
}

TABLE = """
url                 lara  mo    sam   hana  dev   tom   priya henry nina  pat   cara  ada   olu   sid   gina
concern_sign_off    404   404   404   200   403   404   200   404   404   404   404   404   404   404   404
concern_share_hr    404   404   404   200   200   404   200   404   404   404   404   404   404   404   404
concern_hr_advice   404   404   404   404   404   404   404   200   404   404   404   404   404   404   404
"""
