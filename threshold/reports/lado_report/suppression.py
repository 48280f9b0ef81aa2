"""Small-number suppression, for figures that leave the service.

Issue 14: "an option to suppress counts below a threshold the authority sets", default off. ``suppress``
takes both periods' figures at once, since the period before can give a count of this one back.

- **Primary suppression.** Every count from 1 to N-1 is hidden, shown as the words "fewer than N". 0 stays 0,
  because nothing can be learnt about a person from none.
- **Complementary (secondary) suppression**, as published statistics do it. Counts are tied together: the
  lines of a breakdown add up to its total (shown elsewhere, or the sum a reader can take), some breakdowns add
  up to a line of another (``by_phase`` to ``by_sector.school``), a few counts are shown twice
  (``consultations`` is ``by_decision.consultation``), and the cases open at the end of a period are those open
  at the end of the period before, plus the referrals received, less the cases concluded. Wherever exactly one
  count of such a tie is hidden, it could be worked out by subtraction, so the smallest non-zero count still
  shown in the tie is hidden too; this repeats until no tie has exactly one hidden count. Every dict of counts
  in the figures is taken as a breakdown, found by its shape (a new one needs no list); only the ties a shape
  cannot show (``SUBTOTALS``, ``APART``, ``REPEATS``, ``MEASURE_TABLES``, the open cases' flow) are listed. A
  breakdown whose lines add up to more than its total (a referral under several categories) is treated alike,
  which hides a little more than it must.
- **The words.** A count hidden to protect another is 1 or more but need not be below N, so it is not called
  "fewer than N": in a tie that needed one, every hidden count (the small one too) is shown as "withheld", so
  a reader cannot tell the small count from its companion.
- **Free-text labels.** A role typed on fewer than N referrals is counted under "other roles", so the role's
  name itself, which can point at one adult, never appears.
- **Derived figures.** A percentage or median worked out from a hidden count is withheld (None, shown as not
  available), since 1 of 3 as 33.3% gives the count back.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from threshold.lado.models import Level
from threshold.lado.models.cases import InvestigationKind, Sector
from threshold.reports.lado_report import labels

Path = tuple[str, ...]
# A count of one period: 0 for the report's period, 1 for the period before; and where it is in the figures.
Cell = tuple[int, Path]
THIS, BEFORE = 0, 1
WITHHELD = "withheld"

# Each derived figure, and the counts it is worked out from (a path of keys in the figures).
DERIVED: dict[Path, tuple[Path, ...]] = {
    ("timeliness", "within_one_month_percent"): (("timeliness", "within_one_month"), ("timeliness", "concluded")),
    ("timeliness", "within_three_months_percent"): (
        ("timeliness", "within_three_months"),
        ("timeliness", "concluded"),
    ),
    ("timeliness", "within_twelve_months_percent"): (
        ("timeliness", "within_twelve_months"),
        ("timeliness", "concluded"),
    ),
    ("timeliness", "median_days_to_conclusion"): (("timeliness", "concluded"),),
    ("timeliness", "decided_within_one_working_day_percent"): (
        ("timeliness", "decided_within_one_working_day"),
        ("contacts",),
    ),
    ("employer_referral_timeliness", "within_one_working_day_percent"): (
        ("employer_referral_timeliness", "within_one_working_day"),
        ("employer_referral_timeliness", "measured"),
    ),
}
# Figures that are not counts and are never suppressed: the period's dates and label.
NOT_COUNTS = frozenset({("period",)})
# A group holding a percentage or a median measures one set of records several ways: it is not a breakdown.
MEASURES = frozenset(path[:-1] for path in DERIVED)
CONCLUDED: Path = ("timeliness", "concluded")
OPEN: Path = ("by_outcome", labels.OPEN)
# Breakdowns whose lines add up to a figure that can itself be hidden (a line of another breakdown, or the cases
# concluded, which the open cases' flow may hide): the breakdown, and that figure.
SUBTOTALS: dict[Path, Path] = {
    ("consultations_by_reason",): ("by_decision", Level.CONSULTATION.value),
    ("by_phase",): ("by_sector", Sector.SCHOOL.value),
    ("by_outcome",): CONCLUDED,
}
# Lines shown in a breakdown that are not part of what it adds up to (the cases still open, beside the outcomes).
APART = frozenset({OPEN})
# The same count under two keys.
REPEATS: tuple[tuple[Path, Path], ...] = (
    (("consultations",), ("by_decision", Level.CONSULTATION.value)),
    (("non_recent",), ("by_recency", "non_recent")),
    (("suspended",), ("by_risk_measure", "suspended")),
    (("restricted_duties",), ("by_risk_measure", "restricted")),
    (("police_involved",), ("by_investigation", InvestigationKind.CRIMINAL.value)),
)
# Tables of measures, a row per LADO: each column is a breakdown (adding up to the figure named, where that can
# be hidden); a row is not (a LADO's contacts and open cases are not parts of anything).
MEASURE_TABLES: dict[Path, dict[str, Path | None]] = {
    ("by_lado",): {"contacts": None, "referrals": None, "concluded": CONCLUDED, "open_at_end": OPEN},
}
# Open at the end of a period = open at the end of the one before + referrals received - cases concluded, for
# the service and for each LADO: (open, received, concluded) at the top level and in a measure table's row.
FLOW: tuple[Path, Path, Path] = (OPEN, ("referrals",), CONCLUDED)
ROW_FLOW = ("open_at_end", "referrals", "concluded")
# Breakdowns keyed by free text, and the line a label on too few records is counted under instead.
FREE_TEXT: dict[str, str] = {"by_role": "other_roles"}
FREE_TEXT_KEPT = frozenset({"other_roles", labels.NOT_RECORDED})


@dataclass(frozen=True)
class Tie:
    """Counts tied by a sum (a total and its lines) or by being the same count.

    ``cells`` are all the counts of the tie; ``complements`` the counts that may be hidden to protect one, in
    groups tried in order (the smallest non-zero count of the first group that has one).
    """

    cells: tuple[Cell, ...]
    complements: tuple[tuple[Cell, ...], ...]


def fewer_than(below: int) -> str:
    """The words a count below the threshold is shown as."""
    return f"fewer than {below}"


def reader_note(below: int) -> str:
    """What a reader must know about the report's small numbers, at the top of the report and in its files."""
    return (
        f"Counts below {below} are suppressed: each count from 1 to {below - 1} is shown as “{fewer_than(below)}”. "
        "Where one could be worked out from a total and the other lines of its table, from the same count shown "
        "elsewhere or from the period before, the next smallest count is hidden with it, and each count hidden "
        f"in that table is shown as “{WITHHELD}”. A percentage or median worked out from a hidden count is not "
        f"shown, and a role recorded on fewer than {below} referrals is counted under “Other roles”."
    )


def table_note(below: int) -> str:
    """The note each table of a suppressed report carries."""
    return (
        f"Counts from 1 to {below - 1} are shown as “{fewer_than(below)}”. Where a total and the other lines (or "
        f"the period before) would give one back, the next smallest is hidden too and each is shown as "
        f"“{WITHHELD}”. A percentage or median worked out from a hidden count is not shown."
    )


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _at(figures: dict[str, Any], path: Path) -> Any:
    place: Any = figures
    for key in path:
        place = place.get(key) if isinstance(place, dict) else None
    return place


def _counts(value: Any, path: Path) -> Iterator[tuple[Path, int]]:
    """Every count in the figures with its path (not the period, not a derived figure)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _counts(inner, (*path, key))
    elif _is_count(value) and path not in DERIVED and path[:1] not in NOT_COUNTS:
        yield path, value


def _breakdowns(value: Any, path: Path) -> Iterator[Path]:
    """Every dict of counts in the figures (a breakdown), found by its shape; not the measure tables' rows."""
    if not isinstance(value, dict) or path in MEASURES or path in MEASURE_TABLES or path[:1] in NOT_COUNTS:
        return
    if value and all(_is_count(inner) for inner in value.values()):
        yield path
        return
    for key, inner in value.items():
        yield from _breakdowns(inner, (*path, key))


def _sum_tie(period: int, lines: list[Path], total: Path | None, counts: dict[Cell, int]) -> Tie:
    """The lines of a breakdown and, when it is a count of the figures, what they add up to."""
    parts = tuple((period, line) for line in lines if (period, line) in counts)
    whole = ((period, total),) if total is not None and (period, total) in counts else ()
    return Tie(cells=whole + parts, complements=(parts,))


def _period_ties(period: int, figures: dict[str, Any], counts: dict[Cell, int]) -> Iterator[Tie]:
    """The ties within one period: its breakdowns, the measure tables' columns and the counts shown twice."""
    for path in _breakdowns(figures, ()):
        lines = [(*path, key) for key in _at(figures, path) if (*path, key) not in APART]
        yield _sum_tie(period, lines, SUBTOTALS.get(path), counts)
    for path, columns in MEASURE_TABLES.items():
        rows = _at(figures, path) or {}
        for column, total in columns.items():
            yield _sum_tie(period, [(*path, row, column) for row in rows], total, counts)
    for first, second in REPEATS:
        pair = tuple((period, each) for each in (first, second) if (period, each) in counts)
        yield Tie(cells=pair, complements=(pair,))


def _flow_tie(open_at_end: Path, received: Path, concluded: Path, counts: dict[Cell, int]) -> Tie:
    """Open now = open at the end of the period before + received - concluded: hide an open count, else concluded.

    A count missing from the figures (a LADO with no row in one period) is 0 to a reader, so it is left out.
    """
    opens = tuple(cell for cell in ((THIS, open_at_end), (BEFORE, open_at_end)) if cell in counts)
    flows = tuple(cell for cell in ((THIS, received), (THIS, concluded)) if cell in counts)
    last_resort = tuple(cell for cell in flows if cell[1] == concluded)
    return Tie(cells=opens + flows, complements=(opens, last_resort))


def _ties(figures: tuple[dict[str, Any], dict[str, Any]], counts: dict[Cell, int]) -> list[Tie]:
    """Every tie among the counts of both periods (no flow when there are no figures for the period before)."""
    ties = [tie for period, each in enumerate(figures) for tie in _period_ties(period, each, counts)]
    if not figures[BEFORE]:
        return [tie for tie in ties if len(tie.cells) > 1]
    ties.append(_flow_tie(FLOW[0], FLOW[1], FLOW[2], counts))
    for path in MEASURE_TABLES:
        this_rows, before_rows = _at(figures[THIS], path) or {}, _at(figures[BEFORE], path) or {}
        for row in {**this_rows, **before_rows}:
            open_at_end, received, concluded = ((*path, row, column) for column in ROW_FLOW)
            ties.append(_flow_tie(open_at_end, received, concluded, counts))
    return [tie for tie in ties if len(tie.cells) > 1]


def _complement(tie: Tie, hidden: set[Cell], counts: dict[Cell, int]) -> Cell | None:
    """The count to hide beside the one hidden count of the tie: the smallest non-zero one still shown."""
    for group in tie.complements:
        shown = [cell for cell in group if cell not in hidden and counts[cell] > 0]
        if shown:
            return min(shown, key=lambda cell: counts[cell])
    return None


def hidden_counts(figures: tuple[dict[str, Any], dict[str, Any]], below: int) -> tuple[set[Cell], set[Cell]]:
    """Which counts of both periods are hidden, and which of those are shown as "withheld".

    The counts from 1 to ``below``-1, then, until no tie has exactly one hidden count, the smallest non-zero
    count still shown in each such tie. A hidden count is "withheld" when it is in a tie that needed a second
    one hidden, or tied to such a count (so a reader cannot tell which was below the threshold).
    """
    counts = {(period, path): value for period, each in enumerate(figures) for path, value in _counts(each, ())}
    hidden = {cell for cell, value in counts.items() if 0 < value < below}
    ties = _ties(figures, counts)
    complements: set[Cell] = set()
    changed = True
    while changed:
        changed = False
        for tie in ties:
            if sum(cell in hidden for cell in tie.cells) == 1 and (chosen := _complement(tie, hidden, counts)):
                hidden.add(chosen)
                complements.add(chosen)
                changed = True
    withheld: set[Cell] = set()
    spreading = set(complements)
    while spreading:
        withheld |= spreading
        spreading = {
            cell for tie in ties if withheld.intersection(tie.cells) for cell in tie.cells if cell in hidden
        } - withheld
    return hidden, withheld


def _fold_free_text(figures: dict[str, Any], below: int) -> dict[str, Any]:
    """The figures with each free-text label on fewer than ``below`` records counted under its "other" line."""
    folded = copy.deepcopy(figures)
    for key, other in FREE_TEXT.items():
        lines = folded.get(key)
        if not isinstance(lines, dict):
            continue
        rare = {label for label, count in lines.items() if label not in FREE_TEXT_KEPT and count < below}
        if not rare:
            continue
        kept = {label: count for label, count in lines.items() if label not in rare}
        moved = sum(lines[label] for label in rare)
        kept[other] = kept.get(other, 0) + moved
        folded[key] = {label: kept[label] for label in [*lines, other] if label in kept}
    return folded


def _set(figures: dict[str, Any], path: Path, value: Any) -> None:
    place = _at(figures, path[:-1])
    if isinstance(place, dict) and path[-1] in place:
        place[path[-1]] = value


def suppress(
    figures: dict[str, Any], previous: dict[str, Any], below: int | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Copies of a period's and the period before's figures with small numbers suppressed (as the module says).

    Unchanged copies when ``below`` is None (or below 2).
    """
    if not below or below < 2:
        return copy.deepcopy(figures), copy.deepcopy(previous)
    folded = (_fold_free_text(figures, below), _fold_free_text(previous, below))
    hidden, withheld = hidden_counts(folded, below)
    for period, each in enumerate(folded):
        for path, sources in DERIVED.items():
            if any((period, source) in hidden for source in sources):
                _set(each, path, None)
    for period, path in hidden:
        _set(folded[period], path, WITHHELD if (period, path) in withheld else fewer_than(below))
    return folded
