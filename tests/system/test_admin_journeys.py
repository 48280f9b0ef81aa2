"""Journey: an organisation admin invites someone, who creates an account and sets up MFA; axe on every page."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import Page, expect

from tests.system.conftest import Accessibility, sign_in_quickly
from tests.system.server import Server
from threshold.demo.world import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.pg_journey  # CI's PostgreSQL pass runs this journey for its area
def test_olu_invites_a_dsl_who_signs_up_and_sets_up_an_authenticator(
    page: Page, live_demo: str, axe: Accessibility, demo_server: Server
) -> None:
    # Given Olu, Riverside's organisation admin
    sign_in_quickly(page, live_demo, "olu")
    page.goto(f"{live_demo}/")
    page.get_by_role("link", name="Users", exact=True).click()
    expect(page.get_by_role("heading", name="Users")).to_be_visible()
    axe.check(page)

    # When Olu looks at Henry's account
    page.get_by_role("link", name="Henry Hr").click()
    expect(page.get_by_role("heading", name="Henry Hr")).to_be_visible()
    axe.check(page)

    # And invites a new trust DSL, first forgetting the email address
    page.goto(f"{live_demo}/users/invite/")
    page.get_by_label("Full name").fill("Una Newcomer")
    page.get_by_label("Organisation").select_option(label="Riverside Learning Trust")
    page.get_by_label("Role").select_option(label="Designated safeguarding lead (DSL)")
    page.get_by_role("button", name="Send invitation").click()

    # A role that reaches case data: Olu must confirm it is him first (ADR 0016)
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    axe.check(page)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the person's email address")
    axe.check(page)
    page.get_by_label("Email address").fill("una.newcomer@riverside.example")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent.")).to_be_visible()
    axe.check(page)

    # And the grant is listed on Riverside's page
    page.get_by_role("link", name="role grants and approvals for Riverside Learning Trust").click()
    expect(page.get_by_role("heading", name="Recent role grants")).to_be_visible()
    expect(page.get_by_role("cell", name="una.newcomer@riverside.example")).to_be_visible()
    axe.check(page)

    # Then Una opens the emailed link, creates her account and signs in
    path = re.search(r"https?://[^/]+(/invitations/[^/\s]+/)", demo_server.last_email_text())
    assert path
    page.context.clear_cookies()
    page.goto(f"{live_demo}{path.group(1)}")
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    axe.check(page)
    page.get_by_label("Create a password").fill("mellow-harbour-lantern")
    page.get_by_label("Confirm your password").fill("mellow-harbour-lantern")
    page.get_by_role("button", name="Create account").click()
    page.get_by_label("Email address").fill("una.newcomer@riverside.example")
    page.get_by_label("Password", exact=True).fill("mellow-harbour-lantern")
    page.get_by_role("button", name="Continue").click()

    # And is sent to set up her authenticator app before anything else
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    axe.check(page)
    secret = page.locator("#totp-secret").inner_text()
    while time.time() % 30 > 27:
        time.sleep(0.5)
    page.get_by_label("Security code").fill(format_hotp_value(hotp_value(secret, int(time.time() // 30))))
    page.get_by_role("button", name="Continue").click()

    # Then she sees her recovery codes, and her account page
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name="Continue to Threshold").click()
    expect(page.locator("#current-organisation")).to_contain_text("Riverside Learning Trust")
    axe.check(page)
    page.get_by_role("link", name="Your account", exact=True).click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    axe.check(page)


def test_olu_resets_henrys_sign_in_after_reading_what_it_does(
    page: Page, live_demo: str, axe: Accessibility, demo_server: Server
) -> None:
    # Given Olu on Henry's page
    sign_in_quickly(page, live_demo, "olu")
    page.goto(f"{live_demo}/users/")
    page.get_by_role("link", name="Henry Hr").click()

    # When Olu follows "reset their sign-in" and confirms
    page.get_by_role("link", name="reset their sign-in").click()
    expect(page.get_by_role("heading", name="Reset Henry Hr's sign-in")).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name="Reset sign-in").click()
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Confirm").click()

    # Then Olu is told what happens next
    expect(page.get_by_text("Henry Hr's sign-in has been reset.")).to_be_visible()
    axe.check(page)
    link = re.search(r"https?://[^/]+(/sign-in-reset/[^/\s]+/)", demo_server.last_email_text())
    assert link

    # And Henry's password alone only gets him as far as "Check your email"
    page.context.clear_cookies()
    page.goto(f"{live_demo}/")
    page.get_by_label("Email address").fill("henry.hr@riverside.example")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    axe.check(page)

    # Until he opens the emailed link and goes on to set up a new authenticator app
    page.goto(f"{live_demo}{link.group(1)}")
    expect(page.get_by_role("heading", name="Confirm your email address")).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    axe.check(page)
    page.context.clear_cookies()
    sign_in_quickly(page, live_demo, "olu")

    # And from the Users page Olu can choose the policy pack Riverside works under
    page.goto(f"{live_demo}/users/")
    page.get_by_role("link", name="choose the policy pack for Riverside Learning Trust").click()
    axe.check(page)
