"""Rows for the printed records (issue 14): the case file, the LADO contact and the employer's referral, each as a
print page and a PDF.

Who may print a record is who may read it in full ("view"). Chris's Northshire case: Lara and Mo (the LADO
service), Ada (auditor) and Cara (the whole case is shared with her); Pat sees only a meeting's summary, so no case
file. The contact is the LADO service's and its auditor's. The referral is printed from Chris's allegation at
Oakfield by those who read the allegation: Hana, Dev, Priya and Henry. Everyone else gets the 404 of a record that
does not exist; the allegation is referred here first, as Hana would.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from threshold.accounts.models import User
from threshold.allegations.models import Allegation
from threshold.allegations.services import referral_make
from threshold.demo import world


def _referred_chris_allegation(ids: dict[str, int]) -> list[Any]:
    allegation = Allegation.objects.get(pk=ids["allegation_chris"])
    if not allegation.referrals.exists():
        referral_make(actor=User.objects.get(email=world.PERSONAS_BY_KEY["hana"].email), allegation=allegation)
    return [allegation.pk]


ARGS: dict[str, Callable[[dict[str, int]], list[Any]]] = {
    "case_print": lambda ids: [ids["case_chris"]],
    "case_pdf": lambda ids: [ids["case_chris"]],
    "contact_print": lambda ids: [ids["contact_chris"]],
    "contact_pdf": lambda ids: [ids["contact_chris"]],
    "referral_print": _referred_chris_allegation,
    "referral_pdf": _referred_chris_allegation,
}

TABLE = """
url                                  lara  mo    sam   hana  dev   tom   priya henry nina  pat   cara  ada   olu   sid   gina
case_pdf                             200   200   404   404   404   404   404   404   404   404   200   200   404   404   404
case_print                           200   200   404   404   404   404   404   404   404   404   200   200   404   404   404
contact_pdf                          200   200   404   404   404   404   404   404   404   404   404   200   404   404   404
contact_print                        200   200   404   404   404   404   404   404   404   404   404   200   404   404   404
referral_pdf                         404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
referral_print                       404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
"""
