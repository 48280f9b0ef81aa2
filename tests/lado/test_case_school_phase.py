"""A school referral's phase of education on the case: the employer's in Threshold, or the one the LADO records."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from threshold.audit.models import AuditEvent
from threshold.lado.models import Case
from threshold.lado.services import cases as services


def _agencies(case: Case, **overrides: str) -> dict[str, str]:
    data = {
        "version": str(case.version),
        "referring_agency": case.referring_agency,
        "employer_name": case.employer_name,
        "sector": case.sector,
        "school_phase": case.school_phase,
        "adult_role": case.adult_role,
    }
    data.update(overrides)
    return data


def test_the_case_page_gives_the_phase_of_the_school_employer_in_threshold(signed_in, chris_case) -> None:
    html = signed_in("lara").get(reverse("case_detail", args=[chris_case.pk])).content.decode()
    assert "School phase" in html
    assert "Primary (from Oakfield Primary School&#39;s record in Threshold)" in html


def test_lara_records_the_phase_of_a_school_not_in_threshold_and_the_audit_names_it(signed_in, chris_case) -> None:
    Case.objects.filter(pk=chris_case.pk).update(employer=None, employer_name="Brookfield Special School")
    chris_case.refresh_from_db()
    client = signed_in("lara")
    url = reverse("case_change_dataset", args=[chris_case.pk, "agencies"])
    assert 'name="school_phase"' in client.get(url).content.decode()
    response = client.post(url, _agencies(chris_case, school_phase="special"))
    assert response.status_code == 302
    chris_case.refresh_from_db()
    assert chris_case.school_phase == "special"
    event = AuditEvent.objects.filter(action="case.dataset_changed", record_id=str(chris_case.pk)).latest("pk")
    assert event.details["fields"] == ["school_phase"]
    assert event.changes["school_phase"] == ["", "special"]
    page = client.get(reverse("case_detail", args=[chris_case.pk])).content.decode()
    assert "Special school" in page


def test_a_phase_beside_a_sector_other_than_school_is_refused_beside_its_field(signed_in, chris_case) -> None:
    url = reverse("case_change_dataset", args=[chris_case.pk, "agencies"])
    response = signed_in("lara").post(url, _agencies(chris_case, sector="sport", school_phase="primary"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_school_phase"' in html
    assert "Choose a school phase only when the sector is school or academy" in html
    chris_case.refresh_from_db()
    assert (chris_case.sector, chris_case.school_phase) == ("school", "")


def test_the_service_refuses_a_phase_not_on_the_list_and_a_school_phase_left_behind(persona, chris_case) -> None:
    with pytest.raises(ValidationError) as unknown:
        services.case_update_dataset(
            actor=persona("lara"),
            case=chris_case,
            dataset={"school_phase": "grammar"},
            expected_version=chris_case.version,
        )
    assert unknown.value.message_dict == {"school_phase": ["Choose the school's phase of education from the list"]}
    case = services.case_update_dataset(
        actor=persona("lara"),
        case=chris_case,
        dataset={"school_phase": "secondary"},
        expected_version=chris_case.version,
    )
    with pytest.raises(ValidationError) as left_behind:
        services.case_update_dataset(
            actor=persona("lara"), case=case, dataset={"sector": "health"}, expected_version=case.version
        )
    assert "school_phase" in left_behind.value.message_dict
    case.refresh_from_db()
    assert (case.sector, case.school_phase) == ("school", "secondary")
