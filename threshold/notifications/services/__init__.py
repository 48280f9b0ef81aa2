"""Telling people things: a notification in the product, once per person and key, never to the record's subject.

Record apps call ``notify_in_transaction`` inside their own service's transaction (a new referral in the
inbox, a meeting shared, a partner's update, a request for information and its reply); the reminder pass
calls it for deadlines coming and missed. The words are checked to carry no personal data by the caller's
tests; here, the recipients are filtered so that nobody is told about a record that is, or could be,
about them (``threshold.people.subjects.users_not_about``), and a repeated call with the same key tells
nobody twice.

What cannot wait (``delivery.IMMEDIATE_KINDS``) is also emailed, after commit, to each recipient whose
preference (or role default, ``threshold.notifications.preferences``) includes immediate emails: an
``EmailDelivery`` row is written in the same transaction, so the email goes only if the change commits.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.utils import timezone

from threshold.access import fetch
from threshold.access.fetch import visible_notifications
from threshold.accounts.models import User
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.notifications.models import DeliveryStatus, EmailDelivery, Notification
from threshold.notifications.preferences import preferences_for
from threshold.notifications.services.delivery import (
    IMMEDIATE_KINDS,
    email_create_in_transaction,
    email_send_on_commit,
    immediate_email,
)
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
    about: Model | None = None,
) -> list[Notification]:
    """Add one notification per recipient (once per ``key``), never for someone ``subject`` is or could be.

    Joins the caller's transaction. ``text`` names what happened and the record's reference, never a
    person or what is alleged: it may be emailed. ``about``: the record it is about, when a recipient was chosen
    by a role they may since have left (the LADO who asked, the case's LADO): told only if they may still see it.
    Returns the notifications made this time.
    """
    return notify_and_email_in_transaction(
        recipients=recipients,
        kind=kind,
        text=text,
        key=key,
        url=url,
        reference=reference,
        subject=subject,
        about=about,
    )[0]


def notify_and_email_in_transaction(
    *,
    recipients: Iterable[User],
    kind: str,
    text: str,
    key: str,
    url: str = "",
    reference: str = "",
    subject: Person | None = None,
    about: Model | None = None,
) -> tuple[list[Notification], list[EmailDelivery]]:
    """``notify_in_transaction``, also returning the immediate emails it decided to send (for the reminder pass)."""
    people = [user for user in recipients if user.is_active]
    if subject is not None:
        people = users_not_about(subject, people)
    if about is not None:
        people = [user for user in people if fetch.can(user, "view", about)]
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
    emails = _immediate_emails(made) if kind in IMMEDIATE_KINDS else []
    return made, emails


def notifications_withdraw_in_transaction(*, reference: str, about: Model) -> int:
    """Take back what was said of ``about`` (by its reference) to those who may no longer see it; how many went.

    A record can leave the people it was announced to (a concern re-routed past the setting's head and DSLs
    for a conflict of interest, 13.3): their notifications (it waits for their triage, its deadline was
    missed) would link to a page that is no longer theirs to open, and an email not yet sent (queued, or
    failed and waiting for the next pass) would still go. Both go; an email already sent, or being sent, stays;
    a digest not yet sent no longer counts them. Joins the caller's transaction.
    """
    told = Notification.objects.filter(reference=reference).select_related("recipient")
    gone = [row for row in told if not fetch.can(row.recipient, "view", about)]
    if not gone:
        return 0
    unsent = Q()
    for row in gone:
        unsent |= Q(recipient_id=row.recipient_id, key=row.key)
    EmailDelivery.objects.filter(unsent, status__in=[DeliveryStatus.QUEUED, DeliveryStatus.FAILED]).delete()
    return Notification.objects.filter(pk__in=[row.pk for row in gone]).delete()[0]


def _immediate_emails(made: list[Notification]) -> list[EmailDelivery]:
    """Decide the immediate email of each new notification whose recipient wants one; sent after commit."""
    wanted = preferences_for([notification.recipient for notification in made])
    emails = []
    for notification in made:
        if not wanted[notification.recipient_id].immediate or not notification.recipient.email:
            continue
        subject_line, body = immediate_email(notification)
        delivery = email_create_in_transaction(
            recipient=notification.recipient,
            key=notification.key,
            subject_line=subject_line,
            body=body,
            kinds=[notification.kind],
            items=1,
        )
        if delivery is not None:
            emails.append(delivery)
    email_send_on_commit(emails)
    return emails


def notifications_mark_read(*, actor: User, audit_context: AuditContext | None = None) -> int:
    """Mark every unread notification the actor can see as read; how many."""
    with transaction.atomic(durable=True):
        unread = visible_notifications(actor).filter(read_at__isnull=True).values("pk")
        count = Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())
        if count:
            audit_record(
                context=context_for(actor, audit_context),
                action="notifications.marked_read",
                record_type="user",
                record_id=actor.pk,
                details={"count": count},
            )
    return count
