"""Pages for administrators (people and invitations), invitation acceptance, sign-in resets, switching organisation."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.account.decorators import reauthentication_required
from allauth.mfa.totp import views as allauth_totp_views
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from threshold.accounts import invitations, mfa_services, selectors, services
from threshold.accounts.forms import AcceptInvitationForm, InvitationForm, RoleChangeForm, SwitchOrganisationForm
from threshold.accounts.middleware import (
    CURRENT_ORGANISATION_KEY,
    MFA_VERIFIED_KEY,
    SIGN_IN_RESET_PROVEN_KEY,
    reset_pending_here,
)
from threshold.accounts.models import RoleGrant, User
from threshold.accounts.role_grants import is_checked_role
from threshold.accounts.roles import ROLE_DESCRIPTIONS
from threshold.audit.context import AuditContext
from threshold.core import pages
from threshold.core.forms import apply_validation_error

View = Callable[..., HttpResponse]


def administrator_required(view: View) -> View:
    """Allow system administrators and organisation admins; refuse everyone else."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.can_administer(user=request.user):  # type: ignore[arg-type]
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _grants_checked_role(request: HttpRequest) -> bool:
    """True when a POST asks for a role that reaches case data: allauth then asks the administrator to confirm.

    allauth's middleware keeps the POST, shows its "Confirm it is you" page
    and replays the POST once the password (or a code) is given (ADR 0016).
    """
    return is_checked_role(str(request.POST.get("role", "")))


# The real allauth mechanism: a stale session (no password typed in the last
# ACCOUNT_REAUTHENTICATION_TIMEOUT seconds) raises ReauthenticationRequired.
reauthenticate_for_case_roles = reauthentication_required(enabled=_grants_checked_role, app="threshold")
reauthenticate_always = reauthentication_required(allow_get=True, app="threshold")


@administrator_required
def user_list(request: HttpRequest) -> HttpResponse:
    """The people in the organisations this administrator runs, with pending invitations."""
    admin: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "accounts/user_list.html",
        {
            "people": selectors.managed_users(user=admin).prefetch_related("memberships__organisation"),
            # Show only the roles held in organisations this administrator runs.
            "administered_ids": set(selectors.administered_organisations(user=admin).values_list("pk", flat=True)),
            "invitations": selectors.pending_invitations(user=admin).filter(expires_at__gt=timezone.now()),
            # An organisation admin chooses their organisations' policy packs from here.
            "run_organisations": [] if admin.is_system_admin else selectors.administered_organisations(user=admin),
        },
    )


@administrator_required
@reauthenticate_for_case_roles
def user_invite(request: HttpRequest) -> HttpResponse:
    """Invite someone by email to an organisation in a role (a case role only after re-authentication)."""
    admin: User = request.user  # type: ignore[assignment]
    organisations = selectors.administered_organisations(user=admin).order_by("name")
    form = InvitationForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = invitations.invitation_create(
                actor=admin,
                organisation=form.cleaned_data["organisation"],
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role=form.cleaned_data["role"],
                audit_context=AuditContext.from_request(request),
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if invitation.awaiting_approval:
                messages.success(
                    request,
                    f"The invitation to {invitation.full_name} is waiting for another administrator of "
                    f"{invitation.organisation.name} to approve it. It will be sent then.",
                )
            else:
                messages.success(request, "Invitation sent.")
            return redirect("user_list")
    return render(request, "accounts/user_invite.html", {"form": form})


@administrator_required
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    """One person's account and memberships, with the actions the administrator may take."""
    admin: User = request.user  # type: ignore[assignment]
    subject = selectors.managed_user(user=admin, user_id=user_id)
    return _user_detail_page(request, admin=admin, subject=subject)


def _user_detail_page(
    request: HttpRequest, *, admin: User, subject: User, error: str = "", error_target: str = ""
) -> HttpResponse:
    """The person's page; a refused action comes back here with the GOV.UK error summary, not a banner.

    ``error_target`` is the id of the control the error is about, for the
    summary's link and the message beside it.
    """
    memberships = selectors.user_memberships_for_admin(admin=admin, subject=subject)
    role_forms = [
        (m, RoleChangeForm(initial={"role": m.role, "version": m.version}, organisation=m.organisation))
        for m in memberships
    ]
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": subject,
            "role_forms": role_forms,
            "is_self": subject.pk == admin.pk,
            "page_error": error,
            "error_target": error_target or "access",
            "pending_grants": RoleGrant.objects.filter(
                membership__in=memberships, status=RoleGrant.Status.PENDING
            ).select_related("organisation"),
        },
        status=400 if error else 200,
    )


def _messages_of(error: Exception) -> str:
    return " ".join(getattr(error, "messages", [str(error)]))


@administrator_required
@require_POST
@reauthenticate_for_case_roles
def membership_role(request: HttpRequest, membership_id: int) -> HttpResponse:
    """Change a membership's role; a stale form gets the conflict page; a case role asks for re-authentication."""
    admin: User = request.user  # type: ignore[assignment]
    membership = selectors.managed_membership(user=admin, membership_id=membership_id)
    form = RoleChangeForm(request.POST, organisation=membership.organisation)
    if form.is_valid():
        try:
            changed = services.membership_change_role(
                actor=admin,
                membership=membership,
                role=form.cleaned_data["role"],
                expected_version=form.cleaned_data["version"],
                audit_context=AuditContext.from_request(request),
                base_url=request.build_absolute_uri("/"),
            )
        except services.ConflictError as conflict:
            current = conflict.current
            return pages.conflict_page(
                request,
                heading=f"Someone else changed {current.user.full_name}'s membership of "
                f"{current.organisation.name} after you opened this page",
                rows=[
                    pages.Difference(
                        "Role",
                        current.get_role_display() if current.is_active else "No longer a member",
                        pages.shown(form.fields["role"], form.cleaned_data["role"]),
                    )
                ],
                back=reverse("user_detail", args=[current.user_id]),
                back_text=f"Go back to {current.user.full_name} and check before changing it again",
            )
        except (ValidationError, PermissionError) as error:
            return _user_detail_page(
                request,
                admin=admin,
                subject=membership.user,
                error=_messages_of(error),
                error_target=f"role-{membership.pk}",
            )
        if changed.role != form.cleaned_data["role"]:
            messages.success(
                request,
                f"The new role is waiting for another administrator of {membership.organisation.name} to approve "
                "it. Until then the person keeps their current role.",
            )
        else:
            messages.success(request, "Role changed.")
        return redirect("user_detail", user_id=membership.user_id)
    return _user_detail_page(
        request, admin=admin, subject=membership.user, error="Choose a role", error_target=f"role-{membership.pk}"
    )


@administrator_required
@require_POST
def membership_end(request: HttpRequest, membership_id: int) -> HttpResponse:
    """Remove a person from one organisation."""
    admin: User = request.user  # type: ignore[assignment]
    membership = selectors.managed_membership(user=admin, membership_id=membership_id)
    try:
        services.membership_end(actor=admin, membership=membership, audit_context=AuditContext.from_request(request))
    except (ValidationError, PermissionError) as error:
        return _user_detail_page(
            request,
            admin=admin,
            subject=membership.user,
            error=_messages_of(error),
            error_target=f"role-{membership.pk}",
        )
    else:
        messages.success(request, f"Removed from {membership.organisation.name}.")
    return redirect("user_detail", user_id=membership.user_id)


@administrator_required
@require_POST
def user_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    """Deactivate an account; its sessions end at once."""
    admin: User = request.user  # type: ignore[assignment]
    subject = selectors.managed_user(user=admin, user_id=user_id)
    try:
        services.user_deactivate(actor=admin, user=subject, audit_context=AuditContext.from_request(request))
    except (ValidationError, PermissionError) as error:
        return _user_detail_page(request, admin=admin, subject=subject, error=_messages_of(error))
    else:
        messages.success(request, "The account has been deactivated and signed out everywhere.")
    return redirect("user_detail", user_id=subject.pk)


@administrator_required
@require_POST
def user_reactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    """Reactivate an account (system administrators only)."""
    admin: User = request.user  # type: ignore[assignment]
    subject = selectors.managed_user(user=admin, user_id=user_id)
    try:
        services.user_reactivate(actor=admin, user=subject, audit_context=AuditContext.from_request(request))
    except PermissionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The account can sign in again.")
    return redirect("user_detail", user_id=subject.pk)


@administrator_required
@reauthenticate_always
def user_reset_sign_in(request: HttpRequest, user_id: int) -> HttpResponse:
    """Confirm, then remove someone's authenticator app and recovery codes and sign them out everywhere.

    The confirmation page shows to anyone who may reset; the reset itself
    (the POST) asks the administrator to confirm it is them first.
    """
    admin: User = request.user  # type: ignore[assignment]
    subject = selectors.managed_user(user=admin, user_id=user_id)
    if request.method == "POST":
        try:
            mfa_services.user_reset_sign_in(
                actor=admin,
                user=subject,
                audit_context=AuditContext.from_request(request),
                base_url=request.build_absolute_uri("/"),
            )
        except (ValidationError, PermissionError) as error:
            return _user_detail_page(request, admin=admin, subject=subject, error=_messages_of(error))
        else:
            messages.success(
                request,
                f"{subject.full_name}'s sign-in has been reset. We have emailed them a link: after signing in with "
                "their password they must open it before setting up a new authenticator app.",
            )
        return redirect("user_detail", user_id=subject.pk)
    return render(request, "accounts/user_reset_sign_in.html", {"subject": subject})


INVITATION_SESSION_KEY = "threshold_invitation_token"
SIGN_IN_RESET_SESSION_KEY = "threshold_sign_in_reset_token"


@login_required
def sign_in_reset_check_email(request: HttpRequest) -> HttpResponse:
    """After a reset: tell the person to open the link we emailed them, with a button to send a new one."""
    user: User = request.user  # type: ignore[assignment]
    if reset_pending_here(request) is None:
        return redirect("home")
    return render(request, "accounts/sign_in_reset_check_email.html", {"email": user.email})


@login_required
@require_POST
def sign_in_reset_resend(request: HttpRequest) -> HttpResponse:
    """Email a new link; the previous one stops working."""
    user: User = request.user  # type: ignore[assignment]
    try:
        mfa_services.sign_in_reset_send_link(
            user=user,
            proven_here=request.session.get(SIGN_IN_RESET_PROVEN_KEY),
            audit_context=AuditContext.from_request(request),
            base_url=request.build_absolute_uri("/"),
        )
    except ValidationError as error:
        if reset_pending_here(request) is None:
            return redirect("home")
        return render(
            request,
            "accounts/sign_in_reset_check_email.html",
            {"email": user.email, "page_error": _messages_of(error)},
            status=400,
        )
    messages.success(request, "We have sent a new link to the address on the account.")
    return redirect("sign_in_reset_check_email")


def sign_in_reset_open(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: keep the token in the session and move to a URL without it (as for invitations).

    Nothing is used up on a GET, so a mail scanner that follows links cannot
    spend it: the person presses a button on the next page.
    """
    request.session[SIGN_IN_RESET_SESSION_KEY] = token
    return redirect("sign_in_reset_confirm")


def sign_in_reset_confirm(request: HttpRequest) -> HttpResponse:
    """Use the emailed link: signed in with the password, the person confirms and goes on to set up an authenticator."""
    token = str(request.session.get(SIGN_IN_RESET_SESSION_KEY, ""))
    if not request.user.is_authenticated:
        # The link proves the address; the password must be proved in this
        # same browser, so sign in first and come back here.
        if not token:
            return render(request, "accounts/sign_in_reset_link_invalid.html", status=404)
        return render(request, "accounts/sign_in_reset_sign_in_first.html")
    user: User = request.user
    reset = reset_pending_here(request)
    if reset is None or not token or not reset.link_is_usable():
        request.session.pop(SIGN_IN_RESET_SESSION_KEY, None)
        return render(request, "accounts/sign_in_reset_link_invalid.html", {"signed_in": reset is not None}, status=404)
    if request.method == "POST":
        try:
            proven = mfa_services.sign_in_reset_prove(
                user=user,
                token=token,
                proven_here=request.session.get(SIGN_IN_RESET_PROVEN_KEY),
                audit_context=AuditContext.from_request(request),
            )
        except ValidationError:
            request.session.pop(SIGN_IN_RESET_SESSION_KEY, None)
            return render(request, "accounts/sign_in_reset_link_invalid.html", {"signed_in": True}, status=404)
        request.session.pop(SIGN_IN_RESET_SESSION_KEY, None)
        # This browser, and no other, may now set up the new app.
        request.session[SIGN_IN_RESET_PROVEN_KEY] = proven.pk
        messages.success(request, "Thank you: your email address is confirmed. Now set up your authenticator app.")
        return redirect("mfa_activate_totp")
    return render(request, "accounts/sign_in_reset_confirm.html", {"email": user.email})


def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: keep the token in the session and move to a URL without it.

    The token then appears in one request line only, not in the browser's
    history or in the Referer of anything the acceptance page loads.
    """
    request.session[INVITATION_SESSION_KEY] = token
    return redirect("invitation_accept")


def invitation_accept(request: HttpRequest) -> HttpResponse:
    """Accept an invitation: choose a password, then sign in and set up MFA."""
    token = str(request.session.get(INVITATION_SESSION_KEY, ""))
    invitation = invitations.invitation_find(token=token) if token else None
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if existing is not None:
        # An existing account joins with its own credentials: accepting needs
        # that person signed in, not a new password.
        if request.user.is_authenticated and request.user.pk == existing.pk:
            if request.method == "POST":
                try:
                    invitations.invitation_accept(
                        token=token, password="", audit_context=AuditContext.from_request(request)
                    )
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                    return redirect("home")
                request.session.pop(INVITATION_SESSION_KEY, None)
                messages.success(request, f"You have joined {invitation.organisation.name}.")
                return redirect("home")
            return render(request, "accounts/invitation_join.html", {"invitation": invitation})
        return render(request, "accounts/invitation_sign_in_first.html", {"invitation": invitation})
    candidate = User(email=invitation.email, full_name=invitation.full_name)
    form = AcceptInvitationForm(request.POST or None, candidate=candidate)
    if request.method == "POST" and form.is_valid():
        try:
            invitations.invitation_accept(
                token=token, password=form.cleaned_data["password1"], audit_context=AuditContext.from_request(request)
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            request.session.pop(INVITATION_SESSION_KEY, None)
            messages.success(request, "Your account is ready. Sign in, then set up your authenticator app.")
            return redirect("account_login")
    return render(request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form})


@administrator_required
@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """Withdraw an invitation that has not been accepted (for example, sent to the wrong address)."""
    admin: User = request.user  # type: ignore[assignment]
    invitation = selectors.pending_invitations(user=admin).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404("No such invitation.")
    invitations.invitation_revoke(actor=admin, invitation=invitation, audit_context=AuditContext.from_request(request))
    messages.success(request, "The invitation has been withdrawn.")
    return redirect("user_list")


@login_required
@require_POST
def organisation_switch(request: HttpRequest) -> HttpResponse:
    """Act through another of the user's organisations."""
    user: User = request.user  # type: ignore[assignment]
    form = SwitchOrganisationForm(request.POST, memberships=selectors.active_memberships(user=user))
    if form.is_valid():
        membership = services.organisation_switch(
            user=user, membership_id=form.cleaned_data["membership"], audit_context=AuditContext.from_request(request)
        )
        request.session[CURRENT_ORGANISATION_KEY] = membership.pk
        messages.success(request, f"You are now working as {membership.organisation.name}.")
    else:
        messages.error(request, "Choose one of your organisations.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("home")
    return HttpResponseRedirect(target)


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """What django-axes shows when a username and address pair is locked."""
    return render(request, "accounts/locked_out.html", status=429)


def role_description(role: str) -> str:
    """A sentence saying what a role does, for the home page."""
    return ROLE_DESCRIPTIONS.get(role, "")


class ActivateTOTPView(allauth_totp_views.ActivateTOTPView):
    """allauth's TOTP set-up, which also marks this session as having passed MFA.

    Entering a correct code from the new authenticator proves the second
    factor, so the person goes straight on rather than signing in again.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """After an administrator's reset, the emailed link must be followed before a new authenticator (ADR 0016)."""
        if request.user.is_authenticated and reset_pending_here(request) is not None:
            return redirect("sign_in_reset_check_email")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        """Activate the authenticator, then mark the session."""
        response = super().form_valid(form)
        self.request.session[MFA_VERIFIED_KEY] = str(self.request.user.pk)
        return response


activate_totp = ActivateTOTPView.as_view()
