"""Journey: a persona signs in with password and TOTP, switches organisation and signs out."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.system.conftest import Accessibility, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.pg_journey  # CI's PostgreSQL pass runs this journey for its area
def test_dev_signs_in_switches_organisation_and_signs_out(page: Page, live_demo: str, axe: Accessibility) -> None:
    # Given Dev, the DSL for Hillcrest Academy and Oakfield Primary School
    # When Dev signs in with password and authenticator code
    sign_in(page, live_demo, "dev", axe)

    # Then Dev lands on the home page, working as one of the schools
    expect(page.get_by_role("heading", name="Home")).to_be_visible()
    expect(page.locator("#current-organisation")).to_contain_text("Hillcrest Academy")
    axe.check(page)

    # When Dev switches to Oakfield from the header, using the keyboard only
    page.get_by_label("Switch organisation").select_option(
        label="Oakfield Primary School (Designated safeguarding lead (DSL))"
    )
    page.get_by_role("button", name="Switch").focus()
    page.keyboard.press("Enter")

    # Then the header says Oakfield
    expect(page.locator("#current-organisation")).to_contain_text("Oakfield Primary School")
    expect(page.get_by_text("You are now working as Oakfield Primary School.")).to_be_visible()
    axe.check(page)

    # When Dev signs out
    page.get_by_role("button", name="Sign out").click()

    # Then Dev is on the sign-in page and the home page needs signing in again
    expect(page.get_by_role("heading", name="Sign in to Threshold")).to_be_visible()
    axe.check(page)
    page.goto(f"{live_demo}/")
    expect(page.get_by_role("heading", name="Sign in to Threshold")).to_be_visible()
    assert len(axe.checked) >= 5


def test_the_public_pages_are_accessible(page: Page, live_demo: str, axe: Accessibility) -> None:
    for path in ("/accessibility/", "/privacy/", "/accounts/password/reset/"):
        page.goto(f"{live_demo}{path}")
        axe.check(page)


def test_a_wrong_password_shows_the_error_summary_linked_to_the_field(
    page: Page, live_demo: str, axe: Accessibility
) -> None:
    page.goto(f"{live_demo}/accounts/login/")
    page.get_by_label("Email address").fill("lara.lado@northshire.example")
    page.get_by_label("Password", exact=True).fill("not-her-password")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    axe.check(page)


def test_the_account_and_refusal_pages_are_accessible(page: Page, live_demo: str, axe: Accessibility) -> None:
    from tests.system.conftest import sign_in_quickly

    # Tom, a member of staff, is refused the administrators' pages
    sign_in_quickly(page, live_demo, "tom")
    page.goto(f"{live_demo}/users/")
    expect(page.get_by_role("heading", name="You do not have permission to see this page")).to_be_visible()
    axe.check(page)
    # His own account pages ask him to confirm it is him before security changes
    for path in ("/accounts/password/change/", "/accounts/email/", "/accounts/2fa/totp/deactivate/"):
        page.goto(f"{live_demo}{path}")
        axe.check(page)
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()

    # Someone guessing Lara's password from one place is paused there
    page.context.clear_cookies()
    for _ in range(5):
        page.goto(f"{live_demo}/accounts/login/")
        page.get_by_label("Email address").fill("lara.lado@northshire.example")
        page.get_by_label("Password", exact=True).fill("a-wrong-guess-of-a-password")
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Too many attempts to sign in")).to_be_visible()
    axe.check(page)


def test_sid_adds_a_school_choosing_its_policy_pack(page: Page, live_demo: str, axe: Accessibility) -> None:
    from tests.system.conftest import sign_in_quickly

    # Given Sid, the system administrator, whose header says so
    sign_in_quickly(page, live_demo, "sid")
    page.goto(f"{live_demo}/")
    expect(page.locator("#current-organisation")).to_contain_text("System administrator")

    # When Sid opens Organisations and adds a school, first forgetting its pack
    page.get_by_role("link", name="Organisations", exact=True).click()
    expect(page.get_by_role("heading", name="Organisations")).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name="Add an organisation").click()
    page.get_by_label("Name").fill("Brookside Primary School")
    page.get_by_label("Kind of organisation").select_option(label="School")
    page.get_by_label("Academy trust (optional)").select_option(label="Riverside Learning Trust")
    page.get_by_label("Local authority area").select_option(label="Northshire Council")
    page.get_by_role("button", name="Add organisation").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose a policy pack")
    axe.check(page)
    page.get_by_label("Policy pack").select_option("lead-academy-trust")
    page.get_by_role("button", name="Add organisation").click()

    # Then the school is listed with the pack Sid chose
    expect(page.get_by_text("Brookside Primary School has been added.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Brookside Primary School")
    expect(row).to_contain_text("L.E.A.D. Academy Trust")
    axe.check(page)
    page.get_by_role("link", name="Brookside Primary School", exact=True).click()
    expect(page.get_by_role("heading", name="Change Brookside Primary School")).to_be_visible()
    axe.check(page)
