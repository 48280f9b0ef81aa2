"""Identity matching: earlier contacts, consultations and cases about the same adult, through access only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from threshold.accounts.models import Organisation
from threshold.demo import world
from threshold.lado.models import Case, Contact
from threshold.lado.services.contacts import contact_record
from threshold.people.matching import name_similarity, previous_about, search_records, why_matched


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Chris Coach", "Chriss Coach"),
        ("Chris Coach", "Christopher Coach"),
        ("Chris Coach", "Coach, Chris"),
        ("chris  coach", "CHRIS COACH"),
    ],
)
def test_names_match_allowing_for_spelling_short_forenames_and_order(first: str, second: str) -> None:
    assert name_similarity(first, second) >= 85


@pytest.mark.parametrize(("first", "second"), [("Chris Coach", "Chris Cook"), ("Chris Coach", "Tom Teacher"), ("", "")])
def test_different_names_do_not_match(first: str, second: str) -> None:
    assert name_similarity(first, second) < 85


def test_each_match_says_why_it_matched() -> None:
    reasons, _score = why_matched(
        name="Christopher Coach",
        date_of_birth=dt.date(1990, 6, 21),
        employer_name="Oakfield Primary",
        their_name="Chris Coach",
        their_birth=dt.date(1990, 6, 21),
        their_employer="Oakfield Primary School",
    )
    assert reasons == ("Same date of birth", "Similar name (Chris Coach)", "Similar employer (Oakfield Primary School)")


def test_a_shared_date_of_birth_or_employer_alone_is_not_a_match() -> None:
    reasons, _score = why_matched(
        name="Tom Teacher",
        date_of_birth=dt.date(1990, 6, 21),
        employer_name="Oakfield Primary School",
        their_name="Chris Coach",
        their_birth=dt.date(1990, 6, 21),
        their_employer="Oakfield Primary School",
    )
    assert reasons == ()


def test_a_new_contact_finds_the_earlier_consultation_and_case_about_the_same_adult(
    persona, ids: dict[str, int], northshire: Organisation
) -> None:
    robin = previous_about(
        persona("lara"), local_authority=northshire, name="Robyn Youthleader", date_of_birth=dt.date(1996, 2, 11)
    )
    assert [(match.kind, match.record_id) for match in robin] == [("consultation", ids["contact_consultation"])]
    assert robin[0].reasons == ("Same date of birth", "Similar name (Robin Youthleader)")
    chris = previous_about(persona("lara"), local_authority=northshire, name="Christopher Coach")
    assert [(match.kind, match.record_id) for match in chris] == [("case", ids["case_chris"])]
    assert previous_about(persona("lara"), local_authority=northshire, name="Chris Cook") == []


def test_the_candidates_are_weighed_once_each_and_ordered_by_that_weight(
    persona, ids: dict[str, int], northshire: Organisation
) -> None:
    with CaptureQueriesContext(connection) as queries:
        previous_about(
            persona("lara"), local_authority=northshire, name="Robyn Youthleader", date_of_birth=dt.date(1996, 2, 11)
        )
    ranked = [query["sql"] for query in queries.captured_queries if "SUM(CASE" in query["sql"]]
    # One ranked read of the contacts and one of the cases, each summing a candidate's key weights once: ordered
    # by the weight's place in the select list, not by the sum written out again (which SQLite works out twice).
    assert len(ranked) == 2
    assert all(sql.count("SUM(CASE") == 1 for sql in ranked)


def test_matching_never_shows_another_local_authoritys_records(
    persona, ids: dict[str, int], northshire: Organisation
) -> None:
    assert previous_about(persona("sam"), local_authority=northshire, name="Chris Coach") == []
    southvale = Organisation.objects.get(name=world.SOUTHVALE)
    assert previous_about(persona("lara"), local_authority=southvale, name="Jo Youthworker") == []
    assert [m.kind for m in previous_about(persona("sam"), local_authority=southvale, name="Jo Youthworker")] == [
        "case"
    ]


def test_matching_never_shows_a_record_about_the_viewer(persona, northshire: Organisation) -> None:
    about_mo = contact_record(
        actor=persona("lara"),
        local_authority=northshire,
        received_at=timezone.now() - dt.timedelta(hours=1),
        method="phone",
        source="public",
        adult_name="Mo Manager",
        adult_email="mo.manager@northshire.example",
        summary="A neighbour's concern.",
    )
    assert [m.record_id for m in previous_about(persona("lara"), local_authority=northshire, name="Mo Manager")] == [
        about_mo.pk
    ]
    assert previous_about(persona("mo"), local_authority=northshire, name="Mo Manager") == []
    assert search_records(persona("mo"), name="Mo Manager") == []


def test_search_finds_by_case_reference_contact_reference_and_employer(persona, ids: dict[str, int]) -> None:
    case = Case.objects.get(pk=ids["case_chris"])
    by_reference = search_records(persona("lara"), reference=case.reference.lower())
    assert [(m.kind, m.record_id) for m in by_reference] == [("case", case.pk)]
    consultation = Contact.objects.get(pk=ids["contact_consultation"])
    assert [m.record_id for m in search_records(persona("lara"), reference=consultation.reference)] == [consultation.pk]
    by_employer = search_records(persona("lara"), employer_name="Northshire Youth Club")
    assert [(m.kind, m.record_id) for m in by_employer] == [("consultation", consultation.pk)]
    assert search_records(persona("sam"), reference=case.reference) == []


def test_a_contacts_own_case_is_not_an_earlier_record(persona, ids: dict[str, int], northshire: Organisation) -> None:
    everything = previous_about(persona("lara"), local_authority=northshire, name="Chris Coach")
    assert [m.record_id for m in everything] == [ids["case_chris"]]
    own = previous_about(
        persona("lara"), local_authority=northshire, name="Chris Coach", exclude_contact=ids["contact_chris"]
    )
    assert own == []
