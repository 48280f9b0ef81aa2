"""The organisation's audit trail page costs the same however long the trail is, and its fiftieth page works.

Issue 15: the page's filter choices read one row per event and its pages counted and skipped every event in
scope. Now the choices skip from value to value down an index, a page is found from its neighbour's sequence
numbers, and reads of an organisation's records by another organisation sit in an indexed column.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.audit import tampering
from tests.audit.tampering import append_only_triggers_lifted
from tests.conftest import demo_record_ids
from threshold.access.fetch import audit_read
from threshold.accounts.models import Membership, User
from threshold.audit import paging, selectors
from threshold.audit.context import AuditContext
from threshold.audit.models import AuditEvent
from threshold.audit.services import audit_record
from threshold.audit.verify import verify_chain
from threshold.core.record_ids import encode as rid
from threshold.lado.models import Case

pytestmark = pytest.mark.django_db


def _views_by(reader: User, count: int) -> None:
    """``count`` reads by ``reader``, for the organisation they act for."""
    organisation = Membership.objects.filter(user=reader).first().organisation  # type: ignore[union-attr]
    for number in range(count):
        audit_record(
            context=AuditContext.for_user(reader, organisation),
            action="record.view",
            record_type="case",
            record_id=900_000 + number,
        )


def _link(html: str, rel: str) -> str | None:
    """The href of the GOV.UK pagination's "Previous" (``prev``) or "Next" (``next``) link, if there is one."""
    found = re.search(rf'href="([^"]+)" rel="{rel}"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def _cases_shown(html: str) -> list[str]:
    """The case tokens in the table's record column, in the order shown."""
    return re.findall(r"case (\S+?)</td>", html)


def _tokens(sequences: list[int]) -> list[str]:
    """The case tokens the events with these sequence numbers show, in that order."""
    events = AuditEvent.objects.in_bulk(sequences, field_name="sequence")
    return [rid(int(events[sequence].record_id)) for sequence in sequences]


def _newest_first(viewer: User) -> list[int]:
    """Every event in the viewer's scope, newest first, as it stands now."""
    return list(selectors.organisation_events(viewer=viewer).values_list("sequence", flat=True))


def test_the_audit_trail_page_runs_the_same_queries_for_300_events_as_for_30(signed_in, persona) -> None:
    ada = signed_in("ada")
    ada.get(reverse("accessibility"))  # the session's first request saves it: not the trail's cost
    _views_by(persona("lara"), 30)
    with CaptureQueriesContext(connection) as small:
        assert ada.get(reverse("audit_events")).status_code == 200
    with CaptureQueriesContext(connection) as small_filtered:
        ada.get(reverse("audit_events"), {"actor": persona("lara").pk, "action": "record.view"})

    _views_by(persona("lara"), 270)
    with CaptureQueriesContext(connection) as large:
        assert ada.get(reverse("audit_events")).status_code == 200
    with CaptureQueriesContext(connection) as large_filtered:
        ada.get(reverse("audit_events"), {"actor": persona("lara").pk, "action": "record.view"})

    assert len(large) == len(small)
    assert len(large_filtered) == len(small_filtered)


def test_page_fifty_is_reached_by_its_links_and_goes_back_to_page_forty_nine(signed_in, persona, monkeypatch) -> None:
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    _views_by(persona("lara"), 110)
    ada = signed_in("ada")
    html = ada.get(reverse("audit_events")).content.decode()
    # The trail as it stood when Ada opened the first page, her own look at it first.
    trail = _newest_first(persona("ada"))
    assert _link(html, "prev") is None

    for page in range(2, 51):
        following = _link(html, "next")
        assert following is not None
        assert f"page={page}&before=" in following
        html = ada.get(reverse("audit_events") + following).content.decode()

    # Ada's later looks are newer than every page after the first, so the pages hold still.
    assert _cases_shown(html) == _tokens(trail[98:100])
    previous = _link(html, "prev")
    assert previous is not None
    assert "page=49&after=" in previous
    assert _cases_shown(ada.get(reverse("audit_events") + previous).content.decode()) == _tokens(trail[96:98])


def test_a_page_number_typed_without_a_cursor_shows_that_page(signed_in, persona, monkeypatch) -> None:
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    _views_by(persona("lara"), 110)
    html = signed_in("ada").get(reverse("audit_events"), {"page": 50}).content.decode()
    assert _cases_shown(html) == _tokens(_newest_first(persona("ada"))[98:100])
    assert "page=49&after=" in (_link(html, "prev") or "")
    assert "page=51&before=" in (_link(html, "next") or "")


def test_a_filter_is_kept_from_page_to_page(signed_in, persona, monkeypatch) -> None:
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    _views_by(persona("lara"), 5)
    lara = persona("lara")
    ada = signed_in("ada")
    html = ada.get(reverse("audit_events"), {"action": "record.view", "actor": lara.pk}).content.decode()
    following = _link(html, "next")
    assert following is not None
    assert "action=record.view" in following
    assert f"actor={lara.pk}" in following
    mine = list(selectors.organisation_events(viewer=persona("ada"), actor_id=lara.pk, action="record.view"))
    second = ada.get(reverse("audit_events") + following).content.decode()
    assert _cases_shown(second) == _tokens([event.sequence for event in mine[2:4]])


def test_the_filter_offers_the_people_and_actions_in_scope_and_no_others(persona) -> None:
    _views_by(persona("lara"), 3)
    _views_by(persona("sam"), 2)  # Southvale's LADO: outside Northshire's trail
    choices = selectors.filter_choices(viewer=persona("ada"))
    actors = dict(choices["actors"])
    assert actors[persona("lara").pk] == persona("lara").full_name
    assert persona("sam").pk not in actors
    assert "record.view" in choices["actions"]
    assert choices["actions"] == sorted(set(choices["actions"]))


@pytest.fixture
def chris_case(demo_world: None) -> Case:
    """Chris's case at Northshire, from the demo records."""
    return Case.objects.get(pk=demo_record_ids()["case_chris"])


def test_a_read_by_another_organisation_is_in_scope_through_the_indexed_column(
    signed_in, persona, chris_case: Case
) -> None:
    signed_in("pat").get(reverse("case_detail", args=[chris_case.pk]))
    signed_in("lara").get(reverse("case_detail", args=[chris_case.pk]))
    by_police = AuditEvent.objects.filter(action__startswith="record.", actor=persona("pat")).latest("sequence")
    by_lado = AuditEvent.objects.filter(action="record.view", actor=persona("lara")).latest("sequence")
    # Only a read for another organisation needs the column: Lara reads as Northshire itself.
    assert by_police.record_organisation == chris_case.local_authority_id
    assert by_lado.organisation_id == chris_case.local_authority_id
    assert by_lado.record_organisation is None
    assert by_police.sequence in _newest_first(persona("ada"))
    assert persona("pat").pk in dict(selectors.filter_choices(viewer=persona("ada"))["actors"])


def test_changing_the_record_organisation_column_is_caught_by_verify(persona, chris_case: Case) -> None:
    case = chris_case
    audit_read(user=persona("pat"), record=case, record_type="case")
    event = AuditEvent.objects.filter(actor=persona("pat")).latest("sequence")
    assert verify_chain().ok
    with append_only_triggers_lifted():
        tampering.execute(
            "UPDATE audit_auditevent SET record_organisation = NULL WHERE sequence = %s", [event.sequence]
        )
    result = verify_chain()
    assert not result.ok
    assert result.bad_sequence == event.sequence
    assert "record organisation" in result.reason


def test_a_job_of_threshold_is_named_in_words_not_by_its_code() -> None:
    from threshold.audit.presenters import actor_words

    assert actor_words("system:lado_import") == "Threshold (LADO import)"
    assert actor_words("system:anonymous-intake") == "Threshold (anonymous intake)"
    assert actor_words("") == "Threshold"
