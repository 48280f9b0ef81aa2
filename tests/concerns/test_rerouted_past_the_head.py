"""A concern re-routed past a conflicted head tells her nothing more about it (section 13.3, docs/access.md).

Dev (a DSL at Oakfield) re-routes a concern because Hana, Oakfield's headteacher, has a conflict of interest:
from then on it is kept from her. Whatever was under way before the re-routing must not keep reaching her:
a decision of Dev's still waiting for her sign-off becomes the trust director's (Priya's) to sign off and to be
reminded of, and HR advice on a concern Hana had shared with Henry is not announced to her.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.concerns.conftest import TIER_2_FACTS
from tests.notifications.test_reminders import run
from threshold.access import fetch
from threshold.accounts.models import User
from threshold.concerns import services
from threshold.concerns.models import Concern, HeadSignOff
from threshold.concerns.services.deadlines import TRIAGE
from threshold.notifications.models import DeliveryStatus, EmailDelivery, Notification
from threshold.timescales.models import Deadline

pytestmark = pytest.mark.django_db

CONFLICT = "Hana is Chris's sister."


def _reroute(actor: User, concern: Concern) -> None:
    concern.refresh_from_db()
    services.concern_reroute(actor=actor, concern=concern, expected_version=concern.version, reason=CONFLICT)


def _told(user: User, concern: Concern) -> list[Notification]:
    """What ``user`` has been told of the concern, and may still read."""
    return list(Notification.objects.filter(recipient=user, reference=concern.reference))


def test_the_heads_notification_that_the_concern_waits_for_her_triage_is_taken_back_once_rerouted(
    share, persona
) -> None:
    concern = share(persona("tom"))
    # Shared: Hana (the head) and Dev (a DSL) are told it waits for their triage
    assert _told(persona("hana"), concern)
    assert _told(persona("dev"), concern)
    _reroute(persona("dev"), concern)
    # Re-routed past them: neither keeps a notification linking to a concern no longer theirs to open
    assert not _told(persona("hana"), concern)
    assert not _told(persona("dev"), concern)
    # while the trust's director is told it has been routed to her
    assert [row.kind for row in _told(persona("priya"), concern)] == ["concern_routed"]


def test_a_decision_awaiting_the_heads_sign_off_is_the_directors_to_sign_off_once_rerouted_past_her(
    share, persona
) -> None:
    concern = share(persona("tom"))
    waiting = services.concern_triage(
        actor=persona("dev"), concern=concern, expected_version=concern.version, raw_facts=TIER_2_FACTS,
        decision="low_level", rationale="Tier 2: a breach of the code of conduct.",
    )  # fmt: skip
    assert isinstance(waiting, HeadSignOff)
    _reroute(persona("dev"), concern)
    assert not fetch.visible_concerns(persona("hana"), "view").filter(pk=concern.pk).exists()
    row = Deadline.objects.get(concern=concern, kind="head-sign-off")
    assert row.owner == persona("priya")
    # The reminder pass on the day after it fell due tells the director, never the head it is kept from.
    run(row.due_on + dt.timedelta(days=1))
    assert _told(persona("priya"), concern)
    assert not _told(persona("hana"), concern)


def test_hr_advice_on_a_concern_rerouted_past_the_head_who_shared_it_is_not_announced_to_her(share, persona) -> None:
    concern = share(persona("tom"))
    services.concern_share_with_hr(
        actor=persona("hana"), concern=concern, partner=persona("henry"), question="Could this be disciplinary?"
    )
    _reroute(persona("dev"), concern)
    concern.refresh_from_db()
    services.concern_hr_advise(actor=persona("henry"), concern=concern, advice="A conversation and a note.")
    assert not Notification.objects.filter(recipient=persona("hana"), key__startswith="hr:advice-given").exists()
    assert not _told(persona("hana"), concern)


def test_an_email_to_the_head_waiting_to_be_sent_again_is_not_sent_once_rerouted_past_her(share, persona) -> None:
    concern = share(persona("tom"))
    emails = EmailDelivery.objects.filter(recipient=persona("hana"), key=f"concern:shared:{concern.pk}")
    assert emails.exists()  # Hana is emailed at once, as her role is by default
    # The mail server was down when it was shared: the email waits for the next pass
    emails.update(status=DeliveryStatus.FAILED, attempts=1)
    _reroute(persona("dev"), concern)
    assert not emails.exists()


def test_the_heads_missed_triage_deadline_notification_is_taken_back_once_rerouted(share, persona) -> None:
    concern = share(persona("tom"))
    row = Deadline.objects.get(concern=concern, kind=TRIAGE)
    run(row.due_on + dt.timedelta(days=1))  # the reminder pass tells the head it was missed
    assert "deadline_missed" in {notification.kind for notification in _told(persona("hana"), concern)}
    _reroute(persona("dev"), concern)
    assert not _told(persona("hana"), concern)
