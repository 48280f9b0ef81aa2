"""The headteacher "will make the ultimate decision" (policy section 13.3; ADR 0025).

"It is the headteacher's responsibility (or their representative …) to make the decision about contacting
the LADO … and to determine what constitutes a low-level concern"; "If the headteacher is not the nominated
person investigating a concern they will make the ultimate decision". Dev (a DSL at Oakfield) decides;
Hana (Oakfield's headteacher) signs off or sends back; Priya (the trust's director of school) signs off a
trust DSL's decision on a concern routed past the head.
"""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.concerns.conftest import TIER_2_FACTS
from tests.concerns.test_review_and_close import COMPLETE_RECORD
from threshold.accounts.models import Membership, Organisation, User
from threshold.accounts.roles import Role
from threshold.audit.models import AuditEvent
from threshold.chronology.models import ChronologyEntry
from threshold.concerns import recipients, selectors, services
from threshold.concerns.models import Concern, ConcernStatus, HeadSignOff, SignOffKind, SignOffState, Triage
from threshold.demo import world
from threshold.timescales.models import Deadline, DeadlineState

pytestmark = pytest.mark.django_db


def _triage(actor: User, concern: Concern, decision: str = "low_level") -> Triage | HeadSignOff:
    return services.concern_triage(
        actor=actor, concern=concern, expected_version=concern.version, raw_facts=TIER_2_FACTS,
        decision=decision, rationale="Tier 2: a breach of the code of conduct.",
        override_reason="" if decision == "low_level" else "The pupil's account was corroborated.",
    )  # fmt: skip


def _sign_off(actor: User, concern: Concern, *, agree: bool, reason: str = "") -> HeadSignOff:
    concern.refresh_from_db()
    return services.concern_sign_off(
        actor=actor, concern=concern, expected_version=concern.version, agree=agree, reason=reason
    )


def test_a_dsls_low_level_decision_waits_for_the_headteachers_sign_off(share, persona, signed_in) -> None:
    concern = share(persona("tom"))
    waiting = _triage(persona("dev"), concern)
    concern.refresh_from_db()
    assert isinstance(waiting, HeadSignOff)
    assert concern.status == ConcernStatus.NEW
    assert not Triage.objects.filter(concern=concern).exists()
    page = unescape(signed_in("hana").get(reverse("concern_detail", args=[concern.pk])).content.decode())
    assert "Awaiting the headteacher's sign-off" in page
    assert reverse("concern_sign_off", args=[concern.pk]) in page
    assert concern not in selectors.awaiting_triage(persona("dev"))
    # Dev's decision cannot be triaged over, nor the low-level record started, until Hana answers.
    dev = signed_in("dev")
    assert dev.get(reverse("concern_triage", args=[concern.pk])).status_code == 302
    assert dev.get(reverse("concern_low_level", args=[concern.pk])).status_code == 404


def test_the_headteacher_signs_off_and_the_dsls_decision_takes_effect(share, persona) -> None:
    concern = share(persona("tom"))
    _triage(persona("dev"), concern)
    _sign_off(persona("hana"), concern, agree=True)
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.LOW_LEVEL
    triage = Triage.objects.get(concern=concern)
    assert triage.decided_by == persona("dev")
    assert triage.rationale == "Tier 2: a breach of the code of conduct."
    sign_off = HeadSignOff.objects.get(concern=concern)
    assert (sign_off.state, sign_off.decided_by) == (SignOffState.AGREED, persona("hana"))
    event = AuditEvent.objects.filter(action="concern.signed_off", record_id=str(concern.pk)).get()
    assert event.actor == persona("hana")
    assert ChronologyEntry.objects.filter(concern=concern, text__startswith="The headteacher signed off").exists()


def test_the_headteacher_sends_the_decision_back_with_a_reason_and_it_is_triaged_again(share, persona) -> None:
    concern = share(persona("tom"))
    _triage(persona("dev"), concern)
    with pytest.raises(ValidationError) as error:
        _sign_off(persona("hana"), concern, agree=False)
    assert error.value.message_dict["reason"] == ["Enter why you are sending the decision back"]
    _sign_off(persona("hana"), concern, agree=False, reason="Speak to the pupil's teacher first.")
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.NEW
    assert HeadSignOff.objects.get(concern=concern).state == SignOffState.SENT_BACK
    assert concern in selectors.awaiting_triage(persona("dev"))
    again = _triage(persona("hana"), concern)
    assert isinstance(again, Triage)


def test_only_the_headteacher_signs_off_not_the_dsl_who_decided(share, persona, signed_in) -> None:
    concern = share(persona("tom"))
    _triage(persona("dev"), concern)
    with pytest.raises(ValidationError):
        _sign_off(persona("dev"), concern, agree=True)
    assert signed_in("dev").get(reverse("concern_sign_off", args=[concern.pk])).status_code == 403


def test_the_headteachers_own_decision_needs_no_sign_off(share, persona) -> None:
    concern = share(persona("tom"))
    assert isinstance(_triage(persona("hana"), concern), Triage)
    assert not HeadSignOff.objects.filter(concern=concern).exists()


def test_an_allegation_is_not_delayed_and_the_headteacher_is_asked_to_confirm_it(share, persona) -> None:
    """The one-working-day duty to refer to the LADO must not wait for a sign-off."""
    concern = share(persona("tom"))
    triage = _triage(persona("dev"), concern, decision="allegation")
    concern.refresh_from_db()
    assert isinstance(triage, Triage)
    assert triage.allegation is not None
    assert concern.status == ConcernStatus.ALLEGATION
    sign_off = HeadSignOff.objects.get(concern=concern)
    assert (sign_off.kind, sign_off.decision, sign_off.state) == ("triage", "allegation", "awaiting")
    _sign_off(persona("hana"), concern, agree=False, reason="I think this is low level.")
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ALLEGATION  # the allegation stays open: decided there


def test_a_dsls_closure_waits_for_the_headteachers_sign_off(share, persona, signed_in) -> None:
    concern = share(persona("tom"))
    _triage(persona("hana"), concern)
    concern.refresh_from_db()
    services.low_level_record_save(actor=persona("dev"), concern=concern, expected_version=0, values=COMPLETE_RECORD)
    concern.refresh_from_db()
    response = signed_in("dev").post(
        reverse("concern_close", args=[concern.pk]), {"version": concern.version, "reason": "Spoken to; resolved."}
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.LOW_LEVEL
    sign_off = HeadSignOff.objects.get(concern=concern, kind=SignOffKind.CLOSURE)
    assert sign_off.closure_reason == "Spoken to; resolved."
    with pytest.raises(ValidationError):
        services.concern_close(actor=persona("dev"), concern=concern, expected_version=concern.version, reason="Again.")
    _sign_off(persona("hana"), concern, agree=True)
    concern.refresh_from_db()
    assert (concern.status, concern.closed_reason) == (ConcernStatus.CLOSED, "Spoken to; resolved.")


def test_a_closure_sent_back_leaves_the_concern_open(share, persona) -> None:
    concern = share(persona("tom"))
    _triage(persona("hana"), concern)
    concern.refresh_from_db()
    services.low_level_record_save(actor=persona("dev"), concern=concern, expected_version=0, values=COMPLETE_RECORD)
    concern.refresh_from_db()
    services.concern_close(actor=persona("dev"), concern=concern, expected_version=concern.version, reason="Done.")
    _sign_off(persona("hana"), concern, agree=False, reason="Hold a follow-up conversation first.")
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.LOW_LEVEL


def test_the_head_has_a_sign_off_deadline_of_one_working_day(share, persona) -> None:
    concern = share(persona("tom"))
    sign_off = _triage(persona("dev"), concern)
    assert isinstance(sign_off, HeadSignOff)
    row = Deadline.objects.get(concern=concern, kind="head-sign-off")
    assert row.label == "Sign off the DSL's decision"
    assert row.owner == persona("hana")
    asked = sign_off.requested_at.astimezone(dt.UTC).date()
    assert row.due_on > asked
    _sign_off(persona("hana"), concern, agree=True)
    row.refresh_from_db()
    assert row.state == DeadlineState.MET


def test_the_sign_off_page_signs_off(share, persona, signed_in) -> None:
    concern = share(persona("tom"))
    _triage(persona("dev"), concern)
    concern.refresh_from_db()
    hana = signed_in("hana")
    url = reverse("concern_sign_off", args=[concern.pk])
    page = hana.get(url).content.decode()
    assert "Tier 2: a breach of the code of conduct." in page
    refused = hana.post(url, {"version": concern.version}).content.decode()
    assert "Choose whether you sign off the decision" in refused
    assert hana.post(url, {"version": concern.version, "answer": "yes"}).status_code == 302
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.LOW_LEVEL


def test_a_trust_dsls_decision_on_a_concern_routed_past_the_head_waits_for_the_director(share, persona) -> None:
    """In a trust school, a concern about the head is the trust's: its director signs off a trust DSL's decision."""
    trust = Organisation.objects.get(name=world.RIVERSIDE)
    tess = User.objects.create_user(email="tess.dsl@riverside.example", password="x", full_name="Tess Trustdsl")
    Membership.objects.create(user=tess, organisation=trust, role=Role.DSL)
    concern = share(persona("tom"), subject_user=persona("hana"))
    assert concern.routed_to_trust
    assert recipients.signers(concern) == [persona("priya")]
    assert isinstance(_triage(tess, concern), HeadSignOff)
    _sign_off(persona("priya"), concern, agree=True)
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.LOW_LEVEL


def test_a_director_of_the_trust_decides_without_the_heads_sign_off(share, persona) -> None:
    """The director oversees the head: their decision is the trust's."""
    concern = share(persona("tom"))
    assert isinstance(_triage(persona("priya"), concern), Triage)


def test_a_decision_does_not_wait_for_nobody_when_no_headteacher_uses_threshold(share, persona) -> None:
    Membership.objects.filter(user=persona("hana")).update(is_active=False)
    concern = share(persona("tom"))
    assert recipients.signers(concern) == []
    assert isinstance(_triage(persona("dev"), concern), Triage)


def test_a_decision_overtaken_by_an_escalation_cannot_be_signed_off_only_sent_back(share, persona) -> None:
    concern = share(persona("tom"))
    _triage(persona("dev"), concern)
    Concern.objects.filter(pk=concern.pk).update(status=ConcernStatus.ALLEGATION)
    with pytest.raises(ValidationError) as error:
        _sign_off(persona("hana"), concern, agree=True)
    assert error.value.messages == ["The concern is now allegation: send the decision back instead"]
    _sign_off(persona("hana"), concern, agree=False, reason="Escalated by the pattern review.")
    assert not Triage.objects.filter(concern=concern).exists()


def test_a_decision_dev_asks_hana_to_sign_off_on_christmas_eve_is_due_the_first_working_day_after_boxing_day(
    share, persona, time_machine
) -> None:
    # Christmas Eve 2026 is a Thursday: Christmas Day, the weekend and the Boxing Day holiday (Monday 28) follow.
    time_machine.move_to(dt.datetime(2026, 12, 24, 15, tzinfo=dt.UTC), tick=False)
    concern = share(persona("tom"), raised_on=dt.date(2026, 12, 24))
    _triage(persona("dev"), concern)
    row = Deadline.objects.get(concern=concern, kind="head-sign-off")
    assert (row.due_on, row.owner, row.state) == (dt.date(2026, 12, 29), persona("hana"), DeadlineState.OPEN)
    assert row.status_on(dt.date(2026, 12, 29)) == "today"
    assert row.status_on(dt.date(2026, 12, 30)) == "overdue"
