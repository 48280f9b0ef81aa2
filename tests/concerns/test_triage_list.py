"""The triage list shows what matters first (issue 17): Hana, between lessons on the Tuesday before Christmas, sees
the anonymous concern about Chris (who has an open allegation) first, then the second about Ann (a concern about her
was raised before), then the rest, the longest waiting since it was shared first; each says how long it has waited
and marks what sets it apart."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from tests.concerns.test_pages import _date_boxes, _share_form
from threshold.access import fetch
from threshold.accounts.models import Membership
from threshold.accounts.roles import Role
from threshold.allegations.models import Allegation
from threshold.concerns import selectors
from threshold.concerns.models import Concern


@pytest.fixture(autouse=True)
def before_christmas() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 12, 22, 10, tzinfo=dt.UTC), tick=False):
        yield


def share(client: Any, name: str, raised: dt.date, *, received: dt.date | None = None, **extra: str) -> Concern:
    """Tom shares a concern raised on ``raised``; it reached the setting on ``received`` (by default the day raised).

    Shared through the page today, then dated as if it had arrived that day (its session is today's).
    """
    client.post(reverse("concern_share"), _share_form(subject_name=name, **_date_boxes("raised_on", raised), **extra))
    arrived = dt.datetime.combine(received or raised, dt.time(9), tzinfo=dt.UTC)
    Concern.objects.filter(pk=Concern.objects.order_by("-pk").values("pk")[:1]).update(created_at=arrived)
    concern = Concern.objects.order_by("-pk").first()  # an anonymous one keeps the day only: not by time
    assert concern is not None
    return concern


def test_the_most_serious_and_then_the_oldest_come_first(signed_in: Any, persona: Any) -> None:
    tom = signed_in("tom")
    old = share(tom, "Dan Driver", dt.date(2026, 12, 1))
    # Raised in November, but only shared (received) on 10 December: it has waited since then.
    first_about_ann = share(tom, "Ann Assistant", dt.date(2026, 11, 2), received=dt.date(2026, 12, 10))
    again_about_ann = share(tom, "Ann Assistant", dt.date(2026, 12, 21))
    recent = share(tom, "Eve Extra", dt.date(2026, 12, 15))
    about_chris = share(tom, "Chris Coach", dt.date(2026, 12, 22), anonymous="yes", declaration="on")
    Allegation.objects.create(
        organisation=about_chris.organisation, subject=about_chris.subject, summary="Grabbed a pupil's arm."
    )
    order = list(selectors.awaiting_triage(persona("hana")))
    assert order == [about_chris, again_about_ann, old, first_about_ann, recent]

    home = signed_in("hana").get(reverse("home")).content.decode()
    panel = home[home.index('id="awaiting-triage"') :]
    rows = re.findall(r"<li>(.*?)</li>", panel, re.S)[:5]
    assert about_chris.reference in rows[0]
    assert "Open allegation about this adult" in rows[0]
    assert "Anonymous" in rows[0]
    assert "received today" in rows[0]
    assert "Earlier concerns about this adult" in rows[1]
    assert "waiting 1 day" in rows[1]
    assert "waiting 21 days" in rows[2]
    assert "raised 2 November 2026, received 10 December 2026 – waiting 12 days" in rows[3]


def test_two_concerns_about_one_adult_on_one_day_mark_only_the_second(signed_in: Any, persona: Any) -> None:
    tom = signed_in("tom")
    first = share(tom, "Ann Assistant", dt.date(2026, 12, 21))
    second = share(tom, "Ann Assistant", dt.date(2026, 12, 21))
    rows = {row.pk: row.earlier_concerns for row in selectors.awaiting_triage(persona("hana"))}  # type: ignore[attr-defined]
    assert (rows[first.pk], rows[second.pk]) == (False, True)


def test_an_allegation_hidden_from_hana_does_not_mark_a_concern(signed_in: Any, persona: Any) -> None:
    about_hana_user = persona("hana")
    tom = signed_in("tom")
    concern = share(tom, "Chris Coach", dt.date(2026, 12, 21))
    Allegation.objects.create(
        organisation=concern.organisation, subject=concern.subject, summary="Routed past the head.",
        routed_to_trust=True,
    )  # fmt: skip
    row = selectors.awaiting_triage(about_hana_user).get(pk=concern.pk)
    assert row.open_allegation is False  # type: ignore[attr-defined]  # the trust's, not hers: it says nothing to her


def test_hanas_list_is_built_once_for_page_after_page_and_still_shows_what_arrives_between_them(
    signed_in: Any, persona: Any
) -> None:
    tom, hana = signed_in("tom"), signed_in("hana")
    first = share(tom, "Dan Driver", dt.date(2026, 12, 21))
    assert first.reference in hana.get(reverse("home")).content.decode()
    kept = set(fetch._kept_lists)
    assert "threshold.concerns.selectors._awaiting_triage" in {key[0] for key in kept}  # module and function
    # The list's query is kept (ADR 0039, ADR 0041), never its rows: the next page reads the concern shared since.
    later = share(tom, "Eve Extra", dt.date(2026, 12, 22))
    page = hana.get(reverse("home")).content.decode()
    assert set(fetch._kept_lists) == kept  # nothing built again
    assert later.reference in page.split('id="awaiting-triage"')[1].split("</ul>")[0]


def test_hana_no_longer_a_head_at_oakfield_stops_triaging_its_concerns_at_once(signed_in: Any, persona: Any) -> None:
    tom, hana = signed_in("tom"), persona("hana")
    concern = share(tom, "Dan Driver", dt.date(2026, 12, 21))
    assert list(selectors.awaiting_triage(hana)) == [concern]
    # A new role is a new list at once (her reach, and the settings she handles, are in the key it is kept under).
    Membership.objects.filter(user=hana, organisation=concern.organisation).update(role=Role.STAFF)
    assert list(selectors.awaiting_triage(persona("hana"))) == []
