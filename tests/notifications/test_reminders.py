"""The reminder pass: deadlines coming and missed told once, digests, preferences, retries, and no names."""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.test import TestCase, override_settings

from tests.lado.nursery import open_nursery_case
from tests.notifications.conftest import deadline
from threshold.accounts.models import NotificationPreference, Organisation, User
from threshold.allegations.models import Allegation
from threshold.audit.context import AuditContext
from threshold.concerns.models import Concern
from threshold.lado.models import Case, ChaseStage, Contact, InformationChase, Meeting
from threshold.lado.services.requests import information_request
from threshold.notifications.models import DeliveryStatus, EmailDelivery, Notification, NotificationKind
from threshold.notifications.preferences import preference_for
from threshold.notifications.services.reminders import remind
from threshold.people.models import Person
from threshold.policy import working_day_before
from threshold.timescales.models import Deadline

LONDON = zoneinfo.ZoneInfo("Europe/London")
SYSTEM = AuditContext.system("remind")


def at(day: dt.date, hour: int = 7) -> dt.datetime:
    """Early morning in London on ``day``: when cron runs the pass."""
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON)


def run(day: dt.date, *, minutes: int = 0) -> dict[str, Any]:
    """The pass for ``day``, run on that morning (``minutes`` later, for a second pass)."""
    with time_machine.travel(at(day) + dt.timedelta(minutes=minutes), tick=False), committed():
        return remind(on=day, audit_context=SYSTEM)


def committed() -> Any:
    """Run what waits for the commit (the emails' sending tasks): each test's transaction never commits."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def notes_for(user: User, kind: str | None = None) -> list[Notification]:
    rows = Notification.objects.filter(recipient=user).order_by("pk")
    return list(rows.filter(kind=kind) if kind else rows)


def prefer(user: User, *, digest: bool, immediate: bool) -> None:
    NotificationPreference.objects.update_or_create(
        user=user, defaults={"daily_digest": digest, "immediate": immediate}
    )


# The working day before -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "reminded"),
    [
        (dt.date(2026, 12, 8), dt.date(2026, 12, 7)),  # a Tuesday: the Monday
        (dt.date(2026, 12, 7), dt.date(2026, 12, 4)),  # a Monday: the Friday
        (dt.date(2026, 12, 29), dt.date(2026, 12, 24)),  # after Christmas Day and the Boxing Day holiday
        (dt.date(2027, 3, 30), dt.date(2027, 3, 25)),  # after Good Friday and Easter Monday
        (dt.date(2027, 6, 1), dt.date(2027, 5, 28)),  # after the late May bank holiday
    ],
)
def test_a_deadline_is_reminded_on_the_working_day_before_it_is_due(due: dt.date, reminded: dt.date) -> None:
    assert working_day_before(due) == reminded


def test_a_deadline_after_christmas_is_reminded_on_christmas_eve_once(persona, ids: dict[str, int]) -> None:
    lara = persona("lara")
    case = Case.objects.get(pk=ids["case_chris"])
    row = deadline(case, due_on=dt.date(2026, 12, 29), owner=lara)
    # Not on the 23rd: the working day before the 29th is Christmas Eve.
    run(dt.date(2026, 12, 23))
    assert notes_for(lara, NotificationKind.DEADLINE_SOON) == []
    run(dt.date(2026, 12, 24))
    coming = notes_for(lara, NotificationKind.DEADLINE_SOON)
    assert [note.key for note in coming] == [f"deadline:{row.pk}:soon"]
    assert coming[0].text == f"Deadline coming: Evaluation meeting on {case.reference}, due 29 December 2026"
    assert coming[0].subject_id == case.subject_id
    # Run again on the 24th and over the holiday: told once.
    run(dt.date(2026, 12, 24), minutes=5)
    run(dt.date(2026, 12, 28))
    assert len(notes_for(lara, NotificationKind.DEADLINE_SOON)) == 1


def test_a_deadline_missed_over_easter_is_told_the_day_after_and_emailed_at_once(persona, ids: dict[str, int]) -> None:
    lara = persona("lara")
    case = Case.objects.get(pk=ids["case_chris"])
    row = deadline(case, due_on=dt.date(2027, 3, 25), owner=lara)
    run(dt.date(2027, 3, 25))
    assert notes_for(lara, NotificationKind.DEADLINE_MISSED) == []
    mail.outbox.clear()
    # Good Friday: the day after it passed, holiday or not.
    summary = run(dt.date(2027, 3, 26))
    missed = notes_for(lara, NotificationKind.DEADLINE_MISSED)
    assert [note.key for note in missed] == [f"deadline:{row.pk}:overdue"]
    assert summary["sent"] == [{"user": lara.pk, "kinds": ["deadline_missed"], "items": 1}]
    assert lara.email not in str(summary)  # printed to cron's mail and logs: no addresses
    assert [message.to for message in mail.outbox] == [[lara.email]]
    assert mail.outbox[0].subject == "Threshold: A deadline has passed"
    assert case.reference in mail.outbox[0].body
    assert "/cases/" in mail.outbox[0].body or "http" in mail.outbox[0].body
    # No digest on a bank holiday; Easter Monday neither; the Tuesday after has one.
    assert not EmailDelivery.objects.filter(key__in=["digest:2027-03-26", "digest:2027-03-29"]).exists()
    run(dt.date(2027, 3, 29))
    assert not EmailDelivery.objects.filter(key="digest:2027-03-29").exists()
    run(dt.date(2027, 3, 30))
    assert EmailDelivery.objects.filter(recipient=lara, key="digest:2027-03-30").exists()
    assert len(notes_for(lara, NotificationKind.DEADLINE_MISSED)) == 1


def test_a_deadline_before_the_late_may_bank_holiday_is_reminded_on_the_friday(persona, ids: dict[str, int]) -> None:
    hana = persona("hana")
    allegation = Allegation.objects.get(pk=ids["allegation_chris"])
    deadline(allegation, due_on=dt.date(2027, 6, 1), owner=hana, kind="investigation-report", label="Report")
    run(dt.date(2027, 5, 27))
    assert notes_for(hana, NotificationKind.DEADLINE_SOON) == []
    run(dt.date(2027, 5, 28))
    assert len(notes_for(hana, NotificationKind.DEADLINE_SOON)) == 1


def test_a_deadline_nobody_holds_is_told_to_those_who_may_act_on_its_record(persona, ids: dict[str, int]) -> None:
    contact = Contact.objects.get(pk=ids["contact_inbox"])
    row = deadline(contact, due_on=dt.date(2026, 12, 8), kind="lado-advice", label="Advice to the referrer")
    run(dt.date(2026, 12, 7))
    told = set(Notification.objects.filter(key=f"deadline:{row.pk}:soon").values_list("recipient__email", flat=True))
    assert persona("lara").email in told
    assert persona("mo").email in told
    # Another authority's LADO, the employer and the partners are not told.
    for other in ("sam", "hana", "dev", "pat", "cara", "ada", "olu"):
        assert persona(other).email not in told


def test_nobody_is_told_of_a_deadline_on_a_record_about_them(persona, ids: dict[str, int]) -> None:
    hana, dev = persona("hana"), persona("dev")
    concern = Concern.objects.get(pk=ids["concern_about_hana"])
    row = deadline(concern, due_on=dt.date(2026, 12, 8), kind="concern-triage", label="Triage")
    # Even as its owner, Hana is never told of a record about her.
    owned = deadline(concern, due_on=dt.date(2026, 12, 8), owner=hana, kind="concern-review", label="Review")
    run(dt.date(2026, 12, 7))
    assert not Notification.objects.filter(recipient=hana).exists()
    assert not EmailDelivery.objects.filter(recipient=hana).exists()
    told = set(Notification.objects.filter(key__startswith="deadline:").values_list("recipient_id", "key"))
    assert (hana.pk, f"deadline:{owned.pk}:soon") not in told
    assert all(recipient != hana.pk for recipient, _key in told)
    # Whoever may act on it is told instead: the trust's director, as the concern is about the head.
    instead = set(Notification.objects.filter(key=f"deadline:{row.pk}:soon").values_list("recipient_id", flat=True))
    assert instead == {persona("priya").pk}
    assert dev.pk not in instead


# Preferences ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("digest", "immediate", "emails"),
    [
        (True, True, {"digest", "deadline_missed"}),
        (True, False, {"digest"}),
        (False, True, {"deadline_missed"}),
        (False, False, set()),
    ],
)
def test_preferences_choose_the_emails(
    persona, ids: dict[str, int], digest: bool, immediate: bool, emails: set[str]
) -> None:
    lara = persona("lara")
    prefer(lara, digest=digest, immediate=immediate)
    deadline(Case.objects.get(pk=ids["case_chris"]), due_on=dt.date(2026, 12, 4), owner=lara)
    run(dt.date(2026, 12, 7))
    kinds = {kind for row in EmailDelivery.objects.filter(recipient=lara) for kind in row.kinds}
    assert kinds == emails
    # The notification is in the product whatever the emails.
    assert len(notes_for(lara, NotificationKind.DEADLINE_MISSED)) == 1


def test_role_defaults_a_lado_gets_immediate_emails_a_dsl_the_digest_only(persona, ids: dict[str, int]) -> None:
    lara, dev = persona("lara"), persona("dev")
    deadline(Case.objects.get(pk=ids["case_chris"]), due_on=dt.date(2026, 12, 4), owner=lara)
    allegation = Allegation.objects.get(pk=ids["allegation_chris"])
    deadline(allegation, due_on=dt.date(2026, 12, 4), owner=dev, kind="dsl-step", label="Safeguarding step")
    run(dt.date(2026, 12, 7))
    assert {k for row in EmailDelivery.objects.filter(recipient=lara) for k in row.kinds} == {
        "digest",
        "deadline_missed",
    }
    assert {k for row in EmailDelivery.objects.filter(recipient=dev) for k in row.kinds} == {"digest"}
    assert len(notes_for(dev, NotificationKind.DEADLINE_MISSED)) == 1
    # The police's and children's social care's liaisons hear at once too: a meeting shared with them cannot wait.
    assert preference_for(persona("pat")).immediate
    assert preference_for(persona("cara")).immediate
    assert not preference_for(persona("henry")).immediate


# Digests, the summary, running twice ------------------------------------------------------------------------------


def test_the_digest_counts_and_lists_what_is_due_with_a_sign_in_link(persona, ids: dict[str, int]) -> None:
    lara = persona("lara")
    case = Case.objects.get(pk=ids["case_chris"])
    deadline(case, due_on=dt.date(2026, 12, 3), owner=lara, kind="a", label="Strategy meeting")
    deadline(case, due_on=dt.date(2026, 12, 4), owner=lara, kind="b", label="Investigation")
    deadline(case, due_on=dt.date(2026, 12, 7), owner=lara, kind="c", label="Evaluation meeting")
    deadline(case, due_on=dt.date(2026, 12, 10), owner=lara, kind="d", label="Review")
    deadline(case, due_on=dt.date(2027, 1, 30), owner=lara, kind="e", label="Much later")
    mail.outbox.clear()
    run(dt.date(2026, 12, 7))
    digest = next(message for message in mail.outbox if "What is due" in message.subject)
    assert digest.subject == "Threshold: What is due, 7 December 2026"
    assert "You have 2 overdue, 1 due today and 1 due in the next 7 days." in digest.body
    assert f"{case.reference} Evaluation meeting, due 7 December 2026." in digest.body
    assert "Much later" not in digest.body
    assert "Sign in to see them: http://127.0.0.1:8000/work/" in digest.body


def test_remind_prints_the_summary_and_sends_nothing_the_second_time(persona, ids: dict[str, int]) -> None:
    lara, mo = persona("lara"), persona("mo")
    deadline(Case.objects.get(pk=ids["case_chris"]), due_on=dt.date(2026, 12, 4), owner=lara)
    deadline(Contact.objects.get(pk=ids["contact_inbox"]), due_on=dt.date(2026, 12, 7), kind="x", label="Advice")
    out = StringIO()
    with time_machine.travel(at(dt.date(2026, 12, 7)), tick=False), committed():
        call_command("remind", "--on", "2026-12-07", stdout=out)
    summary = json.loads(out.getvalue())
    assert set(summary) == {"date", "sent", "skipped"}
    assert summary["date"] == "2026-12-07"
    assert isinstance(summary["skipped"], int)
    sent = {entry["user"]: entry for entry in summary["sent"]}
    assert sent[lara.pk] == {"user": lara.pk, "kinds": ["deadline_missed", "digest"], "items": 3}
    assert sent[mo.pk]["kinds"] == ["digest"]
    assert "@" not in out.getvalue()  # cron mails and logs what it prints: no addresses
    count = len(mail.outbox)
    assert count == sum(len(entry["kinds"]) for entry in summary["sent"])
    again = StringIO()
    with time_machine.travel(at(dt.date(2026, 12, 7), hour=9), tick=False), committed():
        call_command("remind", "--on", "2026-12-07", stdout=again)
    second = json.loads(again.getvalue())
    assert second["sent"] == []
    assert second["skipped"] >= 2
    assert len(mail.outbox) == count


def test_remind_defaults_to_today_and_refuses_a_date_it_cannot_read(persona, ids: dict[str, int]) -> None:
    from django.core.management.base import CommandError

    out = StringIO()
    with time_machine.travel(at(dt.date(2026, 12, 24)), tick=False):
        call_command("remind", stdout=out)
    assert json.loads(out.getvalue())["date"] == "2026-12-24"
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("remind", "--on", "24/12/2026", stdout=StringIO())


# A failed send ----------------------------------------------------------------------------------------------------


class FailsOnceBackend(LocmemBackend):
    """A mail server that is down for the first message it is given (a test double for the server)."""

    failures = 1

    def send_messages(self, email_messages: Any) -> int:
        if FailsOnceBackend.failures > 0:
            FailsOnceBackend.failures -= 1
            raise ConnectionRefusedError("mail server for lara.lado@northshire.example is down")
        return super().send_messages(email_messages)


def test_a_failed_send_is_kept_and_sent_once_by_the_next_pass(persona, ids: dict[str, int]) -> None:
    lara = persona("lara")
    prefer(lara, digest=False, immediate=True)
    deadline(Case.objects.get(pk=ids["case_chris"]), due_on=dt.date(2026, 12, 4), owner=lara)
    FailsOnceBackend.failures = 1
    mail.outbox.clear()
    with override_settings(EMAIL_BACKEND="tests.notifications.test_reminders.FailsOnceBackend"):
        run(dt.date(2026, 12, 7))
        delivery = EmailDelivery.objects.get(recipient=lara)
        assert delivery.status == DeliveryStatus.FAILED
        assert delivery.attempts == 1
        # Only the exception's class: the server's words may quote an address.
        assert delivery.last_error == "ConnectionRefusedError"
        assert mail.outbox == []
        # The next pass (a few minutes later) sends it, once.
        run(dt.date(2026, 12, 7), minutes=5)
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.SENT
        assert delivery.attempts == 2
        assert len(mail.outbox) == 1
        run(dt.date(2026, 12, 7), minutes=10)
        run(dt.date(2026, 12, 8))
    assert len([message for message in mail.outbox if "deadline has passed" in message.subject]) == 1


# No names -------------------------------------------------------------------------------------------------------


# "LADO" is the service's name, in its references (LADO-7KQ2-9MXD) and its inbox, as well as a persona's surname.
NOT_NAMES = {"lado"}
REFERENCE_OR_LINK = re.compile(r"https?://\S+|\b[A-Z]{2,5}-[0-9A-Z]{4}-[0-9A-Z]{4}\b")


def names_in_the_database() -> tuple[set[str], set[str]]:
    """Every user's and person record's full name, and each part of one (first name, surname) as a word."""
    full: set[str] = set()
    parts: set[str] = set()
    for name in [
        *User.objects.values_list("full_name", flat=True),
        *Person.objects.values_list("full_name", flat=True),
    ]:
        if not name:
            continue
        full.add(name.casefold())
        parts.update(part.casefold() for part in re.split(r"[\s\-']+", name) if len(part) > 2)
    return full, parts - NOT_NAMES


def assert_no_names(subject: str, body: str) -> None:
    """Neither a full name nor a first name or surname appears (as a word) in the email."""
    full, parts = names_in_the_database()
    text = f"{subject}\n{body}".casefold()
    for name in full:
        assert name not in text, (name, subject)
    words = set(re.findall(r"[\w']+", REFERENCE_OR_LINK.sub(" ", f"{subject}\n{body}").casefold()))
    assert not words & parts, (words & parts, subject)


def test_no_email_carries_a_name(persona, ids: dict[str, int]) -> None:
    from threshold.lado.services.sharing import meeting_add_update, meeting_share

    lara, mo, hana, dev, cara, pat = (persona(key) for key in ("lara", "mo", "hana", "dev", "cara", "pat"))
    for user in (lara, mo, hana, dev, cara, pat):
        prefer(user, digest=True, immediate=True)
    case = Case.objects.get(pk=ids["case_chris"])
    meeting = Meeting.objects.get(pk=ids["meeting_chris"])
    allegation = Allegation.objects.get(pk=ids["allegation_chris"])
    oakfield = Organisation.objects.get(pk=allegation.organisation_id)
    deadline(case, due_on=dt.date(2026, 12, 24), owner=lara)
    deadline(case, due_on=dt.date(2026, 12, 29), owner=lara, kind="k2", label="Investigation outcome")
    deadline(Contact.objects.get(pk=ids["contact_inbox"]), due_on=dt.date(2026, 12, 23), kind="advice", label="Advice")
    deadline(allegation, due_on=dt.date(2026, 12, 22), owner=hana, kind="report", label="Investigation report")
    deadline(Concern.objects.get(pk=ids["concern_about_tom"]), due_on=dt.date(2026, 12, 23), kind="t", label="Triage")
    deadline(None, organisation=oakfield, due_on=dt.date(2026, 12, 24), kind="pattern-review", label="Pattern review")
    mail.outbox.clear()
    with time_machine.travel(at(dt.date(2026, 12, 21)), tick=False), committed():
        meeting_share(actor=lara, meeting=meeting, user=cara)
        meeting_add_update(actor=pat, meeting=meeting, text="Chris Coach was interviewed under caution.")
    for day in (dt.date(2026, 12, 21), dt.date(2026, 12, 22), dt.date(2026, 12, 23), dt.date(2026, 12, 24)):
        run(day)
        run(day + dt.timedelta(days=1))
    assert len(mail.outbox) >= 6
    kinds = {kind for row in EmailDelivery.objects.all() for kind in row.kinds}
    assert {"digest", "deadline_missed", "meeting_shared"} <= kinds
    full, parts = names_in_the_database()
    assert "chris coach" in full
    assert {"chris", "coach", "lara", "hana"} <= parts
    for message in mail.outbox:
        assert_no_names(str(message.subject), str(message.body))
    # And what was decided but not sent yet says no more.
    for row in EmailDelivery.objects.all():
        assert_no_names(row.subject_line, row.body)


def test_the_pass_chases_a_request_for_information_and_reports_the_email_it_caused(persona, ids) -> None:
    nina = persona("nina")
    with time_machine.travel(at(dt.date(2026, 12, 1)), tick=False), committed():
        case = open_nursery_case(persona, ids)
        information_request(
            actor=persona("lara"),
            case=case,
            what="Please send the rota for that morning.",
            due_on=dt.date(2026, 12, 4),
            chase_every_days=3,
            chase_limit=3,
        )
    Deadline.objects.exclude(kind="information-request").delete()  # only the request is due
    mail.outbox.clear()

    summary = run(dt.date(2026, 12, 7))  # the first chase: three days after the Friday it was due

    assert {"user": nina.pk, "kinds": ["digest", "information_request"], "items": 2} in summary["sent"]
    assert "Threshold: Request for information" in [message.subject for message in mail.outbox]
    assert InformationChase.objects.filter(stage=ChaseStage.CHASE, number=1, sent_on=dt.date(2026, 12, 7)).exists()
