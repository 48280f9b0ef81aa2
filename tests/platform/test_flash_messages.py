"""Flash messages wait on the server: nothing a message says travels in a cookie."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import demo_record_ids

pytestmark = pytest.mark.django_db

AN_ENTRY = {
    "occurred_day": "2",
    "occurred_month": "3",
    "occurred_year": "2026",
    "occurred_time": "10:15am",
    "text": "Phoned the LADO; advised to consult the police.",
}


def test_hanas_saved_message_is_shown_from_the_session_and_never_set_as_a_cookie(demo_world, signed_in) -> None:
    hana = signed_in("hana")
    url = reverse("chronology_add", args=["allegation", demo_record_ids()["allegation_chris"]])

    saved = hana.post(url, AN_ENTRY)
    page = hana.get(saved["Location"])

    assert saved.status_code == 302
    assert "messages" not in saved.cookies
    assert "messages" not in page.cookies
    assert "govuk-notification-banner--success" in page.content.decode()
