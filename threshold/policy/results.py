"""The engine's answers: immutable results that explain themselves and serialise to JSON.

Each result names the pack id, version and digest it came from, so a stored decision
can be traced to the exact rules that produced it. ``as_dict`` gives the JSON form the
command line prints and the product stores; its key order is fixed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from .conditions import AGENCIES, Evidence
from .facts import JSONValue


@dataclass(frozen=True)
class Reason:
    """Why something was advised: the criterion or rule, in the pack's words.

    ``facts`` lists the facts (and earlier decisions) the rule looked at, with the
    values it saw, so a reader can check the advice against the record.
    """

    criterion: str
    text: str
    source: str
    facts: Evidence = ()
    level: str | None = None
    effect: str | None = None
    note: str | None = None

    def as_dict(self) -> dict[str, JSONValue]:
        """Return the JSON form; optional keys appear only when set."""
        out: dict[str, JSONValue] = {"criterion": self.criterion, "text": self.text}
        if self.level is not None:
            out["level"] = self.level
        if self.effect is not None:
            out["effect"] = self.effect
        out["facts"] = dict(self.facts)
        if self.note is not None:
            out["note"] = self.note
        out["source"] = self.source
        return out


@dataclass(frozen=True)
class Advice:
    """Advice on one action (a referral, or suspension).

    ``required`` means the pack says it must happen; ``consider`` means it should at
    least be considered, and is also true whenever ``required`` is.
    """

    required: bool
    consider: bool
    reasons: tuple[Reason, ...]

    @property
    def rank(self) -> int:
        """Return 0 (nothing), 1 (consider) or 2 (required)."""
        return 2 if self.required else 1 if self.consider else 0

    def as_dict(self) -> dict[str, JSONValue]:
        """Return ``{"required", "consider", "reasons"}``."""
        return {
            "required": self.required,
            "consider": self.consider,
            "reasons": [r.as_dict() for r in self.reasons],
        }


@dataclass(frozen=True)
class Deadline:
    """A due date computed from a date fact."""

    id: str
    description: str
    due: date
    counting: str
    start: str
    source: str

    def as_dict(self) -> dict[str, JSONValue]:
        """Return ``{"id", "description", "due", "counting", "from", "source"}``."""
        return {
            "id": self.id,
            "description": self.description,
            "due": self.due.isoformat(),
            "counting": self.counting,
            "from": self.start,
            "source": self.source,
        }


@dataclass(frozen=True)
class Quoted:
    """A piece of the pack's text returned with an answer (guidance, outcome, hold)."""

    id: str
    text: str
    source: str
    items: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, JSONValue]:
        """Return ``{"id", "text", "items"?, "source"}``."""
        out: dict[str, JSONValue] = {"id": self.id, "text": self.text}
        if self.items:
            out["items"] = list(self.items)
        out["source"] = self.source
        return out


@dataclass(frozen=True)
class Response:
    """The response matrix column that applies, with its actions."""

    pattern: str
    title: str
    description: str
    actions: tuple[str, ...]
    notes: tuple[str, ...]
    source: str

    def as_dict(self) -> dict[str, JSONValue]:
        """Return the JSON form."""
        return {
            "pattern": self.pattern,
            "title": self.title,
            "description": self.description,
            "actions": list(self.actions),
            "notes": list(self.notes),
            "source": self.source,
        }


@dataclass(frozen=True)
class PackStamp:
    """Which pack produced a result: id, version and the SHA-256 of the file."""

    id: str
    version: str
    digest: str


@dataclass(frozen=True)
class Assessment:
    """The answer to ``assess``: level, referrals, reasons, deadlines and guidance."""

    pack: PackStamp
    level: str
    level_title: str
    level_description: str
    level_action: str | None
    meets_harm_threshold: bool
    refer_to_lado: bool
    spectrum: Quoted | None
    reasons: tuple[Reason, ...]
    referrals: Mapping[str, Advice]
    suspension: Advice
    suspension_alternatives: tuple[str, ...]
    deadlines: tuple[Deadline, ...]
    non_recent: bool | None
    response: Response | None
    outcome: Quoted | None
    guidance: tuple[Quoted, ...]
    notes: tuple[str, ...]
    facts_not_used: tuple[str, ...]
    # The pack's questions still to be answered (``items``: their facts). While any
    # remain, ``level`` is only what the answers so far reach, not advice to act on.
    needs_answers: tuple[Quoted, ...] = ()

    @property
    def complete(self) -> bool:
        """Return whether every question the pack needs answered has an answer."""
        return not self.needs_answers

    def as_dict(self) -> dict[str, JSONValue]:
        """Return the JSON form printed by ``policy assess`` and stored with a decision."""
        return {
            "pack": self.pack.id,
            "version": self.pack.version,
            "pack_digest": self.pack.digest,
            "level": self.level,
            "level_title": self.level_title,
            "level_description": self.level_description,
            "level_action": self.level_action,
            "meets_harm_threshold": self.meets_harm_threshold,
            "refer_to_lado": self.refer_to_lado,
            "spectrum": self.spectrum.as_dict() if self.spectrum else None,
            "reasons": [r.as_dict() for r in self.reasons],
            "referrals": {agency: self.referrals[agency].as_dict() for agency in AGENCIES},
            "suspension": {
                **self.suspension.as_dict(),
                "alternatives": list(self.suspension_alternatives),
            },
            "deadlines": [d.as_dict() for d in self.deadlines],
            "non_recent": self.non_recent,
            "response": self.response.as_dict() if self.response else None,
            "outcome": self.outcome.as_dict() if self.outcome else None,
            "guidance": [g.as_dict() for g in self.guidance],
            "notes": list(self.notes),
            "facts_not_used": list(self.facts_not_used),
            "complete": self.complete,
            "needs_answers": [question.as_dict() for question in self.needs_answers],
        }


@dataclass(frozen=True)
class RetentionDecision:
    """The answer to ``retention``: keep until when, holds, and the personnel file."""

    pack: PackStamp
    record_type: str
    keep_until: date | None
    holds: tuple[Quoted, ...]
    remove_from_personnel_file: bool
    reasons: tuple[Reason, ...]
    # True when a period could not be worked out, so ``keep_until`` is None however
    # much is known: "the later of" is unknowable until ``waiting_for`` is recorded.
    undetermined: bool = False
    waiting_for: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, JSONValue]:
        """Return the JSON form printed by ``policy retention``."""
        return {
            "pack": self.pack.id,
            "version": self.pack.version,
            "pack_digest": self.pack.digest,
            "record_type": self.record_type,
            "keep_until": self.keep_until.isoformat() if self.keep_until else None,
            "undetermined": self.undetermined,
            "waiting_for": list(self.waiting_for),
            "holds": [h.as_dict() for h in self.holds],
            "remove_from_personnel_file": self.remove_from_personnel_file,
            "reasons": [r.as_dict() for r in self.reasons],
        }


@dataclass(frozen=True)
class ReferenceDecision:
    """The answer to ``reference``: may the record be mentioned, and why.

    ``may_mention`` is None when no rule of the pack applies (for example, the matter
    has no outcome yet): the product must then ask a person, not guess.
    """

    pack: PackStamp
    record_type: str
    may_mention: bool | None
    reasons: tuple[Reason, ...]

    def as_dict(self) -> dict[str, JSONValue]:
        """Return the JSON form printed by ``policy reference``."""
        return {
            "pack": self.pack.id,
            "version": self.pack.version,
            "pack_digest": self.pack.digest,
            "record_type": self.record_type,
            "may_mention": self.may_mention,
            "reasons": [r.as_dict() for r in self.reasons],
        }
