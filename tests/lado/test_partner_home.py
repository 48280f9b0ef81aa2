"""The home page shows police and children's social care users what the LADO service has shared with them."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from threshold.audit.models import AuditEvent
from threshold.core.record_ids import encode as rid
from threshold.lado.models import Case, Meeting
from threshold.lado.services import sharing

pytestmark = pytest.mark.django_db


def text_of(client: Client) -> str:
    """The home page's text with tags removed and spaces collapsed."""
    page = client.get("/")
    assert page.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))


@pytest.fixture
def strategy_meeting(ids: dict[str, int]) -> Meeting:
    """The demo strategy meeting of Chris's case, shared with Pat."""
    return Meeting.objects.get(pk=ids["meeting_chris"])


def test_pat_sees_the_strategy_meeting_shared_with_him(signed_in, strategy_meeting: Meeting) -> None:
    client = signed_in("pat")
    page = client.get("/").content.decode()
    assert "Shared with you" in page
    assert f'href="/lado/meetings/{rid(strategy_meeting.pk)}/"' in page
    assert "Strategy meeting" in text_of(client)
    assert strategy_meeting.case.reference in text_of(client)


def test_cara_sees_the_case_shared_with_her(signed_in, chris_case: Case) -> None:
    client = signed_in("cara")
    page = client.get("/").content.decode()
    assert "Shared with you" in page
    assert f'href="/lado/cases/{rid(chris_case.pk)}/"' in page
    assert chris_case.reference in text_of(client)


@pytest.mark.parametrize("key", ["pat", "cara"])
def test_the_panel_names_no_adult(signed_in, chris_case: Case, key: str) -> None:
    assert chris_case.subject.full_name not in text_of(signed_in(key))


def test_the_meeting_disappears_once_it_is_no_longer_shared_with_pat(
    signed_in, persona, strategy_meeting: Meeting
) -> None:
    sharing.meeting_unshare(actor=persona("lara"), meeting=strategy_meeting, user=persona("pat"))
    page = signed_in("pat").get("/").content.decode()
    assert f'href="/lado/meetings/{rid(strategy_meeting.pk)}/"' not in page
    assert "No meetings are shared with you." in page


def test_the_case_disappears_once_it_is_no_longer_shared_with_cara(signed_in, persona, chris_case: Case) -> None:
    sharing.case_unshare(actor=persona("lara"), case=chris_case, user=persona("cara"))
    page = signed_in("cara").get("/").content.decode()
    assert f'href="/lado/cases/{rid(chris_case.pk)}/"' not in page
    assert "No cases are shared with you." in page


@pytest.mark.parametrize("key", ["lara", "hana", "sid"])
def test_nobody_but_partners_has_the_panel(signed_in, key: str) -> None:
    assert "Shared with you" not in signed_in(key).get("/").content.decode()


def test_reading_the_panel_is_audited_as_a_list(signed_in, persona, strategy_meeting: Meeting) -> None:
    signed_in("pat").get("/")
    event = AuditEvent.objects.filter(action="records.listed", actor=persona("pat")).latest("sequence")
    # One event for the home page, naming what its panels showed: the meeting shared with Pat.
    assert event.details["list"] == "home"
    assert event.details["meetings"] == [strategy_meeting.pk]
    assert event.details["count"] == 1
    assert AuditEvent.objects.filter(action="records.listed", actor=persona("pat")).count() == 1


def test_an_empty_panel_writes_no_list_event(signed_in, persona, strategy_meeting: Meeting) -> None:
    sharing.meeting_unshare(actor=persona("lara"), meeting=strategy_meeting, user=persona("pat"))
    signed_in("pat").get("/")
    assert not AuditEvent.objects.filter(action="records.listed", actor=persona("pat")).exists()
