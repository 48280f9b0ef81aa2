"""How long the LADO service keeps a case's record, from its pack, on the case page.

The Bedford and Luton protocol sets no period, so the pack restates KCSIE: "Keep the record at least until the
adult has reached normal pension age or for 10 years from the date of the allegation if that is longer"; a
record of child sexual abuse is preserved (the IICSA instruction) whatever the period.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from threshold.lado.models import Case, ConsultationReason, Level
from threshold.lado.selectors import case_retention
from threshold.lado.services.contacts import contact_record
from threshold.lado.services.decisions import contact_decide, contact_reopen

pytestmark = pytest.mark.django_db


def kept_until(signed_in, case: Case) -> str:
    """The "Keep the record until" row of the case page as Lara sees it."""
    html = signed_in("lara").get(reverse("case_detail", args=[case.pk])).content.decode()
    row = html[html.index("Keep the record until") :]
    return row[: row.index("</dd>")]


def test_the_record_is_kept_until_the_adult_s_pension_age_when_that_is_later_than_ten_years(
    signed_in, chris_case
) -> None:
    Case.objects.filter(pk=chris_case.pk).update(
        adult_date_of_birth=dt.date(1980, 2, 1), received_on=dt.date(2026, 1, 5), abuse_categories=["physical"]
    )
    chris_case.refresh_from_db()
    assert case_retention(chris_case).keep_until == dt.date(2048, 2, 1)  # State Pension age 68 (born 1980)
    row = kept_until(signed_in, chris_case)
    assert "1 February 2048" in row
    assert "normal pension age or for 10 years from the date of the allegation" in row


def test_ten_years_from_the_referral_when_the_adult_reaches_pension_age_sooner(signed_in, chris_case) -> None:
    Case.objects.filter(pk=chris_case.pk).update(
        adult_date_of_birth=dt.date(1962, 6, 1), received_on=dt.date(2026, 1, 5), abuse_categories=["physical"]
    )
    chris_case.refresh_from_db()
    assert "5 January 2036" in kept_until(signed_in, chris_case)


def test_without_the_adult_s_date_of_birth_no_date_is_given_that_may_be_too_early(signed_in, chris_case) -> None:
    Case.objects.filter(pk=chris_case.pk).update(adult_date_of_birth=None, abuse_categories=["physical"])
    chris_case.refresh_from_db()
    assert "Cannot be worked out until the adult&#39;s date of birth is recorded" in kept_until(signed_in, chris_case)


def test_a_case_of_sexual_abuse_is_preserved_whatever_the_period(signed_in, chris_case) -> None:
    Case.objects.filter(pk=chris_case.pk).update(
        adult_date_of_birth=dt.date(1980, 2, 1), abuse_categories=["physical", "sexual"]
    )
    chris_case.refresh_from_db()
    row = kept_until(signed_in, chris_case)
    assert "Preserved (no end date)" in row
    assert "Independent Inquiry into Child Sexual Abuse" in row


def test_a_consultation_says_the_protocol_keeps_it_with_no_end_date(signed_in, ids) -> None:
    """Protocol, consultation: "It is important that these details are recorded and could be drawn upon if
    further concerns come about in relation to that individual" (no period is set)."""
    html = signed_in("lara").get(reverse("contact_detail", args=[ids["contact_consultation"]])).content.decode()
    row = html[html.index("Keep the record until") :]
    row = row[: row.index("</dd>")]
    assert "No end date is set." in row
    assert "could be drawn upon if further concerns come about" in row
    referral = signed_in("lara").get(reverse("contact_detail", args=[ids["contact_chris"]])).content.decode()
    assert "Keep the record until" not in referral  # the case keeps it, on the case page


def test_a_sexual_interest_in_children_found_at_the_decision_preserves_the_record(signed_in, chris_case) -> None:
    """The pack's IICSA hold is for "a sexual interest in children" as well as sexual abuse: the decision that
    opened the case answered it, even where the data set's categories do not say so."""
    Case.objects.filter(pk=chris_case.pk).update(adult_date_of_birth=dt.date(1980, 2, 1), abuse_categories=["conduct"])
    decision = chris_case.decisions.order_by("-recorded_at", "-pk").first()
    assert decision is not None
    type(decision).objects.filter(pk=decision.pk).update(
        facts={**decision.facts, "sexual_interest_in_children_concern": True}
    )
    chris_case.refresh_from_db()
    assert "Preserved (no end date)" in kept_until(signed_in, chris_case)


def test_a_partner_who_sees_only_the_summary_is_not_shown_how_long_it_is_kept(signed_in, chris_case) -> None:
    """From the date (State Pension age) the adult's date of birth could be worked out."""
    Case.objects.filter(pk=chris_case.pk).update(adult_date_of_birth=dt.date(1980, 2, 1))
    page = signed_in("pat").get(reverse("case_detail", args=[chris_case.pk])).content.decode()
    assert chris_case.summary in page
    assert "Recording data set" not in page  # the summary only
    assert "Keep the record until" not in page
    assert "2048" not in page


def test_a_consultation_reopened_for_a_later_contact_is_kept_by_the_facts_it_was_decided_on(
    persona, new_contact, northshire
) -> None:
    # Lara recorded a concern about a sexual interest in children as a consultation; a later contact reopens it
    lara = persona("lara")
    contact_decide(
        actor=lara, contact=new_contact, level=Level.CONSULTATION, expected_version=new_contact.version,
        facts={"works_with_children": True, "sexual_interest_in_children_concern": True},
        override_reason="Hearsay at the time.", consultation_reason=ConsultationReason.values[0],
        rationale="Nothing to act on yet.",
    )  # fmt: skip
    new_contact.refresh_from_db()
    later = contact_record(
        actor=lara, local_authority=northshire, received_at=timezone.now(), method="phone", source="parent",
        referrer_name="A parent", adult_name="Robyn Youthleader", summary="A second report.",
    )  # fmt: skip
    reopened = contact_reopen(
        actor=lara, contact=new_contact, prompted_by=later, level=Level.TIER_1,
        reason="A second report: a pattern is emerging.", expected_version=new_contact.version,
    )  # fmt: skip
    case = Case.objects.get(decisions=reopened)
    # The case keeps the record under the IICSA hold, read from the reopened decision's facts (the later
    # contact's own decision, recorded in the same moment, carries none)
    assert case_retention(case).holds
