"""PDFs of printable pages (a report, a case file, a referral), made from the page's own print HTML by WeasyPrint.

WeasyPrint (ADR 0027) lays out the same HTML and print stylesheet a browser prints, so the PDF and the print view
never differ. It fetches nothing from the network: the only addresses it may load are the project's own static
files (the stylesheet, fonts and images), read from disk; anything else in a page (an address someone typed into
a record, say) is refused, so making a PDF can never reach another server.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse

PDF_TYPE = "application/pdf"
# WeasyPrint resolves relative addresses against this; it is never fetched.
_BASE_URL = "https://threshold.invalid/"


class ResourceRefused(ValueError):
    """A page asked WeasyPrint for something other than one of the project's static files."""


def _static_file(url: str) -> tuple[bytes, str]:
    """The bytes and type of one of the project's static files named by ``url``; any other address is refused."""
    prefix = _BASE_URL.rstrip("/") + settings.STATIC_URL
    if not url.startswith(prefix):
        raise ResourceRefused("Only the project's static files may be used in a PDF.")
    relative = url[len(prefix) :].split("?", 1)[0].split("#", 1)[0]
    found = finders.find(relative) if ".." not in relative else None
    path = found[0] if isinstance(found, list) else found
    if not path:
        raise ResourceRefused("No such static file.")
    with open(path, "rb") as handle:
        return handle.read(), mimetypes.guess_type(path)[0] or "application/octet-stream"


def html_to_pdf(html: str) -> bytes:
    """The PDF of a print page's HTML (its stylesheet links are the project's static files)."""
    # Imported here: WeasyPrint loads Pango through cffi, which only the PDF pages need.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        """WeasyPrint's fetcher, answering from the static files on disk and never opening a connection."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            body, mime_type = _static_file(url)
            return URLFetcherResponse(url, body, {"Content-Type": mime_type})

    return HTML(string=html, base_url=_BASE_URL, url_fetcher=StaticOnly()).write_pdf()


def pdf_response(html: str, *, filename: str) -> HttpResponse:
    """A PDF download of a print page."""
    response = HttpResponse(html_to_pdf(html), content_type=PDF_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
