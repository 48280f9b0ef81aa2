"""No page shows a fact's internal name: the low-level record's "kept until" reads in words (13.4)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from threshold.concerns import services
from threshold.concerns.models import LowLevelRecord

from .conftest import TIER_2_FACTS
from .test_review_and_close import COMPLETE_RECORD

pytestmark = pytest.mark.django_db


def test_a_low_level_record_about_someone_still_employed_says_in_words_why_it_has_no_end_date(
    share, persona, signed_in
) -> None:
    concern = share(persona("tom"))
    services.concern_triage(
        actor=persona("hana"), concern=concern, expected_version=concern.version, raw_facts=TIER_2_FACTS,
        decision="low_level", rationale="Tier 2.",
    )  # fmt: skip
    concern.refresh_from_db()
    services.low_level_record_save(actor=persona("hana"), concern=concern, expected_version=0, values=COMPLETE_RECORD)
    # "We will retain these records for 7 years from the date of the member of staff either leaving the academy
    # or retiring": nobody has left, so there is no date yet, and the page says why in words.
    assert LowLevelRecord.objects.get(concern=concern).retention_result.get("keep_until") is None
    page = signed_in("hana").get(reverse("concern_detail", args=[concern.pk])).content.decode()
    assert "Kept until 7 years after the person leaves: their leaving date is not recorded yet" in page
    assert "left_employment_on" not in page
