"""``manage.py analyze`` gives the query planner statistics for the home page's lists (ADR 0041)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_nightly_analysis_gives_the_planner_statistics_of_each_concerns_index(records: dict[str, int]) -> None:
    out = io.StringIO()
    call_command("analyze", stdout=out)
    assert f"Analysed the {connection.vendor} database" in out.getvalue()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'concerns_concern'")
            analysed = {row[0] for row in cursor.fetchall()}
            assert "concerns_org_status_raised" in analysed  # the index the employer's home page needs
        else:
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'concerns_concern'")
            assert cursor.fetchone()[0] > 0
