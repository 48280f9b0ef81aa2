"""Investigation outcomes are codes that can be counted, with free text beside (issue 13; audit row DS8).

The data set asks "How allegation was investigated – criminal S47; disciplinary etc and outcome of
investigations". KCSIE: the police decide whether to "charge, caution or take no further action"; the trust's
policy names dismissal, and "where an individual resigns prior to a disciplinary hearing completing".
"""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from threshold.lado.models import Case, Investigation
from threshold.lado.services.case_agencies import INVESTIGATION_OUTCOMES, case_record_investigation

TODAY = timezone.localdate  # asked when used, not when the module loads: a run may cross midnight
LAST_MONTH = TODAY() - dt.timedelta(days=30)


def _codes(kind: str) -> list[str]:
    return [code for code, _ in INVESTIGATION_OUTCOMES[kind]]


def test_the_police_outcomes_are_kcsies_charge_caution_or_no_further_action_then_conviction_or_acquittal() -> None:
    assert {"no_further_action", "charge", "caution", "conviction", "acquittal", "ongoing", "other"} == set(
        _codes("criminal")
    )


def test_a_section_47_enquiry_can_end_in_a_child_protection_plan_or_no_further_action() -> None:
    assert {"child_protection_plan", "child_in_need", "no_further_action", "other"} <= set(_codes("section_47"))


def test_the_disciplinary_outcomes_include_dismissal_final_warning_no_case_to_answer_and_resignation() -> None:
    labels = dict(INVESTIGATION_OUTCOMES["disciplinary"])
    assert labels["dismissal"] == "Dismissed"
    assert labels["final_written_warning"] == "Final written warning"
    assert labels["no_case_to_answer"] == "No case to answer"
    assert labels["resigned"] == "Resigned before the process concluded"


def test_a_coded_outcome_keeps_the_words_beside_it(persona, chris_case: Case) -> None:
    row = case_record_investigation(
        actor=persona("lara"),
        case=chris_case,
        kind="disciplinary",
        outcome="final_written_warning",
        outcome_detail="Twelve months on file.",
        referred_on=LAST_MONTH,
        outcome_on=TODAY(),
        expected_version=chris_case.version,
    )
    assert (row.outcome, row.outcome_detail) == ("final_written_warning", "Twelve months on file.")


def test_an_other_outcome_must_be_described(persona, chris_case: Case) -> None:
    with pytest.raises(ValidationError) as refused:
        case_record_investigation(
            actor=persona("lara"),
            case=chris_case,
            kind="criminal",
            outcome="other",
            referred_on=LAST_MONTH,
            outcome_on=TODAY(),
            expected_version=chris_case.version,
        )
    assert refused.value.message_dict["outcome_detail"] == ["Describe the outcome"]


def test_the_case_page_shows_the_outcome_and_the_words_beside_it(signed_in, chris_case: Case) -> None:
    client = signed_in("lara")
    url = reverse("case_record_investigation", args=[chris_case.pk, "criminal"])
    form = client.get(url).content.decode()
    assert "Caution" in form
    assert "Other outcome (described below)" in form
    done = client.post(
        url,
        {
            "version": chris_case.version,
            "referred_on_day": LAST_MONTH.day,
            "referred_on_month": LAST_MONTH.month,
            "referred_on_year": LAST_MONTH.year,
            "outcome": "other",
            "outcome_detail": "Community resolution agreed with the family.",
            "outcome_on_day": TODAY().day,
            "outcome_on_month": TODAY().month,
            "outcome_on_year": TODAY().year,
        },
    )
    assert done.status_code == 302
    page = client.get(reverse("case_detail", args=[chris_case.pk])).content.decode()
    assert "Community resolution agreed with the family." in page


def test_a_free_text_outcome_recorded_before_the_codes_becomes_other_with_its_words_kept(
    persona, chris_case: Case
) -> None:
    """The migration keeps an earlier outcome's words: "other", the text beside it."""
    earlier = Investigation.objects.create(
        case=chris_case, kind="disciplinary", outcome="Verbal warning", recorded_by=persona("lara")
    )
    coded = Investigation.objects.create(
        case=chris_case, kind="criminal", outcome="caution", recorded_by=persona("lara")
    )
    migration = importlib.import_module("threshold.lado.migrations.0008_case_management")
    migration.code_free_text_outcomes(apps, None)
    earlier.refresh_from_db()
    coded.refresh_from_db()
    assert (earlier.outcome, earlier.outcome_detail) == ("other", "Verbal warning")
    assert (coded.outcome, coded.outcome_detail) == ("caution", "")
