"""Uploads received only up to a size limit: past it, nothing more of the request's files is written anywhere.

Django would otherwise stream any size of upload to a temporary file before the view sees it (and a multipart
POST may carry up to ``DATA_UPLOAD_MAX_NUMBER_FILES`` files). ``size_limited_upload`` puts a handler first in
the chain before anything reads the body, which means before the CSRF check: the view is exempted from the
middleware and checked inside with ``csrf_protect`` (and its one-time submission token claimed inside,
``submission_protect``), as Django's documentation on modifying upload handlers describes. Past the limit the
handler skips the rest of every file and remembers why, so the form can say "too large" rather than "select a
file".
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from threshold.core.submissions import submission_protect


class SizeLimitUploadHandler(FileUploadHandler):
    """Skips the files of a request once they pass ``limit`` bytes between them, and records that it did."""

    def __init__(self, request: HttpRequest, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        """Pass data on to the next handler until the request's files pass the limit."""
        self.received += len(raw_data)
        if self.exceeded or self.received > self.limit:
            self.exceeded = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        """Leave the file to the next handler."""
        return None


def size_limited_upload(
    limit: Callable[[], int],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Receive the view's uploaded files only up to ``limit()`` bytes in all; ``upload_too_large`` says if passed."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        protected = csrf_protect(submission_protect(view))

        @csrf_exempt
        @functools.wraps(view)
        def receiving(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            limiter = SizeLimitUploadHandler(request, limit=limit())
            request.upload_handlers = [limiter, *request.upload_handlers]
            request._upload_limiter = limiter  # type: ignore[attr-defined]
            return protected(request, *args, **kwargs)

        return receiving

    return decorate


def upload_too_large(request: HttpRequest) -> bool:
    """Whether ``size_limited_upload`` stopped receiving this request's files at its limit."""
    limiter = getattr(request, "_upload_limiter", None)
    return bool(limiter is not None and limiter.exceeded)
