"""Sharing and meetings hold the case: shared twice at once it is shared once, and a case closed since the page
was read takes no share or meeting. Found by a concurrency review on PostgreSQL (READ COMMITTED)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from tests.concurrency import at_once
from tests.lado.nursery import accept_employers_outcome, not_known_reasons, open_nursery_case
from threshold.access import fetch
from threshold.lado.models import Case, CaseShare, CaseStatus, Meeting, MeetingKind
from threshold.lado.services.conclusion import case_close, case_conclude
from threshold.lado.services.meetings import meeting_add_action, meeting_record
from threshold.lado.services.sharing import case_share, case_unshare
from threshold.timescales.models import Deadline, DeadlineState


def closable_case(persona, ids) -> Case:
    """The nursery's case, concluded and ready to close."""
    case = open_nursery_case(persona, ids)
    accept_employers_outcome(persona, case)
    return closable_case_concluded(persona, Case.objects.get(pk=case.pk))


def closable_case_concluded(persona, case: Case) -> Case:
    """``case`` (its employer's outcome accepted) concluded by Lara today."""
    case_conclude(
        actor=persona("lara"), case=case, outcome="unsubstantiated", concluded_on=timezone.localdate(),
        summary="Insufficient evidence either way.", lessons="",
        referrals=[
            {"body": "dbs", "referred": False, "explanation": "Not removed from regulated activity."},
            {"body": "ofsted", "referred": False, "explanation": "Notified by the nursery on day one."},
        ],
        expected_version=case.version, missing_reasons=not_known_reasons(case),
    )  # fmt: skip
    return Case.objects.get(pk=case.pk)


def _earlier_today() -> dt.datetime:
    """An hour ago, but today: the case's referral was received today, and a meeting is not held before it.

    (An hour before a run just after midnight was yesterday, and the meeting was refused for its date instead.)
    """
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return max(timezone.now() - dt.timedelta(hours=1), midnight)


@pytest.mark.django_db
def test_a_case_lara_closed_after_mo_opened_its_page_takes_no_share_or_meeting_from_him(persona, ids) -> None:
    case = closable_case(persona, ids)
    mos_page = fetch.visible_cases(persona("mo"), "change").get(pk=case.pk)  # read before the close
    case_close(actor=persona("lara"), case=case, expected_version=case.version)
    with pytest.raises(ValidationError, match="This case is closed"):
        case_share(actor=persona("mo"), case=mos_page, user=persona("pat"))
    with pytest.raises(ValidationError, match="This case is closed"):
        meeting_record(
            actor=persona("mo"), case=mos_page, kind=MeetingKind.REVIEW,
            held_at=_earlier_today(),
            chair_name="Mo Manager", chair_agency="Northshire Council LADO service",
        )  # fmt: skip
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED
    assert not CaseShare.objects.filter(case=case, user=persona("pat")).exists()
    assert not Meeting.objects.filter(case=case).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite admits one writer at a time already")
def test_lara_and_mo_sharing_the_case_with_pat_at_once_share_it_once_and_stop_sharing_ends_it(persona, records) -> None:
    case_id = records["case_chris"]
    lara, mo, pat = persona("lara"), persona("mo"), persona("pat")
    CaseShare.objects.filter(case_id=case_id, user=pat).update(ended_at=timezone.now())
    results = at_once(
        lambda: case_share(actor=lara, case=Case.objects.get(pk=case_id), user=pat),
        lambda: case_share(actor=mo, case=Case.objects.get(pk=case_id), user=pat),
    )
    assert sorted(type(result).__name__ for result in results) == ["CaseShare", "ValidationError"]
    assert CaseShare.objects.filter(case_id=case_id, user=pat, ended_at__isnull=True).count() == 1
    case_unshare(actor=lara, case=Case.objects.get(pk=case_id), user=pat)
    assert not fetch.visible_cases(pat, "view").filter(pk=case_id).exists()


@pytest.mark.django_db
def test_a_meeting_recorded_from_a_page_read_before_lara_concluded_the_case_leaves_its_targets_met(
    persona, ids
) -> None:
    case = open_nursery_case(persona, ids)
    accept_employers_outcome(persona, case)
    mos_page = Case.objects.get(pk=case.pk)  # read before the conclusion
    concluded = closable_case_concluded(persona, Case.objects.get(pk=case.pk))
    met = _targets(concluded)
    assert met
    assert set(met.values()) == {DeadlineState.MET}
    meeting_record(
        actor=persona("mo"), case=mos_page, kind=MeetingKind.REVIEW, held_at=_earlier_today(),
        chair_name="Mo Manager", chair_agency="Northshire Council LADO service",
    )  # fmt: skip
    # Worked out from the case as it is now, not as Mo's page read it: still met, not open again.
    assert _targets(concluded) == met


def _targets(case: Case) -> dict[str, str]:
    return {row.kind: row.state for row in Deadline.objects.filter(case=case, kind__startswith="resolve-target")}


@pytest.mark.django_db
def test_an_action_added_to_a_meeting_on_a_page_read_before_the_case_closed_is_refused(persona, ids) -> None:
    case = closable_case(persona, ids)
    meeting = meeting_record(
        actor=persona("lara"), case=case, kind=MeetingKind.REVIEW, held_at=_earlier_today(),
        chair_name="Lara Lado", chair_agency="Northshire Council LADO service",
    )  # fmt: skip
    mos_page = Meeting.objects.select_related("case").get(pk=meeting.pk)  # read before the close
    case_close(actor=persona("lara"), case=Case.objects.get(pk=case.pk), expected_version=case.version)
    with pytest.raises(ValidationError, match="This case is closed"):
        meeting_add_action(
            actor=persona("mo"), meeting=mos_page, description="Send the minutes.", owner="Mo Manager",
            due_on=timezone.localdate() + dt.timedelta(days=7),
        )  # fmt: skip
    assert not meeting.actions.exists()
