"""The monitoring, quality assurance, delay, conclusion and closure pages: thin, behind access, errors beside fields."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.forms import date_boxes
from tests.lado.nursery import accept_employers_outcome, not_known_fields, nursery_allegation
from threshold.allegations.services import outcome_record
from threshold.audit.models import AuditEvent
from threshold.lado import selectors
from threshold.lado.models import BodyReferral, Case, CaseShare, CaseStatus, MonitoringReview
from threshold.lado.selectors import three_months_wording
from threshold.lado.services.case_agencies import case_record_body_referral
from threshold.lado.services.monitoring import monitoring_schedule_review
from threshold.policy import get_pack

TODAY = timezone.localdate


def _nina_records_the_outcome(persona, ids) -> None:
    outcome_record(
        actor=persona("nina"),
        allegation=nursery_allegation(ids),
        report="Two staff witnessed the nappy change; no rough handling seen.",
        outcome="unsubstantiated",
        concluded_on=TODAY(),
    )


def test_the_case_page_shows_the_timescales_and_the_tier_2_monitoring(signed_in, nursery_case: Case) -> None:
    page = signed_in("lara").get(reverse("case_detail", args=[nursery_case.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Timescales" in html
    assert "Resolved within three months" in html
    assert "actively monitors timescales and quality assures the outcome" in html
    assert reverse("monitoring_schedule", args=[nursery_case.pk]) in html
    assert reverse("case_employer_progress", args=[nursery_case.pk]) in html
    assert reverse("case_conclusion", args=[nursery_case.pk]) in html


def test_the_case_page_offers_no_changes_to_ada_the_auditor(signed_in, nursery_case: Case) -> None:
    html = signed_in("ada").get(reverse("case_detail", args=[nursery_case.pk])).content.decode()
    assert "Timescales" in html
    assert reverse("case_conclusion", args=[nursery_case.pk]) not in html


def test_lara_schedules_a_review_and_a_missing_date_is_shown_beside_the_field(signed_in, nursery_case) -> None:
    client = signed_in("lara")
    url = reverse("monitoring_schedule", args=[nursery_case.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {})
    assert refused.status_code == 200
    assert "There is a problem" in refused.content.decode()
    assert "Enter the date of the review" in refused.content.decode()
    done = client.post(url, date_boxes("due_on", TODAY() + dt.timedelta(days=7)))
    assert done.status_code == 302
    assert done["Location"].endswith("#monitoring")
    assert MonitoringReview.objects.filter(case=nursery_case).count() == 1


def test_a_stale_review_form_gets_the_conflict_page(persona, signed_in, nursery_case) -> None:
    review = monitoring_schedule_review(actor=persona("lara"), case=nursery_case, due_on=TODAY())
    url = reverse("monitoring_complete", args=[nursery_case.pk, review.pk])
    client = signed_in("lara")
    assert client.get(url).status_code == 200
    assert client.post(url, {"version": 1, "notes": "On track.", **date_boxes("done_on", TODAY())}).status_code == 302
    stale = client.post(url, {"version": 1, "notes": "Also on track.", **date_boxes("done_on", TODAY())})
    assert stale.status_code == 409
    assert "Someone else recorded this review after you opened the form" in stale.content.decode()
    assert MonitoringReview.objects.get(pk=review.pk).notes == "On track."


def test_a_review_of_another_case_is_not_found(persona, signed_in, nursery_case, chris_case) -> None:
    review = monitoring_schedule_review(actor=persona("lara"), case=nursery_case, due_on=TODAY())
    url = reverse("monitoring_complete", args=[chris_case.pk, review.pk])
    assert signed_in("lara").get(url).status_code == 404


def test_lara_reads_the_nurserys_progress_and_outcome(persona, signed_in, ids, nursery_case) -> None:
    _nina_records_the_outcome(persona, ids)
    page = signed_in("lara").get(reverse("case_employer_progress", args=[nursery_case.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Little Acorns Nursery" in html
    assert "2. Discuss the allegation with the LADO" in html
    assert "Two staff witnessed the nappy change" in html


def test_the_quality_assurance_page_shows_the_employers_outcome_and_records_a_challenge(
    persona, signed_in, ids, nursery_case
) -> None:
    _nina_records_the_outcome(persona, ids)
    client = signed_in("lara")
    url = reverse("case_quality_assurance", args=[nursery_case.pk])
    assert "Two staff witnessed the nappy change" in client.get(url).content.decode()
    refused = client.post(url, {"decision": "challenged"})
    assert "Enter the reasons for your decision" in refused.content.decode()
    assert client.post(url, {"decision": "challenged", "reasons": "Ask the parents."}).status_code == 302
    assert nursery_case.quality_assurances.get().decision == "challenged"


def test_the_conclusion_page_shows_each_outcome_with_its_definition(signed_in, nursery_case) -> None:
    html = signed_in("lara").get(reverse("case_conclusion", args=[nursery_case.pk])).content.decode()
    assert "There is sufficient evidence to disprove the allegation and there has been a deliberate act" in html
    assert "Was a referral made to the Disclosure and Barring Service (DBS)?" in html
    assert "Was a referral made to Ofsted?" in html
    assert "Teaching Regulation Agency" not in html


def test_lara_concludes_and_nina_sees_the_lados_conclusion_on_her_allegation(
    persona, signed_in, ids, nursery_case
) -> None:
    accept_employers_outcome(persona, nursery_case)
    client = signed_in("lara")
    url = reverse("case_conclusion", args=[nursery_case.pk])
    answers = {
        "version": nursery_case.version,
        "outcome": "unsubstantiated",
        **date_boxes("concluded_on", TODAY()),
        "summary": "Not enough evidence either way; training refreshed.",
        "dbs_referred": "no",
        "dbs_explanation": "Not removed from regulated activity.",
        "ofsted_referred": "yes",
        **not_known_fields(nursery_case),
    }
    refused = client.post(url, answers)
    assert refused.status_code == 200
    assert "Enter the date of the referral to Ofsted" in refused.content.decode()
    done = client.post(url, {**answers, **date_boxes("ofsted_referred_on", TODAY())})
    assert done.status_code == 302
    nursery_case.refresh_from_db()
    assert nursery_case.status == CaseStatus.CONCLUDED
    page = signed_in("nina").get(reverse("allegation_detail", args=[ids["allegation_nell"]])).content.decode()
    assert "The LADO&#39;s conclusion" in page or "The LADO's conclusion" in page
    assert "Not enough evidence either way; training refreshed." in page


def test_a_stale_conclusion_form_gets_the_conflict_page(persona, signed_in, nursery_case) -> None:
    accept_employers_outcome(persona, nursery_case)
    response = signed_in("lara").post(
        reverse("case_conclusion", args=[nursery_case.pk]),
        {
            "version": nursery_case.version + 5,
            "outcome": "false",
            **date_boxes("concluded_on", TODAY()),
            "summary": "Disproved.",
            "dbs_referred": "no",
            "dbs_explanation": "No harm.",
            "ofsted_referred": "no",
            "ofsted_explanation": "No harm.",
            **not_known_fields(nursery_case),
        },
    )
    assert response.status_code == 409
    nursery_case.refresh_from_db()
    assert nursery_case.status == CaseStatus.OPEN


def test_the_close_page_asks_for_the_conclusion_first_then_closes(persona, signed_in, nursery_case) -> None:
    client = signed_in("lara")
    url = reverse("case_closure", args=[nursery_case.pk])
    first = client.get(url).content.decode()
    assert "Conclude the case" in first
    assert '<form method="post" novalidate>' not in first
    Case.objects.filter(pk=nursery_case.pk).update(status=CaseStatus.CONCLUDED)
    nursery_case.refresh_from_db()
    assert client.post(url, {"version": nursery_case.version}).status_code == 302
    nursery_case.refresh_from_db()
    assert nursery_case.status == CaseStatus.CLOSED


def test_the_delay_review_page_refuses_a_case_not_yet_past_three_months(signed_in, nursery_case) -> None:
    response = signed_in("lara").post(
        reverse("case_delay_review", args=[nursery_case.pk]),
        {"reason": "Police.", **date_boxes("reviewed_on", TODAY())},
    )
    assert response.status_code == 200
    assert "past three months" in response.content.decode()


@pytest.mark.parametrize(
    "name", ["monitoring_schedule", "case_quality_assurance", "case_delay_review", "case_conclusion", "case_closure"]
)
def test_sam_of_southvale_and_pat_of_the_police_find_nothing(signed_in, nursery_case, name) -> None:
    url = reverse(name, args=[nursery_case.pk])
    for key in ("sam", "pat", "nina"):
        assert signed_in(key).get(url).status_code == 404
        assert signed_in(key).post(url, {}).status_code == 404


def test_each_look_at_the_employers_progress_is_an_audited_read_of_the_allegation(
    persona, signed_in, ids, nursery_case
) -> None:
    before = AuditEvent.objects.filter(action="record.view_referred").count()
    signed_in("lara").get(reverse("case_employer_progress", args=[nursery_case.pk]))
    read = AuditEvent.objects.filter(action="record.view_referred").order_by("-sequence").first()
    assert AuditEvent.objects.filter(action="record.view_referred").count() == before + 1
    assert read is not None
    assert read.actor == persona("lara")
    assert read.record_id == str(ids["allegation_nell"])


def test_cara_reads_a_case_shared_with_her_but_not_the_employers_allegation(persona, signed_in, nursery_case) -> None:
    CaseShare.objects.create(case=nursery_case, user=persona("cara"), shared_by=persona("lara"))
    page = signed_in("cara").get(reverse("case_employer_progress", args=[nursery_case.pk]))
    assert page.status_code == 200
    assert "did not come from an employer" in page.content.decode()
    assert not AuditEvent.objects.filter(action="record.view_referred", actor=persona("cara")).exists()
    case_page = signed_in("cara").get(reverse("case_detail", args=[nursery_case.pk])).content.decode()
    assert reverse("case_employer_progress", args=[nursery_case.pk]) not in case_page


def _bodies_card(html: str) -> str:
    """The data set's card of referrals to other bodies, up to the conclusion card."""
    return html.split('id="dataset-bodies"', 1)[1].split('id="dataset-conclusion"', 1)[0]


def test_a_dbs_referral_recorded_then_confirmed_at_conclusion_shows_once(persona, signed_in, nursery_case) -> None:
    accept_employers_outcome(persona, nursery_case)
    referred_on = TODAY() - dt.timedelta(days=3)
    case_record_body_referral(
        actor=persona("lara"),
        case=nursery_case,
        body="dbs",
        referred=True,
        referred_on=referred_on,
        reference="DBS-12",
        expected_version=nursery_case.version,
    )
    nursery_case.refresh_from_db()
    client = signed_in("lara")
    url = reverse("case_conclusion", args=[nursery_case.pk])
    form = client.get(url).content.decode()
    assert 'value="DBS-12"' in form  # the conclusion form is pre-filled from the referral already recorded
    done = client.post(
        url,
        {
            "version": nursery_case.version,
            "outcome": "substantiated",
            **date_boxes("concluded_on", TODAY()),
            "summary": "Proved; referred to the DBS.",
            "dbs_referred": "yes",
            **date_boxes("dbs_referred_on", referred_on),
            "dbs_reference": "DBS-12",
            "ofsted_referred": "no",
            "ofsted_explanation": "The nursery notified Ofsted itself.",
            **not_known_fields(nursery_case),
        },
    )
    assert done.status_code == 302
    assert BodyReferral.objects.filter(case=nursery_case, body="dbs").count() == 1
    card = _bodies_card(client.get(reverse("case_detail", args=[nursery_case.pk])).content.decode())
    assert card.count("Disclosure and Barring Service (DBS)") == 1
    assert card.count("DBS-12") == 1
    assert "Ofsted" in card


def test_the_conclusion_card_links_to_the_timescales_section(signed_in, nursery_case) -> None:
    html = signed_in("lara").get(reverse("case_detail", args=[nursery_case.pk])).content.decode()
    conclusion_card = html.split('id="dataset-conclusion"', 1)[1].split('id="dataset-summary"', 1)[0]
    assert 'href="#timescales"' in conclusion_card
    assert 'id="timescales"' in html


def test_the_delay_review_page_quotes_the_lados_pack(signed_in, nursery_case) -> None:
    html = signed_in("lara").get(reverse("case_delay_review", args=[nursery_case.pk])).content.decode()
    wording = three_months_wording(nursery_case)
    assert wording.startswith("Conclude within 3 months")
    assert wording in html


def test_the_delay_review_page_follows_a_pack_with_other_words(signed_in, nursery_case, monkeypatch) -> None:
    pack = get_pack("bedford-luton-lado")
    reworded = tuple(
        replace(timescale, description="Aim to conclude within a quarter.")
        if timescale.id == "resolve-target-three-months"
        else timescale
        for timescale in pack.timescales
    )
    monkeypatch.setattr(selectors, "lado_pack", lambda local_authority: replace(pack, timescales=reworded))
    html = signed_in("lara").get(reverse("case_delay_review", args=[nursery_case.pk])).content.decode()
    assert "Aim to conclude within a quarter." in html
    assert "Conclude within 3 months" not in html
