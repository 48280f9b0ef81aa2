"""Journeys through sharing concerns, triage, the low-level record and pattern reviews, each page checked with axe."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.system.conftest import Accessibility, sign_in_quickly
from threshold.accounts.models import Organisation, User
from threshold.allegations.models import Allegation
from threshold.concerns import services
from threshold.concerns.models import Concern, ConcernStatus
from threshold.core.record_ids import encode as rid
from threshold.demo import world

pytestmark = pytest.mark.django_db(transaction=True)


def _share(page: Page, base: str, axe: Accessibility, *, about: str, anonymous: bool = False, name: str = "") -> str:
    page.goto(f"{base}/concerns/")
    axe.check(page)
    page.get_by_role("link", name="Share a concern").click()
    expect(page.get_by_role("heading", name="Share a concern")).to_be_visible()
    axe.check(page)
    page.get_by_label("Share it anonymously" if anonymous else "Share it with my name").check()
    page.get_by_label(about).check()
    if name:
        page.get_by_label("If someone else: their name").fill(name)
        page.get_by_label("Their role").fill("Sports coach")
    page.get_by_label("A suspicion").check()
    page.get_by_label("4. Details of the concern").fill(
        "On Monday after PE I saw the adult keep a Year 5 pupil alone in the store room with the door shut."
    )
    page.get_by_label("I confirm that this is accurate to the best of my knowledge").check()
    page.get_by_role("button", name="Share the concern").click()
    expect(page.get_by_role("heading", name="Concern shared")).to_be_visible()
    axe.check(page)
    return page.locator(".govuk-panel strong").inner_text()


@pytest.mark.pg_journey  # CI's PostgreSQL pass runs this journey for its area
def test_tom_raises_a_low_level_concern_and_hana_triages_it_with_the_tier_2_advice(
    page: Page, live_demo: str, axe: Accessibility
) -> None:
    # Given Tom, a teacher at Oakfield, shares a concern about Dev, a colleague
    sign_in_quickly(page, live_demo, "tom")
    reference = _share(page, live_demo, axe, about="Dev Dsl (Designated safeguarding lead (DSL))")
    # Then he can see his own report, and nothing else about it
    page.get_by_role("link", name=f"See your report {reference}").click()
    expect(page.get_by_role("heading", name=f"Your report {reference}")).to_be_visible()
    axe.check(page)

    # Given Hana, the headteacher: the concern awaits triage on her home page
    page.context.clear_cookies()
    sign_in_quickly(page, live_demo, "hana")
    page.goto(f"{live_demo}/")
    expect(page.get_by_role("heading", name="Awaiting triage")).to_be_visible()
    # And its triage is due: the next working day after it was raised
    expect(page.get_by_role("region", name="Due soonest").get_by_role("link", name=reference)).to_be_visible()
    axe.check(page)
    page.locator("#awaiting-triage").get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", name=f"Triage concern {reference}")).to_be_visible()
    axe.check(page)
    # When she answers what she knows and asks for the advice
    page.locator("#id_inconsistent_with_code_of_conduct").check()
    for limb in (
        "harmed_or_may_have_harmed_child",
        "possible_criminal_offence",
        "behaviour_indicates_risk_of_harm",
        "may_be_unsuitable_to_work_with_children",
    ):
        page.locator(f"#id_{limb}-2").check()
    page.locator("#id_incident_pattern").check()
    page.get_by_role("button", name="See the advice").click()
    # Then the pack advises Tier 2 with the response matrix row
    expect(page.locator("#advice")).to_contain_text("Tier 2: Low Level concern")
    expect(page.locator("#advice")).to_contain_text("Meeting with individual")
    axe.check(page)
    # When she records a low-level decision with her reasons
    page.get_by_label("Low-level concern", exact=True).check()
    page.get_by_label("Your reasons for the decision").fill("Inappropriate but not harmful: Tier 2.")
    page.get_by_label("Advice taken from the HR business partner").check()
    page.get_by_role("button", name="Record the decision").click()
    # Then she completes the low-level concern record
    expect(page.get_by_role("heading", name=f"Low-level concern record {reference}")).to_be_visible()
    axe.check(page)
    page.get_by_label("I spoke to the person the concern is about").check()
    page.get_by_label("Details of the steps taken").fill("Spoke to Tom and to Dev separately on Tuesday.")
    page.get_by_label("One-to-one contact in a secluded area or behind a closed door").check()
    page.get_by_label("A conversation to discuss the concern").check()
    page.get_by_label("Who owns the further action").fill("Hana Head")
    page.locator("#id_action_due_on_day").fill("4")
    page.locator("#id_action_due_on_month").fill("12")
    page.locator("#id_action_due_on_year").fill("2026")
    page.get_by_role("button", name="Save the record").click()
    expect(page.get_by_role("heading", name=f"Concern {reference}")).to_be_visible()
    expect(page.locator("#triage")).to_be_visible()
    expect(page.get_by_text("Not to be mentioned.")).to_be_visible()
    axe.check(page)
    # When the further action is done she closes the concern, first forgetting why
    page.get_by_role("button", name="Close this concern").click()
    expect(page.get_by_role("heading", name="Close this concern")).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name="Close the concern").click()
    expect(page.get_by_role("alert")).to_be_visible()
    axe.check(page)
    page.get_by_label("Why is the concern being closed?").fill("Conversation held; no repeat this half term.")
    page.get_by_role("button", name="Close the concern").click()
    expect(page.get_by_text("Conversation held; no repeat this half term.")).to_be_visible()
    axe.check(page)


def test_hana_reroutes_a_concern_she_has_a_conflict_in(
    page: Page, live_demo: str, demo_records: dict[str, int], axe: Accessibility
) -> None:
    # Given Hana opens a new concern to triage and finds she has a conflict of interest
    sign_in_quickly(page, live_demo, "hana")
    page.goto(f"{live_demo}/concerns/{rid(demo_records['concern_anonymous'])}/triage/")
    page.get_by_role("button", name="Re-route: there is a conflict of interest").click()
    expect(page.get_by_role("heading", name="Re-route this concern")).to_be_visible()
    axe.check(page)
    # When she gives the conflict, it goes to the trust and she no longer sees it
    page.get_by_label("What is the conflict of interest?").fill("The coach is my brother-in-law.")
    page.get_by_role("button", name="Re-route the concern").click()
    axe.check(page)
    response = page.goto(f"{live_demo}/concerns/{rid(demo_records['concern_anonymous'])}/")
    assert response is not None
    assert response.status == 404


def test_an_anonymous_concern_stores_no_name(page: Page, live_demo: str, axe: Accessibility) -> None:
    # Given Tom shares a concern about a coach without an account, anonymously
    sign_in_quickly(page, live_demo, "tom")
    reference = _share(
        page, live_demo, axe, about="Someone else (type their name and role)", anonymous=True, name="Chris Coach"
    )
    # Then the receipt offers no way back to it, and no reporter is stored
    expect(page.get_by_text("You shared it anonymously")).to_be_visible()
    expect(page.get_by_role("link", name=f"See your report {reference}")).to_have_count(0)
    concern = Concern.objects.get(reference=reference)
    assert concern.reporter is None
    assert concern.details.signed_name == ""


def test_a_concern_about_hana_goes_to_priya_and_hana_never_sees_it(
    page: Page, live_demo: str, axe: Accessibility
) -> None:
    # Given Tom shares a concern about Hana, the headteacher
    sign_in_quickly(page, live_demo, "tom")
    reference = _share(page, live_demo, axe, about="Hana Head (Headteacher or manager (case manager))")
    expect(page.get_by_text("The trust's director of school and trust DSLs")).to_be_visible()
    # Then Hana never sees it
    page.context.clear_cookies()
    sign_in_quickly(page, live_demo, "hana")
    page.goto(f"{live_demo}/concerns/")
    expect(page.get_by_role("link", name=reference)).to_have_count(0)
    axe.check(page)
    page.goto(f"{live_demo}/concerns/{rid(Concern.objects.get(reference=reference).pk)}/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    axe.check(page)
    # And Priya, the trust's director of school, triages it
    page.context.clear_cookies()
    sign_in_quickly(page, live_demo, "priya")
    page.goto(f"{live_demo}/concerns/")
    axe.check(page)
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_text("The trust (the concern is about the headteacher)")).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name="Triage this concern").click()
    expect(page.get_by_role("heading", name=f"Triage concern {reference}")).to_be_visible()
    axe.check(page)


def test_dev_escalates_a_pattern_after_a_termly_review(page: Page, live_demo: str, axe: Accessibility) -> None:
    # Given two concerns about Chris Coach at Oakfield this term
    oakfield = Organisation.objects.get(name=world.OAKFIELD)
    tom = User.objects.get(email=world.PERSONAS_BY_KEY["tom"].email)
    for details in ("Kept a pupil alone in the store room.", "Gave a pupil a lift home without permission."):
        services.concern_share(
            actor=tom, organisation=oakfield, subject_user=None, subject_name="Chris Coach",
            subject_role="Sports coach", anonymous=False, raised_on=timezone.localdate() - dt.timedelta(days=1),
            how_arose="suspicion", details=details, headteacher_conflict=False,
        )  # fmt: skip
    # When Dev, the DSL, starts this term's review of Oakfield
    sign_in_quickly(page, live_demo, "dev")
    page.goto(f"{live_demo}/concerns/reviews/")
    axe.check(page)
    page.get_by_role("button", name=f"Start a review of {world.OAKFIELD}").click()
    axe.check(page)
    page.get_by_role("button", name="Start the review").click()
    expect(page.get_by_role("heading", name=f"Pattern review of {world.OAKFIELD}")).to_be_visible()
    expect(page.get_by_role("heading", name="Chris Coach")).to_be_visible()
    axe.check(page)
    # And records a pattern in the concerns about Chris
    page.get_by_label("A pattern of concerning behaviour").check()
    page.get_by_label("Findings about Chris Coach").fill("Two concerns about being alone with pupils this term.")
    page.get_by_role("button", name="Record the findings about Chris Coach").click()
    axe.check(page)
    review_url = page.url
    # Then he escalates it to an allegation and a LADO referral in one step, and lands on the referral, pre-filled
    page.get_by_role("button", name="Escalate this pattern to an allegation and LADO referral").click()
    # The pattern as a whole now meets the harm threshold: Dev says which limb.
    expect(page.get_by_role("heading", name="Escalate this pattern to an allegation")).to_be_visible()
    axe.check(page)
    unsuitable = "Does the behaviour suggest they may not be suitable to work with children"
    page.get_by_role("group", name=re.compile(unsuitable)).get_by_label("Yes").check()
    page.get_by_role("button", name="Escalate and refer to the LADO").click()
    expect(page.get_by_text("the referral to the LADO started")).to_be_visible()
    expect(page.locator("#id_adult_name")).to_have_value("Chris Coach")
    axe.check(page)
    # And the allegation exists with its referral started, and both concerns are linked to it
    allegation = Allegation.objects.get(subject__full_name="Chris Coach")
    assert allegation.referrals.count() == 1
    concerns = Concern.objects.filter(subject__full_name="Chris Coach")
    assert {concern.escalated_to_id for concern in concerns} == {allegation.pk}
    assert {concern.status for concern in concerns} == {ConcernStatus.ALLEGATION}
    # And completes the referral's data set and sends it
    page.locator("#id_came_to_light").select_option("disclosure_adult")
    page.get_by_label("Physical").check()
    page.locator("#id_risk_managed").select_option("none")
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_text("Referral sent to the LADO of Northshire Council")).to_be_visible()
    axe.check(page)
    # And completes the review
    page.goto(review_url)
    axe.check(page)
    page.get_by_label("Summary of the review").fill("One pattern found and escalated.")
    page.get_by_role("button", name="Complete the review").click()
    expect(page.get_by_text("Review completed.")).to_be_visible()
    axe.check(page)
    # And the LADO's inbox at Northshire has received the referral about Chris
    page.context.clear_cookies()
    sign_in_quickly(page, live_demo, "lara")
    page.goto(f"{live_demo}/lado/inbox/")
    expect(page.get_by_role("row").filter(has_text="Chris Coach")).to_have_count(1)
    axe.check(page)
