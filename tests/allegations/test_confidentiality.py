"""Section 7: "The case manager should take advice from the LADO, police, and children's social care services to
agree who needs to know and, importantly, exactly what information can be shared … In the case of Trust academies,
a senior leader should make contact with the press office of the Trust"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from threshold.allegations import services
from threshold.allegations.models import Allegation, ConfidentialityRecord
from threshold.audit.models import AuditEvent


def _page(signed_in, allegation: Allegation, who: str = "hana") -> str:
    return signed_in(who).get(reverse("allegation_detail", args=[allegation.pk])).content.decode()


def _agree(persona, allegation: Allegation, **values: Any) -> ConfidentialityRecord:
    fields: dict[str, Any] = {
        "agreed_on": timezone.localdate(),
        "agreed_with": ["lado", "police", "childrens_social_care"],
        "who_needs_to_know": "The headteacher, the DSL and the PE department lead.",
        "what_may_be_shared": "Staff are told only that the coach is absent.",
        "speculation": "Any questions go to the headteacher.",
        "press_office_contacted_on": timezone.localdate(),
        **values,
    }
    return services.confidentiality_record(actor=persona("hana"), allegation=allegation, **fields)


def test_the_allegation_prompts_hana_to_agree_who_needs_to_know_and_to_contact_the_press_office(
    signed_in, chris_allegation
) -> None:
    html = _page(signed_in, chris_allegation)
    assert 'id="confidentiality"' in html
    assert "to agree who needs to know and exactly what information can be shared" in html
    assert "A senior leader should contact the Trust&#39;s press office" in html
    assert reverse("allegation_confidentiality", args=[chris_allegation.pk]) in html


def test_who_needs_to_know_and_what_may_be_shared_as_agreed_with_the_lado_police_and_childrens_social_care(
    signed_in, persona, chris_allegation
) -> None:
    _agree(persona, chris_allegation)
    html = _page(signed_in, chris_allegation)
    assert "with the LADO, the police and children&#39;s social care" in html
    assert "Staff are told only that the coach is absent." in html
    assert f"Contacted on {timezone.localdate():%-d %B %Y}" in html
    assert "to agree who needs to know and exactly" not in html
    assert "press office for advice" not in html
    assert AuditEvent.objects.filter(action="allegation.confidentiality_recorded").count() == 1


def test_a_trust_academy_records_the_press_office_contact_or_why_not(persona, chris_allegation) -> None:
    with pytest.raises(ValidationError) as raised:
        _agree(persona, chris_allegation, press_office_contacted_on=None)
    assert raised.value.message_dict["press_office_contacted_on"] == [
        "Enter the date the Trust's press office was contacted, or why it has not been contacted"
    ]
    record = _agree(
        persona, chris_allegation, press_office_contacted_on=None, press_office_not_contacted_reason="Not public."
    )
    assert record.press_office_not_contacted_reason == "Not public."


def test_it_is_agreed_with_at_least_one_of_the_lado_police_or_childrens_social_care(persona, chris_allegation) -> None:
    with pytest.raises(ValidationError) as raised:
        _agree(persona, chris_allegation, agreed_with=[], who_needs_to_know=" ")
    errors = raised.value.message_dict
    assert errors["agreed_with"] == ["Choose who it was agreed with: the LADO, the police or children's social care"]
    assert errors["who_needs_to_know"] == ["Enter who needs to know about the allegation"]
    assert not ConfidentialityRecord.objects.exists()


def test_the_form_saves_and_puts_each_error_beside_its_field(signed_in, chris_allegation) -> None:
    url = reverse("allegation_confidentiality", args=[chris_allegation.pk])
    hana = signed_in("hana")
    assert hana.get(url).status_code == 200
    response = hana.post(url, {"agreed_on_day": "", "agreed_on_month": "", "agreed_on_year": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter the date who needs to know was agreed" in html
    assert "Enter exactly what information can be shared" in html
    today = timezone.localdate()
    response = hana.post(
        url,
        {
            "agreed_on_day": today.day,
            "agreed_on_month": today.month,
            "agreed_on_year": today.year,
            "agreed_with": ["lado"],
            "who_needs_to_know": "The headteacher.",
            "what_may_be_shared": "Nothing beyond the absence.",
            "press_office_not_contacted_reason": "The LADO advised no publicity is expected.",
        },
    )
    assert response.status_code == 302
    assert ConfidentialityRecord.objects.get().agreed_with == ["lado"]


def test_a_nursery_outside_a_trust_has_no_trust_press_office(signed_in, persona, ids) -> None:
    nursery = Allegation.objects.get(pk=ids["allegation_nell"])
    html = _page(signed_in, nursery, "nina")
    assert "press office" not in html
    record = services.confidentiality_record(
        actor=persona("nina"),
        allegation=nursery,
        agreed_on=timezone.localdate() - dt.timedelta(days=1),
        agreed_with=["lado"],
        who_needs_to_know="The manager.",
        what_may_be_shared="Nothing.",
    )
    assert record.press_office_contacted_on is None
