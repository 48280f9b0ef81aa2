"""Printing a record (issue 14): "a case file and a referral print cleanly (print stylesheet: no navigation, no link
addresses) and download as PDF, audited".

Lara prints Chris's case from its page, as the browser prints it, and downloads it as a PDF; she prints the
contact too. Hana prints her referral to the LADO. Each print page is checked with axe.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.system.conftest import Accessibility, sign_in_quickly
from threshold.accounts.models import User
from threshold.allegations.models import Allegation
from threshold.allegations.services import referral_make
from threshold.audit.models import AuditEvent
from threshold.core.record_ids import encode as rid
from threshold.demo import world
from threshold.lado.models import Case, Contact

pytestmark = pytest.mark.django_db(transaction=True)

MARKING = "OFFICIAL-SENSITIVE"


def test_lara_prints_chriss_case_file_and_downloads_it_as_a_pdf(
    page: Page, live_demo: str, demo_records: dict[str, int], axe: Accessibility
) -> None:
    case = Case.objects.get(pk=demo_records["case_chris"])
    # Given Lara on Chris's case page
    sign_in_quickly(page, live_demo, "lara")
    page.goto(f"{live_demo}/lado/cases/{rid(case.pk)}/")

    # When she follows "Print this case"
    page.get_by_role("link", name="Print this case").click()

    # Then the case file is laid out for paper, marked, with who printed it, and passes axe
    expect(page.get_by_role("heading", level=1)).to_have_text(f"LADO case {case.reference}")
    expect(page.get_by_text(MARKING)).to_have_count(2)
    expect(page.get_by_text("Printed by Lara Lado on")).to_be_visible()
    expect(page.get_by_role("heading", name="Recording data set")).to_be_visible()
    expect(page.get_by_role("navigation")).to_have_count(0)
    axe.check(page)

    # And the button offered (JavaScript being on) opens the browser's print
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Print this page").click()
    assert page.evaluate("window.printed") is True

    # And on paper there is no button, no way back, and no address after a link
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print this page")).to_be_hidden()
    expect(page.get_by_role("link", name="Back to the case")).to_be_hidden()
    after = page.evaluate("getComputedStyle(document.querySelector('#decisions ~ ul a.govuk-link'), '::after').content")
    assert after in ("none", "normal", "")
    page.emulate_media(media="screen")

    # When she downloads it as a PDF, the file is named by the case's reference and the export is audited
    with page.expect_download() as download:
        page.get_by_role("link", name="download it as a PDF").click()
    assert download.value.suggested_filename == f"{case.reference}.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    lara = User.objects.get(email=world.PERSONAS_BY_KEY["lara"].email)
    assert AuditEvent.objects.filter(
        action="records.exported", record_type="case", record_id=str(case.pk), actor=lara
    ).exists()

    # And the contact prints the same way
    contact = Contact.objects.get(pk=demo_records["contact_chris"])
    page.goto(f"{live_demo}/lado/contacts/{rid(contact.pk)}/")
    page.get_by_role("link", name="Print this contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Contact {contact.reference}")
    expect(page.get_by_role("heading", name="Advice")).to_be_visible()
    axe.check(page)


def test_hana_prints_her_referral_to_the_lado(
    page: Page, live_demo: str, demo_records: dict[str, int], axe: Accessibility
) -> None:
    # Given Hana has referred Chris's allegation to the LADO
    allegation = Allegation.objects.get(pk=demo_records["allegation_chris"])
    referral = referral_make(actor=User.objects.get(email=world.PERSONAS_BY_KEY["hana"].email), allegation=allegation)
    sign_in_quickly(page, live_demo, "hana")
    page.goto(f"{live_demo}/allegations/{rid(allegation.pk)}/")

    # When she prints the referral
    page.get_by_role("link", name="Print the referral").click()

    # Then it shows as sent, marked, and passes axe
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Referral {referral.reference} to the LADO")
    expect(page.get_by_text(MARKING)).to_have_count(2)
    expect(page.get_by_text("Printed by Hana Head on")).to_be_visible()
    axe.check(page)
