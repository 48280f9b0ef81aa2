"""Whether two person records (kept once per organisation) may be the same adult, and why.

People are recorded per organisation, as the sharer spelt the name, so the
same adult at two of a trust's schools has two records. Records linked to the
same account are the same adult; otherwise ``likeness.why_matched`` compares
the name, date of birth and employer.
"""

from __future__ import annotations

from threshold.people.likeness import why_matched
from threshold.people.models import Person


def same_adult_reasons(first: Person, second: Person) -> tuple[str, ...]:
    """The reasons ``second`` may be the same adult as ``first``; empty when it is not a match."""
    if first.pk == second.pk:
        return ("Same person record",)
    if first.user_id is not None and first.user_id == second.user_id:
        return ("Same Threshold account",)
    if first.user_id is not None and second.user_id is not None:
        # Two different accounts are two different people, however alike their names.
        return ()
    reasons, _score = why_matched(
        name=first.full_name,
        date_of_birth=first.date_of_birth,
        employer_name=first.employer.name if first.employer is not None else "",
        their_name=second.full_name,
        their_birth=second.date_of_birth,
        their_employer=second.employer.name if second.employer is not None else "",
    )
    return reasons


def _accounts(group: list[Person]) -> set[int]:
    return {person.user_id for person in group if person.user_id is not None}


def group_same_adults(people: list[Person]) -> list[list[Person]]:
    """Group records that may be the same adult (a match with any member joins the group), in the given order.

    Two records linked to two different accounts are two different people, so
    no group ever holds both, not even through a third record that looks like
    each of them.
    """
    groups: list[list[Person]] = []
    for person in people:
        accounts = {person.user_id} if person.user_id is not None else set()
        joined: list[list[Person]] = []
        for group in groups:
            if not any(same_adult_reasons(other, person) for other in group):
                continue
            held = accounts | _accounts(group) | set().union(*(_accounts(g) for g in joined))
            if len(held) > 1:
                continue
            joined.append(group)
        if not joined:
            groups.append([person])
            continue
        # A person matching two groups joins them: the groups are the same adult too.
        first = joined[0]
        for other in joined[1:]:
            first.extend(other)
            groups.remove(other)
        first.append(person)
    return groups
