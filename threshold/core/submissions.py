"""One-time submission tokens: a form sent twice creates one record, not two (ADR 0021).

Every POST form renders ``{{ csrf_input }}``; :func:`form_context` makes that
render a fresh random token beside the CSRF token, so every form carries one
without anyone remembering to add it. :class:`SubmissionMiddleware` claims the
token before the view runs: the first POST with it runs; a repeat of one that
succeeded (a double click, the browser's "resend", a retried request) is sent
where the first was, with "This was already saved.", and nothing runs again; a
repeat while the first is still running gets a 409 page. A first POST that
fails (errors beside the fields, a conflict page, a 4xx or 5xx) gives its token
back, so the corrected form can be sent. A POST without a token (a form from a
page rendered before this existed, a script, a test) passes through unchanged.
Sign-in forms carry one too: a signed-out visitor's token belongs to their
session.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseRedirectBase
from django.shortcuts import render
from django.template.backends.utils import csrf_input
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString

from threshold.core.models import Submission

FIELD = "submission"
REPEAT_MESSAGE = "This was already saved."
IN_PROGRESS_TEMPLATE = "errors/submission_in_progress.html"
# A token is 32 URL-safe characters; anything else is not ours and is ignored.
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Rows older than this are deleted: a resend comes within minutes, and the day
# before is kept so a form sent just before midnight is still covered.
KEEP_DAYS = 1


class HttpResponseSeeOther(HttpResponseRedirectBase):
    """303 See Other: the browser follows with a GET, whatever the first request was."""

    status_code = 303


def new_token() -> str:
    """A fresh random token for one form (128 bits and more: not guessable, not counting anything)."""
    return secrets.token_urlsafe(24)


def _form_inputs(request: HttpRequest) -> SafeString:
    return format_html('{}<input type="hidden" name="{}" value="{}">', csrf_input(request), FIELD, new_token())


def form_context(request: HttpRequest) -> dict[str, Any]:
    """Template context: ``csrf_input`` renders the CSRF field and a new one-time token each time it is used.

    Django's Jinja2 backend puts its own ``csrf_input`` in the context and then
    runs the context processors, so this one replaces it. ``lazy`` calls the
    function again on every use, so two forms on one page, or one form
    re-rendered with its errors, each get their own token.
    """
    return {"csrf_input": lazy(_form_inputs, SafeString)(request)}


def answered_in_place(request: HttpRequest, *, repeat_location: str) -> None:
    """Record this POST as saved although its answer is a page, not a redirect.

    For the one answer that cannot be a redirect (the concern receipt, ADR 0008:
    no URL or session may tie an anonymous reporter to the reference), a repeat
    is sent to ``repeat_location`` instead, which must name no record.
    """
    request._submission_done_location = repeat_location  # type: ignore[attr-defined]


def _owner(request: HttpRequest) -> str | None:
    """Whose token this is: the signed-in account, else the visitor's session; None if neither."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    session = getattr(request, "session", None)
    session_key = getattr(session, "session_key", None)
    return f"session:{session_key}" if session_key else None


def submission_key(owner: str, token: str) -> str:
    """The row's key: a digest of owner and token, so another account's replay is a different row."""
    return hashlib.sha256(f"{owner}\0{token}".encode()).hexdigest()


def claim(key: str) -> Submission | None:
    """Take the token for this request; None if it was free, else the earlier use of it.

    The insert is the lock: of two requests with one token, the database's
    primary key lets exactly one in (SQLite takes its write lock at BEGIN, ADR
    0003; PostgreSQL makes the second insert wait for the first to commit).
    """
    today = timezone.localdate()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                # The cheap daily purge rides on a write we make anyway (an indexed delete, usually of nothing).
                Submission.objects.filter(created_on__lt=today - timedelta(days=KEEP_DAYS)).delete()
                Submission.objects.create(key=key, status=Submission.Status.RUNNING, created_on=today)
        except IntegrityError:
            earlier = Submission.objects.filter(key=key).first()
            if earlier is not None:
                return earlier
            # The first use failed and gave the token back between our insert and our read: try again.
            continue
        return None
    return Submission(key=key, status=Submission.Status.RUNNING, created_on=today)


def finish(key: str, request: HttpRequest, response: HttpResponse) -> None:
    """After the view: keep a success (with where it went), give back anything else."""
    location = response.get("Location", "") if response.status_code in _REDIRECTS else ""
    if not location and 200 <= response.status_code < 300:
        location = getattr(request, "_submission_done_location", "")
    if location:
        Submission.objects.filter(key=key).update(status=Submission.Status.DONE, location=location)
    else:
        Submission.objects.filter(key=key).delete()


class SubmissionMiddleware:
    """Run a POST with a one-time token once (ADR 0021).

    The claim is made in ``process_view``, after ``CsrfViewMiddleware`` has
    checked the request (so a forged POST claims nothing) and the URL has
    resolved; it is its own short transaction, outside any the view opens.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Handle one request, and settle its claim once the view has answered."""
        response = self.get_response(request)
        key = getattr(request, "_submission_key", None)
        if key is not None:
            finish(key, request, response)
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        """Claim the token, or answer a repeat without running the view.

        A view exempt from the CSRF middleware reads its own body (the document
        upload installs a size limit first, which must happen before anything
        reads ``request.POST``); it claims inside, with ``submission_protect``.
        """
        if getattr(view, "csrf_exempt", False):
            return None
        return claim_or_answer(request)


def claim_or_answer(request: HttpRequest) -> HttpResponse | None:
    """Claim a POST's token (None: run the view), or the answer to a repeat: where it went, or "in progress"."""
    if request.method != "POST":
        return None
    token = request.POST.get(FIELD, "")
    owner = _owner(request)
    if owner is None or not _TOKEN.match(token):
        return None
    key = submission_key(owner, token)
    earlier = claim(key)
    if earlier is None:
        # SubmissionMiddleware.__call__ settles the claim once the view has answered.
        request._submission_key = key  # type: ignore[attr-defined]
        return None
    if earlier.status == Submission.Status.DONE:
        messages.info(request, REPEAT_MESSAGE)
        return HttpResponseSeeOther(earlier.location)
    return render(request, IN_PROGRESS_TEMPLATE, {"bare": True}, status=409)


def submission_protect(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Claim the one-time token inside a CSRF-exempt view, after it has set up how its body is read."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return claim_or_answer(request) or view(request, *args, **kwargs)

    return wrapped
