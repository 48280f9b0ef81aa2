"""Hana, Oakfield's headteacher, brings the school's concern log in through the pages: the home page's link, the
columns of the low-level concern form recognised, the codes translated, the dry run, the import, the concern
page saying where it came from, and the undo. Priya imports for any of the trust's schools; Tom (staff) and
Henry (HR, allegations only) import nothing."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from tests.imports.concern_log import concern_log
from tests.imports.test_import_pages import accept_suggestions, upload
from threshold.concerns.models import Concern
from threshold.imports.models import ImportedRecord, ImportKind, ImportRun, RunStatus
from threshold.imports.services.mapping import value_choices


@pytest.fixture(autouse=True)
def christmas_eve() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2024, 12, 24, 10, tzinfo=dt.UTC), tick=False):
        yield


def test_hana_finds_the_import_on_her_home_page_and_the_forms_columns_are_recognised(signed_in: Any) -> None:
    hana = signed_in("hana")
    home = hana.get(reverse("home")).content.decode()
    assert f'href="{reverse("imports")}">Import earlier records</a>' in home
    page = hana.get(reverse("imports")).content.decode()
    assert "low-level concern log" in page
    assert "<code>raised_on</code>" in page
    assert "<code>received_on</code>" not in page  # a LADO service's columns are not hers
    upload(hana, concern_log())
    run = ImportRun.objects.get()
    assert (run.kind, run.organisation.name, run.header_row) == (ImportKind.SETTING, "Oakfield Primary School", 3)
    assert run.mapping == {
        "reference": "Ref",
        "raised_on": "Date raised",
        "raiser_name": "Raised by",
        "adult_name": "Name",
        "adult_role": "Role",
        "how_arose": "How it arose",
        "summary": "Details of the concern",
        "decision": "LLC or allegation",
        "rationale": "Reasons",
        "investigation_steps": "Steps taken",
        "individual_response": "Response",
        "breach_category": "Breach",
        "further_action": "Further action",
        "action_owner": "Action owner",
        "action_due_on": "Action due",
        "action_done_on": "Action completed",
        "closed_on": "Date closed",
        "outcome": "Outcome of allegation",
        "concluded_on": "Date concluded",
    }


def test_the_values_page_suggests_what_the_logs_codes_mean(signed_in: Any) -> None:
    hana = signed_in("hana")
    upload(hana, concern_log())
    run = ImportRun.objects.get()
    hana.post(reverse("import_columns", args=[run.pk]), {"version": run.version, **run.mapping})
    run.refresh_from_db()
    suggestions = {
        (name, choice.value): choice.suggested for name, found in value_choices(run).items() for choice in found
    }
    assert suggestions[("decision", "LLC")] == "low_level"
    assert suggestions[("decision", "Alleg")] == "allegation"
    assert suggestions[("further_action", "Chat")] == "conversation"
    assert suggestions[("how_arose", "Disclosure by a child")] == "disclosure_child"
    assert suggestions[("outcome", "Unsub")] == "unsubstantiated"
    assert "“LLC” means" in hana.get(reverse("import_values", args=[run.pk])).content.decode()


def test_hana_checks_imports_and_undoes_the_log(signed_in: Any, django_capture_on_commit_callbacks: Any) -> None:
    hana = signed_in("hana")
    upload(hana, concern_log(), name="oakfield-concerns.xlsx")
    run = ImportRun.objects.get()
    response = accept_suggestions(hana, run)
    assert response.url == reverse("import_run", args=[run.pk])
    page = hana.get(response.url).content.decode()
    # The row about Hana herself is hers not to record; the one about Dev is brought in.
    assert "5 concerns, 2 low-level concern records, 2 allegations" in page
    assert "This row is about you, or someone with your name" in page
    assert "Left unallocated" not in page
    assert not ImportedRecord.objects.exists()
    run.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        hana.post(reverse("import_go", args=[run.pk]), {"version": run.version})
    run.refresh_from_db()
    assert run.status == RunStatus.IMPORTED
    concern = ImportedRecord.objects.get(source_reference="LC-02").concern
    assert concern is not None
    detail = hana.get(reverse("concern_detail", args=[concern.pk])).content.decode()
    assert "oakfield-concerns.xlsx, sheet “Concerns”, row 6, reference LC-02" in detail
    assert "Not signed in Threshold" in detail
    confirm = hana.get(reverse("import_undo", args=[run.pk])).content.decode()
    assert "Every concern, triage decision, low-level concern record and allegation" in confirm
    run.refresh_from_db()
    hana.post(reverse("import_undo", args=[run.pk]), {"version": run.version})
    run.refresh_from_db()
    assert run.status == RunStatus.UNDONE
    assert not Concern.objects.exists()


def test_a_mapping_without_the_date_raised_is_explained(signed_in: Any) -> None:
    hana = signed_in("hana")
    upload(hana, concern_log())
    run = ImportRun.objects.get()
    mapping = {name: header for name, header in run.mapping.items() if name != "raised_on"}
    response = hana.post(reverse("import_columns", args=[run.pk]), {"version": run.version, **mapping})
    assert response.status_code == 400
    assert "Choose the column that holds the date the concern was raised" in response.content.decode()


def test_priya_chooses_which_of_the_trusts_schools_the_log_is_from(signed_in: Any) -> None:
    priya = signed_in("priya")
    page = priya.get(reverse("imports")).content.decode()
    schools = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', page)
    assert {"Oakfield Primary School", "Hillcrest Academy", "Meadow Lane Academy"} <= set(schools)
    assert "Riverside Learning Trust" not in schools  # a trust keeps no log of its own
    response = upload(priya, concern_log())
    assert response.status_code == 400
    assert "Choose whose records the file holds" in response.content.decode()


@pytest.mark.parametrize("outsider", ["tom", "henry", "gina"])
def test_staff_hr_and_governors_import_nothing(signed_in: Any, outsider: str) -> None:
    hana_run = upload(signed_in("hana"), concern_log())
    assert hana_run.status_code == 302
    run = ImportRun.objects.get()
    client = signed_in(outsider)
    assert client.get(reverse("imports")).status_code == 403
    assert client.get(reverse("import_run", args=[run.pk])).status_code == 404
    assert "Import earlier records" not in client.get(reverse("home")).content.decode()


def test_every_imported_record_opens_for_who_handles_it(signed_in: Any, persona: Any, tmp_path: Any) -> None:
    from django.core.management import call_command

    path = tmp_path / "oakfield-concerns.xlsx"
    path.write_bytes(concern_log())
    call_command("lado_import", str(path), "--setting", "Oakfield Primary School", "--as", persona("dev").email,
                 stdout=io.StringIO())  # fmt: skip
    dev, priya = signed_in("dev"), signed_in("priya")
    for record in ImportedRecord.objects.all():
        assert record.concern is not None
        reader = priya if record.concern.routed_to_trust else dev
        assert reader.get(reverse("concern_detail", args=[record.concern_id])).status_code == 200
        if record.allegation_id:
            page = reader.get(reverse("allegation_detail", args=[record.allegation_id]))
            assert page.status_code == 200
    for name in ("concern_list", "allegation_list", "pattern_review_list", "home"):
        assert dev.get(reverse(name)).status_code == 200
