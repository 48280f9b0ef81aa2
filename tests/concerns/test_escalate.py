"""A low-level concern is escalated on its own when more comes to light (the matrix, Tier 2).

"Investigate further with a clear view that this could be escalated to a full LADO referral if more
information comes to light"; "At any point if the threshold for referral to LADO may be met then a referral
should be submitted" — not only through a pattern review.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.clock import on
from threshold.allegations.advice import allegation_advice
from threshold.allegations.checklist import pack_for
from threshold.allegations.facts import allegation_facts
from threshold.allegations.models import Allegation, Referral
from threshold.audit.models import AuditEvent
from threshold.chronology.models import ChronologyEntry
from threshold.concerns import services
from threshold.concerns.models import Concern, ConcernStatus, PatternFinding
from threshold.core.errors import ConflictError
from threshold.lado.models import Contact
from threshold.policy.clocks import RESOLUTION_TARGETS, timescales_at_level
from threshold.timescales.models import Deadline

from .conftest import TIER_2_FACTS, UNSUITABLE

pytestmark = pytest.mark.django_db

MORE = "A second pupil now says Chris messaged them on social media late at night."
# What has come to light may have harmed a child; the other limbs are not known yet.
MAY_HAVE_HARMED: dict[str, bool | None] = {
    "harmed_or_may_have_harmed_child": True,
    "possible_criminal_offence": None,
    "behaviour_indicates_risk_of_harm": True,
    "may_be_unsuitable_to_work_with_children": False,
}


def _low_level(persona, concern: Concern) -> Concern:
    services.concern_triage(
        actor=persona("hana"), concern=concern, expected_version=concern.version,
        raw_facts=TIER_2_FACTS, decision="low_level", rationale="Tier 2: inconsistent with the code of conduct.",
    )  # fmt: skip
    concern.refresh_from_db()
    return concern


def test_hana_escalates_a_low_level_concern_to_an_allegation_and_a_lado_referral_when_more_comes_to_light(
    share, persona
) -> None:
    concern = _low_level(persona, share(persona("tom")))
    allegation = services.concern_escalate(
        actor=persona("hana"),
        concern=concern,
        expected_version=concern.version,
        came_to_light=MORE,
        threshold_answers=MAY_HAVE_HARMED,
    )
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ALLEGATION
    assert concern.escalated_to == allegation
    assert allegation.concern == concern
    assert MORE in allegation.summary
    # The referral reaches the LADO of the setting's area at once.
    referral = Referral.objects.get(allegation=allegation)
    assert Contact.objects.filter(referral=referral).exists()
    assert AuditEvent.objects.filter(action="concern.escalated", record_id=str(concern.pk)).exists()
    assert ChronologyEntry.objects.filter(concern=concern, text__contains=allegation.reference).exists()


def test_nothing_is_escalated_without_what_came_to_light(share, persona) -> None:
    concern = _low_level(persona, share(persona("tom")))
    before = Allegation.objects.count()
    with pytest.raises(ValidationError) as error:
        services.concern_escalate(
            actor=persona("hana"),
            concern=concern,
            expected_version=concern.version,
            came_to_light="  ",
            threshold_answers=MAY_HAVE_HARMED,
        )
    assert error.value.message_dict["came_to_light"] == ["Enter what has come to light since the concern was triaged"]
    assert Allegation.objects.count() == before
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.LOW_LEVEL


def test_a_concern_not_yet_triaged_is_triaged_not_escalated(share, persona) -> None:
    concern = share(persona("tom"))
    with pytest.raises(ValidationError, match="Only a low-level concern can be escalated"):
        services.concern_escalate(
            actor=persona("hana"),
            concern=concern,
            expected_version=concern.version,
            came_to_light=MORE,
            threshold_answers=MAY_HAVE_HARMED,
        )


def test_escalating_twice_from_the_same_form_opens_one_allegation(share, persona) -> None:
    concern = _low_level(persona, share(persona("tom")))
    loaded_at = concern.version
    services.concern_escalate(
        actor=persona("hana"),
        concern=concern,
        expected_version=loaded_at,
        came_to_light=MORE,
        threshold_answers=MAY_HAVE_HARMED,
    )
    before = Allegation.objects.count()
    stale = Concern.objects.get(pk=concern.pk)
    with pytest.raises((ConflictError, ValidationError)):
        services.concern_escalate(
            actor=persona("hana"),
            concern=stale,
            expected_version=loaded_at,
            came_to_light=MORE,
            threshold_answers=MAY_HAVE_HARMED,
        )
    assert Allegation.objects.count() == before


def test_on_the_page_hana_escalates_with_the_error_beside_the_box_first_and_lands_on_the_new_allegation(
    share, persona, signed_in
) -> None:
    concern = _low_level(persona, share(persona("tom")))
    page = signed_in("hana")
    detail = page.get(reverse("concern_detail", args=[concern.pk])).content.decode()
    assert "Escalate to an allegation" in detail
    url = reverse("concern_escalate", args=[concern.pk])
    refused = page.post(url, {"version": concern.version, "reason": ""}).content.decode()
    assert "Enter what has come to light since the concern was triaged" in refused
    assert "govuk-error-summary" in refused
    done = page.post(url, {"version": concern.version, "reason": MORE, "harmed_or_may_have_harmed_child": "yes"})
    concern.refresh_from_db()
    assert done.status_code == 302
    assert done.url == reverse("allegation_detail", args=[concern.escalated_to_id])
    after = page.get(reverse("concern_detail", args=[concern.pk])).content.decode()
    assert concern.escalated_to_id is not None
    allegation = Allegation.objects.get(pk=concern.escalated_to_id)
    assert f"Allegation {allegation.reference}" in after
    assert "Escalate to an allegation" not in after


def test_the_escalated_allegation_is_a_tier_3_allegation_with_its_targets_not_the_low_level_concerns_tier_2(
    share, persona, signed_in
) -> None:
    concern = _low_level(persona, share(persona("tom")))
    with on(dt.date(2026, 12, 21)):
        allegation = services.concern_escalate(
            actor=persona("hana"),
            concern=concern,
            expected_version=concern.version,
            came_to_light=MORE,
            threshold_answers=MAY_HAVE_HARMED,
        )

    advice = allegation_advice(allegation)
    assert advice.assessment.level == "tier-3"  # the trust's "requires referral to LADO"; triage gave Tier 2
    assert allegation.threshold_answers == {
        "harmed_or_may_have_harmed_child": True,
        "behaviour_indicates_risk_of_harm": True,
        "may_be_unsuitable_to_work_with_children": False,
    }
    # The facts the concern was triaged on otherwise stand: the code of conduct, the pattern. A limb not known now
    # is not known: the triage's "No" to it does not stand either.
    facts = allegation_facts(allegation)
    assert facts["inconsistent_with_code_of_conduct"] is True
    assert "possible_criminal_offence" not in facts
    targets = set(
        Deadline.objects.filter(allegation=allegation, kind__startswith="resolve-target").values_list("kind", flat=True)
    )
    assert targets == {
        timescale.id for timescale in timescales_at_level(pack_for(allegation), "tier-3", ids=RESOLUTION_TARGETS)
    }
    assert targets
    with on(dt.date(2026, 12, 21)):
        page = signed_in("hana").get(reverse("allegation_detail", args=[allegation.pk])).content.decode()
    assert "Tier 3" in page
    event = AuditEvent.objects.get(action="concern.escalated", record_id=str(concern.pk))
    assert event.details["threshold"] == allegation.threshold_answers


def test_without_a_yes_to_the_harm_threshold_nothing_is_escalated_and_both_errors_show_at_once(
    share, persona, signed_in
) -> None:
    concern = _low_level(persona, share(persona("tom")))
    before = Allegation.objects.count()
    url = reverse("concern_escalate", args=[concern.pk])
    form = signed_in("hana").get(url).content.decode()
    assert "Has the adult behaved in a way that has harmed, or may have harmed, a child?" in form

    refused = (
        signed_in("hana")
        .post(url, {"version": concern.version, "reason": "", "harmed_or_may_have_harmed_child": "no"})
        .content.decode()
    )

    assert 'href="#id_reason">Enter what has come to light since the concern was triaged' in refused
    assert "Answer Yes to at least one question about the harm threshold" in refused
    assert 'href="#id_harmed_or_may_have_harmed_child">' in refused
    with pytest.raises(ValidationError) as error:
        services.concern_escalate(
            actor=persona("hana"),
            concern=concern,
            expected_version=concern.version,
            came_to_light=MORE,
            threshold_answers=dict.fromkeys(MAY_HAVE_HARMED),
        )
    assert "harmed_or_may_have_harmed_child" in error.value.message_dict
    assert Allegation.objects.count() == before
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.LOW_LEVEL


def _pattern_found(persona, share) -> PatternFinding:
    """Hana's review of the last two months finds a pattern in the low-level concerns about the adult Tom names."""
    concern = _low_level(persona, share(persona("tom")))
    today = timezone.localdate()
    review = services.pattern_review_start(
        actor=persona("hana"),
        organisation=concern.organisation,
        period_start=today - dt.timedelta(days=60),
        period_end=today,
    )
    return services.pattern_finding_record(
        actor=persona("hana"), review=review, subject=concern.subject, pattern_found=True, findings="Alike concerns."
    )


def test_a_pattern_escalated_with_the_harm_threshold_answered_is_a_tier_3_allegation_with_its_targets(
    share, persona
) -> None:
    finding = _pattern_found(persona, share)

    allegation = services.pattern_finding_escalate(actor=persona("hana"), finding=finding, threshold_answers=UNSUITABLE)

    advice = allegation_advice(allegation)
    # Opened without a triage of its own, it had no tier and no targets before the threshold was asked.
    assert (advice.answered, advice.assessment.level) == (True, "tier-3")
    assert Deadline.objects.filter(allegation=allegation, kind__startswith="resolve-target").exists()
    event = AuditEvent.objects.get(action="pattern_review.escalated")
    assert event.details["threshold"] == UNSUITABLE


def test_a_pattern_already_escalated_opens_no_form_and_goes_back_to_its_review(share, persona, signed_in) -> None:
    finding = _pattern_found(persona, share)
    services.pattern_finding_escalate(actor=persona("hana"), finding=finding, threshold_answers=UNSUITABLE)

    response = signed_in("hana").get(reverse("pattern_finding_escalate", args=[finding.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("pattern_review_detail", args=[finding.review_id])
    assert "This pattern has already been escalated." in response.content.decode()
