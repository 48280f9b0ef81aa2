"""The form for uploading a document; the service decides whether the file is acceptable."""

from __future__ import annotations

from typing import Any

from django import forms

from threshold.core.forms import CleanCharField, WrittenForm
from threshold.documents.services import MAX_TITLE_LENGTH, too_large_message


class DocumentUploadForm(WrittenForm):
    """A title and a file. Size, type and name are checked by ``document_upload``."""

    title = CleanCharField(
        label="Title",
        max_length=MAX_TITLE_LENGTH,
        error_messages={
            "required": "Enter a title for the document",
            "max_length": f"The title must be {MAX_TITLE_LENGTH} characters or fewer",
        },
    )
    uploaded_file = forms.FileField(
        label="Upload a file",
        allow_empty_file=True,
        error_messages={
            "required": "Select a file",
            "invalid": "Select a file",
            "missing": "Select a file",
        },
    )

    def __init__(self, *args: Any, file_too_large: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.file_too_large = file_too_large
        if file_too_large:
            # The upload handler stopped receiving the file, so it may arrive missing: say why.
            self.fields["uploaded_file"].error_messages["required"] = too_large_message()

    def clean_uploaded_file(self) -> Any:
        """Refuse a request whose files were received only up to the limit (``core.uploads``), whatever came whole."""
        if self.file_too_large:
            raise forms.ValidationError(too_large_message())
        return self.cleaned_data["uploaded_file"]
