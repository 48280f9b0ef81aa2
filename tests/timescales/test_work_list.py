"""My work: every signed-in person's open steps, grouped by when they fall due, through the records' own rules."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.timescales.work_helpers import LONDON, MONDAY, MONDAY_MORNING, deadline
from threshold.accounts.models import Organisation
from threshold.allegations.models import Allegation
from threshold.audit import selectors as audit_selectors
from threshold.audit.index import index_pending_lists
from threshold.audit.models import AuditEvent
from threshold.concerns.models import Concern
from threshold.demo import world
from threshold.lado.models import Case, Contact, Meeting
from threshold.people.models import Person
from threshold.timescales.models import Deadline, DeadlineState
from threshold.timescales.selectors import work_list

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_other_deadlines(records: dict[str, int]) -> None:
    """Only the rows each test writes (the demo records' own clocks, where the services store them, are cleared)."""
    Deadline.objects.all().delete()


@pytest.fixture
def chris_case(records: dict[str, int]) -> Case:
    return Case.objects.get(pk=records["case_chris"])


def _references(items: list) -> list[tuple[str, str]]:
    return [(item.deadline.reference, item.deadline.kind) for item in items]


def test_steps_are_grouped_as_overdue_due_today_due_this_week_and_later(chris_case, persona) -> None:
    lara = persona("lara")
    deadline(chris_case, kind="overdue-step", due_on=MONDAY - dt.timedelta(days=3), owner=lara)
    deadline(chris_case, kind="today-step", due_on=MONDAY, owner=lara)
    deadline(chris_case, kind="week-step", due_on=MONDAY + dt.timedelta(days=7), owner=lara)
    deadline(chris_case, kind="later-step", due_on=MONDAY + dt.timedelta(days=8), owner=lara)
    deadline(chris_case, kind="met-step", due_on=MONDAY, owner=lara, state=DeadlineState.MET)

    with time_machine.travel(MONDAY_MORNING, tick=False):
        groups = work_list(lara)

    assert {status: [item.deadline.kind for item in items] for status, items in groups.items()} == {
        "overdue": ["overdue-step"],
        "today": ["today-step"],
        "week": ["week-step"],
        "later": ["later-step"],
    }
    assert groups["overdue"][0].url == reverse("case_detail", args=[chris_case.pk])


@pytest.mark.parametrize(
    ("today", "due", "status"),
    [
        # Christmas 2026: the work list counts calendar days; the clocks' working days are the sync's business.
        (dt.date(2026, 12, 24), dt.date(2026, 12, 31), "week"),
        (dt.date(2026, 12, 24), dt.date(2027, 1, 1), "later"),
        (dt.date(2026, 12, 29), dt.date(2026, 12, 24), "overdue"),
        # Easter 2027: due on Easter Monday, seen on Good Friday.
        (dt.date(2027, 3, 26), dt.date(2027, 3, 29), "week"),
        # The late May bank holiday 2027.
        (dt.date(2027, 5, 31), dt.date(2027, 5, 31), "today"),
    ],
)
def test_where_a_step_falls_across_the_bank_holidays(chris_case, persona, today, due, status) -> None:
    lara = persona("lara")
    deadline(chris_case, kind="step", due_on=due, owner=lara)

    groups = work_list(lara, today=today)

    assert [item.deadline.kind for item in groups[status]] == ["step"]


def test_the_page_shows_each_section_with_gov_uk_dates_and_words_when_a_section_is_empty(
    chris_case, persona, signed_in
) -> None:
    deadline(chris_case, kind="evaluation-meeting", label="Evaluation meeting", due_on=MONDAY, owner=persona("lara"))

    with time_machine.travel(MONDAY_MORNING, tick=False):
        response = signed_in("lara").get(reverse("my_work"))

    assert response.status_code == 200
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">My work</h1>' in page
    assert "Due today (1)" in page
    assert "7 December 2026" in page
    assert "Evaluation meeting" in page
    assert reverse("case_detail", args=[chris_case.pk]) in page
    assert "Nothing is overdue." in page
    assert "Nothing is due later." in page


def test_the_kind_filter_keeps_only_that_kind(chris_case, persona, signed_in) -> None:
    lara = persona("lara")
    deadline(chris_case, kind="evaluation-meeting", label="Evaluation meeting", due_on=MONDAY, owner=lara)
    deadline(chris_case, kind="monitoring-review", label="Monitoring review", due_on=MONDAY, owner=lara)

    with time_machine.travel(MONDAY_MORNING, tick=False):
        everything = signed_in("lara").get(reverse("my_work")).content.decode()
        filtered = signed_in("lara").get(reverse("my_work") + "?kind=monitoring-review").content.decode()

    assert "Evaluation meeting" in everything
    assert "Monitoring review" in everything
    assert '<option value="monitoring-review" selected>' in filtered
    assert '<td class="govuk-table__cell">Monitoring review</td>' in filtered
    assert '<td class="govuk-table__cell">Evaluation meeting</td>' not in filtered


def test_yours_leaves_out_what_a_colleague_owns_and_everything_shows_it_with_its_owner(
    chris_case, persona, signed_in
) -> None:
    deadline(chris_case, kind="mine", label="Step for Lara", due_on=MONDAY, owner=persona("lara"))
    deadline(chris_case, kind="colleagues", label="Step for Mo", due_on=MONDAY, owner=persona("mo"))

    assert [item.deadline.kind for item in work_list(persona("lara"), today=MONDAY)["today"]] == ["mine"]
    assert sorted(
        item.deadline.kind for item in work_list(persona("lara"), today=MONDAY, everything=True)["today"]
    ) == [
        "colleagues",
        "mine",
    ]
    with time_machine.travel(MONDAY_MORNING, tick=False):
        page = signed_in("lara").get(reverse("my_work") + "?show=everything").content.decode()
    assert "Step for Mo" in page
    assert "Mo Manager" in page  # the owner column


def test_a_step_nobody_holds_is_in_the_list_of_everyone_who_may_act_on_it(records, persona) -> None:
    inbox = Contact.objects.get(pk=records["contact_inbox"])
    deadline(inbox, kind="lado-initial-decision", due_on=MONDAY)

    assert _references(work_list(persona("lara"), today=MONDAY)["today"]) == [
        (inbox.reference, "lado-initial-decision")
    ]
    assert _references(work_list(persona("mo"), today=MONDAY)["today"]) == [(inbox.reference, "lado-initial-decision")]
    assert work_list(persona("sam"), today=MONDAY, everything=True)["today"] == []  # Southvale


def test_a_step_nobody_holds_is_not_the_work_of_someone_who_may_only_read_the_record(records, persona) -> None:
    inbox = Contact.objects.get(pk=records["contact_inbox"])
    Deadline.objects.filter(contact=inbox).delete()
    deadline(inbox, kind="lado-initial-decision", due_on=MONDAY)
    ada = persona("ada")  # Northshire's auditor reads the contact and changes nothing

    assert work_list(ada, today=MONDAY)["today"] == []
    assert _references(work_list(ada, today=MONDAY, everything=True)["today"]) == [
        (inbox.reference, "lado-initial-decision")
    ]


def test_a_step_on_a_record_about_the_reader_never_appears_even_when_they_own_it(records, persona) -> None:
    about_hana = Concern.objects.get(pk=records["concern_about_hana"])
    deadline(about_hana, kind="concern-triage", due_on=MONDAY, owner=persona("hana"))

    for everything in (False, True):
        assert work_list(persona("hana"), today=MONDAY, everything=everything)["today"] == []
    # The trust's director, who receives concerns routed past the head, sees it.
    assert _references(work_list(persona("priya"), today=MONDAY, everything=True)["today"]) == [
        (about_hana.reference, "concern-triage")
    ]


def test_a_step_on_a_contact_about_someone_with_the_readers_name_never_appears(persona) -> None:
    northshire = Organisation.objects.get(name=world.NORTHSHIRE)
    namesake = Person.objects.create(organisation=northshire, full_name="Lara Lado")
    contact = Contact.objects.create(
        local_authority=northshire, subject=namesake, adult_name="Lara Lado", summary="A parent phoned."
    )
    deadline(contact, kind="lado-initial-decision", due_on=MONDAY)

    assert work_list(persona("lara"), today=MONDAY, everything=True)["today"] == []
    assert _references(work_list(persona("mo"), today=MONDAY, everything=True)["today"]) == [
        (contact.reference, "lado-initial-decision")
    ]


def test_a_partner_sees_only_the_actions_of_meetings_shared_with_them(chris_case, records, persona) -> None:
    meeting = Meeting.objects.get(pk=records["meeting_chris"])
    pat = persona("pat")
    deadline(chris_case, kind="meeting-action", key="action-1", label="Meeting action", due_on=MONDAY, owner=pat,
             meeting=meeting)  # fmt: skip
    deadline(chris_case, kind="evaluation-meeting", due_on=MONDAY, owner=persona("lara"))

    mine = work_list(pat, today=MONDAY)["today"]
    everything = work_list(pat, today=MONDAY, everything=True)["today"]

    assert [item.deadline.kind for item in mine] == ["meeting-action"]
    assert [item.deadline.kind for item in everything] == ["meeting-action"]
    assert mine[0].url == reverse("meeting_detail", args=[meeting.pk])


def test_showing_the_list_writes_one_event_naming_the_records_shown(chris_case, records, persona, signed_in) -> None:
    allegation = Allegation.objects.get(pk=records["allegation_chris"])
    deadline(allegation, kind="lado-referral", due_on=MONDAY, owner=persona("hana"))
    before = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0

    with time_machine.travel(MONDAY_MORNING, tick=False):
        assert signed_in("hana").get(reverse("my_work")).status_code == 200

    events = AuditEvent.objects.filter(sequence__gt=before, action="records.listed")
    assert [(event.details["list"], event.details["records"]) for event in events] == [
        ("my_work", [f"allegation:{allegation.pk}"])
    ]


def test_the_home_page_leads_with_the_work_list_and_lara_sees_her_open_cases(chris_case, persona, signed_in) -> None:
    lara = persona("lara")
    deadline(chris_case, kind="strategy-discussion", label="Strategy discussion", due_on=MONDAY - dt.timedelta(days=1),
             owner=lara)  # fmt: skip
    deadline(chris_case, kind="evaluation-meeting", due_on=MONDAY, owner=lara)

    with time_machine.travel(MONDAY_MORNING, tick=False):
        page = signed_in("lara").get(reverse("home")).content.decode()

    assert page.index("Your work") < page.index("LADO service")
    assert "1 overdue" in page
    assert "1 due today" in page
    assert "Strategy discussion" in page  # the first overdue step
    assert reverse("my_work") in page
    open_cases = Case.objects.filter(lado=lara, status="open").count()
    assert f"My cases</a>: {open_cases} open." in page


def test_hanas_home_page_is_one_audited_read_naming_what_each_of_its_panels_showed(
    chris_case, records, persona, signed_in
) -> None:
    allegation = Allegation.objects.get(pk=records["allegation_chris"])
    deadline(allegation, kind="lado-referral", due_on=MONDAY, owner=persona("hana"))
    before = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0

    with time_machine.travel(MONDAY_MORNING, tick=False):
        page = signed_in("hana").get(reverse("home")).content.decode()

    events = list(AuditEvent.objects.filter(sequence__gt=before, action="records.listed"))
    assert len(events) == 1  # one write for the page, not one a panel
    event = events[0]
    assert event.details["list"] == "home"
    assert event.details["records"] == [f"allegation:{allegation.pk}"]  # what the work panel's step is on
    assert allegation.pk in event.details["allegations"]  # the allegations panel
    assert "concerns" in event.details  # the concerns panel, which names even an empty list
    shown = Concern.objects.filter(pk__in=event.details["concerns"])
    assert all(concern.reference in page for concern in shown)
    assert event.details["count"] == len(
        {("allegation", allegation.pk), *(("allegation", pk) for pk in event.details["allegations"])}
    ) + len(event.details["concerns"])
    # "Who has looked at this allegation" still finds the page's read.
    index_pending_lists()
    assert event in audit_selectors.record_events(record_type="allegation", record_id=allegation.pk)


def test_a_home_page_without_case_work_has_no_work_panel(signed_in) -> None:
    assert "Your work" not in signed_in("olu").get(reverse("home")).content.decode()
    assert "Your work" not in signed_in("ada").get(reverse("home")).content.decode()


def test_the_trust_view_lists_the_overdue_employer_steps_by_school(records, chris_case, persona, signed_in) -> None:
    allegation = Allegation.objects.get(pk=records["allegation_chris"])
    deadline(allegation, kind="lado-referral", label="Inform the LADO", due_on=MONDAY - dt.timedelta(days=2),
             owner=persona("hana"))  # fmt: skip
    deadline(allegation, kind="suspension-review", label="Review the suspension", due_on=MONDAY + dt.timedelta(days=2),
             owner=persona("hana"))  # fmt: skip
    deadline(chris_case, kind="evaluation-meeting", label="Evaluation meeting", due_on=MONDAY - dt.timedelta(days=2),
             owner=persona("lara"))  # fmt: skip

    with time_machine.travel(MONDAY_MORNING, tick=False):
        response = signed_in("priya").get(reverse("trust_work"))
        refused = [signed_in(key).get(reverse("trust_work")).status_code for key in ("hana", "lara", "tom")]

    page = response.content.decode()
    assert response.status_code == 200
    assert world.OAKFIELD in page
    assert "Inform the LADO" in page
    assert "5 December 2026" in page
    assert "Review the suspension" not in page  # not overdue
    assert "Evaluation meeting" not in page  # the LADO's step, not the employer's
    assert refused == [403, 403, 403]


def test_my_work_is_open_to_every_signed_in_person_and_says_when_nothing_is_due(signed_in) -> None:
    response = signed_in("sid").get(reverse("my_work"))

    assert response.status_code == 200
    assert "Nothing is due on your records." in response.content.decode()


def test_due_dates_use_london_time(chris_case, persona) -> None:
    # Late on Sunday evening in London is still Sunday: a step due on Monday is "week", not "today".
    deadline(chris_case, kind="step", due_on=MONDAY, owner=persona("lara"))
    with time_machine.travel(dt.datetime(2026, 12, 6, 23, 30, tzinfo=LONDON), tick=False):
        assert [item.deadline.kind for item in work_list(persona("lara"))["week"]] == ["step"]
