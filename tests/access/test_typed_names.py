"""Subject exclusion for every way a colleague's name is written (issue 10, ADR 0018).

Tom shares concerns at Oakfield about Dev under the spellings a security
review used; Mo records LADO contacts about Lara the same way. Neither Dev
nor Lara may meet those records anywhere: list, count, search, export, home
page, audit pages or a direct URL.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from threshold.access import fetch
from threshold.accounts.models import Organisation, User
from threshold.audit.models import AuditEvent
from threshold.concerns.models import Concern
from threshold.concerns.services import concern_share
from threshold.core.names import could_be
from threshold.demo.world import NORTHSHIRE, OAKFIELD
from threshold.lado.models import Case, Contact
from threshold.lado.services.cases import case_update_dataset
from threshold.lado.services.contacts import contact_record
from threshold.people.subjects import NOT_A_MEMBER, SubjectToConfirm, hidden_from, subject_clear

pytestmark = pytest.mark.django_db

DEV_SPELLINGS = [
    "Devendra Dsl",
    "Dev Kumar Dsl",
    "Dev Dsl-Patel",
    "Dеv Dsl",  # a Cyrillic е
    "De\u200bv Dsl",  # a zero-width space inside
    "Devv Dssl",  # two slips
    "Mr D. Dsl",
    "Dsl, Dev",
]

LARA_SPELLINGS: list[tuple[str, str]] = [
    ("Lara Jane Lado", ""),
    ("Larissa Lado", ""),
    ("Lara Lado-Smith", ""),
    ("Lara Smith", "lara.lado+home@northshire.example"),
    ("Lara Smith", "LARA.LADO@northshire.example"),
    ("L. J. Lado", ""),
    ("Mrs Lado", ""),
]


# The comparison itself, table-driven: (typed name, typed email, account name, account emails, could be?)
COMPARISONS: list[tuple[str, str, str, list[str], bool]] = [
    *((typed, "", "Dev Dsl", ["dev.dsl@oakfield.example"], True) for typed in DEV_SPELLINGS),
    ("Dsl", "", "Dev Dsl", [], True),  # a surname alone, typed with the role "DSL"
    ("DSL Dsl", "", "Dev Dsl", [], True),  # a role word beside the surname
    *((typed, email, "Lara Lado", ["lara.lado@northshire.example"], True) for typed, email in LARA_SPELLINGS),
    (
        "Lara Smith",
        "l.smith.personal@example.net",
        "Lara Lado",
        ["lara.lado@northshire.example", "l.smith.personal@example.net"],
        True,
    ),
    ("Ada Marie Auditor", "", "Ada Auditor", [], True),
    ("Robert Brown", "", "Bob Brown", [], True),  # a nickname, either way round
    ("Bob Brown", "", "Robert Brown", [], True),
    ("Hanna Head", "", "Hana Head", [], True),
    ("Siân O’Brien-Jones", "", "Sian Jones", [], True),
    # Different people with similar names are not excluded wholesale.
    ("Deborah Dale", "", "Dev Dsl", [], False),
    ("Dan Smith", "", "Dev Dsl", [], False),
    ("Sam Lado", "", "Lara Lado", [], False),
    ("Laura Lade", "", "Lara Lado", [], True),  # a replaced letter in each name: over-exclusion, by design
    ("Laura Lamb", "", "Lara Lado", [], False),
    ("Lara Smith", "", "Lara Lado", ["lara.lado@northshire.example"], False),
    ("Lara Smith", "lara.smith@example.net", "Lara Lado", ["lara.lado@northshire.example"], False),
    ("Tom Teacher", "", "Hana Head", [], False),
    ("Dec Dsl", "", "Dev Dsl", [], True),  # a replaced letter
    ("Dev D.", "", "Dev Dsl", [], True),  # the surname's initial
    ("Dev", "", "Dev Dsl", [], True),  # a given name alone
    ("Mo Farah", "", "Mohamed Farah", [], True),  # a record's two-letter given name
    ("Sally", "", "Dev Dsl", [], False),  # a single word is compared as typed, not with the slips
    ("Ada", "", "Lara Lado", [], False),
    ("Leo", "", "Lara Lado", [], False),
    ("Hana", "", "Hana Head", [], True),  # a given name alone could be her
    ("Harriet Hope", "", "Hana Head", [], False),
]


@pytest.mark.parametrize(("typed", "email", "account", "emails", "expected"), COMPARISONS)
def test_whether_a_typed_name_could_be_an_account(
    typed: str, email: str, account: str, emails: list[str], expected: bool
) -> None:
    assert could_be(name=typed, email=email, full_name=account, emails=emails) is expected


@pytest.fixture
def oakfield(demo_world: None) -> Organisation:
    return Organisation.objects.get(name=OAKFIELD)


@pytest.fixture
def northshire(demo_world: None) -> Organisation:
    return Organisation.objects.get(name=NORTHSHIRE)


def tom_shares_about(
    tom: User, oakfield: Organisation, name: str, role: str = "Teaching assistant", confirmation: str = NOT_A_MEMBER
) -> Concern:
    """Tom shares a concern about someone he types, telling the form (by default) they are not someone who uses it."""
    return concern_share(
        actor=tom,
        organisation=oakfield,
        subject_user=None,
        subject_name=name,
        subject_role=role,
        anonymous=False,
        raised_on=timezone.localdate(),
        how_arose="suspicion",
        details="Seen alone with a pupil in the library after school.",
        headteacher_conflict=False,
        subject_confirmation=confirmation,
    )


def a_call_about(adult_name: str, adult_email: str = "", confirmation: str = NOT_A_MEMBER) -> dict[str, Any]:
    """A phone call from a youth club about an adult."""
    return {
        "received_at": timezone.now() - dt.timedelta(hours=1),
        "method": "phone",
        "source": "employer",
        "referrer_name": "Kim Clubmanager",
        "referrer_agency": "Northshire Youth Club",
        "referrer_contact": "01632 960 123",
        "adult_name": adult_name,
        "adult_email": adult_email,
        "adult_date_of_birth": dt.date(1988, 3, 2),
        "adult_role": "Volunteer coach",
        "employer_name": "Northshire Youth Club",
        "summary": "A volunteer coach was seen messaging a young swimmer.",
        "subject_confirmation": confirmation,
    }


@pytest.mark.parametrize("typed", [*DEV_SPELLINGS, "Dsl"])
def test_a_concern_tom_shares_about_dev_under_any_spelling_is_hidden_from_dev_everywhere(
    typed: str, persona, signed_in, oakfield: Organisation
) -> None:
    concern = tom_shares_about(persona("tom"), oakfield, typed, role="DSL")
    dev = signed_in("dev")
    link = f'href="{reverse("concern_detail", args=[concern.pk])}"'
    assert link not in dev.get(reverse("concern_list")).content.decode()
    assert link not in dev.post(reverse("concern_list"), {"q": "Dsl"}).content.decode()
    assert link not in dev.get(reverse("home")).content.decode()
    exported = dev.get(reverse("export_concerns", args=["csv"])).getvalue().decode()
    assert concern.reference not in exported
    assert dev.get(reverse("concern_detail", args=[concern.pk])).status_code == 404
    assert not fetch.visible_concerns(persona("dev")).filter(pk=concern.pk).exists()
    assert f"concern:{concern.pk}" not in str(
        AuditEvent.objects.filter(actor=persona("dev"), action="records.listed").latest("sequence").details
    )
    # Hana, the headteacher, handles it, and is told why Dev cannot see it.
    hana = signed_in("hana")
    page = hana.get(reverse("concern_detail", args=[concern.pk]))
    assert page.status_code == 200
    assert "Not shown to Dev Dsl" in page.content.decode()


def test_the_name_dev_types_for_someone_unrelated_is_not_hidden_from_him(persona, oakfield: Organisation) -> None:
    concern = tom_shares_about(persona("tom"), oakfield, "Deborah Dale")
    assert fetch.visible_concerns(persona("dev")).filter(pk=concern.pk).exists()


@pytest.mark.parametrize(("typed", "email"), LARA_SPELLINGS)
def test_a_contact_mo_records_about_lara_under_any_spelling_is_hidden_from_lara_everywhere(
    typed: str, email: str, persona, signed_in, northshire: Organisation
) -> None:
    contact = contact_record(actor=persona("mo"), local_authority=northshire, **a_call_about(typed, email))
    lara = signed_in("lara")
    link = f'href="{reverse("contact_detail", args=[contact.pk])}"'
    assert link not in lara.get(reverse("lado_inbox")).content.decode()
    assert link not in lara.get(reverse("home")).content.decode()
    assert lara.get(reverse("contact_detail", args=[contact.pk])).status_code == 404
    assert lara.get(reverse("contact_decide", args=[contact.pk])).status_code == 404
    found = lara.post(reverse("lado_search"), {"name": "Lara Lado"})
    assert found.status_code == 200
    assert link not in found.content.decode()
    searched = AuditEvent.objects.filter(action="records.searched", actor=persona("lara")).latest("sequence")
    assert f"contact:{contact.pk}" not in searched.details["records"]
    assert not fetch.visible_contacts(persona("lara")).filter(pk=contact.pk).exists()
    # Mo, who recorded it, sees it, with the reason it is kept from Lara.
    mo = signed_in("mo")
    page = mo.get(reverse("contact_detail", args=[contact.pk]))
    assert page.status_code == 200
    assert "Not shown to Lara Lado" in page.content.decode()
    assert link in mo.get(reverse("lado_inbox")).content.decode()


def test_ada_does_not_see_the_audit_rows_of_a_contact_that_could_be_about_her(
    persona, signed_in, northshire: Organisation
) -> None:
    contact = contact_record(actor=persona("mo"), local_authority=northshire, **a_call_about("Ada Marie Auditor"))
    signed_in("lara").get(reverse("contact_detail", args=[contact.pk]))
    assert AuditEvent.objects.filter(record_type="contact", record_id=str(contact.pk)).exists()
    ada = signed_in("ada")
    assert ada.get(reverse("audit_record_events", args=["contact", contact.pk])).status_code == 404
    rows = list(csv.reader(io.StringIO(ada.get(reverse("audit_events_csv")).content.decode())))
    header = rows[0]
    kinds, ids = header.index("Record type"), header.index("Record id")
    assert not any(row[kinds] == "contact" and row[ids] == str(contact.pk) for row in rows[1:])
    # Mo, the manager, sees them.
    assert signed_in("mo").get(reverse("audit_record_events", args=["contact", contact.pk])).status_code == 200


def test_renaming_a_cases_adult_to_a_colleague_hides_the_case_from_them_at_once(
    persona, signed_in, records: dict[str, int]
) -> None:
    case = Case.objects.get(pk=records["case_chris"])
    assert fetch.visible_cases(persona("mo")).filter(pk=case.pk).exists()
    case_update_dataset(
        actor=persona("lara"), case=case, dataset={"adult_name": "Mo Manager"}, expected_version=case.version
    )
    assert Case.objects.get(pk=case.pk).subject.user == persona("mo")
    assert not fetch.visible_cases(persona("mo")).filter(pk=case.pk).exists()
    assert signed_in("mo").get(reverse("case_detail", args=[case.pk])).status_code == 404


def test_a_case_renamed_to_a_name_that_could_be_its_lado_asks_and_is_unallocated(
    persona, records: dict[str, int]
) -> None:
    case = Case.objects.get(pk=records["case_chris"])
    lara = persona("lara")
    assert case.lado == lara
    with pytest.raises(SubjectToConfirm) as asked:
        case_update_dataset(
            actor=persona("mo"), case=case, dataset={"adult_name": "Larissa Lado"}, expected_version=case.version
        )
    assert asked.value.candidates == [lara]
    case_update_dataset(
        actor=persona("mo"),
        case=case,
        dataset={"adult_name": "Larissa Lado"},
        expected_version=case.version,
        subject_confirmation=NOT_A_MEMBER,
    )
    case.refresh_from_db()
    assert case.lado is None
    assert not fetch.visible_cases(lara).filter(pk=case.pk).exists()
    assert AuditEvent.objects.filter(action="case.unallocated", record_id=str(case.pk)).exists()


def test_a_clearance_is_undone_when_the_records_name_changes(persona, oakfield: Organisation) -> None:
    concern = tom_shares_about(persona("tom"), oakfield, "Devendra Dsl")
    dev, hana = persona("dev"), persona("hana")
    subject_clear(actor=hana, person=concern.subject, user=dev, reason="A visiting tutor", organisation=oakfield)
    assert fetch.visible_concerns(dev).filter(pk=concern.pk).exists()
    person = concern.subject
    person.full_name = "Dev Dsl-Patel"
    person.save()
    assert not fetch.visible_concerns(dev).filter(pk=concern.pk).exists()


def test_only_a_possible_match_named_in_the_form_body_can_be_cleared(persona, signed_in, oakfield) -> None:
    concern = tom_shares_about(persona("tom"), oakfield, "Devendra Dsl")
    hana = signed_in("hana")
    url = reverse("person_match_clear", args=["concern", concern.pk])
    # Tom is no possible match: nothing to clear. Sid is no member of Oakfield at all.
    for user in (persona("tom"), persona("sid")):
        assert hana.post(url, {"user": user.pk, "reason": "Not them"}).status_code == 404
    assert not AuditEvent.objects.filter(action="person.match_cleared").exists()


def test_partners_are_not_told_whom_a_shared_case_is_kept_from(persona, signed_in, records: dict[str, int]) -> None:
    case = Case.objects.get(pk=records["case_chris"])
    case_update_dataset(
        actor=persona("mo"), case=case, dataset={"adult_name": "Mo Manager"}, expected_version=case.version
    )
    page = signed_in("pat").get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Not shown to" not in page
    assert "Not shown to Mo Manager" in signed_in("lara").get(reverse("case_detail", args=[case.pk])).content.decode()


def test_an_account_renamed_or_given_an_address_is_compared_at_the_next_read(persona, oakfield: Organisation) -> None:
    concern = tom_shares_about(persona("tom"), oakfield, "Priti Sharma")
    dev = persona("dev")
    assert fetch.visible_concerns(dev).filter(pk=concern.pk).exists()
    dev.full_name = "Priti Sharma"
    dev.save(update_fields=["full_name"])
    assert not fetch.visible_concerns(User.objects.get(pk=dev.pk)).filter(pk=concern.pk).exists()


def test_a_possible_match_is_cleared_by_someone_who_handles_the_record_and_is_audited(
    persona, signed_in, oakfield: Organisation
) -> None:
    concern = tom_shares_about(persona("tom"), oakfield, "Devendra Dsl")
    dev, hana = persona("dev"), persona("hana")
    assert [user for user, _why in hidden_from(concern.subject, [oakfield])] == [dev]
    with pytest.raises(ValidationError):
        subject_clear(actor=dev, person=concern.subject, user=dev, reason="It is not me", organisation=oakfield)
    with pytest.raises(ValidationError):
        subject_clear(actor=hana, person=concern.subject, user=dev, reason=" ", organisation=oakfield)
    response = signed_in("hana").post(
        reverse("person_match_clear", args=["concern", concern.pk]),
        {"user": dev.pk, "reason": "Devendra Dsl is a visiting music tutor, not our DSL"},
    )
    assert response.status_code == 302
    assert fetch.visible_concerns(dev).filter(pk=concern.pk).exists()
    assert AuditEvent.objects.filter(action="person.match_cleared", actor=hana).exists()


def test_hana_leaving_the_reason_empty_is_asked_again_with_the_error_beside_the_box(
    persona, signed_in, oakfield: Organisation
) -> None:
    concern = tom_shares_about(persona("tom"), oakfield, "Devendra Dsl")
    url = reverse("person_match_clear", args=["concern", concern.pk])
    response = signed_in("hana").post(url, {"user": persona("dev").pk, "reason": "  "})
    page = response.content.decode()
    assert response.status_code == 200  # the form page answers its errors as every form page does
    assert "<title>Error: Why the record is not about Dev Dsl" in page
    assert 'class="govuk-error-summary' in page
    assert 'href="#id_reason"' in page
    assert re.search(
        r'<p id="id_reason-error" class="govuk-error-message">.*Enter why the record is not about them', page, re.S
    )
    assert not fetch.visible_concerns(persona("dev")).filter(pk=concern.pk).exists()
    # Sent again from that page with a reason, it is cleared.
    again = signed_in("hana").post(url, {"user": persona("dev").pk, "reason": "A visiting music tutor, not our DSL"})
    assert again.status_code == 302
    assert fetch.visible_concerns(persona("dev")).filter(pk=concern.pk).exists()


def test_a_linked_colleague_cannot_be_cleared(persona, oakfield: Organisation) -> None:
    concern = tom_shares_about(persona("tom"), oakfield, "Dev Dsl", confirmation="")
    assert concern.subject.user == persona("dev")
    with pytest.raises(ValidationError):
        subject_clear(
            actor=persona("hana"), person=concern.subject, user=persona("dev"), reason="No", organisation=oakfield
        )


def test_a_typed_name_that_could_be_a_colleague_is_asked_about_and_the_answer_audited(
    persona, oakfield: Organisation
) -> None:
    tom = persona("tom")
    with pytest.raises(SubjectToConfirm) as asked:
        concern_share(
            actor=tom,
            organisation=oakfield,
            subject_user=None,
            subject_name="Devendra Dsl",
            subject_role="",
            anonymous=False,
            raised_on=timezone.localdate(),
            how_arose="suspicion",
            details="Shouted at a pupil.",
            headteacher_conflict=False,
        )
    assert asked.value.candidates == [persona("dev")]
    assert not Concern.objects.filter(subject__full_name="Devendra Dsl").exists()
    concern = tom_shares_about(tom, oakfield, "Devendra Dsl")
    assert concern.subject.not_a_member_confirmed_by == tom
    assert AuditEvent.objects.filter(action="person.not_a_member_confirmed", actor=tom).exists()


def test_the_share_form_asks_who_the_person_is_and_links_the_colleague_chosen(
    persona, signed_in, oakfield: Organisation
) -> None:
    tom = signed_in("tom")
    form = {
        "anonymous": "no",
        "raised_on_day": str(timezone.localdate().day),
        "raised_on_month": str(timezone.localdate().month),
        "raised_on_year": str(timezone.localdate().year),
        "about": "other",
        "subject_name": "Devendra Dsl",
        "subject_role": "",
        "how_arose": "suspicion",
        "details": "Shouted at a pupil.",
        "declaration": "on",
    }
    asked = tom.post(reverse("concern_share"), form)
    text = asked.content.decode()
    assert asked.status_code == 200
    assert "could be Dev Dsl, who uses Threshold" in text
    assert 'name="subject_confirmation"' in text
    answered = tom.post(reverse("concern_share"), {**form, "subject_confirmation": str(persona("dev").pk)})
    assert answered.status_code == 200
    concern = Concern.objects.get(subject__full_name="Dev Dsl", summary="Shouted at a pupil.")
    assert concern.subject.user == persona("dev")
    assert AuditEvent.objects.filter(action="person.colleague_confirmed", actor=persona("tom")).exists()


@pytest.mark.parametrize("typed", ["De\u200bv Dsl", "Dev \u202eDsl", "Dev\u2066 Dsl"])
def test_a_name_with_hidden_characters_is_refused_beside_the_field(typed: str, signed_in, demo_world) -> None:
    response = signed_in("tom").post(
        reverse("concern_share"),
        {"anonymous": "no", "about": "other", "subject_name": typed, "how_arose": "suspicion",
         "details": "x", "declaration": "on"},
    )  # fmt: skip
    assert "Their name must not contain hidden formatting characters" in response.content.decode()
    assert not Concern.objects.exists() or not Concern.objects.filter(subject__full_name__contains="Dsl").exists()


def test_hidden_characters_are_never_stored_in_a_persons_name(persona, northshire: Organisation) -> None:
    contact = contact_record(actor=persona("mo"), local_authority=northshire, **a_call_about("Sol \u202eSwimcoach"))
    assert contact.subject.full_name == "Sol Swimcoach"


def test_a_name_no_member_of_the_service_has_links_nobody_and_asks_nothing(persona, northshire: Organisation) -> None:
    contact = contact_record(
        actor=persona("lara"), local_authority=northshire, **a_call_about("Sol Swimcoach", confirmation="")
    )
    assert contact.subject.user is None
    assert fetch.visible_contacts(persona("lara")).filter(pk=contact.pk).exists()


def test_a_contact_about_lara_by_her_exact_name_links_her_account(persona, northshire: Organisation) -> None:
    contact = contact_record(
        actor=persona("mo"), local_authority=northshire, **a_call_about("Lara Lado", confirmation="")
    )
    assert contact.subject.user == persona("lara")
    assert not Contact.objects.filter(pk=contact.pk, subject__user=None).exists()


def variants_of(full_name: str) -> list[str]:
    """The ordinary ways someone else types a persona's name: middle name, initial, slip, double surname, look-alike."""
    given, surname = full_name.split()
    lookalike = full_name.replace("a", "а", 1).replace("e", "е", 1)  # Cyrillic а and е
    return [
        f"{given} Marie {surname}",
        f"{given[0]}. {surname}",
        f"{given}{given[-1]} {surname}",
        f"{given} {surname}-Smith",
        lookalike,
        f"{given[:2]}\u200b{given[2:]} {surname}",
    ]


# Personas who read case data, and an organisation whose records they read (on the side they work).
READERS = {
    "hana": OAKFIELD,
    "dev": OAKFIELD,
    "priya": OAKFIELD,
    "nina": "Little Acorns Nursery",
    "lara": NORTHSHIRE,
    "mo": NORTHSHIRE,
    "ada": NORTHSHIRE,
}


@pytest.mark.parametrize("key", sorted(READERS))
def test_every_reader_is_kept_from_records_about_them_in_every_variant(key: str, persona, demo_world: None) -> None:
    from threshold.people.models import Person

    reader = persona(key)
    organisation = Organisation.objects.filter(name__startswith=READERS[key]).first()
    assert organisation is not None
    lado = key in ("lara", "mo", "ada")

    def record_about(name: str) -> Any:
        person = Person.objects.create(organisation=organisation, full_name=name)
        if lado:
            return Contact.objects.create(
                local_authority=organisation,
                subject=person,
                received_at=timezone.now(),
                method="phone",
                source="parent",
                adult_name=name,
                summary="A parent called about an adult at a club.",
            )
        return Concern.objects.create(
            organisation=organisation,
            subject=person,
            summary="Seen alone with a pupil.",
            raised_on=timezone.localdate(),
        )

    visible = fetch.visible_contacts if lado else fetch.visible_concerns
    # The reader does see a record about someone unrelated: the test reaches them.
    unrelated = record_about("Quentin Zebedee")
    assert visible(reader).filter(pk=unrelated.pk).exists()
    for typed in variants_of(reader.full_name):
        record = record_about(typed)
        assert not visible(reader).filter(pk=record.pk).exists(), typed
        assert str(record.pk) in fetch.records_about(reader)["contact" if lado else "concern"], typed


def test_a_contact_with_a_spoofed_adult_name_is_refused_beside_the_field(signed_in, demo_world: None) -> None:
    response = signed_in("mo").post(
        reverse("contact_new"),
        {"adult_name": "Sol \u202eSwimcoach", "summary": "A call.", "method": "phone", "source": "parent"},
    )
    assert "full name must not contain hidden formatting characters" in response.content.decode()
    assert not Contact.objects.filter(adult_name__contains="Swimcoach").exists()


def test_a_renamed_account_or_a_changed_address_still_hides_what_the_old_ones_could_be(
    persona, northshire: Organisation
) -> None:
    by_name = contact_record(actor=persona("mo"), local_authority=northshire, **a_call_about("Larissa Lado"))
    by_address = contact_record(
        actor=persona("mo"),
        local_authority=northshire,
        **a_call_about("Lara Smith", "lara.lado+home@northshire.example"),
    )
    lara = persona("lara")
    lara.full_name = "Lara Smith-Jones"
    lara.email = "lara.smithjones@northshire.example"
    lara.save()
    lara = User.objects.get(pk=lara.pk)
    assert lara.former_names == ["Lara Lado"]
    assert lara.former_emails == ["lara.lado@northshire.example"]
    for contact in (by_name, by_address):
        assert not fetch.visible_contacts(lara).filter(pk=contact.pk).exists()
