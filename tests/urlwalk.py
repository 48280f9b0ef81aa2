"""Walk every URL pattern in the project and produce a concrete path for each."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from threshold.core.record_ids import RecordIdConverter

# A value for each kind of URL parameter that reverse() will accept.
_SAMPLE_BY_NAME = {"uidb36": "1", "key": "sample-key", "token": "sample-token", "file_format": "xlsx"}

# Names deliberately defined twice: our pattern comes first and wins, and the
# library's later one of the same name is never reached. Any other repeated
# name is a mistake (reverse() would silently pick one) and fails the walk.
DELIBERATE_OVERRIDES = frozenset(
    {
        # threshold/urls.py: our TOTP set-up also marks the session as having passed MFA.
        "mfa_activate_totp",
    }
)


@dataclass(frozen=True)
class Route:
    """One URL pattern of the project, with a path that reaches it."""

    name: str
    path: str


def _walk(patterns: list, namespace: str = "") -> Iterator[URLPattern]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern):
            yield pattern


def _sample(name: str, pattern: URLPattern) -> str:
    converters = getattr(pattern.pattern, "converters", {})
    converter = converters.get(name)
    if converter is not None and converter.regex == "[0-9]+":
        return "999999"
    if isinstance(converter, RecordIdConverter):
        # A record's id, written as its URL token by the converter.
        return "999999"
    return _SAMPLE_BY_NAME.get(name, "sample")


def all_routes() -> list[Route]:
    """Every named URL pattern, reversed with sample arguments; fails on a name used twice by mistake."""
    routes: dict[str, Route] = {}
    seen: set[str] = set()
    for pattern in _walk(get_resolver().url_patterns):
        if not pattern.name:
            raise AssertionError(f"URL pattern {pattern.pattern} has no name: every URL must be named.")
        if pattern.name in seen and pattern.name not in DELIBERATE_OVERRIDES:
            raise AssertionError(
                f"URL name {pattern.name!r} is used by more than one pattern; rename one, "
                "or list it in DELIBERATE_OVERRIDES with the reason."
            )
        seen.add(pattern.name)
        regex = pattern.pattern.regex.pattern
        group_names = re.findall(r"\(\?P<(\w+)>", regex)
        kwargs = {group: _sample(group, pattern) for group in group_names}
        path = reverse(pattern.name, kwargs=kwargs or None)
        routes.setdefault(pattern.name, Route(pattern.name, path))
    return sorted(routes.values(), key=lambda route: route.name)
