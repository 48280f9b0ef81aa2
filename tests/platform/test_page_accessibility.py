"""Pages with a problem say so in their title ("Error: "), every table is named, and a record is named by its
reference: found by an accessibility review (each failed before its fix)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.concerns.test_pages import _date_boxes, _share_form
from tests.platform.reauth import reauthenticated
from tests.platform.test_role_grants import invite_dsl, ola, olus_second_account, riverside  # noqa: F401
from tests.platform.test_sign_in_reset_proof import henry_reset, password_only  # noqa: F401
from threshold.accounts.models import Membership, Organisation, RoleGrant
from threshold.concerns import selectors
from threshold.concerns.models import Concern, PatternReview
from threshold.demo import world

pytestmark = pytest.mark.django_db


def title_of(html: str) -> str:
    found = re.search(r"<title[^>]*>(.*?)</title>", html, re.S)
    assert found is not None
    return " ".join(found.group(1).split())


def has_summary(html: str) -> bool:
    return "govuk-error-summary" in html


# Refusals shown with an error summary: the title starts with "Error: " too.
def test_olus_refused_role_change_page_title_starts_with_error(persona, signed_in) -> None:
    olu = persona("olu")
    own = Membership.objects.get(user=olu)
    response = signed_in("olu").post(
        reverse("membership_role", args=[own.pk]), {"role": "staff", "version": own.version}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert has_summary(html)
    assert title_of(html).startswith("Error: "), title_of(html)


def test_olus_refused_approval_page_title_starts_with_error(
    signed_in,
    riverside,  # noqa: F811
    ola,  # noqa: F811
    olus_second_account,  # noqa: F811
    django_capture_on_commit_callbacks,
) -> None:
    olu = reauthenticated(signed_in("olu"))
    with django_capture_on_commit_callbacks(execute=True):
        invite_dsl(olu, riverside)
    grant = RoleGrant.objects.get()
    response = olu.post(reverse("role_grant_approve", args=[riverside.pk, grant.pk]))
    html = response.content.decode()
    assert response.status_code == 400
    assert has_summary(html)
    assert title_of(html).startswith("Error: "), title_of(html)


def test_henrys_refused_resend_page_title_starts_with_error(henry_reset, django_capture_on_commit_callbacks) -> None:  # noqa: F811
    browser = password_only(henry_reset)
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(reverse("sign_in_reset_resend"))
    again = browser.post(reverse("sign_in_reset_resend"))  # not twice in a minute
    html = again.content.decode()
    assert again.status_code == 400
    assert has_summary(html)
    assert title_of(html).startswith("Error: "), title_of(html)


# Every table of the import pages has a caption (its accessible name).
@pytest.mark.parametrize("template", ["imports/list.html", "imports/run.html"])
def test_every_import_table_has_a_caption(template) -> None:
    source = (Path("threshold/imports/jinja2") / template).read_text()
    assert source.count("<table") == source.count("<caption"), f"{template}: a table without a caption"


# An escalated pattern names its allegation by its reference, never its database id.
def test_an_escalated_pattern_names_its_allegation_by_reference(signed_in) -> None:
    tom = signed_in("tom")
    tom.post(reverse("concern_share"), _share_form())
    tom.post(reverse("concern_share"), _share_form(details="Chris again kept a pupil alone after PE."))
    dev = signed_in("dev")
    oakfield = Organisation.objects.get(name=world.OAKFIELD)
    term = selectors.term_of(timezone.localdate())
    start = reverse("pattern_review_start", args=[oakfield.pk])
    page = dev.post(start, {**_date_boxes("period_start", term.start), **_date_boxes("period_end", term.end)}).url
    review = PatternReview.objects.get()
    person = Concern.objects.earliest("pk").subject
    dev.post(page, {"subject": person.pk, "pattern_found": "yes", "findings": "Two concerns alike."})
    finding = review.findings.get()
    dev.post(reverse("pattern_finding_escalate", args=[finding.pk]), {"may_be_unsuitable_to_work_with_children": "yes"})
    finding.refresh_from_db()
    html = dev.get(page).content.decode()
    assert finding.allegation is not None
    reference = finding.allegation.reference
    shown = re.search(r"Escalated: <a[^>]*>(.*?)</a>", html)
    assert shown is not None
    assert reference in shown.group(1)
