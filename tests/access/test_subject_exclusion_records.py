"""Subject exclusion beyond concerns: allegations, documents, LADO contacts, cases, meetings, search and panels.

Each test makes a demo record about a persona who would otherwise reach it
(Hana handles Oakfield's allegations; Lara works Northshire's cases), then
checks every way it could show: detail, list, count, search, home panel,
download. The same record stays visible to the right colleague.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from threshold.access import fetch
from threshold.allegations.models import Allegation
from threshold.audit.models import AuditEvent
from threshold.lado.models import Case, Contact
from threshold.people.models import Person
from threshold.people.services import adult_keys_write

pytestmark = pytest.mark.django_db


def link(name: str, pk: int) -> str:
    return f'href="{reverse(name, args=[pk])}'


@pytest.fixture
def allegation_about_hana(records, persona) -> Allegation:
    """The demo allegation at Oakfield, and its document, made to be about Hana, Oakfield's headteacher."""
    allegation = Allegation.objects.get(pk=records["allegation_chris"])
    hana = Person.objects.create(organisation=allegation.organisation, full_name="Hana Head", user=persona("hana"))
    Allegation.objects.filter(pk=allegation.pk).update(subject=hana)
    return Allegation.objects.get(pk=allegation.pk)


def test_hana_never_sees_an_allegation_about_herself_or_its_document_priya_does(
    allegation_about_hana: Allegation, records, signed_in, persona
) -> None:
    hana = signed_in("hana")
    assert hana.get(reverse("allegation_detail", args=[allegation_about_hana.pk])).status_code == 404
    assert hana.get(reverse("document_download", args=[records["document_allegation"]])).status_code == 404
    assert (
        link("allegation_detail", allegation_about_hana.pk) not in hana.get(reverse("allegation_list")).content.decode()
    )
    assert link("allegation_detail", allegation_about_hana.pk) not in hana.get(reverse("home")).content.decode()
    assert not fetch.visible_allegations(persona("hana")).filter(pk=allegation_about_hana.pk).exists()
    assert not fetch.visible_documents(persona("hana")).filter(pk=records["document_allegation"]).exists()
    priya = signed_in("priya")
    assert priya.get(reverse("allegation_detail", args=[allegation_about_hana.pk])).status_code == 200
    assert priya.get(reverse("document_download", args=[records["document_allegation"]])).status_code == 200
    assert link("allegation_detail", allegation_about_hana.pk) in priya.get(reverse("allegation_list")).content.decode()


@pytest.fixture
def case_about_lara(records, persona) -> Case:
    """Northshire's demo case (its contact, meeting and document) made to be about Lara, a Northshire LADO."""
    case = Case.objects.get(pk=records["case_chris"])
    lara = Person.objects.create(organisation=case.local_authority, full_name="Lara Lado", user=persona("lara"))
    Case.objects.filter(pk=case.pk).update(subject=lara, adult_name="Lara Lado")
    Contact.objects.filter(pk=records["contact_chris"]).update(subject=lara, adult_name="Lara Lado")
    # Their match keys follow the new name, as a save through the services keeps them (people.services).
    adult_keys_write(record=Contact.objects.get(pk=records["contact_chris"]))
    adult_keys_write(record=Case.objects.get(pk=case.pk))
    return Case.objects.get(pk=case.pk)


def test_lara_never_sees_a_lado_contact_case_meeting_or_document_about_herself_mo_does(
    case_about_lara: Case, records, signed_in, persona
) -> None:
    pages = [
        ("case_detail", records["case_chris"]),
        ("contact_detail", records["contact_chris"]),
        ("meeting_detail", records["meeting_chris"]),
        ("document_download", records["document_case"]),
    ]
    lara, mo = signed_in("lara"), signed_in("mo")
    for name, pk in pages:
        assert lara.get(reverse(name, args=[pk])).status_code == 404, name
        assert mo.get(reverse(name, args=[pk])).status_code == 200, name
    for listing in ("case_list", "lado_inbox", "home"):
        assert link("case_detail", case_about_lara.pk) not in lara.get(reverse(listing)).content.decode()
    assert link("case_detail", case_about_lara.pk) in mo.get(reverse("case_list_all")).content.decode()
    assert not fetch.visible_cases(persona("lara")).filter(pk=case_about_lara.pk).exists()
    assert not fetch.visible_meetings(persona("lara")).filter(case=case_about_lara).exists()
    # Search: her own name finds nothing about her; Mo's search finds the case.
    lara.post(reverse("lado_search"), {"name": "Lara Lado"})
    searched = AuditEvent.objects.filter(action="records.searched", actor=persona("lara")).latest("sequence")
    assert f"case:{case_about_lara.pk}" not in searched.details["records"]
    mo.post(reverse("lado_search"), {"name": "Lara Lado"})
    searched = AuditEvent.objects.filter(action="records.searched", actor=persona("mo")).latest("sequence")
    assert f"case:{case_about_lara.pk}" in searched.details["records"]


def test_the_audit_pages_hide_the_case_from_its_subject_but_not_from_the_auditor(
    case_about_lara: Case, signed_in
) -> None:
    signed_in("mo").get(reverse("case_detail", args=[case_about_lara.pk]))
    assert signed_in("ada").get(reverse("audit_record_events", args=["case", case_about_lara.pk])).status_code == 200
