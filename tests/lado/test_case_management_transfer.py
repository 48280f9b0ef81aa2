"""Case management passes from children's social care to the LADO (issue 13; the protocol, audit row 23).

"If further strategy meetings are not required consideration should be given to transferring the management of
the case to the LADO. If transferred, any future meetings held will be meetings chaired by the LADO."
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from threshold.accounts.models import Organisation
from threshold.audit.models import AuditEvent
from threshold.chronology.services import chronology_of
from threshold.core.errors import ConflictError
from threshold.lado.models import Case, Contact
from threshold.lado.services.case_management import case_transfer_management, default_meeting_kind
from threshold.lado.services.contacts import contact_record
from threshold.lado.services.decisions import contact_decide

TODAY = timezone.localdate  # asked when used, not when the module loads: a run may cross midnight
SIGNIFICANT_HARM = {
    "works_with_children": True,
    "adult_identified": True,
    "behaviour_indicates_risk_of_harm": True,
    "potential_significant_harm": True,
}
NO_MORE_STRATEGY_MEETINGS = "The strategy meeting agreed no further strategy meetings are required."


@pytest.fixture
def csc_case(persona, northshire: Organisation) -> Case:
    """A Tier 1 case where significant harm is possible: children's social care chairs the strategy meeting."""
    contact: Contact = contact_record(
        actor=persona("lara"),
        local_authority=northshire,
        received_at=timezone.now() - dt.timedelta(days=3),
        method="phone",
        source="childrens_social_care",
        referrer_name="Sol Socialworker",
        referrer_agency="Northshire Children's Social Care",
        adult_name="Robyn Youthleader",
        employer_name="Northshire Youth Club",
        summary="A young person disclosed that the volunteer hit them.",
    )
    decision = contact_decide(
        actor=persona("lara"),
        contact=contact,
        expected_version=contact.version,
        facts=SIGNIFICANT_HARM,
        level="tier-1",
        override_reason="Decided on the facts given.",
    )
    assert decision.case is not None
    return decision.case


def _transfer(persona, case: Case, **overrides) -> Case:
    values = {
        "managed_by": "lado",
        "transferred_on": TODAY(),
        "reason": NO_MORE_STRATEGY_MEETINGS,
        "expected_version": case.version,
        **overrides,
    }
    return case_transfer_management(actor=persona("lara"), case=case, **values)


def _checked_kind(html: str) -> str:
    """The meeting kind the new meeting form has chosen."""
    match = re.search(r'name="kind" type="radio" value="(\w+)" checked', html)
    return match.group(1) if match else ""


def test_a_case_where_significant_harm_is_possible_starts_managed_by_childrens_social_care(csc_case: Case) -> None:
    assert csc_case.managed_by == "childrens_social_care"
    assert default_meeting_kind(csc_case) == "strategy"


def test_a_case_without_that_advice_is_managed_by_the_lado(chris_case: Case) -> None:
    assert chris_case.managed_by == "lado"
    assert default_meeting_kind(chris_case) == "allegations_management"


def test_lara_transfers_the_management_to_the_lado_with_its_date_and_reason(persona, csc_case: Case) -> None:
    case = _transfer(persona, csc_case)
    case.refresh_from_db()
    assert case.managed_by == "lado"
    assert case.management_transferred_on == TODAY()
    assert case.management_transfer_reason == NO_MORE_STRATEGY_MEETINGS
    event = AuditEvent.objects.get(action="case.management_transferred", record_id=str(case.pk))
    assert event.changes["managed_by"] == ["childrens_social_care", "lado"]
    assert "passed from children's social care to the lado" in chronology_of(case)[-1].text.lower()


def test_after_the_transfer_future_meetings_are_chaired_by_the_lado(persona, signed_in, csc_case: Case) -> None:
    client = signed_in("lara")
    before = client.get(reverse("meeting_new", args=[csc_case.pk])).content.decode()
    assert _checked_kind(before) == "strategy"
    _transfer(persona, csc_case)
    after = client.get(reverse("meeting_new", args=[csc_case.pk])).content.decode()
    assert _checked_kind(after) == "allegations_management"
    assert 'value="Lara' in after  # the case's LADO is offered as the chair


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"reason": " "}, "reason", "Enter why the management of the case is transferred"),
        ({"transferred_on": None}, "transferred_on", "Enter the date the management of the case was transferred"),
        (
            {"transferred_on": "tomorrow"},
            "transferred_on",
            "The date of the transfer must be today or in the past",
        ),
        ({"managed_by": "childrens_social_care"}, "managed_by", "Children's social care already manages the case"),
        ({"managed_by": "police"}, "managed_by", "Choose who manages the case from now on"),
    ],
)
def test_a_transfer_needs_a_new_manager_a_date_and_a_reason(persona, csc_case: Case, overrides, field, message) -> None:
    tomorrow = TODAY() + dt.timedelta(days=1)
    overrides = {name: tomorrow if value == "tomorrow" else value for name, value in overrides.items()}
    with pytest.raises(ValidationError) as refused:
        _transfer(persona, csc_case, **overrides)
    assert refused.value.message_dict[field] == [message]
    csc_case.refresh_from_db()
    assert csc_case.managed_by == "childrens_social_care"


def test_a_stale_transfer_conflicts_and_saves_nothing(persona, csc_case: Case) -> None:
    with pytest.raises(ConflictError):
        _transfer(persona, csc_case, expected_version=csc_case.version - 1)
    csc_case.refresh_from_db()
    assert csc_case.managed_by == "childrens_social_care"


def test_sam_of_southvale_cannot_transfer_a_northshire_case(persona, csc_case: Case) -> None:
    with pytest.raises(PermissionDenied):
        case_transfer_management(
            actor=persona("sam"),
            case=csc_case,
            managed_by="lado",
            transferred_on=TODAY(),
            reason="x",
            expected_version=csc_case.version,
        )


def test_the_case_page_shows_who_manages_the_case_and_the_transfer_form_records_it(signed_in, csc_case: Case) -> None:
    client = signed_in("lara")
    page = client.get(reverse("case_detail", args=[csc_case.pk])).content.decode()
    assert "Who manages the case" in page
    assert "Children&#39;s social care" in page or "Children's social care" in page
    url = reverse("case_management_transfer", args=[csc_case.pk])
    refused = client.post(url, {"version": csc_case.version, "managed_by": "lado"})
    assert refused.status_code == 200
    assert "Enter why the management of the case is transferred" in refused.content.decode()
    done = client.post(
        url,
        {
            "version": csc_case.version,
            "managed_by": "lado",
            "transferred_on_day": TODAY().day,
            "transferred_on_month": TODAY().month,
            "transferred_on_year": TODAY().year,
            "reason": NO_MORE_STRATEGY_MEETINGS,
        },
    )
    assert done.status_code == 302
    page = client.get(reverse("case_detail", args=[csc_case.pk])).content.decode()
    assert NO_MORE_STRATEGY_MEETINGS in page
    assert "Chaired by the LADO" in page
