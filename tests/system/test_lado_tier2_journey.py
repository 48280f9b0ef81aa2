"""A Tier 2 case where the nursery manages and the LADO monitors, quality assures the outcome, concludes and closes.

Protocol, Tier 2: "In such cases the employer is best placed to manage the
matter to its conclusions. The LADO is however available and actively
monitors timescales and quality assures the outcome." Every page is checked
with axe.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from tests.system.conftest import Accessibility, sign_in_quickly
from tests.system.steps import choose, decide_from_inbox, fill_date, send_referral
from threshold.core.record_ids import decode
from threshold.core.record_ids import encode as rid
from threshold.lado.models import Case

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_nursery_manages_a_tier_2_case_and_lara_quality_assures_concludes_and_closes_it(
    page: Page, live_demo: str, demo_records: dict[str, int], axe: Accessibility
) -> None:
    today = dt.date.today()
    allegation = f"{live_demo}/allegations/{rid(demo_records['allegation_nell'])}/"

    # Given Nina, the nursery's case manager, refers the allegation about Nell to the LADO
    sign_in_quickly(page, live_demo, "nina")
    page.goto(allegation)
    axe.check(page)
    send_referral(
        page, axe, role="Nursery practitioner", came_to_light="observed", risk_managed="restricted", child="Child B"
    )

    # When Lara finds it in her inbox and decides Tier 2: the nursery manages, the LADO monitors
    sign_in_quickly(page, live_demo, "lara")
    decide_from_inbox(page, live_demo, axe, adult="Nell Nurseryworker")
    choose(page, "works_with_children", "yes")
    choose(page, "adult_identified", "yes")
    choose(page, "safeguarding_concern", "yes")
    page.locator('input[name="definition"][value="harmed_or_may_have_harmed_child"]').check()
    choose(page, "injury", "none")
    choose(page, "setting_type", "early_years")
    page.get_by_role("button", name="Assess").click()
    expect(page.get_by_role("heading", name="Your decision", exact=True)).to_be_visible()
    axe.check(page)
    choose(page, "level", "tier-2")
    page.get_by_label("Why you decided differently from the advice").fill(
        "No injury and no previous concerns: the nursery is best placed to manage it."
    )
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("The LADO case is open.")).to_be_visible()
    case_url = page.url.split("#")[0]
    # Then the case shows its timescales from the pack and the Tier 2 monitoring
    expect(page.get_by_role("heading", name="Timescales")).to_be_visible()
    expect(page.locator("#timescale-resolve-target-three-months")).to_contain_text("Due")
    expect(page.get_by_text("actively monitors timescales and quality assures the outcome").first).to_be_visible()
    axe.check(page)

    # When she schedules a monitoring review a week on
    page.get_by_role("link", name="Schedule a monitoring review").click()
    axe.check(page)
    page.get_by_role("button", name="Schedule the review").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date of the review")
    axe.check(page)
    fill_date(page, "due_on", today + dt.timedelta(days=7))
    page.get_by_role("button", name="Schedule the review").click()
    expect(page.get_by_text("Monitoring review scheduled.", exact=True)).to_be_visible()
    axe.check(page)

    # And Nina records the nursery's outcome on her allegation
    sign_in_quickly(page, live_demo, "nina")
    page.goto(allegation)
    page.get_by_role("link", name="Record the outcome").click()
    axe.check(page)
    page.get_by_label("The case manager's report").fill("Two staff saw the nappy change: firm but not rough handling.")
    page.get_by_label("Unsubstantiated", exact=True).check()
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_text("Outcome recorded.", exact=True)).to_be_visible()
    axe.check(page)

    # Then Lara sees the nursery's progress and outcome from the case
    sign_in_quickly(page, live_demo, "lara")
    page.goto(case_url)
    axe.check(page)
    page.get_by_role("link", name="See the employer's progress and outcome").click()
    expect(page.get_by_text("Little Acorns Nursery has recorded")).to_be_visible()
    expect(page.get_by_text("firm but not rough handling")).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="Back to the case").click()

    # When she records the monitoring review and accepts the nursery's outcome
    page.get_by_role("link", name="Record the review due").click()
    axe.check(page)
    page.get_by_label("What the review found").fill("Outcome recorded within the month; training refreshed.")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_text("Monitoring review recorded.", exact=True)).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="Quality assure the employer's outcome").click()
    expect(page.get_by_text("firm but not rough handling")).to_be_visible()
    axe.check(page)
    page.get_by_label("Accepted").check()
    page.get_by_label("Reasons").fill("Two witnesses; proportionate; the parents were kept informed.")
    page.get_by_role("button", name="Record the quality assurance").click()
    expect(page.locator("#quality-assurance ~ dl").first).to_contain_text("Accepted")
    axe.check(page)

    # And concludes the case with the DBS explained and Ofsted's notification confirmed
    page.get_by_role("link", name="Conclude the case").click()
    expect(
        page.get_by_text("There is insufficient evidence to either prove or disprove the allegation.")
    ).to_be_visible()
    axe.check(page)
    page.get_by_label("Unsubstantiated", exact=True).check()
    page.get_by_label("Summary of the conclusion, for the employer").fill(
        "Unsubstantiated; the nursery's outcome stands."
    )
    choose(page, "dbs_referred", "no")
    page.locator("#id_dbs_explanation").fill("Not removed from regulated activity.")
    choose(page, "ofsted_referred", "yes")
    # The data set items this journey did not record are asked for a reason ("the following data should be captured").
    for reason in page.locator('input[name^="missing_"]').all():
        reason.fill("Not known")
    page.get_by_role("button", name="Conclude the case").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date of the referral to Ofsted")
    axe.check(page)
    fill_date(page, "ofsted_referred_on", today)
    page.get_by_role("button", name="Conclude the case").click()
    expect(page.get_by_text("Case concluded.")).to_be_visible()
    axe.check(page)

    # And closes it
    page.get_by_role("link", name="Close the case").click()
    axe.check(page)
    page.get_by_role("button", name="Close the case").click()
    expect(page.get_by_text("Case closed.", exact=True)).to_be_visible()
    axe.check(page)
    case = Case.objects.get(pk=decode(case_url.rstrip("/").split("/")[-1]))
    assert case.status == "closed"
    assert case.outcome == "unsubstantiated"

    # Then Nina sees the LADO's conclusion on her allegation
    sign_in_quickly(page, live_demo, "nina")
    page.goto(allegation)
    expect(page.get_by_role("heading", name="The LADO's conclusion")).to_be_visible()
    expect(page.get_by_text("Unsubstantiated; the nursery's outcome stands.")).to_be_visible()
    axe.check(page)
