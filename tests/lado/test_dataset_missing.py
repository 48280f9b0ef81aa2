"""What of the recording data set is still missing, on the case page and at conclusion (issue 13; audit row DS*).

The protocol: "Where an allegation is made and meets the criteria for either Tier 1 or Tier 2 the following data
should be captured: Name, Address, Date of Birth, gender and ethnicity of the adult and the victim; …"
"""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.lado.nursery import accept_employers_outcome, not_known_reasons, open_nursery_case
from tests.lado.test_decisions import INJURY
from threshold.accounts.models import Organisation, User
from threshold.lado.models import Case, CaseStatus, ConsultationReason, Contact, Decision, Level
from threshold.lado.selectors import police_required, standing_decision
from threshold.lado.services.case_agencies import case_record_investigation
from threshold.lado.services.cases import case_update_dataset
from threshold.lado.services.conclusion import case_conclude
from threshold.lado.services.contacts import contact_record
from threshold.lado.services.dataset_missing import missing_at_conclusion, missing_errors, missing_items
from threshold.lado.services.decisions import contact_decide, contact_reopen

TODAY = timezone.localdate  # asked when used, not when the module loads: a run may cross midnight


@pytest.fixture
def nursery_case(persona, ids) -> Case:
    """Little Acorns' Tier 2 case about Nell, the nursery's outcome accepted by Lara."""
    case = open_nursery_case(persona, ids)
    accept_employers_outcome(persona, case)
    case.refresh_from_db()
    return case


def _keys(case: Case) -> list[str]:
    return [item.key for item in missing_items(case)]


def _conclusion_answers(case: Case) -> dict:
    return {
        "version": case.version,
        "outcome": "unsubstantiated",
        "concluded_on_day": TODAY().day,
        "concluded_on_month": TODAY().month,
        "concluded_on_year": TODAY().year,
        "summary": "Not enough evidence either way.",
        "dbs_referred": "no",
        "dbs_explanation": "Not removed from regulated activity.",
        "ofsted_referred": "no",
        "ofsted_explanation": "The nursery notified Ofsted itself.",
    }


def test_the_case_page_lists_what_is_still_to_record_with_links_to_record_it(signed_in, chris_case: Case) -> None:
    page = signed_in("lara").get(reverse("case_detail", args=[chris_case.pk])).content.decode()
    assert "Still to record" in page
    assert "How the risk was managed" in page
    assert reverse("case_add_risk_measure", args=[chris_case.pk]) in page
    assert "case_record_body_referral" not in page  # never an internal name on a page


def test_recording_an_item_takes_it_off_the_list(persona, chris_case: Case) -> None:
    case_update_dataset(
        actor=persona("lara"),
        case=chris_case,
        dataset={"adult_address": "1 Synthetic Street", "adult_gender": "male"},
        expected_version=chris_case.version,
    )
    chris_case.refresh_from_db()
    assert "adult_address" not in _keys(chris_case)
    assert "adult_gender" not in _keys(chris_case)


def test_the_dbs_and_the_conclusion_are_asked_on_the_conclusion_form_not_again_as_missing(chris_case: Case) -> None:
    assert {"dbs_referral", "conclusion"} <= set(_keys(chris_case))
    asked = {item.key for item in missing_at_conclusion(chris_case)}
    assert not asked & {"dbs_referral", "conclusion"}


def test_conclusion_asks_for_each_missing_item_or_a_reason(persona, nursery_case: Case) -> None:
    missing = missing_at_conclusion(nursery_case)
    assert missing  # the nursery's referral did not record everything the data set asks for
    with pytest.raises(ValidationError) as refused:
        case_conclude(
            actor=persona("lara"),
            case=nursery_case,
            outcome="unsubstantiated",
            concluded_on=TODAY(),
            summary="Not enough evidence either way.",
            lessons="",
            referrals=[
                {"body": "dbs", "referred": False, "explanation": "Not removed from regulated activity."},
                {"body": "ofsted", "referred": False, "explanation": "The nursery notified Ofsted itself."},
            ],
            expected_version=nursery_case.version,
        )
    errors = refused.value.message_dict
    assert {f"missing_{item.key}" for item in missing} <= set(errors)
    first = missing[0]
    assert errors[f"missing_{first.key}"] == [
        f"{first.label} is not recorded: record it on the case, or enter why (for example, not known)"
    ]
    nursery_case.refresh_from_db()
    assert nursery_case.status == CaseStatus.OPEN


def test_the_conclusion_page_lists_each_missing_item_in_the_error_summary(signed_in, nursery_case: Case) -> None:
    client = signed_in("lara")
    url = reverse("case_conclusion", args=[nursery_case.pk])
    form = client.get(url).content.decode()
    assert "Recording data set not complete" in form
    refused = client.post(url, _conclusion_answers(nursery_case))
    html = refused.content.decode()
    assert refused.status_code == 200
    summary = html.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    for item in missing_at_conclusion(nursery_case):
        assert f'href="#id_missing_{item.key}"' in summary


def test_lara_concludes_with_a_reason_for_each_missing_item_and_the_reasons_are_kept(
    signed_in, nursery_case: Case
) -> None:
    client = signed_in("lara")
    reasons = not_known_reasons(nursery_case)
    answers = {**_conclusion_answers(nursery_case), **{f"missing_{key}": "Not known" for key in reasons}}
    done = client.post(reverse("case_conclusion", args=[nursery_case.pk]), answers)
    assert done.status_code == 302
    nursery_case.refresh_from_db()
    assert nursery_case.status == CaseStatus.CONCLUDED
    assert nursery_case.conclusions.get().missing_reasons == reasons
    page = client.get(reverse("case_detail", args=[nursery_case.pk])).content.decode()
    assert "Not recorded at conclusion" in page
    label = next(item.label for item in missing_at_conclusion(nursery_case))
    assert f"{label}: Not known".replace("'", "&#39;") in page or f"{label}: Not known" in page


# "We would always refer to the police in cases where: 1. There is injury or reported injury (to include minor
# injury such as a red mark) …" (the protocol). Chris's case was decided on a red mark: the pack required the
# police referral (``Decision.police_advised``).


def test_the_case_page_asks_for_the_police_referral_the_protocol_always_makes(signed_in, chris_case: Case) -> None:
    decision = standing_decision(chris_case)
    assert decision is not None
    assert decision.police_advised
    assert "police_referral" in _keys(chris_case)
    page = signed_in("lara").get(reverse("case_detail", args=[chris_case.pk])).content.decode()
    assert "The referral to the police (the protocol always refers an allegation like this)" in page
    assert reverse("case_record_investigation", args=[chris_case.pk, "criminal"]) in page


def test_the_police_referral_stands_for_how_it_was_investigated_until_one_is_recorded(chris_case: Case) -> None:
    # Asked once: recording the referral to the police records how the allegation was investigated
    assert "investigation" not in _keys(chris_case)


def test_lara_records_the_referral_to_the_police_and_the_list_asks_for_its_outcome_instead(
    persona, chris_case: Case
) -> None:
    case_record_investigation(
        actor=persona("lara"),
        case=chris_case,
        kind="criminal",
        outcome="ongoing",
        referred_on=TODAY(),
        reference="DEMO/0001",
        expected_version=chris_case.version,
    )
    chris_case.refresh_from_db()
    keys = _keys(chris_case)
    assert "police_referral" not in keys
    assert "outcome_criminal" in keys


def test_a_case_the_pack_did_not_require_the_police_for_is_not_asked_for_a_police_referral(
    nursery_case: Case,
) -> None:
    decision = standing_decision(nursery_case)
    assert decision is not None
    assert not decision.police_advised
    assert "police_referral" not in _keys(nursery_case)


def test_conclusion_asks_for_the_police_referral_or_why_none_was_made(chris_case: Case) -> None:
    asked = {item.key: item for item in missing_at_conclusion(chris_case)}
    assert "police_referral" in asked
    errors, kept = missing_errors(list(asked.values()), {"police_referral": "Police consulted by phone: no crime."})
    assert "missing_police_referral" not in errors
    assert kept["police_referral"] == "Police consulted by phone: no crime."


def _consultation_on_an_injury(lara: User, contact: Contact) -> Decision:
    """Lara decides a contact about an injury is only a consultation (the pack required the police referral)."""
    decision = contact_decide(
        actor=lara, contact=contact, facts=INJURY, level=Level.CONSULTATION,
        override_reason="Spoke to the employer: it was accidental.",
        consultation_reason=ConsultationReason.values[0], rationale="Accidental contact.",
        expected_version=contact.version,
    )  # fmt: skip
    assert decision.police_advised
    contact.refresh_from_db()
    return decision


@pytest.mark.parametrize("later", [False, True], ids=["on its own", "for a later contact"])
def test_a_consultation_reopened_as_a_referral_is_asked_for_the_police_referral_its_facts_required(
    persona, new_contact: Contact, northshire: Organisation, later: bool
) -> None:
    lara = persona("lara")
    _consultation_on_an_injury(lara, new_contact)
    prompted = contact_record(
        actor=lara, local_authority=northshire, received_at=timezone.now(), method="phone", source="parent",
        referrer_name="A parent", adult_name="Robyn Youthleader", summary="A second report of the same injury.",
    ) if later else None  # fmt: skip
    reopened = contact_reopen(
        actor=lara, contact=new_contact, prompted_by=prompted, level=Level.TIER_1,
        reason="The child's parent has now reported the injury.", expected_version=new_contact.version,
    )  # fmt: skip
    assert reopened.police_advised  # the reopened decision keeps what the pack said on the facts it keeps
    case = Case.objects.get(decisions=reopened)
    assert standing_decision(case) == reopened  # not the later contact's decision, which carries no facts
    assert "police_referral" in _keys(case)


def test_a_consultation_reopened_before_the_flag_was_copied_still_asks_for_the_police_referral(
    persona, new_contact: Contact
) -> None:
    lara = persona("lara")
    _consultation_on_an_injury(lara, new_contact)
    reopened = contact_reopen(
        actor=lara, contact=new_contact, prompted_by=None, level=Level.TIER_1,
        reason="The child's parent has now reported the injury.", expected_version=new_contact.version,
    )  # fmt: skip
    # As a reopened decision was written before 2026-12-07: without the flag, over the same facts
    Decision.objects.filter(pk=reopened.pk).update(police_advised=False)
    reopened.refresh_from_db()
    assert police_required(reopened)
    assert "police_referral" in _keys(Case.objects.get(decisions=reopened))


def test_a_case_concluded_before_the_police_referral_was_asked_keeps_the_reasons_it_concluded_with(
    persona, ids, signed_in
) -> None:
    case = open_nursery_case(persona, ids)
    accept_employers_outcome(persona, case)
    case.refresh_from_db()
    reasons = not_known_reasons(case)
    assert "police_referral" not in reasons
    case_conclude(
        actor=persona("lara"), case=case, outcome="unsubstantiated", concluded_on=TODAY(),
        summary="Not enough evidence either way.", lessons="",
        referrals=[
            {"body": "dbs", "referred": False, "explanation": "Not removed from regulated activity."},
            {"body": "ofsted", "referred": False, "explanation": "The nursery notified Ofsted itself."},
        ],
        missing_reasons={**reasons, "investigation": "Police consulted by phone: no crime, no referral."},
        expected_version=case.version,
    )  # fmt: skip
    # As a case concluded before the question was asked, on a decision that required the police referral
    standing = standing_decision(case)
    assert standing is not None
    Decision.objects.filter(pk=standing.pk).update(police_advised=True)
    case.refresh_from_db()
    assert "police_referral" not in _keys(case)
    page = html.unescape(signed_in("lara").get(reverse("case_detail", args=[case.pk])).content.decode())
    assert "How the allegation was investigated: Police consulted by phone" in page
    assert "The referral to the police" not in page


def test_an_import_re_run_that_says_the_police_were_not_involved_is_not_asked_for_a_police_referral() -> None:
    # An import's re-run supersedes the log's earlier answer with what the log says now, and assesses nothing
    earlier = Decision(level=Level.CONSULTATION, police_advised=True, facts={})
    now = Decision(level=Level.TIER_1, police_advised=False, facts={}, supersedes=earlier)
    assert not police_required(now)
