"""Forms for adding and editing organisations and choosing an organisation's policy pack."""

from __future__ import annotations

from typing import Any

from django import forms

from threshold.accounts.models import Organisation
from threshold.accounts.organisation_services import policy_pack_choices
from threshold.accounts.roles import OrganisationKind
from threshold.core.forms import CleanCharField, WrittenForm
from threshold.core.vocabularies import SchoolPhase


class PolicyPackField(forms.ChoiceField):
    """A choice among the packs in the policy registry, read when the form is built."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label="Policy pack",
            choices=(),
            error_messages={
                "required": "Choose a policy pack",
                "invalid_choice": "Choose a policy pack from the list",
            },
            **kwargs,
        )


class OrganisationForm(WrittenForm):
    """An organisation's name, kind, trust, local authority area, phase, policy pack and whether it is active."""

    name = CleanCharField(
        label="Name",
        max_length=200,
        error_messages={"required": "Enter the organisation's name"},
    )
    kind = forms.ChoiceField(
        label="Kind of organisation",
        choices=OrganisationKind.choices,
        error_messages={
            "required": "Choose the kind of organisation",
            "invalid_choice": "Choose the kind of organisation",
        },
    )
    trust = forms.ModelChoiceField(
        label="Academy trust",
        queryset=Organisation.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Choose an academy trust from the list"},
    )
    local_authority = forms.ModelChoiceField(
        label="Local authority area",
        queryset=Organisation.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Choose a local authority from the list"},
    )
    phase = forms.ChoiceField(
        label="Phase of education",
        choices=[("", "Not recorded"), *SchoolPhase.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a phase of education from the list"},
    )
    policy_pack = PolicyPackField()
    is_active = forms.BooleanField(label="Active", required=False)
    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, editing: Organisation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = Organisation.objects.exclude(pk=editing.pk) if editing else Organisation.objects.all()
        self.fields["trust"].queryset = others.filter(kind=OrganisationKind.ACADEMY_TRUST).order_by("name")  # type: ignore[attr-defined]
        self.fields["local_authority"].queryset = others.filter(  # type: ignore[attr-defined]
            kind=OrganisationKind.LOCAL_AUTHORITY
        ).order_by("name")
        self.fields["policy_pack"].choices = policy_pack_choices()  # type: ignore[attr-defined]
        if editing is None:
            del self.fields["is_active"]
            del self.fields["fingerprint"]


class PolicyPackForm(WrittenForm):
    """The policy pack an organisation works under, and the version of the organisation it was chosen against."""

    policy_pack = PolicyPackField()
    fingerprint = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["policy_pack"].choices = policy_pack_choices()  # type: ignore[attr-defined]
