"""The allegation pages: forms post to services, errors sit beside fields, a stale form gets a conflict page."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from tests.allegations.conftest import update_details
from tests.forms import date_boxes
from threshold.allegations import selectors
from threshold.allegations.models import Allegation, OutcomeRecord, Referral, Step, StepRecord
from threshold.allegations.services import referral_make
from threshold.core.record_ids import encode as rid
from threshold.timescales.models import Deadline, DeadlineState


def _details(allegation: Allegation, **overrides: str) -> dict[str, str]:
    data = {
        "version": str(allegation.version),
        "case_manager": str(allegation.case_manager_id),
        **date_boxes("came_to_attention_on", allegation.attention_date()),
        "subject_employment": "employed",
        "agency": "",
    }
    data.update(overrides)
    return data


def test_the_allegation_page_shows_the_checklist_with_due_dates(signed_in, chris_allegation) -> None:
    page = signed_in("hana").get(reverse("allegation_detail", args=[chris_allegation.pk]))
    html = page.content.decode()
    assert "The case manager's steps" in html
    for step in Step:
        if step != Step.OFSTED_NOTIFIED:  # only for early years settings
            assert f'id="step-{step.value}"' in html
    assert 'id="step-ofsted-notification"' not in html
    assert "Settlement agreements must not be used" in html


def test_a_stale_details_form_is_given_back_with_what_changed_and_what_was_typed(signed_in, chris_allegation) -> None:
    client = signed_in("hana")
    url = reverse("allegation_edit", args=[chris_allegation.pk])
    first = client.post(url, _details(chris_allegation, subject_is_teacher="on"))
    assert first.status_code == 302
    stale = client.post(url, _details(chris_allegation, interim_prohibition_order="on"))
    html = stale.content.decode()
    assert stale.status_code == 409
    assert "Someone else changed this after you opened the form" in html
    assert "Nothing you entered has been saved" in html
    assert "What differs" in html
    # What Hana typed is in the form again, at the version now saved, so she can check it and save again.
    assert re.search(r'<input[^>]*name="interim_prohibition_order"[^>]*checked', html)
    chris_allegation.refresh_from_db()
    assert f'name="version" value="{chris_allegation.version}"' in html
    assert chris_allegation.subject_is_teacher
    assert not chris_allegation.interim_prohibition_order


def test_the_reporting_restriction_banner_shows_on_every_allegation_page(signed_in, chris_allegation) -> None:
    client = signed_in("hana")
    client.post(
        reverse("allegation_edit", args=[chris_allegation.pk]),
        _details(chris_allegation, subject_is_teacher="on", accused_by_pupil="on"),
    )
    for name in ("allegation_detail", "allegation_referral", "allegation_outcome", "allegation_support"):
        html = client.get(reverse(name, args=[chris_allegation.pk])).content.decode()
        assert "Education Act 2002, section 141F" in html, name


def test_the_referral_form_is_prefilled_and_refuses_to_send_without_the_required_fields(
    signed_in, chris_allegation
) -> None:
    client = signed_in("hana")
    url = reverse("allegation_referral", args=[chris_allegation.pk])
    form = client.get(url).content.decode()
    assert 'value="Chris Coach"' in form
    assert 'value="Oakfield Primary School"' in form
    response = client.post(url, {"adult_name": "Chris Coach", "child_0_gender": "female"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Choose how the allegation came to light" in html
    assert "Choose at least one category of abuse" in html
    assert not Referral.objects.exists()


def test_a_complete_referral_is_sent_with_a_child(signed_in, chris_allegation) -> None:
    response = signed_in("hana").post(
        reverse("allegation_referral", args=[chris_allegation.pk]),
        {
            "adult_name": "Chris Coach",
            "adult_role": "PE coach",
            "employer_name": "Oakfield Primary School",
            "referring_organisation": "Oakfield Primary School",
            "referrer_name": "Hana Head",
            "came_to_light": "disclosure_child",
            "abuse_categories": ["physical"],
            "summary": "Grabbed a pupil's arm; red mark.",
            "risk_managed": "suspended",
            "child_1_full_name": "Pupil B",
            **date_boxes("child_1_date_of_birth", dt.date(2017, 5, 4)),
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.children.get().date_of_birth == dt.date(2017, 5, 4)


def test_a_child_without_a_name_gets_the_error_beside_its_own_row(signed_in, chris_allegation) -> None:
    response = signed_in("hana").post(
        reverse("allegation_referral", args=[chris_allegation.pk]),
        {"child_2_gender": "male"},
    )
    html = response.content.decode()
    assert 'href="#id_child_2_full_name"' in html
    assert "Enter the child&#39;s name" in html


def test_a_step_form_with_errors_saves_nothing(signed_in, chris_allegation) -> None:
    response = signed_in("hana").post(
        reverse("allegation_step", args=[chris_allegation.pk, "no-further-action"]),
        {**date_boxes("done_on", timezone.localdate()), "decision": "No further action."},
    )
    assert response.status_code == 200
    assert "Enter the justification for taking no further action" in response.content.decode()
    assert not StepRecord.objects.exists()


def test_an_unknown_step_is_not_found(signed_in, chris_allegation) -> None:
    assert signed_in("hana").get(f"/allegations/{rid(chris_allegation.pk)}/steps/nonsense/").status_code == 404


def test_the_outcome_form_shows_each_outcome_with_the_packs_definition(signed_in, chris_allegation) -> None:
    html = signed_in("hana").get(reverse("allegation_outcome", args=[chris_allegation.pk])).content.decode()
    assert "there is sufficient evidence to prove the allegation." in html
    assert "there has been a deliberate act to deceive" in html
    assert "Settlement agreements must not be used" in html


def test_posting_an_outcome_concludes_the_allegation(signed_in, chris_allegation) -> None:
    today = timezone.localdate()
    response = signed_in("hana").post(
        reverse("allegation_outcome", args=[chris_allegation.pk]),
        {
            "report": "Evidence proves it.",
            "outcome": "substantiated",
            **date_boxes("concluded_on", today),
            "removed_from_regulated_activity": "on",
            "disciplinary_route": "Dismissed after a hearing.",
            **date_boxes("dbs_referred_on", today),
            "dbs_reference": "DBS-77",
        },
    )
    assert response.status_code == 302
    assert OutcomeRecord.objects.get().dbs_reference == "DBS-77"


def test_tom_cannot_post_to_any_allegation_form(signed_in, chris_allegation) -> None:
    client = signed_in("tom")
    for name in ("allegation_referral", "allegation_outcome", "allegation_lesson", "allegation_edit"):
        assert client.post(reverse(name, args=[chris_allegation.pk]), {"text": "x"}).status_code == 404
    assert not Referral.objects.exists()


def test_the_home_page_lists_hanas_open_allegations_and_counts_their_overdue_steps_once(
    signed_in, persona, chris_allegation
) -> None:
    # Through the service, so the stored clocks move with the date, as they do when Hana corrects it.
    chris_allegation = update_details(persona, chris_allegation, came_to_attention_on=dt.date(2026, 1, 2))
    html = signed_in("hana").get("/").content.decode()
    panel = html.split('id="allegations-panel"')[1].split("</section>")[0]
    assert chris_allegation.reference in panel
    # What is overdue is said once on the page, by the work panel that leads it, with the step's link.
    work = html.split('id="work-panel"')[1].split("</section>")[0]
    assert "overdue</strong>" in work
    assert "Inform the LADO" in work
    assert reverse("allegation_detail", args=[chris_allegation.pk]) in work
    # The allegation's own row says when its next step was due (whoever owns it), not a second list of the steps.
    row = next(line for line in panel.splitlines() if chris_allegation.reference in line)
    assert "next step <strong" in row
    assert "Overdue</strong> since " in row
    assert "Inform the LADO" not in panel
    referral_make(actor=persona("hana"), allegation=chris_allegation)
    assert "Allegations" not in signed_in("tom").get("/").content.decode().split("Your account")[0].split("Home")[-1]


def test_a_lado_s_home_page_builds_no_allegation_list_she_could_never_manage(
    signed_in, persona, chris_allegation, settings, monkeypatch
) -> None:
    settings.HOME_PANELS = ["threshold.allegations.home.panel"]
    asked: list[str] = []
    real = selectors.open_allegations_managed

    def counted(user):
        asked.append(user.email)
        return real(user)

    monkeypatch.setattr(selectors, "open_allegations_managed", counted)
    assert signed_in("lara").get("/").status_code == 200
    assert asked == []  # Lara changes no employer's allegations: the panel stops before building its lists
    signed_in("hana").get("/")
    assert asked == [persona("hana").email]


def test_a_started_referral_asks_for_the_data_set_on_the_allegation_page(signed_in, persona, chris_allegation) -> None:
    referral_make(actor=persona("hana"), allegation=chris_allegation)
    html = signed_in("hana").get(reverse("allegation_detail", args=[chris_allegation.pk])).content.decode()
    assert "Referral started: complete the data set." in html
    assert 'id="referral-started"' in html
    assert f'href="{reverse("allegation_referral", args=[chris_allegation.pk])}">Complete the referral</a>' in html


def test_a_referral_form_loaded_before_someone_else_referred_gets_a_conflict_page(
    signed_in, persona, chris_allegation
) -> None:
    client = signed_in("hana")
    url = reverse("allegation_referral", args=[chris_allegation.pk])
    assert 'name="previous" value=""' in client.get(url).content.decode()
    referral_make(actor=persona("dev"), allegation=chris_allegation)
    response = client.post(
        url,
        {
            "previous": "",
            "adult_name": "Chris Coach",
            "adult_role": "PE coach",
            "employer_name": "Oakfield Primary School",
            "referring_organisation": "Oakfield Primary School",
            "referrer_name": "Hana Head",
            "came_to_light": "disclosure_child",
            "abuse_categories": ["physical"],
            "summary": "Grabbed a pupil's arm.",
            "risk_managed": "suspended",
        },
    )
    assert response.status_code == 409
    assert "Dev Dsl sent referral" in response.content.decode()
    assert Referral.objects.count() == 1


def test_the_allegation_page_prompts_a_dbs_referral_when_the_adult_resigned_before_the_end(
    signed_in, chris_allegation
) -> None:
    today = timezone.localdate()
    client = signed_in("hana")
    client.post(
        reverse("allegation_outcome", args=[chris_allegation.pk]),
        {
            "report": "Evidence proves it.",
            "outcome": "substantiated",
            **date_boxes("concluded_on", today),
            "resigned_before_conclusion": "on",
            "disciplinary_route": "Hearing cancelled: resigned.",
        },
    )
    html = client.get(reverse("allegation_detail", args=[chris_allegation.pk])).content.decode()
    assert 'id="prompt-dbs"' in html
    assert "resigned before the process concluded" in html


def test_the_allegation_list_shows_what_each_person_may_see(signed_in, chris_allegation, ids) -> None:
    assert chris_allegation.reference in signed_in("hana").get(reverse("allegation_list")).content.decode()
    assert (
        Allegation.objects.get(pk=ids["allegation_nell"]).reference
        not in signed_in("hana").get(reverse("allegation_list")).content.decode()
    )
    tom = signed_in("tom").get(reverse("allegation_list")).content.decode()
    assert "0 allegations" in tom


def test_the_case_manager_can_be_changed_on_the_details_page(signed_in, persona, chris_allegation) -> None:
    client = signed_in("hana")
    url = reverse("allegation_edit", args=[chris_allegation.pk])
    form = client.get(url).content.decode()
    assert "Priya" in form
    assert "Tom Teacher" not in form
    refused = client.post(url, _details(chris_allegation, case_manager=str(persona("tom").pk)))
    assert "Choose a case manager from the list" in refused.content.decode()
    response = client.post(url, _details(chris_allegation, case_manager=str(persona("priya").pk)))
    assert response.status_code == 302
    chris_allegation.refresh_from_db()
    assert chris_allegation.case_manager == persona("priya")


def test_the_paused_investigation_shows_on_the_checklist_and_step_8_is_refused(
    signed_in, persona, chris_allegation
) -> None:
    client = signed_in("hana")
    client.post(
        reverse("allegation_police", args=[chris_allegation.pk]),
        {
            "involved": "yes",
            "consent_to_share": "requested",
            **date_boxes("next_review_on", timezone.localdate() + dt.timedelta(days=28)),
        },
    )
    html = client.get(reverse("allegation_detail", args=[chris_allegation.pk])).content.decode()
    assert "Paused (police investigation)" in html
    response = client.post(
        reverse("allegation_step", args=[chris_allegation.pk, "investigation"]),
        {**date_boxes("done_on", timezone.localdate()), "decision": "Start."},
    )
    assert response.status_code == 200
    assert "authorised the case manager to commence internal proceedings" in response.content.decode()
    assert not StepRecord.objects.exists()


def test_the_settlement_warning_comes_from_the_organisations_pack(signed_in, ids) -> None:
    html = signed_in("nina").get(reverse("allegation_outcome", args=[ids["allegation_nell"]])).content.decode()
    assert "Settlement agreements must not be used" not in html
    assert "Summarised from Keeping children safe in education, part 4: the kcsie policy pack has no rule" in html


def test_showing_a_form_page_is_an_audited_read(signed_in, chris_allegation) -> None:
    from threshold.audit.models import AuditEvent

    client = signed_in("hana")
    for name in ("allegation_edit", "allegation_referral", "allegation_outcome", "allegation_lesson"):
        before = AuditEvent.objects.filter(action="record.view", record_id=str(chris_allegation.pk)).count()
        assert client.get(reverse(name, args=[chris_allegation.pk])).status_code == 200
        after = AuditEvent.objects.filter(action="record.view", record_id=str(chris_allegation.pk)).count()
        assert after == before + 1, name


def test_paused_steps_are_not_overdue_on_the_home_page_or_the_list(signed_in, persona, chris_allegation) -> None:
    from threshold.allegations import services

    # Through the service, so the stored clocks move with the date, as they do when Hana corrects it.
    chris_allegation = update_details(persona, chris_allegation, came_to_attention_on=dt.date(2026, 1, 2))
    services.step_record(
        actor=persona("hana"),
        allegation=chris_allegation,
        step="hr-strategy",
        done_on=dt.date(2026, 1, 2),
        decision="With HR: investigate.",
        route="investigation",
    )
    client = signed_in("hana")
    overdue = re.compile(r"(\d+) overdue</strong>")
    home = overdue.findall(client.get("/").content.decode())
    investigation = Deadline.objects.get(allegation=chris_allegation, kind="investigation-report")
    assert investigation.state == DeadlineState.OPEN
    assert investigation.due_on < timezone.localdate()
    overdue_steps = set(
        Deadline.objects.filter(allegation=chris_allegation, state=DeadlineState.OPEN, due_on__lt=timezone.localdate())
    )
    listed = client.get(reverse("allegation_list")).content.decode()
    services.police_record(
        actor=persona("hana"),
        allegation=chris_allegation,
        involved=True,
        police_reference="",
        consent_to_share="requested",
        notes="",
        next_review_on=timezone.localdate() + dt.timedelta(days=28),
    )
    investigation.refresh_from_db()
    assert investigation.state == DeadlineState.PAUSED
    # The paused steps leave the overdue count of the home page's work panel, and the list's.
    paused = [step for step in overdue_steps if Deadline.objects.get(pk=step.pk).state == DeadlineState.PAUSED]
    assert int(overdue.findall(client.get("/").content.decode())[0]) == int(home[0]) - len(paused)
    after = client.get(reverse("allegation_list")).content.decode()
    assert int(overdue.findall(after)[0]) == int(overdue.findall(listed)[0]) - 1
