"""Rows for the work lists: My work, the trust's view, the LADO manager's team view and allocating a contact.

My work is every signed-in person's page (it lists only what their access reaches, and says so when that is
nothing). The trust's view is for a director of school or a trust's safeguarding lead; the team view for a
LADO manager: anyone else is refused with 403, as for other pages whose existence is no secret. Allocating
a contact needs the manager of the contact's local authority: everyone else gets the 404 of a contact that
does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ARGS: dict[str, Callable[[dict[str, int]], list[Any]]] = {
    "contact_allocate": lambda ids: [ids["contact_inbox"]],
}

TABLE = """
url                                  lara  mo    sam   hana  dev   tom   priya henry nina  pat   cara  ada   olu   sid   gina
my_work                              200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
trust_work                           403   403   403   403   403   403   200   403   403   403   403   403   403   403   403
lado_team                            403   200   403   403   403   403   403   403   403   403   403   403   403   403   403
contact_allocate                     404   200   404   404   404   404   404   404   404   404   404   404   404   404   404
"""
