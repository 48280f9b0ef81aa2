"""Telling people things: a notification in the product, once per person and key, never to the record's subject.

Record apps call ``notify_in_transaction`` inside their own service's transaction (a new referral in the
inbox, a meeting shared, a partner's update, a request for information and its reply); the reminder pass
calls it for deadlines coming and missed. The words are checked to carry no personal data by the caller's
tests; here, the recipients are filtered so that nobody is told about a record that is, or could be,
about them (``threshold.people.subjects.users_not_about``), and a repeated call with the same key tells
nobody twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from threshold.accounts.models import User
from threshold.notifications.models import Notification
from threshold.people.models import Person
from threshold.people.subjects import users_not_about


def notify_in_transaction(
    *,
    recipients: Iterable[User],
    kind: str,
    text: str,
    key: str,
    url: str = "",
    reference: str = "",
    subject: Person | None = None,
) -> list[Notification]:
    """Add one notification per recipient (once per ``key``), never for someone ``subject`` is or could be.

    Joins the caller's transaction. ``text`` names what happened and the record's reference, never a
    person or what is alleged: it may be emailed. Returns the notifications made this time.
    """
    people = [user for user in recipients if user.is_active]
    if subject is not None:
        people = users_not_about(subject, people)
    made = []
    now = timezone.now()
    for user in {user.pk: user for user in people}.values():
        if Notification.objects.filter(recipient=user, key=key).exists():
            continue
        try:
            with transaction.atomic():
                made.append(
                    Notification.objects.create(
                        recipient=user,
                        kind=kind,
                        text=text,
                        url=url,
                        reference=reference,
                        subject=subject,
                        key=key,
                        created_at=now,
                    )
                )
        except IntegrityError:
            # Another request told them the same thing a moment ago.
            continue
    return made
