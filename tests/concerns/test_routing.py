"""Who receives a concern: the chair of governors where there is no trust, and a typed name linked to its colleague."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from threshold.access import fetch
from threshold.accounts.models import Membership, Organisation, User
from threshold.accounts.roles import Role
from threshold.concerns import selectors
from threshold.concerns.models import Concern, Routing
from threshold.demo import world
from threshold.people.subjects import NOT_A_MEMBER, SubjectToConfirm
from threshold.policy import get_pack

pytestmark = pytest.mark.django_db


@pytest.fixture
def acorns(demo_world: None) -> Organisation:
    return Organisation.objects.get(name=world.LITTLE_ACORNS)


def test_every_pack_names_who_receives_a_concern_where_there_is_no_trust() -> None:
    for pack in ("kcsie", "lead-academy-trust", "bedford-luton-lado"):
        assert get_pack(pack).no_trust_recipient == Routing.GOVERNANCE


def test_a_concern_about_nina_reaches_gina_and_not_nina(share, persona, acorns) -> None:
    nina, gina = persona("nina"), persona("gina")
    # A member of Nina's staff shares it by typing her name.
    staff = User.objects.create_user(email="sol.staff@littleacorns.example", password="x", full_name="Sol Staff")
    Membership.objects.create(user=staff, organisation=acorns, role=Role.STAFF)
    # Asked whether "Mrs Nina Nursery" is Nina, the staff member is not sure: it is routed as if it were.
    concern = share(staff, organisation=acorns, subject_name="Mrs Nina Nursery", subject_confirmation=NOT_A_MEMBER)
    assert concern.subject.user is None
    assert concern.details.routing == Routing.GOVERNANCE
    assert fetch.visible_concerns(gina, "change").filter(pk=concern.pk).exists()
    assert list(selectors.awaiting_triage(gina)) == [concern]
    assert not fetch.visible_concerns(nina).filter(pk=concern.pk).exists()
    assert concern not in selectors.awaiting_triage(nina)


def test_gina_sees_only_her_own_setting(share, persona) -> None:
    concern = share(persona("tom"), headteacher_conflict=True)
    assert not fetch.visible_concerns(persona("gina")).filter(pk=concern.pk).exists()


def test_gina_triages_the_concern_about_nina_from_her_home_page(signed_in, persona, share, acorns) -> None:
    concern = share(persona("nina"), organisation=acorns, headteacher_conflict=True)
    gina = signed_in("gina")
    home = gina.get(reverse("home")).content.decode()
    assert reverse("concern_triage", args=[concern.pk]) in home
    assert gina.get(reverse("concern_triage", args=[concern.pk])).status_code == 200
    assert signed_in("nina").get(reverse("concern_triage", args=[concern.pk])).status_code == 404


@pytest.mark.parametrize("typed", ["Mrs Hana Head", "H. Head", "Mrs Head", "hana head", "Hanna Head"])
def test_a_typed_name_that_could_be_the_headteacher_is_routed_to_the_trust_whatever_tom_answers(
    share, persona, typed
) -> None:
    hana = persona("hana")
    for answer in (str(hana.pk), NOT_A_MEMBER):
        concern = share(persona("tom"), subject_name=typed, subject_confirmation=answer)
        assert concern.subject.user == (hana if answer == str(hana.pk) else None)
        assert concern.details.routing == Routing.TRUST
        assert not fetch.visible_concerns(hana).filter(pk=concern.pk).exists()
        assert fetch.visible_concerns(persona("priya")).filter(pk=concern.pk).exists()


def test_hanas_exact_name_is_linked_to_her_without_asking(share, persona) -> None:
    concern = share(persona("tom"), subject_name="hana head")
    assert concern.subject.user == persona("hana")
    assert concern.subject.full_name == "Hana Head"
    assert concern.details.routing == Routing.TRUST


def test_hana_never_sees_a_concern_typed_as_h_head(signed_in) -> None:
    form = {
        "anonymous": "no",
        "raised_on_day": str(timezone.localdate().day),
        "raised_on_month": str(timezone.localdate().month),
        "raised_on_year": str(timezone.localdate().year),
        "about": "other",
        "subject_name": "H. Head",
        "subject_role": "Headteacher",
        "how_arose": "suspicion",
        "details": "Shouted at a pupil in the corridor.",
        "declaration": "on",
    }
    tom = signed_in("tom")
    asked = tom.post(reverse("concern_share"), form).content.decode()
    assert "could be Hana Head, who uses Threshold" in asked
    assert not Concern.objects.exists()
    tom.post(reverse("concern_share"), {**form, "subject_confirmation": NOT_A_MEMBER})
    concern = Concern.objects.get()
    hana = signed_in("hana")
    assert hana.get(reverse("concern_detail", args=[concern.pk])).status_code == 404
    assert "Shouted at a pupil" not in hana.get(reverse("home")).content.decode()
    assert "H. Head" not in hana.post(reverse("concern_list"), {"q": "Head"}).content.decode()


def test_a_name_that_could_mean_two_colleagues_asks_which_one(share, persona, oakfield) -> None:
    users = []
    for full_name, email in (("Sam Smith", "sam.smith@oakfield.example"), ("Sue Smith", "sue.smith@oakfield.example")):
        user = User.objects.create_user(email=email, password="x", full_name=full_name)
        Membership.objects.create(user=user, organisation=oakfield, role=Role.STAFF)
        users.append(user)
    before = Concern.objects.count()
    with pytest.raises(SubjectToConfirm) as asked:
        share(persona("tom"), subject_name="Mr S. Smith")
    assert asked.value.candidates == users
    assert asked.value.message_dict["subject_confirmation"] == [
        "‘Mr S. Smith’ could be Sam Smith or Sue Smith, who use Threshold. Choose who the person is, "
        "or say that they are not someone who uses Threshold"
    ]
    assert Concern.objects.count() == before
    concern = share(persona("tom"), subject_name="Mr S. Smith", subject_confirmation=str(users[1].pk))
    assert concern.subject.user == users[1]


def test_a_name_of_nobody_with_an_account_is_kept_as_typed(share, persona) -> None:
    concern = share(persona("tom"), subject_name="Chris Coach")
    assert concern.subject.user is None
    assert concern.details.routing == Routing.SETTING


def test_gina_sees_only_what_was_routed_past_nina_not_the_nurserys_other_concerns(share, persona, acorns) -> None:
    gina = persona("gina")
    ordinary = share(persona("nina"), organisation=acorns, subject_name="Robin Room")
    routed = share(persona("nina"), organisation=acorns, subject_name="Sky Sleepover", headteacher_conflict=True)
    assert list(fetch.visible_concerns(gina)) == [routed]
    assert list(fetch.visible_people(gina)) == [routed.subject]
    assert fetch.visible_concerns(persona("nina")).filter(pk=ordinary.pk).exists()
