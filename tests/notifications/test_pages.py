"""The notifications page, the count in the header, "Mark all as read" and the notification settings page."""

from __future__ import annotations

from django.urls import reverse

from threshold.accounts.models import NotificationPreference
from threshold.audit.models import AuditEvent
from threshold.notifications.models import Notification, NotificationKind
from threshold.notifications.services import notify_in_transaction
from threshold.people.models import Person, PersonKind


def tell(user, key: str, text: str, url: str = "/work/") -> None:
    notify_in_transaction(recipients=[user], kind=NotificationKind.ALLOCATED, text=text, key=key, url=url)


def test_the_header_counts_unread_notifications_and_the_page_lists_them_newest_first(persona, signed_in) -> None:
    lara = persona("lara")
    tell(lara, "one", "Case allocated to you: LADO-AAAA-AAAA")
    tell(lara, "two", "Case allocated to you: LADO-BBBB-BBBB")
    page = signed_in("lara").get(reverse("notifications"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="header-notifications"' in html
    assert '2<span class="govuk-visually-hidden"> unread</span>' in html
    assert "2 unread." in html
    assert html.index("LADO-BBBB-BBBB") < html.index("LADO-AAAA-AAAA")
    assert html.count(">Unread</strong>") == 2
    assert '<a class="govuk-link" href="/work/">Case allocated to you: LADO-AAAA-AAAA</a>' in html


def test_someone_with_nothing_unread_sees_no_count(persona, signed_in) -> None:
    html = signed_in("mo").get(reverse("home")).content.decode()
    assert 'id="header-notifications"' in html
    assert 'govuk-visually-hidden"> unread' not in html


def test_a_notification_about_the_reader_is_neither_listed_nor_counted(persona, signed_in) -> None:
    lara = persona("lara")
    tell(lara, "plain", "Case allocated to you: LADO-CCCC-CCCC")
    # Written before a name matched: the read decides, and hides it.
    about = Person.objects.create(
        organisation=lara.memberships.first().organisation, kind=PersonKind.ADULT, full_name="Lara Lado"
    )
    Notification.objects.create(
        recipient=lara,
        kind=NotificationKind.NEW_REFERRAL,
        text="New referral in the inbox: CT-DDDD-DDDD",
        key="about",
        subject=about,
    )
    html = signed_in("lara").get(reverse("notifications")).content.decode()
    assert "CT-DDDD-DDDD" not in html
    assert "1 unread." in html
    assert '1<span class="govuk-visually-hidden"> unread</span>' in html


def test_mark_all_as_read_is_a_post_that_marks_only_the_readers_own(persona, signed_in) -> None:
    lara, mo = persona("lara"), persona("mo")
    tell(lara, "a", "Case allocated to you: LADO-AAAA-AAAA")
    tell(mo, "b", "Case allocated to you: LADO-BBBB-BBBB")
    client = signed_in("lara")
    assert client.get(reverse("notifications_mark_read")).status_code == 405
    response = client.post(reverse("notifications_mark_read"))
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications")
    assert not Notification.objects.filter(recipient=lara, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=mo, read_at__isnull=True).count() == 1
    html = client.get(reverse("notifications")).content.decode()
    assert "All notifications marked as read" in html
    assert "Nothing unread." in html
    assert AuditEvent.objects.filter(action="notifications.marked_read", details__count=1).exists()


def test_the_settings_page_shows_the_role_defaults_and_saves_a_choice(persona, signed_in) -> None:
    dev = persona("dev")
    client = signed_in("dev")
    page = client.get(reverse("notification_settings"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "these are the settings for your role" in html
    # A DSL's default: the digest only.
    assert 'value="digest" checked' in html
    assert 'value="immediate" checked' not in html
    response = client.post(reverse("notification_settings"), {"emails": ["immediate"], "version": "0"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=dev)
    assert (preference.daily_digest, preference.immediate, preference.version) == (False, True, 1)
    assert AuditEvent.objects.filter(action="notifications.preference_set").exists()
    # Ticking neither: no emails at all, notifications still shown.
    client.post(reverse("notification_settings"), {"version": "1"})
    preference.refresh_from_db()
    assert (preference.daily_digest, preference.immediate, preference.version) == (False, False, 2)
    assert "You get no emails" in client.get(reverse("notifications")).content.decode()


def test_a_stale_settings_form_is_given_back_under_the_conflict_notice(persona, signed_in) -> None:
    client = signed_in("lara")
    assert client.post(reverse("notification_settings"), {"emails": ["digest"], "version": "0"}).status_code == 302
    stale = client.post(reverse("notification_settings"), {"emails": ["immediate"], "version": "0"})
    assert stale.status_code == 409
    preference = NotificationPreference.objects.get(user=persona("lara"))
    assert (preference.daily_digest, preference.immediate) == (True, False)


def test_an_empty_post_to_the_settings_saves_nothing(persona, signed_in) -> None:
    response = signed_in("tom").post(reverse("notification_settings"), {})
    assert response.status_code == 409
    assert not NotificationPreference.objects.filter(user=persona("tom")).exists()
