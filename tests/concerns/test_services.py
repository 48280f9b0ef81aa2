"""Every state change of a concern: sharing, triage, the low-level record and pattern reviews."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.concerns.conftest import TIER_2_FACTS, UNSUITABLE
from threshold.access import fetch
from threshold.allegations.models import Allegation
from threshold.audit.context import AuditContext
from threshold.audit.models import AuditEvent
from threshold.chronology.models import ChronologyEntry
from threshold.concerns import selectors, services
from threshold.concerns.models import (
    Concern,
    ConcernDetails,
    ConcernStatus,
    LowLevelRecord,
    PatternReview,
    Routing,
    Triage,
)
from threshold.concerns.services import anonymous_intake
from threshold.jinja2 import govuk_date
from threshold.people.models import Person
from threshold.timescales.models import Deadline

pytestmark = pytest.mark.django_db

RECORD: services.LowLevelDetails = {
    "spoke_to_raiser": True,
    "spoke_to_person": True,
    "spoke_to_witnesses": False,
    "investigation_steps": "Spoke to Tom and to Chris.",
    "individual_response": "Chris said the pupil asked for help with a skill.",
    "breach_category": "one_to_one",
    "further_action": "conversation",
    "action_owner": "Hana Head",
    "action_due_on": dt.date(2026, 12, 4),
    "action_done_on": None,
    "substantiated": False,
}


def _triage(actor, concern, decision="low_level", **extra):
    values = {
        "raw_facts": TIER_2_FACTS,
        "decision": decision,
        "rationale": "Inappropriate but not harmful; the policy puts it at Tier 2.",
    }
    values.update(extra)
    return services.concern_triage(actor=actor, concern=concern, expected_version=concern.version, **values)


def test_a_named_concern_is_signed_timed_and_dated_and_audited(share, persona) -> None:
    tom = persona("tom")
    concern = share(tom)
    details = ConcernDetails.objects.get(concern=concern)
    assert concern.reporter == tom
    assert not concern.is_anonymous
    assert details.signed_name == "Tom Teacher"
    assert details.signed_at is not None
    assert details.routing == Routing.SETTING
    assert not concern.routed_to_trust
    assert AuditEvent.objects.filter(action="concern.shared", record_id=str(concern.pk), actor=tom).exists()
    assert ChronologyEntry.objects.filter(concern=concern, recorded_by=tom).exists()


def test_an_anonymous_concern_stores_no_identity_anywhere(share, persona, rf) -> None:
    tom = persona("tom")
    request = rf.post("/concerns/share/", REMOTE_ADDR="203.0.113.9")
    request.user = tom
    before = AuditEvent.objects.count()
    concern = share(tom, anonymous=True, audit_context=AuditContext.from_request(request))
    # Nothing in the request itself: its time and place in the trail would name Tom.
    assert AuditEvent.objects.count() == before
    anonymous_intake(before=timezone.now() + dt.timedelta(days=1))
    details = ConcernDetails.objects.get(concern=concern)
    assert concern.reporter is None
    assert concern.is_anonymous
    assert details.signed_name == ""
    event = AuditEvent.objects.get(action="concern.shared", record_id=str(concern.pk))
    assert event.actor is None
    assert event.actor_label == "system:anonymous-intake"
    assert event.source_ip is None
    assert event.request_id == ""
    assert "Tom" not in str(event.details)
    entry = ChronologyEntry.objects.get(concern=concern)
    assert entry.recorded_by is None
    assert "Tom" not in entry.text
    assert not fetch.visible_concerns(tom, "view_report").filter(pk=concern.pk).exists()


def test_a_colleague_with_an_account_is_recorded_once_and_linked_to_their_account(share, persona) -> None:
    dev = persona("dev")
    first = share(persona("tom"), subject_user=dev, subject_name="")
    second = share(persona("hana"), subject_user=dev, subject_name="")
    assert first.subject == second.subject
    assert first.subject.user == dev
    assert not fetch.visible_concerns(dev).filter(pk=first.pk).exists()


def test_a_self_referral_is_recorded_as_one_and_cannot_be_anonymous(share, persona) -> None:
    tom = persona("tom")
    concern = share(tom, subject_user=tom, subject_name="")
    assert concern.details.is_self_referral
    assert concern.subject.user == tom
    with pytest.raises(ValidationError) as error:
        share(tom, subject_user=tom, subject_name="", anonymous=True)
    assert "anonymous" in error.value.message_dict


def test_a_concern_about_the_headteacher_goes_to_the_trust_and_hana_never_sees_it(share, persona) -> None:
    hana, priya, dev = persona("hana"), persona("priya"), persona("dev")
    concern = share(persona("tom"), subject_user=hana, subject_name="")
    assert concern.routed_to_trust
    assert concern.details.routing == Routing.TRUST
    for handler in (hana, dev):
        assert not fetch.visible_concerns(handler).filter(pk=concern.pk).exists()
    assert not fetch.visible_concerns(hana).filter(subject__full_name__icontains="Hana").exists()
    assert fetch.visible_concerns(priya, "change").filter(pk=concern.pk).exists()


def test_a_conflict_of_interest_routes_a_concern_to_the_trust(share, persona) -> None:
    concern = share(persona("tom"), headteacher_conflict=True)
    assert concern.routed_to_trust
    assert not fetch.visible_concerns(persona("hana")).filter(pk=concern.pk).exists()


def test_without_a_trust_a_concern_about_the_manager_is_routed_to_governance(persona, share) -> None:
    from threshold.accounts.models import Organisation
    from threshold.demo import world

    acorns = Organisation.objects.get(name=world.LITTLE_ACORNS)
    nina = persona("nina")
    concern = share(nina, organisation=acorns, headteacher_conflict=True)
    assert concern.details.routing == Routing.GOVERNANCE
    assert concern.routed_to_trust
    assert not fetch.visible_concerns(nina).filter(pk=concern.pk).exists()


def test_bad_input_saves_nothing(share, persona) -> None:
    before = (Concern.objects.count(), Person.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as error:
        share(persona("tom"), details="  ", subject_name="New Person", raised_on=timezone.localdate() + dt.timedelta(1))
    assert {"details", "raised_on"} <= set(error.value.message_dict)
    assert (Concern.objects.count(), Person.objects.count(), AuditEvent.objects.count()) == before


def test_triage_records_the_decision_with_the_packs_tier_2_advice(share, persona) -> None:
    hana = persona("hana")
    concern = share(persona("tom"))
    triage = _triage(hana, concern, advice_hr=True, advice_notes="HRBP agreed.")
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.LOW_LEVEL
    assert concern.version == 2
    assert triage.advised_decision == "low_level"
    assert triage.result["level"] == "tier-2"
    assert triage.pack_id == "lead-academy-trust"
    assert triage.pack_version
    assert triage.pack_digest
    assert triage.facts["inconsistent_with_code_of_conduct"] is True
    assert AuditEvent.objects.filter(action="concern.triaged", record_id=str(concern.pk)).exists()


def test_deciding_otherwise_than_the_advice_needs_a_written_reason(share, persona) -> None:
    hana = persona("hana")
    concern = share(persona("tom"))
    with pytest.raises(ValidationError) as error:
        _triage(hana, concern, decision="appropriate")
    assert "override_reason" in error.value.message_dict
    assert not Triage.objects.filter(concern=concern).exists()
    triage = _triage(hana, concern, decision="appropriate", override_reason="CCTV shows the door was open.")
    assert triage.override_reason == "CCTV shows the door was open."


def test_deciding_allegation_opens_an_allegation_linked_to_the_concern(share, persona) -> None:
    hana = persona("hana")
    concern = share(persona("tom"))
    triage = _triage(hana, concern, decision="allegation", raw_facts={"harmed_or_may_have_harmed_child": True})
    assert triage.allegation is not None
    assert triage.allegation.concern == concern
    assert Allegation.objects.filter(concern=concern).count() == 1


def test_a_stale_triage_is_a_conflict_and_changes_nothing(share, persona) -> None:
    hana = persona("hana")
    concern = share(persona("tom"))
    with pytest.raises(services.ConflictError):
        services.concern_triage(
            actor=hana, concern=concern, expected_version=concern.version - 1, raw_facts=TIER_2_FACTS,
            decision="low_level", rationale="Tier 2.",
        )  # fmt: skip
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.NEW
    assert not Triage.objects.filter(concern=concern).exists()


def test_the_low_level_record_is_versioned_and_a_stale_save_is_a_conflict(share, persona) -> None:
    hana = persona("hana")
    concern = share(persona("tom"))
    _triage(hana, concern)
    concern.refresh_from_db()
    record = services.low_level_record_save(actor=hana, concern=concern, expected_version=0, values=RECORD)
    assert record.version == 1
    assert record.further_action == "conversation"
    services.low_level_record_save(
        actor=hana, concern=concern, expected_version=1, values={**RECORD, "further_action": "none"}
    )
    with pytest.raises(services.ConflictError):
        services.low_level_record_save(actor=hana, concern=concern, expected_version=1, values=RECORD)
    assert LowLevelRecord.objects.get(concern=concern).further_action == "none"


def test_further_action_needs_an_owner_and_a_date_and_nothing_is_half_saved(share, persona) -> None:
    hana = persona("hana")
    concern = share(persona("tom"))
    _triage(hana, concern)
    concern.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.low_level_record_save(
            actor=hana, concern=concern, expected_version=0,
            values={**RECORD, "action_owner": "", "action_due_on": None},
        )  # fmt: skip
    assert {"action_owner", "action_due_on"} <= set(error.value.message_dict)
    assert not LowLevelRecord.objects.filter(concern=concern).exists()


def test_nobody_can_be_said_to_have_spoken_to_an_anonymous_raiser(share, persona) -> None:
    hana = persona("hana")
    concern = share(persona("tom"), anonymous=True)
    _triage(hana, concern)
    concern.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.low_level_record_save(actor=hana, concern=concern, expected_version=0, values=RECORD)
    assert "spoke_to_raiser" in error.value.message_dict


def test_a_termly_review_records_findings_escalates_a_pattern_and_completes(share, persona, oakfield) -> None:
    dev = persona("dev")
    first = share(persona("tom"))
    share(persona("hana"))
    term = selectors.term_of(timezone.localdate())
    assert selectors.reviews_due(user=dev, organisations=[oakfield])[0].due == term.end
    review = services.pattern_review_start(
        actor=dev, organisation=oakfield, period_start=term.start, period_end=term.end
    )
    people = selectors.people_in_period(user=dev, review=review)
    assert [row.subject for row in people] == [first.subject]
    assert len(people[0].concerns) == 2
    finding = services.pattern_finding_record(
        actor=dev, review=review, subject=first.subject, pattern_found=True, findings="Two one-to-one concerns."
    )
    allegation = services.pattern_finding_escalate(actor=dev, finding=finding, threshold_answers=UNSUITABLE)
    finding.refresh_from_db()
    assert finding.allegation == allegation
    assert allegation.subject == first.subject
    assert not allegation.routed_to_trust
    # One step: the referral to the LADO is started (the data set is completed on the referral page) ...
    referral = allegation.referrals.get()
    assert not referral.is_complete
    assert referral.local_authority.name == "Northshire Council"
    # ... and every concern of the finding is linked to the allegation, moved on, and says why.
    for concern in Concern.objects.filter(subject=first.subject):
        assert concern.escalated_to == allegation
        assert concern.status == ConcernStatus.ALLEGATION
        assert ChronologyEntry.objects.filter(
            concern=concern,
            text__startswith=f"Escalated to allegation {allegation.reference} after the pattern review of",
        ).exists()
        assert AuditEvent.objects.filter(action="concern.escalated", record_id=str(concern.pk)).exists()
    services.pattern_review_complete(actor=dev, review=review, summary="One pattern escalated.")
    assert PatternReview.objects.get(pk=review.pk).completed_at is not None
    # Completing it moves the stored deadline on to next term's: the home panel and the work list both say so.
    assert selectors.reviews_due(user=dev, organisations=[oakfield])[0].due == selectors.next_term(term).end
    with pytest.raises(ValidationError):
        services.pattern_finding_escalate(actor=dev, finding=finding, threshold_answers=UNSUITABLE)


def test_only_the_settings_reviewers_start_a_review(persona, oakfield) -> None:
    with pytest.raises(PermissionDenied):
        services.pattern_review_start(
            actor=persona("tom"), organisation=oakfield, period_start=dt.date(2026, 9, 1),
            period_end=dt.date(2026, 12, 31),
        )  # fmt: skip


def test_a_review_never_lists_the_reviewer_themselves(share, persona, oakfield) -> None:
    hana = persona("hana")
    share(persona("tom"), subject_user=persona("dev"), subject_name="")
    term = selectors.term_of(timezone.localdate())
    review = services.pattern_review_start(
        actor=hana, organisation=oakfield, period_start=term.start, period_end=term.end
    )
    assert [row.subject.full_name for row in selectors.people_in_period(user=hana, review=review)] == ["Dev Dsl"]
    assert selectors.people_in_period(user=persona("dev"), review=review) == []


def test_terms_are_autumn_spring_and_summer() -> None:
    assert selectors.term_of(dt.date(2026, 11, 22)).name == "autumn"
    assert selectors.term_of(dt.date(2027, 2, 1)).end == dt.date(2027, 4, 30)
    assert selectors.term_of(dt.date(2027, 6, 1)).start == dt.date(2027, 5, 1)


def test_a_trust_review_covers_the_trusts_schools_including_concerns_about_a_headteacher(share, persona) -> None:
    from threshold.accounts.models import Organisation
    from threshold.demo import world

    priya = persona("priya")
    about_hana = share(persona("tom"), subject_user=persona("hana"), subject_name="")
    riverside = Organisation.objects.get(name=world.RIVERSIDE)
    assert riverside in selectors.review_organisations(priya)
    term = selectors.term_of(timezone.localdate())
    review = services.pattern_review_start(
        actor=priya, organisation=riverside, period_start=term.start, period_end=term.end
    )
    people = selectors.people_in_period(user=priya, review=review)
    assert [row.concerns for row in people] == [[about_hana]]


def test_trust_staff_share_concerns_with_the_trust(persona) -> None:
    from threshold.accounts.models import Organisation
    from threshold.demo import world

    riverside = Organisation.objects.get(name=world.RIVERSIDE)
    concern = services.concern_share(
        actor=persona("henry"), organisation=riverside, subject_user=None, subject_name="Val Volunteer",
        subject_role="Volunteer", anonymous=False, raised_on=timezone.localdate(), how_arose="complaint",
        details="A parent complained about a volunteer's language.", headteacher_conflict=False,
    )  # fmt: skip
    assert concern.organisation == riverside
    assert fetch.visible_concerns(persona("priya"), "change").filter(pk=concern.pk).exists()


def test_a_typed_name_that_is_a_colleagues_is_linked_to_their_account(share, persona) -> None:
    hana = persona("hana")
    concern = share(persona("tom"), subject_name="  hana   head ")
    assert concern.subject.user == hana
    assert concern.routed_to_trust
    assert not fetch.visible_concerns(hana).filter(pk=concern.pk).exists()


def test_a_further_action_is_overdue_on_hanas_home_page_until_it_is_done(share, persona, signed_in) -> None:
    hana = persona("hana")
    concern = share(persona("tom"))
    _triage(hana, concern)
    concern.refresh_from_db()
    due = timezone.localdate() - dt.timedelta(days=1)
    services.low_level_record_save(
        actor=hana, concern=concern, expected_version=0, values={**RECORD, "action_due_on": due}
    )
    page = signed_in("hana").get("/").content.decode()
    # The open low-level concern shows its action overdue, from its own row ...
    row = next(line for line in page.split('id="open-low-level"')[1].splitlines() if concern.reference in line)
    assert f"Overdue</strong> since {govuk_date(due)}" in row
    # ... and the work panel above counts it and lists it first: one place on the page for what falls due.
    work = page.split('id="work-panel"')[1].split("</section>")[0]
    assert "1 overdue" in work
    assert concern.reference in work
    services.low_level_record_save(
        actor=hana, concern=concern, expected_version=1,
        values={**RECORD, "action_due_on": due, "action_done_on": timezone.localdate()},
    )  # fmt: skip
    page = signed_in("hana").get("/").content.decode()
    assert concern.reference not in page.split('id="concerns-panel"')[1]  # done: no longer open
    assert "Nothing overdue" in page.split('id="work-panel"')[1].split("</section>")[0]


def test_a_pattern_escalated_from_concerns_routed_to_the_trust_stays_hidden_from_the_headteacher(
    share, persona, settings, client
) -> None:
    from threshold.accounts.models import Organisation
    from threshold.demo import world

    settings.HOME_PANELS = ["threshold.concerns.home.panel", "threshold.allegations.home.panel"]
    hana, priya = persona("hana"), persona("priya")
    first = share(persona("tom"), headteacher_conflict=True)
    share(persona("dev"), headteacher_conflict=True)
    riverside = Organisation.objects.get(name=world.RIVERSIDE)
    term = selectors.term_of(timezone.localdate())
    review = services.pattern_review_start(
        actor=priya, organisation=riverside, period_start=term.start, period_end=term.end
    )
    finding = services.pattern_finding_record(
        actor=priya, review=review, subject=first.subject, pattern_found=True, findings="Two alike."
    )
    allegation = services.pattern_finding_escalate(actor=priya, finding=finding, threshold_answers=UNSUITABLE)
    assert allegation.routed_to_trust
    assert fetch.visible_allegations(priya, "change").filter(pk=allegation.pk).exists()
    assert not fetch.visible_allegations(hana).filter(pk=allegation.pk).exists()
    client.force_login(hana)
    home = client.get("/").content.decode()
    assert allegation.reference not in home
    assert first.subject.full_name not in home


def test_the_low_level_record_keeps_the_packs_retention_and_reference_decisions(share, persona) -> None:
    hana = persona("hana")
    concern = share(persona("tom"))
    _triage(hana, concern)
    concern.refresh_from_db()
    # The leaving date is the person's, recorded once (13.4); the record's retention counts from it.
    Person.objects.filter(pk=concern.subject_id).update(left_employment_on=dt.date(2026, 8, 31))
    concern.refresh_from_db()
    record = services.low_level_record_save(actor=hana, concern=concern, expected_version=0, values=RECORD)
    assert record.pack_id == "lead-academy-trust"
    assert record.pack_version
    assert record.pack_digest
    assert record.retention_facts["left_employment_on"] == "2026-08-31"
    assert record.retention_result["keep_until"] == "2033-08-31"
    assert record.reference_result["may_mention"] is False
    assert record.reference_facts["record_type"] == "low_level_concern"


def test_a_low_level_concern_about_misconduct_may_be_mentioned_in_references_and_the_trail_says_so(
    share, persona
) -> None:
    """Section 13.5: Hana records that the concern is misconduct a reference would ordinarily include."""
    hana = persona("hana")
    concern = share(persona("tom"))
    _triage(hana, concern)
    concern.refresh_from_db()
    record = services.low_level_record_save(
        actor=hana, concern=concern, expected_version=0, values={**RECORD, "ordinarily_in_reference": True}
    )
    assert (record.pack_version, record.reference_facts["ordinarily_in_reference"]) == ("1.2", True)
    assert record.reference_result["may_mention"] is True
    event = AuditEvent.objects.filter(action="concern.low_level_record_saved").latest("pk")
    assert event.details["may_mention_in_references"] is True
    assert event.changes["ordinarily_in_reference"] == [None, True]

    values: services.LowLevelDetails = {**RECORD, "ordinarily_in_reference": False}
    again = services.low_level_record_save(actor=hana, concern=concern, expected_version=record.version, values=values)
    assert again.reference_result["may_mention"] is False
    assert "ordinarily_in_reference" not in again.reference_facts


def test_a_new_person_concerned_is_recorded_in_the_audit_trail(share, persona) -> None:
    tom = persona("tom")
    concern = share(tom, subject_name="Pat Newcomer")
    event = AuditEvent.objects.get(action="person.recorded", record_id=str(concern.subject_id))
    assert event.actor == tom
    share(tom, subject_name="Pat Newcomer")
    assert AuditEvent.objects.filter(action="person.recorded", record_id=str(concern.subject_id)).count() == 1


def test_escalating_a_pattern_leaves_a_closed_or_already_escalated_concern_as_it_was(share, persona, oakfield) -> None:
    dev = persona("dev")
    first, second = share(persona("tom")), share(persona("hana"))
    Concern.objects.filter(pk=second.pk).update(status=ConcernStatus.CLOSED)
    term = selectors.term_of(timezone.localdate())

    def escalate(findings: str) -> Allegation:
        review = services.pattern_review_start(
            actor=dev, organisation=oakfield, period_start=term.start, period_end=term.end
        )
        finding = services.pattern_finding_record(
            actor=dev, review=review, subject=first.subject, pattern_found=True, findings=findings
        )
        return services.pattern_finding_escalate(actor=dev, finding=finding, threshold_answers=UNSUITABLE)

    earlier = escalate("Two alike.")
    second.refresh_from_db()
    assert (second.status, second.escalated_to) == (ConcernStatus.CLOSED, None)
    later = escalate("Seen again next review.")
    assert later != earlier
    assert Concern.objects.get(pk=first.pk).escalated_to == earlier


def test_a_low_level_concerns_review_chosen_for_good_friday_stays_on_good_friday(persona, share) -> None:
    with time_machine.travel(dt.datetime(2027, 3, 22, 10, tzinfo=dt.UTC), tick=False):
        concern = share(persona("tom"), raised_on=dt.date(2027, 3, 22))
        _triage(persona("hana"), concern)
        concern.refresh_from_db()
        services.low_level_record_save(
            actor=persona("hana"), concern=concern, expected_version=0,
            values={**RECORD, "action_due_on": dt.date(2027, 3, 25), "review_on": dt.date(2027, 3, 26)},
        )  # fmt: skip  # the Thursday before Easter, and Good Friday
    rows = {row.kind: row for row in Deadline.objects.filter(concern=concern)}
    # Dates a person chose: not carried past the Easter holidays.
    assert rows["low-level-review"].due_on == dt.date(2027, 3, 26)
    assert rows["low-level-action"].due_on == dt.date(2027, 3, 25)
    assert rows["low-level-review"].status_on(dt.date(2027, 3, 29)) == "overdue"  # on Easter Monday
