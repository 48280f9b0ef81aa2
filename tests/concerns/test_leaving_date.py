"""Section 13.4: "We will retain these records for 7 years from the date of the member of staff either leaving the
academy or retiring." The leaving date is recorded once for the person, not typed into each low-level record.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from threshold.audit.models import AuditEvent
from threshold.chronology.models import ChronologyEntry
from threshold.concerns import services
from threshold.concerns.models import Concern, LowLevelRecord
from threshold.core.errors import ConflictError
from threshold.people.models import Person

from .conftest import TIER_2_FACTS
from .test_review_and_close import COMPLETE_RECORD

pytestmark = pytest.mark.django_db

LEFT = dt.date(2026, 8, 31)


def _low_level_record(persona, concern: Concern) -> Concern:
    """Hana triages the concern as low level and completes its record."""
    services.concern_triage(
        actor=persona("hana"), concern=concern, expected_version=concern.version, raw_facts=TIER_2_FACTS,
        decision="low_level", rationale="Tier 2.",
    )  # fmt: skip
    concern.refresh_from_db()
    services.low_level_record_save(actor=persona("hana"), concern=concern, expected_version=0, values=COMPLETE_RECORD)
    concern.refresh_from_db()
    return concern


def _boxes(day: dt.date | None) -> dict[str, str]:
    if day is None:
        return {"left_employment_on_day": "", "left_employment_on_month": "", "left_employment_on_year": ""}
    return {
        "left_employment_on_day": str(day.day),
        "left_employment_on_month": str(day.month),
        "left_employment_on_year": str(day.year),
    }


def test_hana_records_once_that_chris_left_and_every_low_level_record_about_him_counts_7_years_from_it(
    share, persona
) -> None:
    first = _low_level_record(persona, share(persona("tom")))
    second = _low_level_record(persona, share(persona("tom"), details="Chris messaged a pupil on social media."))
    assert first.subject_id == second.subject_id
    person = services.person_leaving_date_record(
        actor=persona("hana"), concern=second, expected_version=second.subject.version, left_on=LEFT
    )
    assert Person.objects.get(pk=person.pk).left_employment_on == LEFT
    for concern in (first, second):
        record = LowLevelRecord.objects.get(concern=concern)
        assert record.retention_facts["left_employment_on"] == "2026-08-31"
        assert record.retention_result["keep_until"] == "2033-08-31"
    event = AuditEvent.objects.get(action="person.leaving_date_recorded", record_id=str(person.pk))
    assert event.actor == persona("hana")
    assert event.changes["left_employment_on"] == [None, "2026-08-31"]
    assert event.details["low_level_records_worked_out_again"] == 2
    assert ChronologyEntry.objects.filter(
        concern=second, text="Recorded that the adult left or retired on 31 August 2026."
    ).exists()


def test_a_record_saved_after_the_leaving_date_reads_it_from_the_person(share, persona) -> None:
    concern = share(persona("tom"))
    services.person_leaving_date_record(
        actor=persona("hana"), concern=concern, expected_version=concern.subject.version, left_on=LEFT
    )
    concern.refresh_from_db()
    concern = _low_level_record(persona, concern)
    assert LowLevelRecord.objects.get(concern=concern).retention_result["keep_until"] == "2033-08-31"


def test_a_leaving_date_in_the_future_is_refused_and_nothing_is_saved(share, persona) -> None:
    concern = _low_level_record(persona, share(persona("tom")))
    with pytest.raises(ValidationError) as error:
        services.person_leaving_date_record(
            actor=persona("hana"), concern=concern, expected_version=concern.subject.version,
            left_on=timezone.localdate() + dt.timedelta(days=1),
        )  # fmt: skip
    assert error.value.message_dict == {
        "left_employment_on": ["The date the person left or retired must be today or in the past"]
    }
    assert Person.objects.get(pk=concern.subject_id).left_employment_on is None


def test_a_date_recorded_by_mistake_is_removed_and_the_records_wait_for_a_leaving_date_again(share, persona) -> None:
    concern = _low_level_record(persona, share(persona("tom")))
    with pytest.raises(ValidationError) as error:
        services.person_leaving_date_record(
            actor=persona("hana"), concern=concern, expected_version=concern.subject.version, left_on=None
        )
    assert error.value.message_dict == {"left_employment_on": ["Enter the date the person left or retired"]}
    person = services.person_leaving_date_record(
        actor=persona("hana"), concern=concern, expected_version=concern.subject.version, left_on=LEFT
    )
    services.person_leaving_date_record(
        actor=persona("hana"), concern=concern, expected_version=person.version, left_on=None
    )
    assert Person.objects.get(pk=person.pk).left_employment_on is None
    assert LowLevelRecord.objects.get(concern=concern).retention_result["keep_until"] is None


def test_two_people_recording_the_leaving_date_at_once_do_not_overwrite_each_other(share, persona) -> None:
    concern = _low_level_record(persona, share(persona("tom")))
    loaded = concern.subject.version
    services.person_leaving_date_record(actor=persona("dev"), concern=concern, expected_version=loaded, left_on=LEFT)
    with pytest.raises(ConflictError):
        services.person_leaving_date_record(
            actor=persona("hana"), concern=concern, expected_version=loaded, left_on=dt.date(2026, 7, 20)
        )
    assert Person.objects.get(pk=concern.subject_id).left_employment_on == LEFT


# The pages


def test_the_low_level_record_form_no_longer_asks_for_a_leaving_date(share, persona, signed_in) -> None:
    concern = _low_level_record(persona, share(persona("tom")))
    page = signed_in("hana").get(reverse("concern_low_level", args=[concern.pk])).content.decode()
    assert "left_employment_on_day" not in page
    assert "Date they left or retired: Not recorded" in page
    assert reverse("concern_leaving_date", args=[concern.pk]) in page


def test_before_anyone_leaves_the_concern_page_says_in_words_how_long_the_record_is_kept(
    share, persona, signed_in
) -> None:
    concern = _low_level_record(persona, share(persona("tom")))
    page = signed_in("hana").get(reverse("concern_detail", args=[concern.pk])).content.decode()
    assert "Kept until 7 years after the person leaves: their leaving date is not recorded yet" in page
    assert "Record the date they left or retired" in page
    assert "left_employment_on" not in page


def test_hana_records_the_leaving_date_from_the_concern_and_the_retention_date_follows(
    share, persona, signed_in
) -> None:
    concern = _low_level_record(persona, share(persona("tom")))
    hana = signed_in("hana")
    url = reverse("concern_leaving_date", args=[concern.pk])
    form = hana.get(url).content.decode()
    assert "We will retain these records for 7 years" in form
    response = hana.post(url, {"version": str(concern.subject.version), **_boxes(LEFT)})
    assert response.status_code == 302
    detail = hana.get(reverse("concern_detail", args=[concern.pk])).content.decode()
    assert "31 August 2033" in detail
    assert "Change the date they left or retired" in detail
    person_page = hana.get(reverse("person_detail", args=[concern.subject_id])).content.decode()
    assert "Date they left or retired" in person_page
    assert "31 August 2026" in person_page


def test_a_future_leaving_date_is_given_back_with_the_error_beside_the_date(share, persona, signed_in) -> None:
    concern = _low_level_record(persona, share(persona("tom")))
    url = reverse("concern_leaving_date", args=[concern.pk])
    future = timezone.localdate() + dt.timedelta(days=30)
    response = signed_in("hana").post(url, {"version": str(concern.subject.version), **_boxes(future)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_left_employment_on_day"' in page
    assert page.count("The date the person left or retired must be today or in the past") == 2
    assert Person.objects.get(pk=concern.subject_id).left_employment_on is None


def test_a_stale_leaving_date_form_gets_the_conflict_notice(share, persona, signed_in) -> None:
    concern = _low_level_record(persona, share(persona("tom")))
    url = reverse("concern_leaving_date", args=[concern.pk])
    loaded = str(concern.subject.version)
    signed_in("dev").post(url, {"version": loaded, **_boxes(LEFT)})
    stale = signed_in("hana").post(url, {"version": loaded, **_boxes(dt.date(2026, 7, 20))})
    assert stale.status_code == 409
    assert Person.objects.get(pk=concern.subject_id).left_employment_on == LEFT


def test_tom_who_raised_the_concern_cannot_record_the_leaving_date(share, persona, signed_in) -> None:
    concern = _low_level_record(persona, share(persona("tom")))
    url = reverse("concern_leaving_date", args=[concern.pk])
    assert signed_in("tom").get(url).status_code == 404
    assert signed_in("tom").post(url, {"version": "1", **_boxes(LEFT)}).status_code == 404
    assert Person.objects.get(pk=concern.subject_id).left_employment_on is None
