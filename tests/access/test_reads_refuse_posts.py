"""A page or file that only shows records answers a POST with 405 (Method Not Allowed) and does nothing.

Printing a record, downloading it or a report, is a read: a POST to it (a forged form, a resubmitted page) must
not make the file, and must not write the export or the read into the audit trail as if someone had asked for it.
"""

from __future__ import annotations

import pytest

from tests.access.expected_access import expected
from tests.access.routes import PERSONAS, is_download, path_for, routes
from threshold.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

EXPECTED = expected()
# Every print page and download someone in the demo world may read (the rest are the access matrix's 404s).
READS = [
    route
    for route in routes()
    if (is_download(route) or route.name.endswith("_print")) and 200 in EXPECTED[route.name].values()
]


def test_the_reads_include_every_print_page_and_pdf() -> None:
    names = {route.name for route in READS}
    assert {"case_print", "case_pdf", "contact_pdf", "referral_pdf", "lado_report_pdf", "employer_school_pdf"} <= names


@pytest.mark.parametrize("route", READS, ids=lambda route: route.name)
def test_a_post_to_a_print_page_or_download_is_refused_by_someone_who_may_read_it(route, records, signed_in) -> None:
    reader = next(key for key in PERSONAS if EXPECTED[route.name][key] == 200)
    client = signed_in(reader)
    path = path_for(route, records)  # a referral's page first has the referral made
    before = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    response = client.post(path, {})
    assert response.status_code == 405, f"{route.name} answered {reader}'s POST with {response.status_code}"
    assert not list(AuditEvent.objects.filter(sequence__gt=before).values_list("action", "actor_label"))
