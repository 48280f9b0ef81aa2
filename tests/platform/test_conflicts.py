"""Two people, one record: the second to save gets the one conflict notice (409) with what they typed given back.

On both sides the person whose form is stale sees that someone else changed
the record after they opened the form and that nothing was saved, a "What
differs" table in words (labels, names of choices, dates in words), and their
own entries back in the form at the version now saved, so they can check and
save again. A form that lost its version is refused the same way.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.concerns.conftest import TIER_2_FACTS
from tests.conftest import demo_record_ids
from tests.forms import date_boxes
from threshold.allegations.models import Allegation
from threshold.audit.models import AuditEvent
from threshold.concerns.models import Concern, ConcernStatus, LowLevelRecord
from threshold.core import pages
from threshold.core.forms import CaseForm
from threshold.lado.models import Case, Contact


def _loaded_version(client: Client, url: str) -> str:
    """Open the form as a person would, and read the version it was loaded with."""
    page = client.get(url)
    assert page.status_code == 200
    found = re.search(r'name="version" value="(\d+)"', page.content.decode())
    assert found, "the form carries the version it was loaded with"
    return found.group(1)


def _differs(page: Any) -> str:
    """The "What differs" table of a conflict notice, unescaped."""
    text = page.content.decode()
    assert re.search(r"Someone else changed .*after you opened the form", text)
    assert "Nothing you entered has been saved" in text
    return html.unescape(text.split("What differs</caption>")[1].split("</table>")[0])


def _form_given_back(page: Any) -> str:
    """The page below the conflict notice: the form, bound to what the person entered."""
    return html.unescape(page.content.decode().split("What differs</caption>")[1].split("</table>", 1)[1])


def _row(differs: str, label: str) -> list[str]:
    """A row of the table: its label, what is saved now, and what the person entered."""
    match = re.search(rf"<th[^>]*>{re.escape(label)}</th>(.*?)</tr>", differs, re.S)
    assert match, f"no row for {label!r} in {differs!r}"
    return [html.unescape(cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)]


# --- The employer's side ---------------------------------------------------------------------------------------


@pytest.fixture
def chris_allegation(demo_world: None) -> Allegation:
    """The demo allegation about Chris Coach at Oakfield, which Hana and Dev both work on."""
    return Allegation.objects.get(pk=demo_record_ids()["allegation_chris"])


def _details(allegation: Allegation, version: str, **overrides: str) -> dict[str, str]:
    return {
        "version": version,
        "case_manager": str(allegation.case_manager_id),
        **date_boxes("came_to_attention_on", allegation.attention_date()),
        "subject_employment": "employed",
        "agency": "",
        **overrides,
    }


def test_hana_saves_an_allegation_after_dev_and_gets_her_entries_back_beside_his(signed_in, chris_allegation) -> None:
    url = reverse("allegation_edit", args=[chris_allegation.pk])
    hana, dev = signed_in("hana"), signed_in("dev")
    hanas_version, devs_version = _loaded_version(hana, url), _loaded_version(dev, url)
    devs_date, hanas_date = dt.date(2026, 3, 2), dt.date(2026, 2, 27)
    devs = _details(chris_allegation, devs_version, **date_boxes("came_to_attention_on", devs_date))
    assert dev.post(url, devs | {"agency_name": "Dev's Supply Co", "agency_contact": "01632 960001"}).status_code == 302

    stale = hana.post(
        url,
        _details(chris_allegation, hanas_version, **date_boxes("came_to_attention_on", hanas_date))
        | {"agency_name": "Hana's Staffing Ltd", "agency_contact": "01632 960002"},
    )

    assert stale.status_code == 409
    differs = _differs(stale)
    assert _row(differs, "Agency or contracting company (if not in Threshold)") == [
        "Dev's Supply Co",
        "Hana's Staffing Ltd",
    ]
    assert _row(differs, "The date it came to attention") == ["2 March 2026", "27 February 2026"]
    form = _form_given_back(stale)
    assert 'value="Hana\'s Staffing Ltd"' in form  # her typing, back in the field
    chris_allegation.refresh_from_db()
    assert f'name="version" value="{chris_allegation.version}"' in form
    assert chris_allegation.agency_name == "Dev's Supply Co"
    assert chris_allegation.came_to_attention_on == devs_date


def test_an_allegation_form_without_its_version_is_refused_and_saves_nothing(signed_in, chris_allegation) -> None:
    data = _details(chris_allegation, "", agency_name="No Version Ltd", agency_contact="01632 960003")
    del data["version"]

    page = signed_in("hana").post(reverse("allegation_edit", args=[chris_allegation.pk]), data)

    assert page.status_code == 409
    assert "Nothing you entered has been saved" in page.content.decode()
    chris_allegation.refresh_from_db()
    assert chris_allegation.agency_name != "No Version Ltd"


def _low_level_concern(signed_in: Any) -> Concern:
    """Tom shares a concern and Hana triages it as low level, so it needs its low-level record."""
    signed_in("tom").post(
        reverse("concern_share"),
        {"anonymous": "no", **date_boxes("raised_on", timezone.localdate()), "about": "other",
         "subject_name": "Chris Coach", "subject_role": "Sports coach", "how_arose": "disclosure_child",
         "details": "A pupil told me Chris shouted at her in PE.", "declaration": "on"},
    )  # fmt: skip
    concern = Concern.objects.latest("pk")
    facts = {
        name: ("yes" if value is True else "no" if value is False else value) for name, value in TIER_2_FACTS.items()
    }
    signed_in("hana").post(
        reverse("concern_triage", args=[concern.pk]),
        {**facts, "version": concern.version, "step": "decide", "decision": "low_level", "rationale": "Language."},
    )
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.LOW_LEVEL
    return concern


def test_hana_records_a_low_level_concern_after_dev_and_keeps_what_she_typed(signed_in, demo_world) -> None:
    concern = _low_level_concern(signed_in)
    url = reverse("concern_low_level", args=[concern.pk])
    hana, dev = signed_in("hana"), signed_in("dev")
    hanas_version, devs_version = _loaded_version(hana, url), _loaded_version(dev, url)
    record = {"breach_category": "language", "further_action": "none"}
    assert (
        dev.post(url, record | {"version": devs_version, "investigation_steps": "Dev spoke to Chris."}).status_code
        == 302
    )

    stale = hana.post(url, record | {"version": hanas_version, "investigation_steps": "Hana read the log."})

    assert stale.status_code == 409
    differs = _differs(stale)
    assert "Dev spoke to Chris." in differs
    assert "Hana read the log." in differs
    form = _form_given_back(stale)
    assert "Hana read the log.</textarea>" in form
    saved = LowLevelRecord.objects.get(concern=concern)
    assert f'name="version" value="{saved.version}"' in form  # the record's version, not the concern's
    assert saved.investigation_steps == "Dev spoke to Chris."


# --- The LADO side ---------------------------------------------------------------------------------------------


@pytest.fixture
def chris_case(demo_world: None) -> Case:
    """The demo Tier 1 case about Chris Coach, which Lara and Mo both work on."""
    return Case.objects.get(pk=demo_record_ids()["case_chris"])


def _adult(version: str, **overrides: str) -> dict[str, str]:
    return {
        "version": version,
        "adult_name": "Chris Coach",
        "adult_address": "1 Synthetic Street",
        "adult_gender": "male",
        "adult_ethnicity": "white_british",
        **date_boxes("adult_date_of_birth", dt.date(1990, 6, 21)),
        **overrides,
    }


def test_lara_saves_the_adults_details_after_mo_and_gets_her_entries_back_beside_his(signed_in, chris_case) -> None:
    url = reverse("case_change_dataset", args=[chris_case.pk, "adult"])
    lara, mo = signed_in("lara"), signed_in("mo")
    laras_version, mos_version = _loaded_version(lara, url), _loaded_version(mo, url)
    assert mo.post(url, _adult(mos_version, adult_address="2 Mo's Lane", adult_gender="female")).status_code == 302

    stale = lara.post(
        url,
        _adult(laras_version, adult_address="3 Lara's Road", **date_boxes("adult_date_of_birth", dt.date(1990, 6, 12))),
    )

    assert stale.status_code == 409
    differs = _differs(stale)
    assert _row(differs, "Address") == ["2 Mo's Lane", "3 Lara's Road"]
    assert _row(differs, "Gender") == ["Female", "Male"]  # choices by their names, not their codes
    assert _row(differs, "The adult's date of birth") == ["21 June 1990", "12 June 1990"]  # dates in words
    form = _form_given_back(stale)
    assert "3 Lara's Road</textarea>" in form
    chris_case.refresh_from_db()
    assert f'name="version" value="{chris_case.version}"' in form
    assert chris_case.adult_address == "2 Mo's Lane"


def test_the_saved_details_the_conflict_notice_shows_lara_are_an_audited_read_of_the_case(
    signed_in, persona, chris_case
) -> None:
    url = reverse("case_change_dataset", args=[chris_case.pk, "adult"])
    lara, mo = signed_in("lara"), signed_in("mo")
    laras_version, mos_version = _loaded_version(lara, url), _loaded_version(mo, url)
    mo.post(url, _adult(mos_version, adult_address="2 Mo's Lane"))
    laras_reads = AuditEvent.objects.filter(
        action="record.view", record_type="case", record_id=str(chris_case.pk), actor=persona("lara")
    )
    before = laras_reads.count()

    stale = lara.post(url, _adult(laras_version, adult_address="3 Lara's Road"))

    assert stale.status_code == 409
    assert "2 Mo's Lane" in _differs(stale)
    assert laras_reads.count() == before + 1


@pytest.fixture
def inbox_contact(demo_world: None) -> Contact:
    """The demo contact waiting in Northshire's inbox."""
    return Contact.objects.get(pk=demo_record_ids()["contact_inbox"])


def test_lara_records_advice_after_mo_and_her_advice_is_given_back_not_lost(signed_in, inbox_contact) -> None:
    url = reverse("contact_advice", args=[inbox_contact.pk])
    lara, mo = signed_in("lara"), signed_in("mo")
    laras_version, mos_version = _loaded_version(lara, url), _loaded_version(mo, url)
    assert mo.post(url, {"version": mos_version, "advice": "Mo: speak to the DSL."}).status_code == 302

    stale = lara.post(url, {"version": laras_version, "advice": "Lara: keep him off the rota."})

    assert stale.status_code == 409
    assert _row(_differs(stale), "What advice was given") == ["Mo: speak to the DSL.", "Lara: keep him off the rota."]
    form = _form_given_back(stale)
    assert "Lara: keep him off the rota.</textarea>" in form
    inbox_contact.refresh_from_db()
    assert f'name="version" value="{inbox_contact.version}"' in form
    assert inbox_contact.advice == "Mo: speak to the DSL."


def test_advice_posted_without_the_contacts_version_is_refused_and_saves_nothing(signed_in, inbox_contact) -> None:
    page = signed_in("lara").post(reverse("contact_advice", args=[inbox_contact.pk]), {"advice": "No version."})

    assert page.status_code == 409
    assert "Nothing you entered has been saved" in page.content.decode()
    inbox_contact.refresh_from_db()
    assert inbox_contact.advice != "No version."


# --- The table itself ------------------------------------------------------------------------------------------


class _Review(CaseForm):
    DATES = {"done_on": ("The date of the review", None)}
    outcome = forms.ChoiceField(label="Outcome", choices=[("met", "Met the threshold"), ("not_met", "Not met")])
    shared = forms.BooleanField(label="Shared with the police", required=False)
    notes = forms.CharField(label="Notes", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


def test_the_table_names_choices_says_yes_or_no_writes_dates_in_words_and_skips_what_agrees() -> None:
    entered = _Review(
        {
            "outcome": "met",
            "shared": "on",
            "notes": "Same",
            "version": "4",
            **date_boxes("done_on", dt.date(2026, 5, 1)),
        }
    )
    assert entered.is_valid(), entered.errors
    saved = {"outcome": "not_met", "shared": False, "notes": "Same", "version": 5, "done_on": None}

    rows = pages.differences(entered, saved)

    assert [(row.label, row.saved, row.entered) for row in rows] == [
        ("Outcome", "Not met", "Met the threshold"),
        ("Shared with the police", "No", "Yes"),
        ("The date of the review", "Not given", "1 May 2026"),
    ]
