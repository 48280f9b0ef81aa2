"""The stored deadlines of the generated records, as the services' syncs would have left them (ADR 0024).

The services work each record's clocks out with queries per record (``case_deadlines_sync`` and the like):
at ten thousands of records that is minutes. Here the same rules run over what the generator already holds
in memory, with the same calculators (``threshold.policy.clocks``, ``allegations.checklist.due_from``), labels
and sources, and the rows go in in bulk. ``bench/generate.py --check`` compares a sample with the
services' own specs, and the test runs ``manage.py deadlines_sync`` over a small world and expects no change.
Pattern reviews are few (a school a term): their rows come from the service itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Min
from django.utils import timezone

from bench.synthetic.allegations import Managed
from bench.synthetic.case_records import Life, three_months_after
from bench.synthetic.concerns import TRUST_PACK
from bench.synthetic.insert import insert_values
from bench.synthetic.lado import Decided
from bench.synthetic.organisations import LADO_PACK, Authority
from threshold.allegations.checklist import HEARING, ROUTE_UNDECIDED, STEP_TIMESCALES, due_from, not_recorded_kind
from threshold.allegations.duties import OFF_THE_FILE
from threshold.allegations.models import Route, Step
from threshold.allegations.services.deadlines import (
    ADULT_INFORMED,
    ADULT_INFORMED_SOURCE,
    FILE_RECORD,
    FILE_RECORD_SOURCE,
    FOLLOW_UP_KINDS,
    LABELS,
    LESSONS_REVIEW,
    LESSONS_SOURCE,
    NOT_RECORDED_SOURCE,
    OUTCOME_TOLD,
    OUTCOME_TOLD_SOURCE,
)
from threshold.concerns.models import Concern, ConcernStatus, Triage
from threshold.concerns.services.deadlines import TRIAGE, TRIAGE_LABEL, TRIAGE_SOURCE, pattern_review_deadline_sync
from threshold.core.vocabularies import Outcome
from threshold.lado.models import CaseStatus, Contact
from threshold.lado.selectors import (
    CASE_TIMESCALES,
    EVALUATION_KINDS,
    EVALUATION_MEETING,
    INITIAL_DECISION,
    THREE_MONTHS,
)
from threshold.lado.services.deadlines import (
    CONCLUDED_FIRST,
    CONTACT_LABEL,
    DELAY_NOT_DUE,
    DELAY_REVIEW,
    DELAY_REVIEW_LABEL,
    MET,
    NO_MEETING,
    OFSTED_LABEL,
    OFSTED_NOTIFICATION,
    SOURCE_LENGTH,
)
from threshold.policy import add_working_days, get_pack, parse_facts
from threshold.policy.clocks import RESOLUTION_TARGETS, ClockState, clock, timescales_at_level
from threshold.policy.engine import due_date
from threshold.timescales.models import Deadline, DeadlineState

OPEN, DONE, STOPPED = DeadlineState.OPEN, DeadlineState.MET, DeadlineState.STOPPED


def _source(text: str) -> str:
    return text if len(text) <= SOURCE_LENGTH else text[: SOURCE_LENGTH - 1] + "…"


class Rows:
    """Deadline rows for one authority, made as ``deadlines_sync`` makes each from a spec."""

    def __init__(self, authority: Authority, today: dt.date) -> None:
        self.today = today
        self.now = timezone.now()
        self.lado_pack = get_pack(LADO_PACK, on=today)
        self.trust_pack = get_pack(TRUST_PACK, on=today)
        self.lado_sources = {timescale.id: _source(timescale.source) for timescale in self.lado_pack.timescales}
        self.authority = authority
        self.rows: list[dict[str, Any]] = []

    def add(self, record_field: str, record: Any, organisation_id: int, reference: str, **spec: Any) -> None:
        """One row (``deadlines_sync`` for a new spec): ``met_on`` kept only when met."""
        state = spec.pop("state", OPEN)
        met_on = spec.pop("met_on", None)
        self.rows.append(
            {
                f"{record_field}_id": record.pk,
                "organisation_id": organisation_id,
                "record_key": f"{record._meta.model_name}:{record.pk}",
                "key": spec.pop("key", ""),
                "reference": reference,
                "state": state,
                "met_on": met_on if state == DONE else None,
                "updated_at": self.now,
                "source": spec.pop("source", ""),
                "reason": spec.pop("reason", ""),
                **spec,
            }
        )

    # ------------------------------------------------------------ contacts and cases

    def contacts(self, rows: Iterable[Decided]) -> None:
        """``contact_specs``: advice or a decision within one working day of receipt."""
        for row in rows:
            contact = row.contact
            done = [
                day
                for day in (
                    timezone.localdate(contact.advice_given_at) if contact.advice_given_at else None,
                    timezone.localdate(row.decided_at) if row.decided_at else None,
                )
                if day is not None
            ]
            self.add(
                "contact",
                contact,
                contact.local_authority_id,
                contact.reference,
                kind=INITIAL_DECISION,
                label=CONTACT_LABEL,
                due_on=add_working_days(timezone.localdate(contact.received_at), 1),
                source=self.lado_sources.get(INITIAL_DECISION, ""),
                owner_id=contact.allocated_to_id,
                state=DONE if done else OPEN,
                met_on=min(done) if done else None,
            )

    def cases(self, opened: Iterable[tuple[Decided, Life]]) -> None:
        """``case_specs``: the pack's clocks at the case's tier, the reviews of delay, Ofsted for early years."""
        for row, life in opened:
            case = row.case
            assert case is not None
            assert row.decision is not None
            assert row.decided_at is not None
            checked = parse_facts(row.decision.facts)
            facts = {name: value for name in checked.given() if (value := checked.get(name)) is not None}
            meeting = life.meeting if life.meeting is not None and life.meeting.kind in EVALUATION_KINDS else None
            held_on = timezone.localdate(meeting.held_at) if meeting is not None else None
            done = {
                "decision": timezone.localdate(row.decided_at),
                "evaluation meeting": held_on if held_on is not None and held_on <= self.today else None,
                "conclusion": case.concluded_on,
            }
            add = self._adder("case", case, case.local_authority_id, case.lado_id)
            for timescale in timescales_at_level(self.lado_pack, case.tier, ids=CASE_TIMESCALES, facts=facts):
                name, stopped_by = CASE_TIMESCALES[timescale.id]
                start = (
                    timezone.localdate(row.contact.received_at)
                    if timescale.id == INITIAL_DECISION
                    else case.received_on
                )
                running = case.status == CaseStatus.OPEN
                found = clock(timescale, start=start, done_on=done[stopped_by], today=self.today, running=running)
                state, met_on, reason = OPEN, found.done_on if found.state in MET else None, ""
                if met_on is not None:
                    state = DONE
                elif found.id == EVALUATION_MEETING and held_on is not None and held_on <= found.due:
                    state, met_on = DONE, held_on
                elif found.state is ClockState.NOT_MET:
                    if found.id in RESOLUTION_TARGETS:
                        state, reason = STOPPED, CONCLUDED_FIRST
                    elif (
                        found.id == EVALUATION_MEETING
                        and life.conclusion is not None
                        and life.conclusion.no_meeting_reason
                    ):
                        state, reason = STOPPED, NO_MEETING
                add(
                    kind=found.id,
                    label=name,
                    due_on=found.due,
                    source=_source(found.source),
                    state=state,
                    met_on=met_on,
                    reason=reason,
                )
            self._delay_reviews(case, life, add)
            if case.sector == "early_years":
                ofsted = next((item for item in self.lado_pack.timescales if item.id == OFSTED_NOTIFICATION), None)
                if ofsted is not None:
                    referral = life.ofsted
                    add(
                        kind=OFSTED_NOTIFICATION,
                        label=OFSTED_LABEL,
                        due_on=due_date(ofsted, case.received_on),
                        source=_source(ofsted.source),
                        state=DONE if referral else OPEN,
                        met_on=referral.referred_on if referral else None,
                    )

    def _adder(self, record_field: str, record: Any, organisation_id: int, owner_id: int | None) -> Any:
        """``add`` for one record's rows, owned by ``owner_id``."""

        def add(**spec: Any) -> None:
            self.add(record_field, record, organisation_id, record.reference, owner_id=owner_id, **spec)

        return add

    def _delay_reviews(self, case: Any, life: Life, add: Any) -> None:
        """``_delay_review_specs``: one met row per review, then the next review (stopped if never due)."""
        source = self.lado_sources.get(THREE_MONTHS, "")
        due = three_months_after(case)
        for review in life.reviews:
            add(
                kind=DELAY_REVIEW,
                key=due.isoformat(),
                label=DELAY_REVIEW_LABEL,
                due_on=due,
                source=source,
                state=DONE,
                met_on=review.reviewed_on,
            )
            due = review.next_review_on
        state, reason = OPEN, ""
        if case.status != CaseStatus.OPEN and case.concluded_on is not None and case.concluded_on < due:
            state, reason = STOPPED, DELAY_NOT_DUE
        add(
            kind=DELAY_REVIEW,
            key=due.isoformat(),
            label=DELAY_REVIEW_LABEL,
            due_on=due,
            source=source,
            state=state,
            reason=reason,
        )

    # ------------------------------------------------------------ allegations and settings

    def allegations(self, managed: Iterable[Managed]) -> None:
        """``allegation_deadline_specs`` for the generated shapes (no risk assessment, police record or agency)."""
        pack = self.trust_pack
        sources = {timescale.id: timescale.description[:300] for timescale in pack.timescales}
        managed = list(managed)
        # The LADO's advice and first decision on each allegation's referral, written by the generator already.
        lado_consulted: dict[int, list[dt.date]] = {}
        linked = Contact.objects.filter(allegation__in=[item.allegation.pk for item in managed])
        for allegation_id, advised, decided in linked.values_list("allegation_id", "advice_given_at").annotate(
            decided=Min("decisions__recorded_at")
        ):
            lado_consulted.setdefault(allegation_id, []).extend(
                timezone.localdate(moment) for moment in (advised, decided) if moment is not None
            )
        for item in managed:
            allegation, start, steps, outcome = item.allegation, item.start, item.steps, item.outcome
            route = next(
                (
                    record.route
                    for step, record in steps.items()
                    if step in (Step.DISCUSS_WITH_LADO, Step.HR_STRATEGY) and record.route
                ),
                "",
            )

            add = self._adder("allegation", allegation, allegation.organisation_id, allegation.case_manager_id)

            stored: set[str] = set()
            open_steps: list[tuple[Any, str]] = []
            for step in Step:
                if step == Step.OFSTED_NOTIFIED and step not in steps:
                    continue
                kind = STEP_TIMESCALES.get(step, "")
                record = steps.get(step)
                applies, note = True, ""
                clock_start: dt.date | None = start
                if step == Step.SUSPENSION_CONFIRMED:
                    applies, note, clock_start = False, "Only if the adult is suspended.", None
                elif step in (Step.NO_FURTHER_ACTION, Step.INVESTIGATION) and record is None:
                    other = Step.INVESTIGATION if step == Step.NO_FURTHER_ACTION else Step.NO_FURTHER_ACTION
                    if other in steps:
                        applies = False
                        note = (
                            "An investigation was started instead."
                            if other == Step.INVESTIGATION
                            else "No further action was decided instead."
                        )
                    elif not route:
                        note, clock_start = ROUTE_UNDECIDED, None
                    elif route != step:
                        applies, note = False, f"Not the course of action agreed: {Route(route).label}."
                if kind and clock_start is not None and (found := due_from(pack, kind, clock_start)) is not None:
                    base = {
                        "kind": kind,
                        "label": LABELS.get(kind, kind),
                        "due_on": found[0],
                        "source": sources.get(kind, ""),
                    }
                    if record is not None:
                        add(**base, state=DONE, met_on=record.done_on)
                    elif not applies:
                        add(**base, state=STOPPED, reason=note)
                    else:
                        add(**base)
                    stored.add(kind)
                if (
                    step == Step.INVESTIGATION
                    and clock_start is not None
                    and record is not None
                    # As the checklist: the hearing after an investigation runs from its report.
                    and (hearing := due_from(pack, HEARING, record.done_on)) is not None
                ):
                    base = {
                        "kind": HEARING,
                        "label": LABELS[HEARING],
                        "due_on": hearing[0],
                        "source": sources.get(HEARING, ""),
                    }
                    if outcome is not None and outcome.disciplinary_route:
                        add(**base, state=DONE, met_on=outcome.concluded_on)
                    elif outcome is not None:
                        add(
                            **base,
                            state=STOPPED,
                            reason="Outcome recorded without a disciplinary route: "
                            f"{Outcome(outcome.outcome).label.lower()}.",
                        )
                    elif not applies:
                        add(**base, state=STOPPED, reason=note)
                    else:
                        add(**base)
                    stored.add(HEARING)
                if record is None and applies:
                    open_steps.append((step, kind))
            # Section 6.2: the adult told once the LADO was consulted (step 2, or the LADO's advice or decision on
            # the referral); the generator records no support, so it is due, concluded or not.
            consulted = list(lado_consulted.get(allegation.pk, []))
            if (discussed := steps.get(Step.DISCUSS_WITH_LADO)) is not None:
                consulted.append(discussed.done_on)
            if consulted:
                add(
                    kind=ADULT_INFORMED,
                    label=LABELS[ADULT_INFORMED],
                    due_on=min(consulted),
                    source=ADULT_INFORMED_SOURCE,
                )
            # Policy 6.4's targets at the referral's advised level, met by the outcome (``_target_specs``).
            for timescale in timescales_at_level(pack, item.level, ids=RESOLUTION_TARGETS):
                target = {
                    "kind": timescale.id,
                    "label": LABELS[timescale.id],
                    "due_on": due_date(timescale, start),
                    "source": timescale.description[:300],
                }
                if outcome is not None and item.concluded:
                    add(**target, state=DONE, met_on=outcome.concluded_on)
                else:
                    add(**target)
            if outcome is None or not item.concluded:
                continue
            for step, kind in open_steps:
                if not (kind and kind in stored):
                    add(
                        kind=not_recorded_kind(step),
                        label=f"{Step(step).label}: not recorded before the outcome"[:200],
                        due_on=outcome.concluded_on,
                        source=NOT_RECORDED_SOURCE,
                    )
            advice = outcome.assessment.get("referrals", {})
            for body, kind in FOLLOW_UP_KINDS.items():
                rule, made_on = advice.get(body, {}), getattr(outcome, f"{body}_referred_on")
                if not rule.get("consider") and not made_on:
                    continue
                base = {
                    "kind": kind,
                    "label": LABELS[kind],
                    "due_on": outcome.concluded_on,
                    "source": "Referral " + ("required" if rule.get("required") else "to consider") + " at the outcome",
                }
                add(**base, state=DONE, met_on=made_on) if made_on else add(**base)
            investigated = Step.INVESTIGATION in steps or route == Route.INVESTIGATION
            if investigated:
                base = {
                    "kind": LESSONS_REVIEW,
                    "label": LABELS[LESSONS_REVIEW],
                    "due_on": outcome.concluded_on,
                    "source": LESSONS_SOURCE,
                }
                lessons = item.lessons
                add(**base, state=DONE, met_on=lessons.reviewed_on) if lessons else add(**base)
            if outcome.outcome not in OFF_THE_FILE:
                # Section 8's record on file: the generator keeps none, so each is still due.
                add(
                    kind=FILE_RECORD,
                    label=LABELS[FILE_RECORD],
                    due_on=outcome.concluded_on,
                    source=FILE_RECORD_SOURCE,
                )
            # The adult told the outcome: the generator logs no update after it, so each is still due.
            add(
                kind=OUTCOME_TOLD,
                label=LABELS[OUTCOME_TOLD],
                due_on=outcome.concluded_on,
                source=OUTCOME_TOLD_SOURCE,
            )

    # ------------------------------------------------------------ concerns

    def concerns(self) -> None:
        """``concern_deadlines_sync``'s triage: due the working day after raised, met on the day it was decided."""
        schools = [school.organisation.pk for school in self.authority.schools]
        decided = dict(
            Triage.objects.filter(concern__organisation_id__in=schools).values_list("concern_id", "decided_at")
        )
        today = timezone.localdate()
        shared = Concern.objects.filter(organisation_id__in=schools).only(
            "pk", "reference", "organisation_id", "raised_on", "created_at", "is_anonymous", "status"
        )
        for concern in shared.order_by("pk"):
            if concern.is_anonymous and timezone.localdate(concern.created_at) >= today:
                continue
            at = decided.get(concern.pk)
            if at is None and concern.status != ConcernStatus.NEW:
                continue
            self.add(
                "concern",
                concern,
                concern.organisation_id,
                concern.reference,
                kind=TRIAGE,
                label=TRIAGE_LABEL,
                due_on=add_working_days(concern.raised_on, 1),
                source=TRIAGE_SOURCE,
                state=DONE if at else OPEN,
                met_on=timezone.localdate(at) if at else None,
            )

    def write(self) -> int:
        """Insert the rows, then each setting's termly pattern review rows through the service itself.

        The daily reminder pass syncs every setting, trusts included, whether or not it has concerns.
        """
        insert_values(Deadline, self.rows)
        count = len(self.rows)
        self.rows = []
        for setting in [*self.authority.trusts, *(school.organisation for school in self.authority.schools)]:
            pattern_review_deadline_sync(setting, today=self.today)
        return count
