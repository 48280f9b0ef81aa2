"""The printed case file, contact and referral (issue 14): "a case file and a referral print cleanly (print
stylesheet: no navigation, no link addresses) and download as PDF, audited".

Lara prints Chris's Northshire case and its contact; Hana prints Oakfield's referral to the LADO. Who may print a
record is who may read it: Sam of Southvale gets a 404, and so does a LADO when the case is about her.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import demo_record_ids
from threshold.allegations.models import Allegation, Referral
from threshold.allegations.services import referral_make
from threshold.audit.models import AuditEvent
from threshold.audit.selectors import organisation_events
from threshold.lado.models import Case, Contact
from threshold.people.models import Person
from threshold.reports.printing.presenters import MARKING

pytestmark = pytest.mark.django_db

PDF_MAGIC = b"%PDF-"


class Page(HTMLParser):
    """What a printed page holds that paper must not: navigation, forms, and buttons outside the screen-only tools."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.buttons_printed: list[str] = []
        self.print_tools: list[dict[str, Any]] = []
        self._open: list[tuple[str, bool]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        screen_only = "app-no-print" in classes or any(hidden for _, hidden in self._open)
        self.tags.append(tag)
        if "data-app-print" in attributes:
            self.print_tools.append(attributes)
        if (tag == "button" or "govuk-button" in classes) and not screen_only:
            self.buttons_printed.append(tag)
        if tag not in {"br", "img", "input", "link", "meta", "hr"}:
            self._open.append((tag, screen_only))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                break


def text_of(html: str) -> str:
    """The page's text with tags removed and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def exports_after(before: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(sequence__gt=before, action="records.exported"))


def reads_after(before: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(sequence__gt=before, action__startswith="record."))


def last_sequence() -> int:
    return AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0


def assert_prints_cleanly(html: str) -> Page:
    page = Page(html)
    assert "nav" not in page.tags
    assert "form" not in page.tags
    assert "header" not in page.tags
    assert "footer" not in page.tags
    assert page.buttons_printed == []
    assert html.count(MARKING) == 2
    return page


@pytest.fixture
def ids(demo_world: None) -> dict[str, int]:
    return demo_record_ids()


@pytest.fixture
def chris_case(ids: dict[str, int]) -> Case:
    return Case.objects.get(pk=ids["case_chris"])


@pytest.fixture
def chris_contact(ids: dict[str, int]) -> Contact:
    return Contact.objects.get(pk=ids["contact_chris"])


@pytest.fixture
def referred(ids: dict[str, int], persona) -> Allegation:
    """Chris's allegation at Oakfield, referred to Northshire's LADO by Hana with the data set."""
    allegation = Allegation.objects.get(pk=ids["allegation_chris"])
    referral_make(
        actor=persona("hana"),
        allegation=allegation,
        details={
            "adult_role": "Sports coach",
            "came_to_light": "observed",
            "abuse_categories": ["physical"],
            "risk_managed": "restricted",
        },
        children=[{"full_name": "Pupil C"}],
    )
    return allegation


def test_lara_prints_chriss_case_file_with_every_section_and_nothing_to_click(signed_in, chris_case: Case) -> None:
    html = signed_in("lara").get(reverse("case_print", args=[chris_case.pk])).content.decode()
    page = assert_prints_cleanly(html)
    text = text_of(html)
    assert f"<title>LADO case {chris_case.reference} (print) – Threshold</title>" in html
    assert "Northshire Council LADO service" in text
    assert re.search(r"Printed by Lara Lado on \d{1,2} \w+ \d{4} at ", text)
    assert "Adult Chris Coach" in text
    assert "Tier Tier 1" in text
    for heading in (
        "How the case came in",
        "Recording data set",
        "How the risk was managed",
        "How allegation was investigated",
        "Allocation",
        "Meetings",
        "Case shared with",
        "Timescales",
        "Conclusion",
        "Documents",
        "Chronology",
    ):
        assert heading in text, heading
    assert "Cara Csc: shared" in text
    # Nothing that changes the case, even though Lara may change it.
    assert reverse("case_change_dataset", args=[chris_case.pk, "adult"]) not in html
    assert reverse("meeting_new", args=[chris_case.pk]) not in html
    assert reverse("case_conclusion", args=[chris_case.pk]) not in html
    assert "Record a meeting" not in text
    # The browser's print is offered only once JavaScript can do it; without it the page says how to print.
    assert ["hidden" in tool for tool in page.print_tools] == [True]
    assert "with your browser's print command" in text
    assert reverse("case_pdf", args=[chris_case.pk]) in html


def test_the_print_page_is_a_read_of_the_case_audited_like_any_view(signed_in, persona, chris_case: Case) -> None:
    before = last_sequence()
    assert signed_in("lara").get(reverse("case_print", args=[chris_case.pk])).status_code == 200
    (read,) = reads_after(before)
    assert (read.action, read.record_type, read.record_id) == ("record.view", "case", str(chris_case.pk))
    assert read.actor == persona("lara")
    assert exports_after(before) == []


def test_the_case_file_downloads_as_a_pdf_named_by_its_reference_and_the_export_is_audited(
    signed_in, persona, chris_case: Case
) -> None:
    before = last_sequence()
    response = signed_in("lara").get(reverse("case_pdf", args=[chris_case.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(PDF_MAGIC)
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="{chris_case.reference}.pdf"'
    assert "Chris" not in disposition
    assert "Coach" not in disposition
    # No link address travels in the file: the PDF has no link to anywhere.
    assert b"/URI" not in response.content
    assert b"threshold.invalid" not in response.content
    (export,) = exports_after(before)
    assert export.actor == persona("lara")
    assert (export.record_type, export.record_id) == ("case", str(chris_case.pk))
    assert export.details == {
        "ids": [chris_case.pk],
        "format": "pdf",
        "record_organisation": chris_case.local_authority_id,
    }
    assert [event.action for event in reads_after(before)] == ["record.view"]


def test_the_case_file_pdf_with_its_stylesheet_parsed_once_is_the_pdf_weasyprint_makes_following_the_link(
    signed_in, chris_case: Case
) -> None:
    # The case file has the most print rules (its own @page, running headers from string-set, the summary lists
    # as tables); the stylesheet moved from the page's own origin to WeasyPrint's "user" origin must change none.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    from threshold.reports.pdf import _BASE_URL, _static_file, html_to_pdf

    class StaticFiles(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            body, mime_type = _static_file(url)
            return URLFetcherResponse(url, body, {"Content-Type": mime_type})

    html = signed_in("lara").get(reverse("case_print", args=[chris_case.pk])).content.decode()
    assert html.count('rel="stylesheet"') == 1
    followed = HTML(string=html, base_url=_BASE_URL, url_fetcher=StaticFiles()).write_pdf()
    assert html_to_pdf(html) == followed
    assert html_to_pdf(html) == followed  # the second time, from the kept stylesheet


def test_the_case_page_links_to_its_print_page_and_its_pdf(signed_in, chris_case: Case) -> None:
    html = signed_in("ada").get(reverse("case_detail", args=[chris_case.pk])).content.decode()
    assert f'href="{reverse("case_print", args=[chris_case.pk])}">Print this case</a>' in html
    assert f'href="{reverse("case_pdf", args=[chris_case.pk])}">Download as PDF' in html


def test_a_partner_who_sees_only_a_meetings_summary_is_offered_no_case_file(signed_in, chris_case: Case) -> None:
    pat = signed_in("pat")
    html = pat.get(reverse("case_detail", args=[chris_case.pk])).content.decode()
    assert reverse("case_print", args=[chris_case.pk]) not in html
    assert pat.get(reverse("case_print", args=[chris_case.pk])).status_code == 404


@pytest.mark.parametrize("name", ["case_print", "case_pdf"])
def test_sam_of_southvale_gets_the_404_of_a_case_that_does_not_exist_and_nothing_is_exported(
    name: str, signed_in, chris_case: Case
) -> None:
    before = last_sequence()
    assert signed_in("sam").get(reverse(name, args=[chris_case.pk])).status_code == 404
    assert reads_after(before) == []
    assert exports_after(before) == []


@pytest.fixture
def case_about_lara(ids: dict[str, int], persona) -> Case:
    """Northshire's demo case and its contact made to be about Lara, a Northshire LADO."""
    case = Case.objects.get(pk=ids["case_chris"])
    lara = Person.objects.create(organisation=case.local_authority, full_name="Lara Lado", user=persona("lara"))
    Case.objects.filter(pk=case.pk).update(subject=lara, adult_name="Lara Lado")
    Contact.objects.filter(pk=ids["contact_chris"]).update(subject=lara, adult_name="Lara Lado")
    return Case.objects.get(pk=case.pk)


@pytest.mark.parametrize("name", ["case_print", "case_pdf", "contact_print", "contact_pdf"])
def test_a_lado_cannot_print_a_case_or_contact_about_herself_her_manager_can(
    name: str, signed_in, case_about_lara: Case
) -> None:
    record_id = case_about_lara.pk if name.startswith("case") else case_about_lara.contact_id
    before = last_sequence()
    assert signed_in("lara").get(reverse(name, args=[record_id])).status_code == 404
    assert exports_after(before) == []
    assert signed_in("mo").get(reverse(name, args=[record_id])).status_code == 200


def test_lara_prints_the_contact_without_its_actions_or_the_search_for_other_records(
    signed_in, chris_contact: Contact
) -> None:
    html = signed_in("lara").get(reverse("contact_print", args=[chris_contact.pk])).content.decode()
    assert_prints_cleanly(html)
    text = text_of(html)
    assert f"Contact {chris_contact.reference}" in text
    assert "Northshire Council LADO service" in text
    assert "Who made the contact Employer Hana Head" in text
    assert "What advice Consult the police" in text
    assert "Decision Tier 1" in text
    assert reverse("contact_advice", args=[chris_contact.pk]) not in html
    assert reverse("contact_employer_facts", args=[chris_contact.pk]) not in html
    assert "Previous contacts, consultations and cases" not in text


def test_the_contact_pdf_is_named_by_its_reference_and_audited(signed_in, chris_contact: Contact) -> None:
    before = last_sequence()
    response = signed_in("ada").get(reverse("contact_pdf", args=[chris_contact.pk]))
    assert response.content.startswith(PDF_MAGIC)
    assert response["Content-Disposition"] == f'attachment; filename="{chris_contact.reference}.pdf"'
    (export,) = exports_after(before)
    assert (export.record_type, export.record_id) == ("contact", str(chris_contact.pk))
    owner = chris_contact.local_authority_id
    assert export.details == {"ids": [chris_contact.pk], "format": "pdf", "record_organisation": owner}


def test_the_contact_page_links_to_its_print_page_and_its_pdf(signed_in, chris_contact: Contact) -> None:
    html = signed_in("lara").get(reverse("contact_detail", args=[chris_contact.pk])).content.decode()
    assert f'href="{reverse("contact_print", args=[chris_contact.pk])}">Print this contact</a>' in html
    assert f'href="{reverse("contact_pdf", args=[chris_contact.pk])}">Download as PDF' in html


def test_hana_prints_her_referral_to_the_lado_as_sent(signed_in, referred: Allegation) -> None:
    referral = Referral.objects.filter(allegation=referred).first()
    assert referral is not None
    html = signed_in("hana").get(reverse("referral_print", args=[referred.pk])).content.decode()
    assert_prints_cleanly(html)
    text = text_of(html)
    assert f"Referral {referral.reference} to the LADO" in text
    assert f"Oakfield Primary School, to the LADO of {referral.local_authority.name}" in text
    assert f"Allegation {referred.reference}" in text
    assert "Role or occupation Sports coach" in text
    assert "Category of abuse Physical" in text
    assert "Children involved Pupil C" in text
    assert f'href="{reverse("allegation_referral", args=[referred.pk])}"' not in html


def test_the_referral_pdf_is_named_by_the_referrals_reference_and_audited_on_the_allegation(
    signed_in, referred: Allegation
) -> None:
    referral = Referral.objects.filter(allegation=referred).first()
    assert referral is not None
    before = last_sequence()
    response = signed_in("priya").get(reverse("referral_pdf", args=[referred.pk]))
    assert response.content.startswith(PDF_MAGIC)
    assert response["Content-Disposition"] == f'attachment; filename="referral-{referral.reference}.pdf"'
    (export,) = exports_after(before)
    assert (export.record_type, export.record_id) == ("allegation", str(referred.pk))
    assert export.details == {"ids": [referred.pk], "format": "pdf", "record_organisation": referred.organisation_id}


def test_the_allegation_page_offers_the_referral_to_print_once_it_is_made(
    signed_in, ids: dict[str, int], persona
) -> None:
    hana: Client = signed_in("hana")
    allegation = Allegation.objects.get(pk=ids["allegation_chris"])
    page = hana.get(reverse("allegation_detail", args=[allegation.pk])).content.decode()
    assert reverse("referral_print", args=[allegation.pk]) not in page
    assert hana.get(reverse("referral_print", args=[allegation.pk])).status_code == 404
    referral_make(actor=persona("hana"), allegation=allegation)
    page = hana.get(reverse("allegation_detail", args=[allegation.pk])).content.decode()
    assert f'href="{reverse("referral_print", args=[allegation.pk])}">Print the referral</a>' in page
    assert f'href="{reverse("referral_pdf", args=[allegation.pk])}">Download the referral as PDF</a>' in page


def test_tom_who_reads_no_allegation_cannot_print_its_referral(signed_in, referred: Allegation) -> None:
    before = last_sequence()
    assert signed_in("tom").get(reverse("referral_pdf", args=[referred.pk])).status_code == 404
    assert exports_after(before) == []


def test_caras_pdf_of_northshires_case_is_on_northshires_audit_page(records, signed_in, persona) -> None:
    case = Case.objects.get(pk=records["case_chris"])
    assert signed_in("cara").get(reverse("case_pdf", args=[case.pk])).content.startswith(PDF_MAGIC)
    # Cara (children's social care) took a copy away: Ada, Northshire's auditor, sees it beside her read of it.
    seen = organisation_events(viewer=persona("ada"), action="records.exported", actor_id=persona("cara").pk)
    assert seen.filter(record_id=str(case.pk)).exists()
