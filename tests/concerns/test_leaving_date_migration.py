"""The leaving date moves from each low-level record onto its person (13.4), keeping what was recorded."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.migrating import fresh_database

BEFORE = [("concerns", "0010_head_sign_off"), ("people", "0002_match_keys")]
AFTER = [("concerns", "0011_leaving_date_to_people")]


@pytest.mark.django_db(transaction=True)
def test_a_leaving_date_typed_into_low_level_records_becomes_the_persons_and_going_back_restores_it() -> None:
    with fresh_database() as database:
        old = database.migrate(BEFORE)
        organisation = old.get_model("accounts", "Organisation").objects.create(name="Migration Primary", kind="school")
        hana = old.get_model("accounts", "User").objects.create(email="head@migration.example", full_name="Head")
        person_model = old.get_model("people", "Person")
        chris = person_model.objects.create(organisation=organisation, kind="adult", full_name="Chris Earlier")
        sam = person_model.objects.create(organisation=organisation, kind="adult", full_name="Sam Stays")
        concern_model = old.get_model("concerns", "Concern")
        record_model = old.get_model("concerns", "LowLevelRecord")
        # Two records about Chris disagree: the later date is kept, so nothing is deleted too early.
        for number, left_on in enumerate((dt.date(2025, 7, 18), dt.date(2026, 8, 31))):
            concern = concern_model.objects.create(
                organisation_id=organisation.pk, subject_id=chris.pk, summary=f"Concern {number}",
                reference=f"CON-MIG{number}-0000",
            )  # fmt: skip
            record_model.objects.create(concern=concern, updated_by_id=hana.pk, left_employment_on=left_on)
        concern = concern_model.objects.create(
            organisation_id=organisation.pk, subject_id=sam.pk, summary="Concern about Sam", reference="CON-MIG9-0000"
        )
        record_model.objects.create(concern=concern, updated_by_id=hana.pk)

        people = database.migrate(AFTER).get_model("people", "Person").objects
        assert people.get(pk=chris.pk).left_employment_on == dt.date(2026, 8, 31)
        assert people.get(pk=sam.pk).left_employment_on is None

        restored = database.migrate(BEFORE).get_model("concerns", "LowLevelRecord").objects
        assert {record.left_employment_on for record in restored.filter(concern__subject_id=chris.pk)} == {
            dt.date(2026, 8, 31)
        }
