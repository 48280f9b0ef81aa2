"""The auditor's pages: who looked at a record, a person's access log, an organisation's events and their export."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from threshold.audit.models import AuditEvent
from threshold.core.record_ids import encode as rid
from threshold.lado.models import Case
from threshold.people.models import Person

pytestmark = pytest.mark.django_db


def test_ada_can_see_who_has_looked_at_a_case(records, signed_in) -> None:
    signed_in("lara").get(reverse("case_detail", args=[records["case_chris"]]))
    page = signed_in("ada").get(reverse("audit_record_events", args=["case", records["case_chris"]]))
    assert page.status_code == 200
    text = page.content.decode()
    case = Case.objects.get(pk=records["case_chris"])
    assert f"Lara Lado viewed case {case.reference}" in text  # in words, by the reference people quote
    assert "record.view" not in text


def test_mo_sees_the_access_log_of_a_persons_records(records, signed_in) -> None:
    signed_in("cara").get(reverse("case_detail", args=[records["case_chris"]]))
    signed_in("lara").get(reverse("person_detail", args=[records["person_la_chris"]]))
    page = signed_in("mo").get(reverse("audit_person_access_log", args=[records["person_la_chris"]]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Cara Csc" in text
    assert "Lara Lado" in text
    assert AuditEvent.objects.filter(action="audit.access_log_viewed").exists()


def test_the_organisation_events_page_filters_by_person_action_and_date(records, signed_in, persona) -> None:
    signed_in("lara").get(reverse("case_detail", args=[records["case_chris"]]))
    signed_in("mo").get(reverse("contact_detail", args=[records["contact_chris"]]))
    ada = signed_in("ada")
    today = timezone.localdate()
    response = ada.get(
        reverse("audit_events"),
        {
            "actor": persona("lara").pk,
            "action": "record.view",
            "from_day": today.day, "from_month": today.month, "from_year": today.year,
            "to_day": today.day, "to_month": today.month, "to_year": today.year,
        },
    )  # fmt: skip
    text = response.content.decode()
    assert response.status_code == 200
    assert "Lara Lado" in text
    assert "Mo Manager</td>" not in text


def test_a_half_filled_date_is_an_error_beside_the_field(records, signed_in) -> None:
    response = signed_in("ada").get(reverse("audit_events"), {"from_day": "3"})
    text = response.content.decode()
    assert "There is a problem" in text
    assert "The start date must include a month and a year" in text


def test_a_month_of_13_is_said_beside_the_date_itself_in_words_that_are_true(records, signed_in) -> None:
    response = signed_in("ada").get(reverse("audit_events"), {"from_day": "1", "from_month": "13", "from_year": "2026"})
    text = response.content.decode()
    assert "<title>Error: Audit trail" in text
    beside = re.search(r'<p id="id_from-error" class="govuk-error-message">(.*?)</p>', text, re.S)
    assert beside is not None
    assert "The start date must be a real date" in beside.group(1)
    assert 'govuk-input--error" id="id_from_month"' in text


def test_a_date_in_a_year_past_the_trails_is_an_error_not_a_failure(records, signed_in) -> None:
    response = signed_in("ada").get(reverse("audit_events"), {"to_day": "31", "to_month": "12", "to_year": "9999"})
    assert response.status_code == 200
    assert "The end date must be between 2000 and 2100" in response.content.decode()


def test_the_events_export_is_itself_audited(records, signed_in, persona) -> None:
    signed_in("lara").get(reverse("case_detail", args=[records["case_chris"]]))
    response = signed_in("ada").get(reverse("audit_events_csv"))
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Sequence", "When (UTC)", "Who", "Name"]
    assert any(row[2] == f"user:{persona('lara').pk}" and row[3] == "Lara Lado" for row in rows[1:])
    assert AuditEvent.objects.filter(action="audit.events_exported", actor=persona("ada")).exists()


def test_the_audit_trail_hides_records_about_the_auditor_themselves(records, signed_in, persona) -> None:
    mo = persona("mo")
    about_mo = Person.objects.create(
        organisation=Case.objects.get(pk=records["case_chris"]).local_authority, full_name="Mo Manager", user=mo
    )
    case = Case.objects.create(local_authority=about_mo.organisation, subject=about_mo, summary="About Mo")
    signed_in("lara").get(reverse("case_detail", args=[case.pk]))
    assert AuditEvent.objects.filter(record_type="case", record_id=str(case.pk)).exists()
    text = signed_in("mo").get(reverse("audit_events")).content.decode()
    assert f"case {case.reference}<" not in text
    assert signed_in("mo").get(reverse("audit_record_events", args=["case", case.pk])).status_code == 404
    # Ada, who is not the subject, does see it.
    assert f"case {case.reference}<" in signed_in("ada").get(reverse("audit_events")).content.decode()


@pytest.mark.parametrize("key", ["lara", "hana", "pat", "sid", "olu"])
def test_people_who_are_not_auditors_cannot_read_the_audit_trail(key: str, records, signed_in) -> None:
    client = signed_in(key)
    assert client.get(reverse("audit_events")).status_code == 403
    assert client.get(reverse("audit_events_csv")).status_code == 403


def test_the_auditor_sees_who_looked_at_a_document(records, signed_in, persona) -> None:
    document_id = records["document_case"]
    assert signed_in("lara").get(reverse("document_download", args=[document_id])).status_code == 200
    response = signed_in("ada").get(reverse("audit_record_events", args=["document", document_id]))
    assert response.status_code == 200
    assert f"Lara Lado downloaded document {rid(document_id)}" in response.content.decode()
    assert signed_in("ada").get(reverse("audit_record_events", args=["nonsense", document_id])).status_code == 404


def test_a_read_names_the_readers_organisation_and_keeps_the_records_own(records, signed_in, persona) -> None:
    pat = persona("pat")
    signed_in("pat").get(reverse("case_detail", args=[records["case_chris"]]))
    event = AuditEvent.objects.filter(action__startswith="record.", actor=pat).latest("sequence")
    case = Case.objects.get(pk=records["case_chris"])
    assert event.organisation is not None
    assert event.organisation.name == "Northshire Police"
    assert event.details["record_organisation"] == case.local_authority_id
    # Northshire's auditor still sees the police reading Northshire's case.
    text = signed_in("ada").get(reverse("audit_events")).content.decode()
    assert f"Pat Police viewed the summary of case {case.reference}<" in text


def test_a_list_that_showed_a_case_is_on_the_cases_audit_page(records, signed_in) -> None:
    signed_in("lara").get(reverse("case_list"))
    response = signed_in("ada").get(reverse("audit_record_events", args=["case", records["case_chris"]]))
    assert "Lara Lado listed cases" in response.content.decode()


def test_the_export_keeps_the_codes_beside_the_words_and_the_reference(records, signed_in) -> None:
    import csv
    import io

    signed_in("lara").get(reverse("case_detail", args=[records["case_chris"]]))
    rows = list(csv.DictReader(io.StringIO(signed_in("ada").get(reverse("audit_events_csv")).content.decode())))
    case = Case.objects.get(pk=records["case_chris"])
    read = next(row for row in rows if row["Action"] == "record.view" and row["Record id"] == str(case.pk))
    assert read["Record reference"] == case.reference
    assert read["What happened"] == f"Lara Lado viewed case {case.reference}"


def test_the_trails_filters_never_offer_someone_or_something_seen_only_on_a_record_about_the_auditor(
    records, signed_in, persona
) -> None:
    from threshold.audit.context import AuditContext
    from threshold.audit.services import audit_record

    mo = persona("mo")
    northshire = Case.objects.get(pk=records["case_chris"]).local_authority
    about_mo = Person.objects.create(organisation=northshire, full_name="Mo Manager", user=mo)
    case = Case.objects.create(local_authority=northshire, subject=about_mo, summary="About Mo")
    # Sid, who acts on nothing else in the trail Mo reads, does one thing, found nowhere else, to the case about Mo.
    audit_record(
        context=AuditContext.for_user(persona("sid"), organisation=northshire),
        action="case.quality_assured",
        record_type="case",
        record_id=case.pk,
    )
    offered_to_mo = signed_in("mo").get(reverse("audit_events")).content.decode()
    assert "Sid " not in offered_to_mo
    assert 'value="case.quality_assured"' not in offered_to_mo
    # Ada, who is not the subject, is offered both.
    offered_to_ada = signed_in("ada").get(reverse("audit_events")).content.decode()
    assert f'value="{persona("sid").pk}"' in offered_to_ada
    assert 'value="case.quality_assured"' in offered_to_ada


def test_viewing_or_exporting_the_trail_keeps_the_filters_as_read_never_the_address(records, signed_in) -> None:
    signed_in("lara").get(reverse("case_detail", args=[records["case_chris"]]))  # a record.view to filter by
    ada = signed_in("ada")
    ada.get(reverse("audit_events") + "?action=record.view&note=looking+into+Chris+Coach")
    ada.get(reverse("audit_events_csv") + "?from_day=1&from_month=1&from_year=2020&note=Chris+Coach")
    viewed = AuditEvent.objects.filter(action="audit.events_viewed").latest("sequence")
    exported = AuditEvent.objects.filter(action="audit.events_exported").latest("sequence")
    assert viewed.details == {"action": "record.view"}
    assert exported.details["date_from"] == "2020-01-01"
    assert "Chris" not in str(viewed.details) + str(exported.details)


def test_a_pattern_reviews_finding_about_the_auditor_is_hidden_from_them(records, signed_in, persona) -> None:
    from threshold.access import fetch
    from threshold.accounts.models import Organisation
    from threshold.audit.context import AuditContext
    from threshold.audit.selectors import organisation_events
    from threshold.audit.services import audit_record

    ada = persona("ada")
    organisation = Organisation.objects.get(pk=sorted(fetch.audit_scope(ada))[0])
    about_ada = Person.objects.create(organisation=organisation, full_name="Ada Auditor", user=ada)
    someone_else = Person.objects.create(organisation=organisation, full_name="Ola Other")
    for person, review in ((about_ada, 91_001), (someone_else, 91_002)):
        audit_record(
            context=AuditContext.for_user(persona("mo"), organisation=organisation),
            action="pattern_review.escalated",
            record_type="pattern_review",
            record_id=review,
            details={"person": person.pk, "allegation": 1},
        )
    shown = organisation_events(viewer=ada, action="pattern_review.escalated").values_list("record_id", flat=True)
    assert set(shown) == {"91002"}
