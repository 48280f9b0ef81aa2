"""Emails: decided in the transaction of their cause, sent by a task after commit, retried until sent.

An email is an ``EmailDelivery`` row written in the same transaction as what it tells (a notification, the
daily digest). Its ``key`` is unique per recipient, so each (item, stage) and each (person, day) is emailed
once whatever runs twice. After commit, a django-tasks task (``threshold.notifications.tasks.send_email``)
sends it by id; a failure is recorded as the attempt count and the exception's class only (a mail server's
message may quote an address) and leaves the row ``failed``. The reminder pass enqueues every row still
queued or failed a minute after it was written, so a lost task or a mail server that was down loses nothing.

No email carries personal data: subject lines name the kind of message; bodies carry counts, record
references, what is due in the deadline's own words (which never name a person) and a link that needs
sign-in.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from threshold.accounts.models import User
from threshold.notifications.models import DeliveryStatus, EmailDelivery, Notification, NotificationKind

logger = logging.getLogger(__name__)

# What cannot wait for tomorrow's digest: emailed at once to those whose preference includes immediate.
IMMEDIATE_KINDS = frozenset(
    {
        NotificationKind.NEW_REFERRAL,
        NotificationKind.DEADLINE_MISSED,
        NotificationKind.MEETING_SHARED,
        NotificationKind.INFORMATION_REQUEST,
        NotificationKind.CONCERN_ROUTED,
        NotificationKind.CONCERN_SHARED,
        NotificationKind.HR_INFORMED,
        NotificationKind.HR_ADVICE,
        NotificationKind.LADO_DECISION,
        NotificationKind.EMPLOYER_OUTCOME,
    }
)
# Subject lines: the kind of message, never what or whom it is about.
SUBJECTS: dict[str, str] = {
    NotificationKind.NEW_REFERRAL: "New referral in the LADO inbox",
    NotificationKind.DEADLINE_MISSED: "A deadline has passed",
    NotificationKind.MEETING_SHARED: "A meeting has been shared with you",
    NotificationKind.INFORMATION_REQUEST: "Request for information",
    NotificationKind.CONCERN_ROUTED: "A concern has been routed to you",
    NotificationKind.CONCERN_SHARED: "A concern has been shared with your setting",
    NotificationKind.HR_INFORMED: "An allegation needs HR's attention",
    NotificationKind.HR_ADVICE: "HR advice on a concern",
    NotificationKind.LADO_DECISION: "The LADO has updated a referral",
    NotificationKind.EMPLOYER_OUTCOME: "An employer has recorded an outcome for you to agree",
}
SUBJECT_PREFIX = "Threshold: "
# Found by path, not imported: the task module imports this one (no import cycles inside an app).
SEND_TASK = "threshold.notifications.tasks.send_email"
# A queued row younger than this is left to the task its commit enqueued.
RETRY_AFTER = dt.timedelta(minutes=1)
# A row being sent for longer than this was taken by a worker that stopped mid-send (the mail server's wait is
# bounded: ``EMAIL_TIMEOUT``): it is sent again, so an email can arrive twice only after a worker died sending it.
CLAIM_LASTS = dt.timedelta(minutes=10)
# The emails decided while a reminder pass runs (``collecting``), for its summary.
_decided: ContextVar[list[EmailDelivery] | None] = ContextVar("threshold_emails_decided", default=None)


@contextmanager
def collecting() -> Iterator[list[EmailDelivery]]:
    """Collect every email decided inside the block (by any service it calls): what a reminder pass sent."""
    decided: list[EmailDelivery] = []
    token = _decided.set(decided)
    try:
        yield decided
    finally:
        _decided.reset(token)


def base_url() -> str:
    """The address people reach Threshold at (``THRESHOLD_BASE_URL``), without a trailing slash."""
    return str(getattr(settings, "THRESHOLD_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")


def absolute(path: str) -> str:
    """An absolute link to a page of Threshold (the page itself asks for sign-in)."""
    return base_url() + (path if path.startswith("/") else "/" + path)


def render_text(template: str, context: dict[str, Any]) -> str:
    """A plain-text email body from a Jinja2 template in ``notifications/email/``."""
    body = render_to_string(f"notifications/email/{template}", context, using="jinja2")
    return body.strip() + "\n"


def immediate_email(notification: Notification) -> tuple[str, str]:
    """The subject line and body of the immediate email for one notification."""
    subject = SUBJECT_PREFIX + SUBJECTS.get(notification.kind, "You have a new notification")
    body = render_text(
        "immediate.txt",
        {
            "text": notification.text,
            "link": absolute(notification.url or reverse("notifications")),
            "settings_link": absolute(reverse("notification_settings")),
        },
    )
    return subject, body


def email_create_in_transaction(
    *, recipient: User, key: str, subject_line: str, body: str, kinds: Sequence[str], items: int
) -> EmailDelivery | None:
    """Decide to send one email (joins the caller's transaction); None if this key was already emailed to them.

    The caller enqueues it on commit (``email_send_on_commit``).
    """
    if EmailDelivery.objects.filter(recipient=recipient, key=key).exists():
        return None
    try:
        with transaction.atomic():
            delivery = EmailDelivery.objects.create(
                recipient=recipient,
                key=key,
                subject_line=subject_line[:200],
                body=body,
                kinds=list(kinds),
                items=items,
            )
    except IntegrityError:
        # Decided a moment ago by another request or pass.
        return None
    decided = _decided.get()
    if decided is not None:
        decided.append(delivery)
    return delivery


def email_send_on_commit(deliveries: Iterable[EmailDelivery]) -> None:
    """Enqueue the sending task for each delivery once the caller's transaction commits."""
    ids = [delivery.pk for delivery in deliveries]
    if ids:
        transaction.on_commit(lambda: enqueue(ids))


def enqueue(ids: Iterable[int]) -> None:
    """Enqueue the sending task for each id; a queue that refuses leaves the row for the next pass to retry."""
    send = import_string(SEND_TASK)
    for delivery_id in ids:
        try:
            send.enqueue(delivery_id)
        except Exception as error:  # the row stays queued; the reminder pass enqueues it again
            logger.warning("Could not enqueue email %s: %s", delivery_id, type(error).__name__)


def delivery_send(delivery_id: int) -> str:
    """Send one email by id; ``sent``, ``failed`` or ``skipped`` (already sent, or being sent elsewhere).

    The row is claimed by moving it to ``sending`` with a conditional update, so two workers never send the same
    row at once: a second task for it (the reminder pass enqueues again what is still waiting) finds it taken. A
    failure keeps only the exception's class and leaves the row ``failed`` for the next pass; it is not
    raised, so nothing a mail server said reaches the task's stored result.
    """
    now = timezone.now()
    claimed = EmailDelivery.objects.filter(_claimable(now), pk=delivery_id).update(
        status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if claimed != 1:
        return "skipped"
    row = EmailDelivery.objects.select_related("recipient").get(pk=delivery_id)
    if not row.recipient.is_active or not row.recipient.email:
        EmailDelivery.objects.filter(pk=row.pk).update(status=DeliveryStatus.FAILED, last_error="InactiveRecipient")
        return "failed"
    try:
        send_mail(row.subject_line, row.body, None, [row.recipient.email], fail_silently=False)
    except Exception as error:  # recorded and retried by the next reminder pass
        EmailDelivery.objects.filter(pk=row.pk).update(
            status=DeliveryStatus.FAILED, last_error=type(error).__name__[:200]
        )
        logger.warning("Email %s failed (%s); it will be retried", row.pk, type(error).__name__)
        return "failed"
    EmailDelivery.objects.filter(pk=row.pk).update(status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error="")
    return "sent"


def _claimable(now: dt.datetime) -> Q:
    """Rows waiting to be sent: queued, failed, or taken by a worker that stopped mid-send (``CLAIM_LASTS``)."""
    return Q(status__in=(DeliveryStatus.QUEUED, DeliveryStatus.FAILED)) | Q(
        status=DeliveryStatus.SENDING, claimed_at__lte=now - CLAIM_LASTS
    )


def deliveries_retry(*, now: dt.datetime | None = None) -> list[int]:
    """Enqueue again every email still waiting to be sent a minute after it was decided; their ids.

    Waiting: queued, failed, or taken by a worker that stopped mid-send. An inactive recipient's rows are left as
    they are: nobody reads that address for Threshold now.
    """
    now = now or timezone.now()
    ids = list(
        EmailDelivery.objects.filter(
            _claimable(now),
            created_at__lte=now - RETRY_AFTER,
            recipient__is_active=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    enqueue(ids)
    return ids
