"""The allegation page put together: its summary, what is due and the case manager's steps, then each section."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from threshold.allegations import selectors
from threshold.allegations.advice import AllegationAdvice, allegation_advice, resolution_targets
from threshold.allegations.checklist import HEARING, ChecklistItem, not_recorded_kind
from threshold.allegations.models import Allegation, AllegationStatus, Step
from threshold.allegations.police_and_suspension import (
    POLICE_REVIEW,
    POLICE_REVIEW_TEXT,
    POLICE_SHARING,
    POLICE_SHARING_TEXT,
    RISK_REVIEW,
    RISK_REVIEW_TEXT,
)
from threshold.allegations.presenters.advice import (
    advice_section,
    parent_update_link,
    parent_updates_lines,
    targets_section,
)
from threshold.allegations.presenters.common import Link, plural, row, when, yes_no
from threshold.allegations.presenters.duties import duty_parts
from threshold.allegations.presenters.outcome import file_record_section, lado_conclusion_rows, outcome_section
from threshold.allegations.presenters.sections import (
    agency_section,
    police_section,
    referral_section,
    support_section,
    suspension_section,
)
from threshold.core.querysets import last_recorded
from threshold.jinja2 import govuk_date, link
from threshold.lado.presenters.employer import lado_word_section
from threshold.lado.presenters.requests import allegation_requests
from threshold.timescales.models import Deadline, DeadlineState

PAUSED_TEXT = "Paused (police investigation)"
# A stored deadline a person may still close as not needed.
CLOSABLE = (DeadlineState.OPEN, DeadlineState.PAUSED)


def allegation_page(
    allegation: Allegation, *, can_change: bool, deadlines: dict[str, Deadline] | None = None
) -> dict[str, Any]:
    """Everything the allegation page shows below its banners, section by section.

    ``deadlines`` are the allegation's stored deadlines by kind (``selectors.allegation_deadlines``): a
    step closed as not needed says so, with the reason, and an open one offers "Mark as not needed".
    """
    steps = selectors.checklist(allegation)
    state = selectors.allegation_state(allegation, steps=steps)
    is_open = allegation.status != AllegationStatus.CONCLUDED
    deadlines = deadlines or {}
    # The latest sharing on the police's completion (policy 5.3), if their part has ended since it was asked.
    sharing = max(
        (row for row in deadlines.values() if row.kind == POLICE_SHARING), key=lambda row: row.pk, default=None
    )
    advice = allegation_advice(allegation, outcome=state["outcome"])

    def links(*items: tuple[str, str, str], open_only: bool = False) -> list[Link]:
        if not can_change or (open_only and not is_open):
            return []
        return [Link(reverse(name, args=[allegation.pk]), text, hidden) for name, text, hidden in items]

    return {
        # Issue 13: the pack's tier and advice from the moment the allegation opens, and the 6.4 targets.
        "advice": advice_section(advice),
        "targets": targets_section(resolution_targets(allegation, advice.assessment)) if advice.answered else [],
        "summary_rows": summary_rows(allegation, paused=state["paused"]),
        "details_links": links(
            (
                "allegation_edit",
                "Change the allegation's details",
                "(employment, agency, reporting restriction, interim prohibition order)",
            )
        ),
        "due": due_list(allegation, deadlines, steps=steps),
        "steps_intro": (
            "Section 6 of the policy. Each record is kept: a later record of a step supersedes the earlier one"
            " (step 9 keeps every contact with the parents or carers, in order). Due"
            f" dates come from the {allegation.organisation.policy_pack} policy pack, counted in England and Wales"
            " working days."
        ),
        "steps": [
            step_row(
                allegation,
                item,
                # Step 9 stays open after the outcome: the parents or carers are told how the case ended.
                can_record=can_change and (is_open or item.step == Step.PARENTS_KEPT_INFORMED),
                can_close=can_change,
                deadline=(deadlines.get(item.kind) if item.kind else None)
                or deadlines.get(not_recorded_kind(item.step)),
                hearing=deadlines.get(HEARING) if item.step == Step.INVESTIGATION else None,
            )
            for item in steps
        ],
        "referral": referral_section(allegation, state["referral"], state["referral_count"], can_change=can_change),
        "referral_links": links(
            ("allegation_referral", "Update the referral", "to the LADO")
            if state["referral"]
            else ("allegation_referral", "Refer to the LADO", "")
        ),
        "suspension": suspension_section(state["risk_assessment"]),
        "suspension_links": links(
            ("allegation_risk_assessment", "Record a new risk assessment", "(starts from this one)")
            if state["risk_assessment"]
            else ("allegation_risk_assessment", "Record the suspension risk assessment", ""),
            open_only=True,
        ),
        "support": support_section(allegation, state["support"], state["progress_updates"]),
        "support_links": [
            *links(("allegation_support", "Record support", "for the adult"), open_only=True),
            # After the outcome too: the update that tells the adult how the case ended (Tier 3).
            *links(
                ("allegation_progress_update", "Log a progress update", "given to the adult")
                if is_open
                else ("allegation_progress_update", "Log that the adult was told the outcome", "")
            ),
        ],
        "police": police_section(allegation, state["police"], sharing),
        "police_links": [
            *links(("allegation_police", "Record police involvement", "")),
            *sharing_links(sharing, can_close=can_change),
        ],
        "agency": agency_section(allegation, state["agency_record"], state["cover_due"], can_change=can_change),
        "outcome": outcome_section(allegation, state["outcome"], state["follow_ups"], can_change=can_change),
        "outcome_links": links(
            ("allegation_outcome", "Record a revised outcome" if state["outcome"] else "Record the outcome", "")
        ),
        "lado_conclusion": lado_conclusion_rows(allegation),
        "lado_word": lado_word_section(allegation),
        "file_record": file_record_section(allegation, state["file_record"]),
        "file_record_links": links(("allegation_file_record", "Record the summary kept on file", ""))
        if state["outcome"]
        else [],
        "lessons": [
            {
                "text": lesson.text,
                "by": f"{lesson.recorded_by.full_name}, {govuk_date(lesson.recorded_at)}"
                + (f", reviewed with {lesson.reviewed_with}" if lesson.reviewed_with else ""),
            }
            for lesson in state["lessons"]
        ],
        "lessons_links": links(("allegation_lesson", "Log a lesson learned", "")),
        # Issue 13: confidentiality (7), the personnel file (8), the lessons review (11), the agency's HR (app. 4).
        **duty_parts(allegation, can_change=can_change),
        "information_requests": allegation_requests(allegation, can_change=can_change),
        # The banners every allegation page shows (``_banners.html``) read these three.
        "paused": state["paused"],
        "suspend_now": state["suspend_now"],
        "trust_bar": trust_bar_prompt(allegation, advice),
    }


# The pack's appendix 4 guidance for supply workers, which includes the bar across the trust's academies.
SUPPLY_GUIDANCE = "supply-workers"


def trust_bar_prompt(allegation: Allegation, advice: AllegationAdvice) -> str:
    """Appendix 4's bar across the trust, where the pack gives it: what the case manager should do, if anything.

    "If a supply worker is under investigation and/or suspended from any Academy, the Trust will not accept the
    individual in any Trust Academies until there is an outcome of an investigation." ``"bar"`` while an open
    allegation about a supply worker is not barred; ``""`` otherwise. (After the outcome the summary shows the bar
    that stands: a prompt to lift it would stay on every case where the trust keeps it, with nothing to record.)
    """
    if allegation.organisation.trust_id is None:
        return ""
    if SUPPLY_GUIDANCE not in {quoted.id for quoted in advice.assessment.guidance}:
        return ""
    concluded = allegation.status == AllegationStatus.CONCLUDED
    return "bar" if not concluded and not allegation.barred_from_trust else ""


def summary_rows(allegation: Allegation, *, paused: bool) -> list[dict[str, Any]]:
    """The allegation itself: the adult, the case manager, where it stands and the facts that change its handling."""
    barred = yes_no(allegation.barred_from_trust)
    if allegation.barred_from_trust and allegation.barred_from_trust_since:
        barred = "Yes: not to be accepted in Trust academies until further notice, since " + govuk_date(
            allegation.barred_from_trust_since
        )
    agency = allegation.agency_display
    return [
        row(
            "Adult concerned",
            link(reverse("person_detail", args=[allegation.subject_id]), allegation.subject.full_name),
        ),
        row("Case manager", allegation.case_manager.full_name if allegation.case_manager else "Not yet assigned"),
        row(
            "Status",
            allegation.get_status_display() + (" (internal investigation paused: police involved)" if paused else ""),
        ),
        row("Summary", allegation.summary),
        row("Came to attention", govuk_date(allegation.attention_date())),
        row("Engaged as", allegation.get_subject_employment_display() + (f", through {agency}" if agency else "")),
        row(
            "Left the setting",
            govuk_date(allegation.left_employment_on) if allegation.left_employment_on else "Not recorded",
        ),
        row("The adult is a teacher", yes_no(allegation.subject_is_teacher)),
        row("Teacher accused by a pupil", yes_no(allegation.subject_is_teacher and allegation.accused_by_pupil)),
        row("Interim prohibition order", yes_no(allegation.interim_prohibition_order)),
        row("Barred from the Trust's academies", barred),
    ]


def due_list(
    allegation: Allegation, deadlines: dict[str, Deadline] | None = None, *, steps: list[ChecklistItem] | None = None
) -> list[dict[str, Any]]:
    """What is due and overdue, soonest first, each linking to its section (not a step closed as not needed).

    ``steps``: the allegation's checklist, when the page has worked it out already.
    """
    deadlines = deadlines or {}
    closed = {
        f"step-{step}"
        for step, kind in selectors.STEP_TIMESCALES.items()
        if deadlines.get(kind) is not None and deadlines[kind].state == DeadlineState.NOT_NEEDED
    }
    # The police's progress review that stands, if a person closed it as not needed.
    police = last_recorded(allegation.police_records.all())
    review = deadlines.get(f"police-{police.pk}") if police is not None else None
    if review is not None and review.state == DeadlineState.NOT_NEEDED:
        closed.add("police")
    due = [
        (item.day, _due_row(item.text, item.anchor, item.due, overdue=item.overdue))
        for item in selectors.due_items(allegation, steps=steps)
        if item.anchor not in closed
    ]
    # Read from the stored rows, as the work list lists them: the sharing on the police's completion, open or
    # concluded (a prosecution may end after the outcome); and, once concluded, a review that fell due before the
    # outcome, which stays open until done or closed with a reason (the product never closes a step).
    concluded = allegation.status == AllegationStatus.CONCLUDED
    today = timezone.localdate()
    for stored in deadlines.values():
        kind = stored.kind
        if stored.state == DeadlineState.OPEN and (kind == POLICE_SHARING or (concluded and kind in REVIEWS)):
            text, anchor = STORED_DUE[kind]
            due.append((stored.due_on, _due_row(text, anchor, stored.due_on, overdue=stored.due_on < today)))
    return [line for _day, line in sorted(due, key=lambda pair: pair[0])]


def sharing_links(sharing: Deadline | None, *, can_close: bool) -> list[Link]:
    """While sharing on the police's completion is due: "Mark as not needed", as a step offers it (with a reason)."""
    if not can_close or sharing is None or sharing.state not in CLOSABLE:
        return []
    return [Link(reverse("deadline_close", args=[sharing.pk]), "Mark as not needed", "sharing on the completion")]


def _due_row(text: str, anchor: str, due: dt.date | dt.datetime, *, overdue: bool) -> dict[str, Any]:
    """One line of the page's "Due and overdue" list, linking to its section."""
    return {
        "tag": "Overdue" if overdue else "Due",
        "colour": "red" if overdue else "blue",
        "anchor": anchor,
        "text": text,
        "when": when(due),
    }


# The agreed reviews a concluded allegation may still owe, by deadline kind: what the page calls each, and where.
REVIEWS = {POLICE_REVIEW: (POLICE_REVIEW_TEXT, "police"), RISK_REVIEW: (RISK_REVIEW_TEXT, "suspension")}
# Every stored row the due list reads, by kind.
STORED_DUE = {**REVIEWS, POLICE_SHARING: (POLICE_SHARING_TEXT, "police")}


def step_status(item: ChecklistItem, deadline: Deadline | None = None, *, concluded: bool = False) -> tuple[str, str]:
    """A step's tag: its words and colour.

    Only a person makes a step "Not needed" (with a reason, on its stored deadline); concluding the
    allegation leaves a step nobody recorded outstanding ("Not recorded" where it has no clock).
    """
    if item.done:
        return "Done", "green"
    if deadline is not None and deadline.state == DeadlineState.NOT_NEEDED:
        return "Not needed", "grey"
    if deadline is not None and deadline.state == DeadlineState.MISSED:
        # Concluded before it came into Threshold, and its records do not show this step (issue 16).
        return "Not recorded as done", "orange"
    if not item.applies:
        return ("No longer applies" if item.clock_due is not None else "Not due"), "grey"
    if item.paused:
        return PAUSED_TEXT, "yellow"
    if item.referral_started:
        return "Referral started", "yellow"
    if concluded and deadline is None:
        return "Not recorded", "orange"
    if item.overdue:
        return "Overdue", "red"
    return "To do", "blue"


def step_row(
    allegation: Allegation,
    item: ChecklistItem,
    *,
    can_record: bool,
    can_close: bool = False,
    deadline: Deadline | None = None,
    hearing: Deadline | None = None,
) -> dict[str, Any]:
    """One step of section 6: when it is due, where it stands, what was done and the links to record it.

    A step nobody recorded whose stored deadline is still open offers "Mark as not needed" (also after
    the outcome); one closed that way shows the person's reason.
    """
    status, colour = step_status(item, deadline, concluded=allegation.status == AllegationStatus.CONCLUDED)
    note = item.note
    closed_by_person = deadline is not None and deadline.state == DeadlineState.NOT_NEEDED and not item.done
    if closed_by_person and deadline is not None:
        note = f"Not needed: {deadline.reason}"
    record = item.latest
    details: list[str] = []
    if record is not None:
        if record.justification:
            details.append(f"Justification: {record.justification}")
        if record.written_information:
            details.append(f"In writing to {record.written_to}, by {record.written_by}: {record.written_information}")
        if record.action_for_individual:
            details.append(f"Action for the individual: {record.action_for_individual}")
        if record.action_for_allegers:
            details.append(f"Action for those who made the allegation: {record.action_for_allegers}")
        if record.agreed_with_lado is not None:
            details.append(f"Agreed with the LADO: {yes_no(record.agreed_with_lado)}")
        if record.route:
            details.append(f"Course of action agreed: {record.get_route_display()}")
        if record.done_by:
            details.append(
                f"Notified by {record.done_by}" + (f", reference {record.reference}" if record.reference else "")
            )
        details.append(f"{record.recorded_by.full_name}, {govuk_date(record.done_on)}")
        if len(item.records) > 1:
            details.append(f"Supersedes {plural(len(item.records) - 1, 'earlier record')} (see the chronology).")
    links: list[Link] = []
    if can_record:
        if item.step == Step.DISCUSS_WITH_LADO:
            referral = "Complete the referral" if item.referral_started else "Refer to the LADO"
            links.append(Link(reverse("allegation_referral", args=[allegation.pk]), referral))
        if item.step == Step.PARENTS_KEPT_INFORMED:
            links.append(Link(parent_update_link(allegation), "Log a contact", "with the parents or carers"))
        else:
            links.append(Link(reverse("allegation_step", args=[allegation.pk, item.step]), "Record", item.label))
    if can_close and deadline is not None and deadline.state in CLOSABLE and not item.done and not closed_by_person:
        links.append(Link(reverse("deadline_close", args=[deadline.pk]), "Mark as not needed", item.label))
    also_due = [f"{description} By {govuk_date(due)}." for due, description in item.also_due]
    if hearing is not None and hearing.state == DeadlineState.NOT_NEEDED:
        also_due = [f"Disciplinary hearing not needed: {hearing.reason}"]
    elif can_close and hearing is not None and hearing.state in CLOSABLE and item.also_due:
        links.append(Link(reverse("deadline_close", args=[hearing.pk]), "Mark the hearing as not needed", ""))
    decision = record.decision if record is not None else ""
    if item.step == Step.PARENTS_KEPT_INFORMED and item.done:
        # Step 9 is a log: every contact, in order (and any record made before it was one), none superseded.
        decision = f"Kept informed {plural(len(item.contacts) + len(item.records), 'time')}:"
        details = [
            f"{govuk_date(earlier.done_on)}: {earlier.decision} ({earlier.recorded_by.full_name})"
            for earlier in item.records
        ] + parent_updates_lines(item.contacts)
    return {
        "step": item.step,
        "label": item.label,
        "due": PAUSED_TEXT if item.paused else (govuk_date(item.due) if item.due else ""),
        "also_due": also_due,
        "status": status,
        "colour": colour,
        "done": item.done,
        "decision": decision,
        "details": details,
        "note": note,
        "links": links,
    }
