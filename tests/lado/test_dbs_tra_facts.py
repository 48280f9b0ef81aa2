"""DBS, TRA and Ofsted on the LADO side: the advice can say "required", and a teacher is a recorded fact (issue 13).

The DBS: "There is a legal duty to refer to the DBS anyone who has been
removed from regulated activity because they harmed, or posed a risk of harm
to, a child, or who would have been removed had they not left" (Safeguarding
Vulnerable Groups Act 2006; the protocol's data set asks for the "Referral to
and date of DBS referral"). The TRA for a teacher (KCSIE Part 4): "Head of
Maths" is a teacher, "teaching assistant" is not, whatever the role says.
The Ofsted 14-day clock (EYFS) shows among an early years case's timescales.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.lado.nursery import accept_employers_outcome, lara_decides, not_known_reasons, open_nursery_case
from threshold.accounts.models import Organisation
from threshold.core.record_ids import encode as rid
from threshold.lado.models import Case, Conclusion, Contact
from threshold.lado.services.conclusion import body_questions, case_conclude, referral_advice
from threshold.lado.services.contacts import contact_record

A_CALL: dict[str, Any] = {
    "method": "phone",
    "source": "employer",
    "referrer_name": "Hana Head",
    "referrer_agency": "Oakfield Primary School",
    "employer_name": "Oakfield Primary School",
    "summary": "A member of staff pushed a pupil against a wall.",
}


def text_of(response: Any) -> str:
    """The page's text with tags removed and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def case_about(persona, northshire: Organisation, *, name: str, role: str, teacher: bool | None) -> Case:
    """Lara records Hana's phone call about an adult in ``role`` (a teacher or not, as answered) and decides Tier 2."""
    contact = contact_record(
        actor=persona("lara"),
        local_authority=northshire,
        received_at=timezone.now() - dt.timedelta(hours=2),
        adult_name=name,
        adult_role=role,
        subject_is_teacher=teacher,
        **A_CALL,
    )
    return lara_decides(persona, contact, "tier-2")


def asked(case: Case) -> list[str]:
    """The bodies the conclusion asks about."""
    return [question.body for question in body_questions(case)]


# ---------------------------------------------------------------- a teacher is a recorded fact


def test_a_head_of_maths_recorded_as_a_teacher_is_asked_about_the_tra_at_conclusion(
    persona, northshire: Organisation
) -> None:
    case = case_about(persona, northshire, name="Mia Mathsteacher", role="Head of Maths", teacher=True)
    assert asked(case) == ["dbs", "tra"]


def test_a_teaching_assistant_recorded_as_not_a_teacher_is_not_asked_about_the_tra(
    persona, northshire: Organisation
) -> None:
    case = case_about(persona, northshire, name="Tia Assistant", role="Teaching assistant", teacher=False)
    assert "tra" not in asked(case)


def test_the_word_teacher_in_the_role_is_not_taken_as_the_answer(persona, northshire: Organisation) -> None:
    case = case_about(persona, northshire, name="Cal Classteacher", role="Class teacher", teacher=None)
    assert "tra" not in asked(case)


def test_the_contact_page_shows_the_teacher_answer_and_the_decision_form_starts_from_it(
    persona, signed_in, northshire: Organisation
) -> None:
    contact = contact_record(
        actor=persona("lara"),
        local_authority=northshire,
        received_at=timezone.now() - dt.timedelta(hours=2),
        adult_name="Mia Mathsteacher",
        adult_role="Head of Maths",
        subject_is_teacher=True,
        **A_CALL,
    )
    client = signed_in("lara")
    page = text_of(client.get(f"/lado/contacts/{rid(contact.pk)}/"))
    decide = client.get(f"/lado/contacts/{rid(contact.pk)}/decision/").content.decode()
    assert "Is the adult a teacher? Yes" in page
    assert re.search(r'name="subject_is_teacher" type="checkbox" value="on" checked', decide)


def test_lara_answers_the_teacher_question_on_the_contact_form(signed_in) -> None:
    today = timezone.localdate()
    page = signed_in("lara").post(
        "/lado/contacts/new/",
        {
            "received_day": today.day,
            "received_month": today.month,
            "received_year": today.year,
            "received_time": "00:01",
            **A_CALL,
            "adult_name": "Mia Mathsteacher",
            "adult_role": "Head of Maths",
            "subject_is_teacher": "yes",
        },
    )
    assert page.status_code == 302
    assert page.url.startswith("/lado/contacts/")
    assert Contact.objects.get(adult_name="Mia Mathsteacher").subject_is_teacher is True


# ---------------------------------------------------------------- the DBS can be "required"


@pytest.fixture
def nursery_case(persona, ids: dict[str, int]) -> Case:
    """Little Acorns' referral about Nell, decided Tier 2 by Lara, who has accepted the nursery's outcome."""
    case = open_nursery_case(persona, ids)
    accept_employers_outcome(persona, case)
    return case


@pytest.mark.parametrize(
    ("outcome", "regulated_activity", "required"),
    [
        ("unsubstantiated", "removed", True),
        ("unsubstantiated", "would_have_been", True),
        ("substantiated", "left", True),
        ("unsubstantiated", "left", False),
        ("substantiated", "not_removed", False),
        ("substantiated", "not_known", False),
        ("substantiated", "", False),
    ],
)
def test_the_dbs_referral_is_required_when_the_adult_was_removed_from_regulated_activity_or_would_have_been(
    nursery_case: Case, outcome: str, regulated_activity: str, required: bool
) -> None:
    dbs = referral_advice(nursery_case, outcome, regulated_activity)["dbs"]
    assert dbs.required is required


def test_removed_from_regulated_activity_makes_a_teachers_tra_referral_one_to_consider(
    persona, northshire: Organisation
) -> None:
    case = case_about(persona, northshire, name="Mia Mathsteacher", role="Head of Maths", teacher=True)
    assert referral_advice(case, "unsubstantiated", "removed")["tra"].consider is True
    assert referral_advice(case, "unsubstantiated", "not_removed")["tra"].consider is False


def test_lara_records_at_conclusion_that_nell_was_removed_from_regulated_activity(persona, nursery_case: Case) -> None:
    conclusion = case_conclude(
        actor=persona("lara"),
        case=nursery_case,
        outcome="substantiated",
        concluded_on=timezone.localdate(),
        summary="Substantiated: the nursery dismissed Nell.",
        lessons="",
        referrals=[
            {"body": "dbs", "referred": True, "referred_on": timezone.localdate(), "reference": "DBS-1"},
            {"body": "ofsted", "referred": True, "referred_on": timezone.localdate(), "reference": "OF-1"},
        ],
        expected_version=nursery_case.version,
        regulated_activity="removed",
        missing_reasons=not_known_reasons(nursery_case),
    )
    assert Conclusion.objects.get(pk=conclusion.pk).regulated_activity == "removed"


def test_an_answer_that_is_not_one_of_the_choices_is_refused(persona, nursery_case: Case) -> None:
    with pytest.raises(ValidationError) as raised:
        case_conclude(
            actor=persona("lara"),
            case=nursery_case,
            outcome="substantiated",
            concluded_on=timezone.localdate(),
            summary="Substantiated.",
            lessons="",
            referrals=[],
            expected_version=nursery_case.version,
            regulated_activity="sacked",
        )
    assert "regulated_activity" in raised.value.message_dict


def test_the_conclusion_page_asks_about_regulated_activity_and_the_dbs_advice_says_required(
    signed_in, nursery_case: Case
) -> None:
    client = signed_in("lara")
    today = timezone.localdate()
    url = f"/lado/cases/{rid(nursery_case.pk)}/conclude/"
    form = text_of(client.get(url))
    assert "Was the adult removed from regulated activity?" in form
    page = client.post(
        url,
        {
            "version": nursery_case.version,
            "outcome": "unsubstantiated",
            "regulated_activity": "removed",
            "summary": "Unsubstantiated; the nursery dismissed Nell for other reasons.",
            **{f"concluded_on_{part}": getattr(today, part) for part in ("day", "month", "year")},
        },
    )
    text = text_of(page)
    assert page.status_code == 200
    assert "The pack's advice: referral required." in text
    assert "Say whether a referral was made to the Disclosure and Barring Service (DBS)" in text


def test_the_case_page_shows_the_regulated_activity_answer_once_concluded(
    persona, signed_in, nursery_case: Case
) -> None:
    case_conclude(
        actor=persona("lara"),
        case=nursery_case,
        outcome="substantiated",
        concluded_on=timezone.localdate(),
        summary="Substantiated.",
        lessons="",
        referrals=[
            {"body": "dbs", "referred": True, "referred_on": timezone.localdate(), "reference": "DBS-1"},
            {"body": "ofsted", "referred": True, "referred_on": timezone.localdate(), "reference": "OF-1"},
        ],
        expected_version=nursery_case.version,
        regulated_activity="would_have_been",
        missing_reasons=not_known_reasons(nursery_case),
    )
    text = text_of(signed_in("mo").get(f"/lado/cases/{rid(nursery_case.pk)}/"))
    assert "Removed from regulated activity They would have been, but they left or resigned first" in text


# ---------------------------------------------------------------- Ofsted's 14 days (EYFS)


def test_the_ofsted_14_day_clock_shows_among_the_nursery_cases_timescales(signed_in, nursery_case: Case) -> None:
    html = signed_in("lara").get(f"/lado/cases/{rid(nursery_case.pk)}/").content.decode()
    start = html.index('id="timescales"')
    # The case page's Timescales section: from its heading to the next section's.
    section = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start : html.index("<h2", start)]))
    due = nursery_case.received_on + dt.timedelta(days=14)
    assert f"Ofsted notified (early years) {due.day} {due:%B %Y} Due" in section
