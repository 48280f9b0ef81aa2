"""A large authority's ten years in Northshire, built in bulk for the benches (never in the configured database).

Shared by ``bench/work_lists.py`` and ``bench/reports.py``: 20 LADOs, N contacts each about its own adult, a case
for an even share of them (200 open with Lara, the rest spread), each case with the recording data set a report
counts (sector, categories, non-recent, outcome and conclusion date for concluded ones), and the stored deadlines
the services would have written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

LADOS = 20
SECTORS = ("school", "early_years", "health", "sport", "faith", "voluntary", "transport")
CATEGORIES = ("physical", "sexual", "emotional", "neglect", "conduct")
OUTCOMES = ("substantiated", "unsubstantiated", "unfounded", "false", "malicious")


@dataclass
class LargeAuthority:
    """What was built: the authority, its LADOs and the counts."""

    authority: Any
    lados: list[Any]
    contacts: int
    cases: int
    deadlines: int


def build_large_authority(*, contacts: int, cases: int) -> LargeAuthority:
    """Bulk-create the contacts, cases and deadlines in Northshire (the demo world must be loaded)."""
    from django.utils import timezone

    from threshold.accounts.models import Membership, Organisation, User
    from threshold.accounts.roles import Role
    from threshold.demo import world
    from threshold.lado.models import Case, Contact, ContactStatus
    from threshold.people.models import Person
    from threshold.timescales.models import Deadline, DeadlineState

    northshire = Organisation.objects.get(name=world.NORTHSHIRE)
    lara = User.objects.get(email=world.PERSONAS_BY_KEY["lara"].email)
    lados = [lara] + [
        User.objects.create_user(email=f"bench.lado{n}@northshire.example", full_name=f"Bench Lado {n}")
        for n in range(1, LADOS)
    ]
    Membership.objects.bulk_create(
        [Membership(user=user, organisation=northshire, role=Role.LADO) for user in lados[1:]]
    )
    people = Person.objects.bulk_create(
        [Person(organisation=northshire, full_name=f"Adult Number{n}") for n in range(contacts)],
        batch_size=2000,
    )
    today = timezone.localdate()
    start = today - dt.timedelta(days=3650)
    made_contacts = Contact.objects.bulk_create(
        [
            Contact(
                local_authority=northshire, subject=person, adult_name=person.full_name,
                received_at=timezone.make_aware(dt.datetime.combine(start + dt.timedelta(days=n % 3650), dt.time(9))),
                summary="Synthetic contact for benchmarking.", status=ContactStatus.DECIDED,
                allocated_to=lados[n % LADOS],
            )
            for n, person in enumerate(people)
        ],
        batch_size=2000,
    )  # fmt: skip
    step = max(1, len(made_contacts) // cases)

    def case_for(n: int, contact: Any) -> Any:
        received = timezone.localdate(contact.received_at)
        concluded = not (n % 10 == 0 or n < 200)
        return Case(
            local_authority=northshire, subject=contact.subject, contact=contact, adult_name=contact.adult_name,
            summary="Synthetic case.", tier=("tier-1", "tier-2")[n % 2], received_on=received,
            lado=lara if n < 200 else lados[1 + n % (LADOS - 1)],
            status="concluded" if concluded else "open",
            sector=SECTORS[n % len(SECTORS)], abuse_categories=[CATEGORIES[n % len(CATEGORIES)]],
            non_recent=n % 7 == 0,
            outcome=OUTCOMES[n % len(OUTCOMES)] if concluded else "",
            concluded_on=received + dt.timedelta(days=15 + (n * 37) % 400) if concluded else None,
        )  # fmt: skip

    made_cases = Case.objects.bulk_create(
        [case_for(n, contact) for n, contact in enumerate(made_contacts[::step][:cases])], batch_size=2000
    )
    rows = []
    for case in made_cases:
        for kind, days in (("lado-initial-decision", 1), ("evaluation-meeting", 7), ("resolve-target-one-month", 30)):
            rows.append(
                Deadline(
                    case=case, organisation=northshire, record_key=f"case:{case.pk}", kind=kind,
                    reference=case.reference, label=kind.replace("-", " ").capitalize(), owner=case.lado,
                    due_on=case.received_on + dt.timedelta(days=days),
                    state=DeadlineState.OPEN if case.status == "open" else DeadlineState.MET,
                )
            )  # fmt: skip
    for contact in made_contacts:
        rows.append(
            Deadline(
                contact=contact, organisation=northshire, record_key=f"contact:{contact.pk}",
                kind="lado-initial-decision", reference=contact.reference, label="Advice and initial decision",
                owner=contact.allocated_to, due_on=timezone.localdate(contact.received_at) + dt.timedelta(days=1),
                state=DeadlineState.MET,
            )
        )  # fmt: skip
    Deadline.objects.bulk_create(rows, batch_size=2000)
    return LargeAuthority(
        authority=northshire, lados=lados, contacts=len(made_contacts), cases=len(made_cases), deadlines=len(rows)
    )
