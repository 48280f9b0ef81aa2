"""Rows for the LADO service's contacts: the inbox, recording a contact, advice, the decision, reopening, search.

The inbox, consultations and search are the LADO service's pages (and its
auditors', read only): everyone else is refused with 403, as for other pages
whose existence is no secret. Recording a contact is for LADOs and LADO
business support, not auditors. A contact's own pages need "change" on it:
for a Northshire contact that is Lara and Mo; everyone else, Sam of
Southvale and Ada the auditor included, gets the same 404 as for a contact
that does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from threshold.accounts.models import Organisation, User
from threshold.demo import world
from threshold.lado.services.contacts import contact_record


def _new_northshire_contact(ids: dict[str, int]) -> list[Any]:
    contact = contact_record(
        actor=User.objects.get(email=world.PERSONAS_BY_KEY["lara"].email),
        local_authority=Organisation.objects.get(name=world.NORTHSHIRE),
        received_at=timezone.now() - dt.timedelta(hours=1),
        method="phone",
        source="parent",
        adult_name="Dale Dinnerlady",
        summary="A parent says a lunchtime supervisor shouted at their child.",
    )
    return [contact.pk]


def _chris_outcome_recorded(ids: dict[str, int]) -> list[Any]:
    """Hana records an outcome on the demo allegation about Chris: its LADO contact has one to agree."""
    from threshold.allegations.models import Allegation
    from threshold.allegations.services import outcome_record

    outcome_record(
        actor=User.objects.get(email=world.PERSONAS_BY_KEY["hana"].email),
        allegation=Allegation.objects.get(pk=ids["allegation_chris"]),
        report="The CCTV shows Chris separating two pupils.",
        outcome="unsubstantiated",
        concluded_on=timezone.localdate(),
    )
    return [ids["contact_chris"]]


ARGS: dict[str, Callable[[dict[str, int]], list[Any]]] = {
    "contact_advice": _new_northshire_contact,
    "contact_employer_facts": _new_northshire_contact,
    "contact_decide": _new_northshire_contact,
    "contact_reopen": lambda ids: [ids["contact_consultation"]],
    "contact_employer_outcome": lambda ids: _chris_outcome_recorded(ids),
    # A decided contact recorded by hand: the referrer is outside Threshold.
    "contact_decision_letter": lambda ids: [ids["contact_consultation"]],
}

TABLE = """
url                                  lara  mo    sam   hana  dev   tom   priya henry nina  pat   cara  ada   olu   sid   gina
lado_inbox                           200   200   200   403   403   403   403   403   403   403   403   200   403   403   403
lado_search                          200   200   200   403   403   403   403   403   403   403   403   200   403   403   403
consultation_list                    200   200   200   403   403   403   403   403   403   403   403   200   403   403   403
contact_new                          200   200   200   403   403   403   403   403   403   403   403   403   403   403   403
contact_advice                       200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
contact_employer_facts               200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
contact_decide                       200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
contact_reopen                       200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
contact_employer_outcome             200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
contact_decision_letter              200   200   404   404   404   404   404   404   404   404   404   404   404   404   404
"""
