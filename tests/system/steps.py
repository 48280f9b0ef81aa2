"""Steps several browser journeys take: filling GOV.UK date inputs and radios, referring, opening from the inbox."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from tests.system.conftest import Accessibility


def fill_date(page: Page, name: str, day: dt.date) -> None:
    """Fill the day, month and year boxes of the GOV.UK date input called ``name``."""
    page.locator(f"#id_{name}_day").fill(str(day.day))
    page.locator(f"#id_{name}_month").fill(str(day.month))
    page.locator(f"#id_{name}_year").fill(str(day.year))


def choose(page: Page, name: str, value: str) -> None:
    """Check the radio or checkbox ``name`` with ``value``."""
    page.locator(f'input[name="{name}"][value="{value}"]').check()


def send_referral(
    page: Page, axe: Accessibility, *, role: str, came_to_light: str, risk_managed: str, child: str
) -> None:
    """From an allegation page, complete the LADO referral's data set and send it (a physical allegation)."""
    page.get_by_role("link", name="Refer to the LADO").first.click()
    axe.check(page)
    page.locator("#id_adult_role").fill(role)
    page.locator("#id_came_to_light").select_option(came_to_light)
    page.locator("#id_risk_managed").select_option(risk_managed)
    page.get_by_label("Physical").check()
    page.locator("#id_child_0_full_name").fill(child)
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_text("Referral sent to the LADO of Northshire Council")).to_be_visible()
    axe.check(page)


def decide_from_inbox(page: Page, base_url: str, axe: Accessibility, *, adult: str) -> None:
    """As a LADO, open the inbox contact about ``adult`` and go to its decision page."""
    page.goto(f"{base_url}/lado/inbox/")
    axe.check(page)
    page.get_by_role("row").filter(has_text=adult).get_by_role("link").first.click()
    axe.check(page)
    page.get_by_role("button", name="Decide: consultation, Tier 2 or Tier 1").click()
    axe.check(page)
