"""The LADO records' stored match keys (``people.AdultKey``): kept in step, and what keeps matching's cost flat."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import demo_record_ids
from threshold.accounts.models import Organisation
from threshold.demo import world
from threshold.lado.models import Case, Contact
from threshold.lado.services.cases import case_update_dataset, dataset_changes
from threshold.people.matching import Match, previous_about, search_records
from threshold.people.models import AdultKey, Person, adult_key_rows
from threshold.people.services import adult_keys_deferred

pytestmark = pytest.mark.django_db


@pytest.fixture
def northshire(demo_world: None) -> Organisation:
    return Organisation.objects.get(name=world.NORTHSHIRE)


def _contact(northshire: Organisation, name: str, born: dt.date | None = None, **extra: object) -> Contact:
    subject = Person.objects.create(organisation=northshire, full_name=name or "Someone", date_of_birth=born)
    return Contact.objects.create(
        local_authority=northshire,
        subject=subject,
        adult_name=name,
        adult_date_of_birth=born,
        summary="A contact for the match keys.",
        **extra,
    )


def _keys(**record: object) -> set[str]:
    return set(AdultKey.objects.filter(**record).values_list("key", flat=True))


def test_a_new_contact_stores_the_keys_of_its_adult(northshire: Organisation) -> None:
    contact = _contact(northshire, "Victor Nakamura", dt.date(1981, 10, 31), employer_name="Brookfield Academy")
    assert {"s:nakamura", "g:victor", "i:vn", "b:1981-10-31", "e:brookfield"} <= _keys(contact=contact)


def test_a_renamed_case_is_found_by_its_new_name_and_no_longer_by_its_old_one(persona, northshire) -> None:
    case = Case.objects.get(pk=demo_record_ids()["case_chris"])
    lara = persona("lara")
    assert case.pk in [m.record_id for m in previous_about(lara, local_authority=northshire, name="Chris Coach")]
    case_update_dataset(
        actor=lara,
        case=case,
        dataset=dataset_changes({"adult_name": "Christopher Nakamura-Coach"}),
        expected_version=case.version,
    )
    assert "s:nakamuracoach" in _keys(case=case)
    found = previous_about(lara, local_authority=northshire, name="Christopher Nakamura")
    assert [(m.kind, m.record_id) for m in found] == [("case", case.pk)]
    case_update_dataset(
        actor=lara,
        case=Case.objects.get(pk=case.pk),
        dataset=dataset_changes({"adult_name": "Victor Whitlock"}),
        expected_version=Case.objects.get(pk=case.pk).version,
    )
    assert "s:nakamuracoach" not in _keys(case=case)
    assert previous_about(lara, local_authority=northshire, name="Christopher Nakamura") == []
    assert [m.record_id for m in search_records(lara, name="Victor Whitlock")] == [case.pk]


def test_a_record_without_a_name_of_its_own_follows_its_renamed_subject(persona, northshire) -> None:
    contact = _contact(northshire, "")
    subject = contact.subject
    subject.full_name = "Imogen Blackwood"
    subject.date_of_birth = dt.date(1976, 12, 24)
    subject.save(update_fields=["full_name", "date_of_birth"])
    assert {"s:blackwood", "b:1976-12-24"} <= _keys(contact=contact)
    found = previous_about(persona("lara"), local_authority=northshire, name="Imogen Blackwood")
    assert [(m.record_id, m.name, m.level) for m in found] == [(contact.pk, "Imogen Blackwood", "probably")]


def _queries(run) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


def test_previous_records_and_search_make_as_many_queries_for_fifty_contacts_as_for_five(persona, northshire) -> None:
    lara = persona("lara")

    def previous() -> list[Match]:
        return previous_about(
            lara, local_authority=northshire, name="Jordan Whitley", date_of_birth=dt.date(1990, 1, 1)
        )

    def search() -> list[Match]:
        return search_records(lara, name="Jordan Whitley", employer_name="Lantern Lane")

    def add(count: int, start: int) -> None:
        for number in range(start, start + count):
            _contact(
                northshire,
                "Jordan Whitley",
                dt.date(1990, 1, 1) + dt.timedelta(days=number * 40),
                employer_name="Lantern Lane",
            )

    add(5, 0)
    previous(), search()  # the reader's scope is worked out once, on the first read
    small = (_queries(previous), _queries(search))
    assert len(search()) == 5
    add(45, 5)
    assert (_queries(previous), _queries(search)) == small
    assert len(search()) == 50
    assert len(previous()) == 50


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram likeness is PostgreSQL's (pg_trgm)")
def test_on_postgresql_a_surname_is_like_a_surname_not_a_key_that_shares_its_kind(northshire) -> None:
    jonas = _contact(northshire, "Mia Jonas")
    mo = _contact(northshire, "Mo")  # one word: the surname key "s:mo" only
    like_jones = set(adult_key_rows(record="contact", keys=(), similar=["s:jones"]).values_list("contact", flat=True))
    like_mia = set(adult_key_rows(record="contact", keys=(), similar=["s:mia"]).values_list("contact", flat=True))
    assert jonas.pk in like_jones
    # "s:mia" and "s:mo" share the "s" and the "m" (a likeness of 0.375 over whole keys); their words do not.
    assert mo.pk not in like_mia


def test_inside_an_import_batch_new_records_get_their_keys_together_as_it_ends(northshire: Organisation) -> None:
    earlier = _contact(northshire, "Victor Nakamura", dt.date(1981, 10, 31))
    with adult_keys_deferred():
        new = _contact(northshire, "Wren Okafor", dt.date(1990, 2, 3))
        assert not _keys(contact=new)
        earlier.adult_name = "Victor Nakamura-Reid"
        earlier.save(update_fields=["adult_name"])
        assert "s:reid" in _keys(contact=earlier)  # a change to a record already kept is written at once
        with CaptureQueriesContext(connection) as captured:
            more = [_contact(northshire, f"Person {n}") for n in range(3)]
        assert not any("people_adultkey" in query["sql"] for query in captured.captured_queries)
    assert {"s:okafor", "g:wren", "b:1990-02-03"} <= _keys(contact=new)
    assert all(_keys(contact=contact) for contact in more)


def test_a_batch_that_fails_writes_no_keys(northshire: Organisation) -> None:
    made: list[Contact] = []

    def batch() -> None:
        with adult_keys_deferred():
            made.append(_contact(northshire, "Wren Okafor", dt.date(1990, 2, 3)))
            raise RuntimeError("the batch's transaction is rolled back")

    with pytest.raises(RuntimeError):
        batch()
    assert not _keys(contact=made[0])
    later = _contact(northshire, "Ash Later")
    assert _keys(contact=later)  # outside a batch, keys go at once again
