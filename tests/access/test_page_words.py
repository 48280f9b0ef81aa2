"""Every page of the demo world, read as a newcomer reads it (issue 17): no internal name on any page.

Each URL is opened by the first persona the expected-access table lets in, with the demo records behind it, and its
visible words are read: the page's title and its main content, without code samples (the import page lists its
canonical columns as code, on purpose), scripts or attributes. A snake_case fact or field name
("left_employment_on was not given") or a Python repr ("<User: …>", "{'…'}") there fails the test, as does
a title that does not say where the person is, or one that names an adult a record is about (a title stays in
browser history, tab lists and synced devices). Error states are read too: each page's own form is sent back
with nothing filled in (its hidden version and token kept), and the errors must read in words as well.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest

from tests.access.expected_access import expected
from tests.access.routes import PERSONAS, is_download, path_for, routes
from threshold.people.models import Person, PersonKind

pytestmark = pytest.mark.django_db

EXPECTED = expected()
# Pages about one contact, case, concern or allegation: their titles carry its reference.
ABOUT_A_RECORD = frozenset(
    name
    for name in (route.name for route in routes())
    if name.startswith(("allegation_", "case_", "concern_", "contact_", "meeting_", "monitoring_", "information_"))
    and name
    not in (
        "allegation_list",
        "allegation_restrictions",
        "allegation_file_copy",
        "case_list",
        "case_list_all",
        "concern_list",
        "concern_share",
        "concern_my_reports",
        "contact_new",
    )
)
# Pages someone may open; not the downloads (files, whose words these tests do not read: the access matrix holds
# each to being an attachment, so none is a page left out).
READABLE = [
    route for route in routes() if any(EXPECTED[route.name][key] == 200 for key in PERSONAS) and not is_download(route)
]
# Words that are snake_case on purpose: none yet. Add one only with the reason it is meant for people to read.
ALLOWED: frozenset[str] = frozenset()
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
# A repr, not a word: "None" and "False" are English here ("None recorded yet", the outcome "False").
REPR = re.compile(r"<[A-Z]\w*(?:: [^>]*)? object at|<[A-Z]\w+: |\{'|\['|QuerySet|datetime\.date\(|Decimal\(")


class _Words(HTMLParser):
    """The words a person sees: the title, and the text inside <main>, outside <code>, <script> and <style>."""

    def __init__(self) -> None:
        super().__init__()
        self.title: list[str] = []
        self.main: list[str] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("br", "img", "input", "meta", "link", "hr", "col", "source"):
            self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            if self._stack.pop() == tag:
                break

    def handle_data(self, data: str) -> None:
        if "title" in self._stack and "svg" not in self._stack and "main" not in self._stack:
            self.title.append(data)
        elif "main" in self._stack and not {"code", "script", "style", "pre"} & set(self._stack):
            self.main.append(data)


def words_of(html: str) -> tuple[str, str]:
    """The page's title and the visible words of its main content."""
    parser = _Words()
    parser.feed(html)
    return " ".join("".join(parser.title).split()), " ".join(" ".join(parser.main).split())


@pytest.mark.parametrize("route", READABLE, ids=lambda route: route.name)
def test_no_page_shows_an_internal_name_and_every_title_says_where(route, records, signed_in) -> None:
    reader = next(key for key in PERSONAS if EXPECTED[route.name][key] == 200)
    response = signed_in(reader).get(path_for(route, records))
    if response.get("Content-Type", "").split(";")[0] != "text/html":
        return  # a download: a spreadsheet or a document, not a page
    title, text = words_of(response.content.decode())
    internal = sorted(set(SNAKE.findall(text)) - ALLOWED)
    assert not internal, f"{route.name} shows internal names to {reader}: {internal}"
    reprs = sorted({match.group(0) for match in REPR.finditer(text)})
    assert not reprs, f"{route.name} shows Python values to {reader}: {reprs}"
    assert title.endswith("– Threshold"), title
    assert title != "Threshold – Threshold", f"{route.name} has no title of its own"
    adults = Person.objects.filter(kind=PersonKind.ADULT).values_list("full_name", flat=True)
    named = sorted(name for name in adults if name and name in title)
    assert not named, f"{route.name}'s title names an adult a record is about: {title}"
    # A page about one record says which, for people with many tabs open and for screen readers.
    if route.name in ABOUT_A_RECORD:
        assert re.search(r"\b(CON|ALG|LADO|CT|R)-[0-9A-Z]", title), f"{route.name}'s title names no record: {title}"


FORMS = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
ATTRIBUTE = re.compile(r'(\w[\w-]*)="([^"]*)"')
INPUT = re.compile(r"<input\b[^>]*>", re.I)


def _own_form(html: str, path: str) -> dict[str, str] | None:
    """The hidden fields of the page's first POST form that sends to the page itself (its version, its token)."""
    for attributes, body in FORMS.findall(html):
        found = dict(ATTRIBUTE.findall(attributes))
        if found.get("method", "").lower() != "post" or found.get("action", "") not in ("", path):
            continue
        fields = {}
        for tag in INPUT.findall(body):
            attrs = dict(ATTRIBUTE.findall(tag))
            if attrs.get("type") == "hidden" and "name" in attrs:
                fields[attrs["name"]] = unescape(attrs.get("value", ""))
        return fields
    return None


@pytest.mark.parametrize("route", READABLE, ids=lambda route: route.name)
def test_a_form_sent_back_empty_answers_in_words_not_internal_names(route, records, signed_in) -> None:
    """Error states too: each form page's own form, sent with nothing filled in, answers in words a person reads."""
    reader = next(key for key in PERSONAS if EXPECTED[route.name][key] == 200)
    client = signed_in(reader)
    path = path_for(route, records)
    page = client.get(path)
    if page.get("Content-Type", "").split(";")[0] != "text/html":
        return
    fields = _own_form(page.content.decode(), path)
    if fields is None:
        return  # no form of its own: the walk above reads it
    response = client.post(path, fields)
    assert response.status_code < 500, f"{route.name} failed on an empty form: {response.status_code}"
    if response.status_code != 200 or response.get("Content-Type", "").split(";")[0] != "text/html":
        return  # done (a redirect) or refused
    _title, text = words_of(response.content.decode())
    internal = sorted(set(SNAKE.findall(text)) - ALLOWED)
    assert not internal, f"{route.name}'s errors show internal names to {reader}: {internal}"
    reprs = sorted({match.group(0) for match in REPR.finditer(text)})
    assert not reprs, f"{route.name}'s errors show Python values to {reader}: {reprs}"
