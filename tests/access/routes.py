"""How the access matrix reaches each URL: which demo record each parameter points at."""

from __future__ import annotations

from django.urls import reverse

from tests.access.expected_access import url_args
from tests.urlwalk import Route, all_routes

PERSONAS = (
    *("lara", "mo", "sam", "hana", "dev", "tom", "priya", "henry", "nina"),
    *("pat", "cara", "ada", "olu", "sid", "gina"),
)


def path_for(route: Route, ids: dict[str, int]) -> str:
    """A concrete path for a route, pointing at a demo record where it takes one."""
    args = url_args().get(route.name)
    if args is not None:
        return reverse(route.name, args=args(ids))
    return route.path


def routes() -> list[Route]:
    """Every URL in the project."""
    return all_routes()
