"""A reader's counted figures, kept for a quarter of an hour so that a report's page and downloads agree (ADR 0045).

Counting a LADO report's period and the period before takes a second or more at an authority with ten years of
records. A LADO reads the page, then prints it, downloads the PDF for the partnership and the workbook for their
own tables: each counted again, and each could differ from the page they checked if a record changed in between.
An employer's dashboard is the same for a headteacher or a trust. So the figures one reader counted are kept
(``CountedReport``) and shown again, with the time they were counted, to that reader for the same report,
organisation and period, until ``KEPT_FOR`` has passed or the reader asks to count again.

Kept figures are never shown to anyone else, nor to the same reader once what decides their reach has changed:
the key (``figures_key``) is ``threshold.access.figures.reader_key`` (their scope, the people rule 2 hides from
them, and which of the records the report counts are about those people), the packs the figures are counted
under and a digest of the code, so figures kept under other rules, other packs or other code, or that could
count a record now about their reader, are counted afresh. Kept figures are as at the time they were counted,
which the page states: a record that changes in any other way in those minutes (received on another day, given
another tier) is shown as it was counted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone

from threshold.access.figures import reader_key
from threshold.accounts.models import Organisation, User
from threshold.allegations.models import Allegation
from threshold.concerns.models import Concern
from threshold.lado.models import Case, Contact
from threshold.policy import Pack
from threshold.reports.models import CountedReport
from threshold.reports.periods import Period

# How long a reader's figures are shown again before they are counted afresh.
KEPT_FOR = dt.timedelta(minutes=15)
KEPT_MINUTES = int(KEPT_FOR.total_seconds() // 60)
# What the page says after "Count the figures again" (a success banner, which a screen reader announces).
COUNTED_AGAIN = "Your figures were counted again."
# The reports whose figures are kept, as ``CountedReport.report`` names them.
Report = Literal["lado", "employer-trust", "employer-school"]
# The records each report counts that name an adult: which of them are about its reader is part of its key.
COUNTED_SUBJECTS: dict[Report, tuple[type[Model], ...]] = {
    "lado": (Contact, Case),
    "employer-trust": (Concern, Allegation),
    "employer-school": (Concern, Allegation),
}


def counted_at_in_files(counted_at: dt.datetime) -> str:
    """When figures were counted, as a CSV line states it: local time in ISO 8601, to the second, with its offset.

    Kept figures may be up to a quarter of an hour older than the file, so a CSV says on every line when its figures
    were counted (the page, print view and workbook say it in words).
    """
    return timezone.localtime(counted_at).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Kept:
    """Figures counted for a reader: when, and what the report keeps of them (JSON-able)."""

    counted_at: dt.datetime
    figures: Any


def _source_digest() -> str:
    """A digest of the product's Python source, read once as the process starts.

    Figures depend on more than a report's own modules (the periods, the access conditions, the vocabularies,
    the models' choices), so any deployment that changes any of it counts every reader's figures afresh, rather
    than show figures shaped or counted by other code.
    """
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for source in sorted(package.rglob("*.py")):
        digest.update(str(source.relative_to(package)).encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


_SOURCE = _source_digest()


def _figures_key(*, user: User, report: Report, packs: Iterable[Pack], counted_over: Iterable[int] = ()) -> str:
    """What a reader's kept figures are kept under: all that decides which records they count, and how.

    The reader's reach, rule 2's people now and the report's records about them (``reader_key``), each pack the
    figures are counted under (its id, version and digest), the organisations they are counted over, and the code.
    """
    named = sorted({f"{pack.ref}:{pack.digest}" for pack in packs})
    parts = f"{reader_key(user, counted=COUNTED_SUBJECTS[report])}:{named}:{sorted(set(counted_over))}:{_SOURCE}"
    return hashlib.sha256(parts.encode()).hexdigest()


def _whose(user: User, report: Report, organisation: Organisation, period: Period) -> dict[str, Any]:
    """The reader, report, organisation and period a row of kept figures is for."""
    return {
        "reader": user,
        "report": report,
        "organisation": organisation,
        "period_start": period.start,
        "period_end": period.end,
    }


def _kept_figures(
    *,
    user: User,
    report: Report,
    organisation: Organisation,
    period: Period,
    key: str,
    now: dt.datetime | None = None,
) -> Kept | None:
    """The figures this reader counted for the report and period in the last ``KEPT_FOR``, under ``key``."""
    now = now or timezone.now()
    row = (
        CountedReport.objects.filter(
            **_whose(user, report, organisation, period),
            key=key,
            counted_at__gt=now - KEPT_FOR,
            counted_at__lte=now,
        )
        .order_by("-counted_at", "-pk")
        .only("counted_at", "figures")
        .first()
    )
    return Kept(counted_at=row.counted_at, figures=json.loads(row.figures)) if row is not None else None


def _keep_figures(
    *, user: User, report: Report, organisation: Organisation, period: Period, key: str, kept: Kept
) -> None:
    """Keep the figures just counted for this reader under ``key``, and remove everyone's figures past their time.

    Called inside the transaction that writes the report's audit event. The reader's own earlier figures of the
    report for the same period go too (two requests counting at once may each keep theirs: the newer is shown).
    """
    whose = _whose(user, report, organisation, period)
    CountedReport.objects.filter(Q(counted_at__lte=kept.counted_at - KEPT_FOR) | Q(**whose)).delete()
    CountedReport.objects.create(**whose, key=key, counted_at=kept.counted_at, figures=json.dumps(kept.figures))


def figures_for(
    *,
    user: User,
    report: Report,
    organisation: Organisation,
    period: Period,
    packs: Iterable[Pack],
    count: Callable[[], Any],
    record: Callable[[Kept, bool], None],
    counted_over: Iterable[int] = (),
    count_again: bool = False,
) -> Kept:
    """The reader's figures of a report: kept from the last ``KEPT_FOR``, else ``count()`` now and kept.

    The one way every kept report gets its figures. The key is worked out once, before counting, and used both to
    look kept figures up and to keep new ones: a key read after counting could file figures counted under the old
    rules under the new (a record that became about the reader while it was counted). Figures counted now are read
    back from JSON as kept ones are, so a first view and a kept one show the same values. ``record(kept,
    counted_now)`` writes the report's audit event, in the same transaction as the figures kept.
    ``count_again``: count now whatever is kept.
    """
    whose: dict[str, Any] = {"user": user, "report": report, "organisation": organisation, "period": period}
    key = _figures_key(user=user, report=report, packs=packs, counted_over=counted_over)
    kept = None if count_again else _kept_figures(key=key, **whose)
    counted_now = kept is None
    if kept is None:
        kept = Kept(counted_at=timezone.now(), figures=json.loads(json.dumps(count())))
    with transaction.atomic():
        if counted_now:
            _keep_figures(key=key, kept=kept, **whose)
        record(kept, counted_now)
    return kept
