"""Loading one policy pack from a TOML file, validating every key before it is used.

Each ``*.toml`` file in a packs directory is one version of one pack. The loader
validates everything it can before any decision is made — every key, every fact a
condition names, every level a rule refers to — and fails with a message naming the
file, the key and the problem.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar, cast

from .conditions import AGENCIES, EFFECTS, Always, Condition, Parser, Stage
from .errors import PackError
from .facts import DATE_FACTS, FACTS, OUTCOMES, RECORD_TYPES
from .pack import (
    Criterion,
    Definition,
    Level,
    LowLevelConcerns,
    Pack,
    Period,
    RecordRetention,
    ReferenceRule,
    References,
    ResponseMatrix,
    ResponseRow,
    Retention,
    Rule,
    Statement,
    Suspension,
    Timescale,
    Unit,
)
from .questions import parse_questions
from .reader import Node, Table

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.\-]{0,31}")
_TOP_LEVEL = (
    "pack",
    "definitions",
    "levels",
    "referrals",
    "suspension",
    "timescales",
    "guidance",
    "retention",
    "references",
    "low_level_concerns",
    "outcomes",
    "spectrum",
    "response_matrix",
    "routing",
    "needs_answers",
)
# The roles a pack may name to receive concerns routed past the head of a setting with no trust.
NO_TRUST_RECIPIENTS = ("governance",)
_UNITS: tuple[Unit, ...] = ("working_days", "calendar_days", "months")
_INPUT_DATES = tuple(name for name in DATE_FACTS if not FACTS[name].derived)
_T = TypeVar("_T")


def load_pack(path: Path) -> Pack:
    """Read and validate one pack file; raise ``PackError`` naming file, key and problem."""
    file = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise PackError(file, "", f"cannot be read: {error.strerror or error}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise PackError(file, "", "is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise PackError(file, "", f"is not valid TOML: {error}") from None
    root = Node(data, file, "").table(_TOP_LEVEL)
    return _Builder(root, file, "sha256:" + hashlib.sha256(raw).hexdigest()).build()


class _Builder:
    """Builds a ``Pack`` from a parsed file, section by section."""

    def __init__(self, root: Table, file: str, digest: str) -> None:
        self.root = root
        self.file = file
        self.digest = digest
        definitions = root.opt("definitions")
        self.definitions: Mapping[str, Node] = {}
        if definitions is not None:
            table = definitions.table()
            self.definitions = {key: table.req(key) for key in table.data}
        # Filled by _levels before any condition is parsed, so that a rule anywhere in
        # the file can name any level in level_at_least.
        self.level_ranks: dict[str, int] = {}
        self.parser = Parser(self.definitions, self.level_ranks)

    def build(self) -> Pack:
        head = self.root.req("pack").table(
            {"id", "version", "title", "source", "effective_from", "non_recent_after_months", "notes"}
        )
        pack_id = _identifier(head.req("id"))
        version = head.req("version").text()
        if not _VERSION.fullmatch(version):
            raise head.req("version").error("must be letters, digits, '.' or '-' (at most 32)")
        effective = head.opt("effective_from")
        notes = head.opt("notes")
        spectrum = self._definitions("spectrum", required=None, extra=("when",))
        levels = self._levels(spectrum)
        return Pack(
            id=pack_id,
            version=version,
            title=head.req("title").text(),
            source=head.req("source").text(),
            effective_from=effective.day() if effective else None,
            non_recent_after_months=head.req("non_recent_after_months").whole(1, 600),
            notes=notes.texts() if notes else (),
            path=self.file,
            digest=self.digest,
            definitions=MappingProxyType(
                {name: self.parser.parse(node, Stage.SUSPENSION) for name, node in self.definitions.items()}
            ),
            levels=levels,
            referrals=self._referrals(),
            suspension=self._suspension(),
            timescales=self._timescales(),
            guidance=tuple(self._each("guidance", lambda n: self._statement(n, Stage.SUSPENSION), optional=True)),
            retention=self._retention(),
            references=self._references(),
            low_level_concerns=self._low_level(),
            outcomes=self._definitions("outcomes", required=OUTCOMES),
            spectrum=spectrum,
            response_matrix=self._response_matrix(),
            no_trust_recipient=self._no_trust_recipient(),
            spectrum_when=self._spectrum_when(),
            needs_answers=parse_questions(self._each, self.parser),
        )

    def _spectrum_when(self) -> Mapping[str, Condition]:
        """The bands that say when they apply (parsed after the levels, which a condition may name)."""
        node = self.root.opt("spectrum")
        if node is None:
            return MappingProxyType({})
        table = node.table()
        found: dict[str, Condition] = {}
        names = table.keys()
        for name in names:
            when = table.req(name).table().opt("when")
            if when is not None:
                found[name] = self.parser.parse(when, Stage.LEVEL)
        return MappingProxyType(found)

    def _each(
        self, key: str, build: Callable[[Node], _T], *, optional: bool = False, within: Table | None = None
    ) -> list[_T]:
        table = within or self.root
        node = table.opt(key) if optional else table.req(key)
        built = [build(item) for item in node.items()] if node is not None else []
        _unique(node, built)
        return built

    def _levels(self, spectrum: Mapping[str, Definition]) -> tuple[Level, ...]:
        nodes = self.root.req("levels").items()
        if len(nodes) < 2:
            raise self.root.req("levels").error("needs at least two levels, lowest first")
        for rank, node in enumerate(nodes):
            level_id = _identifier(node.table().req("id"))
            if level_id in self.level_ranks:
                raise node.error(f"level id '{level_id}' is used twice")
            self.level_ranks[level_id] = rank
        levels = tuple(self._level(node, rank, spectrum) for rank, node in enumerate(nodes))
        seen: set[str] = set()
        for node, level in zip(nodes, levels, strict=True):
            for index, criterion in enumerate(level.criteria):
                where = node.child(None, f".criteria[{index}]")
                if criterion.id in seen:
                    raise where.error(f"criterion id '{criterion.id}' is used twice in this pack")
                seen.add(criterion.id)
                if criterion.gate and level.rank != 0:
                    raise where.error("'gate' criteria belong to the lowest level only")
            if level.rank and not level.criteria:
                raise node.error(f"level '{level.id}' has no criteria, so it could never be chosen")
        for lower, higher in itertools.pairwise(levels):
            for flag in ("meets_harm_threshold", "refer_to_lado"):
                if getattr(lower, flag) and not getattr(higher, flag):
                    raise nodes[higher.rank].error(f"'{flag}' is true for '{lower.id}' so it must be true here too")
        return levels

    def _level(self, node: Node, rank: int, spectrum: Mapping[str, Definition]) -> Level:
        table = node.table(
            (
                "id",
                "title",
                "description",
                "action",
                "meets_harm_threshold",
                "refer_to_lado",
                "spectrum",
                "source",
                "examples",
                "criteria",
            )
        )
        band = table.opt("spectrum")
        examples = table.opt("examples")
        criteria = table.opt("criteria")
        return Level(
            id=table.req("id").text(),
            rank=rank,
            title=table.req("title").text(),
            description=table.req("description").text(),
            action=_optional_text(table, "action"),
            meets_harm_threshold=table.req("meets_harm_threshold").flag(),
            refer_to_lado=table.req("refer_to_lado").flag(),
            spectrum=band.word(spectrum) if band else None,
            criteria=tuple(self._criterion(item) for item in criteria.items()) if criteria else (),
            examples=_example_table(examples),
            source=table.req("source").text(),
        )

    def _criterion(self, node: Node) -> Criterion:
        table = node.table({"id", "text", "when", "source", "note", "gate", "examples"})
        gate = table.opt("gate")
        examples = table.opt("examples")
        return Criterion(
            id=_identifier(table.req("id")),
            text=table.req("text").text(),
            when=self.parser.parse(table.req("when"), Stage.REFERRALS),
            source=table.req("source").text(),
            note=_optional_text(table, "note"),
            gate=gate.flag() if gate else False,
            examples=examples.texts() if examples else (),
        )

    def _rule(self, node: Node, stage: Stage) -> Rule:
        table = node.table({"id", "text", "effect", "when", "source", "note"})
        return Rule(
            id=_identifier(table.req("id")),
            text=table.req("text").text(),
            effect="required" if table.req("effect").word(EFFECTS) == "required" else "consider",
            when=self.parser.parse(table.req("when"), stage),
            source=table.req("source").text(),
            note=_optional_text(table, "note"),
        )

    def _referrals(self) -> Mapping[str, tuple[Rule, ...]]:
        table = self.root.req("referrals").table(AGENCIES)
        return MappingProxyType(
            {
                agency: tuple(self._each(agency, lambda n: self._rule(n, Stage.FACTS), within=table))
                for agency in AGENCIES
            }
        )

    def _suspension(self) -> Suspension:
        table = self.root.req("suspension").table({"text", "source", "alternatives", "rules"})
        return Suspension(
            text=table.req("text").text(),
            rules=tuple(self._each("rules", lambda n: self._rule(n, Stage.LEVEL), optional=True, within=table)),
            alternatives=table.req("alternatives").texts(),
            source=table.req("source").text(),
        )

    def _timescales(self) -> tuple[Timescale, ...]:
        def build(node: Node) -> Timescale:
            table = node.table({"id", "description", "count", "unit", "from", "when", "source"})
            when = table.opt("when")
            return Timescale(
                id=_identifier(table.req("id")),
                description=table.req("description").text(),
                count=table.req("count").whole(1, 1000),
                unit=cast(Unit, table.req("unit").word(_UNITS)),
                start=table.req("from").word(_INPUT_DATES),
                when=self.parser.parse(when, Stage.SUSPENSION) if when else Always(),
                source=table.req("source").text(),
            )

        return tuple(self._each("timescales", build, optional=True))

    def _statement(self, node: Node, stage: Stage) -> Statement:
        table = node.table({"id", "text", "when", "source", "items"})
        items = table.opt("items")
        return Statement(
            id=_identifier(table.req("id")),
            text=table.req("text").text(),
            when=self.parser.parse(table.req("when"), stage),
            source=table.req("source").text(),
            items=items.texts() if items else (),
        )

    def _retention(self) -> Retention:
        table = self.root.req("retention").table({*RECORD_TYPES, "holds", "personnel_file"})
        records = {kind: self._record(table.req(kind), kind) for kind in RECORD_TYPES}
        return Retention(
            records=MappingProxyType(records),
            holds=tuple(self._each("holds", lambda n: self._statement(n, Stage.FACTS), optional=True, within=table)),
            personnel_file=tuple(
                self._each("personnel_file", lambda n: self._statement(n, Stage.FACTS), optional=True, within=table)
            ),
        )

    def _record(self, node: Node, kind: str) -> RecordRetention:
        table = node.table({"text", "source", "keep_until_later_of"})
        starts = ("state_pension_date", *_INPUT_DATES)

        def period(item: Node) -> Period:
            leg = item.table({"from", "years", "fallback"})
            fallback = leg.opt("fallback")
            return Period(
                start=leg.req("from").word(starts),
                years=leg.req("years").whole(0, 100),
                fallback=fallback.word(_INPUT_DATES) if fallback else None,
            )

        return RecordRetention(
            record_type=kind,
            text=table.req("text").text(),
            periods=tuple(period(item) for item in table.req("keep_until_later_of").items()),
            source=table.req("source").text(),
        )

    def _references(self) -> References:
        table = self.root.req("references").table({"rules", "default_text"})

        def build(node: Node) -> ReferenceRule:
            rule = node.table({"id", "text", "may_mention", "when", "source"})
            return ReferenceRule(
                id=_identifier(rule.req("id")),
                text=rule.req("text").text(),
                may_mention=rule.req("may_mention").flag(),
                when=self.parser.parse(rule.req("when"), Stage.FACTS),
                source=rule.req("source").text(),
            )

        return References(
            tuple(self._each("rules", build, optional=True, within=table)), table.req("default_text").text()
        )

    def _no_trust_recipient(self) -> str:
        """Who receives a concern about the head of a setting with no trust (``[routing]``; default governance)."""
        node = self.root.opt("routing")
        if node is None:
            return "governance"
        recipient = node.table({"no_trust_recipient"}).req("no_trust_recipient")
        if recipient.text() not in NO_TRUST_RECIPIENTS:
            raise recipient.error(f"must be one of {', '.join(NO_TRUST_RECIPIENTS)}")
        return recipient.text()

    def _low_level(self) -> LowLevelConcerns:
        table = self.root.req("low_level_concerns").table({"definition", "examples", "source"})
        return LowLevelConcerns(
            definition=table.req("definition").text(),
            examples=table.req("examples").texts(),
            source=table.req("source").text(),
        )

    def _definitions(
        self, key: str, required: tuple[str, ...] | None, extra: tuple[str, ...] = ()
    ) -> Mapping[str, Definition]:
        node = self.root.req(key) if required else self.root.opt(key)
        if node is None:
            return MappingProxyType({})
        table = node.table(required)
        result: dict[str, Definition] = {}
        for name in required or table.keys():
            if required is None:
                _identifier(table.node.child(name, f".{name}"))
            entry = table.req(name).table({"text", "source", *extra})
            result[name] = Definition(name, entry.req("text").text(), entry.req("source").text())
        return MappingProxyType(result)

    def _response_matrix(self) -> ResponseMatrix | None:
        node = self.root.opt("response_matrix")
        if node is None:
            return None
        table = node.table({"rows", "notes", "source"})
        patterns = FACTS["incident_pattern"].choices
        rows_table = table.req("rows").table(patterns)
        rows = {}
        for pattern in patterns:
            row = rows_table.req(pattern).table({"title", "description", "actions"})
            rows[pattern] = ResponseRow(
                pattern, row.req("title").text(), row.req("description").text(), row.req("actions").texts()
            )
        return ResponseMatrix(MappingProxyType(rows), table.req("notes").texts(), table.req("source").text())


def _identifier(node: Node) -> str:
    value = node.text()
    if not _ID.fullmatch(value):
        raise node.error(f"'{value}' must be lower-case letters and digits joined by single hyphens")
    return value


def _optional_text(table: Table, key: str) -> str | None:
    node = table.opt(key)
    return node.text() if node else None


def _example_table(node: Node | None) -> Mapping[str, tuple[str, ...]]:
    if node is None:
        return MappingProxyType({})
    table = node.table()
    return MappingProxyType({key: table.req(key).texts() for key in table.data})


def _unique(node: Node | None, built: list[_T]) -> None:
    seen: set[str] = set()
    for index, item in enumerate(built):
        item_id = getattr(item, "id", None)
        if isinstance(item_id, str):
            if item_id in seen and node is not None:
                raise node.child(None, f"[{index}].id").error(f"id '{item_id}' is used twice here")
            seen.add(item_id)
