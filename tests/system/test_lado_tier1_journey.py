"""A Tier 1 case: Hana's referral, Lara's decision with the police advice, a strategy meeting with Pat, the end.

Protocol, Tier 1: "In Tier 1 cases a Strategy Meeting, or a meeting convened
by the LADO will be held", and the police "would be expected to contribute to
the meeting". Every page is checked with axe.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from tests.system.conftest import Accessibility, sign_in_quickly
from tests.system.steps import choose, decide_from_inbox, fill_date, send_referral
from threshold.accounts.models import Organisation, User
from threshold.allegations.models import Allegation
from threshold.core.record_ids import decode
from threshold.core.record_ids import encode as rid
from threshold.demo import world
from threshold.lado.models import Case
from threshold.people.models import Person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def new_allegation(demo_records: dict[str, int]) -> Allegation:
    """A new allegation about Chris at Oakfield, managed by Hana and not yet referred.

    The demo's own allegation about Chris has been referred and decided
    already (its case is the demo Tier 1 case), so a referral of it would
    update that contact rather than arrive as a new one.
    """
    return Allegation.objects.create(
        organisation=Organisation.objects.get(name=world.OAKFIELD),
        subject=Person.objects.get(pk=demo_records["person_chris"]),
        case_manager=User.objects.get(email=world.PERSONAS_BY_KEY["hana"].email),
        summary="Chris pushed a pupil against the changing-room wall; the pupil has a red mark on the shoulder.",
    )


@pytest.mark.pg_journey  # CI's PostgreSQL pass runs this journey for its area
def test_hanas_referral_becomes_a_tier_1_case_with_a_strategy_meeting_shared_with_pat_and_a_substantiated_end(
    page: Page, live_demo: str, new_allegation: Allegation, axe: Accessibility
) -> None:
    today = dt.date.today()
    allegation = f"{live_demo}/allegations/{rid(new_allegation.pk)}/"

    # Given Hana, the headteacher and case manager, refers her allegation about Chris to the LADO
    sign_in_quickly(page, live_demo, "hana")
    page.goto(allegation)
    axe.check(page)
    send_referral(
        page, axe, role="Sports coach", came_to_light="disclosure_child", risk_managed="suspended", child="Pupil C"
    )

    # When Lara finds it in her inbox and assesses it: a red mark is an injury
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
    # Then the pack advises Tier 1 and shows the police advice
    expect(page.get_by_role("heading", name="The pack's advice: Tier 1")).to_be_visible()
    expect(page.get_by_text("Refer to the police: this is one of the cases")).to_be_visible()
    axe.check(page)

    # When she decides Tier 1
    choose(page, "level", "tier-1")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("The LADO case is open.")).to_be_visible()
    case_url = page.url.split("#")[0]
    axe.check(page)

    # And records the strategy meeting children's social care chaired
    page.get_by_role("link", name="Record a meeting").click()
    expect(page.get_by_text("the LADO should be invited")).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name="Record the meeting").click()
    # The LADO manages this case (no children's social care referral was advised), so the form starts as a
    # LADO-chaired meeting with Lara as chair: what is left to enter is when it was held.
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the time of the meeting")
    axe.check(page)
    page.get_by_label("Strategy meeting").check()
    fill_date(page, "held_on", today)
    page.get_by_label("Time of the meeting").fill("9:30am")
    page.get_by_label("Chair's name").fill("Cara Csc")
    page.get_by_label("Chair's agency").fill("Northshire Children's Social Care")
    page.get_by_label("Information shared").fill("School: CCTV shows Chris pushing the pupil.")
    page.get_by_label("Decisions").fill("Police to investigate; Chris stays suspended.")
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_text("Meeting recorded.", exact=True)).to_be_visible()
    meeting_url = page.url.split("#")[0]
    axe.check(page)

    # And Pat is invited and attends, and an action is agreed for the police
    page.get_by_role("link", name="Add someone invited").click()
    axe.check(page)
    page.get_by_label("Name").fill("Pat Police")
    page.get_by_label("Agency").fill("Northshire Police")
    page.get_by_label("Invited").check()
    page.get_by_role("button", name="Add to the meeting").click()
    expect(page.get_by_text("Attendee added to the meeting.")).to_be_visible()
    page.get_by_role("row").filter(has_text="Pat Police").get_by_role("button", name="Attended").click()
    expect(page.locator("#attendees ~ .app-table-container table").first).to_contain_text("Attended")
    axe.check(page)
    page.get_by_role("link", name="Add an action").click()
    axe.check(page)
    page.get_by_label("Action agreed").fill("Interview Chris under caution.")
    page.get_by_label("Owner").fill("Northshire Police")
    fill_date(page, "due_on", today + dt.timedelta(days=7))
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_text("Action added.", exact=True)).to_be_visible()
    axe.check(page)

    # And she shares the meeting with Pat, picked from the police and social care users
    page.get_by_role("link", name="Share this meeting with someone in the police or children's social care").click()
    axe.check(page)
    page.get_by_label("Person in the police or children's social care").select_option(
        label="Pat Police (Northshire Police)"
    )
    page.get_by_role("button", name="Share the meeting").click()
    expect(page.get_by_text("Meeting shared.", exact=True)).to_be_visible()
    expect(
        page.get_by_role("row").filter(has_text="Pat Police").get_by_role("button", name="Stop sharing")
    ).to_be_visible()
    axe.check(page)

    # When Pat signs in, he sees the case summary and the meeting, and adds the police update
    sign_in_quickly(page, live_demo, "pat")
    page.goto(case_url)
    expect(page.get_by_text("one of its meetings has been shared with you")).to_be_visible()
    axe.check(page)
    page.locator("#meetings ~ .app-table-container table").first.get_by_role("link").click()
    expect(page).to_have_url(meeting_url)
    expect(page.get_by_role("link", name="Add an action")).to_have_count(0)
    axe.check(page)
    page.get_by_role("link", name="Add your agency's update").click()
    axe.check(page)
    page.get_by_label("Your agency's update").fill(
        "Chris interviewed under caution and charged with assault; the record will inform DBS disclosures."
    )
    page.get_by_role("button", name="Add the update").click()
    expect(page.get_by_text("Update added.", exact=True)).to_be_visible()
    expect(page.locator("#updates ~ .govuk-summary-card").first).to_contain_text("Northshire Police")
    axe.check(page)

    # Then Lara sees the police update on the meeting
    sign_in_quickly(page, live_demo, "lara")
    page.goto(meeting_url)
    expect(page.get_by_text("charged with assault")).to_be_visible()
    axe.check(page)

    # When she concludes the case as substantiated with a referral to the DBS
    page.goto(case_url)
    axe.check(page)
    page.get_by_role("link", name="Conclude the case").click()
    expect(page.get_by_text("there is sufficient evidence to prove the allegation.")).to_be_visible()
    axe.check(page)
    page.get_by_label("Substantiated", exact=True).check()
    page.get_by_label("Summary of the conclusion, for the employer").fill(
        "Substantiated: CCTV and the police investigation confirm the pupil was pushed."
    )
    choose(page, "dbs_referred", "yes")
    fill_date(page, "dbs_referred_on", today)
    page.locator("#id_dbs_reference").fill("DBS-2026-0101")
    for body in ("tra", "ofsted"):
        if page.locator(f'input[name="{body}_referred"]').count():
            choose(page, f"{body}_referred", "no")
            page.locator(f"#id_{body}_explanation").fill("Chris is a sports coach, not a teacher; not early years.")
    # The data set items this journey did not record are asked for a reason ("the following data should be captured").
    for reason in page.locator('input[name^="missing_"]').all():
        reason.fill("Not known")
    page.get_by_role("button", name="Conclude the case").click()
    expect(page.get_by_text("Case concluded.")).to_be_visible()
    axe.check(page)
    case = Case.objects.get(pk=decode(case_url.rstrip("/").split("/")[-1]))
    assert case.outcome == "substantiated"
    assert case.body_referrals.filter(body="dbs").exists()

    # And Hana sees the LADO's conclusion on her allegation
    sign_in_quickly(page, live_demo, "hana")
    page.goto(allegation)
    expect(page.get_by_role("heading", name="The LADO's conclusion")).to_be_visible()
    axe.check(page)
