"""The concern pages: sharing, triage, the low-level record, pattern reviews and the home panel."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.concerns.conftest import TIER_2_FACTS
from threshold.audit.models import AuditEvent
from threshold.concerns import selectors
from threshold.concerns.models import Concern, ConcernStatus, PatternReview
from threshold.concerns.services import anonymous_intake
from threshold.jinja2 import govuk_date

pytestmark = pytest.mark.django_db


def _date_boxes(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def _share_form(**overrides: str) -> dict[str, str]:
    form = {
        "anonymous": "no",
        **_date_boxes("raised_on", timezone.localdate()),
        "about": "other",
        "subject_name": "Chris Coach",
        "subject_role": "Sports coach",
        "how_arose": "disclosure_child",
        "details": "A pupil told me Chris shouted at her and called her names in PE on Monday.",
        "declaration": "on",
    }
    form.update(overrides)
    return form


def _facts_form(**overrides: str) -> dict[str, object]:
    form: dict[str, object] = {
        name: ("yes" if value is True else "no" if value is False else value) for name, value in TIER_2_FACTS.items()
    }
    form.update(overrides)
    return form


def test_tom_shares_a_concern_and_gets_a_receipt(signed_in) -> None:
    tom = signed_in("tom")
    page = tom.get(reverse("concern_share"))
    assert page.status_code == 200
    assert "Spectrum of behaviour" in page.content.decode() or "spectrum of behaviour" in page.content.decode()
    assert "having favourites" in page.content.decode()
    response = tom.post(reverse("concern_share"), _share_form())
    assert response.status_code == 200
    concern = Concern.objects.get()
    assert concern.reference in response.content.decode()
    assert concern.details.how_arose == "disclosure_child"


def test_sharing_with_missing_answers_shows_errors_beside_the_fields_and_saves_nothing(signed_in) -> None:
    response = signed_in("tom").post(reverse("concern_share"), _share_form(details="", subject_name="", declaration=""))
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Enter the details of the concern" in body
    assert 'href="#id_details"' in body
    assert "Enter the name of the person the concern is about" in body
    assert not Concern.objects.exists()


def test_an_anonymous_concern_shows_a_receipt_with_no_link_back(signed_in) -> None:
    response = signed_in("tom").post(reverse("concern_share"), _share_form(anonymous="yes"))
    concern = Concern.objects.get()
    assert concern.reporter is None
    assert "You shared it anonymously" in response.content.decode()
    assert reverse("concern_detail", args=[concern.pk]) not in response.content.decode()


def test_people_who_are_not_staff_cannot_share(signed_in) -> None:
    assert signed_in("lara").get(reverse("concern_share")).status_code == 403


def test_hana_triages_a_concern_as_low_level_with_the_tier_2_advice(signed_in) -> None:
    signed_in("tom").post(reverse("concern_share"), _share_form())
    concern = Concern.objects.get()
    hana = signed_in("hana")
    url = reverse("concern_triage", args=[concern.pk])
    assert hana.get(url).status_code == 200
    advice = hana.post(url, {**_facts_form(), "version": concern.version, "step": "assess"})
    body = advice.content.decode()
    assert "Tier 2: Low Level concern" in body
    assert "Meeting with individual" in body
    missing_reason = hana.post(
        url,
        {**_facts_form(), "version": concern.version, "step": "decide", "decision": "appropriate", "rationale": "x"},
    )
    assert "Explain why you decided differently" in missing_reason.content.decode()
    decided = hana.post(
        url,
        {**_facts_form(), "version": concern.version, "step": "decide", "decision": "low_level",
         "rationale": "Tier 2.", "advice_hr": "on"},
    )  # fmt: skip
    assert decided.status_code == 302
    assert decided.url == reverse("concern_low_level", args=[concern.pk])
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.LOW_LEVEL
    stale = hana.get(url)
    assert stale.status_code == 302


def test_hana_decides_a_concern_is_an_allegation_and_lands_on_the_new_allegation(signed_in) -> None:
    from threshold.allegations.models import Allegation

    signed_in("tom").post(reverse("concern_share"), _share_form())
    concern = Concern.objects.get()
    hana = signed_in("hana")
    decided = hana.post(
        reverse("concern_triage", args=[concern.pk]),
        {**_facts_form(), "version": concern.version, "step": "decide", "decision": "allegation",
         "rationale": "Meets the harm threshold.", "override_reason": "The facts are worse than the form shows."},
    )  # fmt: skip
    allegation = Allegation.objects.get(concern=concern)
    assert decided.status_code == 302
    assert decided.url == reverse("allegation_detail", args=[allegation.pk])
    page = hana.get(decided.url).content.decode()
    assert f"Allegation {allegation.reference} is open." in page
    # The concern links to it by its reference, never its id.
    detail = hana.get(reverse("concern_detail", args=[concern.pk])).content.decode()
    assert f">Allegation {allegation.reference}</a>" in detail
    assert f"Allegation A-{allegation.pk}" not in detail


def test_a_stale_triage_form_gets_the_conflict_page(signed_in) -> None:
    signed_in("tom").post(reverse("concern_share"), _share_form())
    concern = Concern.objects.get()
    response = signed_in("hana").post(
        reverse("concern_triage", args=[concern.pk]),
        {**_facts_form(), "version": concern.version + 5, "step": "decide", "decision": "low_level", "rationale": "x"},
    )
    assert response.status_code == 409


def _triaged_low_level(signed_in: Any) -> tuple[Concern, Any]:
    """Tom shares a concern through the page; Hana triages it as low level: the concern, and Hana's client."""
    signed_in("tom").post(reverse("concern_share"), _share_form())
    concern = Concern.objects.get()
    hana = signed_in("hana")
    hana.post(
        reverse("concern_triage", args=[concern.pk]),
        {**_facts_form(), "version": concern.version, "step": "decide", "decision": "low_level", "rationale": "x"},
    )
    return concern, hana


def test_the_low_level_record_shows_retention_and_references_from_the_pack(signed_in) -> None:
    concern, hana = _triaged_low_level(signed_in)
    url = reverse("concern_low_level", args=[concern.pk])
    response = hana.post(
        url,
        {"version": "0", "spoke_to_person": "on", "investigation_steps": "Spoke to Chris.",
         "breach_category": "language",
         "further_action": "conversation", "action_owner": "Hana Head",
         **_date_boxes("action_due_on", dt.date(2026, 12, 4))},
    )  # fmt: skip
    assert response.status_code == 302
    # The leaving date is recorded once for the person (13.4), and the record's retention counts from it.
    subject = Concern.objects.get().subject
    left = hana.post(
        reverse("concern_leaving_date", args=[concern.pk]),
        {"version": str(subject.version), **_date_boxes("left_employment_on", dt.date(2026, 8, 31))},
    )
    assert left.status_code == 302
    detail = hana.get(reverse("concern_detail", args=[concern.pk])).content.decode()
    assert "31 August 2033" in detail
    assert "Low level concerns will not be included in references unless they are substantiated" in detail
    assert "when the record was saved" in detail
    assert "has changed since" not in detail
    from threshold.concerns.models import LowLevelRecord

    LowLevelRecord.objects.filter(concern=concern).update(pack_digest="an-earlier-pack")
    changed = hana.get(reverse("concern_detail", args=[concern.pk])).content.decode()
    assert "31 August 2033" in changed
    assert "The policy pack has changed since these decisions were recorded" in changed
    stale = hana.post(url, {"version": "0", "investigation_steps": "Asked the coach to apologise.",
                            "breach_category": "language", "further_action": "none"})  # fmt: skip
    assert stale.status_code == 409
    differs = stale.content.decode().split("What differs</caption>")[1].split("</table>")[0]
    assert "Spoke to Chris." in differs  # what is saved now
    assert "Asked the coach to apologise." in differs  # what Hana typed, given back


def test_hana_records_that_a_low_level_concern_is_misconduct_a_reference_would_include(signed_in) -> None:
    """Section 13.5's exception, asked on the record's form and shown with the pack's words on the concern."""
    concern, hana = _triaged_low_level(signed_in)
    url = reverse("concern_low_level", args=[concern.pk])
    assert "such as misconduct or poor performance" in hana.get(url).content.decode()
    response = hana.post(
        url,
        {"version": "0", "investigation_steps": "Spoke to Chris.", "breach_category": "other",
         "further_action": "none", "ordinarily_in_reference": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    detail = hana.get(reverse("concern_detail", args=[concern.pk])).content.decode()
    in_references = detail[detail.index("In references") :]
    assert in_references.index("May be mentioned.") < in_references.index("</dd>")
    assert "relates to issues which would ordinarily be included in a reference" in in_references
    assert "Policy pack lead-academy-trust version 1.2" in detail


def test_hana_never_sees_the_concern_about_her_in_list_detail_count_or_search(signed_in) -> None:
    signed_in("tom").post(reverse("concern_share"), _share_form(about="other", subject_name="Someone Else"))
    from threshold.accounts.models import User

    hana_user = User.objects.get(email="hana.head@oakfield.example")
    tom = signed_in("tom")
    tom.post(reverse("concern_share"), _share_form(about=str(hana_user.pk), subject_name=""))
    about_hana = Concern.objects.get(subject__user=hana_user)
    assert about_hana.routed_to_trust
    hana = signed_in("hana")
    listing = hana.get(reverse("concern_list")).content.decode()
    assert "1 concern" in listing
    assert "Hana Head" not in listing
    assert "0 concerns" in hana.post(reverse("concern_list"), {"q": "Hana"}).content.decode()
    assert hana.get(reverse("concern_detail", args=[about_hana.pk])).status_code == 404
    assert hana.get(reverse("concern_triage", args=[about_hana.pk])).status_code == 404
    priya = signed_in("priya")
    assert priya.get(reverse("concern_triage", args=[about_hana.pk])).status_code == 200


def test_the_home_panel_shows_concerns_awaiting_triage_and_the_next_review(signed_in, settings) -> None:
    settings.HOME_PANELS = ["threshold.concerns.home.panel"]
    signed_in("tom").post(reverse("concern_share"), _share_form())
    concern = Concern.objects.get()
    body = signed_in("hana").get(reverse("home")).content.decode()
    assert "Awaiting triage" in body
    assert reverse("concern_triage", args=[concern.pk]) in body
    assert f"due by {govuk_date(selectors.term_of(timezone.localdate()).end)}" in body
    toms_home = signed_in("tom").get(reverse("home")).content.decode()
    assert "Awaiting triage" not in toms_home
    assert reverse("concern_share") in toms_home
    assert reverse("concern_my_reports") in toms_home
    assert reverse("concern_share") not in signed_in("lara").get(reverse("home")).content.decode()


def test_dev_runs_a_review_and_escalates_a_pattern(signed_in) -> None:
    tom = signed_in("tom")
    tom.post(reverse("concern_share"), _share_form())
    tom.post(reverse("concern_share"), _share_form(details="Chris again kept a pupil alone after PE."))
    dev = signed_in("dev")
    from threshold.accounts.models import Organisation
    from threshold.demo import world

    oakfield = Organisation.objects.get(name=world.OAKFIELD)
    assert dev.get(reverse("pattern_review_list")).status_code == 200
    start = reverse("pattern_review_start", args=[oakfield.pk])
    term_start = dev.get(start)
    assert term_start.status_code == 200
    # The term of today, so the concerns shared yesterday or today fall in it whatever the date.
    term = selectors.term_of(timezone.localdate())
    response = dev.post(start, {**_date_boxes("period_start", term.start), **_date_boxes("period_end", term.end)})
    review = PatternReview.objects.get()
    assert response.url == reverse("pattern_review_detail", args=[review.pk])
    person = Concern.objects.earliest("pk").subject
    no_findings = dev.post(response.url, {"subject": person.pk, "pattern_found": "yes", "findings": ""})
    assert "Enter the findings" in no_findings.content.decode()
    dev.post(response.url, {"subject": person.pk, "pattern_found": "yes", "findings": "Two concerns alike."})
    finding = review.findings.get()
    escalate = reverse("pattern_finding_escalate", args=[finding.pk])
    assert "Does the behaviour suggest they may not be suitable" in dev.get(escalate).content.decode()
    unanswered = dev.post(escalate, {"may_be_unsuitable_to_work_with_children": "no"}).content.decode()
    assert 'href="#id_harmed_or_may_have_harmed_child">Answer Yes to at least one question' in unanswered
    escalated = dev.post(escalate, {"may_be_unsuitable_to_work_with_children": "yes"})
    finding.refresh_from_db()
    assert escalated.url == reverse("allegation_referral", args=[finding.allegation_id])
    assert AuditEvent.objects.filter(action="pattern_review.escalated").exists()
    dev.post(response.url, {"action": "complete", "summary": "One pattern escalated."})
    review.refresh_from_db()
    assert review.completed_at is not None
    assert signed_in("tom").get(response.url).status_code == 404


def test_an_anonymous_share_records_no_address_or_request_in_the_audit_trail(signed_in) -> None:
    signed_in("tom").post(reverse("concern_share"), _share_form(anonymous="yes"), REMOTE_ADDR="203.0.113.7")
    anonymous_intake(before=timezone.now() + dt.timedelta(days=1))
    event = AuditEvent.objects.get(action="concern.shared")
    assert event.actor is None
    assert event.actor_label == "system:anonymous-intake"
    assert event.source_ip is None
    assert event.request_id == ""


def test_at_a_setting_without_a_trust_the_receipt_names_the_chair_of_governors(signed_in) -> None:
    response = signed_in("nina").post(reverse("concern_share"), _share_form(headteacher_conflict="on"))
    body = response.content.decode()
    assert "It goes to your chair of governors or management committee (Gina Governor)" in body
    assert "Nobody in Threshold receives" not in body
    assert "contact the LADO at Northshire Council yourself" in body


def test_at_a_setting_without_a_trust_or_a_chair_the_receipt_says_plainly_who_to_tell(signed_in, persona) -> None:
    from threshold.accounts.models import Membership

    Membership.objects.filter(user=persona("gina")).update(is_active=False)
    response = signed_in("nina").post(reverse("concern_share"), _share_form(headteacher_conflict="on"))
    body = response.content.decode()
    assert "nobody in Threshold receives it yet" in body
    assert "chair of governors" in body
    assert "contact the LADO at Northshire Council yourself" in body
    concern = Concern.objects.get()
    report = signed_in("nina").get(reverse("concern_detail", args=[concern.pk])).content.decode()
    assert "Your report" in report
    assert "contact the LADO at Northshire Council yourself" in report


def test_hanas_export_leaves_out_the_concern_about_her(signed_in) -> None:
    signed_in("tom").post(reverse("concern_share"), _share_form(about="other", subject_name="Hana Head"))
    export = signed_in("hana").get(reverse("export_concerns", args=["csv"])).getvalue().decode()
    assert "Hana Head" not in export
    assert "Hana Head" in signed_in("priya").get(reverse("export_concerns", args=["csv"])).getvalue().decode()


@pytest.mark.parametrize(
    ("boxes", "message"),
    [
        ({"raised_on_day": "31", "raised_on_month": "2", "raised_on_year": "2026"}, "must be a real date"),
        ({"raised_on_day": "3", "raised_on_month": "", "raised_on_year": "2026"}, "must include a month"),
        ({"raised_on_day": "x", "raised_on_month": "2", "raised_on_year": "2026"}, "must be a real date"),
        ({"raised_on_day": "", "raised_on_month": "", "raised_on_year": ""}, None),
    ],
)
def test_the_date_raised_is_three_boxes_with_govuk_errors_beside_the_day(signed_in, boxes, message) -> None:
    response = signed_in("tom").post(reverse("concern_share"), {**_share_form(), **boxes})
    body = response.content.decode()
    expected = f"Date the concern was raised {message}" if message else "Enter the date the concern was raised"
    assert expected in body
    assert 'href="#id_raised_on_day"' in body
    assert not Concern.objects.exists()


def test_a_date_raised_in_the_future_is_refused(signed_in) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = signed_in("tom").post(reverse("concern_share"), _share_form(**_date_boxes("raised_on", tomorrow)))
    assert "Date the concern was raised must be today or in the past" in response.content.decode()
    assert not Concern.objects.exists()


def test_the_share_page_shows_three_date_boxes_filled_with_today(signed_in) -> None:
    body = signed_in("tom").get(reverse("concern_share")).content.decode()
    today = timezone.localdate()
    for part, value in (("day", today.day), ("month", today.month), ("year", today.year)):
        assert f'id="id_raised_on_{part}"' in body
        assert f'value="{value}"' in body


def test_an_anonymous_share_leaves_nothing_that_names_or_times_the_reporter(signed_in, persona) -> None:
    from threshold.chronology.models import ChronologyEntry
    from threshold.concerns.models import ConcernDetails
    from threshold.people.models import Person

    tom_user = persona("tom")
    tom = signed_in("tom")
    before = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    address = "203.0.113.77"
    tom.get(reverse("concern_share"), REMOTE_ADDR=address)
    tom.post(reverse("concern_share"), _share_form(anonymous="yes", subject_name="Nobody Known"), REMOTE_ADDR=address)
    # The request itself writes nothing to the trail: the time and place of an
    # event would name Tom. The nightly anonymous-intake batch records it.
    assert not AuditEvent.objects.filter(sequence__gt=before).exclude(actor=tom_user).exists()
    after_request = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    anonymous_intake(before=timezone.now() + dt.timedelta(days=1))
    concern = Concern.objects.get()
    identifying = (tom_user.email, tom_user.full_name, address, f"user:{tom_user.pk}")
    events = list(AuditEvent.objects.filter(sequence__gt=after_request))
    assert sorted(event.action for event in events) == ["concern.shared", "person.recorded"]
    for event in events:
        assert event.actor_id is None
        assert event.actor_label == "system:anonymous-intake"
        assert event.source_ip is None
        assert event.request_id == ""
        assert not any(value in str([event.details, event.changes]) for value in identifying)
    midnight = timezone.localtime(concern.created_at)
    assert (midnight.hour, midnight.minute, midnight.second, midnight.microsecond) == (0, 0, 0, 0)
    details = ConcernDetails.objects.get(concern=concern)
    entry = ChronologyEntry.objects.get(concern=concern)
    person = Person.objects.get(pk=concern.subject_id)
    assert details.signed_at == concern.created_at == entry.recorded_at == entry.occurred_at == person.created_at
    for record in (concern, details, entry, person):
        fields = record._meta.concrete_fields
        assert all(getattr(record, f.attname) is None for f in fields if f.related_model is type(tom_user))
        values = [getattr(record, field.attname) for field in fields]
        assert not any(isinstance(value, str) and any(i in value for i in identifying) for value in values)
    assert concern.reporter_id is None
    assert entry.recorded_by_id is None


def test_my_reports_lists_only_the_concerns_i_shared_with_my_name(signed_in) -> None:
    tom = signed_in("tom")
    receipt = tom.post(reverse("concern_share"), _share_form(subject_name="Named Person")).content.decode()
    assert reverse("concern_my_reports") in receipt
    tom.post(reverse("concern_share"), _share_form(anonymous="yes", subject_name="Anonymous Person"))
    signed_in("hana").post(reverse("concern_share"), _share_form(subject_name="Hanas Person"))
    named = Concern.objects.get(subject__full_name="Named Person")
    page = tom.get(reverse("concern_my_reports"))
    body = page.content.decode()
    assert page.status_code == 200
    assert reverse("concern_detail", args=[named.pk]) in body
    assert "Anonymous Person" not in body
    assert "Hanas Person" not in body
    assert "You have not shared a concern" in signed_in("dev").get(reverse("concern_my_reports")).content.decode()


def test_hanas_home_panel_leaves_out_concerns_routed_away_from_her(signed_in, settings) -> None:
    from threshold.accounts.models import User

    settings.HOME_PANELS = ["threshold.concerns.home.panel"]
    hana_user = User.objects.get(email="hana.head@oakfield.example")
    tom = signed_in("tom")
    tom.post(reverse("concern_share"), _share_form(about=str(hana_user.pk), subject_name=""))
    tom.post(reverse("concern_share"), _share_form(subject_name="Conflict Person", headteacher_conflict="on"))
    routed = list(Concern.objects.filter(routed_to_trust=True))
    assert len(routed) == 2
    home = signed_in("hana").get(reverse("home")).content.decode()
    assert "Awaiting triage" in home
    for concern in routed:
        assert reverse("concern_triage", args=[concern.pk]) not in home
        assert f"{concern.reference}<" not in home
    assert "Conflict Person" not in home
    priya_home = signed_in("priya").get(reverse("home")).content.decode()
    assert all(reverse("concern_triage", args=[concern.pk]) in priya_home for concern in routed)


def test_escalating_a_pattern_is_refused_to_other_organisations_and_to_its_subject(signed_in, persona) -> None:
    from threshold.accounts.models import Organisation
    from threshold.allegations.models import Allegation
    from threshold.concerns import services
    from threshold.demo import world

    oakfield = Organisation.objects.get(name=world.OAKFIELD)
    signed_in("tom").post(reverse("concern_share"), _share_form(about=str(persona("dev").pk), subject_name=""))
    hana = persona("hana")
    term = selectors.term_of(timezone.localdate())
    review = services.pattern_review_start(
        actor=hana, organisation=oakfield, period_start=term.start, period_end=term.end
    )
    subject = Concern.objects.get().subject
    finding = services.pattern_finding_record(
        actor=hana, review=review, subject=subject, pattern_found=True, findings="A pattern."
    )
    url = reverse("pattern_finding_escalate", args=[finding.pk])
    for key in ("dev", "tom", "nina", "lara", "priya"):
        assert signed_in(key).post(url).status_code == 404, key
    finding.refresh_from_db()
    assert finding.allegation_id is None
    assert not Allegation.objects.exists()
    assert not AuditEvent.objects.filter(action="pattern_review.escalated").exists()


def test_priya_escalates_a_routed_pattern_to_a_referral_hana_cannot_open(signed_in) -> None:
    from threshold.accounts.models import Organisation
    from threshold.demo import world

    tom = signed_in("tom")
    for details in ("Kept a pupil alone.", "Kept a pupil alone again."):
        tom.post(reverse("concern_share"), _share_form(details=details, headteacher_conflict="on"))
    priya = signed_in("priya")
    riverside = Organisation.objects.get(name=world.RIVERSIDE)
    term = selectors.term_of(timezone.localdate())
    started = priya.post(
        reverse("pattern_review_start", args=[riverside.pk]),
        {**_date_boxes("period_start", term.start), **_date_boxes("period_end", term.end)},
    )
    subject = Concern.objects.earliest("pk").subject
    priya.post(started.url, {"subject": subject.pk, "pattern_found": "yes", "findings": "Two alike."})
    finding = PatternReview.objects.get().findings.get()
    escalated = priya.post(
        reverse("pattern_finding_escalate", args=[finding.pk]),
        {"may_be_unsuitable_to_work_with_children": "yes"},
        follow=True,
    )
    finding.refresh_from_db()
    referral_url = reverse("allegation_referral", args=[finding.allegation_id])
    assert escalated.redirect_chain[-1][0] == referral_url
    assert "the referral to the LADO started" in escalated.content.decode()
    assert signed_in("hana").get(referral_url).status_code == 404
    assert signed_in("hana").get(reverse("allegation_detail", args=[finding.allegation_id])).status_code == 404
