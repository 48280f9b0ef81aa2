"""The LADO contact pages: inbox, recording a contact, the contact page, advice, the decision, search."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.query_counts import tables_read
from threshold.accounts.middleware import MFA_VERIFIED_KEY
from threshold.accounts.models import Membership, Organisation, User
from threshold.accounts.roles import Role
from threshold.allegations.models import Allegation
from threshold.allegations.services import referral_make
from threshold.audit.models import AuditEvent
from threshold.core.locking import bump_version
from threshold.core.record_ids import encode as rid
from threshold.lado.models import Case, Contact, ContactStatus, Level
from threshold.lado.services.contacts import contact_record
from threshold.policy import add_working_days

ROBYN: dict[str, Any] = {
    "method": "email",
    "source": "police",
    "referrer_name": "Pat Police",
    "referrer_agency": "Northshire Police",
    "adult_name": "Robyn Youthleader",
    "adult_date_of_birth": dt.date(1996, 2, 11),
    "employer_name": "Northshire Youth Club",
    "summary": "A parent told the police the volunteer messages their child late at night.",
}


@pytest.fixture
def second_concern(persona, ids: dict[str, int], northshire: Organisation) -> Contact:
    """A later contact about the adult of the demo consultation, spelled differently, its advice overdue.

    Received three days ago or more: the latest such day whose one working day has run out by today, so it is
    overdue on a Monday (received the Thursday before) and after a bank holiday as on any other day.
    """
    today = timezone.localdate()
    day = today - dt.timedelta(days=3)
    while add_working_days(day, 1) >= today:
        day -= dt.timedelta(days=1)
    received = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    return contact_record(actor=persona("lara"), local_authority=northshire, **{**ROBYN, "received_at": received})


def text_of(response) -> str:
    """The page's text with tags removed and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_inbox_lists_new_contacts_with_the_one_working_day_clock(signed_in, second_concern: Contact) -> None:
    page = signed_in("lara").get("/lado/inbox/")
    assert page.status_code == 200
    text = text_of(page)
    assert second_concern.reference in text
    assert "Overdue" in text
    assert "Robyn Youthleader" in text


def test_sam_of_southvale_sees_nothing_of_northshire_in_his_inbox(signed_in, second_concern: Contact) -> None:
    assert second_concern.reference not in text_of(signed_in("sam").get("/lado/inbox/"))


def test_recording_a_contact_shows_each_problem_beside_its_field_and_saves_nothing(signed_in) -> None:
    before = Contact.objects.count()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    when = {"received_day": tomorrow.day, "received_month": tomorrow.month, "received_year": tomorrow.year}
    page = signed_in("lara").post(
        "/lado/contacts/new/", {**when, "received_time": "9am", "method": "phone", "source": "employer"}
    )
    text = text_of(page)
    assert "There is a problem" in text
    assert "The date and time the contact was received must be in the past" in text
    assert "Enter brief details of the circumstances" in text
    today = timezone.localdate()
    when = {"received_day": today.day, "received_month": today.month, "received_year": today.year}
    page = signed_in("lara").post(
        "/lado/contacts/new/",
        {**when, "received_time": "00:01", "method": "phone", "source": "employer", "summary": "A concern."},
    )
    text = text_of(page)
    assert "Enter the name of the professional making the contact" in text
    assert "Enter the agency making the contact" in text
    assert Contact.objects.count() == before


def test_lara_records_a_phone_contact_and_lands_on_its_page(signed_in) -> None:
    today = timezone.localdate()
    page = signed_in("lara").post(
        "/lado/contacts/new/",
        {
            "received_day": today.day,
            "received_month": today.month,
            "received_year": today.year,
            "received_time": "00:01",
            "method": "phone",
            "source": "parent",
            "adult_name": "Dale Dinnerlady",
            "summary": "A parent says a lunchtime supervisor shouted at their child.",
        },
    )
    contact = Contact.objects.get(adult_name="Dale Dinnerlady")
    assert page.status_code == 302
    assert page.url == f"/lado/contacts/{rid(contact.pk)}/"


def test_a_new_contact_shows_the_earlier_consultation_about_the_same_adult_and_why(
    signed_in, ids: dict[str, int], second_concern: Contact
) -> None:
    text = text_of(signed_in("lara").get(f"/lado/contacts/{rid(second_concern.pk)}/"))
    assert "Previous contacts, consultations and cases about this adult" in text
    consultation = Contact.objects.get(pk=ids["contact_consultation"]).reference
    assert f"Consultation {consultation}" in text
    assert "Same date of birth" in text
    assert "Similar name (Robin Youthleader)" in text
    assert f"Reopen {consultation} as a referral" in text


def test_advice_is_recorded_from_the_contact_page(signed_in, second_concern: Contact) -> None:
    page = signed_in("lara").post(
        f"/lado/contacts/{rid(second_concern.pk)}/advice/", {"version": 1, "advice": "Keep the volunteer off rota."}
    )
    assert page.status_code == 302
    second_concern.refresh_from_db()
    assert second_concern.status == ContactStatus.ADVISED


def test_stale_advice_is_refused_with_409_and_the_advice_typed_is_given_back(
    signed_in, second_concern: Contact
) -> None:
    client = signed_in("lara")
    client.post(f"/lado/contacts/{rid(second_concern.pk)}/advice/", {"version": 1, "advice": "First."})
    page = client.post(f"/lado/contacts/{rid(second_concern.pk)}/advice/", {"version": 1, "advice": "Second."})
    assert page.status_code == 409
    differs = page.content.decode().split("What differs</caption>")[1].split("</table>")[0]
    assert "First." in differs
    assert "Second." in differs
    second_concern.refresh_from_db()
    assert second_concern.advice == "First."


INJURY_ANSWERS = {
    "version": 1,
    "works_with_children": "yes",
    "definition": ["harmed_or_may_have_harmed_child"],
    "abuse_categories": ["physical"],
    "injury": "visible",
}


def test_assess_shows_the_advice_with_the_criteria_and_police_advice_and_saves_nothing(
    signed_in, second_concern: Contact
) -> None:
    page = signed_in("lara").post(
        f"/lado/contacts/{rid(second_concern.pk)}/decision/", {**INJURY_ANSWERS, "action": "assess"}
    )
    text = text_of(page)
    assert "The pack's advice: Tier 1 referral (active case)" in text
    assert "There is injury or reported injury" in text
    assert "Refer to the police" in text
    assert "Record the decision" in text
    assert not second_concern.decisions.exists()


def test_a_decision_on_answers_changed_since_the_advice_is_refused(signed_in, second_concern: Contact) -> None:
    client = signed_in("lara")
    client.post(f"/lado/contacts/{rid(second_concern.pk)}/decision/", {**INJURY_ANSWERS, "action": "assess"})
    page = client.post(
        f"/lado/contacts/{rid(second_concern.pk)}/decision/",
        {**INJURY_ANSWERS, "injury": "none", "assessed": "stale", "level": "tier-1", "action": "decide"},
    )
    assert "The answers changed since the advice was shown" in text_of(page)
    assert not second_concern.decisions.exists()


def test_recording_tier_1_opens_the_case_and_goes_to_its_page(signed_in, second_concern: Contact) -> None:
    client = signed_in("lara")
    assessed = client.post(f"/lado/contacts/{rid(second_concern.pk)}/decision/", {**INJURY_ANSWERS, "action": "assess"})
    digest = re.search(r'name="assessed" value="([0-9a-f]+)"', assessed.content.decode())
    assert digest is not None
    page = client.post(
        f"/lado/contacts/{rid(second_concern.pk)}/decision/",
        {**INJURY_ANSWERS, "assessed": digest.group(1), "level": "tier-1", "action": "decide"},
    )
    case = Case.objects.get(contact=second_concern)
    assert page.status_code == 302
    assert page.url == f"/lado/cases/{rid(case.pk)}/"
    assert case.tier == Level.TIER_1


def test_reopening_the_consultation_from_the_later_contact_opens_a_case(
    signed_in, ids: dict[str, int], second_concern: Contact
) -> None:
    consultation = ids["contact_consultation"]
    client = signed_in("lara")
    form = client.get(f"/lado/contacts/{rid(consultation)}/reopen/?prompted_by={rid(second_concern.pk)}")
    assert second_concern.reference in text_of(form)
    page = client.post(
        f"/lado/contacts/{rid(consultation)}/reopen/",
        {
            "prompted_by": rid(second_concern.pk),
            "version": Contact.objects.get(pk=consultation).version,
            "level": "tier-2",
            "reason": "A second concern: a pattern is emerging.",
        },
    )
    case = Case.objects.get(contact=second_concern)
    assert page.url == f"/lado/cases/{rid(case.pk)}/"
    assert "Reopened from a consultation" in text_of(client.get(page.url))


def test_consultations_stay_findable(signed_in, ids: dict[str, int]) -> None:
    text = text_of(signed_in("lara").get("/lado/consultations/"))
    consultation = Contact.objects.get(pk=ids["contact_consultation"]).reference
    assert consultation in text
    assert "more appropriately described as a practice issue" in text
    assert consultation not in text_of(signed_in("sam").get("/lado/consultations/"))


def test_search_is_posted_tolerant_of_spelling_and_audited(signed_in, persona, ids: dict[str, int]) -> None:
    client = signed_in("lara")
    assert "found" not in text_of(client.get("/lado/search/"))
    page = client.post("/lado/search/", {"name": "Christopher Coach"})
    text = text_of(page)
    assert "2 records found" in text
    assert "Similar name (Chris Coach)" in text
    event = AuditEvent.objects.filter(action="records.searched", actor=persona("lara")).latest("sequence")
    assert event.details["name"] == "Christopher Coach"
    assert sorted(event.details["records"]) == sorted([f"case:{ids['case_chris']}", f"contact:{ids['contact_chris']}"])


def test_search_needs_something_to_search_for(signed_in) -> None:
    assert "Enter a name, a reference or an employer to search for" in text_of(
        signed_in("lara").post("/lado/search/", {})
    )


def test_the_home_page_shows_lara_her_inbox_and_what_is_overdue(signed_in, second_concern: Contact) -> None:
    client: Client = signed_in("lara")
    text = text_of(client.get("/"))
    assert "LADO service" in text
    # The demo's call from a parent, received today, and the later concern, received days ago and overdue.
    assert "2 contacts waiting" in text
    assert "1 overdue" in text


def test_lados_have_inbox_and_search_in_the_navigation_and_others_do_not(signed_in, ids: dict[str, int]) -> None:
    lara = signed_in("lara").get("/").content.decode()
    assert 'href="/lado/inbox/"' in lara
    assert 'href="/lado/search/"' in lara
    hana = signed_in("hana").get("/").content.decode()
    assert 'href="/lado/inbox/"' not in hana


def signed_in_as_business_support(northshire: Organisation) -> Client:
    """Bea, business support in Northshire's LADO service, signed in with MFA passed."""
    bea = User.objects.create_user(email="bea.support@northshire.example", full_name="Bea Support")
    Membership.objects.create(user=bea, organisation=northshire, role=Role.LADO_BUSINESS_SUPPORT)
    client = Client()
    client.force_login(bea, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = client.session
    session[MFA_VERIFIED_KEY] = str(bea.pk)
    session.save()
    return client


def test_business_support_sees_the_contact_without_a_decide_button_and_cannot_open_the_decision_pages(
    northshire: Organisation, ids: dict[str, int], second_concern: Contact
) -> None:
    client = signed_in_as_business_support(northshire)
    page = client.get(f"/lado/contacts/{rid(second_concern.pk)}/")
    assert page.status_code == 200
    text = text_of(page)
    assert "Record the advice given" in text
    assert "Decide: consultation, Tier 2 or Tier 1" not in text
    assert "A LADO of the service decides the level" in text
    assert "as a referral" not in text
    assert client.get(f"/lado/contacts/{rid(second_concern.pk)}/decision/").status_code == 404
    assert client.post(f"/lado/contacts/{rid(second_concern.pk)}/decision/", INJURY_ANSWERS).status_code == 404
    consultation = ids["contact_consultation"]
    assert client.get(f"/lado/contacts/{rid(consultation)}/reopen/").status_code == 404
    refused = client.post(
        f"/lado/contacts/{rid(consultation)}/reopen/",
        {"prompted_by": rid(second_concern.pk), "version": 1, "level": "tier-2", "reason": "A pattern."},
    )
    assert refused.status_code == 404
    assert not second_concern.decisions.exists()


def test_the_reopen_page_reading_the_later_contact_is_audited(
    signed_in, persona, ids: dict[str, int], second_concern: Contact
) -> None:
    signed_in("lara").get(
        f"/lado/contacts/{rid(ids['contact_consultation'])}/reopen/?prompted_by={rid(second_concern.pk)}"
    )
    assert AuditEvent.objects.filter(
        action="record.view", record_type="contact", record_id=str(second_concern.pk), actor=persona("lara")
    ).exists()


def test_a_reopen_form_loaded_before_someone_else_saved_is_refused_with_409(
    signed_in, ids: dict[str, int], second_concern: Contact
) -> None:
    consultation = Contact.objects.get(pk=ids["contact_consultation"])
    client = signed_in("lara")
    form = client.get(f"/lado/contacts/{rid(consultation.pk)}/reopen/?prompted_by={rid(second_concern.pk)}")
    loaded = re.search(r'name="version" value="(\d+)"', form.content.decode())
    assert loaded is not None
    bump_version(consultation, int(loaded.group(1)))
    page = client.post(
        f"/lado/contacts/{rid(consultation.pk)}/reopen/",
        {"prompted_by": rid(second_concern.pk), "version": loaded.group(1), "level": "tier-2", "reason": "A pattern."},
    )
    assert page.status_code == 409
    assert consultation.decisions.count() == 1
    assert not Case.objects.filter(contact=second_concern).exists()


def test_the_previous_records_panel_is_audited_with_what_it_listed(
    signed_in, persona, ids: dict[str, int], second_concern: Contact
) -> None:
    signed_in("lara").get(f"/lado/contacts/{rid(second_concern.pk)}/")
    event = AuditEvent.objects.filter(action="records.listed", actor=persona("lara")).latest("sequence")
    assert event.details["list"] == "previous_about"
    assert event.details["ids"] == [f"contact:{ids['contact_consultation']}"]
    assert event.record_id == str(second_concern.pk)


def test_the_contact_page_shows_what_the_employer_sent_in_the_threshold_referral(
    signed_in, persona, ids: dict[str, int]
) -> None:
    allegation = Allegation.objects.get(pk=ids["allegation_nell"])
    referral = referral_make(
        actor=persona("nina"),
        allegation=allegation,
        details={
            "adult_role": "Nursery practitioner",
            "came_to_light": "observed",
            "abuse_categories": ["physical"],
            "risk_managed": "restricted",
            "incident_date": timezone.localdate() - dt.timedelta(days=3),
            "police_involved": True,
            "agency_name": "Tots Staffing Agency",
        },
        children=[{"full_name": "Ava Child", "date_of_birth": dt.date(2022, 5, 1)}],
    )
    contact = Contact.objects.get(referral=referral)
    text = text_of(signed_in("lara").get(f"/lado/contacts/{rid(contact.pk)}/"))
    assert "What the employer sent" in text
    assert f"How it came to light {referral.get_came_to_light_display()}" in text
    assert "Categories of abuse Physical" in text
    assert "Children Ava Child" in text
    assert f"How the risk has been managed so far {referral.get_risk_managed_display()}" in text
    assert "Police involved Yes" in text
    assert "social care involved No" in text
    assert "Agency (supply staff) Tots Staffing Agency" in text


def test_the_contact_page_reads_its_decisions_and_the_employers_outcome_once(signed_in, ids: dict[str, int]) -> None:
    # Oakfield's referral of Chris: its decision panel, the letter, the outcome's section and its tag all ask.
    client = signed_in("lara")
    url = reverse("contact_detail", args=[ids["contact_chris"]])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    tables = tables_read(queries)
    assert tables.count("lado_decision") == 1
    assert tables.count("allegations_outcomerecord") <= 1
