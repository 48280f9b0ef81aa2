"""Journey: a LADO sees the count of unread notifications in the header, reads them and chooses their emails."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.system.conftest import Accessibility, sign_in_quickly
from threshold.accounts.models import NotificationPreference, User
from threshold.core.record_ids import encode as rid
from threshold.demo.world import PERSONAS_BY_KEY
from threshold.lado.models import Contact
from threshold.notifications.models import NotificationKind
from threshold.notifications.services import notify_in_transaction

pytestmark = pytest.mark.django_db(transaction=True)


def test_lara_reads_her_notifications_and_chooses_the_digest_only(
    page: Page, live_demo: str, demo_records: dict[str, int], axe: Accessibility
) -> None:
    lara = User.objects.get(email=PERSONAS_BY_KEY["lara"].email)
    contact = Contact.objects.get(pk=demo_records["contact_inbox"])
    notify_in_transaction(
        recipients=[lara],
        kind=NotificationKind.NEW_REFERRAL,
        text=f"New referral in the inbox: {contact.reference}",
        key="journey:referral",
        url=f"/lado/contacts/{rid(contact.pk)}/",
        reference=contact.reference,
        subject=contact.subject,
    )
    notify_in_transaction(
        recipients=[lara],
        kind=NotificationKind.DEADLINE_SOON,
        text=f"Deadline coming: Advice to the referrer on {contact.reference}, due 8 December 2026",
        key="journey:soon",
        url="/work/",
        reference=contact.reference,
    )
    # Given Lara, signed in, with two unread notifications
    sign_in_quickly(page, live_demo, "lara")
    page.goto(f"{live_demo}/")
    header = page.locator("#header-notifications")
    expect(header).to_have_text("Notifications 2 unread")
    # When she opens them
    header.click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    expect(page.locator("#notification-count")).to_have_text("2 unread. Newest first.")
    expect(page.get_by_role("link", name=f"New referral in the inbox: {contact.reference}")).to_be_visible()
    axe.check(page)
    # And marks them all as read
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator("#notification-count")).to_have_text("Nothing unread. Newest first.")
    expect(page.locator("#header-notifications")).to_have_text("Notifications")
    expect(page.get_by_text("All notifications marked as read")).to_be_visible()
    axe.check(page)
    # Then she keeps the digest and stops the immediate emails
    page.get_by_role("link", name="Change your notification settings").click()
    expect(page.get_by_role("heading", name="Notification settings")).to_be_visible()
    digest = page.get_by_label("A daily summary of what is overdue, due today and due in the next 7 days")
    immediate = page.get_by_label("An email straight away for what cannot wait")
    expect(digest).to_be_checked()
    expect(immediate).to_be_checked()  # a LADO's default
    axe.check(page)
    immediate.uncheck()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Your notification settings have been saved")).to_be_visible()
    expect(page.get_by_text("You get a daily summary.")).to_be_visible()
    preference = NotificationPreference.objects.get(user=lara)
    assert (preference.daily_digest, preference.immediate) == (True, False)
