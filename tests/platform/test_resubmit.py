"""Posts are safe to repeat: a form sent twice (a double click, a resend, a retried request) saves once (ADR 0021)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.concerns.conftest import TIER_2_FACTS
from threshold.chronology.models import ChronologyEntry, EntryKind
from threshold.concerns.models import Concern, LowLevelRecord
from threshold.core.models import Submission
from threshold.core.submissions import REPEAT_MESSAGE, submission_key
from threshold.lado.models import Contact

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'<input type="hidden" name="submission" value="([A-Za-z0-9_-]+)">')
POST_FORM = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.IGNORECASE | re.DOTALL)
TEMPLATES = Path(__file__).resolve().parents[2] / "threshold"

AN_ENTRY = {
    "occurred_day": "2",
    "occurred_month": "3",
    "occurred_year": "2026",
    "occurred_time": "10:15am",
    "text": "Phoned the LADO; advised to consult the police.",
}
FACTS = {name: ("yes" if value is True else "no" if value is False else value) for name, value in TIER_2_FACTS.items()}
A_CALL = {"adult_name": "Sol Swimcoach", "summary": "A parent rang about the swimming coach.", "method": "phone"}


def a_call(**overrides: str) -> dict[str, str]:
    """A parent's call about the swimming coach, received just after midnight today."""
    return {**A_CALL, **_date_boxes("received", timezone.localdate()), "received_time": "00:01", **overrides}


def token_on(client: Client, url: str) -> str:
    """The one-time token of the (first) form on a page, as a browser would send it."""
    page = client.get(url)
    assert page.status_code == 200
    match = TOKEN.search(page.content.decode())
    assert match, f"no submission token on {url}"
    return match.group(1)


def _date_boxes(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def a_share(**overrides: str) -> dict[str, str]:
    """Tom's concern about the sports coach, as the share form sends it."""
    return {
        "anonymous": "no",
        **_date_boxes("raised_on", timezone.localdate()),
        "about": "other",
        "subject_name": "Chris Coach",
        "subject_role": "Sports coach",
        "how_arose": "disclosure_child",
        "details": "A pupil told me Chris shouted at her and called her names in PE on Monday.",
        "declaration": "on",
        **overrides,
    }


def test_hana_sending_the_same_chronology_entry_twice_saves_one_entry(records, signed_in) -> None:
    hana = signed_in("hana")
    url = reverse("chronology_add", args=["allegation", records["allegation_chris"]])
    form = {**AN_ENTRY, "submission": token_on(hana, url)}

    first = hana.post(url, form)
    again = hana.post(url, form)

    assert first.status_code == 302
    assert again.status_code == 303
    assert again["Location"] == first["Location"]
    assert ChronologyEntry.objects.filter(allegation_id=records["allegation_chris"], kind=EntryKind.MANUAL).count() == 1
    assert REPEAT_MESSAGE in hana.get(again["Location"]).content.decode()


def test_lara_sending_a_new_contact_twice_records_one_contact(signed_in, demo_world: None) -> None:
    lara = signed_in("lara")
    url = reverse("contact_new")
    form = a_call(source="parent", submission=token_on(lara, url))

    first = lara.post(url, form)
    again = lara.post(url, form)

    assert first.status_code == 302
    assert (again.status_code, again["Location"]) == (303, first["Location"])
    assert Contact.objects.filter(adult_name="Sol Swimcoach").count() == 1


def test_a_resent_concern_is_shared_once_and_the_resend_lands_on_the_home_page(signed_in, demo_world: None) -> None:
    tom = signed_in("tom")
    url = reverse("concern_share")
    form = a_share(submission=token_on(tom, url))

    receipt = tom.post(url, form)
    refreshed = tom.post(url, form)  # the browser's "resend" on the receipt

    assert receipt.status_code == 200
    assert "Concern shared" in receipt.content.decode()
    assert (refreshed.status_code, refreshed["Location"]) == (303, reverse("home"))
    assert Concern.objects.count() == 1


def test_a_resent_anonymous_concern_is_shared_once_and_what_is_kept_names_nobody(signed_in, persona) -> None:
    tom = signed_in("tom")
    url = reverse("concern_share")
    token = token_on(tom, url)

    tom.post(url, a_share(anonymous="yes", submission=token))
    refreshed = tom.post(url, a_share(anonymous="yes", submission=token))

    assert Concern.objects.get().is_anonymous
    assert refreshed["Location"] == reverse("home")
    # What the server keeps of the share is a digest of Tom's account and the token (nobody can tie it to
    # him without the token his form held), the home page and the day: no concern, no time (ADR 0012).
    kept = Submission.objects.get()
    assert kept.key == submission_key(f"user:{persona('tom').pk}", token)
    assert (kept.status, kept.location, kept.created_on) == ("done", "/", timezone.localdate())


def test_hana_sending_the_low_level_record_twice_saves_one_record(signed_in) -> None:
    signed_in("tom").post(reverse("concern_share"), a_share())
    concern = Concern.objects.get()
    hana = signed_in("hana")
    hana.post(
        reverse("concern_triage", args=[concern.pk]),
        {**FACTS, "version": concern.version, "step": "decide", "decision": "low_level", "rationale": "Tier 2."},
    )  # fmt: skip
    concern.refresh_from_db()
    url = reverse("concern_low_level", args=[concern.pk])
    form = {
        "version": "0", "spoke_to_person": "on", "investigation_steps": "Spoke to Chris.",
        "breach_category": "language", "further_action": "conversation", "action_owner": "Hana Head",
        **_date_boxes("action_due_on", dt.date(2026, 12, 4)), "submission": token_on(hana, url),
    }  # fmt: skip

    first = hana.post(url, form)
    again = hana.post(url, form)

    assert first.status_code == 302, first.content.decode()[:2000]
    assert (again.status_code, again["Location"]) == (303, first["Location"])
    assert LowLevelRecord.objects.filter(concern=concern).count() == 1


def test_a_form_that_failed_its_checks_can_be_corrected_and_sent_with_the_same_token(records, signed_in) -> None:
    hana = signed_in("hana")
    url = reverse("chronology_add", args=["allegation", records["allegation_chris"]])
    token = token_on(hana, url)

    refused = hana.post(url, {**AN_ENTRY, "text": "", "submission": token})
    corrected = hana.post(url, {**AN_ENTRY, "submission": token})

    assert refused.status_code == 200
    assert "govuk-error-summary" in refused.content.decode()
    assert corrected.status_code == 302
    assert ChronologyEntry.objects.filter(allegation_id=records["allegation_chris"], kind=EntryKind.MANUAL).count() == 1


def test_a_second_click_while_the_first_is_still_saving_gets_a_page_that_saves_nothing(
    records, signed_in, persona
) -> None:
    hana = signed_in("hana")
    url = reverse("chronology_add", args=["allegation", records["allegation_chris"]])
    token = token_on(hana, url)
    # The first click's request holds the token while its view runs.
    Submission.objects.create(
        key=submission_key(f"user:{persona('hana').pk}", token),
        status=Submission.Status.RUNNING,
        created_on=timezone.localdate(),
    )

    second = hana.post(url, {**AN_ENTRY, "submission": token})

    assert second.status_code == 409
    assert "This is already being sent" in second.content.decode()
    assert "Chris" not in second.content.decode()
    assert not ChronologyEntry.objects.filter(allegation_id=records["allegation_chris"], kind=EntryKind.MANUAL).exists()


def test_someone_else_replaying_hanas_token_gets_nothing_of_hanas(records, signed_in) -> None:
    hana = signed_in("hana")
    url = reverse("chronology_add", args=["allegation", records["allegation_chris"]])
    form = {**AN_ENTRY, "submission": token_on(hana, url)}
    hana.post(url, form)

    # Tom may not see the allegation: the token opens nothing, and does not send him where Hana went.
    by_tom = signed_in("tom").post(url, form)
    # Lara has no say over the school's chronology either.
    by_lara = signed_in("lara").post(url, form)

    assert by_tom.status_code == 404
    assert by_lara.status_code == 404
    assert ChronologyEntry.objects.filter(allegation_id=records["allegation_chris"], kind=EntryKind.MANUAL).count() == 1


def test_a_post_without_a_token_is_handled_as_before(records, signed_in) -> None:
    hana = signed_in("hana")
    url = reverse("chronology_add", args=["allegation", records["allegation_chris"]])

    assert hana.post(url, AN_ENTRY).status_code == 302
    assert hana.post(url, AN_ENTRY).status_code == 302
    assert not Submission.objects.exists()


def test_tokens_are_forgotten_after_a_day(records, signed_in) -> None:
    Submission.objects.create(
        key="0" * 64, status=Submission.Status.DONE, location="/", created_on=timezone.localdate() - dt.timedelta(2)
    )
    hana = signed_in("hana")
    url = reverse("chronology_add", args=["allegation", records["allegation_chris"]])

    hana.post(url, {**AN_ENTRY, "submission": token_on(hana, url)})

    assert not Submission.objects.filter(key="0" * 64).exists()
    assert Submission.objects.count() == 1


def test_every_form_on_a_rendered_page_carries_its_own_token(records, signed_in) -> None:
    pages = {
        "hana": [
            reverse("home"),
            reverse("chronology_add", args=["allegation", records["allegation_chris"]]),
            reverse("allegation_detail", args=[records["allegation_chris"]]),
        ],
        "tom": [reverse("concern_share")],
        "lara": [reverse("contact_new"), reverse("lado_search")],
    }
    for key, urls in pages.items():
        client = signed_in(key)
        for url in urls:
            html = client.get(url).content.decode()
            forms = POST_FORM.findall(html)
            assert forms, url
            tokens = [TOKEN.findall(form) for form in forms]
            assert all(len(found) == 1 for found in tokens), url
            flat = [found[0] for found in tokens]
            assert len(set(flat)) == len(flat), f"two forms share a token on {url}"


def test_every_post_form_in_every_template_renders_the_token() -> None:
    templates = [path for path in TEMPLATES.rglob("*.html") if "jinja2" in path.parts]
    forms = 0
    for path in templates:
        for form in POST_FORM.findall(path.read_text(encoding="utf-8")):
            forms += 1
            assert "{{ csrf_input }}" in form, f"a POST form in {path.relative_to(TEMPLATES)} has no csrf_input"
    assert forms >= 48
