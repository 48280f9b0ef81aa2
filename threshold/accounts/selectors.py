"""Reads about users, memberships and organisations, scoped to what the reader may manage."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from allauth.mfa.models import Authenticator
from django.db.models import QuerySet
from django.http import Http404

from threshold.accounts.models import Invitation, Membership, Organisation, RoleGrant, SignInReset, User
from threshold.accounts.roles import OrganisationKind, Role


def active_memberships(*, user: User) -> QuerySet[Membership]:
    """The memberships a user can act through now, by organisation name."""
    return (
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation", "organisation__trust", "organisation__local_authority")
        .order_by("organisation__name")
    )


# Each user's active memberships read during one request (``memberships_remembered``), by user id; None outside
# a request, or once something they come from changed in it (``forget_memberships``).
_REMEMBERED: ContextVar[dict[int, tuple[Membership, ...]] | None] = ContextVar("threshold_memberships", default=None)


@contextmanager
def memberships_remembered() -> Iterator[None]:
    """Read each user's active memberships once for the block (one request: ``threshold.access.scope``).

    The organisation the person acts through, their reach, the navigation, the pattern reviews and the trust
    restrictions all start from the same memberships; each read them again, five queries on a home page.
    """
    token = _REMEMBERED.set({})
    try:
        yield
    finally:
        _REMEMBERED.reset(token)


def forget_memberships() -> None:
    """Drop what the block remembered, and remember nothing again in it (something reach comes from changed)."""
    remembered = _REMEMBERED.get()
    if remembered is not None:
        remembered.clear()  # a context copied from the request's shares the dict, not the variable
    _REMEMBERED.set(None)


def current_memberships(user: User) -> tuple[Membership, ...]:
    """``active_memberships`` of the user, read once for the request (``memberships_remembered``).

    The same objects go to every caller of the request: read them, never change them.
    """
    remembered = _REMEMBERED.get()
    if remembered is None or user.pk is None:
        return tuple(active_memberships(user=user))
    if user.pk not in remembered:
        remembered[user.pk] = tuple(active_memberships(user=user))
    return remembered[user.pk]


def user_has_totp(*, user: User) -> bool:
    """True when the user has an authenticator app set up."""
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def administered_organisations(*, user: User) -> QuerySet[Organisation]:
    """Organisations whose people this user may invite, change and deactivate."""
    if user.is_system_admin:
        return Organisation.objects.filter(is_active=True)
    return Organisation.objects.filter(
        is_active=True,
        memberships__user=user,
        memberships__role=Role.ORG_ADMIN,
        memberships__is_active=True,
    ).distinct()


def can_administer(*, user: User) -> bool:
    """True for system administrators and organisation admins (of an active organisation, as a member now)."""
    return user.is_system_admin or any(m.role == Role.ORG_ADMIN for m in current_memberships(user))


def managed_users(*, user: User) -> QuerySet[User]:
    """People this administrator may see in the user list: members of the organisations they run."""
    if user.is_system_admin:
        return User.objects.all().order_by("full_name")
    return (
        User.objects.filter(memberships__organisation__in=administered_organisations(user=user))
        .distinct()
        .order_by("full_name")
    )


def managed_user(*, user: User, user_id: int) -> User:
    """One user this administrator may manage, or 404 whether it exists or not."""
    try:
        return managed_users(user=user).get(pk=user_id)
    except User.DoesNotExist:
        raise Http404("No such user.") from None


def managed_membership(*, user: User, membership_id: int) -> Membership:
    """One active membership in an organisation this administrator runs, or 404."""
    try:
        return Membership.objects.select_related("organisation", "user").get(
            pk=membership_id,
            is_active=True,
            organisation__in=administered_organisations(user=user),
        )
    except Membership.DoesNotExist:
        raise Http404("No such membership.") from None


def user_memberships_for_admin(*, admin: User, subject: User) -> QuerySet[Membership]:
    """The subject's active memberships in organisations the administrator runs."""
    return (
        Membership.objects.filter(
            user=subject,
            is_active=True,
            organisation__in=administered_organisations(user=admin),
        )
        .select_related("organisation")
        .order_by("organisation__name")
    )


def pending_invitations(*, user: User) -> QuerySet[Invitation]:
    """Invitations not yet accepted or revoked, for the organisations this administrator runs."""
    return Invitation.objects.filter(
        organisation__in=administered_organisations(user=user),
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).select_related("organisation")


def all_organisations() -> QuerySet[Organisation]:
    """Every organisation, active or not, for the system administrator's list."""
    return Organisation.objects.select_related("trust", "local_authority").order_by("name")


def organisation_for_system_admin(*, user: User, organisation_id: int) -> Organisation:
    """Any organisation, for a system administrator to edit; 404 for anyone else or an unknown id."""
    if not user.is_system_admin:
        raise Http404("No such organisation.")
    try:
        return all_organisations().get(pk=organisation_id)
    except Organisation.DoesNotExist:
        raise Http404("No such organisation.") from None


def administered_organisation(*, user: User, organisation_id: int) -> Organisation:
    """One active organisation this administrator runs, or 404 whether it exists or not."""
    try:
        return administered_organisations(user=user).get(pk=organisation_id)
    except Organisation.DoesNotExist:
        raise Http404("No such organisation.") from None


RECENT_ROLE_GRANTS = 50


def recent_role_grants(*, organisation: Organisation) -> QuerySet[RoleGrant]:
    """The organisation's latest role grants, newest first, for its page."""
    return RoleGrant.objects.filter(organisation=organisation).select_related(
        "granted_by", "decided_by", "user", "organisation"
    )[:RECENT_ROLE_GRANTS]


def pending_role_grants(*, organisation: Organisation) -> QuerySet[RoleGrant]:
    """The organisation's grants waiting for a second administrator, oldest first."""
    return (
        RoleGrant.objects.filter(organisation=organisation, status=RoleGrant.Status.PENDING)
        .select_related("granted_by", "user", "organisation")
        .order_by("created_at", "pk")
    )


def pending_role_grant(*, organisation: Organisation, grant_id: int) -> RoleGrant:
    """One grant of the organisation, or 404 whether it exists or not (decided ones too: the service says so)."""
    try:
        return RoleGrant.objects.select_related("granted_by", "organisation").get(
            pk=grant_id, organisation=organisation
        )
    except RoleGrant.DoesNotExist:
        raise Http404("No such role grant.") from None


def sign_in_reset_pending(*, user: User, proven_here: object = None) -> SignInReset | None:
    """The reset this browser has still to prove the person's address for, before setting up a new app; or None.

    A reset (an administrator's, or the person's own removal of their app) stands until an authenticator app is
    set up again. It is proved in one browser, the one that followed its emailed link (``proven_here``: the
    reset the session proved, ``SIGN_IN_RESET_PROVEN_KEY``); any other browser signed in with the password alone
    must follow a link of its own, so the password alone never sets up an app after one was removed.
    """
    latest = SignInReset.objects.filter(user=user).order_by("-created_at", "-pk").first()
    if latest is None or latest.pk == proven_here or user_has_totp(user=user):
        return None
    return latest


def active_user_with_email(email: str) -> User | None:
    """The active account with this address (any case), for a command's ``--as`` or ``--user``; None if none."""
    return User.objects.filter(email__iexact=email.strip(), is_active=True).first()


def local_authority_named(name: str) -> Organisation | None:
    """The one active local authority whose name, or the slug of whose name, is ``name`` ("northshire-council").

    What the command line takes for ``--authority``; None when no single authority is so called.
    """
    return _one_named(name, Organisation.objects.filter(kind=OrganisationKind.LOCAL_AUTHORITY, is_active=True))


def setting_named(name: str) -> Organisation | None:
    """The one active setting (a school, nursery or agency: not an authority or a trust) so named or slugged.

    What the command line takes for ``--setting``; None when no single setting is so called.
    """
    settings = Organisation.objects.filter(is_active=True).exclude(
        kind__in=(OrganisationKind.LOCAL_AUTHORITY, OrganisationKind.ACADEMY_TRUST)
    )
    return _one_named(name, settings)


def _one_named(name: str, organisations: QuerySet[Organisation]) -> Organisation | None:
    from django.utils.text import slugify

    wanted = name.strip()
    found = [org for org in organisations if org.name.lower() == wanted.lower() or slugify(org.name) == slugify(wanted)]
    return found[0] if len(found) == 1 else None
