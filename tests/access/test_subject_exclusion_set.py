"""Rule 2 as one set of people, compiled once a request and decided by the database at every read (ADR 0032),
read once for a page that only reads (ADR 0033)."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from threshold.access import fetch, policies
from threshold.access.scope import scope_for, scopes_remembered, writes_reach
from threshold.accounts.models import Organisation, User
from threshold.demo import world
from threshold.lado.models import Contact
from threshold.people.models import Person
from threshold.people.subjects import could_be_user, hidden_from, subject_clear, users_not_about

pytestmark = pytest.mark.django_db


@pytest.fixture
def northshire(demo_world: None) -> Organisation:
    return Organisation.objects.get(name=world.NORTHSHIRE)


def _contact_about(northshire: Organisation, name: str, email: str = "") -> Contact:
    subject = Person.objects.create(organisation=northshire, full_name=name, email=email)
    return Contact.objects.create(
        local_authority=northshire, subject=subject, adult_name=name, summary="A contact about a colleague."
    )


def _sees(user: User, contact: Contact) -> bool:
    return fetch.visible_contacts(user).filter(pk=contact.pk).exists()


# Each holds whether the request only reads (a GET keeps rule 2's people for the request, ADR 0033) or not.
READS = pytest.mark.parametrize("reads_only", [False, True], ids=["a form", "a page"])


def test_a_contact_naming_lara_is_hidden_from_her_and_shown_to_mo(persona, northshire) -> None:
    contact = _contact_about(northshire, "Lara Lado")
    assert not _sees(persona("lara"), contact)
    assert _sees(persona("mo"), contact)


def test_a_contact_with_lara_s_address_in_another_case_is_hidden_whatever_the_name(persona, northshire) -> None:
    lara = persona("lara")
    contact = _contact_about(northshire, "Someone Else", email=lara.email.upper())
    assert not _sees(lara, contact)


def test_a_person_given_lara_s_address_without_a_save_is_still_hidden_from_her(persona, northshire) -> None:
    # An update, a bulk create or an import writes no match keys: the address itself is what rule 2 compares.
    lara = persona("lara")
    contact = _contact_about(northshire, "Someone Else")
    Person.objects.filter(pk=contact.subject_id).update(email=lara.email.title())
    [bulk] = Person.objects.bulk_create([Person(organisation=northshire, full_name="Other Name", email=lara.email)])
    imported = Contact.objects.create(
        local_authority=northshire, subject=bulk, adult_name="Other Name", summary="Brought in from a spreadsheet."
    )
    assert not _sees(lara, contact)
    assert not _sees(lara, imported)
    assert _sees(persona("mo"), contact)
    assert _sees(persona("mo"), imported)


def test_a_person_carrying_another_of_lara_s_addresses_is_hidden_and_cannot_be_cleared(persona, northshire) -> None:
    lara, mo = persona("lara"), persona("mo")
    EmailAddress.objects.create(user=lara, email="lara.home@example.net", verified=True, primary=False)
    [bulk] = Person.objects.bulk_create(
        [Person(organisation=northshire, full_name="Quite Different", email="LARA.HOME@example.net")]
    )
    contact = Contact.objects.create(
        local_authority=northshire, subject=bulk, adult_name="Quite Different", summary="Brought in from a sheet."
    )
    assert not _sees(lara, contact)
    with pytest.raises(ValidationError):
        subject_clear(actor=mo, person=bulk, user=lara, reason="Not her, surely.", organisation=None)
    assert not _sees(lara, contact)


@READS
def test_an_address_added_to_lara_s_account_mid_request_hides_a_record_carrying_it_at_once(
    persona, northshire, reads_only: bool
) -> None:
    lara = persona("lara")
    contact = _contact_about(northshire, "Quite Different", email="lara.new@example.net")
    with scopes_remembered(reads_only=reads_only):
        assert _sees(lara, contact)
        EmailAddress.objects.create(user=lara, email="lara.new@example.net", verified=True, primary=False)
        assert not _sees(lara, contact)


def test_a_contact_linked_to_lara_s_account_is_hidden_whatever_the_name(persona, northshire) -> None:
    lara = persona("lara")
    contact = _contact_about(northshire, "Quite Different")
    Person.objects.filter(pk=contact.subject_id).update(user=lara)
    assert not _sees(lara, contact)


@READS
def test_mo_s_clearance_shows_lara_the_record_at_her_next_read_in_the_same_request(
    persona, northshire, reads_only: bool
) -> None:
    lara, mo = persona("lara"), persona("mo")
    contact = _contact_about(northshire, "Lara Lado")
    with scopes_remembered(reads_only=reads_only):
        assert not _sees(lara, contact)
        subject_clear(
            actor=mo, person=contact.subject, user=lara, reason="A parent of the same name.", organisation=None
        )
        assert _sees(lara, contact)


@READS
def test_a_record_created_mid_request_about_lara_is_hidden_from_her_at_once(
    persona, northshire, reads_only: bool
) -> None:
    lara = persona("lara")
    someone = _contact_about(northshire, "Priya Someone")
    with scopes_remembered(reads_only=reads_only):
        assert _sees(lara, someone)  # the rule is compiled for this request here
        contact = _contact_about(northshire, "Lara Lado")
        assert not _sees(lara, contact)


@READS
def test_when_lara_is_renamed_a_record_in_her_new_name_is_hidden_from_her(
    persona, northshire, reads_only: bool
) -> None:
    lara = persona("lara")
    contact = _contact_about(northshire, "Lara Okonkwo-Smith")
    with scopes_remembered(reads_only=reads_only):
        assert _sees(lara, contact)
        lara.full_name = "Lara Okonkwo-Smith"
        lara.save(update_fields=["full_name", "former_names"])
        assert not _sees(lara, contact)


@READS
def test_a_person_given_lara_s_address_by_an_update_mid_request_is_hidden_from_her_at_once(
    persona, northshire, reads_only: bool
) -> None:
    # An update sends no signal: what a page read once is ended by the statement itself (scope.reach_tables).
    lara = persona("lara")
    contact = _contact_about(northshire, "Someone Else")
    with scopes_remembered(reads_only=reads_only):
        assert _sees(lara, contact)
        Person.objects.filter(pk=contact.subject_id).update(email=lara.email)
        assert not _sees(lara, contact)


@pytest.fixture
def compiled(monkeypatch) -> list[tuple[object, ...]]:
    """Each time rule 2's set is built to be compiled (the real rule, counted; nothing kept from earlier tests)."""
    made: list[tuple[object, ...]] = []
    real = policies.people_about_user

    def counted(*arguments):
        made.append(arguments)
        return real(*arguments)

    monkeypatch.setattr(policies, "people_about_user", counted)
    policies._compiled_about.cache_clear()
    return made


def test_within_a_request_the_rule_is_compiled_once_for_every_list_lara_sees(persona, compiled) -> None:
    lara = persona("lara")
    with scopes_remembered():
        for _ in range(3):
            str(fetch.visible_contacts(lara).query)
            str(fetch.visible_cases(lara).query)
            str(fetch.visible_deadlines(lara).query)
    assert len(compiled) == 1


def test_the_rule_s_text_is_kept_for_the_next_request_and_made_again_for_a_new_name(persona, compiled) -> None:
    lara = persona("lara")
    for _ in range(3):  # three requests
        with scopes_remembered():
            str(fetch.visible_contacts(lara).query)
    assert len(compiled) == 1
    lara.full_name = "Lara Okonkwo-Smith"
    lara.save(update_fields=["full_name", "former_names"])
    with scopes_remembered():
        str(fetch.visible_contacts(lara).query)
    assert len(compiled) == 2
    assert compiled[-1][2] != compiled[0][2]  # the new name's keys


def test_lara_s_deadlines_condition_leaves_out_the_employer_records_she_cannot_reach(persona) -> None:
    sql = str(fetch.visible_deadlines(persona("lara")).query)
    assert "lado_contact" in sql
    assert "concerns_concern" not in sql
    assert "allegations_allegation" not in sql


def test_hana_s_deadlines_condition_leaves_out_the_lado_records_she_cannot_reach(persona) -> None:
    sql = str(fetch.visible_deadlines(persona("hana")).query)
    assert "concerns_concern" in sql
    assert "lado_contact" not in sql
    assert "lado_case" not in sql


def test_a_rule_nobody_reaches_is_nothing_and_a_reach_keeps_only_its_live_branches(persona) -> None:
    hana_scope = scope_for(persona("hana"))
    assert policies.contact_condition(hana_scope, "view") == policies.NOTHING
    assert policies.pruned(policies.NOTHING | policies.NOTHING) == policies.NOTHING
    live = policies.pruned(policies.NOTHING | policies.Q(organisation_id__in=[1]))
    assert live == policies.Q(organisation_id__in=[1])


def test_the_lados_a_record_is_hidden_from_are_found_with_one_read_of_their_addresses(persona, northshire) -> None:
    contact = _contact_about(northshire, "Lara Lado")
    with CaptureQueriesContext(connection) as queries:
        hidden = hidden_from(contact.subject, [northshire])
    assert [user.email for user, _why in hidden] == [persona("lara").email]
    assert sum('FROM "account_emailaddress"' in query["sql"] for query in queries.captured_queries) == 1


def _asks_for_people(sql: str) -> bool:
    return "people_personkey" in sql


def test_a_page_lara_opens_reads_the_people_about_her_once_and_every_list_uses_them(persona, signed_in) -> None:
    lara = signed_in("lara")
    lara.get(reverse("accessibility"))
    with CaptureQueriesContext(connection) as queries:
        assert lara.get(reverse("my_work")).status_code == 200
    asked = [query["sql"] for query in queries.captured_queries if _asks_for_people(query["sql"])]
    assert len(asked) == 1
    # The set itself, on its own (PostgreSQL writes the union in brackets); no list carries it.
    assert asked[0].lstrip("( ").startswith('SELECT "people_person"."id"')
    assert "timescales_deadline" not in asked[0]


def test_the_people_kept_for_a_page_are_still_hidden_from_lara(persona, northshire) -> None:
    lara = persona("lara")
    hidden, shown = _contact_about(northshire, "Lara Lado"), _contact_about(northshire, "Priya Someone")
    with scopes_remembered(reads_only=True):
        assert not _sees(lara, hidden)
        assert _sees(lara, shown)
        assert not _asks_for_people(str(fetch.visible_contacts(lara).query))


def test_a_form_lara_sends_decides_rule_2_in_the_database_at_every_query(persona) -> None:
    with scopes_remembered(reads_only=False):
        assert _asks_for_people(str(fetch.visible_contacts(persona("lara")).query))


def test_a_set_of_people_too_large_to_send_as_values_stays_a_subquery(persona, northshire, monkeypatch) -> None:
    monkeypatch.setattr(policies, "MAX_SNAPSHOT_PEOPLE", 0)
    lara = persona("lara")
    contact = _contact_about(northshire, "Lara Lado")
    with scopes_remembered(reads_only=True):
        assert _asks_for_people(str(fetch.visible_contacts(lara).query))
        assert not _sees(lara, contact)


PAGES = {
    "lara": ["home", "my_work", "lado_inbox", "case_list", "lado_search"],
    "mo": ["home", "case_list_all"],
    "hana": ["home", "my_work", "concern_list", "allegation_list"],
}


@pytest.mark.parametrize("who", sorted(PAGES))
def test_the_pages_people_open_write_nothing_reach_is_worked_out_from(persona, signed_in, who: str) -> None:
    # Such a write ends the page's one read of rule 2's people (safe, but each query would work them out again).
    client = signed_in(who)
    client.get(reverse("accessibility"))
    with CaptureQueriesContext(connection) as queries:
        for page in PAGES[who]:
            assert client.get(reverse(page)).status_code == 200
    written = [query["sql"] for query in queries.captured_queries if writes_reach(query["sql"])]
    assert written == []


def test_the_check_of_writes_knows_a_write_to_the_people_from_a_read_of_them() -> None:
    assert writes_reach('UPDATE "people_person" SET "email" = %s WHERE "people_person"."id" = %s')
    assert writes_reach('INSERT INTO "people_personkey" ("person_id", "key") VALUES (%s, %s)')
    assert writes_reach('INSERT OR IGNORE INTO "accounts_membership" ("user_id") VALUES (%s)')
    assert writes_reach('WITH gone AS (SELECT 1) DELETE FROM "people_subjectclearance" WHERE "id" = %s')
    assert writes_reach('/* relink */ UPDATE "public"."people_person" SET "user_id" = %s')
    assert writes_reach("update people_person set email = %s")
    assert not writes_reach('SELECT "people_person"."id" FROM "people_person"')
    assert not writes_reach('INSERT INTO "audit_auditevent" ("actor_id") VALUES (%s)')
    assert not writes_reach('SAVEPOINT "s1"')
    assert not writes_reach('(SELECT "people_person"."id" FROM "people_person") UNION (SELECT 1)')


def _cleared_for_lara_then_given_her_new_address(northshire: Organisation, lara: User, mo: User) -> Person:
    person = Person.objects.create(organisation=northshire, full_name="Lara Lado", email="lara.home@example.net")
    subject_clear(actor=mo, person=person, user=lara, reason="Another Lara Lado.", organisation=None)
    EmailAddress.objects.create(user=lara, email="lara.home@example.net", verified=False, primary=False)
    return person


# Each way a person can be, or could be, Lara, or not be: the forms, the handlers' list and the choice of who is
# told or offered a record (``people.subjects``) must answer as the access rules do (``people_about_user``).
PEOPLE = {
    "her name": lambda northshire, lara, mo: Person.objects.create(organisation=northshire, full_name="Lara Lado"),
    "her name, cleared": lambda northshire, lara, mo: _cleared(northshire, lara, mo, Person.objects.create(
        organisation=northshire, full_name="Lara Lado")),
    "a former address of hers": lambda northshire, lara, mo: _given_former_address(northshire, lara),
    "an address added to her account after a clearance": _cleared_for_lara_then_given_her_new_address,
    "her address in capitals": lambda northshire, lara, mo: Person.objects.create(
        organisation=northshire, full_name="Someone Else", email=lara.email.upper()),
    "linked to her account": lambda northshire, lara, mo: Person.objects.create(
        organisation=northshire, full_name="Someone Else", user=lara),
    "somebody else": lambda northshire, lara, mo: Person.objects.create(organisation=northshire, full_name="Ola Other"),
}  # fmt: skip


def _cleared(northshire: Organisation, lara: User, mo: User, person: Person) -> Person:
    subject_clear(actor=mo, person=person, user=lara, reason="Another Lara Lado.", organisation=None)
    return person


def _given_former_address(northshire: Organisation, lara: User) -> Person:
    User.objects.filter(pk=lara.pk).update(former_emails=["lara.old@example.net"])
    return Person.objects.create(organisation=northshire, full_name="Quite Different", email="lara.old@example.net")


@pytest.mark.parametrize("made", PEOPLE.values(), ids=PEOPLE.keys())
def test_who_is_told_or_offered_a_record_is_decided_as_the_access_rules_decide_who_sees_it(
    persona, northshire, made
) -> None:
    lara, mo = persona("lara"), persona("mo")
    person = made(northshire, lara, mo)
    contact = Contact.objects.create(local_authority=northshire, subject=person, summary="A contact.")
    lara = User.objects.get(pk=lara.pk)  # her addresses and former addresses as stored now
    hidden = not _sees(lara, contact)
    assert could_be_user(person, lara) is hidden
    assert (lara not in users_not_about(person, [lara, mo])) is hidden
    assert mo in users_not_about(person, [lara, mo])
    assert (lara in [user for user, _why in hidden_from(person, [northshire])]) is hidden


def test_an_address_equal_to_hers_in_any_databases_capitals_is_hers_and_cannot_be_cleared(persona, northshire) -> None:
    # PostgreSQL's upper('ı') is 'I', Python's casefold keeps 'ı': who is told, offered or cleared never trusts
    # the looser of the two comparisons (the access rule, in the database, may use either).
    lara, mo = persona("lara"), persona("mo")
    dotless = lara.email.replace("i", "ı")
    assert dotless != lara.email
    person = Person.objects.create(organisation=northshire, full_name="Someone Else", email=dotless)
    assert could_be_user(person, lara)
    assert users_not_about(person, [lara, mo]) == [mo]
    with pytest.raises(ValidationError):
        subject_clear(actor=mo, person=person, user=lara, reason="Not her.", organisation=None)


def test_the_people_who_may_be_offered_a_record_are_found_in_the_same_queries_however_many(persona, northshire) -> None:
    from threshold.people.subjects import exclude_possible_subjects

    person = Person.objects.create(organisation=northshire, full_name="Lara Lado")
    few = User.objects.filter(pk__in=[persona("lara").pk, persona("mo").pk])
    many = User.objects.filter(is_active=True)
    with CaptureQueriesContext(connection) as for_few:
        offered_few = list(exclude_possible_subjects(person, few))
    with CaptureQueriesContext(connection) as for_many:
        offered_many = list(exclude_possible_subjects(person, many))
    assert persona("lara") not in offered_few + offered_many
    assert persona("mo") in offered_few
    assert many.count() > 10
    assert len(for_many.captured_queries) == len(for_few.captured_queries)
