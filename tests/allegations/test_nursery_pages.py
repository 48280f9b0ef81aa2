"""The pages work under another organisation's pack: Little Acorns nursery works under ``kcsie``."""

from __future__ import annotations

import pytest
from django.urls import reverse

from threshold.allegations import selectors
from threshold.allegations.models import Allegation

PAGES = [
    "allegation_detail",
    "allegation_edit",
    "allegation_referral",
    "allegation_risk_assessment",
    "allegation_support",
    "allegation_police",
    "allegation_outcome",
    "allegation_lesson",
]


@pytest.mark.parametrize("name", PAGES)
def test_nina_opens_every_page_of_the_nursery_allegation(signed_in, ids: dict[str, int], name: str) -> None:
    assert signed_in("nina").get(reverse(name, args=[ids["allegation_nell"]])).status_code == 200


def test_the_nursery_checklist_takes_its_due_dates_from_the_kcsie_pack(ids: dict[str, int]) -> None:
    allegation = Allegation.objects.get(pk=ids["allegation_nell"])
    items = {item.step: item for item in selectors.checklist(allegation)}
    assert items["discuss-with-lado"].due is not None


def test_nina_has_no_trust_restrictions_page(signed_in) -> None:
    assert signed_in("nina").get(reverse("allegation_restrictions")).status_code == 404
