"""Journeys through an allegation the employer manages, each page checked with axe."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from tests.system.conftest import Accessibility, sign_in_quickly
from tests.system.steps import fill_date
from threshold.accounts.models import Membership, Organisation, User
from threshold.accounts.roles import Role
from threshold.allegations.models import Allegation
from threshold.core.record_ids import encode as rid

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.pg_journey  # CI's PostgreSQL pass runs this journey for its area
def test_hana_manages_an_allegation_through_suspension_referral_and_a_substantiated_outcome(
    page: Page, live_demo: str, demo_records: dict[str, int], axe: Accessibility
) -> None:
    today = dt.date.today()
    allegation = f"{live_demo}/allegations/{rid(demo_records['allegation_chris'])}/"
    # Given Hana, the headteacher and case manager, on the allegation about Chris Coach
    sign_in_quickly(page, live_demo, "hana")
    page.goto(f"{live_demo}/allegations/")
    axe.check(page)
    page.get_by_role("link", name=Allegation.objects.get(pk=demo_records["allegation_chris"]).reference).click()
    expect(page).to_have_url(allegation)
    expect(page.get_by_role("heading", name="The case manager's steps")).to_be_visible()
    axe.check(page)

    # When she records that Chris is a teacher accused by a pupil
    page.get_by_role("link", name="Change the allegation's details").click()
    axe.check(page)
    page.locator("#id_subject_is_teacher").check()
    page.locator("#id_accused_by_pupil").check()
    page.get_by_role("button", name="Save details").click()
    # Then every allegation page carries the reporting restriction
    expect(page.get_by_text("Education Act 2002, section 141F")).to_be_visible()
    axe.check(page)

    # When she records basic enquiries (step 1)
    page.locator("#step-basic-enquiries").get_by_role("link", name="Record").click()
    axe.check(page)
    page.get_by_role("button", name="Record this step").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what was done or decided")
    axe.check(page)
    page.get_by_label("What was done or decided").fill("Spoke to the PE assistant who saw it; viewed the CCTV.")
    page.get_by_role("button", name="Record this step").click()
    expect(page.locator("#step-basic-enquiries")).to_contain_text("Done")
    axe.check(page)

    # When she completes the suspension risk assessment (appendix 3)
    page.get_by_role("link", name="Record the suspension risk assessment").click()
    expect(page.get_by_text("Redeployment within the academy")).to_be_visible()
    axe.check(page)
    page.get_by_label("Context").fill("A pupil says Chris grabbed his arm in PE; the LADO advised an assessment.")
    page.locator("#id_row_0_area").fill("PE lessons and changing rooms")
    page.locator("#id_row_0_responsibilities").fill("Teaching PE to Key Stage 2")
    page.locator("#id_row_0_potential_risks").fill("Physical contact with pupils")
    page.locator("#id_row_0_mitigation").fill("Suspension pending the LADO's evaluation")
    page.locator("#id_row_0_monitoring").fill("Weekly review with HR")
    # (A fourth area of risk: the button shows one more row, keeping what was typed)
    page.get_by_role("button", name="Add another area of risk").click()
    expect(page.locator("#id_row_0_area")).to_have_value("PE lessons and changing rooms")
    page.locator("#id_row_3_area").fill("School trips")
    page.locator("#id_row_3_potential_risks").fill("Unsupervised contact on coaches")
    page.locator("#id_row_3_mitigation").fill("Not to attend trips")
    axe.check(page)
    for index in range(4):
        page.locator(f"#id_alternative_{index}_reason").fill("Does not remove contact with pupils in PE.")
    page.locator("#id_period_for_measures").fill("Until the evaluation meeting")
    fill_date(page, "review_on", today + dt.timedelta(days=14))
    # Section 6.1: the options discussed with HR and reviewed with the LADO before deciding
    fill_date(page, "hr_discussed_on", today)
    fill_date(page, "lado_reviewed_on", today)
    page.get_by_label("Suspend", exact=True).check()
    page.locator("#id_decision_reason").fill("An injury to a child; the police are consulted.")
    page.get_by_role("button", name="Record the risk assessment").click()
    expect(page.locator("#suspension")).to_be_visible()
    expect(page.get_by_text("PE lessons and changing rooms")).to_be_visible()
    expect(page.get_by_role("cell", name="School trips")).to_be_visible()
    axe.check(page)

    # When she refers to the LADO from step 2, the form is pre-filled and refuses a missing category
    page.get_by_role("link", name="Refer to the LADO").first.click()
    expect(page.locator("#id_adult_name")).to_have_value("Chris Coach")
    axe.check(page)
    page.locator("#id_adult_role").fill("PE teacher")
    page.locator("#id_came_to_light").select_option("disclosure_child")
    page.locator("#id_risk_managed").select_option("suspended")
    page.locator("#id_child_0_full_name").fill("Pupil A")
    page.get_by_role("button", name="Send the referral").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose at least one category of abuse")
    axe.check(page)
    page.get_by_label("Physical").check()
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_text("Referral sent to the LADO of Northshire Council")).to_be_visible()
    expect(page.locator("#step-discuss-with-lado")).to_contain_text("Done")
    axe.check(page)

    # When she records a substantiated outcome with DBS and TRA referrals
    page.get_by_role("link", name="Record the outcome").click()
    expect(page.get_by_text("Settlement agreements must not be used")).to_be_visible()
    expect(page.get_by_text("there is sufficient evidence to prove the allegation.")).to_be_visible()
    axe.check(page)
    page.get_by_label("The case manager's report").fill("CCTV and two witnesses confirm the pupil was grabbed.")
    page.get_by_label("Substantiated", exact=True).check()
    page.locator("#id_removed_from_regulated_activity").check()
    page.get_by_label("Disciplinary route").fill("Disciplinary hearing; dismissed.")
    fill_date(page, "dbs_referred_on", today)
    page.get_by_label("DBS referral reference").fill("DBS-2026-0042")
    fill_date(page, "tra_referred_on", today)
    page.get_by_label("TRA referral reference").fill("TRA-2026-0099")
    page.get_by_role("button", name="Record the outcome").click()
    # Then the allegation is concluded with both referrals recorded
    expect(page.get_by_text("Outcome recorded.", exact=True)).to_be_visible()
    expect(page.locator("#outcome ~ dl").first).to_contain_text("DBS-2026-0042")
    expect(page.get_by_text("TRA-2026-0099")).to_be_visible()
    axe.check(page)
    # And the DBS referral's follow-up page is there to correct it later
    page.get_by_role("link", name="Update the DBS referral").click()
    axe.check(page)
    page.go_back()

    # And the summary kept on file says it may be referred to in references
    page.get_by_role("link", name="Record the summary kept on file").click()
    expect(page.get_by_text("may be referred to in future references")).to_be_visible()
    axe.check(page)
    page.get_by_label("Details of how the allegation was followed up and resolved").fill("Investigated with HR.")
    page.get_by_label("Notes of any action taken, decisions reached and the outcome").fill("Dismissed; DBS, TRA.")
    page.get_by_role("button", name="Save the record").click()
    expect(page.get_by_text("Summary for the confidential file recorded.", exact=True)).to_be_visible()
    axe.check(page)

    # And the person's copy of the summary is a printable page without navigation
    page.get_by_role("link", name="Print the person's copy of this summary").click()
    expect(page.get_by_role("heading", name="Summary kept on your confidential file")).to_be_visible()
    expect(page.get_by_text("Investigated with HR.")).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="Back to the allegation").click()

    # And a lesson learned shows on the organisation's list
    page.get_by_role("link", name="Log a lesson learned").click()
    axe.check(page)
    page.get_by_label("Improvements to procedures or practice").fill("Two adults in PE changing rooms.")
    page.get_by_role("button", name="Log the lesson").click()
    expect(page.get_by_text("Lesson learned recorded.", exact=True)).to_be_visible()
    axe.check(page)
    page.goto(f"{live_demo}/allegations/lessons/")
    expect(page.get_by_text("Two adults in PE changing rooms.")).to_be_visible()
    axe.check(page)


def _sign_in_as(page: Page, base_url: str, user: User) -> None:
    """A user made by the journey itself, signed in as ``sign_in_quickly`` does for the personas."""
    from django.conf import settings
    from django.test import Client

    from threshold.accounts.middleware import MFA_VERIFIED_KEY

    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = client.session
    session[MFA_VERIFIED_KEY] = str(user.pk)
    session.save()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": str(session.session_key), "url": base_url}]
    )


def test_a_supply_workers_allegation_with_the_agency_notified_and_a_trust_wide_bar(
    page: Page, live_demo: str, demo_records: dict[str, int], axe: Accessibility
) -> None:
    today = dt.date.today()
    allegation = f"{live_demo}/allegations/{rid(demo_records['allegation_chris'])}/"
    # Given Hana records that Chris is a supply worker from Supply Partners Ltd, barred from the trust's academies
    sign_in_quickly(page, live_demo, "hana")
    page.goto(f"{allegation}details/")
    axe.check(page)
    page.get_by_label("Supply worker (through an agency)").check()
    page.get_by_label("Agency in Threshold (supply workers)").select_option(label="Supply Partners Ltd")
    page.locator("#id_barred_from_trust").check()
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_text("The agency has not been notified yet.")).to_be_visible()
    expect(page.get_by_text("Yes: not to be accepted in Trust academies until further notice")).to_be_visible()
    axe.check(page)

    # When she records the agency notified, suspension discussed and the date Chris was removed from the placement
    page.get_by_role("link", name="Record the agency's part").click()
    axe.check(page)
    page.get_by_label("Time the agency was notified").fill("12:01am")
    page.get_by_label("What was agreed with the agency about suspension or redeployment").fill(
        "The agency agreed to end the placement while we investigate."
    )
    fill_date(page, "removed_on", today)
    page.get_by_role("button", name="Save").click()
    # Then replacement cover is due within 48 hours of the removal
    expect(page.get_by_text("Agency record saved.")).to_be_visible()
    expect(page.locator("#agency ~ dl").first).to_contain_text("Expected by")
    expect(page.get_by_role("link", name="Replacement cover expected from the agency")).to_be_visible()
    axe.check(page)

    # When she records the date cover was arranged, and the dates the investigation notes and the outcome
    # were sent to the agency, nothing is due from the agency any more
    page.get_by_role("link", name="Record the agency's part").click()
    axe.check(page)
    fill_date(page, "cover_arranged_on", today)
    fill_date(page, "notes_sent_on", today)
    fill_date(page, "outcome_sent_on", today)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#agency ~ dl").first).to_contain_text("Arranged on")
    sent = page.locator("#agency ~ dl").first
    expect(sent).not_to_contain_text("Not yet")
    expect(sent.locator(".govuk-summary-list__row", has_text="Investigation notes sent")).to_contain_text(
        str(today.year)
    )
    expect(sent.locator(".govuk-summary-list__row", has_text="Outcome sent")).to_contain_text(str(today.year))
    expect(page.get_by_role("link", name="Replacement cover expected from the agency")).to_have_count(0)
    axe.check(page)

    # And a case manager at Hillcrest only (another academy of the trust) sees the name, not the allegation
    hillcrest = Organisation.objects.get(name="Hillcrest Academy")
    hugo = User.objects.create_user(email="hugo.head@hillcrest.example", full_name="Hugo Head")
    Membership.objects.create(user=hugo, organisation=hillcrest, role=Role.CASE_MANAGER)
    page.context.clear_cookies()
    _sign_in_as(page, live_demo, hugo)
    page.goto(f"{live_demo}/allegations/restrictions/")
    expect(page.get_by_role("cell", name="Chris Coach")).to_be_visible()
    expect(
        page.get_by_text("Not to be accepted in Riverside Learning Trust academies until further notice")
    ).to_be_visible()
    expect(page.get_by_text("grabbed")).to_have_count(0)
    axe.check(page)
    response = page.goto(allegation)
    assert response is not None
    assert response.status == 404
    axe.check(page)


def test_hana_records_support_for_the_adult_and_police_involvement_pauses_the_investigation(
    page: Page, live_demo: str, demo_records: dict[str, int], axe: Accessibility
) -> None:
    allegation = f"{live_demo}/allegations/{rid(demo_records['allegation_chris'])}/"
    # Given Hana on the allegation about Chris Coach
    sign_in_quickly(page, live_demo, "hana")
    page.goto(allegation)
    axe.check(page)

    # When she records how Chris is informed and supported (section 6.2)
    page.get_by_role("link", name="Record support").click()
    axe.check(page)
    page.get_by_role("radio", name="No objection").check()
    fill_date(page, "informed_on", dt.date.today())
    page.get_by_label("What the adult was told").fill("The allegation and the likely course of action, as agreed.")
    page.get_by_label("Named representative").fill("Henry Hr")
    page.get_by_label("Representative's contact details").fill("henry.hr@riverside.example")
    page.get_by_label("Welfare counselling (EAP) offered").check()
    page.get_by_label("Occupational health support offered").check()
    page.get_by_role("button", name="Record support").click()
    expect(page.locator("#support ~ dl").first).to_contain_text("Henry Hr")
    axe.check(page)

    # And logs a progress update
    page.get_by_role("link", name="Log a progress update").click()
    axe.check(page)
    page.get_by_label("What the adult was told").fill("The LADO's evaluation meeting is next week.")
    page.get_by_role("button", name="Log the update").click()
    expect(page.get_by_text("The LADO's evaluation meeting is next week.")).to_be_visible()
    axe.check(page)

    # When she records that the police are involved
    page.get_by_role("link", name="Record police involvement").click()
    axe.check(page)
    page.get_by_role("button", name="Record police involvement").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose whether the police are involved")
    axe.check(page)
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Asked the police to obtain consent").check()
    page.get_by_role("button", name="Record police involvement").click()
    # And is asked when she will next review the police investigation's progress (policy 5.3)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter when you will next review the progress of the police investigation"
    )
    axe.check(page)
    fill_date(page, "next_review_on", dt.date.today() + dt.timedelta(days=28))
    page.get_by_role("button", name="Record police involvement").click()
    # Then the internal investigation shows as paused, and step 8 has no due date
    expect(page.locator("#paused")).to_contain_text("the internal investigation is paused")
    expect(page.locator("#step-investigation")).to_contain_text("Paused (police investigation)")
    expect(page.locator("#police-authority")).to_contain_text("Not yet authorised")
    axe.check(page)

    # When she records that the police have authorised internal proceedings
    page.get_by_role("link", name="Record police involvement").click()
    axe.check(page)
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Consent given").check()
    page.locator("#id_proceedings_authorised").check()
    fill_date(page, "next_review_on", dt.date.today() + dt.timedelta(days=28))
    page.get_by_role("button", name="Record police involvement").click()
    # Then the investigation is no longer paused
    expect(page.get_by_text("Police involvement recorded.", exact=True)).to_be_visible()
    expect(page.locator("#paused")).to_have_count(0)
    expect(page.locator("#step-investigation")).not_to_contain_text("Paused")
    expect(page.locator("#police-authority")).to_contain_text("authorised the case manager to commence")
    axe.check(page)
