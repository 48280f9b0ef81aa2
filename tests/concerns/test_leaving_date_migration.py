"""The leaving date moves from each low-level record onto its person (13.4), keeping what was recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from threshold.accounts.models import Organisation, User
from threshold.people.models import Person, PersonKind

BEFORE = [("concerns", "0010_head_sign_off"), ("people", "0002_match_keys")]
AFTER = [("concerns", "0011_leaving_date_to_people")]


@pytest.mark.django_db(transaction=True)
def test_a_leaving_date_typed_into_low_level_records_becomes_the_persons_and_going_back_restores_it() -> None:
    organisation = Organisation.objects.create(name="Migration Primary", kind="school")
    hana = User.objects.create(email="head@migration.example", full_name="Head Teacher")
    # bulk_create: only rows to point at are needed, not what Person.save keeps beside them.
    chris, sam = Person.objects.bulk_create(
        [
            Person(organisation=organisation, kind=PersonKind.ADULT, full_name="Chris Earlier"),
            Person(organisation=organisation, kind=PersonKind.ADULT, full_name="Sam Stays"),
        ]
    )
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
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
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        assert Person.objects.get(pk=chris.pk).left_employment_on == dt.date(2026, 8, 31)
        assert Person.objects.get(pk=sam.pk).left_employment_on is None
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        restored = old.get_model("concerns", "LowLevelRecord").objects.filter(concern__subject_id=chris.pk)
        assert {record.left_employment_on for record in restored} == {dt.date(2026, 8, 31)}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
