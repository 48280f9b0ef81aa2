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
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from threshold.accounts.models import Organisation, User
from threshold.allegations.models import Allegation
from threshold.audit.context import AuditContext
from threshold.audit.services import audit_record
from threshold.concerns.models import Concern, ConcernStatus
from threshold.demo import world
from threshold.documents.models import Document
from threshold.lado.models import (
    Case,
    CaseShare,
    ConsultationReason,
    Contact,
    ContactMethod,
    ContactSource,
    ContactStatus,
    Decision,
    Level,
    Meeting,
    MeetingShare,
)
from threshold.people.models import Person, PersonKind
from threshold.policy import assess, get_pack

DEMO_DOCUMENT = b"%PDF-1.4\n% Synthetic demo document: investigation notes (no real person).\n%%EOF\n"


@dataclass(frozen=True)
class DemoRecords:
    """The records created, by the name tests use for them."""

    ids: dict[str, int]


def _org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def _user(key: str) -> User:
    return User.objects.get(email=world.PERSONAS_BY_KEY[key].email)


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
    """Create the demo's protected records once, with their stored deadlines; return their ids by name.

    The records are written directly, not through the services, so their deadlines are written afterwards by
    the same rebuild an upgrade runs (``manage.py deadlines_sync``, idempotent).
    """
    records = _load_demo_records()
    call_command("deadlines_sync", stdout=StringIO())
    return records


def _load_demo_records() -> DemoRecords:
    with transaction.atomic():
        existing = Concern.objects.filter(summary__startswith="[demo]").exists()
        ids: dict[str, int] = {}
        tom = _person(world.OAKFIELD, "Tom Teacher", user="tom", role="Class teacher", born=dt.date(1988, 3, 14))
        hana = _person(world.OAKFIELD, "Hana Head", user="hana", role="Headteacher", born=dt.date(1975, 9, 2))
        chris = _person(world.OAKFIELD, "Chris Coach", role="Sports coach", born=dt.date(1990, 6, 21))
        nell = _person(world.LITTLE_ACORNS, "Nell Nurseryworker", role="Nursery practitioner")
        la_chris = _person(world.NORTHSHIRE, "Chris Coach", role="Sports coach", born=dt.date(1990, 6, 21))
        la_jo = _person(world.SOUTHVALE, "Jo Youthworker", role="Youth worker")
        ids.update(
            person_tom=tom.pk, person_hana=hana.pk, person_chris=chris.pk, person_nell=nell.pk,
            person_la_chris=la_chris.pk, person_la_jo=la_jo.pk,
        )  # fmt: skip
        if existing:
            ids.update(_existing_ids())
            ids.update(_lado_details(ids))
            return DemoRecords(ids)
        oakfield = _org(world.OAKFIELD)
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
            organisation=_org(world.LITTLE_ACORNS), subject=nell, case_manager=_user("nina"),
            summary="[demo] Handled a 3-year-old roughly at nappy change.",
        )  # fmt: skip
        # The referral reached the LADO four days ago; the strategy meeting followed two days later.
        contact = Contact.objects.create(
            local_authority=_org(world.NORTHSHIRE), subject=la_chris, employer=oakfield, allegation=allegation,
            summary="[demo] Referral from Oakfield: PE incident, red mark.",
            received_at=timezone.now() - dt.timedelta(days=4),
        )  # fmt: skip
        case = Case.objects.create(
            local_authority=_org(world.NORTHSHIRE), subject=la_chris, contact=contact, lado=_user("lara"),
            tier="tier-1", summary="[demo] Tier 1: injury (red mark) means the police are consulted.",
        )  # fmt: skip
        meeting = Meeting.objects.create(case=case, kind="strategy", held_at=timezone.now() - dt.timedelta(days=2))
        MeetingShare.objects.create(meeting=meeting, user=_user("pat"), shared_by=_user("lara"))
        CaseShare.objects.create(case=case, user=_user("cara"), shared_by=_user("lara"))
        southvale_contact = Contact.objects.create(
            local_authority=_org(world.SOUTHVALE), subject=la_jo, summary="[demo] Phone call from a youth club.",
        )  # fmt: skip
        southvale_case = Case.objects.create(
            local_authority=_org(world.SOUTHVALE), subject=la_jo, contact=southvale_contact, lado=_user("sam"),
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
            organisation=_org(world.NORTHSHIRE), case=case, title="Strategy meeting minutes",
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
        ids.update(_lado_details(ids))
        audit_record(
            context=AuditContext.system("load_demo"), action="demo.records_loaded", details={"records": len(ids)}
        )
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
        "meeting_chris": case.meetings.order_by("pk").values_list("pk", flat=True)[0],
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


CONSULTATION_SUMMARY = "[demo] Phone call from Northshire Youth Club"
INBOX_SUMMARY = "[demo] Phone call from a parent at Little Acorns"


def _decide(
    contact: Contact, *, by: str, level: str, facts: dict[str, object], case: Case | None, **extra: object
) -> None:
    """The demo contact's decision, with the pack's advice on the facts, as a LADO would have recorded it."""
    if contact.decisions.exists():
        return
    pack = get_pack(contact.local_authority.policy_pack)
    facts = {**facts, "reported_on": timezone.localdate(contact.received_at).isoformat()}
    assessment = assess(pack, facts) if pack.id == "bedford-luton-lado" else None
    Decision.objects.create(
        contact=contact, level=level, advised_level=assessment.level if assessment else "", case=case,
        pack=pack.id, pack_version=pack.version, pack_digest=pack.digest, facts=facts,
        assessment=assessment.as_dict() if assessment else {}, recorded_by=_user(by),
        police_advised=bool(assessment and assessment.referrals["police"].required), **extra,
    )  # fmt: skip
    Contact.objects.filter(pk=contact.pk).update(status=ContactStatus.DECIDED)


def _lado_details(ids: dict[str, int]) -> dict[str, int]:
    """The LADO demo records' data set, their decisions and a Northshire consultation (idempotent).

    Run on every load, so a database loaded before these fields existed gets them too.
    """
    oakfield = _org(world.OAKFIELD)
    contact = Contact.objects.get(pk=ids["contact_chris"])
    case = Case.objects.get(pk=ids["case_chris"])
    chris_born = dt.date(1990, 6, 21)
    if not contact.adult_name:
        Contact.objects.filter(pk=contact.pk).update(
            method=ContactMethod.PHONE, source=ContactSource.EMPLOYER, referrer_name="Hana Head",
            referrer_agency=world.OAKFIELD, referrer_contact="hana.head@oakfield.example", adult_name="Chris Coach",
            adult_date_of_birth=chris_born, adult_role="Sports coach", employer_name=world.OAKFIELD,
            advice="Consult the police (a red mark is an injury); Chris not to coach until the strategy meeting.",
            advice_given_at=contact.received_at + dt.timedelta(hours=2), advice_given_by=_user("lara"),
            recorded_by=_user("lara"),
        )  # fmt: skip
    if not case.adult_name:
        Case.objects.filter(pk=case.pk).update(
            adult_name="Chris Coach", adult_date_of_birth=chris_born,
            adult_role="Sports coach", referring_agency=world.OAKFIELD, employer=oakfield,
            employer_name=world.OAKFIELD, sector="school", came_to_light="observed", abuse_categories=["physical"],
            received_on=timezone.localdate(contact.received_at),
        )  # fmt: skip
    contact.refresh_from_db()
    _decide(
        contact, by="lara", level=Level.TIER_1, case=case,
        facts={"works_with_children": True, "adult_identified": True, "safeguarding_concern": True,
               "harmed_or_may_have_harmed_child": True, "abuse_categories": ["physical"], "injury": "visible",
               "setting_type": "school"},
    )  # fmt: skip
    southvale = Contact.objects.get(pk=ids["contact_southvale"])
    southvale_case = Case.objects.get(pk=ids["case_southvale"])
    if not southvale.adult_name:
        Contact.objects.filter(pk=southvale.pk).update(
            method=ContactMethod.PHONE, source=ContactSource.EMPLOYER, referrer_name="Ash Clubleader",
            referrer_agency="Southvale Youth Club", adult_name="Jo Youthworker", adult_role="Youth worker",
            employer_name="Southvale Youth Club", recorded_by=_user("sam"),
        )  # fmt: skip
        Case.objects.filter(pk=southvale_case.pk).update(
            adult_name="Jo Youthworker", adult_role="Youth worker",
            employer_name="Southvale Youth Club", referring_agency="Southvale Youth Club", sector="voluntary",
        )  # fmt: skip
    southvale.refresh_from_db()
    _decide(
        southvale,
        by="sam",
        level=Level.TIER_2,
        case=southvale_case,
        facts={},
        rationale="The club manages; Sam monitors.",
    )
    return {"contact_consultation": _consultation().pk, "contact_inbox": _inbox_contact().pk}


def _consultation() -> Contact:
    """A phone consultation from a youth club that did not meet the threshold: 'a risk was not identified'."""
    existing = Contact.objects.filter(summary__startswith=CONSULTATION_SUMMARY).first()
    if existing is not None:
        return existing
    northshire = _org(world.NORTHSHIRE)
    born = dt.date(1996, 2, 11)
    robin = Person.objects.create(
        organisation=northshire, kind=PersonKind.ADULT, full_name="Robin Youthleader", date_of_birth=born,
        role_title="Youth club volunteer",
    )  # fmt: skip
    received = timezone.now() - dt.timedelta(days=20)
    contact = Contact.objects.create(
        local_authority=northshire, subject=robin, received_at=received, method=ContactMethod.PHONE,
        source=ContactSource.EMPLOYER, referrer_name="Kim Clubmanager", referrer_agency="Northshire Youth Club",
        referrer_contact="01632 960 123", adult_name="Robin Youthleader", adult_date_of_birth=born,
        adult_role="Youth club volunteer", employer_name="Northshire Youth Club",
        summary=f"{CONSULTATION_SUMMARY}: a volunteer gave a young person a lift home after a session without "
        "telling the club. The young person was safe and says nothing happened.",
        advice="Remind volunteers of the club's transport policy; call again if anything else comes up.",
        advice_given_at=received + dt.timedelta(minutes=30), advice_given_by=_user("lara"), recorded_by=_user("lara"),
    )  # fmt: skip
    _decide(
        contact, by="lara", level=Level.CONSULTATION, case=None,
        facts={"works_with_children": True, "adult_identified": True, "safeguarding_concern": False,
               "practice_issue_only": True},
        consultation_reason=ConsultationReason.PRACTICE_ISSUE,
        rationale="A practice issue for the club to deal with: a risk was not identified.",
    )  # fmt: skip
    return contact


def _inbox_contact() -> Contact:
    """A new phone contact from a parent, received today, waiting in the Northshire inbox with its advice clock."""
    existing = Contact.objects.filter(summary__startswith=INBOX_SUMMARY).first()
    if existing is not None:
        return existing
    northshire = _org(world.NORTHSHIRE)
    pip = Person.objects.create(
        organisation=northshire, kind=PersonKind.ADULT, full_name="Pip Playworker", role_title="Nursery assistant",
    )  # fmt: skip
    return Contact.objects.create(
        local_authority=northshire, subject=pip, employer=_org(world.LITTLE_ACORNS), received_at=timezone.now(),
        method=ContactMethod.PHONE, source=ContactSource.PARENT, referrer_name="Morgan Parent",
        referrer_contact="07700 900 456", adult_name="Pip Playworker", adult_role="Nursery assistant",
        employer_name=world.LITTLE_ACORNS, status=ContactStatus.NEW, recorded_by=_user("lara"),
        summary=f"{INBOX_SUMMARY}: their 3-year-old came home with a bruise on the arm and said a nursery "
        "assistant pulled her off the climbing frame. The parent has not yet spoken to the nursery.",
    )  # fmt: skip
