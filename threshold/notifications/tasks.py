"""Background tasks of the notifications app: sending one email, by id, after the commit that decided it."""

from __future__ import annotations

from django_tasks import task

from threshold.notifications.services.delivery import delivery_send


@task()
def send_email(delivery_id: int) -> str:
    """Send one ``EmailDelivery`` (its id only: the row holds the words); ``sent``, ``failed`` or ``skipped``.

    A failure is recorded on the row and retried by the next reminder pass, never raised: the task's stored
    result keeps nothing a mail server said.
    """
    return delivery_send(delivery_id)
