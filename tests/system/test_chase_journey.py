"""An auto-chase from request to reply: Lara asks the nursery for information, Nina replies, Lara sees the reply.

The Tier 2 nursery case (Little Acorns refers Nell, Lara decides Tier 2) is built through the services, as the
LADO tests build it; the request, the reply and the case page are driven in the browser and checked with axe.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from tests.lado.nursery import open_nursery_case
from tests.system.conftest import Accessibility, sign_in_quickly
from tests.system.steps import fill_date
from threshold.accounts.models import User
from threshold.core.record_ids import encode as rid
from threshold.demo.world import PERSONAS_BY_KEY
from threshold.lado.models import InformationRequest, RequestStatus

pytestmark = pytest.mark.django_db(transaction=True)

WHAT = "Please send the notes of the nappy change and the staff rota for that morning."


def _persona(key: str) -> User:
    return User.objects.get(email=PERSONAS_BY_KEY[key].email)


def test_lara_requests_information_nina_replies_and_lara_sees_the_reply_on_the_case(
    page: Page, live_demo: str, demo_records: dict[str, int], axe: Accessibility
) -> None:
    today = dt.date.today()
    # Given the nursery's Tier 2 case, which Lara monitors and Nina manages
    case = open_nursery_case(_persona, demo_records)
    case_url = f"{live_demo}/lado/cases/{rid(case.pk)}/"
    allegation_url = f"{live_demo}/allegations/{rid(demo_records['allegation_nell'])}/"

    # When Lara asks the nursery's case manager for information from the case page
    sign_in_quickly(page, live_demo, "lara")
    page.goto(case_url)
    expect(page.get_by_role("heading", name="Requests for information")).to_be_visible()
    page.get_by_role("link", name="Request information from the employer").click()
    expect(page.get_by_role("heading", name="Request information from the employer")).to_be_visible()
    axe.check(page)
    # (a date in the past is refused beside the date)
    page.get_by_label("What you are asking for").fill(WHAT)
    fill_date(page, "due_on", today - dt.timedelta(days=1))
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be today or in the future")
    axe.check(page)
    fill_date(page, "due_on", today + dt.timedelta(days=7))
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Request for information sent to the employer's case manager.")).to_be_visible()
    section = page.locator("#information-requests ~ .govuk-summary-card").first
    expect(section).to_contain_text("Waiting for a reply")
    expect(section).to_contain_text("Request sent")
    axe.check(page)

    # Then Nina sees it on her allegation and replies
    sign_in_quickly(page, live_demo, "nina")
    page.goto(allegation_url)
    expect(page.get_by_role("heading", name="Requests for information from the LADO")).to_be_visible()
    expect(page.get_by_text(WHAT)).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="Reply").first.click()
    expect(page.get_by_role("heading", name="Reply to the LADO's request")).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name="Send the reply").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your reply to the LADO")
    axe.check(page)
    page.get_by_label("Your reply").fill("The notes and the rota are attached to our record; two staff were present.")
    page.get_by_role("button", name="Send the reply").click()
    expect(page.get_by_text("Reply sent to the LADO.")).to_be_visible()
    axe.check(page)

    # And Lara sees the reply on the case
    sign_in_quickly(page, live_demo, "lara")
    page.goto(case_url)
    section = page.locator("#information-requests ~ .govuk-summary-card").first
    expect(section).to_contain_text("Answered")
    expect(section).to_contain_text("two staff were present")
    axe.check(page)
    assert InformationRequest.objects.get(case=case).status == RequestStatus.ANSWERED

    # When she asks again and then withdraws the second request with its button
    page.get_by_role("link", name="Request information from the employer").click()
    page.get_by_label("What you are asking for").fill("An update on the training refresher.")
    fill_date(page, "due_on", today + dt.timedelta(days=14))
    page.get_by_label("Chase up to (times)").fill("2")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Request for information sent to the employer's case manager.")).to_be_visible()
    page.get_by_role("button", name="Withdraw the request").click()
    expect(page.get_by_text("Request for information withdrawn.")).to_be_visible()
    expect(page.locator("#information-requests ~ .govuk-summary-card").first).to_contain_text("Withdrawn")
    axe.check(page)
    statuses = sorted(InformationRequest.objects.filter(case=case).values_list("status", flat=True))
    assert statuses == [RequestStatus.ANSWERED, RequestStatus.WITHDRAWN]
