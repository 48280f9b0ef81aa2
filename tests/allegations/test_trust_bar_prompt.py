"""Appendix 4: "If a supply worker is under investigation and/or suspended from any Academy, the Trust will not
accept the individual in any Trust Academies until there is an outcome of an investigation."

The bar across the trust was a box on the allegation's details that nothing asked anyone to tick. Now an open
allegation about a supply worker at one of the trust's academies says, until the bar is recorded, that the adult
is not yet barred; and the summary shows the bar that stands after the outcome.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.allegations.conftest import concluded_unfounded, engaged_through_agency
from threshold.accounts.models import Organisation
from threshold.allegations.models import Allegation

pytestmark = pytest.mark.django_db

NOT_BARRED = "is not yet barred from them"


def _page(signed_in, allegation: Allegation, who: str = "hana") -> str:
    return signed_in(who).get(reverse("allegation_detail", args=[allegation.pk])).content.decode()


def test_an_open_allegation_about_a_supply_worker_asks_for_the_bar_until_it_is_recorded(
    persona, signed_in, chris_allegation
) -> None:
    assert NOT_BARRED not in _page(signed_in, chris_allegation)  # an employee: no bar across the trust

    allegation = engaged_through_agency(persona, chris_allegation)
    page = _page(signed_in, allegation)
    warning = page[page.index('id="trust-bar"') :]
    assert f"{allegation.subject.full_name} {NOT_BARRED}" in warning
    assert f'href="{reverse("allegation_edit", args=[allegation.pk])}">Bar them from the Trust' in warning

    allegation = engaged_through_agency(persona, allegation, barred_from_trust=True)
    assert 'id="trust-bar"' not in _page(signed_in, allegation)


def test_no_warning_once_there_is_an_outcome(persona, signed_in, chris_allegation) -> None:
    allegation = engaged_through_agency(persona, chris_allegation)
    concluded_unfounded(persona, allegation, dt.date(2027, 1, 8))
    assert 'id="trust-bar"' not in _page(signed_in, allegation)


def test_no_warning_at_a_setting_outside_a_trust(persona, signed_in, chris_allegation) -> None:
    # Oakfield as a maintained school: a bar across a trust's academies means nothing there.
    Organisation.objects.filter(pk=chris_allegation.organisation_id).update(trust=None)
    allegation = engaged_through_agency(persona, Allegation.objects.get(pk=chris_allegation.pk))
    assert 'id="trust-bar"' not in _page(signed_in, allegation)
