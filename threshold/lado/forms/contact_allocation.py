"""The LADO manager's form to allocate a contact waiting in the inbox to a LADO."""

from __future__ import annotations

from typing import Any

from django import forms

from threshold.accounts.models import User
from threshold.core.forms import VersionedForm
from threshold.lado.forms.cases import LadoChoiceField


class ContactAllocateForm(VersionedForm):
    """Choose the LADO who holds the contact (the service checks who may be chosen)."""

    lado = LadoChoiceField(
        queryset=User.objects.none(),
        error_messages={"required": "Choose the LADO", "invalid_choice": "Choose a LADO from the list"},
    )

    def __init__(self, *args: Any, candidates: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["lado"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(pk__in=[user.pk for user in candidates]).order_by("full_name")
