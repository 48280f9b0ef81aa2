"""A contact sent twice from the browser (a double click, then the same request again) is recorded once (ADR 0021)."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.system.conftest import Accessibility, sign_in_quickly
from tests.system.steps import fill_date
from threshold.accounts.models import User
from threshold.concerns.models import Concern
from threshold.core.models import Submission
from threshold.core.submissions import submission_key
from threshold.lado.models import Contact

pytestmark = pytest.mark.django_db(transaction=True)

# The form's own fields, with its one-time token, as the browser would send them again.
FORM_DATA = "() => Object.fromEntries(new FormData(document.querySelector('[name=adult_name]').form))"


def fill_a_call_about(page: Page, adult: str) -> None:
    """Lara notes a parent's call about an adult, received just after midnight today."""
    fill_date(page, "received", dt.date.today())
    page.get_by_label("Time received").fill("00:00")
    page.get_by_label("Phone", exact=True).check()
    page.get_by_label("Who made the contact?").select_option("parent")
    page.get_by_label("The adult's full name").fill(adult)
    page.get_by_label("Brief details of the circumstances").fill("A parent rang about the swimming coach.")


def contacts_about(adult: str, *, settle_seconds: float = 10) -> int:
    """How many contacts there are about the adult, once the requests in flight have finished."""
    deadline = time.monotonic() + settle_seconds
    while not Contact.objects.filter(adult_name=adult).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    return Contact.objects.filter(adult_name=adult).count()


def test_lara_double_clicks_record_the_contact_and_one_contact_is_recorded(
    page: Page, live_demo: str, axe: Accessibility
) -> None:
    # Given Lara on the new contact form
    sign_in_quickly(page, live_demo, "lara")
    page.goto(f"{live_demo}/lado/contacts/new/")
    fill_a_call_about(page, "Sol Swimcoach")
    sent = page.evaluate(FORM_DATA)

    # When she double-clicks "Record the contact"
    page.get_by_role("button", name="Record the contact").dblclick()

    # Then she is on the contact's page (or, if the second click reached the server while the first was
    # saving, on the page saying so), and one contact is recorded
    expect(page.get_by_role("heading", name=re.compile(r"^(Contact CT-|This is already being sent)"))).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert contacts_about("Sol Swimcoach") == 1

    # When the same request is sent again (a resend, or a retry on a flaky connection)
    again = page.request.post(f"{live_demo}/lado/contacts/new/", form=sent)

    # Then it lands on the contact's page, says it was already saved, and still one contact is recorded
    contact = Contact.objects.get(adult_name="Sol Swimcoach")
    assert again.ok, again.text()[:3000]
    assert contact.reference in again.text()
    assert "This was already saved." in again.text()
    assert contacts_about("Sol Swimcoach") == 1


def test_a_second_send_while_the_first_is_saving_gets_a_page_that_saves_nothing(
    page: Page, live_demo: str, axe: Accessibility
) -> None:
    # Given Lara's contact form, whose token the first click is still saving
    sign_in_quickly(page, live_demo, "lara")
    page.goto(f"{live_demo}/lado/contacts/new/")
    fill_a_call_about(page, "Max Swimcoach")
    token = page.locator("[name=adult_name] >> xpath=ancestor::form//input[@name='submission']").input_value()
    lara = User.objects.get(email="lara.lado@northshire.example")
    Submission.objects.create(
        key=submission_key(f"user:{lara.pk}", token),
        status=Submission.Status.RUNNING,
        created_on=timezone.localdate(),
    )

    # When she clicks again
    page.get_by_role("button", name="Record the contact").click()

    # Then she is told it is already being sent, and nothing more is saved
    expect(page.get_by_role("heading", name="This is already being sent")).to_be_visible()
    axe.check(page)
    assert not Contact.objects.filter(adult_name="Max Swimcoach").exists()


def test_tom_refreshes_the_receipt_of_his_anonymous_concern_and_it_is_shared_once(
    page: Page, live_demo: str, axe: Accessibility
) -> None:
    # Given Tom has shared a concern about a coach anonymously, and sees the receipt
    sign_in_quickly(page, live_demo, "tom")
    page.goto(f"{live_demo}/concerns/share/")
    page.get_by_label("Share it anonymously").check()
    page.get_by_role("radio", name="Someone else (type their name and role)").check()
    page.get_by_label("If someone else: their name").fill("Cole Coachman")
    page.get_by_label("Their role").fill("Sports coach")
    page.get_by_label("A suspicion").check()
    page.get_by_label("4. Details of the concern").fill("On Monday the coach kept a pupil alone in the store room.")
    page.get_by_label("I confirm that this is accurate to the best of my knowledge").check()
    page.get_by_role("button", name="Share the concern").click()
    expect(page.get_by_role("heading", name="Concern shared")).to_be_visible()

    # When he refreshes the page, and the browser sends the form again
    page.reload()

    # Then he is on his home page, told it was already saved, and the concern was shared once
    expect(page.get_by_text("This was already saved.")).to_be_visible()
    axe.check(page)
    assert Concern.objects.filter(subject__full_name="Cole Coachman").count() == 1
