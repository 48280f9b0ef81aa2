"""Section 7 (confidentiality and information sharing) and section 8 (the personnel file) of the trust's policy.

Section 7: "The case manager should take advice from the LADO, police, and children's social care services
to agree who needs to know and, importantly, exactly what information can be shared in addition to how to
manage speculation, leaks, and gossip … In the case of Trust academies, a senior leader should make contact
with the press office of the Trust to seek advice and support in managing the appropriate sharing of
information."

Section 8: "The records of any allegation that, following an investigation, is found to be malicious or false
will be recorded as such on Confide and archived from the individual's personnel file (unless the individual
consents for the records to be retained on the file)."
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import User
from threshold.allegations.duties import agreed_with_words, personnel_file_applies, press_office_applies
from threshold.allegations.models import (
    Allegation,
    ConfidentialityRecord,
    Consulted,
    PersonnelFileChoice,
    PersonnelFileDecision,
)
from threshold.allegations.services.common import _record, _text, require_change
from threshold.audit.context import AuditContext


def confidentiality_errors(
    allegation: Allegation,
    *,
    agreed_on: dt.date | None,
    agreed_with: Sequence[str],
    who_needs_to_know: str,
    what_may_be_shared: str,
    press_office_contacted_on: dt.date | None,
    press_office_not_contacted_reason: str,
) -> dict[str, str]:
    """What is wrong with section 7's arrangements, by field: the service refuses them; the form says them at once.

    The date agreed and with whom, who needs to know and what may be shared, and, at a trust's academy, the press
    office contacted with its date or why not (not both).
    """
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if agreed_on is None:
        errors["agreed_on"] = "Enter the date who needs to know was agreed"
    elif agreed_on > today:
        errors["agreed_on"] = "The date it was agreed must be today or in the past"
    chosen = [value for value in Consulted.values if value in agreed_with]
    if not chosen:
        errors["agreed_with"] = "Choose who it was agreed with: the LADO, the police or children's social care"
    if not _text(who_needs_to_know):
        errors["who_needs_to_know"] = "Enter who needs to know about the allegation"
    if not _text(what_may_be_shared):
        errors["what_may_be_shared"] = "Enter exactly what information can be shared"
    reason = _text(press_office_not_contacted_reason)
    if press_office_applies(allegation):
        if press_office_contacted_on is None and not reason:
            errors["press_office_contacted_on"] = (
                "Enter the date the Trust's press office was contacted, or why it has not been contacted"
            )
        elif press_office_contacted_on is not None and press_office_contacted_on > today:
            errors["press_office_contacted_on"] = "The date the press office was contacted must be today or in the past"
        elif press_office_contacted_on is not None and reason:
            errors["press_office_not_contacted_reason"] = "Leave this empty when the press office was contacted"
    return errors


def confidentiality_record(
    *,
    actor: User,
    allegation: Allegation,
    agreed_on: dt.date | None,
    agreed_with: Sequence[str],
    who_needs_to_know: str,
    what_may_be_shared: str,
    speculation: str = "",
    press_office_contacted_on: dt.date | None = None,
    press_office_not_contacted_reason: str = "",
    audit_context: AuditContext | None = None,
) -> ConfidentialityRecord:
    """Record who needs to know and what may be shared, as agreed, and the press office contact; supersedes.

    For a trust's academy the press office contact is recorded with its date, or why it was not made; a
    setting outside a trust has no trust press office to contact. Allowed after the outcome too: what may
    be shared can change when the case ends.
    """
    require_change(actor=actor, allegation=allegation)
    errors = confidentiality_errors(
        allegation,
        agreed_on=agreed_on,
        agreed_with=agreed_with,
        who_needs_to_know=who_needs_to_know,
        what_may_be_shared=what_may_be_shared,
        press_office_contacted_on=press_office_contacted_on,
        press_office_not_contacted_reason=press_office_not_contacted_reason,
    )
    chosen = [value for value in Consulted.values if value in agreed_with]
    reason = _text(press_office_not_contacted_reason)
    if not press_office_applies(allegation):
        press_office_contacted_on, reason = None, ""
    if errors:
        raise ValidationError(errors)
    assert agreed_on is not None
    with transaction.atomic(durable=True):
        record = ConfidentialityRecord.objects.create(
            allegation=allegation,
            agreed_on=agreed_on,
            agreed_with=chosen,
            who_needs_to_know=_text(who_needs_to_know),
            what_may_be_shared=_text(what_may_be_shared),
            speculation=_text(speculation),
            press_office_contacted_on=press_office_contacted_on,
            press_office_not_contacted_reason=reason,
            recorded_by=actor,
        )
        _record(
            actor=actor,
            allegation=allegation,
            action="allegation.confidentiality_recorded",
            text=f"Who needs to know and what may be shared recorded, as agreed with {agreed_with_words(chosen)}.",
            audit_context=audit_context,
            record_id=record.pk,
            details={"agreed_with": chosen, "press_office": bool(press_office_contacted_on)},
        )
    return record


def personnel_file_record(
    *,
    actor: User,
    allegation: Allegation,
    choice: str,
    decided_on: dt.date | None,
    done_by: str = "",
    notes: str = "",
    audit_context: AuditContext | None = None,
) -> PersonnelFileDecision:
    """Record the records archived from the personnel file, or the individual's consent to keep them; supersedes.

    Only after a malicious or false outcome.
    """
    require_change(actor=actor, allegation=allegation)
    errors: dict[str, str] = {}
    if not personnel_file_applies(allegation):
        errors["__all__"] = "Only an allegation found to be malicious or false is removed from the personnel file"
    if choice not in PersonnelFileChoice.values:
        errors["choice"] = "Choose whether the records were archived or the individual consents to keep them"
    today = timezone.localdate()
    if decided_on is None:
        errors["decided_on"] = (
            "Enter the date the individual consented"
            if choice == PersonnelFileChoice.CONSENTED
            else "Enter the date the records were archived from the personnel file"
        )
    elif decided_on > today:
        errors["decided_on"] = "The date must be today or in the past"
    if choice == PersonnelFileChoice.ARCHIVED and not _text(done_by):
        errors["done_by"] = "Enter who archived the records from the personnel file"
    if errors:
        raise ValidationError(errors)
    assert decided_on is not None
    with transaction.atomic(durable=True):
        record = PersonnelFileDecision.objects.create(
            allegation=allegation,
            choice=choice,
            decided_on=decided_on,
            done_by=_text(done_by) if choice == PersonnelFileChoice.ARCHIVED else "",
            notes=_text(notes),
            recorded_by=actor,
        )
        _record(
            actor=actor,
            allegation=allegation,
            action="allegation.personnel_file_recorded",
            text=(
                f"Records archived from the personnel file on {decided_on:%-d %B %Y}."
                if choice == PersonnelFileChoice.ARCHIVED
                else f"The individual consented on {decided_on:%-d %B %Y} to the records being kept on the file."
            ),
            audit_context=audit_context,
            record_id=record.pk,
            details={"choice": choice},
        )
    return record
