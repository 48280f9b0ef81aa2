"""A concern about a trust school's head reaches the director, the chair of governors and the trust DSLs (13.3).

"Where a low level concern is about the Headteacher then they should be reported to the director of schools,
chair of governors and the Trust DSLs." Tom shares a concern about Hana, Oakfield's headteacher; Oakfield's
chair of governors (Gil, made here: the demo world's only chair, Gina, is at Little Acorns) is told and
reads it beside Priya, and handles nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from threshold.access import fetch
from threshold.accounts.middleware import MFA_VERIFIED_KEY
from threshold.accounts.models import Membership, Organisation, User
from threshold.accounts.roles import Role
from threshold.concerns import recipients, services
from threshold.demo import world
from threshold.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def gil(oakfield: Organisation) -> User:
    """Oakfield's chair of governors."""
    user = User.objects.create_user(email="gil.governor@oakfield.example", password="x", full_name="Gil Governor")
    Membership.objects.create(user=user, organisation=oakfield, role=Role.GOVERNANCE)
    return user


def _signed_in(user: User) -> Client:
    """A client signed in as ``user``, past MFA, as the ``signed_in`` fixture does for personas."""
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = client.session
    session[MFA_VERIFIED_KEY] = str(user.pk)
    session.save()
    return client


@pytest.fixture
def trust_dsl() -> User:
    """A DSL of the Riverside trust itself."""
    user = User.objects.create_user(email="tess.dsl@riverside.example", password="x", full_name="Tess Trustdsl")
    Membership.objects.create(user=user, organisation=Organisation.objects.get(name=world.RIVERSIDE), role=Role.DSL)
    return user


def test_a_concern_about_the_head_is_reported_to_the_director_the_chair_of_governors_and_the_trust_dsls(
    share, persona, gil, trust_dsl
) -> None:
    concern = share(persona("tom"), subject_user=persona("hana"))
    assert concern.routed_to_trust
    told_of_it = set(recipients.routed_recipients(concern))
    assert told_of_it == {persona("priya"), trust_dsl, gil}
    told = set(Notification.objects.filter(key=f"concern:routed:{concern.pk}").values_list("recipient", flat=True))
    assert told == {persona("priya").pk, trust_dsl.pk, gil.pk}
    # Nobody is told about a record about themselves, and the notification names nobody.
    assert persona("hana").pk not in told
    text = Notification.objects.filter(recipient=gil).get().text
    assert "Hana" not in text
    assert concern.reference in text


def test_the_chair_of_governors_reads_the_concern_about_the_head_and_changes_nothing(share, persona, gil) -> None:
    concern = share(persona("tom"), subject_user=persona("hana"))
    assert fetch.visible_concerns(gil, "view").filter(pk=concern.pk).exists()
    assert not fetch.visible_concerns(gil, "change").filter(pk=concern.pk).exists()
    assert fetch.visible_people(gil, "view").filter(pk=concern.subject_id).exists()
    assert not fetch.visible_people(gil, "change").filter(pk=concern.subject_id).exists()
    assert not fetch.visible_allegations(gil, "view").exists()
    client = _signed_in(gil)
    assert client.get(reverse("concern_detail", args=[concern.pk])).status_code == 200
    assert client.get(reverse("concern_triage", args=[concern.pk])).status_code == 404
    assert "Concerns" in client.get(reverse("home")).content.decode()


def test_the_chair_of_governors_sees_none_of_the_schools_other_concerns(share, persona, gil) -> None:
    """Need to know: the school's own concerns are its head's and DSL's business."""
    other = share(persona("tom"))
    assert not other.routed_to_trust
    assert not fetch.visible_concerns(gil, "view").filter(pk=other.pk).exists()
    assert not fetch.visible_people(gil, "view").filter(pk=other.subject_id).exists()


def test_the_chair_of_governors_never_sees_a_concern_about_themselves(share, persona, gil) -> None:
    concern = share(persona("tom"), subject_user=gil, headteacher_conflict=True)
    assert concern.routed_to_trust
    assert not fetch.visible_concerns(gil, "view").filter(pk=concern.pk).exists()
    assert gil not in recipients.routed_recipients(concern)


def test_an_anonymous_concern_about_the_head_is_told_to_the_trust_and_chair_by_the_next_night_s_batch(
    share, persona, gil, trust_dsl
) -> None:
    """ADR 0012: a notification's time would pin an anonymous report, so nobody is told while it is shared; the
    nightly anonymous-intake job tells them all, with the day's other anonymous concerns."""
    concern = share(persona("tom"), subject_user=persona("hana"), anonymous=True)
    assert not Notification.objects.filter(key=f"concern:routed:{concern.pk}").exists()
    assert fetch.visible_concerns(gil, "view").filter(pk=concern.pk).exists()
    about_chris = share(persona("tom"), subject_name="Chris Coach", anonymous=True)

    with time_machine.travel(timezone.now() + dt.timedelta(days=1, hours=1), tick=False):
        assert services.anonymous_intake() == 2
        assert services.anonymous_intake() == 0
    told = Notification.objects.filter(key=f"concern:routed:{concern.pk}")
    assert {notification.recipient for notification in told} == {persona("priya"), trust_dsl, gil}
    assert all(notification.created_at.date() > concern.created_at.date() for notification in told)
    assert all("Hana" not in notification.text and concern.reference in notification.text for notification in told)
    # A concern the school handles itself tells nobody beyond it.
    assert not Notification.objects.filter(key=f"concern:routed:{about_chris.pk}").exists()


def test_the_batch_tells_a_trust_dsl_who_shared_the_anonymous_concern_too(share, persona, trust_dsl) -> None:
    """Leaving the sharer out of those told would name them."""
    concern = share(trust_dsl, subject_user=persona("hana"), anonymous=True)
    services.anonymous_intake(before=timezone.now() + dt.timedelta(days=1))
    told = set(Notification.objects.filter(key=f"concern:routed:{concern.pk}").values_list("recipient", flat=True))
    assert trust_dsl.pk in told


def test_a_concern_re_routed_for_a_conflict_of_interest_tells_the_trust_and_the_chair(share, persona, gil) -> None:
    concern = share(persona("tom"))
    services.concern_reroute(
        actor=persona("dev"), concern=concern, expected_version=concern.version, reason="Dev is Chris's partner."
    )
    told = set(Notification.objects.filter(key=f"concern:routed:{concern.pk}").values_list("recipient", flat=True))
    assert {persona("priya").pk, gil.pk} <= told
