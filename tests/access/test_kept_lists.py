"""Each ``visible_*`` list is built once for everything it is built from and copied for each caller (ADR 0039)."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import fields, replace

import pytest

from threshold.access import fetch, policies
from threshold.access.scope import Scope, scope_for, scopes_remembered
from threshold.accounts.models import Membership, Organisation
from threshold.accounts.roles import Role
from threshold.demo import world
from threshold.lado.models import Case, Contact
from threshold.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def northshire(demo_world: None) -> Organisation:
    return Organisation.objects.get(name=world.NORTHSHIRE)


@pytest.fixture
def built(monkeypatch) -> list[str]:
    """Each time a contact condition is built (the real rule, counted; nothing kept from earlier tests)."""
    made: list[str] = []
    real = policies.contact_condition

    def counted(scope, action):
        made.append(action)
        return real(scope, action)

    monkeypatch.setattr(policies, "contact_condition", counted)
    monkeypatch.setattr(fetch, "_kept_lists", OrderedDict())
    return made


def test_lara_s_contacts_are_built_once_for_page_after_page(persona, built) -> None:
    lara = persona("lara")
    for _ in range(3):  # three requests
        with scopes_remembered(reads_only=True):
            list(fetch.visible_contacts(lara))
    assert built == ["view"]


def test_each_caller_gets_its_own_copy_and_chaining_on_it_leaves_the_kept_list_alone(records, persona, built) -> None:
    lara = persona("lara")
    every = fetch.visible_contacts(lara).count()
    assert every > 1
    narrowed = fetch.visible_contacts(lara).filter(pk=fetch.visible_contacts(lara).first().pk)  # type: ignore[union-attr]
    assert narrowed.count() == 1
    assert fetch.visible_contacts(lara).count() == every
    assert fetch.visible_contacts(lara) is not fetch.visible_contacts(lara)
    assert built == ["view"]


def test_another_action_is_another_list(persona, built) -> None:
    lara = persona("lara")
    fetch.visible_contacts(lara)
    fetch.visible_contacts(lara, "view")
    fetch.visible_contacts(lara, "change")
    fetch.visible_contacts(lara, action="change")
    assert built == ["view", "change"]  # the action left to its default, given, or named: one list each


def test_lara_losing_her_membership_loses_her_contacts_at_once(records, persona, northshire, built) -> None:
    lara = persona("lara")
    assert fetch.visible_contacts(lara).exists()
    Membership.objects.filter(user=lara, organisation=northshire).update(is_active=False)
    assert not fetch.visible_contacts(lara).exists()
    Membership.objects.filter(user=lara, organisation=northshire).update(is_active=True)
    assert fetch.visible_contacts(lara).exists()
    assert built == ["view", "view"]  # her old reach's list is kept, and found again


def test_a_contact_renamed_to_look_like_lara_is_hidden_from_her_on_the_next_page(persona, northshire, built) -> None:
    lara = persona("lara")
    subject = Person.objects.create(organisation=northshire, full_name="Someone Else")
    contact = Contact.objects.create(
        local_authority=northshire, subject=subject, adult_name="Someone Else", summary="A contact."
    )
    with scopes_remembered(reads_only=True):
        assert fetch.visible_contacts(lara).filter(pk=contact.pk).exists()
    subject.full_name = "Lara Lado"
    subject.save()
    with scopes_remembered(reads_only=True):  # the next page: rule 2's people read again, another key
        assert not fetch.visible_contacts(lara).filter(pk=contact.pk).exists()
    with scopes_remembered(reads_only=False):  # a form: the subquery, decided by the database at the read
        assert not fetch.visible_contacts(lara).filter(pk=contact.pk).exists()


def test_two_people_with_the_same_reach_never_share_a_list_that_names_the_reader(persona) -> None:
    # Lara and Mo both reach Northshire's contacts; rule 2 and the reader's own id keep their lists apart.
    lara, mo = persona("lara"), persona("mo")
    assert scope_for(lara).lado_read == scope_for(mo).lado_read
    assert scope_for(lara).fingerprint() != scope_for(mo).fingerprint()
    assert str(fetch.visible_notifications(lara).query) != str(fetch.visible_notifications(mo).query)


def test_every_field_of_a_scope_but_the_account_and_rule_2_s_caches_is_in_its_fingerprint(persona) -> None:
    base = Scope(user=persona("lara"))
    for each in fields(Scope):
        if each.name in ("user", "about_user_sql", "about_user_ids"):
            continue
        value = getattr(base, each.name)
        changed: Scope = replace(base, **{each.name: {987654} if isinstance(value, set) else not value})  # type: ignore[arg-type]
        assert changed.fingerprint() != base.fingerprint(), each.name


def test_someone_not_signed_in_gets_a_list_built_afresh_and_nothing_kept(built) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not fetch.visible_contacts(AnonymousUser()).exists()  # type: ignore[arg-type]
    assert fetch._kept_lists == {}


def test_a_role_given_in_the_same_request_counts_at_once(records, persona, northshire, built) -> None:
    hana = persona("hana")  # a school's case manager: no LADO contacts
    with scopes_remembered(reads_only=True):
        assert not fetch.visible_contacts(hana).exists()
        Membership.objects.create(user=hana, organisation=northshire, role=Role.LADO)
        assert fetch.visible_contacts(hana).exists()


def test_a_copy_combined_with_a_case_s_meetings_leaves_nothing_of_that_case_in_the_kept_list(records, persona) -> None:
    lara = persona("lara")
    case = Case.objects.get(pk=records["case_chris"])
    combined = fetch.visible_meetings(lara) & case.meetings.all().distinct()
    assert combined._known_related_objects  # type: ignore[attr-defined]  # Django pins the case on its meetings
    assert fetch.visible_meetings(lara)._known_related_objects == {}  # type: ignore[attr-defined]


def test_the_least_recently_used_list_is_dropped_first(persona, built, monkeypatch) -> None:
    monkeypatch.setattr(fetch, "KEPT_LISTS", 2)
    lara = persona("lara")
    fetch.visible_contacts(lara)
    fetch.visible_contacts(lara, "change")
    fetch.visible_contacts(lara)  # used again: now the newer of the two
    fetch.visible_contacts(lara, "decide")  # a third: "change" goes
    fetch.visible_contacts(lara)
    fetch.visible_contacts(lara, "change")
    assert built == ["view", "change", "decide", "change"]


def test_a_list_that_compares_with_today_is_kept_for_its_day_and_built_again_the_next(persona, monkeypatch) -> None:
    import datetime as dt

    import time_machine

    monkeypatch.setattr(fetch, "_kept_lists", OrderedDict())
    lara = persona("lara")
    with time_machine.travel(dt.datetime(2026, 12, 24, 12, tzinfo=dt.UTC), tick=False):
        fetch.visible_deadlines(lara)
        fetch.visible_deadlines(lara)  # the same day: the same list
    with time_machine.travel(dt.datetime(2026, 12, 29, 9, tzinfo=dt.UTC), tick=False):
        fetch.visible_deadlines(lara)
    days = [key[-1] for key in fetch._kept_lists if key[0] == "threshold.access.fetch.visible_deadlines"]
    assert days == [dt.date(2026, 12, 24), dt.date(2026, 12, 29)]
    # A list that reads no date is kept whatever the day.
    assert {key[-1] for key in fetch._kept_lists if key[0] != "threshold.access.fetch.visible_deadlines"} <= {None}


def test_a_list_kept_without_a_day_may_not_read_today_nor_be_built_on_one_that_does(persona, monkeypatch) -> None:
    monkeypatch.setattr(fetch, "_kept_lists", OrderedDict())

    @fetch.kept
    def reads_today(user):
        fetch.today()
        return fetch.visible_cases(user)

    @fetch.kept
    def built_on_deadlines(user):
        return fetch.visible_deadlines(user)

    with pytest.raises(RuntimeError, match="kept_for_the_day"):
        reads_today(persona("lara"))
    with pytest.raises(RuntimeError, match="kept_for_the_day"):
        built_on_deadlines(persona("lara"))
