"""Prior concerns across the trust, pattern reviews, the home panel, closing, re-routing, and the pack's examples."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tests.concerns.conftest import TIER_2_FACTS
from threshold.access import fetch
from threshold.accounts.models import Membership, Organisation
from threshold.audit.context import AuditContext
from threshold.audit.models import AuditEvent
from threshold.chronology.models import ChronologyEntry
from threshold.concerns import presenters, selectors, services
from threshold.concerns.models import Concern, ConcernStatus, PatternFinding, Routing
from threshold.concerns.services.deadlines import pattern_review_deadline_sync
from threshold.demo import world
from threshold.jinja2 import govuk_date
from threshold.notifications.models import Notification, NotificationKind
from threshold.notifications.services.reminders import remind
from threshold.timescales.models import Deadline
from threshold.timescales.selectors import open_deadlines

pytestmark = pytest.mark.django_db

COMPLETE_RECORD: services.LowLevelDetails = {
    "spoke_to_raiser": True,
    "spoke_to_person": True,
    "spoke_to_witnesses": False,
    "investigation_steps": "Spoke to Tom and to Chris.",
    "individual_response": "Chris said the pupil asked for help.",
    "breach_category": "one_to_one",
    "further_action": "none",
    "action_owner": "",
    "action_due_on": None,
    "action_done_on": None,
    "substantiated": False,
}


@pytest.fixture
def hillcrest(demo_world: None) -> Organisation:
    return Organisation.objects.get(name=world.HILLCREST)


def _low_level(persona, concern: Concern) -> Concern:
    services.concern_triage(
        actor=persona("hana"), concern=concern, expected_version=concern.version, raw_facts=TIER_2_FACTS,
        decision="low_level", rationale="Tier 2.",
    )  # fmt: skip
    concern.refresh_from_db()
    return concern


# Prior concerns: the same adult at another of the trust's schools (item 3)


def test_an_earlier_concern_about_the_same_adult_at_another_trust_school_is_found_with_why(
    share, persona, hillcrest
) -> None:
    earlier = share(persona("tom"), organisation=hillcrest, subject_name="Chriss Coach")
    share(persona("tom"), organisation=hillcrest, subject_name="Dana Driver")
    concern = share(persona("tom"))
    for viewer in ("dev", "priya"):
        prior = selectors.prior_concerns(user=persona(viewer), concern=concern)
        assert [item.concern for item in prior] == [earlier]
        assert prior[0].reasons == ("Similar name (Chriss Coach)",)
    # Hana cannot open Hillcrest's concerns, so none is shown to her.
    assert selectors.prior_concerns(user=persona("hana"), concern=concern) == []


def test_the_triage_page_says_why_a_prior_concern_matched(share, persona, hillcrest, signed_in) -> None:
    share(persona("tom"), organisation=hillcrest, subject_name="Chris Coach")
    concern = share(persona("tom"))
    page = signed_in("dev").get(reverse("concern_triage", args=[concern.pk])).content.decode()
    assert "Why it matched: Same name" in page
    assert world.HILLCREST in page


def test_a_trust_review_groups_the_same_adult_recorded_at_two_schools(share, persona, hillcrest) -> None:
    share(persona("tom"), subject_name="Chris Coach")
    share(persona("tom"), organisation=hillcrest, subject_name="Chriss Coach")
    share(persona("tom"), organisation=hillcrest, subject_name="Dana Driver")
    riverside = Organisation.objects.get(name=world.RIVERSIDE)
    term = selectors.term_of(timezone.localdate())
    review = services.pattern_review_start(
        actor=persona("priya"), organisation=riverside, period_start=term.start, period_end=term.end
    )
    rows = selectors.people_in_period(user=persona("priya"), review=review)
    assert sorted(len(row.concerns) for row in rows) == [1, 2]
    chris = next(row for row in rows if len(row.concerns) == 2)
    assert {person.full_name for person in chris.records} == {"Chris Coach", "Chriss Coach"}
    assert chris.reasons


# Pattern reviews: what the page shows and audits (item 8)


def test_review_pages_audit_their_reads_and_show_the_concerns_in_full(share, persona, oakfield, signed_in) -> None:
    older = share(persona("tom"), raised_on=timezone.localdate() - dt.timedelta(days=400))
    concern = _low_level(persona, share(persona("tom")))
    services.low_level_record_save(
        actor=persona("hana"), concern=concern, expected_version=0,
        values={**COMPLETE_RECORD, "further_action": "conversation", "action_owner": "Hana Head",
                "action_due_on": timezone.localdate() + dt.timedelta(days=7)},
    )  # fmt: skip
    term = selectors.term_of(timezone.localdate())
    review = services.pattern_review_start(
        actor=persona("dev"), organisation=oakfield, period_start=term.start, period_end=term.end
    )
    dev = signed_in("dev")
    dev.get(reverse("pattern_review_list"))
    listed = AuditEvent.objects.get(action="records.listed", record_type="pattern_review")
    assert listed.details["ids"] == [review.pk]
    page = dev.get(reverse("pattern_review_detail", args=[review.pk])).content.decode()
    viewed = AuditEvent.objects.get(action="record.view", record_type="pattern_review", record_id=str(review.pk))
    assert viewed.details["concerns"] == [concern.pk]
    assert concern.summary in page
    assert "One-to-one contact in a secluded area" in page
    assert "A conversation to discuss the concern" in page
    assert "Concerns about them outside this period: 1" in page
    assert older.pk not in viewed.details["concerns"]


def test_a_review_keeps_one_finding_per_person(share, persona, oakfield) -> None:
    concern = share(persona("tom"))
    term = selectors.term_of(timezone.localdate())
    review = services.pattern_review_start(
        actor=persona("dev"), organisation=oakfield, period_start=term.start, period_end=term.end
    )
    PatternFinding.objects.create(review=review, subject=concern.subject, findings="x", recorded_by=persona("dev"))
    with pytest.raises(IntegrityError), transaction.atomic():
        PatternFinding.objects.create(review=review, subject=concern.subject, findings="y", recorded_by=persona("dev"))


# The home panel: overdue reviews, open low-level concerns, routed triage only, audited (items 5, 6, 7)


def test_a_missed_review_last_term_with_concerns_to_review_shows_overdue_until_one_covers_it(
    persona, oakfield, share, signed_in, settings
) -> None:
    settings.HOME_PANELS = ["threshold.concerns.home.panel"]
    today = timezone.localdate()
    last = selectors.term_of(selectors.term_of(today).start - dt.timedelta(days=1))

    def overdue() -> dt.date | None:
        pattern_review_deadline_sync(oakfield)  # as the daily reminder pass does
        return selectors.reviews_due(user=persona("dev"), organisations=[oakfield], today=today)[0].overdue

    # With no concern on record by the end of last term there was nothing to review.
    assert overdue() is None
    Concern.objects.filter(pk=share(persona("tom")).pk).update(raised_on=last.start)
    assert overdue() == last.end
    home = signed_in("dev").get(reverse("home")).content.decode()
    assert f"Overdue</strong> last term's review was due by {govuk_date(last.end)}" in home
    review = services.pattern_review_start(
        actor=persona("dev"), organisation=oakfield, period_start=last.start, period_end=last.end
    )
    services.pattern_review_complete(actor=persona("dev"), review=review, summary="Nothing found.")
    assert overdue() is None
    home = signed_in("dev").get(reverse("home")).content.decode()
    assert "last term's review was due" not in home


def test_a_review_missed_only_for_a_concern_about_hana_is_not_overdue_on_her_home_page(
    persona, oakfield, share, signed_in
) -> None:
    today = timezone.localdate()
    last = selectors.term_of(selectors.term_of(today).start - dt.timedelta(days=1))
    about_hana = share(persona("tom"), subject_user=persona("hana"), subject_name="Hana Head")
    Concern.objects.filter(pk=about_hana.pk).update(raised_on=last.start)
    pattern_review_deadline_sync(oakfield)  # the setting had a concern last term: its review is overdue
    # The trust's director, who may see the concern, is told; Hana, whom it is about, is not (rule 2).
    assert selectors.reviews_due(user=persona("priya"), organisations=[oakfield])[0].overdue == last.end
    assert selectors.reviews_due(user=persona("hana"), organisations=[oakfield])[0].overdue is None
    assert "last term's review was due" not in signed_in("hana").get(reverse("home")).content.decode()
    # Nor in her work list, its counts or the reminders: the missed review's row is not hers to see.
    missed = Deadline.objects.get(record_key=f"organisation:{oakfield.pk}", kind="pattern-review", due_on=last.end)
    assert missed not in open_deadlines(persona("hana"), everything=True)
    assert missed in open_deadlines(persona("priya"))
    this_term = Deadline.objects.get(record_key=f"organisation:{oakfield.pk}", kind="pattern-review", due_on__gte=today)
    assert this_term in open_deadlines(persona("hana"))  # this term's review is still hers to do
    # The reminder pass the day after the term ended, when the missed review is told.
    remind(on=last.end + dt.timedelta(days=1), audit_context=AuditContext.system("remind"))
    told = Notification.objects.filter(kind=NotificationKind.DEADLINE_MISSED, url__isnull=False)
    assert not told.filter(recipient=persona("hana"), text__contains=oakfield.name[:40]).exists()
    assert told.filter(recipient=persona("priya"), text__startswith="Deadline missed: Termly pattern review").exists()


def test_the_home_panel_lists_open_low_level_concerns_and_audits_what_it_shows(
    share, persona, signed_in, settings
) -> None:
    settings.HOME_PANELS = ["threshold.concerns.home.panel"]
    new = share(persona("tom"))
    open_one = _low_level(persona, share(persona("tom"), details="Stood too close to a pupil."))
    done = _low_level(persona, share(persona("tom"), details="Used a nickname for a pupil."))
    services.low_level_record_save(actor=persona("hana"), concern=done, expected_version=0, values=COMPLETE_RECORD)
    assert list(selectors.open_low_level(persona("hana"))) == [open_one]
    home = signed_in("hana").get(reverse("home")).content.decode()
    assert reverse("concern_detail", args=[open_one.pk]) in home
    assert "record to complete" in home
    event = AuditEvent.objects.filter(action="records.listed", details__list="home").latest("pk")
    assert event.details["concerns"] == sorted([new.pk, open_one.pk])


def test_priya_triages_only_the_concerns_routed_to_the_trust(share, persona) -> None:
    plain = share(persona("tom"))
    routed = share(persona("tom"), headteacher_conflict=True)
    priya = persona("priya")
    assert fetch.visible_concerns(priya, "change").filter(pk=plain.pk).exists()
    assert list(selectors.awaiting_triage(priya)) == [routed]
    assert list(selectors.awaiting_triage(persona("hana"))) == [plain]


# Closing a concern (item 6)


def test_a_low_level_concern_closes_only_with_a_reason_and_a_finished_record(share, persona, signed_in) -> None:
    hana = persona("hana")
    concern = _low_level(persona, share(persona("tom")))
    with pytest.raises(ValidationError) as error:
        services.concern_close(actor=hana, concern=concern, expected_version=concern.version, reason="")
    assert "reason" in error.value.message_dict
    assert "Complete the low-level concern record" in str(error.value)
    services.low_level_record_save(actor=hana, concern=concern, expected_version=0, values=COMPLETE_RECORD)
    concern.refresh_from_db()
    page = signed_in("hana")
    url = reverse("concern_close", args=[concern.pk])
    assert "Enter why the concern is being closed" in page.post(url, {"version": concern.version}).content.decode()
    closed = page.post(url, {"version": concern.version, "reason": "Spoken to; no recurrence this term."})
    assert closed.url == reverse("concern_detail", args=[concern.pk])
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.CLOSED
    assert concern.closed_reason == "Spoken to; no recurrence this term."
    assert AuditEvent.objects.filter(action="concern.closed", record_id=str(concern.pk)).exists()
    assert ChronologyEntry.objects.filter(concern=concern, text__startswith="Closed: Spoken to").exists()
    assert (
        "Spoken to; no recurrence this term." in page.get(reverse("concern_detail", args=[concern.pk])).content.decode()
    )


# Re-routing at triage for a conflict of interest (item 9)


def test_hana_reroutes_a_concern_she_has_a_conflict_in_and_then_cannot_see_it(share, persona, signed_in) -> None:
    concern = share(persona("tom"))
    hana = signed_in("hana")
    triage = hana.get(reverse("concern_triage", args=[concern.pk])).content.decode()
    assert reverse("concern_reroute", args=[concern.pk]) in triage
    url = reverse("concern_reroute", args=[concern.pk])
    refused = hana.post(url, {"version": concern.version, "reason": ""}).content.decode()
    assert "Enter the conflict of interest" in refused
    assert not Concern.objects.get(pk=concern.pk).routed_to_trust
    done = hana.post(url, {"version": concern.version, "reason": "Chris is my brother-in-law."})
    assert done.url == reverse("home")
    concern.refresh_from_db()
    assert concern.routed_to_trust
    assert concern.details.routing == Routing.TRUST
    assert concern.details.reroute_reason == "Chris is my brother-in-law."
    assert not fetch.visible_concerns(persona("hana")).filter(pk=concern.pk).exists()
    assert list(selectors.awaiting_triage(persona("priya"))) == [concern]
    assert AuditEvent.objects.filter(action="concern.rerouted", record_id=str(concern.pk)).exists()


def test_without_a_trust_a_rerouted_concern_goes_to_the_chair_of_governors(share, persona) -> None:
    acorns = Organisation.objects.get(name=world.LITTLE_ACORNS)
    concern = share(persona("nina"), organisation=acorns, subject_name="Robin Room")
    services.concern_reroute(
        actor=persona("nina"), concern=concern, expected_version=concern.version, reason="Robin is my partner."
    )
    concern.refresh_from_db()
    assert concern.details.routing == Routing.GOVERNANCE
    assert not fetch.visible_concerns(persona("nina")).filter(pk=concern.pk).exists()
    assert list(selectors.awaiting_triage(persona("gina"))) == [concern]


def test_without_anyone_in_the_governance_role_nina_cannot_reroute_a_concern_to_nobody(share, persona) -> None:
    acorns = Organisation.objects.get(name=world.LITTLE_ACORNS)
    Membership.objects.filter(user=persona("gina")).update(is_active=False)
    concern = share(persona("nina"), organisation=acorns, subject_name="Robin Room")
    with pytest.raises(ValidationError) as error:
        services.concern_reroute(
            actor=persona("nina"), concern=concern, expected_version=concern.version, reason="Robin is my partner."
        )
    assert "leave this concern with nobody" in str(error.value.message_dict["reroute_reason"])
    concern.refresh_from_db()
    assert not concern.routed_to_trust
    assert fetch.visible_concerns(persona("nina")).filter(pk=concern.pk).exists()


def test_a_concern_about_the_chair_of_governors_never_names_her_as_its_recipient(share, persona) -> None:
    acorns = Organisation.objects.get(name=world.LITTLE_ACORNS)
    concern = share(persona("nina"), organisation=acorns, subject_user=persona("gina"), headteacher_conflict=True)
    assert selectors.governance_recipients(acorns, subject=concern.subject) == []
    text, reached = presenters.governance_receipt(acorns, concern.subject)
    assert not reached
    assert "Gina" not in text
    assert not fetch.visible_concerns(persona("gina")).filter(pk=concern.pk).exists()


# Raised by someone outside the setting (item 10) and the pack's examples (item 11)


def test_a_parents_complaint_recorded_by_the_head_names_who_raised_it(share, persona, signed_in) -> None:
    concern = share(persona("hana"), how_arose="complaint", raised_by="Ms Pat Parent, mother of a Year 4 pupil")
    assert concern.details.raised_by == "Ms Pat Parent, mother of a Year 4 pupil"
    page = signed_in("dev").get(reverse("concern_detail", args=[concern.pk])).content.decode()
    assert "Ms Pat Parent, mother of a Year 4 pupil (recorded by Hana Head)" in page
    with pytest.raises(ValidationError) as error:
        share(persona("hana"), anonymous=True, raised_by="Ms Pat Parent")
    assert "raised_by" in error.value.message_dict


def test_the_share_page_and_triage_show_the_packs_examples(share, persona, signed_in) -> None:
    page = signed_in("tom").get(reverse("concern_share")).content.decode()
    assert "Examples of concerns that do and do not meet the harm threshold" in page
    assert "child objecting to a sanction imposed in school" in page
    concern = share(persona("tom"))
    advice = signed_in("hana").post(
        reverse("concern_triage", args=[concern.pk]),
        {**{k: ("yes" if v is True else "no" if v is False else v) for k, v in TIER_2_FACTS.items()},
         "version": concern.version, "step": "assess"},
    ).content.decode()  # fmt: skip
    assert "Examples the policy gives for" in advice
    assert "Physical" in advice


def test_this_terms_review_leaves_hanas_work_when_its_day_passes_if_its_only_concern_is_about_her(
    persona, oakfield, share, time_machine
) -> None:
    time_machine.move_to(dt.datetime(2026, 12, 30, 9, tzinfo=dt.UTC), tick=False)  # the day before the term's end
    about_hana = share(persona("tom"), subject_user=persona("hana"), subject_name="Hana Head")
    Concern.objects.filter(pk=about_hana.pk).update(raised_on=dt.date(2026, 12, 1))
    pattern_review_deadline_sync(oakfield)
    row = Deadline.objects.get(
        record_key=f"organisation:{oakfield.pk}", kind="pattern-review", due_on=dt.date(2026, 12, 31)
    )
    assert row in open_deadlines(persona("hana"))  # due tomorrow: hers, as every term's is
    time_machine.move_to(dt.datetime(2027, 1, 1, 9, tzinfo=dt.UTC), tick=False)  # its day has passed
    assert row not in open_deadlines(persona("hana"))  # overdue only for a concern she may not know of
    assert row in open_deadlines(persona("priya"))
