"""The employer's reminders say what is due and link to it, and nothing of what has happened to the adult.

A reminder may be read in a shared mailbox or over a shoulder. Hana (the head, case manager) suspends Chris on
1 December; the written confirmation and the risk assessment's review fall due before Christmas, and she misses
both. Her reminders name the step and the allegation's reference; the allegation page, behind her sign-in, says
that it is a suspension.
"""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from tests.allegations.conftest import concluded_unfounded
from tests.clock import on
from tests.notifications.test_reminders import run
from threshold.allegations import services
from threshold.allegations.models import Allegation, Step
from threshold.allegations.services.deadlines import LABELS, not_recorded_label
from threshold.notifications.models import EmailDelivery, Notification
from threshold.timescales.models import Deadline

pytestmark = pytest.mark.django_db

RELABEL = importlib.import_module("threshold.allegations.migrations.0020_emailed_labels_say_less")


def _suspended(persona, allegation: Allegation, day: dt.date, review_on: dt.date) -> None:
    with on(day):
        services.risk_assessment_record(
            actor=persona("hana"),
            allegation=allegation,
            rows=[{"area": "PE", "potential_risks": "Contact with pupils", "mitigation": "Away from PE"}],
            context="The LADO advised a risk assessment.",
            additional_notes="",
            period_for_measures="Until the investigation ends",
            review_on=review_on,
            alternatives=[],
            decision="suspend",
            decided_on=day,
            decision_reason="The allegation is of harm to a child.",
            hr_discussed_on=day,
            lado_reviewed_on=day,
        )


def test_no_employer_label_says_the_adult_is_suspended_under_investigation_by_the_police_or_removed() -> None:
    # Every clock's label, and each step nobody recorded before the outcome as a reminder names it.
    labels = {**LABELS, **{f"step-{step.value}": not_recorded_label(step.label) for step in Step}}
    said = {kind: label for kind, label in labels.items() if any(word in label.lower() for word in TELLING)}
    assert said == {}
    assert labels["step-suspension-written-confirmation"] == "Step 6: not recorded before the outcome"


TELLING = ("suspen", "police", "removed", "remove ", "replacement")


def test_hanas_missed_suspension_steps_are_emailed_by_their_step_and_reference_without_saying_suspension(
    persona, chris_allegation
) -> None:
    _suspended(persona, chris_allegation, dt.date(2026, 12, 1), review_on=dt.date(2026, 12, 22))

    run(dt.date(2026, 12, 3))
    run(dt.date(2026, 12, 29))  # the first working day after Christmas

    texts = sorted(
        note.text
        for note in Notification.objects.filter(recipient=persona("hana"), key__endswith=":overdue")
        if note.text.startswith("Deadline missed: ") and chris_allegation.reference in note.text
    )
    reference = chris_allegation.reference
    assert texts == [
        f"Deadline missed: Risk assessment review (appendix 3) on {reference} was due 22 December 2026",
        f"Deadline missed: Written confirmation (step 6) on {reference} was due 2 December 2026",
    ]
    emails = [delivery.body for delivery in EmailDelivery.objects.filter(recipient=persona("hana"))]
    assert any("Written confirmation (step 6)" in body for body in emails)
    assert not any("suspen" in body.lower() or "Chris" in body for body in emails)


def test_the_upgrade_relabels_the_rows_stored_before_it_and_going_back_restores_them(persona, chris_allegation) -> None:
    _suspended(persona, chris_allegation, dt.date(2026, 12, 1), review_on=dt.date(2026, 12, 22))
    # Step 4 was never recorded.
    concluded_unfounded(persona, chris_allegation, dt.date(2026, 12, 2), return_to_work="A phased return, with HR.")
    rows = Deadline.objects.filter(allegation=chris_allegation)
    cover = rows.get(kind="suspension-written-confirmation")
    cover.pk, cover.kind, cover.key = None, "replacement-cover", "cover"  # a supply worker's, beside it
    cover.save()
    # As the release before this one stored them.
    for kind, (before, _after) in RELABEL.RELABELLED.items():
        rows.filter(kind=kind).update(label=before)
    step_4 = "4. Inform the parents or carers: not recorded before the outcome"
    rows.filter(kind="step-parents-informed").update(label=step_4)
    changed = [*RELABEL.RELABELLED, "step-parents-informed"]
    untouched = {row.pk: row.label for row in rows.exclude(kind__in=changed)}

    RELABEL.forwards(apps, None)

    assert dict(rows.filter(kind__in=changed).values_list("kind", "label")) == {
        "suspension-written-confirmation": "Written confirmation (step 6)",
        "risk-assessment-review": "Risk assessment review (appendix 3)",
        "replacement-cover": "Cover arrangements (appendix 4)",
        "step-parents-informed": "Step 4: not recorded before the outcome",
    }
    assert {row.pk: row.label for row in rows.exclude(kind__in=changed)} == untouched

    RELABEL.backwards(apps, None)

    assert rows.get(kind="suspension-written-confirmation").label == "Confirm the suspension in writing"
    assert rows.get(kind="step-parents-informed").label == step_4
