"""Compare a sample of the generated records' stored deadlines with what the services' syncs would write.

``deadlines_sync`` works each record's rows out from its specs (``contact_specs``, ``case_specs``,
``allegation_deadline_specs``, ``concern_deadlines_sync``'s): a stored row differing from its spec in what is
due, when, whose and in what state would be rewritten by the next sync. Nothing differing means the
generator wrote what the services would have.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from threshold.allegations.models import Allegation
from threshold.allegations.services.deadlines import ALLEGATION_KINDS, allegation_deadline_specs
from threshold.lado.models import Case, Contact
from threshold.lado.services.deadlines import CASE_KINDS, CONTACT_KINDS, case_specs, contact_specs
from threshold.timescales.models import Deadline, DeadlineState
from threshold.timescales.services import record_key

FIELDS = ("kind", "key", "label", "source", "owner_id", "due_on", "state", "met_on", "reason")


def _spec_row(spec: Any) -> tuple[Any, ...]:
    met_on = spec.met_on if spec.state == DeadlineState.MET else None
    owner = spec.owner.pk if spec.owner is not None else None
    return (spec.kind, spec.key, spec.label, spec.source, owner, spec.due_on, str(spec.state), met_on, spec.reason)


def check_deadlines(sample: int, *, seed: int = 15) -> Iterator[str]:
    """One line per kind of record: how many of ``sample`` records' stored rows match their specs."""
    rng = random.Random(seed)
    kinds: tuple[tuple[str, Any, tuple[str, ...], Any], ...] = (
        ("contacts", Contact, CONTACT_KINDS, contact_specs),
        ("cases", Case, CASE_KINDS, case_specs),
        ("allegations", Allegation, ALLEGATION_KINDS, allegation_deadline_specs),
    )
    for name, model, owned, specs in kinds:
        # access-lint: allow a bench's check of its own generated rows against the services' specs
        ids = list(model._default_manager.values_list("pk", flat=True))
        differing = []
        for pk in rng.sample(ids, min(sample, len(ids))):
            record = model._default_manager.get(pk=pk)
            wanted = sorted(_spec_row(spec) for spec in specs(record))
            stored = sorted(Deadline.objects.filter(record_key=record_key(record), kind__in=owned).values_list(*FIELDS))
            if wanted != stored:
                differing.append((pk, wanted, stored))
        yield f"Deadlines of {min(sample, len(ids))} {name}: {len(differing)} differ from the services' specs."
        for pk, wanted, stored in differing[:3]:
            yield f"  {name} {pk}:\n    specs  {wanted}\n    stored {stored}"
