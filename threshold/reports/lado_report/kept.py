"""A reader's counted figures, kept for a quarter of an hour so that the report's page and downloads agree (ADR 0045).

Counting a period and the period before takes a second or more at an authority with ten years of records. A LADO
reads the page, then prints it, downloads the PDF for the partnership and the workbook for their own tables: each
counted again, and each could differ from the page they checked if a record changed in between. So the figures
one reader counted are kept (``CountedReport``) and shown again, with the time they were counted, to that reader
for the same authority and period, until ``KEPT_FOR`` has passed or the reader asks to count again.

Kept figures are never shown to anyone else, nor to the same reader once what decides their reach has changed:
the key (``figures_key``) is ``threshold.access.figures.reader_key`` (their scope and the people rule 2 hides
from them), the pack and a digest of the code, so figures kept under other rules, another pack or other code are
counted afresh. Kept figures are as at the time they were counted, which the page states: a record that changes
in another way in those minutes (a subject re-pointed to another person record) is shown as it was counted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import Q
from django.utils import timezone

from threshold.access.figures import reader_key
from threshold.accounts.models import Organisation, User
from threshold.policy import Pack
from threshold.reports.models import CountedReport
from threshold.reports.periods import Period

# How long a reader's figures are shown again before they are counted afresh.
KEPT_FOR = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class Kept:
    """Figures counted for a reader: when, and the unsuppressed figures of the period and of the period before."""

    counted_at: dt.datetime
    figures: dict[str, Any]
    previous: dict[str, Any]


def _source_digest() -> str:
    """A digest of the product's Python source, read once as the process starts.

    Figures depend on more than the report's own modules (the periods, the access conditions, the vocabularies,
    the models' choices), so any deployment that changes any of it counts every reader's figures afresh, rather
    than show figures shaped or counted by other code.
    """
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[2]
    for source in sorted(package.rglob("*.py")):
        digest.update(str(source.relative_to(package)).encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


_SOURCE = _source_digest()


def figures_key(*, user: User, pack: Pack) -> str:
    """What a reader's kept figures are kept under: all that decides which records they count, and how.

    The reader's reach and rule 2's people now (``reader_key``), the pack the period is counted under (its id,
    version and digest) and the code. Worked out once, before counting, and used both to look kept figures up
    and to keep new ones: a key read after counting could file figures counted under the old rules under the
    new (a record that became about the reader while it was counted).
    """
    parts = f"{reader_key(user)}:{pack.ref}:{pack.digest}:{_SOURCE}"
    return hashlib.sha256(parts.encode()).hexdigest()


def _whose(user: User, authority: Organisation, period: Period) -> dict[str, Any]:
    """The reader, authority and period a row of kept figures is for."""
    return {"reader": user, "authority": authority, "period_start": period.start, "period_end": period.end}


def kept_figures(
    *, user: User, authority: Organisation, period: Period, key: str, now: dt.datetime | None = None
) -> Kept | None:
    """The figures this reader counted for the authority and period in the last ``KEPT_FOR``, under ``key``."""
    now = now or timezone.now()
    row = (
        CountedReport.objects.filter(
            **_whose(user, authority, period), key=key, counted_at__gt=now - KEPT_FOR, counted_at__lte=now
        )
        .order_by("-counted_at", "-pk")
        .only("counted_at", "figures", "previous")
        .first()
    )
    if row is None:
        return None
    return Kept(counted_at=row.counted_at, figures=json.loads(row.figures), previous=json.loads(row.previous))


def keep_figures(*, user: User, authority: Organisation, period: Period, key: str, kept: Kept) -> None:
    """Keep the figures just counted for this reader under ``key``, and remove everyone's figures past their time.

    Called inside the transaction that writes the report's audit event. The reader's own earlier figures for
    the same period go too (two requests counting at once may each keep theirs: the newer is the one shown).
    """
    whose = _whose(user, authority, period)
    CountedReport.objects.filter(Q(counted_at__lte=kept.counted_at - KEPT_FOR) | Q(**whose)).delete()
    CountedReport.objects.create(
        **whose,
        key=key,
        counted_at=kept.counted_at,
        figures=json.dumps(kept.figures),
        previous=json.dumps(kept.previous),
    )
