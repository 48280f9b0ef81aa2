"""The import pages' forms: the upload, the columns, the values of coded columns, and a mapping's name."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from django import forms

from threshold.accounts.models import Organisation
from threshold.core.forms import CleanCharField, WrittenForm, opened_at_version
from threshold.imports.columns import Column
from threshold.imports.models import SavedMapping
from threshold.imports.reading import max_bytes
from threshold.imports.services.mapping import ValueChoice

NOT_RECORDED = "-"  # the values form's "not recorded": stored as "" in the translations


class UploadForm(WrittenForm):
    """A spreadsheet, whose records it holds (when the person may import for several) and a saved mapping to use."""

    file = forms.FileField(
        label="Spreadsheet",
        error_messages={"required": "Choose an .xlsx or .csv file to upload", "empty": "The file is empty"},
    )
    organisation = forms.ChoiceField(
        label="Whose records",
        error_messages={
            "required": "Choose whose records the file holds",
            "invalid_choice": "Choose whose records the file holds",
        },
    )
    saved_mapping = forms.ChoiceField(label="Use a saved mapping", required=False)

    def __init__(
        self,
        *args: Any,
        organisations: Sequence[Organisation],
        mappings: Sequence[SavedMapping],
        file_too_large: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.file_too_large = file_too_large
        if file_too_large:
            # The upload stopped being received at the limit (``core.uploads``), so it may arrive missing: say why.
            self.fields["file"].error_messages["required"] = _too_large()
        organisation = cast(forms.ChoiceField, self.fields["organisation"])
        saved = cast(forms.ChoiceField, self.fields["saved_mapping"])
        organisation.choices = [(str(org.pk), org.name) for org in organisations]
        self.only = str(organisations[0].pk) if len(organisations) == 1 else ""
        if self.only:
            self.fields["organisation"].required = False  # the one organisation the person imports for
        saved.choices = [("", "No: suggest one from the headers")] + [
            (str(m.pk), f"{m.name} ({m.organisation.name})") if len(organisations) > 1 else (str(m.pk), m.name)
            for m in mappings
        ]

    def clean_organisation(self) -> str:
        """The chosen organisation, or the only one."""
        return str(self.cleaned_data.get("organisation") or self.only)

    def clean_file(self) -> Any:
        """Refuse a file over the size limit before reading it (received only up to it: ``core.uploads``)."""
        upload = self.cleaned_data["file"]
        if self.file_too_large or upload.size > max_bytes():
            raise forms.ValidationError(_too_large())
        return upload


def _too_large() -> str:
    return f"The file must be smaller than {max_bytes() // (1024 * 1024)} MB: split it into parts"


class ColumnsForm(WrittenForm):
    """For each of Threshold's fields, the file's column that holds it (or none)."""

    version = opened_at_version()

    def __init__(
        self,
        *args: Any,
        headers: Sequence[str],
        mapping: Mapping[str, str],
        columns: Sequence[Column],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.columns = columns
        choices = [("", "Not in this file")] + [(header, header) for header in headers]
        for column in columns:
            self.fields[column.name] = forms.ChoiceField(
                label=column.label,
                choices=choices,
                required=False,
                initial=mapping.get(column.name, ""),
                error_messages={"invalid_choice": "Choose a column of the file, or “Not in this file”"},
            )

    def mapping(self) -> dict[str, str]:
        """Threshold's field → the file's header, for the fields given a column."""
        return {
            column.name: self.cleaned_data[column.name] for column in self.columns if self.cleaned_data.get(column.name)
        }


# The most different values a coded column may hold: more, and it is not a coded column (a free-text column mapped
# to one). Nine coded columns of this many stay within the fields Django takes in one form (1,000).
MOST_VALUES = 100


class ValuesForm(WrittenForm):
    """For each value the file holds in a coded column, what it means in Threshold.

    A column holding more than ``MOST_VALUES`` different values is not offered value by value: the form says so
    beside nothing it could send, and cannot be sent until the column is mapped again (``too_many``).
    """

    version = opened_at_version()

    def __init__(
        self, *args: Any, values: Mapping[str, list[ValueChoice]], columns: Mapping[str, Column], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.by_name = columns
        self.keys: dict[str, tuple[str, str]] = {}
        self.too_many = {columns[name].label: len(found) for name, found in values.items() if len(found) > MOST_VALUES}
        for name, found in values.items():
            column = columns[name]
            if len(found) > MOST_VALUES:
                continue
            choices = [("", "Choose what it means"), (NOT_RECORDED, "Not recorded (leave it blank)"), *column.choices]
            for index, value in enumerate(found):
                field = f"{name}-{index}"
                self.keys[field] = (name, value.key)
                initial = NOT_RECORDED if value.suggested == "" else (value.suggested or "")
                self.fields[field] = forms.ChoiceField(
                    label=value.value,
                    choices=choices,
                    initial=initial,
                    error_messages={"required": f"Choose what “{value.value}” means in {column.label.lower()}"},
                )

    def clean(self) -> dict[str, Any]:
        """Refused while a coded column holds more values than a coded column can (``too_many``)."""
        data = super().clean() or {}
        for message in self.too_many_messages():
            self.add_error(None, message)
        return data

    def too_many_messages(self) -> list[str]:
        """What to do about each column with too many values, in words."""
        return [
            f"{label} holds {count:,} different values, more than a coded column can: go back to the columns and "
            "check which column of the file holds it"
            for label, count in self.too_many.items()
        ]

    def groups(self) -> list[tuple[str, list[Any]]]:
        """The fields by column, for the page: (the column's label, its bound fields)."""
        grouped: dict[str, list[Any]] = {}
        for field, (name, _key) in self.keys.items():
            grouped.setdefault(self.by_name[name].label, []).append(self[field])
        return list(grouped.items())

    def translations(self) -> dict[str, dict[str, str]]:
        """Column → the file's value (folded) → Threshold's code ("" for not recorded)."""
        chosen: dict[str, dict[str, str]] = {}
        for field, (name, key) in self.keys.items():
            code = self.cleaned_data[field]
            chosen.setdefault(name, {})[key] = "" if code == NOT_RECORDED else code
        return chosen


class SaveMappingForm(WrittenForm):
    """A name to keep the run's mapping under."""

    name = CleanCharField(
        label="Name for this mapping",
        max_length=100,
        error_messages={
            "required": "Enter a name for the mapping",
            "max_length": "Name must be 100 characters or fewer",
        },
    )


class VersionForm(WrittenForm):
    """A button's form: the version of the run the page showed."""

    version = opened_at_version()
