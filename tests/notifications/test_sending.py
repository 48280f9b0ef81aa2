"""An email is sent by one worker at a time: a second task for it finds it taken, unless its worker stopped."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.test import override_settings
from django.utils import timezone

from threshold.notifications.models import DeliveryStatus, EmailDelivery
from threshold.notifications.services.delivery import CLAIM_LASTS, deliveries_retry, delivery_send

SLOW_SERVER = "tests.notifications.test_sending.SlowServer"


class SlowServer(LocmemBackend):
    """A mail server slow to accept: while the first worker waits on it, the pass enqueues the row again."""

    delivery_id = 0
    busy = False
    second_worker = ""
    retried: list[int] = []

    def send_messages(self, email_messages: Any) -> int:
        if not SlowServer.busy:
            SlowServer.busy = True
            # The reminder pass finds the row still not sent (over a minute old) and another worker runs its task.
            SlowServer.retried = deliveries_retry(now=timezone.now() + dt.timedelta(minutes=2))
            SlowServer.second_worker = delivery_send(SlowServer.delivery_id)
        return super().send_messages(email_messages)


def an_email_for(user) -> EmailDelivery:
    return EmailDelivery.objects.create(
        recipient=user, key="deadline:1:overdue", subject_line="Threshold: A deadline has passed", body="…", items=1
    )


def test_an_email_being_sent_is_not_sent_again_by_a_second_worker(persona) -> None:
    delivery = an_email_for(persona("lara"))
    SlowServer.delivery_id, SlowServer.busy = delivery.pk, False
    mail.outbox.clear()
    with override_settings(EMAIL_BACKEND=SLOW_SERVER):
        assert delivery_send(delivery.pk) == "sent"
    assert SlowServer.retried == []  # being sent: not waiting
    assert SlowServer.second_worker == "skipped"
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)


def test_an_email_whose_worker_stopped_mid_send_is_sent_by_the_next_pass_after_ten_minutes(persona) -> None:
    delivery = an_email_for(persona("lara"))
    taken = timezone.now()
    # A worker took it and stopped (killed, the machine restarted) before the server answered.
    EmailDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENDING, claimed_at=taken, attempts=1)
    mail.outbox.clear()
    with time_machine.travel(taken + CLAIM_LASTS - dt.timedelta(seconds=1), tick=False):
        assert deliveries_retry() == []
        assert delivery_send(delivery.pk) == "skipped"
    assert mail.outbox == []
    with time_machine.travel(taken + CLAIM_LASTS, tick=False):
        # Enqueued again, its task sends it (the tests' task backend runs a task at once).
        assert deliveries_retry() == [delivery.pk]
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
