"""The access rules record by record: organisation scope, subject exclusion, reporters, admins, auditors, partners."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from threshold.access import fetch
from threshold.concerns.models import Concern
from threshold.lado.models import CaseShare, MeetingShare

pytestmark = pytest.mark.django_db

DETAIL_URLS = {
    "concern": "concern_detail",
    "allegation": "allegation_detail",
    "person": "person_detail",
    "contact": "contact_detail",
    "case": "case_detail",
    "meeting": "meeting_detail",
    "document": "document_download",
}


def detail_url(record_name: str, ids: dict[str, int]) -> str:
    kind = record_name.split("_")[0]
    return reverse(DETAIL_URLS[kind], args=[ids[record_name]])


# Cross-organisation and cross-local-authority probes (IDOR): each persona tries
# ids that belong to organisations they have nothing to do with.
PROBES = {
    "sam": [  # Southvale's LADO probes Northshire and Oakfield
        "contact_chris", "case_chris", "meeting_chris", "person_la_chris", "document_case",
        "concern_by_tom", "allegation_chris", "person_chris", "document_allegation",
    ],
    "lara": ["case_southvale", "contact_southvale", "person_la_jo", "concern_by_tom", "allegation_chris",
             "allegation_nell", "person_nell", "document_allegation"],
    "nina": ["concern_by_tom", "allegation_chris", "person_chris", "document_allegation", "case_chris"],
    "hana": ["allegation_nell", "person_nell", "case_chris", "contact_chris", "case_southvale", "document_case"],
    "pat": ["contact_chris", "case_southvale", "allegation_chris", "concern_by_tom", "document_allegation"],
    "cara": ["case_southvale", "contact_southvale", "allegation_chris", "concern_by_tom"],
    "ada": ["case_southvale", "concern_by_tom", "allegation_chris", "allegation_nell", "person_chris"],
    "priya": ["allegation_nell", "case_chris", "contact_chris", "case_southvale"],
}  # fmt: skip


@pytest.mark.parametrize(("key", "record_name"), [(k, r) for k, names in PROBES.items() for r in names])
def test_ids_from_another_organisation_are_not_found(key: str, record_name: str, records, signed_in) -> None:
    response = signed_in(key).get(detail_url(record_name, records))
    assert response.status_code == 404


def test_a_missing_id_and_a_forbidden_id_look_the_same(records, signed_in) -> None:
    sam = signed_in("sam")
    forbidden = sam.get(detail_url("case_chris", records))
    missing = sam.get(reverse("case_detail", args=[999_999]))
    assert forbidden.status_code == missing.status_code == 404

    def page(response) -> str:
        # Nonces and CSRF tokens differ on every response; nothing else may.
        text = re.sub(r'nonce="[^"]+"', "", response.content.decode())
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)

    assert page(forbidden) == page(missing)


# Subject exclusion.


def test_tom_never_sees_the_concern_about_himself_in_any_form(records, signed_in, persona) -> None:
    tom = signed_in("tom")
    assert tom.get(detail_url("concern_about_tom", records)).status_code == 404
    assert tom.get(detail_url("person_tom", records)).status_code == 404
    listing = tom.get(reverse("concern_list")).content.decode()
    assert f"{Concern.objects.get(pk=records['concern_about_tom']).reference}<" not in listing
    assert "Tom was seen" not in listing
    search = tom.post(reverse("concern_list"), {"q": "Tom"}).content.decode()
    assert "0 concerns" in search
    export = tom.get(reverse("export_concerns", args=["csv"])).getvalue().decode()
    assert "Tom Teacher" not in export
    assert not fetch.visible_concerns(persona("tom"), "view_report").filter(subject__user=persona("tom")).exists()


def test_hana_never_sees_the_concern_about_herself_though_she_handles_oakfields_concerns(records, signed_in) -> None:
    hana = signed_in("hana")
    assert hana.get(detail_url("concern_about_hana", records)).status_code == 404
    assert hana.get(detail_url("person_hana", records)).status_code == 404
    listing = hana.get(reverse("concern_list")).content.decode()
    assert "headteacher shouted" not in listing
    # She does see Oakfield's other concerns, so the list is not simply empty.
    assert f"{Concern.objects.get(pk=records['concern_by_tom']).reference}<" in listing
    count = listing.split('id="result-count">')[1].split("<")[0]
    assert count.startswith("3 concerns")
    assert "Hana Head" not in hana.post(reverse("concern_list"), {"q": "Hana"}).content.decode()
    export = list(csv.reader(io.StringIO(hana.get(reverse("export_concerns", args=["csv"])).getvalue().decode())))
    assert all("Hana Head" not in row for row in export)
    assert len(export) == 1 + 3


def test_the_concern_about_hana_goes_to_priya_and_not_to_dev(records, signed_in) -> None:
    assert signed_in("priya").get(detail_url("concern_about_hana", records)).status_code == 200
    # Routed to the trust: Oakfield's own DSL does not handle it either.
    assert signed_in("dev").get(detail_url("concern_about_hana", records)).status_code == 404


def test_priya_sees_the_concerns_about_tom_and_hana(records, signed_in) -> None:
    priya = signed_in("priya")
    assert priya.get(detail_url("concern_about_tom", records)).status_code == 200
    listing = priya.get(reverse("concern_list")).content.decode()
    assert "Tom Teacher" in listing
    assert "Hana Head" in listing


def test_subject_exclusion_also_matches_by_email_when_no_account_is_linked(records, persona) -> None:
    concern = Concern.objects.get(pk=records["concern_about_tom"])
    concern.subject.user = None
    concern.subject.email = "TOM.TEACHER@oakfield.example"
    concern.subject.save()
    assert not fetch.visible_concerns(persona("tom"), "view_report").filter(pk=concern.pk).exists()


# Reporters.


def test_tom_sees_his_own_report_but_not_what_followed(records, signed_in) -> None:
    tom = signed_in("tom")
    report = tom.get(detail_url("concern_by_tom", records))
    assert report.status_code == 200
    page = report.content.decode()
    assert "Your report" in page
    assert "Status" not in page
    assert tom.get(detail_url("allegation_chris", records)).status_code == 404


def test_an_anonymous_concern_stores_no_reporter(records) -> None:
    concern = Concern.objects.get(pk=records["concern_anonymous"])
    assert concern.is_anonymous
    assert concern.reporter_id is None


# Administrators and auditors.


@pytest.mark.parametrize("key", ["sid", "olu"])
def test_administrators_see_no_case_data(key: str, records, signed_in, persona) -> None:
    admin = persona(key)
    assert not fetch.visible_concerns(admin).exists()
    assert not fetch.visible_allegations(admin).exists()
    assert not fetch.visible_cases(admin, "view_summary").exists()
    assert not fetch.visible_people(admin).exists()
    assert not fetch.visible_documents(admin).exists()
    client = signed_in(key)
    for name in ("concern_by_tom", "allegation_chris", "case_chris", "person_chris", "document_allegation"):
        assert client.get(detail_url(name, records)).status_code == 404


def test_ada_the_auditor_can_read_northshire_cases_but_change_nothing(records, persona) -> None:
    ada = persona("ada")
    assert fetch.access_case(ada, records["case_chris"], "view")
    with pytest.raises(Http404):
        fetch.access_case(ada, records["case_chris"], "change")
    with pytest.raises(Http404):
        fetch.access_contact(ada, records["contact_chris"], "change")
    with pytest.raises(Http404):
        fetch.access_meeting(ada, records["meeting_chris"], "change")


def test_lara_can_change_her_case_and_business_rules_limit_the_rest(records, persona) -> None:
    assert fetch.access_case(persona("lara"), records["case_chris"], "change")
    with pytest.raises(Http404):
        fetch.access_case(persona("sam"), records["case_chris"], "change")


# Partners: only while shared.


def test_pat_sees_the_shared_meeting_and_the_case_summary_until_it_is_unshared(records, signed_in, persona) -> None:
    pat = signed_in("pat")
    assert pat.get(detail_url("meeting_chris", records)).status_code == 200
    summary = pat.get(detail_url("case_chris", records))
    assert summary.status_code == 200
    assert "one of its meetings has been shared with you" in summary.content.decode()
    assert pat.get(detail_url("document_case", records)).status_code == 404
    MeetingShare.objects.filter(user=persona("pat")).update(ended_at=timezone.now())
    assert pat.get(detail_url("meeting_chris", records)).status_code == 404
    assert pat.get(detail_url("case_chris", records)).status_code == 404


def test_cara_sees_the_shared_case_in_full_until_it_is_unshared(records, signed_in, persona) -> None:
    cara = signed_in("cara")
    assert cara.get(detail_url("case_chris", records)).status_code == 200
    assert cara.get(detail_url("document_case", records)).status_code == 200
    assert cara.get(detail_url("person_la_chris", records)).status_code == 200
    CaseShare.objects.filter(user=persona("cara")).update(ended_at=timezone.now())
    assert cara.get(detail_url("case_chris", records)).status_code == 404
    assert cara.get(detail_url("document_case", records)).status_code == 404
    assert cara.get(detail_url("person_la_chris", records)).status_code == 404


def test_a_document_is_downloaded_as_an_attachment(records, signed_in) -> None:
    response = signed_in("hana").get(detail_url("document_allegation", records))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_document_follows_its_record_each_reader_sees_the_documents_of_the_records_they_see(records, persona) -> None:
    # Hana manages the allegation; Lara and Mo hold the LADO case; Tom is staff and sees neither record.
    document_ids = {records["document_allegation"], records["document_case"]}

    def seen(key: str) -> set[int]:
        listed = list(fetch.visible_documents(persona(key)).filter(pk__in=document_ids).values_list("pk", flat=True))
        assert len(listed) == len(set(listed)), "a document listed twice"
        return set(listed)

    assert records["document_allegation"] in seen("hana")
    assert records["document_case"] not in seen("hana")
    assert records["document_case"] in seen("lara")
    assert seen("tom") == set()
    # The question is asked of the document's own record, not of every record the reader may see.
    sql = str(fetch.visible_documents(persona("lara")).query).upper()
    assert "EXISTS" in sql
    assert "DISTINCT" not in sql
