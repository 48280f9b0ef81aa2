"""A long list is written in the background, as its requester, for them alone, until it expires."""

from __future__ import annotations

import datetime as dt
import os
import stat
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.reports.exports_helpers import csv_rows, download, northshire, northshire_case, references, xlsx_rows
from threshold.accounts.models import Membership
from threshold.accounts.roles import Role
from threshold.audit.models import AuditEvent
from threshold.lado.models import Case
from threshold.people.models import Person
from threshold.reports.exports.services import export_job_run, exports_sweep
from threshold.reports.models import ExportJob, ExportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_lists(settings) -> None:
    """Any list of more than one row is long enough to be written in the background."""
    settings.EXPORT_INLINE_LIMIT = 1


def written(client, name: str, file_format: str, capture, query: str = "") -> ExportJob:
    """Ask for an export too long to write at once; the task runs when the request's changes commit."""
    with capture(execute=True):
        response = download(client, name, file_format, query=query)
    job = ExportJob.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("export_job", args=[job.pk])
    return job


def test_mo_exports_filtered_cases_in_the_background_and_downloads_them(
    records, long_lists, signed_in, persona, settings, django_capture_on_commit_callbacks
) -> None:
    chris = Case.objects.get(pk=records["case_chris"])
    sol = northshire_case("Sol Supplyteacher", tier="tier-1")
    northshire_case("Tess Tutor", tier="tier-2")
    mo = signed_in("mo")
    job = written(mo, "export_all_cases", "xlsx", django_capture_on_commit_callbacks, query="tier=tier-1")
    assert job.status == ExportStatus.DONE
    assert (job.requester, job.kind, job.filters) == (persona("mo"), "all-cases", {"tier": "tier-1"})
    assert job.rows_total == job.rows_done == 2
    assert job.expires_at is not None
    assert job.finished_at is not None
    assert job.expires_at - job.finished_at == dt.timedelta(hours=24)
    stored = Path(settings.EXPORT_ROOT) / job.stored_name
    assert stored.is_file()
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600

    page = mo.get(reverse("export_job", args=[job.pk])).content.decode()
    assert "Your spreadsheet is ready" in page
    assert "Download All cases (XLSX, 2 rows)" in page
    response = mo.get(reverse("export_job_download", args=[job.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert references(xlsx_rows(response.getvalue())) == {chris.reference, sol.reference}

    requested, exported, downloaded = AuditEvent.objects.filter(
        action__in=["export.requested", "records.exported", "export.downloaded"]
    ).order_by("sequence")
    assert (requested.action, requested.actor, requested.record_id) == ("export.requested", persona("mo"), str(job.pk))
    # The task acts as a named system job on Mo's behalf: the event names him, and every case in the file.
    assert (exported.action, exported.actor, exported.actor_label) == ("records.exported", None, "system:list-export")
    assert exported.details["requested_by"] == persona("mo").pk
    assert sorted(exported.details["ids"]) == sorted([chris.pk, sol.pk])
    assert exported.organisation == northshire()
    assert (downloaded.action, downloaded.actor) == ("export.downloaded", persona("mo"))


def test_a_background_export_reads_the_list_as_its_requester_so_a_case_about_him_stays_out(
    records, long_lists, signed_in, persona, django_capture_on_commit_callbacks
) -> None:
    about_mo = northshire_case("Mo Manager", subject_user=persona("mo"))
    other = northshire_case("Tess Tutor")
    job = written(signed_in("mo"), "export_all_cases", "csv", django_capture_on_commit_callbacks)
    rows = csv_rows(signed_in("mo").get(reverse("export_job_download", args=[job.pk])))
    assert other.reference in references(rows)
    assert about_mo.reference not in references(rows)
    exported = AuditEvent.objects.get(action="records.exported", details__export_job=job.pk)
    assert about_mo.pk not in exported.details["ids"]


def test_only_the_requester_sees_the_job_or_downloads_it(
    records, long_lists, signed_in, django_capture_on_commit_callbacks
) -> None:
    northshire_case("Tess Tutor")
    job = written(signed_in("mo"), "export_all_cases", "csv", django_capture_on_commit_callbacks)
    for someone in ("lara", "ada", "sid"):
        client = signed_in(someone)
        assert client.get(reverse("export_job", args=[job.pk])).status_code == 404
        assert client.get(reverse("export_job_download", args=[job.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="export.downloaded").exists()


def test_a_job_not_yet_written_says_how_far_it_has_got_and_offers_to_check_again(
    records, long_lists, signed_in, persona
) -> None:
    northshire_case("Tess Tutor")
    mo = signed_in("mo")
    response = download(mo, "export_all_cases", "csv")  # its task waits for a commit that never comes here
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("export_job", args=[job.pk])
    page = mo.get(response["Location"]).content.decode()
    assert f"Your spreadsheet of {job.rows_total} rows is waiting to be written." in page
    assert f'href="{reverse("export_job", args=[job.pk])}"' in page
    assert "Check again" in page
    assert '<meta http-equiv="refresh"' not in page  # no refresh: the person checks when they choose
    assert mo.get(reverse("export_job_download", args=[job.pk]))["Location"] == reverse("export_job", args=[job.pk])
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, rows_done=1)
    assert f"1 of {job.rows_total} rows written so far." in mo.get(response["Location"]).content.decode()
    assert export_job_run(job_id=job.pk) == ExportStatus.RUNNING  # already claimed: never written twice


def test_a_download_expires_after_a_day_and_the_sweep_deletes_its_file(
    records, long_lists, signed_in, settings, django_capture_on_commit_callbacks
) -> None:
    northshire_case("Tess Tutor")
    mo = signed_in("mo")
    job = written(mo, "export_all_cases", "xlsx", django_capture_on_commit_callbacks)
    stored = Path(settings.EXPORT_ROOT) / job.stored_name
    assert job.expires_at is not None
    with time_machine.travel(job.expires_at + dt.timedelta(minutes=1), tick=False):
        mo = signed_in("mo")  # a day later: signed in again
        page = mo.get(reverse("export_job", args=[job.pk]))
        assert page.status_code == 410
        assert "This download has expired" in page.content.decode()
        assert reverse("case_list_all") in page.content.decode()
        assert mo.get(reverse("export_job_download", args=[job.pk])).status_code == 410
        out = StringIO()
        call_command("exports_sweep", stdout=out)
        assert out.getvalue().strip() == "1 expired export deleted."
    assert not stored.exists()
    job.refresh_from_db()
    assert (job.status, job.stored_name) == (ExportStatus.EXPIRED, "")
    assert mo.get(reverse("export_job_download", args=[job.pk])).status_code == 410
    assert exports_sweep() == 0
    assert not AuditEvent.objects.filter(action="export.downloaded").exists()


def test_a_list_of_thousands_is_streamed_in_chunks_and_every_row_is_written(
    records, signed_in, settings, django_capture_on_commit_callbacks
) -> None:
    settings.EXPORT_INLINE_LIMIT = 100
    authority = northshire()
    adult = Person.objects.create(organisation=authority, full_name="Many Cases")
    Case.objects.bulk_create(
        Case(local_authority=authority, subject=adult, summary="Bulk", tier="tier-2", opened_at=timezone.now())
        for _ in range(1200)
    )
    job = written(signed_in("mo"), "export_all_cases", "csv", django_capture_on_commit_callbacks, query="tier=tier-2")
    assert job.rows_total == job.rows_done == Case.objects.filter(local_authority=authority, tier="tier-2").count()
    rows = csv_rows(signed_in("mo").get(reverse("export_job_download", args=[job.pk])))
    assert len(rows) == 1 + job.rows_total


def test_a_job_whose_list_its_requester_can_no_longer_see_fails_and_says_so(records, signed_in, persona) -> None:
    job = ExportJob.objects.create(
        requester=persona("sam"),
        kind="meeting-actions",
        file_format="csv",
        filters={"meeting": records["meeting_chris"]},
    )
    assert export_job_run(job_id=job.pk) == ExportStatus.FAILED
    job.refresh_from_db()
    assert (job.status, job.stored_name) == (ExportStatus.FAILED, "")
    page = signed_in("sam").get(reverse("export_job", args=[job.pk])).content.decode()
    assert "Your spreadsheet could not be written" in page
    assert not AuditEvent.objects.filter(action="records.exported").exists()


def test_the_sweep_ends_jobs_a_stopped_worker_left_and_deletes_files_no_job_names(records, persona, settings) -> None:
    two_days_ago = timezone.now() - dt.timedelta(days=2)
    left = ExportJob.objects.create(
        requester=persona("mo"),
        kind="all-cases",
        file_format="csv",
        status=ExportStatus.RUNNING,
        created_at=two_days_ago,
    )
    waiting = ExportJob.objects.create(requester=persona("mo"), kind="all-cases", file_format="csv")
    root = Path(settings.EXPORT_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    half_written, being_written = root / ("a" * 64), root / ("b" * 64)
    half_written.write_bytes(b"Reference\n")
    being_written.write_bytes(b"Reference\n")
    old = two_days_ago.timestamp()
    os.utime(half_written, (old, old))
    assert exports_sweep() == 0  # nothing had expired
    left.refresh_from_db()
    waiting.refresh_from_db()
    assert (left.status, waiting.status) == (ExportStatus.FAILED, ExportStatus.QUEUED)
    assert not half_written.exists()
    assert being_written.exists()


def test_a_written_export_is_not_downloaded_by_someone_who_has_since_lost_the_list(
    records, long_lists, signed_in, persona, django_capture_on_commit_callbacks
) -> None:
    northshire_case("Tess Tutor")
    mo = signed_in("mo")
    job = written(mo, "export_all_cases", "csv", django_capture_on_commit_callbacks)
    Membership.objects.filter(user=persona("mo")).update(role=Role.LADO)  # no longer the LADO manager
    response = mo.get(reverse("export_job_download", args=[job.pk]))
    assert response.status_code == 410
    assert not AuditEvent.objects.filter(action="export.downloaded").exists()


@pytest.mark.parametrize("becomes_his", ["linked to his account", "renamed to his name"])
def test_a_written_export_is_not_given_to_mo_once_a_case_in_it_is_about_him(
    records, long_lists, signed_in, persona, django_capture_on_commit_callbacks, becomes_his: str
) -> None:
    case = northshire_case("Tess Tutor")
    northshire_case("Sol Supplyteacher")
    mo = signed_in("mo")
    job = written(mo, "export_all_cases", "csv", django_capture_on_commit_callbacks)
    # The case is corrected: its adult is Mo (his own person record, or a name that could be his).
    person = case.subject
    if becomes_his == "linked to his account":
        person.user = persona("mo")
    else:
        person.full_name = "Mo Manager"
    person.save()
    assert mo.get(reverse("case_detail", args=[case.pk])).status_code == 404
    # Neither the file, nor its page's count of rows, which counts the case.
    download_response = mo.get(reverse("export_job_download", args=[job.pk]))
    assert download_response.status_code == 410
    assert "Something in this spreadsheet is no longer yours to see" in download_response.content.decode()
    page = mo.get(reverse("export_job", args=[job.pk]))
    assert page.status_code == 410
    assert "rows" not in page.content.decode()
    assert not AuditEvent.objects.filter(action="export.downloaded").exists()


def test_a_written_export_is_still_mos_when_nothing_in_it_has_become_his(
    records, long_lists, signed_in, persona, django_capture_on_commit_callbacks
) -> None:
    case = northshire_case("Tess Tutor")
    mo = signed_in("mo")
    job = written(mo, "export_all_cases", "csv", django_capture_on_commit_callbacks)
    northshire_case("Sol Supplyteacher")  # a new case: the file is as at when it was written
    Case.objects.filter(pk=case.pk).update(status="closed")  # one that has moved on is still his to hold
    # A namesake of his recorded anywhere else turns nothing away (and so tells him nothing).
    Person.objects.create(organisation=northshire(), full_name="Moe Manger")
    assert mo.get(reverse("export_job_download", args=[job.pk])).status_code == 200


def test_asking_again_for_an_export_still_being_written_is_the_same_export(
    records, long_lists, signed_in, django_capture_on_commit_callbacks
) -> None:
    northshire_case("Tess Tutor", tier="tier-2")
    northshire_case("Sol Supplyteacher", tier="tier-2")
    mo = signed_in("mo")
    # A second click, a reload or a browser fetching the link ahead, while the first is waiting to be written.
    with django_capture_on_commit_callbacks(execute=False):
        first = download(mo, "export_all_cases", "csv")
        again = download(mo, "export_all_cases", "csv")
        other_format = download(mo, "export_all_cases", "xlsx")
        other_filter = download(mo, "export_all_cases", "csv", query="tier=tier-2")
    assert first["Location"] == again["Location"]
    assert len({first["Location"], other_format["Location"], other_filter["Location"]}) == 3
    assert ExportJob.objects.count() == 3
    assert AuditEvent.objects.filter(action="export.requested").count() == 3


def test_a_job_a_stopped_worker_left_running_does_not_stop_mo_asking_again(
    records, long_lists, signed_in, django_capture_on_commit_callbacks
) -> None:
    northshire_case("Tess Tutor")
    northshire_case("Sol Supplyteacher")
    mo = signed_in("mo")
    with django_capture_on_commit_callbacks(execute=False):
        first = download(mo, "export_all_cases", "csv")
    stuck = ExportJob.objects.get()
    ExportJob.objects.filter(pk=stuck.pk).update(
        status=ExportStatus.RUNNING, created_at=timezone.now() - dt.timedelta(minutes=30)
    )
    with django_capture_on_commit_callbacks(execute=False):
        again = download(mo, "export_all_cases", "csv")
    assert again["Location"] != first["Location"]
    assert ExportJob.objects.count() == 2
