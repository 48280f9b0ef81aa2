"""Section 8: "The records of any allegation that, following an investigation, is found to be malicious or false
will be recorded as such … and archived from the individual's personnel file (unless the individual consents for
the records to be retained on the file)"."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from threshold.allegations import selectors, services
from threshold.allegations.models import Allegation, PersonnelFileDecision

TODAY = timezone.localdate
PROMPT = "archive the records from the personnel file, unless the individual consents"


def _conclude(persona, allegation: Allegation, outcome: str) -> None:
    services.outcome_record(
        actor=persona("hana"),
        allegation=allegation,
        report="CCTV shows the pupil was not in the PE lesson.",
        outcome=outcome,
        concluded_on=TODAY(),
        malicious_action="The headteacher considers the pupil's behaviour policy." if outcome == "malicious" else "",
    )
    allegation.refresh_from_db()


def _page(signed_in, allegation: Allegation) -> str:
    return signed_in("hana").get(reverse("allegation_detail", args=[allegation.pk])).content.decode()


@pytest.mark.parametrize("outcome", ["malicious", "false"])
def test_a_malicious_or_false_allegation_prompts_the_removal_or_the_consent(
    signed_in, persona, chris_allegation, outcome
) -> None:
    _conclude(persona, chris_allegation, outcome)
    assert "Archive from the personnel file, or record the consent to keep it" in [
        item.text for item in selectors.due_items(chris_allegation)
    ]
    html = _page(signed_in, chris_allegation)
    assert PROMPT in html
    assert reverse("allegation_personnel_file", args=[chris_allegation.pk]) in html


def test_the_individuals_consent_to_keep_the_records_is_recorded_with_its_date(
    signed_in, persona, chris_allegation
) -> None:
    _conclude(persona, chris_allegation, "false")
    services.personnel_file_record(
        actor=persona("hana"), allegation=chris_allegation, choice="consented", decided_on=TODAY()
    )
    assert [item.text for item in selectors.due_items(chris_allegation)] == ["Tell the adult the outcome"]
    html = _page(signed_in, chris_allegation)
    assert PROMPT not in html
    assert f"the individual consented on {TODAY():%-d %B %Y}" in html


def test_the_removal_says_when_and_who_archived_the_records(signed_in, persona, chris_allegation) -> None:
    _conclude(persona, chris_allegation, "malicious")
    url = reverse("allegation_personnel_file", args=[chris_allegation.pk])
    today = TODAY()
    dates = {"decided_on_day": today.day, "decided_on_month": today.month, "decided_on_year": today.year}
    response = signed_in("hana").post(url, {"choice": "archived", **dates})
    assert response.status_code == 200
    assert "Enter who archived the records from the personnel file" in response.content.decode()
    assert not PersonnelFileDecision.objects.exists()
    response = signed_in("hana").post(url, {"choice": "archived", "done_by": "Hana Head, headteacher", **dates})
    assert response.status_code == 302
    assert f"Archived from the personnel file on {today:%-d %B %Y} by Hana Head, headteacher." in _page(
        signed_in, chris_allegation
    )


def test_a_substantiated_allegation_stays_on_the_file(persona, chris_allegation) -> None:
    services.outcome_record(
        actor=persona("hana"),
        allegation=chris_allegation,
        report="Two witnesses.",
        outcome="substantiated",
        concluded_on=TODAY(),
        disciplinary_route="Disciplinary hearing.",
    )
    with pytest.raises(ValidationError) as raised:
        services.personnel_file_record(
            actor=persona("hana"), allegation=chris_allegation, choice="archived", decided_on=TODAY(), done_by="Hana"
        )
    assert "malicious or false" in raised.value.message_dict["__all__"][0]
