"""The print pages and PDFs of a LADO case, a LADO contact and an employer's referral to the LADO.

Who may print a record is who may read it: each page fetches its record
through ``threshold.access`` with ``view`` (a record the reader may not see,
or one about them, is the same 404 as one that does not exist), so the read
is audited as any view of it. A PDF is a copy that leaves the service, so it
also writes ``records.exported`` naming the record and the format. A PDF's
file name is the record's reference, never a name: files end up in Downloads
folders and email attachments. Each is read with GET (``require_safe``): a POST
is refused (405), never made into a file or an export event.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from threshold.access import fetch
from threshold.allegations.models import Allegation
from threshold.audit.context import AuditContext
from threshold.audit.services import audit_record
from threshold.core.http import signed_in_user
from threshold.lado.selectors import case_for_page
from threshold.reports.pdf import pdf_response
from threshold.reports.printing.presenters import case_file, contact_paper, referral_paper

# An address in a link: a PDF leaves the service, where the record's addresses mean nothing and must not travel.
_HREF = re.compile(r'(<a\b[^>]*?)\s+href="[^"]*"')

CASE_TEMPLATE = "reports/print/case.html"
CONTACT_TEMPLATE = "reports/print/contact.html"
REFERRAL_TEMPLATE = "reports/print/referral.html"


def _pdf(
    request: HttpRequest, template: str, context: dict[str, Any], *, record_type: str, record: Model, name: str
) -> HttpResponse:
    """The print page as a PDF download, and the export of it in the audit trail (once it is made).

    Under the record's organisation too: a partner's copy of a council's case is on the council's audit page, as
    their read of it is.
    """
    html = render_to_string(template, {**context, "for_pdf": True}, request=request)
    response = pdf_response(_HREF.sub(r"\1", html), filename=f"{name}.pdf")
    owner = fetch.owning_organisation(record)
    audit_record(
        context=AuditContext.from_request(request),
        action="records.exported",
        record_type=record_type,
        record_id=record.pk,
        details={"ids": [record.pk], "format": "pdf", "record_organisation": owner.pk if owner is not None else None},
    )
    return response


@login_required
@require_safe
def case_print(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case file laid out for paper, with the browser's print offered."""
    user = signed_in_user(request)
    case = case_for_page(user, case_id, request=request)
    return render(request, CASE_TEMPLATE, case_file(user, case))


@login_required
@require_safe
def case_pdf(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case file as a PDF, named by the case's reference."""
    user = signed_in_user(request)
    case = case_for_page(user, case_id, request=request)
    return _pdf(request, CASE_TEMPLATE, case_file(user, case), record_type="case", record=case, name=case.reference)


@login_required
@require_safe
def contact_print(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The LADO contact laid out for paper."""
    user = signed_in_user(request)
    contact = fetch.access_contact(user, contact_id, "view", request=request)
    return render(request, CONTACT_TEMPLATE, contact_paper(user, contact))


@login_required
@require_safe
def contact_pdf(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The LADO contact as a PDF, named by its reference."""
    user = signed_in_user(request)
    contact = fetch.access_contact(user, contact_id, "view", request=request)
    return _pdf(
        request,
        CONTACT_TEMPLATE,
        contact_paper(user, contact),
        record_type="contact",
        record=contact,
        name=contact.reference,
    )


def _referral(request: HttpRequest, allegation_id: int) -> tuple[Allegation, dict[str, Any]]:
    """The allegation (read through access with ``view``) and its referral's paper context; 404 before a referral."""
    user = signed_in_user(request)
    allegation = fetch.access_allegation(user, allegation_id, "view", request=request)
    context = referral_paper(user, allegation)
    if context is None:
        raise Http404("This allegation has not been referred to the LADO.")
    return allegation, context


@login_required
@require_safe
def referral_print(request: HttpRequest, allegation_id: int) -> HttpResponse:
    """The employer's referral to the LADO, as sent, laid out for paper."""
    _allegation, context = _referral(request, allegation_id)
    return render(request, REFERRAL_TEMPLATE, context)


@login_required
@require_safe
def referral_pdf(request: HttpRequest, allegation_id: int) -> HttpResponse:
    """The employer's referral to the LADO as a PDF, named by the referral's reference."""
    allegation, context = _referral(request, allegation_id)
    return _pdf(
        request,
        REFERRAL_TEMPLATE,
        context,
        record_type="allegation",
        record=allegation,
        name=f"referral-{context['reference']}",
    )
