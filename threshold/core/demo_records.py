"""Synthetic protected records for the demo world, so every record type has examples.

The people and events are invented. Each record exists to show one access rule
at work (see ``docs/access.md``): a concern about Tom that Tom never sees, a
concern about Hana routed to the trust, an anonymous concern, a LADO case
shared with the police, a Southvale case Northshire never sees.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import Organisation, User
from threshold.allegations.models import Allegation
from threshold.audit.services import Actor, audit_record
from threshold.concerns.models import Concern, ConcernStatus
from threshold.core import demo
from threshold.documents.models import Document
from threshold.lado.models import Case, CaseShare, Contact, Meeting, MeetingShare
from threshold.people.models import Person, PersonKind

DEMO_DOCUMENT = b"%PDF-1.4\n% Synthetic demo document: investigation notes (no real person).\n%%EOF\n"


@dataclass(frozen=True)
class DemoRecords:
    """The records created, by the name tests use for them."""

    ids: dict[str, int]


def _org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def _user(key: str) -> User:
    return User.objects.get(email=demo.PERSONAS_BY_KEY[key].email)


def _person(org: str, name: str, *, user: str | None = None, role: str = "", born: dt.date | None = None) -> Person:
    account = _user(user) if user else None
    person, _ = Person.objects.get_or_create(
        organisation=_org(org),
        full_name=name,
        defaults={
            "kind": PersonKind.ADULT,
            "role_title": role,
            "employer": _org(org) if _org(org).kind != "local_authority" else None,
            "user": account,
            "email": account.email if account else "",
            "date_of_birth": born,
        },
    )
    return person


def _store_document(content: bytes) -> tuple[str, str]:
    folder = settings.DOCUMENT_ROOT
    folder.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(16)
    (folder / stored).write_bytes(content)
    return stored, hashlib.sha256(content).hexdigest()


def load_demo_records() -> DemoRecords:
    """Create the demo's protected records once; return their ids by name."""
    with transaction.atomic():
        existing = Concern.objects.filter(summary__startswith="[demo]").exists()
        ids: dict[str, int] = {}
        tom = _person(demo.OAKFIELD, "Tom Teacher", user="tom", role="Class teacher", born=dt.date(1988, 3, 14))
        hana = _person(demo.OAKFIELD, "Hana Head", user="hana", role="Headteacher", born=dt.date(1975, 9, 2))
        chris = _person(demo.OAKFIELD, "Chris Coach", role="Sports coach", born=dt.date(1990, 6, 21))
        nell = _person(demo.LITTLE_ACORNS, "Nell Nurseryworker", role="Nursery practitioner")
        la_chris = _person(demo.NORTHSHIRE, "Chris Coach", role="Sports coach", born=dt.date(1990, 6, 21))
        la_jo = _person(demo.SOUTHVALE, "Jo Youthworker", role="Youth worker")
        ids.update(
            person_tom=tom.pk, person_hana=hana.pk, person_chris=chris.pk, person_nell=nell.pk,
            person_la_chris=la_chris.pk, person_la_jo=la_jo.pk,
        )  # fmt: skip
        if existing:
            ids.update(_existing_ids())
            return DemoRecords(ids)
        oakfield = _org(demo.OAKFIELD)
        about_tom = Concern.objects.create(
            organisation=oakfield, subject=tom, reporter=_user("dev"),
            summary="[demo] Tom was seen messaging a pupil on a personal phone.",
        )  # fmt: skip
        about_hana = Concern.objects.create(
            organisation=oakfield, subject=hana, reporter=_user("tom"), routed_to_trust=True,
            summary="[demo] The headteacher shouted at a Year 2 pupil in the corridor.",
        )  # fmt: skip
        by_tom = Concern.objects.create(
            organisation=oakfield, subject=chris, reporter=_user("tom"), status=ConcernStatus.ALLEGATION,
            summary="[demo] Chris grabbed a pupil by the arm during PE; the pupil had a red mark.",
        )  # fmt: skip
        anonymous = Concern.objects.create(
            organisation=oakfield, subject=chris, is_anonymous=True,
            summary="[demo] Chris gives some pupils lifts home in his car.",
        )  # fmt: skip
        allegation = Allegation.objects.create(
            organisation=oakfield, subject=chris, concern=by_tom, case_manager=_user("hana"),
            summary="[demo] Physical: grabbed a pupil's arm, red mark.",
        )  # fmt: skip
        nursery = Allegation.objects.create(
            organisation=_org(demo.LITTLE_ACORNS), subject=nell, case_manager=_user("nina"),
            summary="[demo] Handled a 3-year-old roughly at nappy change.",
        )  # fmt: skip
        contact = Contact.objects.create(
            local_authority=_org(demo.NORTHSHIRE), subject=la_chris, employer=oakfield, allegation=allegation,
            summary="[demo] Referral from Oakfield: PE incident, red mark.",
        )  # fmt: skip
        case = Case.objects.create(
            local_authority=_org(demo.NORTHSHIRE), subject=la_chris, contact=contact, lado=_user("lara"),
            tier="tier-1", summary="[demo] Tier 1: injury (red mark) means the police are consulted.",
        )  # fmt: skip
        meeting = Meeting.objects.create(case=case, kind="strategy", held_at=timezone.now() - dt.timedelta(days=2))
        MeetingShare.objects.create(meeting=meeting, user=_user("pat"), shared_by=_user("lara"))
        CaseShare.objects.create(case=case, user=_user("cara"), shared_by=_user("lara"))
        southvale_contact = Contact.objects.create(
            local_authority=_org(demo.SOUTHVALE), subject=la_jo, summary="[demo] Phone call from a youth club.",
        )  # fmt: skip
        southvale_case = Case.objects.create(
            local_authority=_org(demo.SOUTHVALE), subject=la_jo, contact=southvale_contact, lado=_user("sam"),
            tier="tier-2", summary="[demo] Tier 2: the club manages, the LADO monitors.",
        )  # fmt: skip
        stored, digest = _store_document(DEMO_DOCUMENT)
        allegation_document = Document.objects.create(
            organisation=oakfield, allegation=allegation, title="Investigation notes", original_name="notes.pdf",
            stored_name=stored, content_type="application/pdf", size=len(DEMO_DOCUMENT), sha256=digest,
            uploaded_by=_user("hana"),
        )  # fmt: skip
        stored, digest = _store_document(DEMO_DOCUMENT)
        case_document = Document.objects.create(
            organisation=_org(demo.NORTHSHIRE), case=case, title="Strategy meeting minutes",
            original_name="minutes.pdf",
            stored_name=stored, content_type="application/pdf", size=len(DEMO_DOCUMENT), sha256=digest,
            uploaded_by=_user("lara"),
        )  # fmt: skip
        ids.update(
            concern_about_tom=about_tom.pk, concern_about_hana=about_hana.pk, concern_by_tom=by_tom.pk,
            concern_anonymous=anonymous.pk, allegation_chris=allegation.pk, allegation_nell=nursery.pk,
            contact_chris=contact.pk, case_chris=case.pk, meeting_chris=meeting.pk,
            contact_southvale=southvale_contact.pk, case_southvale=southvale_case.pk,
            document_allegation=allegation_document.pk, document_case=case_document.pk,
        )  # fmt: skip
        audit_record(actor=Actor.system("load_demo"), action="demo.records_loaded", details={"records": len(ids)})
    return DemoRecords(ids)


def _existing_ids() -> dict[str, int]:
    concern = Concern.objects.filter(summary__startswith="[demo]")
    chris_allegation = Allegation.objects.get(summary__startswith="[demo] Physical")
    case = Case.objects.get(summary__startswith="[demo] Tier 1")
    southvale_case = Case.objects.get(summary__startswith="[demo] Tier 2")
    return {
        "concern_about_tom": concern.get(summary__contains="Tom was seen").pk,
        "concern_about_hana": concern.get(summary__contains="headteacher shouted").pk,
        "concern_by_tom": concern.get(summary__contains="grabbed a pupil").pk,
        "concern_anonymous": concern.get(summary__contains="lifts home").pk,
        "allegation_chris": chris_allegation.pk,
        "allegation_nell": Allegation.objects.get(summary__contains="nappy change").pk,
        "contact_chris": case.contact_id or 0,
        "case_chris": case.pk,
        "meeting_chris": case.meetings.get().pk,
        "contact_southvale": southvale_case.contact_id or 0,
        "case_southvale": southvale_case.pk,
        # By title: people may have uploaded more documents to these records since.
        "document_allegation": _demo_document_id(allegation=chris_allegation, title="Investigation notes"),
        "document_case": _demo_document_id(case=case, title="Strategy meeting minutes"),
    }


def _demo_document_id(**filters: object) -> int:
    """The first demo document matching the filters (the one the loader created)."""
    document = Document.objects.filter(**filters).order_by("pk").first()
    if document is None:
        raise LookupError(f"The demo document {filters} is missing.")
    return document.pk
