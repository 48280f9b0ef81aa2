"""Pages for organisations: system administrators list, add and edit them; organisation admins choose their pack.

An organisation's role-grants page lists the roles given there recently and
the grants waiting for a second administrator, who approves them there (ADR 0016).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from threshold.accounts import selectors, services
from threshold.accounts.models import Organisation, User
from threshold.accounts.organisation_forms import OrganisationForm, PolicyPackForm
from threshold.accounts.organisation_services import (
    organisation_create,
    organisation_fingerprint,
    organisation_set_policy_pack,
    organisation_update,
    policy_pack_choices,
)
from threshold.accounts.role_grants import may_approve
from threshold.accounts.views import administrator_required, reauthenticate_always
from threshold.audit.context import AuditContext
from threshold.core import pages
from threshold.core.errors import ConflictError
from threshold.core.forms import apply_validation_error

View = Callable[..., HttpResponse]


def system_admin_required(view: View) -> View:
    """Allow system administrators only."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_system_admin:  # type: ignore[union-attr]
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _pack_titles() -> dict[str, str]:
    return dict(policy_pack_choices())


@system_admin_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    """Every organisation, with its kind (and a school's phase), links and policy pack."""
    return render(
        request,
        "accounts/organisation_list.html",
        {"organisations": selectors.all_organisations(), "pack_titles": _pack_titles()},
    )


@system_admin_required
def organisation_add(request: HttpRequest) -> HttpResponse:
    """Add an organisation and choose the policy pack it works under."""
    admin: User = request.user  # type: ignore[assignment]
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisation_create(
                actor=admin,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                trust=form.cleaned_data["trust"],
                local_authority=form.cleaned_data["local_authority"],
                policy_pack=form.cleaned_data["policy_pack"],
                phase=form.cleaned_data["phase"],
                audit_context=AuditContext.from_request(request),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"{organisation.name} has been added.")
            return redirect("organisation_list")
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": None})


@system_admin_required
def organisation_edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Change an organisation; a form drawn before someone else's change gets the conflict page."""
    admin: User = request.user  # type: ignore[assignment]
    organisation = selectors.organisation_for_system_admin(user=admin, organisation_id=organisation_id)
    initial = {
        "name": organisation.name,
        "kind": organisation.kind,
        "trust": organisation.trust_id,
        "local_authority": organisation.local_authority_id,
        "phase": organisation.phase,
        "policy_pack": organisation.policy_pack,
        "is_active": organisation.is_active,
        "fingerprint": organisation_fingerprint(organisation),
    }
    form = OrganisationForm(request.POST or None, initial=initial, editing=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            organisation_update(
                actor=admin,
                organisation=organisation,
                expected_fingerprint=form.cleaned_data["fingerprint"],
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                trust=form.cleaned_data["trust"],
                local_authority=form.cleaned_data["local_authority"],
                policy_pack=form.cleaned_data["policy_pack"],
                is_active=form.cleaned_data["is_active"],
                phase=form.cleaned_data["phase"],
                audit_context=AuditContext.from_request(request),
            )
        except ConflictError as conflict:
            return _conflict(request, conflict.current, form)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Organisation saved.")
            return redirect("organisation_list")
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": organisation})


@administrator_required
def organisation_pack(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Choose the policy pack an organisation this administrator runs works under."""
    admin: User = request.user  # type: ignore[assignment]
    organisation = selectors.administered_organisation(user=admin, organisation_id=organisation_id)
    initial = {"policy_pack": organisation.policy_pack, "fingerprint": organisation_fingerprint(organisation)}
    form = PolicyPackForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            organisation_set_policy_pack(
                actor=admin,
                organisation=organisation,
                policy_pack=form.cleaned_data["policy_pack"],
                expected_fingerprint=form.cleaned_data["fingerprint"],
                audit_context=AuditContext.from_request(request),
            )
        except ConflictError as conflict:
            return _conflict(request, conflict.current, form)
        except ValidationError as error:
            apply_validation_error(form, error)
        except PermissionError as error:
            raise PermissionDenied(str(error)) from None
        else:
            messages.success(request, f"{organisation.name} now works under the pack you chose.")
            return redirect("home")
    return render(
        request,
        "accounts/organisation_pack.html",
        {"form": form, "organisation": organisation, "pack_titles": _pack_titles()},
    )


def _conflict(request: HttpRequest, current: Organisation, form: Any) -> HttpResponse:
    """Someone changed the organisation after the form was loaded: nothing saved; what was chosen is shown back."""
    admin: User = request.user  # type: ignore[assignment]
    back = "organisation_edit" if admin.is_system_admin else "organisation_pack"
    return pages.form_conflict_page(
        request,
        form,
        current,
        heading=f"Someone else changed {current.name} after you opened the form",
        back=reverse(back, args=[current.pk]),
        back_text=f"Go back to {current.name} and check before changing it again",
    )


@administrator_required
def organisation_role_grants(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """The organisation's page: grants waiting for approval, and recent role grants (who gave which role to whom)."""
    admin: User = request.user  # type: ignore[assignment]
    organisation = selectors.administered_organisation(user=admin, organisation_id=organisation_id)
    return _role_grants_page(request, admin=admin, organisation=organisation)


def _role_grants_page(
    request: HttpRequest, *, admin: User, organisation: Organisation, error: str = "", error_target: str = ""
) -> HttpResponse:
    pending = list(selectors.pending_role_grants(organisation=organisation))
    return render(
        request,
        "accounts/organisation_role_grants.html",
        {
            "organisation": organisation,
            "pending": [(grant, may_approve(actor=admin, grant=grant)) for grant in pending],
            "recent": selectors.recent_role_grants(organisation=organisation),
            "page_error": error,
            "error_target": error_target,
        },
        status=400 if error else 200,
    )


@administrator_required
@require_POST
@reauthenticate_always
def role_grant_approve(request: HttpRequest, organisation_id: int, grant_id: int) -> HttpResponse:
    """A second administrator approves a waiting grant (after confirming it is them): it takes effect."""
    return _decide(request, organisation_id=organisation_id, grant_id=grant_id, approve=True)


@administrator_required
@require_POST
def role_grant_refuse(request: HttpRequest, organisation_id: int, grant_id: int) -> HttpResponse:
    """Refuse a waiting grant (its granter withdraws it the same way); it never takes effect."""
    return _decide(request, organisation_id=organisation_id, grant_id=grant_id, approve=False)


def _decide(request: HttpRequest, *, organisation_id: int, grant_id: int, approve: bool) -> HttpResponse:
    admin: User = request.user  # type: ignore[assignment]
    organisation = selectors.administered_organisation(user=admin, organisation_id=organisation_id)
    grant = selectors.pending_role_grant(organisation=organisation, grant_id=grant_id)
    try:
        if approve:
            services.role_grant_approve(
                actor=admin,
                grant=grant,
                audit_context=AuditContext.from_request(request),
                base_url=request.build_absolute_uri("/"),
            )
        else:
            services.role_grant_refuse(actor=admin, grant=grant, audit_context=AuditContext.from_request(request))
    except (ValidationError, PermissionError) as error:
        message = " ".join(getattr(error, "messages", [str(error)]))
        return _role_grants_page(
            request, admin=admin, organisation=organisation, error=message, error_target=f"grant-{grant.pk}"
        )
    role = grant.get_role_display()
    messages.success(request, f"The {role} role has been {'approved' if approve else 'refused'}.")
    return redirect("organisation_role_grants", organisation_id=organisation.pk)
