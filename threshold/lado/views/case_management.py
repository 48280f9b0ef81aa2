"""The page that transfers the management of a case (children's social care to the LADO, or back).

The protocol: "consideration should be given to transferring the management of
the case to the LADO. If transferred, any future meetings held will be meetings
chaired by the LADO." One form page through ``case_form_page``: the case fetched
for ``change``, the service, back to the case's management panel.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone

from threshold.audit.context import AuditContext
from threshold.lado.forms.cases import ManagementForm
from threshold.lado.models import Case
from threshold.lado.models.cases import CaseManager
from threshold.lado.services.case_management import TRANSFER_PROTOCOL, case_transfer_management
from threshold.lado.views.case_forms import case_form_page


def _initial(case: Case) -> dict[str, Any]:
    """The usual transfer is to the manager the case does not have yet, today."""
    other = CaseManager.LADO if case.managed_by != CaseManager.LADO else CaseManager.CHILDRENS_SOCIAL_CARE
    return {"version": case.version, "managed_by": other, "transferred_on": timezone.localdate()}


@login_required
def case_management_transfer(request: HttpRequest, case_id: int) -> HttpResponse:
    """Record who manages the case from now on, from which date, and why."""
    return case_form_page(
        request,
        case_id,
        make_form=lambda case, data: ManagementForm(data, initial=_initial(case)),
        save=lambda user, case, form: case_transfer_management(
            actor=user,
            case=case,
            managed_by=form.cleaned_data["managed_by"],
            transferred_on=form.cleaned_data["transferred_on"],
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
            audit_context=AuditContext.from_request(request),
        ),
        template="lado/case/management_form.html",
        heading="Transfer the management of the case",
        message="Management of the case transferred.",
        anchor="management",
        context=lambda user, case: {
            "protocol": TRANSFER_PROTOCOL,
            "managed_by": CaseManager(case.managed_by).label,
        },
    )


urlpatterns = [
    path("lado/cases/<record:case_id>/management/", case_management_transfer, name="case_management_transfer"),
]
