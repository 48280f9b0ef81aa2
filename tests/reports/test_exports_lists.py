"""Every list out to XLSX and CSV: the page's filtered rows and only them, in words, each export audited once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import demo_record_ids
from tests.reports.exports_helpers import csv_rows, download, last_export, northshire_case, references, xlsx_rows
from threshold.accounts.models import Organisation
from threshold.allegations.models import Allegation
from threshold.audit.models import AuditEvent
from threshold.audit.selectors import organisation_events
from threshold.concerns.models import Concern
from threshold.demo import world
from threshold.lado.models import Case, CaseShare, Contact, Meeting, MeetingAction
from threshold.people.models import Person
from threshold.timescales.models import Deadline

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(demo_world: None) -> dict[str, int]:
    """The demo records' ids."""
    return demo_record_ids()


def reference_of(model: Any, pk: int) -> str:
    return str(model.objects.get(pk=pk).reference)


def test_lara_exports_the_inbox_with_its_contacts_and_only_them(records, signed_in, persona) -> None:
    response = download(signed_in("lara"), "export_lado_inbox", "csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="lado-inbox-')
    rows = csv_rows(response)
    assert rows[0] == [
        "Reference", "Adult", "Employer", "From", "Referring agency", "How", "Received", "Advice due",
        "Advice given", "Advice overdue", "Held by",
    ]  # fmt: skip
    inbox = Contact.objects.get(pk=records["contact_inbox"])
    assert references(rows) == {inbox.reference}
    row = rows[1]
    assert row[1:4] == ["Pip Playworker", "Little Acorns Nursery", "Parent or carer"]
    assert row[10] == "Not allocated"
    event = last_export(persona("lara"))
    assert event.record_type == "contact"
    assert event.details["ids"] == [inbox.pk]
    assert event.details["list"] == "lado-inbox"


def test_the_consultations_export_holds_the_consultations_with_why_in_words(records, signed_in) -> None:
    rows = xlsx_rows(download(signed_in("lara"), "export_consultations", "xlsx").getvalue())
    consultation = Contact.objects.get(pk=records["contact_consultation"])
    assert references(rows) == {consultation.reference}
    row = rows[1]
    assert row[1] == "Robin Youthleader"
    assert isinstance(row[5], dt.datetime)  # a date cell, not text
    assert row[5].date() == timezone.localdate(consultation.received_at)
    assert row[6].startswith("The allegation/concern is more appropriately described as a practice issue")


def test_mo_exports_all_cases_with_the_filters_of_the_page(records, signed_in, persona) -> None:
    chris = Case.objects.get(pk=records["case_chris"])
    Case.objects.filter(pk=chris.pk).update(abuse_categories=["physical"], employer_name="Oakfield Primary School")
    sexual = northshire_case(
        "Sol Supplyteacher", tier="tier-1", categories=["sexual"], employer="Oakfield Primary School"
    )
    other_tier = northshire_case("Tess Tutor", tier="tier-2", categories=["physical"], sector="school")
    mo = signed_in("mo")

    rows = xlsx_rows(download(mo, "export_all_cases", "xlsx", query="tier=tier-1&category=physical").getvalue())
    assert references(rows) == {chris.reference}
    assert rows[0] == (
        "Reference", "Adult", "Tier", "Status", "Overdue", "LADO", "Employer", "Sector", "Categories of abuse",
        "Opened",
    )  # fmt: skip
    assert rows[1][1:6] == ("Chris Coach", "Tier 1", "Open", "No", "Lara Lado")
    assert rows[1][8] == "Physical"
    event = last_export(persona("mo"))
    assert event.details["ids"] == [chris.pk]
    assert event.details["filters"] == {"tier": "tier-1", "category": "physical"}

    by_employer = csv_rows(download(mo, "export_all_cases", "csv", query="employer=Oakfield+Primary+School"))
    assert references(by_employer) == {chris.reference, sexual.reference}
    by_sector = csv_rows(download(mo, "export_all_cases", "csv", query="sector=school"))
    assert references(by_sector) == {chris.reference, other_tier.reference}
    assert {row[7] for row in by_sector[1:]} == {"School or academy"}
    everything = csv_rows(download(mo, "export_all_cases", "csv"))
    assert {chris.reference, sexual.reference, other_tier.reference} <= references(everything)
    southvale = Case.objects.get(pk=records["case_southvale"])
    assert southvale.reference not in references(everything)


def test_the_overdue_filter_keeps_the_cases_with_a_deadline_past(records, signed_in) -> None:
    late = northshire_case("Lou Lateness")
    Deadline.objects.create(
        case=late, organisation=late.local_authority, record_key=f"case:{late.pk}", kind="evaluation-meeting",
        reference=late.reference, label="Evaluation meeting", due_on=timezone.localdate() - dt.timedelta(days=3),
    )  # fmt: skip
    rows = csv_rows(download(signed_in("mo"), "export_all_cases", "csv", query="overdue=on"))
    assert references(rows) == {late.reference}
    assert rows[1][4] == "Yes"


def test_the_all_cases_page_links_its_downloads_with_its_filters(records, signed_in) -> None:
    page = signed_in("mo").get(reverse("case_list_all") + "?tier=tier-1&category=physical").content.decode()
    assert f'href="{reverse("export_all_cases", args=["xlsx"])}?tier=tier-1&amp;category=physical"' in page
    assert f'href="{reverse("export_all_cases", args=["csv"])}?tier=tier-1&amp;category=physical"' in page
    assert "Download as spreadsheet (XLSX)" in page


def test_my_cases_are_the_lados_own_and_nobody_elses(records, signed_in) -> None:
    mine = northshire_case("Mia Mentor", lado=None)
    rows = csv_rows(download(signed_in("lara"), "export_my_cases", "csv"))
    assert references(rows) == {reference_of(Case, records["case_chris"])}
    assert mine.reference not in references(rows)
    assert rows[0] == ["Reference", "Adult", "Tier", "Status", "Overdue", "LADO", "Opened"]


def test_only_a_lado_manager_exports_all_cases_and_only_the_lado_service_its_inbox(records, signed_in) -> None:
    assert download(signed_in("lara"), "export_all_cases", "xlsx").status_code == 403
    assert download(signed_in("hana"), "export_lado_inbox", "csv").status_code == 403
    assert download(signed_in("pat"), "export_consultations", "csv").status_code == 403


def test_the_concerns_export_is_the_concerns_page_and_its_old_address_leads_there(records, signed_in, persona) -> None:
    hana = signed_in("hana")
    old = hana.get(reverse("concern_export"))
    assert old.status_code == 302
    assert old["Location"] == reverse("export_concerns", args=["csv"])
    rows = csv_rows(download(hana, "export_concerns", "csv"))
    assert rows[0] == ["Reference", "Adult concerned", "Organisation", "Raised on", "Status"]
    shown = set(
        Concern.objects.filter(pk__in=last_export(persona("hana")).details["ids"]).values_list("reference", flat=True)
    )
    assert references(rows) == shown
    assert reference_of(Concern, records["concern_by_tom"]) in shown
    assert reference_of(Concern, records["concern_about_hana"]) not in shown
    page = hana.get(reverse("concern_list")).content.decode()
    assert reverse("export_concerns", args=["xlsx"]) in page


def test_the_allegations_export_lists_what_the_page_lists_open_first(records, signed_in) -> None:
    rows = xlsx_rows(download(signed_in("hana"), "export_allegations", "xlsx").getvalue())
    page = signed_in("hana").get(reverse("allegation_list")).content.decode()
    assert references(rows) == {
        reference for reference in Allegation.objects.values_list("reference", flat=True) if f">{reference}<" in page
    }
    assert reference_of(Allegation, records["allegation_chris"]) in references(rows)
    assert rows[0] == ("Reference", "Adult concerned", "Organisation", "Opened", "Status")


def test_a_meetings_actions_leave_for_those_who_see_the_meeting(records, signed_in, persona) -> None:
    meeting = Meeting.objects.get(pk=records["meeting_chris"])
    today = timezone.localdate()
    late = MeetingAction.objects.create(
        meeting=meeting, description="Police to check", owner="DS Patel", due_on=today - dt.timedelta(days=1)
    )
    done = MeetingAction.objects.create(
        meeting=meeting, description="School to confirm", owner="Hana Head", due_on=today, done_on=today
    )
    rows = csv_rows(download(signed_in("pat"), "export_meeting_actions", "csv", meeting.pk))
    assert rows == [
        ["Action", "Owner", "Due", "Done", "Overdue"],
        ["Police to check", "DS Patel", late.due_on.isoformat(), "Not yet", "Yes"],
        ["School to confirm", "Hana Head", today.isoformat(), today.isoformat(), "No"],
    ]
    event = last_export(persona("pat"))
    assert (event.record_type, event.record_id) == ("meeting", str(meeting.pk))
    assert event.details["actions"] == [late.pk, done.pk]
    assert download(signed_in("sam"), "export_meeting_actions", "csv", meeting.pk).status_code == 404
    page = signed_in("lara").get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert reverse("export_meeting_actions", args=[meeting.pk, "xlsx"]) in page


def test_my_work_leaves_with_its_kind_and_whose_work(records, signed_in, persona) -> None:
    lara = signed_in("lara")
    everything = csv_rows(download(lara, "export_my_work", "csv", query="show=everything"))
    assert everything[0] == ["Reference", "What is due", "Due", "When", "Whose", "Organisation"]
    assert len(everything) > 1
    kind = Deadline.objects.filter(reference=everything[1][0]).values_list("kind", flat=True).first()
    one_kind = csv_rows(download(lara, "export_my_work", "csv", query=f"show=everything&kind={kind}"))
    labels = set(Deadline.objects.filter(kind=kind).values_list("label", flat=True))
    assert {row[1] for row in one_kind[1:]} <= labels
    event = last_export(persona("lara"))
    assert event.details["filters"] == {"kind": kind, "everything": True}
    assert event.details["records"]
    assert len(event.details["ids"]) == len(one_kind) - 1
    page = lara.get(reverse("my_work") + f"?show=everything&kind={kind}").content.decode()
    assert f"{reverse('export_my_work', args=['csv'])}?show=everything&amp;kind={kind}" in page


def test_each_export_writes_exactly_one_audit_event_naming_its_records(records, signed_in, persona) -> None:
    before = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    rows = csv_rows(download(signed_in("mo"), "export_all_cases", "csv"))
    events = AuditEvent.objects.filter(sequence__gt=before).exclude(action__startswith="auth.")
    assert [event.action for event in events] == ["records.exported"]
    event = events.get()
    assert event.actor == persona("mo")
    assert set(Case.objects.filter(pk__in=event.details["ids"]).values_list("reference", flat=True)) == references(rows)
    assert event.details["count"] == len(rows) - 1


def test_caras_file_of_two_councils_cases_is_on_each_councils_audit_page(records, signed_in, persona) -> None:
    southvale = Organisation.objects.get(name=world.SOUTHVALE)
    person = Person.objects.create(organisation=southvale, full_name="Sam Southvale")
    theirs = Case.objects.create(
        local_authority=southvale, subject=person, adult_name="Sam Southvale", summary="Shared with Cara."
    )
    CaseShare.objects.create(case=theirs, user=persona("cara"), shared_by=persona("mo"))
    rows = csv_rows(download(signed_in("cara"), "export_my_cases", "csv"))
    assert {reference_of(Case, records["case_chris"]), theirs.reference} <= references(rows)
    # One event for each council's records, each on that council's audit page, naming only its own.
    events = AuditEvent.objects.filter(action="records.exported", actor=persona("cara"))
    assert {event.details["record_organisation"] for event in events} == {
        Case.objects.get(pk=records["case_chris"]).local_authority_id,
        southvale.pk,
    }
    assert all(event.details["of"] == len(rows) - 1 for event in events)
    seen = organisation_events(viewer=persona("ada"), action="records.exported", actor_id=persona("cara").pk)
    assert [event.details["ids"] for event in seen] == [[records["case_chris"]]]


def test_a_format_that_is_not_xlsx_or_csv_is_not_a_page(signed_in) -> None:
    assert signed_in("mo").get("/reports/exports/all-cases.pdf").status_code == 404
