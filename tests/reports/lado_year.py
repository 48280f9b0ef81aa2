"""A hand-built year at Northshire's LADO service, for the LADO report: the financial year 2025 to 2026.

Today is Friday 1 May 2026. The year runs from 1 April 2025 to 31 March 2026; the year before from 1 April
2024 to 31 March 2025.

Contacts this year (received London time, source, decision, allocated LADO):

- C1 00:30 Tuesday 1 April 2025 (BST: 31 March in UTC), police; consultation (a practice issue), decided that day.
- K1c Monday 5 May 2025 (the early May bank holiday), employer by referral in Threshold (Oakfield), the employer
  knew Friday 2 May (one working day: Tuesday 6 May, in time); Tier 1, decided Tuesday 6 May (in time); Lara.
- K2c Monday 2 June 2025, employer (not in Threshold), the employer knew Tuesday 27 May (late); Tier 2, decided
  Wednesday 4 June (late); Mo.
- C5 Tuesday 1 July 2025, health; consultation that day (no safeguarding concern), reopened as Tier 2 on 10 July
  (the referral stands); Lara.
- C7 Friday 1 August 2025, a member of the public, about Lara Lado (linked to her account): Lara never counts it;
  awaiting a decision.
- K3c 16:00 Friday 12 September 2025, police; Tier 1, decided Monday 15 September (in time); Lara.
- C6 Wednesday 1 October 2025, employer, when it knew "not known", about the same adult as K1c; consultation (not
  an adult who works with children), decided Friday 3 October (late); Mo.
- K5c Tuesday 20 January 2026, another local authority; Tier 2, decided that day.
- C2 23:30 Tuesday 31 March 2026 (BST), a parent; awaiting a decision.

Not this year: C3 23:30 Monday 31 March 2025 (last year: an employer's consultation), C4 00:30 Wednesday 1 April
2026 (next year), and a Southvale contact (another authority).

Referrals (cases) this year, received on their contact's day:

- K1 Tier 1, school (Oakfield), physical and emotional, recent, a teacher ("Teacher"); suspended; criminal
  investigation ("ongoing", then "charged"), disciplinary (dismissed); strategy meeting 7 May, review 20 May;
  DBS referral 1 June, TRA 10 June; concluded 25 May 2025 (20 days), substantiated; Lara.
- K2 Tier 2, early years (not in Threshold), neglect, recency not recorded, "Nursery practitioner"; restricted
  duties; disciplinary (written warning); allegations management meeting 10 June; Ofsted notified (no date
  given, recorded 5 June); concluded 1 August 2025 (60 days), unsubstantiated; Mo.
- K7 (from C5) Tier 2, faith, conduct, recent, " TEACHER" typed; managed by children's social care; open; Lara.
- K3 Tier 1, sport, sexual, non-recent, "Football coach"; criminal (no further action), section 47 (not
  substantiated); strategy meetings at 23:30 on 31 March 2026 (this year) and 00:30 on 1 April 2026 (next);
  the DBS referral considered and not made; concluded 31 March 2026 (200 days), false; Lara. Its adult was
  referred last year too (K6).
- K5 Tier 2, school (Hillcrest), no category, recent, not a teacher, no role; no action on risk; open; nobody.

Concluded this year but received last year: K4 (Tier 2, health; received 10 November 2024, concluded 15
December 2025: 400 days, unfounded; a DBS referral recorded then corrected as not made; Lara).
Last year: K6 (Tier 1, received 3 June 2024, concluded 1 July 2024: 28 days, malicious; strategy meeting 5 June
2024; DBS referral 2 July 2024; Lara).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from threshold.accounts.models import Organisation, User
from threshold.demo import world
from threshold.lado.models import (
    BodyReferral,
    Case,
    Contact,
    Decision,
    Investigation,
    Meeting,
    RiskMeasure,
)
from threshold.people.models import Person

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 5, 1, 12, 0, tzinfo=LONDON)
YEAR_START, YEAR_END = dt.date(2025, 4, 1), dt.date(2026, 3, 31)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A London time on ``day``."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


class Builder:
    """Writes the year's rows directly (tests may), ``copies`` times over with different adults."""

    def __init__(self, persona: Callable[[str], User], suffix: str = "") -> None:
        self.lara, self.mo = persona("lara"), persona("mo")
        self.northshire = Organisation.objects.get(name=world.NORTHSHIRE)
        self.southvale = Organisation.objects.get(name=world.SOUTHVALE)
        self.oakfield = Organisation.objects.get(name=world.OAKFIELD)
        self.hillcrest = Organisation.objects.get(name=world.HILLCREST)
        self.suffix = suffix
        self.people: dict[str, Person] = {}

    def person(self, name: str, **extra: Any) -> Person:
        """The Northshire person record of an adult (one per name)."""
        if name not in self.people:
            full_name = f"{name} {self.suffix}".strip()
            self.people[name] = Person.objects.create(organisation=self.northshire, full_name=full_name, **extra)
        return self.people[name]

    def contact(self, adult: str, received_at: dt.datetime, source: str, **fields: Any) -> Contact:
        """A Northshire contact about ``adult``."""
        return Contact.objects.create(
            local_authority=fields.pop("local_authority", self.northshire),
            subject=fields.pop("subject", None) or self.person(adult),
            received_at=received_at,
            source=source,
            summary="Hand-built contact.",
            **fields,
        )

    def decide(
        self, contact: Contact, level: str, on: dt.datetime, *, reason: str = "", case: Case | None = None
    ) -> None:
        """A decision on ``contact`` recorded at ``on``."""
        Decision.objects.create(
            contact=contact, level=level, consultation_reason=reason, case=case, recorded_at=on, recorded_by=self.lara
        )

    def case(self, contact: Contact, tier: str, **fields: Any) -> Case:
        """The case a contact opened (received on the contact's London day)."""
        return Case.objects.create(
            local_authority=contact.local_authority,
            subject=contact.subject,
            contact=contact,
            tier=tier,
            summary="Hand-built case.",
            received_on=contact.received_at.astimezone(LONDON).date(),
            **fields,
        )

    def conclude(self, case: Case, outcome: str, on: dt.date) -> None:
        """Conclude the case (the fields the conclusion keeps current)."""
        Case.objects.filter(pk=case.pk).update(status="concluded", outcome=outcome, concluded_on=on)

    def row(self, model: Any, case: Case, recorded_at: dt.datetime | None = None, **fields: Any) -> None:
        """A sub-record of the case (an investigation, risk measure, referral to a body)."""
        model.objects.create(
            case=case, recorded_by=self.lara, recorded_at=recorded_at or at(case.received_on), **fields
        )

    def meeting(self, case: Case, kind: str, held_at: dt.datetime) -> None:
        """A meeting of the case."""
        Meeting.objects.create(case=case, kind=kind, held_at=held_at, created_by=self.lara)

    def build(self) -> None:
        """Every contact, case and sub-record of the year (and those around it)."""
        d = dt.date
        c1 = self.contact("Tamsin Quill", at(d(2025, 4, 1), 0, 30), "police")
        self.decide(c1, "consultation", at(d(2025, 4, 1), 11), reason="practice_issue")

        k1c = self.contact(
            "Quentin Zephyr", at(d(2025, 5, 5)), "threshold", employer=self.oakfield, employer_knew_on=d(2025, 5, 2),
            subject_is_teacher=True, allocated_to=self.lara,
        )  # fmt: skip
        k1 = self.case(
            k1c, "tier-1", sector="school", employer=self.oakfield, abuse_categories=["physical", "emotional"],
            non_recent=False, adult_role="Teacher", lado=self.lara,
        )  # fmt: skip
        self.decide(k1c, "tier-1", at(d(2025, 5, 6), 9), case=k1)
        self.row(RiskMeasure, k1, kind="suspended", started_on=d(2025, 5, 6))
        self.row(Investigation, k1, at(d(2025, 5, 6)), kind="criminal", outcome="ongoing")
        self.row(Investigation, k1, at(d(2025, 5, 20)), kind="criminal", outcome="charge")
        self.row(Investigation, k1, kind="disciplinary", outcome="dismissal")
        self.meeting(k1, "strategy", at(d(2025, 5, 7)))
        self.meeting(k1, "review", at(d(2025, 5, 20)))
        self.row(BodyReferral, k1, body="dbs", referred=True, referred_on=d(2025, 6, 1))
        self.row(BodyReferral, k1, body="tra", referred=True, referred_on=d(2025, 6, 10))
        self.conclude(k1, "substantiated", d(2025, 5, 25))

        k2c = self.contact(
            "Rhea Okafor", at(d(2025, 6, 2), 9), "employer", employer_knew_on=d(2025, 5, 27), allocated_to=self.mo
        )
        k2 = self.case(
            k2c, "tier-2", sector="early_years", employer_name="Tiny Tots", abuse_categories=["neglect"],
            adult_role="Nursery practitioner", lado=self.mo,
        )  # fmt: skip
        self.decide(k2c, "tier-2", at(d(2025, 6, 4)), case=k2)
        self.row(RiskMeasure, k2, kind="restricted")
        self.row(Investigation, k2, kind="disciplinary", outcome="written_warning")
        self.meeting(k2, "allegations_management", at(d(2025, 6, 10)))
        self.row(BodyReferral, k2, at(d(2025, 6, 5)), body="ofsted", referred=True)
        self.conclude(k2, "unsubstantiated", d(2025, 8, 1))

        c5 = self.contact("Idris Penhallow", at(d(2025, 7, 1)), "health", allocated_to=self.lara)
        self.decide(c5, "consultation", at(d(2025, 7, 1), 15), reason="no_safeguarding_concern")
        k7 = self.case(
            c5, "tier-2", sector="faith", abuse_categories=["conduct"], non_recent=False, adult_role=" TEACHER",
            managed_by="childrens_social_care", lado=self.lara,
        )  # fmt: skip
        self.decide(c5, "tier-2", at(d(2025, 7, 10)), case=k7)

        self.contact("Lara Lado", at(d(2025, 8, 1)), "public", subject=self.person("Lara", user=self.lara))

        rowan = self.person("Rowan Yarrow")
        k6c = self.contact("Rowan Yarrow", at(d(2024, 6, 3)), "police")
        k6 = self.case(k6c, "tier-1", sector="sport", abuse_categories=["physical"], lado=self.lara)
        self.decide(k6c, "tier-1", at(d(2024, 6, 3), 12), case=k6)
        self.meeting(k6, "strategy", at(d(2024, 6, 5)))
        self.row(BodyReferral, k6, at(d(2024, 7, 2)), body="dbs", referred=True, referred_on=d(2024, 7, 2))
        self.conclude(k6, "malicious", d(2024, 7, 1))

        k3c = self.contact("Rowan Yarrow", at(d(2025, 9, 12), 16), "police", subject=rowan, allocated_to=self.lara)
        k3 = self.case(
            k3c, "tier-1", sector="sport", abuse_categories=["sexual"], non_recent=True, adult_role="Football coach",
            lado=self.lara,
        )  # fmt: skip
        self.decide(k3c, "tier-1", at(d(2025, 9, 15)), case=k3)
        self.row(Investigation, k3, kind="criminal", outcome="no_further_action")
        self.row(Investigation, k3, kind="section_47", outcome="not_substantiated")
        self.meeting(k3, "strategy", at(d(2026, 3, 31), 23, 30))
        self.meeting(k3, "strategy", at(d(2026, 4, 1), 0, 30))
        self.row(BodyReferral, k3, body="dbs", referred=False, explanation="Not removed from regulated activity.")
        self.conclude(k3, "false", d(2026, 3, 31))

        c6 = self.contact(
            "Quentin Zephyr", at(d(2025, 10, 1)), "employer", employer_knew_not_known=True, allocated_to=self.mo
        )
        self.decide(c6, "consultation", at(d(2025, 10, 3)), reason="not_working_with_children")

        k4c = self.contact("Sasha Vickers", at(d(2024, 11, 10)), "employer")
        k4 = self.case(k4c, "tier-2", sector="health", abuse_categories=["physical"], lado=self.lara)
        self.decide(k4c, "tier-2", at(d(2024, 11, 11)), case=k4)
        self.row(BodyReferral, k4, at(d(2025, 12, 20)), body="dbs", referred=True, referred_on=d(2025, 12, 20))
        self.row(BodyReferral, k4, at(d(2025, 12, 21)), body="dbs", referred=False, explanation="Recorded in error.")
        self.conclude(k4, "unfounded", d(2025, 12, 15))

        k5c = self.contact("Ulla Brightwater", at(d(2026, 1, 20)), "other_local_authority", subject_is_teacher=False)
        k5 = self.case(k5c, "tier-2", sector="school", employer=self.hillcrest, non_recent=False)
        self.decide(k5c, "tier-2", at(d(2026, 1, 20), 16), case=k5)
        self.row(RiskMeasure, k5, kind="none")

        self.contact("Piers Lockwood", at(d(2026, 3, 31), 23, 30), "parent")

        c3 = self.contact("Orla Fenwick", at(d(2025, 3, 31), 23, 30), "employer")
        self.decide(c3, "consultation", at(d(2025, 4, 1), 9), reason="no_safeguarding_concern")
        self.contact("Orla Fenwick", at(d(2026, 4, 1), 0, 30), "police")
        southvale_adult = Person.objects.create(
            organisation=self.southvale, full_name=f"Wendell Ashgrove {self.suffix}"
        )
        self.contact("", at(d(2025, 6, 1)), "police", local_authority=self.southvale, subject=southvale_adult)


def build_lado_year(persona: Callable[[str], User], *, copies: int = 1) -> None:
    """The hand-built year, ``copies`` times over (each copy about other adults)."""
    for copy in range(copies):
        Builder(persona, suffix="" if copy == 0 else f"Copy{copy}").build()
