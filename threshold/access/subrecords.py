"""Sub-records that follow the record they belong to: whoever may see the record may see them.

Kept here so that selectors and panels list them through ``threshold.access``
like any protected record, rather than filtering the model themselves.
"""

from __future__ import annotations

from django.db.models import QuerySet

from threshold.access.fetch import visible_allegations, visible_concerns
from threshold.accounts.models import User
from threshold.allegations.models import Lesson
from threshold.concerns.models import LowLevelRecord


def visible_low_level_records(user: User, action: str = "view") -> QuerySet[LowLevelRecord]:
    """Low-level records of the concerns the user may see (or, with ``change``, handle)."""
    return LowLevelRecord.objects.filter(concern__in=visible_concerns(user, action))


def visible_lessons(user: User, action: str = "view") -> QuerySet[Lesson]:
    """Lessons learned from the allegations the user may see."""
    return Lesson.objects.filter(allegation__in=visible_allegations(user, action))
