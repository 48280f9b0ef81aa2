"""The advice given at triage follows the allegation (issue 13, the trust's policy: the employer side).

- The tier and the "consideration of suspension/ police referral/ arrest/ immediate action to protect child"
  advice show on the allegation from the moment it opens, in the pack's words.
- Facts answered at triage are the allegation's starting values: "Is the adult a teacher? Yes" keeps the TRA
  duty and the reporting-restriction banner; a later answer on the allegation wins; a blank never erases.
- "Any allegations against a supply worker who is no longer teaching should be referred to the police"
  (appendix 4) fires on a real allegation once it records when the adult left.
- The 1, 3 and 12-month resolution targets (6.4) show with their dates and whether they were met.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.allegations.conftest import lado_discussed, update_details
from tests.clock import on
from threshold.accounts.models import Organisation
from threshold.allegations import services
from threshold.allegations.advice import allegation_advice, resolution_targets
from threshold.allegations.models import Allegation
from threshold.concerns import services as concern_services
from threshold.concerns.models import Triage
from threshold.demo import world
from threshold.policy.clocks import ClockState

pytestmark = pytest.mark.django_db

OPENED = dt.date(2026, 12, 1)
# "Allegation made with corroborating evidence, where a pupil has been injured or harmed" (Tier 4).
TIER_4 = {
    "harmed_or_may_have_harmed_child": True,
    "possible_criminal_offence": False,
    "behaviour_indicates_risk_of_harm": True,
    "may_be_unsuitable_to_work_with_children": True,
    "injury": "visible",
    "corroborating_evidence": True,
}
SUSPENSION_CONSIDERED = "Suspension should be considered in any case where there is cause to suspect a child"
NO_LONGER_TEACHING = (
    "Any allegations against a supply worker who is no longer teaching should be referred to the police."
)


def triaged(persona, *, how_arose: str = "suspicion", **facts: Any) -> Allegation:
    """Tom shares a concern about Chris Coach at Oakfield; Hana, the head, triages it as an allegation."""
    with on(OPENED):
        concern = concern_services.concern_share(
            actor=persona("tom"),
            organisation=Organisation.objects.get(name=world.OAKFIELD),
            subject_user=None,
            subject_name="Chris Coach",
            subject_role="Sports coach",
            anonymous=False,
            raised_on=OPENED,
            how_arose=how_arose,
            details="A pupil came back from PE with a bruise on their arm and said the coach grabbed them.",
            headteacher_conflict=False,
        )
        triage = concern_services.concern_triage(
            actor=persona("hana"),
            concern=concern,
            expected_version=concern.version,
            raw_facts={**TIER_4, **facts},
            decision="allegation",
            rationale="A pupil was injured and a witness saw it: Tier 4.",
        )
    assert isinstance(triage, Triage)  # Hana, the head, decides alone: no sign-off waits
    allegation = triage.allegation
    assert allegation is not None
    return Allegation.objects.get(pk=allegation.pk)


def page(signed_in, allegation: Allegation) -> str:
    """The allegation's page as Hana sees it."""
    response = signed_in("hana").get(reverse("allegation_detail", args=[allegation.pk]))
    assert response.status_code == 200
    return response.content.decode()


# ---------------------------------------------------------------- the tier and the advice from the moment it opens


def test_the_tier_4_advice_shows_on_the_allegation_as_soon_as_triage_opens_it(persona, signed_in) -> None:
    allegation = triaged(persona)
    assert not allegation.referrals.exists()

    html = page(signed_in, allegation)

    advice = html[html.index('id="advice"') :][:6000]
    assert "Tier 4: incident which requires referral to LADO and consideration of suspension/ police referral/" in (
        advice
    )
    assert "Allegation made with corroborating evidence, where a pupil has been injured or harmed." in advice
    assert re.search(r"Consider</strong> Suspension", advice)
    assert SUSPENSION_CONSIDERED in advice
    assert re.search(r"Consider</strong> Referral to the police", advice)
    assert re.search(r"Consider</strong> Referral to children&#39;s social care", advice)
    assert re.search(r"Consider</strong> Referral to Ofsted", advice)
    assert "from the answers given at triage on 1 December 2026" in advice


def test_an_allegation_with_no_harm_threshold_answers_shows_no_tier(persona, signed_in, chris_allegation) -> None:
    advice = allegation_advice(chris_allegation)
    assert not advice.answered
    html = page(signed_in, chris_allegation)
    assert "The policy gives no tier yet" in html
    assert 'id="targets"' not in html


# ---------------------------------------------------------------- triage answers are the starting values


def test_is_the_adult_a_teacher_yes_at_triage_keeps_the_tra_duty(persona) -> None:
    allegation = triaged(persona, subject_is_teacher=True)

    assert allegation.subject_is_teacher
    assert services.allegation_facts(allegation)["subject_is_teacher"] is True
    advice = services.outcome_advice(allegation=allegation, outcome="substantiated", removed=True, resigned=False)
    assert advice["assessment"].referrals["tra"].consider


def test_a_teacher_disclosed_about_by_a_child_has_the_reporting_restriction_banner_from_the_start(
    persona, signed_in
) -> None:
    allegation = triaged(persona, how_arose="disclosure_child", subject_is_teacher=True)

    assert allegation.reporting_restricted
    assert "Reporting restrictions apply" in page(signed_in, allegation)


def test_saving_the_details_form_as_shown_keeps_the_triage_answer(persona, signed_in) -> None:
    allegation = triaged(persona, subject_is_teacher=True)
    client = signed_in("hana")
    form = client.get(reverse("allegation_edit", args=[allegation.pk])).content.decode()
    assert re.search(r'<input[^>]*name="subject_is_teacher"[^>]*checked', form)

    # Hana ticks only "The allegation is made by a pupil": the teacher box comes ticked from triage.
    response = client.post(
        reverse("allegation_edit", args=[allegation.pk]),
        {
            "version": str(allegation.version),
            "case_manager": str(allegation.case_manager_id),
            "came_to_attention_on_day": "1",
            "came_to_attention_on_month": "12",
            "came_to_attention_on_year": "2026",
            "subject_employment": "employed",
            "subject_is_teacher": "on",
            "accused_by_pupil": "on",
        },
    )
    assert response.status_code == 302
    allegation.refresh_from_db()
    assert allegation.subject_is_teacher
    assert allegation.reporting_restricted
    assert "Reporting restrictions apply" in page(signed_in, allegation)


def test_a_later_no_on_the_allegation_wins_over_the_triage_yes(persona) -> None:
    allegation = triaged(persona, subject_is_teacher=True)
    allegation = update_details(persona, allegation, subject_is_teacher=False)
    assert services.allegation_facts(allegation)["subject_is_teacher"] is False


def test_a_leaving_date_left_unanswered_never_erases_one_recorded(persona) -> None:
    allegation = triaged(persona)
    allegation = update_details(persona, allegation, left_employment_on=dt.date(2026, 12, 2))
    allegation = update_details(persona, allegation, interim_prohibition_order=True)
    assert allegation.left_employment_on == dt.date(2026, 12, 2)
    assert services.allegation_facts(allegation)["left_employment_on"] == "2026-12-02"


def test_a_leaving_date_in_the_future_is_refused_beside_the_field(persona) -> None:
    allegation = triaged(persona)
    with pytest.raises(ValidationError) as raised:
        update_details(persona, allegation, left_employment_on=dt.date(2099, 1, 1))
    assert raised.value.message_dict == {"left_employment_on": ["The date the adult left must be today or in the past"]}


# ---------------------------------------------------------------- appendix 4: a supply worker no longer teaching


def test_a_supply_worker_who_has_left_must_be_referred_to_the_police(persona) -> None:
    allegation = triaged(persona)
    allegation = update_details(
        persona,
        allegation,
        subject_employment="supply",
        agency=None,
        agency_name="Supply Teachers Ltd",
        agency_contact="bookings@supply.example",
    )
    before = allegation_advice(allegation).assessment.referrals["police"]
    assert not before.required

    allegation = update_details(persona, allegation, left_employment_on=dt.date(2026, 12, 2))

    police = allegation_advice(allegation).assessment.referrals["police"]
    assert police.required
    assert NO_LONGER_TEACHING in [reason.text for reason in police.reasons]


def test_the_allegation_page_says_the_police_referral_is_required_for_a_supply_worker_who_left(
    persona, signed_in
) -> None:
    allegation = triaged(persona)
    update_details(
        persona,
        allegation,
        subject_employment="supply",
        agency=None,
        agency_name="Supply Teachers Ltd",
        agency_contact="bookings@supply.example",
        left_employment_on=dt.date(2026, 12, 2),
    )
    html = page(signed_in, allegation)
    assert re.search(r"Required</strong> Referral to the police", html)
    assert NO_LONGER_TEACHING in html
    assert "Left the setting" in html
    assert "2 December 2026" in html


# ---------------------------------------------------------------- 6.4: the resolution targets


def test_the_one_three_and_twelve_month_targets_show_with_their_dates(persona, signed_in) -> None:
    allegation = triaged(persona)
    with on(dt.date(2026, 12, 10)):
        html = page(signed_in, allegation)
    targets = html[html.index('id="targets"') :]
    assert "Target: 80% of cases resolved within one month." in targets
    assert "1 January 2027" in targets
    assert "1 March 2027" in targets
    assert "1 December 2027" in targets


def test_a_target_passed_without_an_outcome_is_overdue_and_the_outcome_meets_them(persona, signed_in) -> None:
    allegation = triaged(persona)
    assessment = allegation_advice(allegation).assessment
    states = {target.id: target.state for target in resolution_targets(allegation, assessment, dt.date(2027, 2, 1))}
    assert states == {
        "resolve-target-one-month": ClockState.OVERDUE,
        "resolve-target-three-months": ClockState.DUE,
        "resolve-target-twelve-months": ClockState.DUE,
    }

    lado_discussed(persona, allegation, OPENED)
    with on(dt.date(2026, 12, 20)):
        services.outcome_record(
            actor=persona("hana"),
            allegation=allegation,
            report="The pupil's account was not supported by the witness.",
            outcome="unfounded",
            concluded_on=dt.date(2026, 12, 20),
        )
    allegation.refresh_from_db()
    met = resolution_targets(allegation, allegation_advice(allegation).assessment, dt.date(2027, 2, 1))
    assert {target.state for target in met} == {ClockState.MET}
    assert "resolved on 20 December 2026" in page(signed_in, allegation)


def test_the_details_form_records_when_the_adult_left(persona, signed_in) -> None:
    allegation = triaged(persona)
    client = signed_in("hana")
    assert (
        "Date the adult left the setting (if they have)"
        in client.get(reverse("allegation_edit", args=[allegation.pk])).content.decode()
    )
    details = {
        "version": str(allegation.version),
        "case_manager": str(allegation.case_manager_id),
        "came_to_attention_on_day": "1",
        "came_to_attention_on_month": "12",
        "came_to_attention_on_year": "2026",
        "subject_employment": "supply",
        "agency_name": "Supply Teachers Ltd",
        "agency_contact": "bookings@supply.example",
        "left_employment_on_day": "2",
        "left_employment_on_month": "12",
    }
    half = client.post(reverse("allegation_edit", args=[allegation.pk]), details)
    assert "The date the adult left must include a year" in half.content.decode()

    response = client.post(
        reverse("allegation_edit", args=[allegation.pk]), {**details, "left_employment_on_year": "2026"}
    )
    assert response.status_code == 302
    allegation.refresh_from_db()
    assert allegation.left_employment_on == dt.date(2026, 12, 2)


# ---------------------------------------------------------------- what the policy says, as the allegation stands


def _guidance(html: str) -> str:
    """The allegation's advice box from "What the policy says" to its end."""
    advice = html[html.index('id="advice"') :]
    advice = advice[: advice.index("</div>")]
    return advice[advice.index('id="guidance"') :] if 'id="guidance"' in advice else ""


def test_an_incident_years_before_it_was_raised_brings_the_policy_s_words_on_non_recent_allegations(
    persona, signed_in
) -> None:
    """Sections 4 and 12: "Abuse can be reported, no matter how long ago it happened." Triage asks when it happened."""
    allegation = triaged(persona, incident_date="2019-05-01")
    assert Triage.objects.get(allegation=allegation).facts["incident_date"] == "2019-05-01"

    said = _guidance(page(signed_in, allegation))
    assert "Abuse can be reported, no matter how long ago it happened." in said
    assert "we will advise the individual to report the allegation to the police" in said
    assert "Policy, sections 4 and 12" in said
    assert "no matter how long ago" not in _guidance(page(signed_in, triaged(persona)))


def test_once_the_outcome_is_recorded_the_advice_says_what_the_policy_says_of_it(persona, signed_in) -> None:
    """Section 6.5: "Where an investigation concludes that there is evidence to suggest the allegation may be
    substantiated, internal disciplinary proceedings will commence"; section 11, lessons learned."""
    allegation = triaged(persona)
    before = _guidance(page(signed_in, allegation))
    assert "internal disciplinary proceedings will commence" not in before
    lado_discussed(persona, allegation, OPENED)
    services.outcome_record(
        actor=persona("hana"),
        allegation=allegation,
        report="Two witnesses and CCTV.",
        outcome="substantiated",
        concluded_on=dt.date.today(),
        removed_from_regulated_activity=True,
        disciplinary_route="A disciplinary hearing under the trust's procedure.",
    )
    html = page(signed_in, allegation)
    said = _guidance(html)
    assert "internal disciplinary proceedings will commence" in said
    assert "review the circumstances of the case with the LADO and Headteacher" in said
    advice = html[html.index('id="advice"') :]
    assert re.search(r"Required</strong> Referral to the DBS", advice[: advice.index('id="guidance"')])


def test_the_date_it_came_to_attention_cannot_be_moved_before_the_incident_triage_recorded(persona) -> None:
    """Else the pack's facts would not fit together, and the triage's answers (the tier) would be dropped."""
    allegation = triaged(persona, incident_date="2026-11-20")
    with pytest.raises(ValidationError) as refused:
        update_details(persona, allegation, came_to_attention_on=dt.date(2026, 11, 1))
    assert (
        "on or after the date of the incident (20 November 2026)"
        in refused.value.message_dict["came_to_attention_on"][0]
    )
    allegation.refresh_from_db()
    assert allegation.attention_date() == OPENED
    assert allegation_advice(allegation).assessment.level_title.startswith("Tier 4")


def test_the_referral_to_the_lado_starts_from_the_incident_date_triage_was_told(persona, signed_in) -> None:
    allegation = triaged(persona, incident_date="2019-05-01")
    form = signed_in("hana").get(reverse("allegation_referral", args=[allegation.pk])).content.decode()
    assert 'value="1"' in form[form.index('name="incident_date_day"') :][:200]
    assert 'value="5"' in form[form.index('name="incident_date_month"') :][:200]
    assert 'value="2019"' in form[form.index('name="incident_date_year"') :][:200]


def test_a_tier_4_allegation_cannot_conclude_until_the_lado_has_been_told(persona, signed_in) -> None:
    """Appendix 5: "The Local Authority Designated Officer(s) should be informed of all allegations that come to an
    organisation's attention that appear to meet the criteria." A referral, or step 2 recorded, tells them."""
    allegation = triaged(persona)
    client = signed_in("hana")
    # Said on the outcome page before anything is typed, as a warning.
    form = client.get(reverse("allegation_outcome", args=[allegation.pk])).content.decode()
    assert "The LADO has not been told of this allegation" in form[: form.index('name="report"')]
    refused = client.post(
        reverse("allegation_outcome", args=[allegation.pk]),
        {"report": "Not supported by the witness.", "outcome": "unfounded", "concluded_on_day": "2",
         "concluded_on_month": "12", "concluded_on_year": "2026"},
    )  # fmt: skip
    assert refused.status_code == 200
    assert "The LADO has not been told of this allegation" in refused.content.decode()
    allegation.refresh_from_db()
    assert allegation.status != "concluded"

    lado_discussed(persona, allegation, OPENED)
    told = client.get(reverse("allegation_outcome", args=[allegation.pk])).content.decode()
    assert "The LADO has not been told" not in told
    services.outcome_record(
        actor=persona("hana"),
        allegation=allegation,
        report="Not supported by the witness.",
        outcome="unfounded",
        concluded_on=dt.date.today(),
    )
    allegation.refresh_from_db()
    assert allegation.status == "concluded"


def test_telling_the_adult_is_not_due_on_a_referral_the_lado_has_not_yet_answered(persona) -> None:
    """Appendix 4: "as soon as possible after consulting with the LADO about what information can be shared": a
    referral sent is not yet a consultation; the LADO's advice or decision, or step 2 recorded, is."""
    from threshold.lado.models import Contact
    from threshold.timescales.models import Deadline

    allegation = triaged(persona)
    services.referral_make(actor=persona("hana"), allegation=allegation)
    assert Contact.objects.filter(allegation=allegation, advice_given_at__isnull=True).exists()
    assert not Deadline.objects.filter(allegation=allegation, kind="adult-informed").exists()
    lado_discussed(persona, allegation, OPENED)
    assert Deadline.objects.filter(allegation=allegation, kind="adult-informed").exists()
