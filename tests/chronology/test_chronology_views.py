"""Adding and correcting chronology entries through the pages: access, errors, redirects."""

from __future__ import annotations

import pytest
from django.urls import reverse

from threshold.allegations.models import Allegation
from threshold.audit.models import AuditEvent
from threshold.chronology.models import ChronologyEntry, EntryKind
from threshold.chronology.services import chronology_record_event

pytestmark = pytest.mark.django_db

VALID = {
    "occurred_day": "2",
    "occurred_month": "3",
    "occurred_year": "2026",
    "occurred_time": "10:15am",
    "text": "Phoned the LADO; advised to consult the police.",
}


def _entry_on(allegation_id: int) -> ChronologyEntry:
    allegation = Allegation.objects.get(pk=allegation_id)
    return chronology_record_event(record=allegation, text="Referred to the LADO on Monday.", actor=None)


def test_the_case_manager_adds_an_entry_and_returns_to_the_chronology(records, signed_in, persona) -> None:
    hana = signed_in("hana")
    url = reverse("chronology_add", args=["allegation", records["allegation_chris"]])

    page = hana.get(url)
    response = hana.post(url, VALID)

    assert page.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == reverse("allegation_detail", args=[records["allegation_chris"]]) + "#chronology"
    entry = ChronologyEntry.objects.get(allegation_id=records["allegation_chris"], kind=EntryKind.MANUAL)
    assert entry.text == VALID["text"]
    assert entry.recorded_by == persona("hana")


def test_a_manual_entry_on_a_concern_returns_to_the_concern(records, signed_in) -> None:
    response = signed_in("hana").post(reverse("chronology_add", args=["concern", records["concern_by_tom"]]), VALID)

    assert response["Location"] == reverse("concern_detail", args=[records["concern_by_tom"]]) + "#chronology"


def test_bad_dates_are_explained_beside_the_fields_and_nothing_is_saved(records, signed_in) -> None:
    url = reverse("chronology_add", args=["allegation", records["allegation_chris"]])

    response = signed_in("hana").post(url, {**VALID, "occurred_day": "31", "occurred_month": "2", "occurred_time": ""})

    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert 'href="#id_occurred_day"' in body
    assert "The date it happened must be a real date" in body
    assert 'href="#id_occurred_time"' in body
    assert "Enter the time it happened" in body
    assert "govuk-input--error" in body
    assert not ChronologyEntry.objects.filter(allegation_id=records["allegation_chris"]).exists()


def test_the_correction_page_shows_the_entry_and_adds_a_correction_beside_it(records, signed_in) -> None:
    entry = _entry_on(records["allegation_chris"])
    hana = signed_in("hana")
    url = reverse("chronology_correct", args=[entry.pk])

    page = hana.get(url)
    response = hana.post(url, {"text": "It was Tuesday."})

    assert "Referred to the LADO on Monday." in page.content.decode()
    assert response["Location"] == reverse("allegation_detail", args=[records["allegation_chris"]]) + "#chronology"
    correction = ChronologyEntry.objects.get(corrects=entry)
    assert correction.text == "It was Tuesday."
    assert ChronologyEntry.objects.get(pk=entry.pk).text == "Referred to the LADO on Monday."
    assert AuditEvent.objects.filter(action="chronology.entry_corrected", actor__email__startswith="hana").exists()


def test_an_empty_correction_is_asked_for_again(records, signed_in) -> None:
    entry = _entry_on(records["allegation_chris"])

    response = signed_in("hana").post(reverse("chronology_correct", args=[entry.pk]), {"text": "  "})

    assert response.status_code == 200
    assert "Enter the correction" in response.content.decode()
    assert not ChronologyEntry.objects.filter(corrects=entry).exists()


@pytest.mark.parametrize(
    ("key", "record_type", "record"),
    [
        ("tom", "concern", "concern_by_tom"),  # may read his own report, not add to the record
        ("cara", "case", "case_chris"),  # the case is shared with her to read
        ("nina", "allegation", "allegation_chris"),  # another organisation
        ("lara", "allegation", "allegation_chris"),  # the employer's record, not the LADO's
    ],
)
def test_people_who_may_not_change_a_record_cannot_add_to_its_chronology(
    key, record_type, record, records, signed_in
) -> None:
    client = signed_in(key)
    url = reverse("chronology_add", args=[record_type, records[record]])

    assert client.get(url).status_code == 404
    assert client.post(url, VALID).status_code == 404
    assert not ChronologyEntry.objects.filter(kind=EntryKind.MANUAL).exists()


@pytest.mark.parametrize("key", ["tom", "nina", "lara", "ada", "sid"])
def test_people_who_may_not_change_the_record_cannot_correct_its_entries(key, records, signed_in) -> None:
    entry = _entry_on(records["allegation_chris"])
    client = signed_in(key)
    url = reverse("chronology_correct", args=[entry.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "Not so."}).status_code == 404
    assert not ChronologyEntry.objects.filter(corrects=entry).exists()


def test_unknown_records_and_entries_are_not_found(records, signed_in) -> None:
    hana = signed_in("hana")

    assert hana.get(reverse("chronology_add", args=["meeting", records["meeting_chris"]])).status_code == 404
    assert hana.get(reverse("chronology_add", args=["person", records["person_chris"]])).status_code == 404
    assert hana.get(reverse("chronology_correct", args=[999999])).status_code == 404


def test_the_lado_adds_to_a_cases_chronology(records, signed_in) -> None:
    response = signed_in("lara").post(reverse("chronology_add", args=["case", records["case_chris"]]), VALID)

    assert response["Location"] == reverse("case_detail", args=[records["case_chris"]]) + "#chronology"
