"""A fresh deployment: the first system administrator, then organisations and the policy pack each works under."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from threshold.accounts.models import Organisation, User
from threshold.accounts.organisation_services import organisation_fingerprint
from threshold.accounts.roles import OrganisationKind
from threshold.audit.models import AuditEvent
from threshold.core.vocabularies import SchoolPhase
from threshold.demo.world import NORTHSHIRE, RIVERSIDE

pytestmark = pytest.mark.django_db


def add(client: Client, **overrides):
    data = {
        "name": "Brookside Primary School",
        "kind": OrganisationKind.SCHOOL,
        "trust": Organisation.objects.get(name=RIVERSIDE).pk,
        "local_authority": Organisation.objects.get(name=NORTHSHIRE).pk,
        "policy_pack": "kcsie",
    }
    data.update(overrides)
    return client.post(reverse("organisation_add"), data)


def edit_data(organisation: Organisation, **overrides):
    data = {
        "name": organisation.name,
        "kind": organisation.kind,
        "trust": organisation.trust_id or "",
        "local_authority": organisation.local_authority_id or "",
        "phase": organisation.phase,
        "policy_pack": organisation.policy_pack,
        "is_active": "on" if organisation.is_active else "",
        "fingerprint": organisation_fingerprint(organisation),
    }
    data.update(overrides)
    return data


def test_create_system_admin_makes_an_administrator_who_chooses_a_password_then_sets_up_mfa(
    db, django_capture_on_commit_callbacks
) -> None:
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("create_system_admin", "ruth.root@threshold.example", name="Ruth Root", stdout=out)
    ruth = User.objects.get(email="ruth.root@threshold.example")
    assert ruth.is_system_admin
    assert not ruth.has_usable_password()
    assert AuditEvent.objects.filter(action="user.system_admin_created", record_id=str(ruth.pk)).exists()
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", out.getvalue())
    assert link, out.getvalue()
    assert link.group(0) in mail.outbox[0].body
    assert mail.outbox[0].to == [ruth.email]

    browser = Client()
    form_page = browser.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    chosen = browser.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": "quiet-orchard-bicycle", "password2": "quiet-orchard-bicycle"},
    )
    assert chosen.status_code == 302
    # The link works once.
    again = Client()
    reused = again.get(link.group(1), follow=True)
    again.post(
        reused.redirect_chain[-1][0] if reused.redirect_chain else link.group(1),
        {"password1": "second-try-password", "password2": "second-try-password"},
    )
    ruth.refresh_from_db()
    assert ruth.check_password("quiet-orchard-bicycle")
    browser.post(reverse("account_login"), {"login": ruth.email, "password": "quiet-orchard-bicycle"})
    assert browser.get(reverse("organisation_list"))["Location"] == reverse("mfa_activate_totp")


def test_create_system_admin_refuses_an_address_that_already_has_an_account(demo_world) -> None:
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_system_admin", "Lara.Lado@northshire.example", name="Someone Else", stdout=StringIO())
    assert not User.objects.filter(full_name="Someone Else").exists()


def test_sid_adds_a_school_in_a_trust_and_an_area_choosing_its_pack(signed_in) -> None:
    sid = signed_in("sid")
    assert "Oakfield Primary School" in sid.get(reverse("organisation_list")).content.decode()
    response = add(sid, policy_pack="lead-academy-trust")
    assert response.status_code == 302
    school = Organisation.objects.get(name="Brookside Primary School")
    assert school.trust is not None
    assert school.local_authority is not None
    assert (school.kind, school.trust.name, school.local_authority.name, school.policy_pack) == (
        OrganisationKind.SCHOOL,
        RIVERSIDE,
        NORTHSHIRE,
        "lead-academy-trust",
    )
    assert AuditEvent.objects.filter(action="organisation.created", record_id=str(school.pk)).exists()


def test_a_pack_that_is_not_in_the_registry_is_refused_beside_the_field(signed_in) -> None:
    response = add(signed_in("sid"), policy_pack="made-up-pack")
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_policy_pack"' in page
    assert not Organisation.objects.filter(name="Brookside Primary School").exists()


def test_only_a_school_belongs_to_a_trust_and_only_a_local_authority_is_an_area(signed_in) -> None:
    sid = signed_in("sid")
    nursery = add(sid, name="Tiny Steps Nursery", kind=OrganisationKind.EARLY_YEARS)
    assert 'href="#id_trust"' in nursery.content.decode()
    not_an_area = add(sid, local_authority=Organisation.objects.get(name=RIVERSIDE).pk)
    assert 'href="#id_local_authority"' in not_an_area.content.decode()
    no_area = add(sid, local_authority="")
    assert 'href="#id_local_authority"' in no_area.content.decode()
    assert not Organisation.objects.filter(name__in=["Tiny Steps Nursery", "Brookside Primary School"]).exists()


def test_sid_renames_and_deactivates_an_organisation_and_a_stale_form_is_refused(signed_in) -> None:
    sid = signed_in("sid")
    oakfield = Organisation.objects.get(name="Oakfield Primary School")
    stale = edit_data(oakfield, name="Oakfield School")
    url = reverse("organisation_edit", args=[oakfield.pk])
    assert sid.post(url, edit_data(oakfield, name="Oakfield Primary", is_active="")).status_code == 302
    oakfield.refresh_from_db()
    assert (oakfield.name, oakfield.is_active) == ("Oakfield Primary", False)
    event = AuditEvent.objects.get(action="organisation.updated")
    assert set(event.changes) == {"name", "is_active"}

    conflict = sid.post(url, stale)
    assert conflict.status_code == 409
    oakfield.refresh_from_db()
    assert oakfield.name == "Oakfield Primary"


def test_olu_changes_riversides_pack_but_not_another_organisations(signed_in) -> None:
    olu = signed_in("olu")
    riverside = Organisation.objects.get(name=RIVERSIDE)
    url = reverse("organisation_pack", args=[riverside.pk])
    assert reverse("organisation_pack", args=[riverside.pk]) in olu.get(reverse("user_list")).content.decode()
    response = olu.post(url, {"policy_pack": "kcsie", "fingerprint": organisation_fingerprint(riverside)})
    assert response.status_code == 302
    riverside.refresh_from_db()
    assert riverside.policy_pack == "kcsie"
    event = AuditEvent.objects.get(action="organisation.policy_pack_changed")
    assert event.changes["policy_pack"] == ["lead-academy-trust", "kcsie"]

    unknown = olu.post(url, {"policy_pack": "made-up", "fingerprint": organisation_fingerprint(riverside)})
    assert 'href="#id_policy_pack"' in unknown.content.decode()
    northshire = Organisation.objects.get(name=NORTHSHIRE)
    assert olu.get(reverse("organisation_pack", args=[northshire.pk])).status_code == 404
    assert olu.get(reverse("organisation_edit", args=[riverside.pk])).status_code == 403


def test_a_trust_with_schools_and_people_cannot_become_another_kind(signed_in) -> None:
    riverside = Organisation.objects.get(name=RIVERSIDE)
    response = signed_in("sid").post(
        reverse("organisation_edit", args=[riverside.pk]), edit_data(riverside, kind=OrganisationKind.POLICE)
    )
    assert response.status_code == 200
    assert 'href="#id_kind"' in response.content.decode()
    riverside.refresh_from_db()
    assert riverside.kind == OrganisationKind.ACADEMY_TRUST


def test_sid_gives_schools_their_phase_and_the_list_shows_it(signed_in) -> None:
    sid = signed_in("sid")
    assert add(sid, phase=SchoolPhase.SECONDARY).status_code == 302
    brookside = Organisation.objects.get(name="Brookside Primary School")
    assert brookside.phase == SchoolPhase.SECONDARY
    created = AuditEvent.objects.get(action="organisation.created", record_id=str(brookside.pk))
    assert created.changes["phase"] == [None, "secondary"]

    oakfield = Organisation.objects.get(name="Oakfield Primary School")
    url = reverse("organisation_edit", args=[oakfield.pk])
    assert 'value="primary" selected' in sid.get(url).content.decode()
    assert sid.post(url, edit_data(oakfield, phase=SchoolPhase.SPECIAL)).status_code == 302
    oakfield.refresh_from_db()
    assert oakfield.phase == SchoolPhase.SPECIAL
    updated = AuditEvent.objects.get(action="organisation.updated", record_id=str(oakfield.pk))
    assert updated.changes == {"phase": ["primary", "special"]}
    listed = sid.get(reverse("organisation_list")).content.decode()
    assert "Phase: Special school" in listed
    assert "Phase: Secondary" in listed


def test_only_a_school_has_a_phase_and_a_phase_not_on_the_list_is_refused(signed_in) -> None:
    sid = signed_in("sid")
    nursery = add(sid, name="Tiny Steps Nursery", kind=OrganisationKind.EARLY_YEARS, trust="", phase="primary")
    assert nursery.status_code == 200
    page = nursery.content.decode()
    assert 'href="#id_phase"' in page
    assert "Only a school has a phase of education: leave it as not recorded" in page
    made_up = add(sid, phase="grammar").content.decode()
    assert "Choose a phase of education from the list" in made_up
    assert not Organisation.objects.filter(name__in=["Tiny Steps Nursery", "Brookside Primary School"]).exists()

    little_acorns = Organisation.objects.get(name="Little Acorns Nursery")
    url = reverse("organisation_edit", args=[little_acorns.pk])
    refused = sid.post(url, edit_data(little_acorns, phase=SchoolPhase.NURSERY))
    assert 'href="#id_phase"' in refused.content.decode()
    little_acorns.refresh_from_db()
    assert little_acorns.phase == ""
    assert sid.post(url, edit_data(little_acorns, phase=SchoolPhase.NOT_APPLICABLE)).status_code == 302
