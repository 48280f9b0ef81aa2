"""A list longer than a page, on a phone's width: the GOV.UK pagination passes axe and is used by keyboard alone.

Most lists of the demo world fit on one page, so the journeys rarely show the pagination control (issue 15):
here Mo's and Lara's case lists hold 60 cases, and Lara's work list 60 overdue steps, each read at 375 pixels wide.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, ViewportSize, expect

from tests.system.conftest import Accessibility, sign_in_quickly
from tests.timescales.work_helpers import deadline
from threshold.accounts.models import Organisation, User
from threshold.demo import world
from threshold.lado.models import Case, Contact
from threshold.people.models import Person

pytestmark = pytest.mark.django_db(transaction=True)

CASES = 60
PHONE: ViewportSize = {"width": 375, "height": 812}


def _sixty_cases_for_lara() -> list[Case]:
    northshire = Organisation.objects.get(name=world.NORTHSHIRE)
    lara = User.objects.get(email=world.PERSONAS_BY_KEY["lara"].email)
    cases = []
    for number in range(CASES):
        person = Person.objects.create(organisation=northshire, full_name=f"Adult Paged{number}")
        contact = Contact.objects.create(
            local_authority=northshire, subject=person, adult_name=person.full_name, summary="Synthetic."
        )
        case = Case.objects.create(
            local_authority=northshire,
            subject=person,
            contact=contact,
            adult_name=person.full_name,
            summary="Synthetic.",
            tier="tier-2",
            lado=lara,
        )
        cases.append(case)
    return cases


@pytest.mark.parametrize(("persona", "list_name"), [("mo", "case_list_all"), ("lara", "case_list")])
def test_a_case_list_of_two_pages_passes_axe_at_375_pixels_and_its_next_page_is_reached_by_keyboard(
    page: Page, live_demo: str, axe: Accessibility, persona: str, list_name: str
) -> None:
    # Given more cases than a page holds, and a phone-sized window
    _sixty_cases_for_lara()
    page.set_viewport_size(PHONE)
    sign_in_quickly(page, live_demo, persona)
    # When the list is opened
    page.goto(live_demo + reverse(list_name))
    pagination = page.get_by_role("navigation", name="Pages of results")
    expect(pagination).to_be_visible()
    axe.check(page)
    # And the next page is chosen with the keyboard alone
    next_link = pagination.get_by_role("link", name="Next page")
    next_link.focus()
    page.keyboard.press("Enter")
    # Then the second page shows, says where it is, and still passes axe
    expect(page).to_have_url(f"{live_demo}{reverse(list_name)}?page=2")
    expect(page.get_by_text("Showing 51 to")).to_be_visible()
    expect(pagination.get_by_role("link", name="Previous page")).to_be_visible()
    axe.check(page)


def test_my_work_with_sixty_overdue_steps_pages_that_group_alone_at_375_pixels(
    page: Page, live_demo: str, axe: Accessibility
) -> None:
    # Given Lara has sixty overdue steps, and a phone-sized window
    lara = User.objects.get(email=world.PERSONAS_BY_KEY["lara"].email)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    for case in _sixty_cases_for_lara():
        deadline(case, kind="evaluation-meeting", due_on=yesterday, owner=lara)
    page.set_viewport_size(PHONE)
    sign_in_quickly(page, live_demo, "lara")
    # When she opens My work, the overdue group has pages of its own
    page.goto(live_demo + reverse("my_work"))
    pagination = page.get_by_role("navigation", name="Pages of overdue steps")
    expect(pagination).to_be_visible()
    axe.check(page)
    # And its next page, chosen by keyboard, moves that group alone
    pagination.get_by_role("link", name="Next page").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_demo}{reverse('my_work')}?overdue_page=2")
    expect(page.get_by_role("navigation", name="Pages of overdue steps")).to_be_visible()
    axe.check(page)
