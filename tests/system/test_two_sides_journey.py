"""The newcomer's path through one matter with two sides: Hana's referral, Lara's decision, Hana's outcome, Lara's
agreement, with the employer's allegation and the LADO's contact and case showing the same state at each step.

Issue 13: "the outcome is 'agreed with the LADO' only when the LADO agrees (today Hana concluded A-3 minutes
after referring it and the LADO's contact still said 'New')". The protocol, Tier 2: the LADO "actively monitors
timescales and quality assures the outcome". Every page is checked with axe; the agreement is given with the
keyboard alone.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.lado.nursery import lara_decides
from tests.system.conftest import Accessibility, sign_in_quickly
from tests.system.steps import choose, decide_from_inbox, send_referral
from threshold.accounts.models import Organisation, User
from threshold.allegations.models import Allegation
from threshold.core.record_ids import encode as rid
from threshold.demo import world
from threshold.lado.models import Contact, DecisionLetter
from threshold.lado.services.contacts import contact_record
from threshold.people.models import Person

pytestmark = pytest.mark.django_db(transaction=True)

WAITING = "Waiting for the LADO's agreement"


@pytest.fixture
def new_allegation(demo_records: dict[str, int]) -> Allegation:
    """A new allegation about Chris at Oakfield, managed by Hana and not yet referred."""
    return Allegation.objects.create(
        organisation=Organisation.objects.get(name=world.OAKFIELD),
        subject=Person.objects.get(pk=demo_records["person_chris"]),
        case_manager=User.objects.get(email=world.PERSONAS_BY_KEY["hana"].email),
        summary="Chris pushed a pupil against the changing-room wall; the pupil has a red mark on the shoulder.",
    )


def test_hanas_referral_lara_decides_hana_concludes_and_lara_agrees_with_both_sides_showing_the_same_state(
    page: Page, live_demo: str, new_allegation: Allegation, axe: Accessibility
) -> None:
    today = dt.datetime.now(ZoneInfo("Europe/London")).date()
    on_today = f"{today.day} {today:%B %Y}"
    allegation = f"{live_demo}/allegations/{rid(new_allegation.pk)}/"

    # Given Hana refers her allegation about Chris to the LADO
    sign_in_quickly(page, live_demo, "hana")
    page.goto(allegation)
    axe.check(page)
    send_referral(
        page, axe, role="Sports coach", came_to_light="disclosure_child", risk_managed="suspended", child="Pupil C"
    )
    contact = Contact.objects.get(allegation=new_allegation)
    contact_url = f"{live_demo}/lado/contacts/{rid(contact.pk)}/"
    # Then her allegation shows the LADO has not decided yet
    page.goto(allegation)
    expect(page.locator("#lado-word + dl")).to_contain_text("Not decided yet")
    expect(page.locator("#lado-word + dl")).to_contain_text(contact.reference)

    # When Lara decides it from her inbox: Tier 1, as the pack advises
    sign_in_quickly(page, live_demo, "lara")
    decide_from_inbox(page, live_demo, axe, adult="Chris Coach")
    choose(page, "works_with_children", "yes")
    choose(page, "adult_identified", "yes")
    choose(page, "safeguarding_concern", "yes")
    page.locator('input[name="definition"][value="harmed_or_may_have_harmed_child"]').check()
    page.locator('input[name="abuse_categories"][value="physical"]').check()
    choose(page, "injury", "visible")
    choose(page, "setting_type", "school")
    page.get_by_role("button", name="Assess").click()
    expect(page.get_by_role("heading", name="Your decision", exact=True)).to_be_visible()
    choose(page, "level", "tier-1")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("The LADO case is open.")).to_be_visible()
    case_url = page.url.split("#")[0]
    # Then the contact says decided and the employer has no outcome yet, on the contact and on the case
    page.goto(contact_url)
    expect(page.get_by_text("Decided", exact=True).first).to_be_visible()
    expect(page.locator("#employer-outcome")).to_be_visible()
    expect(page.get_by_text("has not recorded an outcome yet")).to_be_visible()
    axe.check(page)
    page.goto(case_url)
    expect(page.get_by_text("has not recorded an outcome yet")).to_be_visible()

    # And Hana sees the decision, and what it asks of her, on her allegation
    sign_in_quickly(page, live_demo, "hana")
    page.goto(allegation)
    lado_word = page.locator("#lado-word + dl")
    expect(lado_word).to_contain_text(
        "Tier 1 referral (active case), under the LADO's protocol (its tiers are not the same as your policy's),"
        f" on {on_today}"
    )
    expect(lado_word).to_contain_text("requires active management by the LADO and other agencies")
    axe.check(page)

    # When Hana records the outcome
    page.get_by_role("link", name="Record the outcome").click()
    axe.check(page)
    page.get_by_label("The case manager's report").fill("The CCTV shows Chris separating two pupils who were fighting.")
    page.get_by_label("Unsubstantiated", exact=True).check()
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_text("Outcome recorded.", exact=True)).to_be_visible()
    # Then her outcome waits for the LADO's agreement: it is not her say-so
    page.goto(allegation)
    expect(page.locator("#outcome ~ dl").first).to_contain_text(WAITING)
    axe.check(page)

    # And Lara's contact and case show the employer's outcome waiting for her
    sign_in_quickly(page, live_demo, "lara")
    page.goto(contact_url)
    expect(page.get_by_text("Employer's outcome recorded: waiting for the LADO's agreement")).to_be_visible()
    section = page.locator("#employer-outcome + p + dl")
    expect(section).to_contain_text("Unsubstantiated")
    expect(section).to_contain_text(WAITING)
    axe.check(page)
    page.goto(case_url)
    expect(page.locator("#employer-outcome + p + dl")).to_contain_text(WAITING)
    axe.check(page)

    # When Lara opens the agreement and sends it without an answer, she is asked for one
    page.get_by_role("link", name="Agree or disagree with the employer's outcome").click()
    expect(page.get_by_role("heading", name="Do you agree with the employer's outcome?")).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name="Send your answer to the employer").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose whether you agree with the employer's outcome")
    axe.check(page)
    # And she agrees with the keyboard alone
    page.get_by_label("Yes, I agree with the employer's outcome").focus()
    page.keyboard.press("Space")
    expect(page.get_by_label("Yes, I agree with the employer's outcome")).to_be_checked()
    page.get_by_role("button", name="Send your answer to the employer").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("You agreed the employer's outcome.")).to_be_visible()
    # Then the contact says so
    expect(page.locator("#employer-outcome + p + dl")).to_contain_text(f"Agreed with the LADO on {on_today}")
    expect(page.get_by_text("Employer's outcome agreed")).to_be_visible()
    axe.check(page)
    page.goto(case_url)
    expect(page.locator("#employer-outcome + p + dl")).to_contain_text(f"Agreed with the LADO on {on_today}")

    # And so does Hana's allegation, where she was told in the product
    sign_in_quickly(page, live_demo, "hana")
    page.goto(allegation)
    expect(page.locator("#outcome ~ dl").first).to_contain_text(f"Agreed with the LADO on {on_today}")
    axe.check(page)
    page.goto(f"{live_demo}/notifications/")
    expect(page.get_by_text(f"The LADO agreed the outcome: allegation {new_allegation.reference}.")).to_be_visible()


@pytest.fixture
def decided_call(demo_records: dict[str, int]) -> Contact:
    """A youth club outside Threshold phoned the LADO service; Lara decided Tier 2."""
    lara = User.objects.get(email=world.PERSONAS_BY_KEY["lara"].email)
    contact = contact_record(
        actor=lara,
        local_authority=Organisation.objects.get(name=world.NORTHSHIRE),
        received_at=dt.datetime.now(ZoneInfo("Europe/London")) - dt.timedelta(hours=2),
        method="phone",
        source="employer",
        referrer_name="Kim Clubmanager",
        referrer_agency="Northshire Youth Club",
        referrer_contact="kim@youthclub.example",
        adult_name="Sol Swimcoach",
        adult_role="Swimming coach",
        employer_name="Northshire Youth Club",
        summary="A coach was seen messaging a young swimmer on social media.",
    )
    lara_decides(lambda key: User.objects.get(email=world.PERSONAS_BY_KEY[key].email), contact, "tier-2")
    return contact


def test_lara_sends_a_referrer_outside_threshold_a_decision_letter_with_the_keyboard(
    page: Page, live_demo: str, decided_call: Contact, axe: Accessibility
) -> None:
    # Given Lara on the contact recorded by hand, which she has decided
    sign_in_quickly(page, live_demo, "lara")
    page.goto(f"{live_demo}/lado/contacts/{rid(decided_call.pk)}/")
    axe.check(page)
    # When she opens the decision letter, it is made from the record
    page.get_by_role("link", name="Send the referrer a decision letter").click()
    letter = page.locator("#letter")
    expect(letter).to_contain_text(f"Reference: {decided_call.reference}")
    expect(letter).to_contain_text("The employer is best placed to manage the matter to its conclusions")
    axe.check(page)
    # And sending it without saying how is refused in words for the question
    page.get_by_role("button", name="Record the letter").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose how the referrer gets the decision letter")
    axe.check(page)
    # When she chooses the email that the letter is ready, with the keyboard alone
    page.get_by_label("Email the referrer that a letter is ready").focus()
    page.keyboard.press("Space")
    expect(page.locator("#id_sent_to")).to_have_value("kim@youthclub.example")
    page.get_by_role("button", name="Record the letter").focus()
    page.keyboard.press("Enter")
    # Then the letter is recorded against the decision (the email itself is read in tests/lado/test_decision_letter.py)
    expect(page.get_by_text("The referrer has been emailed that the decision letter is ready.")).to_be_visible()
    axe.check(page)
    assert DecisionLetter.objects.get(contact=decided_call).sent_to == "kim@youthclub.example"
