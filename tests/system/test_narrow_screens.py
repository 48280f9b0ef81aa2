"""At 375 px, the width of a phone (issue 17): the pages a head between lessons or a LADO on the phone opens, each
checked with axe, and none scrolls sideways: a wide table scrolls inside its own container, summary lists stack,
long references and addresses wrap."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, ViewportSize

from tests.system.conftest import Accessibility, sign_in_quickly
from tests.urlwalk import Route

pytestmark = pytest.mark.django_db(transaction=True)

PHONE: ViewportSize = {"width": 375, "height": 812}


def overflow_of(page: Page) -> str:
    """Why the page scrolls sideways at this width ("" when it does not)."""
    try:
        fits(page)
    except AssertionError as error:
        return str(error).split("\n")[0]
    return ""


def fits(page: Page) -> None:
    """The page is no wider than the screen: nothing to scroll sideways."""
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .filter(e => !e.parentElement.closest('.app-table-container'))
            .filter(e => ![...e.children].some(
                c => c.getBoundingClientRect().right > document.documentElement.clientWidth + 1))
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 50))"""
    )
    assert overflow <= 1, f"{page.url} scrolls sideways by {overflow} px at 375 px: {wide}"


@pytest.mark.parametrize(
    ("persona", "pages"),
    [
        (
            "lara",
            [
                "home",
                ("case_detail", "case_chris"),
                ("contact_detail", "contact_chris"),
                "lado_inbox",
                "case_list",
                "lado_search",
                "consultation_list",
                "my_work",
            ],
        ),
        (
            "hana",
            [
                "home",
                "concern_list",
                ("allegation_detail", "allegation_chris"),
                ("concern_detail", "concern_about_tom"),
                ("concern_triage", "concern_about_tom"),
                "allegation_list",
                "imports",
                "pattern_review_list",
                "employer_school_dashboard",
                "my_work",
            ],
        ),
        ("tom", ["concern_share"]),
        ("ada", ["audit_events", ("audit_person_access_log", "person_la_chris")]),
        ("mo", ["lado_report", "lado_team"]),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_the_pages_people_open_on_a_phone_fit_and_pass_axe(
    page: Page, live_demo: str, demo_records: dict[str, int], axe: Accessibility, persona: str, pages: list
) -> None:
    page.set_viewport_size(PHONE)
    sign_in_quickly(page, live_demo, persona)
    for entry in pages:
        name, record = (entry, None) if isinstance(entry, str) else entry
        path = reverse(name, args=[demo_records[record]]) if record else reverse(name)
        response = page.goto(f"{live_demo}{path}")
        assert response is not None
        assert response.status == 200, f"{name}: {response.status}"
        fits(page)
        axe.check(page)


# Files, not pages: a PDF alone takes WeasyPrint seconds to make, and the browser only downloads it.
DOWNLOADS = re.compile(r"_(pdf|csv|xlsx)$")


def first_readers() -> dict[str, list[Route]]:
    """Every page of the demo world by the first persona the expected-access table lets read it."""
    from tests.access.expected_access import expected
    from tests.access.routes import PERSONAS, routes

    table = expected()
    readers: dict[str, list[Route]] = {}
    for route in routes():
        reader = next((key for key in PERSONAS if table[route.name][key] == 200), None)
        if reader is not None and not DOWNLOADS.search(route.name):
            readers.setdefault(reader, []).append(route)
    return readers


# A test a persona, so the workers share the walk (it is the longest browser test).
@pytest.mark.parametrize("reader", sorted(first_readers()))
def test_no_page_of_the_demo_world_scrolls_sideways_on_a_phone(
    page: Page, live_demo: str, demo_records: dict[str, int], reader: str
) -> None:
    """Every page a persona may open (the expected-access table's first reader of each), at 375 px."""
    from tests.access.routes import path_for

    paths = [path_for(route, demo_records) for route in first_readers()[reader]]
    page.set_viewport_size(PHONE)
    sign_in_quickly(page, live_demo, reader)
    wide, seen = [], 0
    for path in paths:
        try:
            response = page.goto(f"{live_demo}{path}")
        except PlaywrightError:
            continue  # a download the names do not give away: not a page
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        seen += 1
        if problem := overflow_of(page):
            wide.append(problem)
    assert seen, f"none of {reader}'s pages was a page"
    assert not wide, "\n".join(wide)
