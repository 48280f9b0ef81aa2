"""PDFs of printable pages (a report, a case file, a referral), made from the page's own print HTML by WeasyPrint.

WeasyPrint (ADR 0027) lays out the same HTML and print stylesheet a browser prints, so the PDF and the print view
never differ. It fetches nothing from the network: the only addresses it may load are the project's own static
files (the stylesheet, fonts and images), read from disk; anything else in a page (an address someone typed into
a record, say) is refused, so making a PDF can never reach another server.

The stylesheet (GOV.UK Frontend's and ours, 140 kB) is parsed once a process and thread, not for every PDF: about
0.3 s of the 1.8 s the 28-page LADO report takes, and more of a short case file's. WeasyPrint takes an already
parsed stylesheet only as a "user" stylesheet, not as the page's own ("author") one; with the page's only
stylesheet moved there, every rule still beats the browser defaults and loses to a ``style`` attribute as before,
and the PDF is byte for byte the same (``tests/reports/test_printing.py`` compares the two). A stylesheet link
that names anything but a static file now fails the PDF (before, WeasyPrint left the page unstyled). A sheet
parsed on its own would lose ``@font-face`` and ``@counter-style`` rules (the page's font and counter settings are
not its own); the project's stylesheet has none.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import threading
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse

PDF_TYPE = "application/pdf"
# WeasyPrint resolves relative addresses against this; it is never fetched.
_BASE_URL = "https://threshold.invalid/"
# A page's stylesheet links (layout.html's one), and the address each names.
_STYLESHEET_LINK = re.compile(r'<link\b[^>]*\brel="stylesheet"[^>]*>')
_HREF = re.compile(r'\bhref="([^"]*)"')
# Parsed stylesheets by their text's digest, one store a thread (a parsed sheet is not shared between threads).
_parsed = threading.local()
_KEPT_SHEETS = 4


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
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        """WeasyPrint's fetcher, answering from the static files on disk and never opening a connection."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            body, mime_type = _static_file(url)
            return URLFetcherResponse(url, body, {"Content-Type": mime_type})

    fetcher = StaticOnly()

    def parsed(link: str) -> CSS:
        """The stylesheet a link names, parsed the first time this thread meets its text."""
        found = _HREF.search(link)
        url = _BASE_URL.rstrip("/") + found.group(1) if found and found.group(1).startswith("/") else ""
        body, _type = _static_file(url)
        if not hasattr(_parsed, "sheets"):
            _parsed.sheets = {}
        kept: dict[str, CSS] = _parsed.sheets
        digest = hashlib.sha256(body).hexdigest()
        if digest not in kept:
            if len(kept) >= _KEPT_SHEETS:
                kept.clear()  # stylesheets rebuilt while the process runs (development): the old are not used again
            # utf-8-sig: the built stylesheet starts with a byte-order mark, which would spoil its first selector.
            kept[digest] = CSS(string=body.decode("utf-8-sig"), base_url=url, url_fetcher=fetcher)
        return kept[digest]

    stylesheets = [parsed(link) for link in _STYLESHEET_LINK.findall(html)]
    page = _STYLESHEET_LINK.sub("", html)
    return HTML(string=page, base_url=_BASE_URL, url_fetcher=fetcher).write_pdf(stylesheets=stylesheets)


def pdf_response(html: str, *, filename: str) -> HttpResponse:
    """A PDF download of a print page."""
    response = HttpResponse(html_to_pdf(html), content_type=PDF_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
