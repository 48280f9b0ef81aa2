"""Rows for the import pages (issue 16): the upload page for LADO managers (Mo) and for who handles a setting's
concerns and allegations (Hana and Dev at Oakfield, Priya for the trust's schools, Nina at Little Acorns); 403 for
everyone else, HR (allegations only) and governors included. A run is its starter's alone, so a run nobody here
started is not found, for them too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ARGS: dict[str, Callable[[dict[str, int]], list[Any]]] = {
    "import_run": lambda ids: [1],
    "import_columns": lambda ids: [1],
    "import_values": lambda ids: [1],
    "import_go": lambda ids: [1],
    "import_recheck": lambda ids: [1],
    "import_undo": lambda ids: [1],
    "import_save_mapping": lambda ids: [1],
    "import_problems": lambda ids: [1],
}

TABLE = """
url                                  lara  mo    sam   hana  dev   tom   priya henry nina  pat   cara  ada   olu   sid   gina
imports                              403   200   403   200   200   403   200   403   200   403   403   403   403   403   403
import_run                           404   404   404   404   404   404   404   404   404   404   404   404   404   404   404
import_columns                       404   404   404   404   404   404   404   404   404   404   404   404   404   404   404
import_values                        404   404   404   404   404   404   404   404   404   404   404   404   404   404   404
import_go                            405   405   405   405   405   405   405   405   405   405   405   405   405   405   405
import_recheck                       405   405   405   405   405   405   405   405   405   405   405   405   405   405   405
import_undo                          404   404   404   404   404   404   404   404   404   404   404   404   404   404   404
import_save_mapping                  405   405   405   405   405   405   405   405   405   405   405   405   405   405   405
import_problems                      404   404   404   404   404   404   404   404   404   404   404   404   404   404   404
"""
