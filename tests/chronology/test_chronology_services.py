"""Chronology entries: added by events and by hand, corrected by new entries, never edited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from threshold.allegations.models import Allegation
from threshold.audit.models import AuditEvent
from threshold.chronology import selectors, services
from threshold.chronology.models import ChronologyEntry, EntryKind
from threshold.chronology.panels import chronology_context
from threshold.concerns.models import Concern
from threshold.lado.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def allegation(records: dict[str, int]) -> Allegation:
    return Allegation.objects.get(pk=records["allegation_chris"])


def test_a_manual_entry_keeps_when_it_happened_and_is_audited(allegation, persona) -> None:
    when = timezone.now() - dt.timedelta(days=3)

    entry = services.chronology_add_manual(
        actor=persona("hana"), record=allegation, occurred_at=when, text="  Phoned the LADO for advice.  "
    )

    assert (entry.kind, entry.occurred_at, entry.text) == (EntryKind.MANUAL, when, "Phoned the LADO for advice.")
    assert (entry.allegation, entry.organisation, entry.recorded_by) == (
        allegation,
        allegation.organisation,
        persona("hana"),
    )
    event = AuditEvent.objects.get(action="chronology.entry_added")
    assert (event.actor, event.record_type, event.record_id) == (persona("hana"), "allegation", str(allegation.pk))
    assert event.details == {"entry": entry.pk}


@pytest.mark.parametrize(
    ("when", "text", "field"),
    [
        (dt.timedelta(minutes=5), "Tomorrow's meeting", "occurred_at"),
        (-dt.timedelta(minutes=5), "   ", "text"),
    ],
)
def test_a_manual_entry_in_the_future_or_without_words_is_refused(allegation, persona, when, text, field) -> None:
    with pytest.raises(ValidationError) as error:
        services.chronology_add_manual(
            actor=persona("hana"), record=allegation, occurred_at=timezone.now() + when, text=text
        )

    assert field in error.value.message_dict
    assert not ChronologyEntry.objects.filter(allegation=allegation).exists()


def test_an_entry_cannot_be_saved_again_or_deleted(allegation, persona) -> None:
    entry = services.chronology_record_event(record=allegation, text="Allegation recorded.", actor=persona("hana"))
    entry.text = "Something else"

    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()

    assert ChronologyEntry.objects.get(pk=entry.pk).text == "Allegation recorded."


def test_a_correction_is_a_new_entry_pointing_at_the_original_which_stays_as_it_was(allegation, persona) -> None:
    original = services.chronology_add_manual(
        actor=persona("hana"),
        record=allegation,
        occurred_at=timezone.now() - dt.timedelta(hours=2),
        text="Spoke to the pupil's father.",
    )

    correction = services.chronology_correct(actor=persona("dev"), entry=original, text="It was the pupil's mother.")

    original.refresh_from_db()
    assert original.text == "Spoke to the pupil's father."
    assert (correction.kind, correction.corrects, correction.allegation) == (EntryKind.CORRECTION, original, allegation)
    assert correction.occurred_at == original.occurred_at
    assert correction.recorded_by == persona("dev")
    assert list(original.corrections.all()) == [correction]
    assert services.chronology_of(allegation) == [original, correction]
    event = AuditEvent.objects.get(action="chronology.entry_corrected")
    assert event.details == {"entry": correction.pk, "corrects": original.pk}


def test_the_panel_marks_corrected_entries(allegation, persona) -> None:
    original = services.chronology_record_event(record=allegation, text="Referred on Monday.", actor=None)
    correction = services.chronology_correct(actor=persona("hana"), entry=original, text="Referred on Tuesday.")

    context = chronology_context(record=allegation, record_type="allegation", can_add=True)

    assert context["chronology_entries"] == [original, correction]
    assert context["chronology_corrections"] == {original.pk: [correction.pk]}
    assert (context["chronology_record_type"], context["chronology_record_id"]) == ("allegation", allegation.pk)


def test_an_empty_correction_is_refused(allegation, persona) -> None:
    original = services.chronology_record_event(record=allegation, text="Referred.", actor=None)

    with pytest.raises(ValidationError) as error:
        services.chronology_correct(actor=persona("hana"), entry=original, text=" ")

    assert "text" in error.value.message_dict
    assert not original.corrections.exists()


def test_entries_belong_to_concerns_allegations_and_cases(records, persona) -> None:
    concern = Concern.objects.get(pk=records["concern_by_tom"])
    case = Case.objects.get(pk=records["case_chris"])

    on_concern = services.chronology_record_event(record=concern, text="Raised.", actor=persona("tom"))
    on_case = services.chronology_record_event(record=case, text="Opened.", actor=persona("lara"))

    assert (on_concern.concern, on_concern.organisation) == (concern, concern.organisation)
    assert (on_case.case, on_case.organisation) == (case, case.local_authority)


def test_an_entry_is_found_only_within_the_record_it_belongs_to(records, allegation) -> None:
    entry = services.chronology_record_event(record=allegation, text="Referred.", actor=None)
    other = Allegation.objects.get(pk=records["allegation_nell"])

    assert selectors.chronology_entry_record_ref(entry_id=entry.pk) == ("allegation", allegation.pk)
    assert selectors.chronology_entry_of(record=allegation, record_type="allegation", entry_id=entry.pk) == entry
    with pytest.raises(Exception, match="No such record"):
        selectors.chronology_entry_of(record=other, record_type="allegation", entry_id=entry.pk)
