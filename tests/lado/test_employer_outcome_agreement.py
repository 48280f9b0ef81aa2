"""Two sides of one matter: the employer's outcome is "agreed with the LADO" only when the LADO agrees (issue 13).

The trust's policy, section 6 step 7, records whether no further action "was agreed with the LADO"; the protocol
has the LADO quality assure the outcome of a Tier 2 case ("The LADO is however available and actively monitors
timescales and quality assures the outcome"). So for an allegation referred in Threshold the employer's outcome
waits for the LADO's answer, and both sides show the same state.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from tests.lado.nursery import nursery_allegation, open_nursery_case, refer_nursery_allegation
from threshold.allegations.models import Allegation, OutcomeRecord, Step
from threshold.allegations.services import outcome_record, step_record
from threshold.core.record_ids import encode as rid
from threshold.lado.models import Case, Contact, EmployerOutcomeResponse
from threshold.lado.services.employer_link import WAITING, employer_outcome_agree
from threshold.notifications.models import Notification

LONDON = ZoneInfo("Europe/London")
DECIDED_AT = dt.datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
CONCLUDED_AT = dt.datetime(2026, 12, 3, 11, 0, tzinfo=LONDON)
AGREED_AT = dt.datetime(2026, 12, 4, 9, 30, tzinfo=LONDON)


def text_of(response: Any) -> str:
    """The page's text with tags removed and spaces collapsed."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def case(persona, ids: dict[str, int]) -> Case:
    """Lara decided Little Acorns' referral about Nell is Tier 2 on 1 December 2026."""
    with time_machine.travel(DECIDED_AT, tick=False):
        return open_nursery_case(persona, ids)


@pytest.fixture
def outcome(persona, ids: dict[str, int], case: Case) -> OutcomeRecord:
    """Nina, the nursery's case manager, records the outcome on 3 December 2026."""
    with time_machine.travel(CONCLUDED_AT, tick=False):
        return outcome_record(
            actor=persona("nina"),
            allegation=nursery_allegation(ids),
            report="Witnesses agree the child was guided by the hand, not grabbed.",
            outcome="unsubstantiated",
            concluded_on=CONCLUDED_AT.date(),
        )


def the_contact(case: Case) -> Contact:
    assert case.contact is not None
    return Contact.objects.get(pk=case.contact.pk)


def test_until_the_lado_agrees_both_sides_show_waiting_for_the_lados_agreement(
    signed_in, ids: dict[str, int], case: Case, outcome: OutcomeRecord
) -> None:
    contact = the_contact(case)
    with time_machine.travel(CONCLUDED_AT + dt.timedelta(hours=1), tick=False):
        employer = text_of(signed_in("nina").get(f"/allegations/{rid(ids['allegation_nell'])}/"))
        lara = signed_in("lara")
        on_contact = text_of(lara.get(f"/lado/contacts/{rid(contact.pk)}/"))
        on_case = text_of(lara.get(f"/lado/cases/{rid(case.pk)}/"))
    assert f"Agreed with the LADO {WAITING}" in employer
    assert "Employer's outcome recorded: waiting for the LADO's agreement" in on_contact
    for page in (on_contact, on_case):
        assert "The employer's outcome" in page
        assert "Outcome Unsubstantiated" in page
        assert "Date of the outcome 3 December 2026" in page
        assert f"Agreed with the LADO {WAITING}" in page
        assert "Agree or disagree with the employer's outcome" in page


def test_an_outcome_recorded_before_the_lado_decides_shows_in_the_inbox_not_only_new(
    persona, signed_in, ids: dict[str, int]
) -> None:
    # The newcomer's walk: Hana concluded A-3 minutes after referring it and the LADO's contact still said "New".
    contact = refer_nursery_allegation(persona, ids)
    outcome_record(
        actor=persona("nina"),
        allegation=nursery_allegation(ids),
        report="Concluded at once.",
        outcome="unfounded",
        concluded_on=dt.date.today(),
    )
    lara = signed_in("lara")
    inbox = text_of(lara.get("/lado/inbox/"))
    page = text_of(lara.get(f"/lado/contacts/{rid(contact.pk)}/"))
    assert "Employer's outcome recorded: waiting for the LADO's agreement" in inbox
    assert re.search(
        r"New (Awaiting the data set )?Employer's outcome recorded: waiting for the LADO's agreement", page
    )
    assert "Outcome Unfounded" in page


def test_the_lado_is_told_in_the_product_that_an_outcome_waits_for_agreement_without_naming_anyone(
    persona, case: Case, outcome: OutcomeRecord
) -> None:
    told = Notification.objects.get(recipient=persona("lara"), key=f"employer:outcome:{outcome.pk}")
    assert told.text == f"The employer has recorded an outcome to agree: contact {the_contact(case).reference}."
    assert "Nell" not in told.text


def test_lara_agrees_and_the_allegation_says_agreed_with_the_lado_on_4_december_2026(
    persona, signed_in, ids: dict[str, int], case: Case, outcome: OutcomeRecord
) -> None:
    contact = the_contact(case)
    with time_machine.travel(AGREED_AT, tick=False):
        lara = signed_in("lara")
        form = text_of(lara.get(f"/lado/contacts/{rid(contact.pk)}/employer-outcome/"))
        sent = lara.post(
            f"/lado/contacts/{rid(contact.pk)}/employer-outcome/", {"version": contact.version, "agreed": "yes"}
        )
        employer = text_of(signed_in("nina").get(f"/allegations/{rid(ids['allegation_nell'])}/"))
        on_case = text_of(lara.get(f"/lado/cases/{rid(case.pk)}/"))
    assert "Do you agree with the employer's outcome?" in form
    assert sent.status_code == 302
    assert "Agreed with the LADO Agreed with the LADO on 4 December 2026" in employer
    assert "Agreed with the LADO on 4 December 2026" in on_case
    assert "Agree or disagree with the employer's outcome" not in on_case
    told = Notification.objects.get(recipient=persona("nina"), text__startswith="The LADO agreed the outcome")
    assert told.url.endswith("#lado-word")


def test_not_agreeing_needs_a_reason_which_the_employer_then_sees(
    persona, signed_in, ids: dict[str, int], case: Case, outcome: OutcomeRecord
) -> None:
    contact = the_contact(case)
    with time_machine.travel(AGREED_AT, tick=False):
        lara = signed_in("lara")
        refused = text_of(
            lara.post(
                f"/lado/contacts/{rid(contact.pk)}/employer-outcome/", {"version": contact.version, "agreed": "no"}
            )
        )
        lara.post(
            f"/lado/contacts/{rid(contact.pk)}/employer-outcome/",
            {"version": contact.version, "agreed": "no", "reason": "The witness statements were not sent."},
        )
        employer = text_of(signed_in("nina").get(f"/allegations/{rid(ids['allegation_nell'])}/"))
    assert "Enter why you do not agree with the employer's outcome" in refused
    assert "Not agreed by the LADO on 4 December 2026: The witness statements were not sent." in employer


def test_choosing_nothing_is_refused_in_words_written_for_the_question(
    persona, case: Case, outcome: OutcomeRecord
) -> None:
    contact = the_contact(case)
    with pytest.raises(ValidationError) as raised:
        employer_outcome_agree(
            actor=persona("lara"), contact=contact, outcome=outcome, agreed=None, expected_version=contact.version
        )
    assert raised.value.message_dict["agreed"] == ["Choose whether you agree with the employer's outcome"]


def test_an_outcome_is_answered_once_and_a_revised_outcome_waits_for_its_own_answer(
    persona, ids: dict[str, int], case: Case, outcome: OutcomeRecord
) -> None:
    contact = the_contact(case)
    employer_outcome_agree(
        actor=persona("lara"), contact=contact, outcome=outcome, agreed=True, expected_version=contact.version
    )
    contact.refresh_from_db()
    with pytest.raises(ValidationError) as again:
        employer_outcome_agree(
            actor=persona("lara"), contact=contact, outcome=outcome, agreed=True, expected_version=contact.version
        )
    assert again.value.message_dict["__all__"] == ["The LADO has already answered this outcome"]
    revised = outcome_record(
        actor=persona("nina"),
        allegation=nursery_allegation(ids),
        report="Revised after the LADO's review.",
        outcome="unfounded",
        concluded_on=CONCLUDED_AT.date(),
    )
    assert not EmployerOutcomeResponse.objects.filter(outcome=revised).exists()
    with pytest.raises(ValidationError) as stale:
        employer_outcome_agree(
            actor=persona("lara"), contact=contact, outcome=outcome, agreed=True, expected_version=contact.version
        )
    assert stale.value.message_dict["__all__"] == ["The employer has recorded a newer outcome: answer that one"]
    assert EmployerOutcomeResponse.objects.filter(contact=contact).count() == 1


def test_the_employer_cannot_agree_on_the_lados_behalf(persona, case: Case, outcome: OutcomeRecord) -> None:
    contact = the_contact(case)
    with pytest.raises(PermissionDenied):
        employer_outcome_agree(
            actor=persona("nina"), contact=contact, outcome=outcome, agreed=True, expected_version=contact.version
        )
    assert not EmployerOutcomeResponse.objects.filter(outcome=outcome).exists()


def test_step_7_still_asks_whether_the_lado_agreed_when_the_lado_is_outside_threshold(
    persona, ids: dict[str, int]
) -> None:
    # Little Acorns has not referred Nell's allegation in Threshold: only the employer can say.
    with pytest.raises(ValidationError) as raised:
        step_record(
            actor=persona("nina"),
            allegation=nursery_allegation(ids),
            step=Step.NO_FURTHER_ACTION,
            done_on=dt.date.today(),
            decision="No further action.",
            justification="No foundation.",
            written_information="Letter.",
            written_to="Nell",
            written_by="Nina",
            action_for_individual="Return to normal duties.",
            action_for_allegers="Explain the outcome to the parents.",
        )
    assert raised.value.message_dict["agreed_with_lado"] == ["Choose whether this was agreed with the LADO"]


def test_step_7_does_not_ask_the_employer_whether_the_lado_agreed_once_referred_in_threshold(
    persona, signed_in, ids: dict[str, int], case: Case
) -> None:
    allegation: Allegation = nursery_allegation(ids)
    page = text_of(signed_in("nina").get(f"/allegations/{rid(allegation.pk)}/steps/{Step.NO_FURTHER_ACTION}/"))
    record = step_record(
        actor=persona("nina"),
        allegation=allegation,
        step=Step.NO_FURTHER_ACTION,
        done_on=dt.date.today(),
        decision="No further action.",
        justification="No foundation.",
        written_information="Letter.",
        written_to="Nell",
        written_by="Nina",
        action_for_individual="Return to normal duties.",
        action_for_allegers="Explain the outcome to the parents.",
        agreed_with_lado=True,
    )
    assert "Was this agreed with the LADO?" not in page
    assert "the LADO agrees your outcome there" in page
    assert record.agreed_with_lado is None
