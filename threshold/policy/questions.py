"""Questions without whose answers the advice is incomplete (a pack's ``[[needs_answers]]``).

An absent fact means "not known", and most rules rightly treat it as not matching. But
some advice is only as good as the answers it was given: a concern with none of the
four harm-threshold questions answered falls to the trust's Tier 1 ("Threshold for
LADO Not Met") although nobody has said the threshold is not met. A pack lists such
questions; when one's ``when`` holds and none of its facts was given, the assessment
names the question instead of presenting its level as the advice.

Each entry::

    [[needs_answers]]
    id = "harm-threshold-questions"
    text = "Answer the harm threshold questions"
    facts = ["harmed_or_may_have_harmed_child", ...]   # answered when any is given
    when = { not = { level_at_least = "tier-2" } }      # may look at everything
    source = "..."
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from .conditions import Parser, Situation, Stage, evaluate
from .facts import FACTS
from .pack import Question
from .reader import Node, Table
from .results import Quoted

_GIVEN = tuple(name for name, spec in FACTS.items() if not spec.derived)


class _Each(Protocol):
    def __call__(self, key: str, build: Callable[[Node], Question], *, optional: bool = ...) -> list[Question]: ...


def parse_questions(each: _Each, parser: Parser) -> tuple[Question, ...]:
    """Read ``[[needs_answers]]`` (optional); every fact named must be one a person can give."""

    def build(node: Node) -> Question:
        table: Table = node.table({"id", "text", "facts", "when", "source"})
        facts_node = table.req("facts")
        facts = tuple(item.word(_GIVEN) for item in facts_node.items())
        if not facts:
            raise facts_node.error("needs at least one fact")
        return Question(
            id=table.req("id").text(),
            text=table.req("text").text(),
            facts=facts,
            when=parser.parse(table.req("when"), Stage.SUSPENSION),
            source=table.req("source").text(),
        )

    return tuple(each("needs_answers", build, optional=True))


def unanswered(questions: tuple[Question, ...], situation: Situation) -> tuple[Quoted, ...]:
    """The questions whose condition holds and none of whose facts was given, in pack order.

    Each comes back as ``Quoted`` with the question's facts as ``items``, so a form can
    put the message beside the first of them.
    """
    return tuple(
        Quoted(question.id, question.text, question.source, question.facts)
        for question in questions
        if evaluate(question.when, situation).matched and all(situation.fact(name) is None for name in question.facts)
    )
