"""How the access matrix reaches each URL: which demo record each parameter points at."""

from __future__ import annotations

import re

from django.urls import reverse

from tests.access.expected_access import url_args
from tests.urlwalk import Route, all_routes

PERSONAS = (
    *("lara", "mo", "sam", "hana", "dev", "tom", "priya", "henry", "nina"),
    *("pat", "cara", "ada", "olu", "sid", "gina"),
)


# A download, by its name or its address: a file (a PDF, a workbook, a CSV, a document), not a page. The access
# matrix holds each such URL to answering with an attachment, and every other to not, so the tests that read
# pages' words can leave the downloads out unrequested.
DOWNLOAD_NAME = re.compile(r"(^|_)(pdf|xlsx|csv|download)(_|$)")
DOWNLOAD_SUFFIXES = (".pdf", ".xlsx", ".csv")


def is_download(route: Route) -> bool:
    """Whether the URL is a download (by the rule above)."""
    return bool(DOWNLOAD_NAME.search(route.name)) or route.path.endswith(DOWNLOAD_SUFFIXES)


def path_for(route: Route, ids: dict[str, int]) -> str:
    """A concrete path for a route, pointing at a demo record where it takes one."""
    args = url_args().get(route.name)
    if args is not None:
        return reverse(route.name, args=args(ids))
    return route.path


def routes() -> list[Route]:
    """Every URL in the project."""
    return all_routes()
