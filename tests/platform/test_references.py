"""Record references (ADR 0017): random, unique, one format per record type, found by search, backfilled."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from tests.migrating import fresh_database
from threshold.accounts.models import Organisation
from threshold.allegations.models import Allegation
from threshold.allegations.services import referral_make
from threshold.concerns.models import Concern
from threshold.concerns.services import concern_share
from threshold.core import references
from threshold.demo import world
from threshold.demo.records import load_demo_records
from threshold.lado.models import Case, Contact
from threshold.people.matching import search_records

RANDOM = "[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}"  # Crockford base32: no I, L, O or U
FORMATS: dict[type[Any], re.Pattern[str]] = {
    Concern: re.compile(rf"CON-{RANDOM}"),
    Allegation: re.compile(rf"ALG-{RANDOM}"),
    Contact: re.compile(rf"CT-{RANDOM}"),
    Case: re.compile(rf"LADO-{RANDOM}"),
}


def _value(reference: str) -> int:
    """The random part of a reference as the number it encodes."""
    digits = reference.split("-", 1)[1].replace("-", "")
    return int("".join(format(references.ALPHABET.index(c), "05b") for c in digits), 2)


# ---------------------------------------------------------------- the function


def test_a_new_reference_is_its_prefix_and_40_random_bits_in_an_unambiguous_alphabet() -> None:
    drawn = {references.new_reference("CON") for _ in range(500)}
    assert len(drawn) == 500
    for reference in drawn:
        assert FORMATS[Concern].fullmatch(reference)
        assert not set(reference.removeprefix("CON-")) & set("ILOU")
    assert references.RANDOM_CHARACTERS * 5 >= 40
    assert len(references.ALPHABET) == 32


def test_every_record_type_has_its_own_prefix_and_a_contact_never_looks_like_a_concern() -> None:
    assert len(set(references.PREFIXES)) == 4
    made = [
        references.new_concern_reference(),
        references.new_allegation_reference(),
        references.new_contact_reference(),
        references.new_case_reference(),
    ]
    assert [reference.split("-")[0] for reference in made] == ["CON", "ALG", "CT", "LADO"]
    for model, made_one in zip(FORMATS, made, strict=True):
        assert [other for other, pattern in FORMATS.items() if pattern.fullmatch(made_one)] == [model]


def test_a_reference_typed_loosely_reduces_to_the_same_key() -> None:
    key = references.reference_key("CT-10K0-9MXD")
    for typed in ("ct-10k0-9mxd", " CT 10K0 9MXD ", "ct10k09mxd", "CT-IOKO-9MXD", "ct-lok0-9mxd"):
        assert references.reference_key(typed) == key
    assert references.reference_key("LADO-10K0-9MXD") == "LADO10K09MXD"  # the prefix's O and L are kept
    assert references.reference_key("CON-10K0-9MXD") != references.reference_key("CT-10K0-9MXD")


# ---------------------------------------------------------------- records


@pytest.fixture
def records(demo_world: None) -> dict[str, int]:
    """The demo records' ids."""
    return load_demo_records().ids


def test_the_demo_records_have_references_of_their_types(records: dict[str, int]) -> None:
    for model in FORMATS:
        rows = list(model._default_manager.all())
        assert rows
        for row in rows:
            assert FORMATS[model].fullmatch(row.reference), row.reference
        assert len({row.reference for row in rows}) == len(rows)


def test_consecutive_concerns_references_reveal_no_count(persona, records: dict[str, int]) -> None:
    oakfield = Organisation.objects.get(name=world.OAKFIELD)
    shared = {
        "actor": persona("tom"),
        "organisation": oakfield,
        "subject_user": None,
        "subject_name": "Chris Coach",
        "subject_role": "Sports coach",
        "anonymous": False,
        "raised_on": timezone.localdate() - dt.timedelta(days=1),
        "how_arose": "suspicion",
        "headteacher_conflict": False,
    }
    made = [concern_share(**shared, details=f"Concern number {number}.") for number in range(12)]
    made_refs = [concern.reference for concern in made]
    assert all(FORMATS[Concern].fullmatch(reference) for reference in made_refs)
    assert len(set(made_refs)) == len(made_refs)
    # Neither the order of the references nor the gaps between them follow the order the concerns were made in.
    assert sorted(made_refs) != made_refs
    values = [_value(reference) for reference in made_refs]
    assert {later - earlier for earlier, later in itertools.pairwise(values)} != {1}


def test_an_employers_referral_gets_a_contact_reference_unlike_the_allegations_or_the_concerns(
    persona, records: dict[str, int]
) -> None:
    allegation = Allegation.objects.get(pk=records["allegation_nell"])
    referral = referral_make(actor=persona("nina"), allegation=allegation)
    contact = Contact.objects.get(referral=referral)
    assert FORMATS[Contact].fullmatch(contact.reference)
    assert FORMATS[Allegation].fullmatch(allegation.reference)
    concern = Concern.objects.get(pk=records["concern_by_tom"])
    assert contact.reference.split("-")[0] != concern.reference.split("-")[0]


def test_a_taken_reference_is_drawn_again_and_other_integrity_errors_are_not_hidden(
    monkeypatch: pytest.MonkeyPatch, records: dict[str, int], persona
) -> None:
    taken = Concern.objects.get(pk=records["concern_by_tom"])
    fresh = references.new_concern_reference()
    draws: Iterator[str] = iter([taken.reference, fresh])
    field = Concern._meta.get_field("reference")
    monkeypatch.setattr(field, "_get_default", lambda: next(draws))
    concern = Concern.objects.create(organisation=taken.organisation, subject=taken.subject, summary="Another.")
    assert concern.reference == fresh
    monkeypatch.setattr(field, "_get_default", references.new_concern_reference)
    with pytest.raises(IntegrityError):  # an anonymous concern with a reporter: not a reference collision
        Concern.objects.create(
            organisation=taken.organisation, subject=taken.subject, summary="x", is_anonymous=True,
            reporter=persona("tom"),
        )  # fmt: skip


def test_the_lado_search_finds_a_case_and_a_contact_by_the_new_reference_typed_loosely(
    persona, signed_in, records: dict[str, int]
) -> None:
    case = Case.objects.get(pk=records["case_chris"])
    contact = Contact.objects.get(pk=records["contact_consultation"])
    loosely = case.reference.lower().replace("-", " ")
    assert [(m.kind, m.record_id) for m in search_records(persona("lara"), reference=loosely)] == [("case", case.pk)]
    compact = contact.reference.replace("-", "")
    assert [m.record_id for m in search_records(persona("lara"), reference=compact)] == [contact.pk]
    page = signed_in("lara").post(reverse("lado_search"), {"reference": contact.reference.lower()})
    assert contact.reference in page.content.decode()
    assert search_records(persona("sam"), reference=contact.reference) == []


def test_pages_and_exports_quote_the_stored_reference(signed_in, records: dict[str, int]) -> None:
    concern = Concern.objects.get(pk=records["concern_by_tom"])
    hana = signed_in("hana")
    assert concern.reference in hana.get(reverse("concern_detail", args=[concern.pk])).content.decode()
    export = hana.get(reverse("export_concerns", args=["csv"])).getvalue().decode()
    assert concern.reference in export
    assert not re.search(r"\bC-\d", export)
    allegation = Allegation.objects.get(pk=records["allegation_chris"])
    assert allegation.reference in hana.get(reverse("allegation_detail", args=[allegation.pk])).content.decode()
    contact = Contact.objects.get(pk=records["contact_chris"])
    lara = signed_in("lara")
    assert f"Contact {contact.reference}" in lara.get(reverse("contact_detail", args=[contact.pk])).content.decode()
    case = Case.objects.get(pk=records["case_chris"])
    assert case.reference in lara.get(reverse("case_detail", args=[case.pk])).content.decode()


# ---------------------------------------------------------------- the migrations


BEFORE = [
    ("concerns", "0006_escalation_close_reroute_raised_by"),
    ("allegations", "0006_step_routes_follow_ups_agency_names"),
    ("lado", "0003_risk_label"),
]
AFTER = [
    ("concerns", "0008_concern_reference_unique"),
    ("allegations", "0008_allegation_reference_unique"),
    ("lado", "0005_contact_case_references_unique"),
]


@pytest.mark.django_db(transaction=True)
def test_the_migrations_give_existing_records_references_and_replace_sequential_case_references() -> None:
    with fresh_database() as database:
        old = database.migrate(BEFORE)
        organisation = old.get_model("accounts", "Organisation").objects.create(
            name="Backfill Council", kind="local_authority"
        )
        person = old.get_model("people", "Person").objects.create(
            organisation=organisation, kind="adult", full_name="Pat Backfill"
        )
        made = {"person": person.pk, "organisation": organisation.pk}
        for number in range(3):
            old.get_model("concerns", "Concern").objects.create(
                organisation_id=made["organisation"], subject_id=made["person"], summary=f"Old concern {number}"
            )
            old.get_model("allegations", "Allegation").objects.create(
                organisation_id=made["organisation"], subject_id=made["person"], summary=f"Old allegation {number}"
            )
            old.get_model("lado", "Contact").objects.create(
                local_authority_id=made["organisation"], subject_id=made["person"], summary=f"Old contact {number}"
            )
            old.get_model("lado", "Case").objects.create(
                local_authority_id=made["organisation"], subject_id=made["person"], summary=f"Old case {number}",
                reference=f"LADO-2026-{number + 1:04d}",
            )  # fmt: skip

        after = database.migrate(AFTER)
        for model, pattern in FORMATS.items():
            rows = list(after.get_model(model._meta.app_label, model._meta.model_name).objects.all())
            assert len(rows) == 3
            assert all(pattern.fullmatch(row.reference) for row in rows), [row.reference for row in rows]
            assert len({row.reference for row in rows}) == 3
