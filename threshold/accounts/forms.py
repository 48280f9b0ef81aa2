"""Forms for inviting people, accepting invitations, changing roles and switching organisation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password

from threshold.accounts.models import Organisation, User
from threshold.accounts.roles import ROLES_BY_KIND, Role
from threshold.core.forms import CleanCharField, VersionedForm, WrittenForm


class InvitationForm(WrittenForm):
    """Who to invite, to which organisation, in which role."""

    # Stored without hidden or direction-changing characters: a spoofed name would display wrongly everywhere.
    full_name = CleanCharField(
        label="Full name",
        max_length=150,
        error_messages={"required": "Enter the person's full name"},
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter the person's email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation",
        error_messages={"required": "Choose an organisation", "invalid_choice": "Choose an organisation"},
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role"},
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        """The role must exist in the chosen kind of organisation."""
        data = super().clean() or {}
        organisation = data.get("organisation")
        role = data.get("role")
        if organisation is not None and role and role not in ROLES_BY_KIND.get(organisation.kind, frozenset()):
            self.add_error("role", f"Choose a role that exists in a {organisation.get_kind_display().lower()}")
        return data


class AcceptInvitationForm(WrittenForm):
    """A new password, typed twice, checked against the common-password list."""

    password1 = forms.CharField(
        label="Create a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a password"},
    )
    password2 = forms.CharField(
        label="Confirm your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Confirm your password"},
    )

    def __init__(self, *args: Any, candidate: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidate = candidate

    def clean_password1(self) -> str:
        """Refuse passwords that are too short, too common or too like the person's details."""
        password = str(self.cleaned_data["password1"])
        validate_password(password, user=self.candidate)
        return password

    def clean(self) -> dict[str, Any]:
        """The two passwords must match."""
        data = super().clean() or {}
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", "The passwords do not match")
        return data


class RoleChangeForm(VersionedForm):
    """A new role for one membership, and the version it was chosen against."""

    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role"},
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = ROLES_BY_KIND.get(organisation.kind, frozenset())
        self.fields["role"].choices = [(value, label) for value, label in Role.choices if value in allowed]  # type: ignore[attr-defined]


class SwitchOrganisationForm(WrittenForm):
    """Which of the user's memberships to act through."""

    membership = forms.TypedChoiceField(
        label="Organisation",
        coerce=int,
        error_messages={"required": "Choose an organisation", "invalid_choice": "Choose an organisation"},
    )

    def __init__(self, *args: Any, memberships: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = [  # type: ignore[attr-defined]
            (m.pk, f"{m.organisation.name} ({m.get_role_display()})") for m in memberships
        ]
