"""The ``policy`` command line: list, show, assess, retention, reference.

``main`` takes the arguments after the command name and the three streams, so the
Django management command ``python manage.py policy ...`` (and the tests) can call it
directly. Answers are JSON on stdout with exit status 0; anything wrong — an unknown
pack, an unreadable file, invalid JSON, invalid facts — is one line on stderr with
exit status 2, and nothing on stdout.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import TextIO

from .describe import describe_pack
from .engine import assess
from .errors import FactsError, PolicyError
from .facts import JSONValue, parse_facts
from .pack import Pack
from .references import decide_reference
from .registry import get_pack, list_packs
from .retention import decide_retention

USAGE = """usage: policy list
       policy show PACK
       policy assess PACK FACTS
       policy retention PACK FACTS
       policy reference PACK FACTS

PACK is a pack id (its current version) or id@version, e.g. kcsie or kcsie@2025.1.
FACTS is a JSON file holding one object of facts, or - to read it from standard input.
"""

MAX_FACTS_BYTES = 64 * 1024
"""Facts are a few hundred bytes; anything near this limit is a mistake or an attack."""

_EXIT_OK = 0
_EXIT_ERROR = 2


class _UsageError(PolicyError):
    """The command line itself is wrong."""


def main(argv: list[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Run one ``policy`` command; return the exit status (0 success, 2 error).

    ``argv`` is the arguments after the command name, e.g. ``["assess", "kcsie", "-"]``.
    """
    try:
        result = _run(argv, stdin)
    except _UsageError as error:
        stderr.write(f"policy: {_one_line(str(error))} (run 'policy --help' for usage)\n")
        return _EXIT_ERROR
    except FactsError as error:
        stderr.write(f"policy: invalid facts: {_one_line(str(error))}\n")
        return _EXIT_ERROR
    except PolicyError as error:
        stderr.write(f"policy: {_one_line(str(error))}\n")
        return _EXIT_ERROR
    try:
        if result is None:
            stdout.write(USAGE)
        else:
            json.dump(result, stdout, indent=2, ensure_ascii=False)
            stdout.write("\n")
        stdout.flush()
    except BrokenPipeError:
        # The reader stopped early (``policy show kcsie | head``): that is not an error,
        # and there is no one left to tell, so say nothing and exit normally.
        _silence(stdout)
    return _EXIT_OK


def _silence(stream: TextIO) -> None:
    """Point a broken stream at /dev/null so that flushing it again at exit raises nothing."""
    try:
        descriptor = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, descriptor)
    finally:
        os.close(devnull)


def _run(argv: list[str], stdin: TextIO) -> JSONValue | None:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        return None
    command, args = argv[0], argv[1:]
    if command == "list":
        _expect(command, args, 0)
        return {
            "packs": [
                {
                    "id": p.id,
                    "version": p.version,
                    "title": p.title,
                    "effective_from": p.effective_from.isoformat() if p.effective_from else None,
                }
                for p in list_packs()
            ]
        }
    if command == "show":
        _expect(command, args, 1)
        return describe_pack(get_pack(args[0]))
    answers: dict[str, Callable[[Pack, object], JSONValue]] = {
        "assess": lambda pack, facts: assess(pack, parse_facts(facts)).as_dict(),
        "retention": lambda pack, facts: decide_retention(pack, parse_facts(facts)).as_dict(),
        "reference": lambda pack, facts: decide_reference(pack, parse_facts(facts)).as_dict(),
    }
    if command not in answers:
        raise _UsageError(f"unknown command {command!r}; commands: list, show, {', '.join(answers)}")
    _expect(command, args, 2)
    pack = get_pack(args[0])
    return answers[command](pack, read_facts(args[1], stdin))


def _expect(command: str, args: list[str], count: int) -> None:
    names = {0: "no arguments", 1: "PACK", 2: "PACK FACTS"}[count]
    if len(args) != count:
        raise _UsageError(f"'{command}' takes {names}; got {len(args)} argument(s)")


def read_facts(where: str, stdin: TextIO) -> object:
    """Read and decode the JSON facts from a file path, or from ``stdin`` for ``-``.

    Strict JSON: duplicate keys, NaN and Infinity are errors, not silently accepted,
    because a duplicated fact could hide the value a person meant to give.
    """
    if where == "-":
        label = "standard input"
        text = stdin.read(MAX_FACTS_BYTES + 1)
        if len(text) > MAX_FACTS_BYTES:
            raise PolicyError(f"facts on {label} are larger than {MAX_FACTS_BYTES} bytes")
    else:
        label = f"facts file {where!r}"
        try:
            with open(where, "rb") as handle:
                raw = handle.read(MAX_FACTS_BYTES + 1)
        except OSError as error:
            raise PolicyError(f"cannot read {label}: {error.strerror or error}") from None
        if len(raw) > MAX_FACTS_BYTES:
            raise PolicyError(f"{label} is larger than {MAX_FACTS_BYTES} bytes")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise PolicyError(f"{label} is not UTF-8 text") from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except json.JSONDecodeError as error:
        raise PolicyError(
            f"invalid JSON in {label}: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    except ValueError as error:
        raise PolicyError(f"invalid JSON in {label}: {error}") from None
    except RecursionError:
        raise PolicyError(f"invalid JSON in {label}: nested too deeply") from None


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"key {key!r} appears twice")
        result[key] = value
    return result


def _no_constants(name: str) -> object:
    raise ValueError(f"{name} is not allowed")


def _one_line(message: str) -> str:
    return " ".join(message.split())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], sys.stdin, sys.stdout, sys.stderr))
