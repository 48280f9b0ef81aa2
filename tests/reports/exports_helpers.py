"""Helpers for the export tests: cases made at Northshire, and a download read back as rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import openpyxl
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from threshold.accounts.models import Organisation, User
from threshold.audit.models import AuditEvent
from threshold.demo import world
from threshold.lado.models import Case
from threshold.people.models import Person


def northshire() -> Organisation:
    """Northshire Council, whose LADO service Lara and Mo work in."""
    return Organisation.objects.get(name=world.NORTHSHIRE)


def northshire_case(
    name: str,
    *,
    tier: str = "tier-2",
    lado: User | None = None,
    employer: str = "",
    sector: str = "",
    categories: list[str] | None = None,
    subject_user: User | None = None,
    days_ago: int = 1,
) -> Case:
    """An open case at Northshire about an adult called ``name``."""
    authority = northshire()
    person = Person.objects.create(organisation=authority, full_name=name, user=subject_user)
    return Case.objects.create(
        local_authority=authority, subject=person, adult_name=name, summary="A case made for an export test.",
        tier=tier, lado=lado, employer_name=employer, sector=sector, abuse_categories=categories or [],
        opened_at=timezone.now() - dt.timedelta(days=days_ago),
    )  # fmt: skip


def download(client: Client, name: str, file_format: str, *args: Any, query: str = "") -> HttpResponseBase:
    """GET a list's export; ``query`` is the list page's own query string."""
    return client.get(reverse(name, args=[*args, file_format]) + (f"?{query}" if query else ""))


def csv_rows(response: HttpResponseBase) -> list[list[str]]:
    """A CSV download's rows, the header first."""
    return list(csv.reader(io.StringIO(response.getvalue().decode())))


def xlsx_rows(content: bytes) -> list[tuple[Any, ...]]:
    """An XLSX workbook's first sheet's rows, the header first."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def references(rows: list[list[str]] | list[tuple[Any, ...]]) -> set[str]:
    """The first column of every row but the header."""
    return {str(row[0]) for row in rows[1:]}


def last_export(actor: User) -> AuditEvent:
    """The latest ``records.exported`` event by ``actor``."""
    return AuditEvent.objects.filter(action="records.exported", actor=actor).latest("sequence")
