"""A typed name that could be a colleague's: the form asks who it is, the record is kept from them (ADR 0018)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.system.conftest import Accessibility, sign_in_quickly

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.pg_journey  # CI's PostgreSQL pass runs this journey for its area
def test_tom_types_a_name_that_could_be_devs_and_hana_clears_the_match(
    page: Page, live_demo: str, axe: Accessibility
) -> None:
    # Given Tom shares a concern about "Devendra Dsl", someone he types rather than chooses
    sign_in_quickly(page, live_demo, "tom")
    page.goto(f"{live_demo}/concerns/share/")
    page.get_by_label("Share it with my name").check()
    page.get_by_label("Someone else (type their name and role)").check()
    page.get_by_label("If someone else: their name").fill("Devendra Dsl")
    page.get_by_label("Their role").fill("Music tutor")
    page.get_by_label("A suspicion").check()
    page.get_by_label("4. Details of the concern").fill("Kept a pupil behind after the lesson with the door shut.")
    page.get_by_label("I confirm that this is accurate to the best of my knowledge").check()
    page.get_by_role("button", name="Share the concern").click()
    # Then the form asks whether the person is Dev Dsl, beside the name, in the error summary
    expect(page.locator(".govuk-error-summary")).to_contain_text("could be Dev Dsl, who uses Threshold")
    axe.check(page)
    # When he says, with the keyboard only, that it is not someone who uses Threshold
    page.locator(".govuk-error-summary a").first.focus()
    page.keyboard.press("Enter")
    page.get_by_label("No – they are not someone who uses Threshold").check()
    page.get_by_role("button", name="Share the concern").click()
    expect(page.get_by_role("heading", name="Concern shared")).to_be_visible()
    axe.check(page)
    reference = page.locator(".govuk-panel strong").inner_text()

    # Then Dev, who could be the person, does not see it in his list
    page.context.clear_cookies()
    sign_in_quickly(page, live_demo, "dev")
    page.goto(f"{live_demo}/concerns/")
    expect(page.locator("main")).not_to_contain_text(reference)

    # And Hana, the headteacher, is told why, and decides it is not Dev
    page.context.clear_cookies()
    sign_in_quickly(page, live_demo, "hana")
    page.goto(f"{live_demo}/concerns/")
    page.get_by_role("link", name=reference).click()
    expect(page.locator("#hidden-from")).to_contain_text("Not shown to Dev Dsl")
    axe.check(page)
    page.get_by_text("It is not Dev Dsl").click()
    # Sent without a reason, she is asked again on a page of its own, the error beside the box
    page.get_by_role("button", name="Show it to Dev Dsl").click()
    expect(page).to_have_title(re.compile(r"^Error: Why the record is not about Dev Dsl"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why the record is not about them")
    axe.check(page)
    page.get_by_label("Why the record is not about Dev Dsl").fill("A visiting music tutor from the county service.")
    page.get_by_role("button", name="Show it to Dev Dsl").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("now shown to your colleague")
    axe.check(page)

    # Then Dev sees it
    page.context.clear_cookies()
    sign_in_quickly(page, live_demo, "dev")
    page.goto(f"{live_demo}/concerns/")
    expect(page.locator("main")).to_contain_text(reference)
