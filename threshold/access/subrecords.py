"""Sub-records that follow the record they belong to: whoever may see the record may see them.

Kept here so that selectors and panels list them through ``threshold.access``
like any protected record, rather than filtering the model themselves.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from threshold.access.fetch import visible_allegations, visible_concerns
from threshold.access.guard import scoped
from threshold.access.policies import Action
from threshold.accounts.models import User
from threshold.allegations.models import Lesson
from threshold.chronology.models import ChronologyEntry
from threshold.concerns.models import LowLevelRecord

CHRONOLOGY_RECORD_TYPES = ("concern", "allegation", "case")


def visible_low_level_records(user: User, action: Action = "view") -> QuerySet[LowLevelRecord]:
    """Low-level records of the concerns the user may see (or, with ``change``, handle)."""
    return scoped(LowLevelRecord.objects.filter(concern__in=visible_concerns(user, action)))


def visible_lessons(user: User, action: Action = "view") -> QuerySet[Lesson]:
    """Lessons learned from the allegations the user may see."""
    return scoped(Lesson.objects.filter(allegation__in=visible_allegations(user, action)))


def chronology_entry_record_ref(*, entry_id: int) -> tuple[str, int]:
    """Which record a chronology entry belongs to, as (record type, record id), so the caller can access it.

    Reveals nothing by itself: the caller must then fetch that record through
    ``access_*`` (404 for a record the user may not act on) and read the entry
    through the record (``chronology.selectors.chronology_entry_of``).
    """
    row = ChronologyEntry.objects.filter(pk=entry_id).values_list("concern_id", "allegation_id", "case_id").first()
    if row is None:
        raise Http404("No such record.")
    for record_type, record_id in zip(CHRONOLOGY_RECORD_TYPES, row, strict=True):
        if record_id is not None:
            return record_type, record_id
    raise Http404("No such record.")
