"""Section 6.2: "Individuals will be informed of the concerns or allegations made against them as soon as possible
and given an explanation of the likely course of action unless there is an objection by the police or social care."

The case manager records who objects and what they asked; while the objection stands, the adult is not recorded as
told, and the allegation page says why they have not been.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.allegations.conftest import lado_discussed
from threshold.allegations import selectors, services
from threshold.allegations.models import Allegation, InformingObjection, SupportRecord
from threshold.audit.models import AuditEvent
from threshold.chronology.models import ChronologyEntry
from threshold.timescales.models import Deadline, DeadlineState

pytestmark = pytest.mark.django_db

ASKED = "Not to tell the adult until they have been interviewed; reviewed at the strategy meeting."


def record(persona, allegation: Allegation, **values) -> SupportRecord:
    """Hana records the support for Chris, with Henry as the named representative."""
    given = {
        "informed_on": None,
        "informed_of": "",
        "representative_name": "Henry Hr",
        "representative_contact": "henry.hr@riverside.example",
        "union_advised": True,
        "eap_offered": True,
        "occupational_health_offered": False,
    } | values
    standing = SupportRecord.objects.filter(allegation=allegation).order_by("recorded_at", "pk").last()
    given.setdefault("opened_at", standing.pk if standing is not None else 0)
    return services.support_record(actor=persona("hana"), allegation=allegation, **given)


def test_an_objection_by_the_police_is_recorded_and_the_page_says_why_the_adult_is_not_told(
    persona, signed_in, chris_allegation
) -> None:
    record(persona, chris_allegation, objection=InformingObjection.POLICE, objection_detail=ASKED)

    html = signed_in("hana").get(reverse("allegation_detail", args=[chris_allegation.pk])).content.decode()
    support = html[html.index('id="support"') :]
    support = support[: support.index("<h2", 1)]
    assert "Not yet informed: the police object to the adult being told." in support
    assert "reviewed at the strategy meeting" in support
    event = AuditEvent.objects.filter(action="allegation.support_recorded").latest("pk")
    assert event.details["objection"] == "police"
    assert ChronologyEntry.objects.filter(
        text__endswith="Not told yet: the police object to the adult being told."
    ).exists()


def test_while_an_objection_stands_the_adult_is_not_recorded_as_told_and_nothing_is_saved(
    persona, chris_allegation
) -> None:
    with pytest.raises(ValidationError) as raised:
        record(
            persona,
            chris_allegation,
            objection=InformingObjection.SOCIAL_CARE,
            objection_detail="",
            informed_on=timezone.localdate(),
            informed_of="The allegation and the likely course of action.",
        )
    assert set(raised.value.message_dict) == {"objection_detail", "informed_on"}
    assert "choose 'No objection' if they have agreed" in raised.value.message_dict["informed_on"][0]
    with pytest.raises(ValidationError) as unknown:
        record(persona, chris_allegation, objection="the head objects")
    assert "objection" in unknown.value.message_dict
    assert not SupportRecord.objects.filter(allegation=chris_allegation).exists()


def test_once_they_agree_the_adult_is_told_and_the_objection_is_no_longer_shown(
    persona, signed_in, chris_allegation
) -> None:
    record(persona, chris_allegation, objection=InformingObjection.BOTH, objection_detail=ASKED)
    record(
        persona,
        chris_allegation,
        objection=InformingObjection.NONE,
        objection_detail="left over from the last record",
        informed_on=timezone.localdate(),
        informed_of="The allegation and the likely course of action, as agreed with the police.",
    )

    current = selectors.allegation_state(chris_allegation)["support"]
    assert (current.objection, current.objection_detail) == ("none", "")
    html = signed_in("hana").get(reverse("allegation_detail", args=[chris_allegation.pk])).content.decode()
    support = html[html.index('id="support"') :]
    support = support[: support.index("<h2", 1)]
    assert "as agreed with the police" in support
    assert "object to the adult being told" not in support


def test_the_support_form_asks_about_an_objection_and_shows_its_errors_beside_the_fields(
    signed_in, chris_allegation
) -> None:
    client = signed_in("hana")
    url = reverse("allegation_support", args=[chris_allegation.pk])
    form = client.get(url).content.decode()
    assert "Do the police or children&#39;s social care object to the adult being told?" in form

    blank = client.post(
        url, {"version": "0", "representative_name": "Henry Hr", "representative_contact": "01632 960000"}
    )
    assert blank.status_code == 200
    assert "Choose whether the police or children&#39;s social care object to the adult being told" in (
        blank.content.decode()
    )

    unexplained = client.post(
        url,
        {"version": "0", "representative_name": "Henry Hr", "representative_contact": "01632 960000",
         "objection": "police"},
    )  # fmt: skip
    assert unexplained.status_code == 200
    assert 'id="id_objection_detail-error"' in unexplained.content.decode()
    assert not SupportRecord.objects.filter(allegation=chris_allegation).exists()

    saved = client.post(
        url,
        {
            "version": "0",
            "representative_name": "Henry Hr",
            "representative_contact": "01632 960000",
            "objection": "police",
            "objection_detail": ASKED,
        },
    )
    assert saved.status_code == 302
    assert SupportRecord.objects.get(allegation=chris_allegation).objection == "police"
    again = client.get(url).content.decode()
    assert 'value="police" checked' in again


def test_once_the_adult_has_been_told_an_objection_is_refused_and_the_telling_stays(persona, chris_allegation) -> None:
    told = record(
        persona,
        chris_allegation,
        informed_on=timezone.localdate(),
        informed_of="The allegation and the likely course of action.",
    )
    with pytest.raises(ValidationError) as refused:
        record(persona, chris_allegation, objection=InformingObjection.POLICE, objection_detail=ASKED)
    assert "an objection can no longer keep them from being told" in refused.value.message_dict["objection"][0]
    assert selectors.allegation_state(chris_allegation)["support"] == told


def test_a_form_opened_before_an_objection_was_recorded_meets_the_conflict_page_and_saves_nothing(
    persona, signed_in, chris_allegation
) -> None:
    """Hana opens the form; meanwhile the police's objection is recorded; her form, sent as it was, must not
    quietly lift it."""
    client = signed_in("hana")
    url = reverse("allegation_support", args=[chris_allegation.pk])
    assert 'name="version" value="0"' in client.get(url).content.decode()
    objection = record(persona, chris_allegation, objection=InformingObjection.POLICE, objection_detail=ASKED)

    stale = client.post(
        url,
        {"version": "0", "representative_name": "Henry Hr", "representative_contact": "01632 960001",
         "objection": "none"},
    )  # fmt: skip
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "01632 960001" in body  # what she typed, given back
    assert f'name="version" value="{objection.pk}"' in body
    assert list(SupportRecord.objects.filter(allegation=chris_allegation)) == [objection]


# ---------------------------------------------------------------- telling the adult falls due


def test_telling_the_adult_falls_due_once_the_lado_was_consulted_and_an_objection_stops_it(
    persona, chris_allegation
) -> None:
    """Appendix 4: "The case manager should inform the accused person about the allegation as soon as possible
    after consulting with the LADO about what information can be shared at that stage"; 6.2: "unless there is an
    objection by the police or social care"."""
    today = timezone.localdate()
    lado_discussed(persona, chris_allegation, today)
    row = Deadline.objects.get(allegation=chris_allegation, kind="adult-informed")
    assert (row.state, row.owner) == (DeadlineState.OPEN, chris_allegation.case_manager)
    assert row.due_on <= today
    assert "Inform the adult of the allegation and name their representative" in [
        item.text for item in selectors.due_items(chris_allegation)
    ]

    record(persona, chris_allegation, objection=InformingObjection.POLICE, objection_detail=ASKED)
    row.refresh_from_db()
    assert (row.state, row.reason) == (
        DeadlineState.STOPPED,
        "Not told yet: the police object to the adult being told (section 6.2)",
    )
    assert "Inform the adult of the allegation and name their representative" not in [
        item.text for item in selectors.due_items(chris_allegation)
    ]

    record(persona, chris_allegation, informed_on=today, informed_of="The allegation, as agreed with the police.")
    row.refresh_from_db()
    assert (row.state, row.met_on) == (DeadlineState.MET, today)


def test_telling_the_adult_stays_due_after_the_outcome_until_done_or_closed_with_a_reason(
    persona, chris_allegation
) -> None:
    """Nothing is decided "not needed" by the product: the case manager closes it with a reason, or records it."""
    lado_discussed(persona, chris_allegation, timezone.localdate())
    services.outcome_record(
        actor=persona("hana"), allegation=chris_allegation, report="Not supported.", outcome="unfounded",
        concluded_on=timezone.localdate(),
    )  # fmt: skip
    row = Deadline.objects.get(allegation=chris_allegation, kind="adult-informed")
    assert row.state == DeadlineState.OPEN
