"""``python manage.py deadlines_sync``: write every record's stored deadlines from its rules (idempotent).

The services keep a record's deadline rows in step as they change it; this rebuilds them all at once, for
records that were written before deadlines were stored (an upgrade), or loaded without the services (the
demo world's seed records, an import). Running it twice changes nothing the second time. A person's "not
needed, because…" is kept (``threshold.timescales.services.deadlines_sync``).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from threshold.accounts.models import Organisation
from threshold.accounts.roles import SETTING_KINDS
from threshold.allegations.models import Allegation
from threshold.allegations.services.deadlines import allegation_deadlines_sync
from threshold.audit.context import AuditContext
from threshold.audit.services import audit_record
from threshold.concerns.models import Concern
from threshold.concerns.services.deadlines import concern_deadlines_sync, pattern_review_deadline_sync
from threshold.lado.models import Case, Contact
from threshold.lado.services.deadlines import case_deadlines_sync, contact_deadlines_sync
from threshold.lado.services.requests import request_deadlines_sync
from threshold.timescales.models import Deadline


class Command(BaseCommand):
    """Rebuild the stored deadlines of every contact, case, allegation, concern and setting."""

    help = "Write every record's stored deadlines from its rules (idempotent); prints what it did as JSON."

    def handle(self, *args: Any, **options: Any) -> None:
        """Sync each record in its own transaction, then record one audit event with the counts."""
        before = Deadline.objects.count()
        counts = {"contacts": 0, "cases": 0, "allegations": 0, "concerns": 0, "settings": 0}
        for contact in Contact.objects.order_by("pk").iterator():
            with transaction.atomic(durable=True):
                contact_deadlines_sync(contact)
            counts["contacts"] += 1
        for case in Case.objects.order_by("pk").iterator():
            with transaction.atomic(durable=True):
                case_deadlines_sync(case)
            counts["cases"] += 1
        for allegation in Allegation.objects.order_by("pk").iterator():
            with transaction.atomic(durable=True):
                allegation_deadlines_sync(allegation)
                request_deadlines_sync(allegation)
            counts["allegations"] += 1
        for concern in Concern.objects.order_by("pk").iterator():
            with transaction.atomic(durable=True):
                concern_deadlines_sync(concern)
            counts["concerns"] += 1
        for organisation in Organisation.objects.filter(kind__in=SETTING_KINDS, is_active=True).order_by("pk"):
            with transaction.atomic(durable=True):
                pattern_review_deadline_sync(organisation)
            counts["settings"] += 1
        summary = {**counts, "deadlines_before": before, "deadlines_after": Deadline.objects.count()}
        audit_record(context=AuditContext.system("deadlines_sync"), action="deadlines.synced", details=summary)
        self.stdout.write(json.dumps(summary))
