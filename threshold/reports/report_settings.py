"""An authority's report settings: the small-number threshold its reports that leave the service apply.

Issue 14: "an option to suppress counts below a threshold the authority sets (default off) for reports that leave
the service". The LADO manager sets it (``report_settings_save``, audited as ``report_settings.changed``); the
report page then offers to suppress counts below it, on the page and in the PDF, XLSX and CSV made from it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.access.scope import scope_for
from threshold.accounts.models import Organisation, User
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.core.locking import bump_version
from threshold.reports.models import ReportSettings

SMALLEST_THRESHOLD = 2
LARGEST_THRESHOLD = 100


def report_settings_for(organisation: Organisation) -> ReportSettings:
    """The organisation's report settings as saved, or the defaults (nothing suppressed) when never saved."""
    found = ReportSettings.objects.filter(organisation=organisation).first()
    return found if found is not None else ReportSettings(organisation=organisation)


def may_change_report_settings(user: User, organisation: Organisation) -> bool:
    """Only the authority's LADO manager sets what its reports suppress (auditors and LADOs read the report)."""
    return organisation.pk in scope_for(user).lado_manage


def report_settings_save(
    *,
    actor: User,
    organisation: Organisation,
    expected_version: int,
    suppress_below: int | None,
    audit_context: AuditContext | None = None,
) -> ReportSettings:
    """Save the authority's small-number threshold (None: suppress nothing), if still at ``expected_version``.

    Raises ``PermissionDenied`` for anyone but the authority's LADO manager, ``ValidationError`` for a threshold
    outside 2 to 100, and ``ConflictError`` when someone else saved first.
    """
    if not may_change_report_settings(actor, organisation):
        raise PermissionDenied("Only the authority's LADO manager changes its report settings.")
    if suppress_below is not None and not SMALLEST_THRESHOLD <= suppress_below <= LARGEST_THRESHOLD:
        raise ValidationError(
            {"suppress_below": f"Enter a number from {SMALLEST_THRESHOLD} to {LARGEST_THRESHOLD}, or leave it blank"}
        )
    context = context_for(actor, audit_context)
    with transaction.atomic(durable=True):
        # The first save makes the row at version 1, the version a form opened on the defaults carries.
        settings, _ = ReportSettings.objects.get_or_create(organisation=organisation)
        bump_version(settings, expected_version)
        before = settings.suppress_below
        settings.suppress_below = suppress_below
        settings.updated_at = timezone.now()
        settings.updated_by = actor
        settings.save(update_fields=["suppress_below", "updated_at", "updated_by"])
        audit_record(
            context=context,
            action="report_settings.changed",
            record_type="report_settings",
            record_id=settings.pk,
            organisation=organisation,
            changes={"suppress_below": (before, suppress_below)} if before != suppress_below else None,
        )
    return settings
