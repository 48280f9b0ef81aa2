"""HR sees a low-level concern only when the head shares it with them (policy 13.3).

"The headteacher should always seek advice from their HR business partner." Henry (HR business partner of
the Riverside trust) reaches no low-level concern of his own accord; when Hana shares one with him he may
read that one and add advice, and every other low-level concern stays out of his reach. Subject exclusion
still applies, and the reach ends with his HR role.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from threshold.access import fetch, subrecords
from threshold.accounts.models import Membership, Organisation, User
from threshold.audit.models import AuditEvent
from threshold.chronology.models import ChronologyEntry
from threshold.concerns import recipients, services
from threshold.concerns.models import Concern, ConcernHrShare
from threshold.demo import world
from threshold.notifications.models import Notification

pytestmark = pytest.mark.django_db

TIER_2 = {"inconsistent_with_code_of_conduct": True, "incident_pattern": "accidental"}


def _low_level(persona, name: str = "Chris Coach") -> Concern:
    concern = services.concern_share(
        actor=persona("tom"), organisation=Organisation.objects.get(name=world.OAKFIELD), subject_user=None,
        subject_name=name, subject_role="Sports coach", anonymous=False,
        raised_on=timezone.localdate() - dt.timedelta(days=1), how_arose="suspicion",
        details="Stood too close to a pupil in the corridor.", headteacher_conflict=False,
    )  # fmt: skip
    services.concern_triage(
        actor=persona("hana"), concern=concern, expected_version=concern.version, raw_facts=TIER_2,
        decision="low_level", rationale="Tier 2.",
    )  # fmt: skip
    concern.refresh_from_db()
    return concern


def _share_with_henry(persona, concern: Concern) -> ConcernHrShare:
    return services.concern_share_with_hr(
        actor=persona("hana"), concern=concern, partner=persona("henry"), question="Could this be disciplinary?"
    )


def test_hr_sees_no_low_level_concern_until_the_head_shares_one(persona, signed_in, demo_world) -> None:
    concern = _low_level(persona)
    henry = signed_in("henry")
    assert henry.get(reverse("concern_detail", args=[concern.pk])).status_code == 404
    assert not fetch.visible_concerns(persona("henry"), "view").filter(pk=concern.pk).exists()
    _share_with_henry(persona, concern)
    assert henry.get(reverse("concern_detail", args=[concern.pk])).status_code == 200
    assert list(fetch.visible_concerns(persona("henry"), "view")) == [concern]


def test_every_other_low_level_concern_stays_invisible_to_hr(persona, signed_in, demo_world) -> None:
    shared = _low_level(persona)
    other = _low_level(persona, name="Olly Other")
    _share_with_henry(persona, shared)
    henry = persona("henry")
    assert not fetch.visible_concerns(henry, "view").filter(pk=other.pk).exists()
    assert signed_in("henry").get(reverse("concern_detail", args=[other.pk])).status_code == 404
    assert not subrecords.visible_low_level_records(henry).filter(concern=other).exists()
    listed = signed_in("henry").get(reverse("concern_list")).content.decode()
    assert shared.reference in listed
    assert other.reference not in listed


def test_hr_reads_the_shared_concern_and_changes_nothing(persona, signed_in, demo_world) -> None:
    concern = _low_level(persona)
    _share_with_henry(persona, concern)
    henry = persona("henry")
    assert not fetch.visible_concerns(henry, "change").filter(pk=concern.pk).exists()
    client = signed_in("henry")
    for name in ("concern_low_level", "concern_close", "concern_share_hr"):
        assert client.get(reverse(name, args=[concern.pk])).status_code == 404


def test_hr_adds_advice_and_the_head_is_told(persona, signed_in, demo_world) -> None:
    concern = _low_level(persona)
    _share_with_henry(persona, concern)
    client = signed_in("henry")
    url = reverse("concern_hr_advice", args=[concern.pk])
    assert "Enter your advice" in client.post(url, {"advice": ""}).content.decode()
    assert client.post(url, {"advice": "Not disciplinary: a conversation and a note."}).status_code == 302
    entry = ChronologyEntry.objects.filter(concern=concern, text__startswith="Advice from Henry Hr").get()
    assert entry.text.endswith("Not disciplinary: a conversation and a note.")
    told = Notification.objects.filter(recipient=persona("hana"), key__startswith="hr:advice-given").get()
    assert "Chris" not in told.text
    assert concern.reference in told.text


def test_hr_cannot_advise_on_a_concern_not_shared_with_them(persona, signed_in, demo_world) -> None:
    concern = _low_level(persona)
    assert signed_in("henry").get(reverse("concern_hr_advice", args=[concern.pk])).status_code == 404
    assert not fetch.visible_concerns(persona("henry"), "advise").filter(pk=concern.pk).exists()


def test_the_head_shares_only_with_an_hr_business_partner_of_the_setting_or_trust(persona, demo_world) -> None:
    concern = _low_level(persona)
    assert recipients.hr_partners_for(concern) == [persona("henry")]
    with pytest.raises(ValidationError) as error:
        services.concern_share_with_hr(
            actor=persona("hana"), concern=concern, partner=persona("lara"), question="Advice?"
        )
    assert error.value.message_dict["partner"] == ["Choose the HR business partner to ask for advice"]


def test_subject_exclusion_still_applies_to_a_shared_concern(persona, demo_world) -> None:
    """A concern about Henry is never offered to him, and a share row could not show it to him anyway."""
    concern = _low_level(persona, name="Henry Hr")
    assert persona("henry") not in recipients.hr_partners_for(concern)
    ConcernHrShare.objects.create(concern=concern, user=persona("henry"), question="?", shared_by=persona("hana"))
    assert not fetch.visible_concerns(persona("henry"), "view").filter(pk=concern.pk).exists()


def test_the_share_ends_when_the_partner_is_no_longer_hr_there(persona, demo_world) -> None:
    concern = _low_level(persona)
    _share_with_henry(persona, concern)
    henry: User = persona("henry")
    Membership.objects.filter(user=henry).update(is_active=False)
    assert not fetch.visible_concerns(henry, "view").filter(pk=concern.pk).exists()


def test_the_head_asks_on_the_share_page(persona, signed_in, demo_world) -> None:
    concern = _low_level(persona)
    hana = signed_in("hana")
    url = reverse("concern_share_hr", args=[concern.pk])
    refused = hana.post(url, {"partner": "", "question": ""}).content.decode()
    assert "Choose the HR business partner to ask for advice" in refused
    assert "Enter what you would like advice on" in refused
    henry = persona("henry")
    assert hana.post(url, {"partner": str(henry.pk), "question": "Disciplinary?"}).status_code == 302
    assert Notification.objects.filter(recipient=henry, key=f"hr:advice-asked:concern:{concern.pk}").exists()


def test_a_share_ends_with_henrys_membership_and_does_not_return_when_he_is_made_hr_again(
    persona, signed_in, demo_world
) -> None:
    from threshold.accounts.services import membership_end

    concern = _low_level(persona)
    share = _share_with_henry(persona, concern)
    riverside = Organisation.objects.get(name=world.RIVERSIDE)
    membership = Membership.objects.get(user=persona("henry"), organisation=riverside, is_active=True)
    membership_end(actor=persona("olu"), membership=membership)
    share.refresh_from_db()
    assert share.ended_at is not None
    # The concern's own trail says so, on Oakfield's audit page, naming who ended it.
    ended = AuditEvent.objects.get(action="concern.hr_share_ended", record_id=str(concern.pk))
    assert (ended.actor, ended.organisation, ended.details["reason"]) == (
        persona("olu"),
        concern.organisation,
        "hr_role_ended",
    )
    # Made the trust's HR business partner again, Henry does not get the old share back.
    Membership.objects.create(user=persona("henry"), organisation=riverside, role="hr_business_partner")
    assert signed_in("henry").get(reverse("concern_detail", args=[concern.pk])).status_code == 404
    assert not fetch.visible_concerns(persona("henry"), "view").filter(pk=concern.pk).exists()
    # Hana may share it with him afresh, with a new question.
    services.concern_share_with_hr(
        actor=persona("hana"), concern=concern, partner=persona("henry"), question="Is this a pattern now?"
    )
    share.refresh_from_db()
    assert share.ended_at is None
    assert share.question == "Is this a pattern now?"
    assert signed_in("henry").get(reverse("concern_detail", args=[concern.pk])).status_code == 200


def test_a_share_ends_when_henrys_role_changes_away_from_hr(persona, demo_world) -> None:
    from threshold.accounts.services import membership_change_role

    concern = _low_level(persona)
    share = _share_with_henry(persona, concern)
    membership = Membership.objects.get(user=persona("henry"), is_active=True)
    membership_change_role(actor=persona("olu"), membership=membership, role="dsl", expected_version=membership.version)
    share.refresh_from_db()
    assert share.ended_at is not None
