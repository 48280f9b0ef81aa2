"""Users, organisations, memberships, invitations and the sessions a user holds."""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from threshold.accounts.roles import ROLES_BY_KIND, SETTING_KINDS, OrganisationKind, Role
from threshold.core.vocabularies import SchoolPhase
from threshold.policy import Pack, UnknownPackError, get_pack, list_packs

DEFAULT_POLICY_PACK = "kcsie"


class UserManager(BaseUserManager["User"]):
    """Creates users keyed by email address; there are no usernames."""

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        """Create a user with a normalised email and (optionally) a password."""
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    """A person who signs in to Threshold.

    A user's organisations and roles come from their memberships. System
    administrators (``is_system_admin``) manage accounts and organisations
    across the service but hold no role that reads case data (ADR 0004).
    """

    # Always stored in lower case (the manager and services normalise it), so
    # a plain unique constraint is case-insensitive in effect.
    email = models.EmailField(max_length=254, unique=True)
    full_name = models.CharField(max_length=150)
    # Names and addresses the account had before (ADR 0018): a record typed with an old name or address is
    # still about this person, so subject exclusion keeps comparing with them after a rename or a new email.
    former_names = models.JSONField(default=list, blank=True)
    former_emails = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    is_system_admin = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or f"User {self.pk}"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._identity = (self.full_name, self.email)

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep a former name or address when it changes, so records typed with it stay hidden from them."""
        old_name, old_email = self._identity
        if not self._state.adding:
            if old_name and old_name != self.full_name and old_name not in self.former_names:
                self.former_names = [*self.former_names, old_name]
            if old_email and old_email != self.email and old_email not in self.former_emails:
                self.former_emails = [*self.former_emails, old_email]
            fields = kwargs.get("update_fields")
            if fields is not None and (old_name != self.full_name or old_email != self.email):
                kwargs["update_fields"] = {*fields, "former_names", "former_emails"}
        super().save(*args, **kwargs)
        self._identity = (self.full_name, self.email)

    def clean(self) -> None:
        """Store email addresses in lower case so uniqueness is case-insensitive."""
        super().clean()
        self.email = self.email.strip().lower()

    @property
    def is_staff(self) -> bool:
        """Nobody uses Django's admin site: it would bypass the access rules."""
        return False

    def get_full_name(self) -> str:
        """Return the name shown in the header and the audit trail."""
        return self.full_name

    def get_short_name(self) -> str:
        """Return the first word of the full name."""
        return self.full_name.split(" ")[0] if self.full_name else ""


class Organisation(models.Model):
    """A local authority, police force, children's social care, trust, school or other employer."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    trust = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members_of_trust",
        help_text="The academy trust a school belongs to, if any.",
    )
    local_authority = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="settings_in_area",
        help_text="The local authority area the setting lies in; its LADO receives referrals.",
    )
    policy_pack = models.CharField(
        max_length=64,
        default=DEFAULT_POLICY_PACK,
        help_text="The id of the policy pack this organisation works under.",
    )
    # What the LADO's returns break school referrals down by ("by school phase"): a school's only.
    phase = models.CharField(
        "phase of education",
        max_length=32,
        choices=SchoolPhase.choices,
        blank=True,
        help_text="A school's phase of education, as DfE records it; blank where not recorded.",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def pack_in_force(self) -> Pack:
        """The version of the organisation's policy pack in force today: what a decision made now uses.

        docs/policy-packs.md, "How a pack version is chosen": a version coming into force later is not used before
        its day, and a stored decision replays with the version it recorded (``get_pack("id@version")``). Before
        the first version's day (a record dated back, as an import's clock may be), the first version.
        """
        try:
            return get_pack(self.policy_pack, on=timezone.localdate())
        except UnknownPackError:
            versions = [pack for pack in list_packs() if pack.id == self.policy_pack]
            if not versions:
                raise  # no such pack at all: a setting to correct, not a date
            return versions[0]

    def clean(self) -> None:
        """A trust link must point at a trust, an area link at a local authority; only a school has a phase."""
        errors: dict[str, str] = {}
        if self.kind != OrganisationKind.SCHOOL and self.phase not in ("", SchoolPhase.NOT_APPLICABLE):
            errors["phase"] = "Only a school has a phase of education: leave it as not recorded"
        if self.trust_id is not None:
            if self.trust is None or self.trust.kind != OrganisationKind.ACADEMY_TRUST:
                errors["trust"] = "A school can only belong to an academy trust."
            elif self.kind == OrganisationKind.ACADEMY_TRUST:
                errors["trust"] = "A trust cannot belong to another trust."
        if self.local_authority_id is not None:
            if self.local_authority is None or self.local_authority.kind != OrganisationKind.LOCAL_AUTHORITY:
                errors["local_authority"] = "Choose a local authority."
        elif self.kind in SETTING_KINDS and self.kind not in {
            OrganisationKind.ACADEMY_TRUST,
            OrganisationKind.AGENCY,
        }:
            errors["local_authority"] = "Choose the local authority area the setting lies in."
        if errors:
            raise ValidationError(errors)


class Membership(models.Model):
    """A user's role in one organisation. Ending a membership keeps the row for the record."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Optimistic locking: a role change names the version it was made against.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(is_active=True),
                name="accounts_membership_one_active_per_org",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} at {self.organisation}"

    def clean(self) -> None:
        """The role must make sense for the kind of organisation."""
        allowed = ROLES_BY_KIND.get(self.organisation.kind, frozenset())
        if self.role not in allowed:
            raise ValidationError({"role": "That role does not exist in this kind of organisation."})


def token_digest(token: str) -> str:
    """Return the SHA-256 digest we store instead of a secret token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Invitation(models.Model):
    """A one-time, expiring invitation to join an organisation in a role.

    Only a digest of the token is stored, so a copy of the database does not
    let anyone accept an outstanding invitation.
    """

    email = models.EmailField(max_length=254)
    full_name = models.CharField(max_length=150)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="invitations")
    role = models.CharField(max_length=32, choices=Role.choices)
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="invitations_sent")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="invitations_accepted"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # A case role offered by one organisation admin waits for a second one
    # (ADR 0016): until then no link has been sent and the stored digest is of
    # a token nobody holds.
    awaiting_approval = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation {self.pk}"

    def is_usable(self, now: Any = None) -> bool:
        """True while the invitation is approved and neither used, revoked nor expired."""
        now = now or timezone.now()
        return (
            not self.awaiting_approval
            and self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > now
        )


class RoleGrant(models.Model):
    """One grant of a role that reaches case data (or administers people), by invitation or role change.

    Every such grant is kept here for the organisation's page ("Recent role
    grants") and, when the organisation has a second administrator, waits here
    for their approval before it takes effect (ADR 0016).
    """

    class Status(models.TextChoices):
        """Where the grant stands."""

        PENDING = "pending", "Waiting for a second administrator"
        GRANTED = "granted", "Granted"
        APPROVED = "approved", "Approved by a second administrator"
        REFUSED = "refused", "Refused"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="role_grants")
    role = models.CharField(max_length=32, choices=Role.choices)
    # The role held before, for a change of role; empty for an invitation.
    previous_role = models.CharField(max_length=32, choices=Role.choices, blank=True)
    # The address the role was granted to, and the account once there is one.
    email = models.EmailField(max_length=254)
    user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="roles_granted_to")
    invitation = models.ForeignKey(
        Invitation, on_delete=models.PROTECT, null=True, blank=True, related_name="role_grants"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="role_grants"
    )
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_grants_made")
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=Status.choices)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="role_grants_decided"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Role grant {self.pk}"

    @property
    def is_pending(self) -> bool:
        """True while the grant waits for a second administrator."""
        return self.status == self.Status.PENDING


class SignInReset(models.Model):
    """An administrator's reset of someone's second factor, and their proof that they hold the address.

    Until ``proven_at`` is set, the person may sign in with their password but
    cannot set up a new authenticator (ADR 0016). The emailed link's token is
    stored only as a digest; sending a new link replaces it, and using it
    clears it, so each link works once.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="sign_in_resets")
    reset_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="sign_in_resets_made")
    created_at = models.DateTimeField(default=timezone.now)
    token_digest = models.CharField(max_length=64, blank=True, db_index=True)
    link_sent_at = models.DateTimeField(null=True, blank=True)
    link_expires_at = models.DateTimeField(null=True, blank=True)
    proven_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Sign-in reset {self.pk}"

    def link_is_usable(self, now: Any = None) -> bool:
        """True while the latest link is neither used nor expired."""
        now = now or timezone.now()
        return (
            self.proven_at is None
            and bool(self.token_digest)
            and self.link_expires_at is not None
            and self.link_expires_at > now
        )


class UserSession(models.Model):
    """Which server-side sessions belong to which user, so deactivation can end them all."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Session of user {self.user_id}"


class NotificationPreference(models.Model):
    """How a person hears about what falls due: a daily digest, an immediate email for what cannot wait, or both.

    A person with no row has their role's defaults (``threshold.notifications.preferences``). In-product
    notifications are always kept; these choose only the emails.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="notification_preference")
    daily_digest = models.BooleanField(default=True)
    immediate = models.BooleanField(default=True)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Notification preference {self.pk}"
