"""An upload handler that stops receiving a file once it passes the size limit.

Django would otherwise stream any size of upload to a temporary file before
the view sees it. This handler sits first in the chain: past the limit it
skips the rest of that file (nothing more is written anywhere) and remembers
why, so the form can say "too large" rather than "select a file".
"""

from __future__ import annotations

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest


class SizeLimitUploadHandler(FileUploadHandler):
    """Skips any file larger than ``limit`` bytes and records that it did."""

    def __init__(self, request: HttpRequest, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        """Pass data on to the next handler until the file passes the limit."""
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        """Leave the file to the next handler."""
        return None
