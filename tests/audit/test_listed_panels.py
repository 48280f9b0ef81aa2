"""Pages that show other records (by reference, date, adult and status) name them in the trail, as every list does.

Without it, "who has looked at this record?" missed the person page's lists, a concern page's "raised previously"
panel (which reaches the trust's other schools) and the trust's restrictions, which show an adult's name from an
allegation the reader may not open.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from threshold.accounts.models import Organisation
from threshold.allegations.models import Allegation
from threshold.audit.index import records_named
from threshold.audit.models import AuditEvent
from threshold.audit.selectors import person_access_log
from threshold.concerns import services
from threshold.concerns.models import Concern
from threshold.demo import world

pytestmark = pytest.mark.django_db


def head() -> int:
    return AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0


def named_since(sequence: int) -> set[tuple[str, str]]:
    events = AuditEvent.objects.filter(sequence__gt=sequence)
    return set().union(set(), *(records_named(e.record_type, e.record_id, e.details) for e in events))


def test_the_person_page_names_the_concerns_it_lists(records, signed_in) -> None:
    before = head()
    page = signed_in("hana").get(reverse("person_detail", args=[records["person_chris"]])).content.decode()
    shown = {
        ("concern", str(records[key]))
        for key in ("concern_by_tom", "concern_anonymous")
        if Concern.objects.get(pk=records[key]).reference in page
    }
    assert shown
    assert shown <= named_since(before)


def test_a_concern_page_names_the_earlier_concerns_it_lists(records, signed_in) -> None:
    other = Concern.objects.get(pk=records["concern_anonymous"])
    before = head()
    page = signed_in("dev").get(reverse("concern_detail", args=[records["concern_by_tom"]])).content.decode()
    assert other.reference in page
    assert ("concern", str(other.pk)) in named_since(before)


def test_a_hillcrest_concern_shown_on_an_oakfield_concern_page_is_in_hillcrests_access_log(persona, signed_in) -> None:
    def share(organisation: str) -> Concern:
        return services.concern_share(
            actor=persona("tom"), organisation=Organisation.objects.get(name=organisation), subject_user=None,
            subject_name="Chris Coach", subject_role="Sports coach", anonymous=False, how_arose="suspicion",
            details="Kept a pupil behind alone.", headteacher_conflict=False, raised_on=timezone.localdate(),
        )  # fmt: skip

    earlier, concern = share(world.HILLCREST), share(world.OAKFIELD)
    dev = signed_in("dev")
    assert earlier.reference in dev.get(reverse("concern_detail", args=[concern.pk])).content.decode()
    assert person_access_log(person=earlier.subject).filter(actor=persona("dev")).exists()
    before = head()
    assert earlier.reference in dev.get(reverse("concern_triage", args=[concern.pk])).content.decode()
    assert ("concern", str(earlier.pk)) in named_since(before)


def test_the_restrictions_page_names_the_allegation_and_the_person_whose_name_it_shows(records, signed_in) -> None:
    allegation = Allegation.objects.get(pk=records["allegation_chris"])
    Allegation.objects.filter(pk=allegation.pk).update(barred_from_trust=True)
    before = head()
    page = signed_in("priya").get(reverse("allegation_restrictions"))
    assert "Chris Coach" in page.content.decode()
    assert {("allegation", str(allegation.pk)), ("person", str(allegation.subject_id))} <= named_since(before)
