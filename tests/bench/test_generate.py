"""The benchmark generator (``bench/generate.py``) builds valid data: a trail that verifies, rows the services write."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from bench.generate import PER_AUTHORITY, generate
from threshold.accounts.roles import OrganisationKind
from threshold.allegations.models import Allegation
from threshold.audit.models import AuditEvent, AuditRecordRef
from threshold.audit.verify import verify_chain
from threshold.concerns.models import Concern
from threshold.demo import world
from threshold.lado.models import Case, Contact
from threshold.timescales.models import Deadline

SCALE = 0.005


def _deadlines() -> set[tuple[object, ...]]:
    return set(
        Deadline.objects.values_list(
            "record_key", "kind", "key", "label", "source", "owner_id", "due_on", "state", "met_on", "reason"
        )
    )


def test_two_small_authorities_come_in_proportion_with_a_trail_that_verifies(records):
    events_before = AuditEvent.objects.count()

    built = generate(authorities=2, scale=SCALE)

    assert built.verified, built.verification
    assert verify_chain().ok
    assert AuditEvent.objects.count() == events_before + built.events
    assert AuditRecordRef.objects.filter(sequence__gt=events_before).count() >= built.events
    northshire, second = built.authorities
    assert northshire.organisation.name == world.NORTHSHIRE
    assert second.organisation.kind == OrganisationKind.LOCAL_AUTHORITY
    expected = {name: round(value * SCALE) for name, value in PER_AUTHORITY.items()}
    for authority in built.authorities:
        schools = [school.organisation for school in authority.schools]
        assert all(school.local_authority == authority.organisation for school in schools)
        generated = Contact.objects.filter(local_authority=authority.organisation).exclude(summary__startswith="[demo]")
        assert generated.count() == expected["contacts"]
        assert Case.objects.filter(contact__in=generated).count() == expected["cases"]
        assert Concern.objects.filter(organisation__in=schools).count() == expected["concerns"]
        assert Allegation.objects.filter(organisation__in=schools).count() == expected["allegations"]


def test_the_generated_deadlines_are_those_the_services_would_write(records):
    generate(authorities=1, scale=0.002, seed=7)
    stored = _deadlines()

    call_command("deadlines_sync", stdout=StringIO())

    assert _deadlines() == stored
