"""The chronology panel record pages include."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from threshold.allegations.models import Allegation
from threshold.chronology.panels import chronology_context
from threshold.chronology.services import chronology_correct, chronology_record_event

pytestmark = pytest.mark.django_db


def test_a_corrected_entry_stays_and_says_it_is_corrected_below(records, persona) -> None:
    allegation = Allegation.objects.get(pk=records["allegation_chris"])
    original = chronology_record_event(record=allegation, text="Referred on Monday.", actor=None)
    correction = chronology_correct(actor=persona("hana"), entry=original, text="Referred on Tuesday.")

    html = render_to_string(
        "chronology/_panel.html", chronology_context(record=allegation, record_type="allegation", can_add=True)
    )

    assert html.index("Referred on Monday.") < html.index("Corrected below") < html.index("Referred on Tuesday.")
    assert f'href="#entry-{original.pk}"' in html
    assert f'id="entry-{correction.pk}"' in html
    assert reverse("chronology_correct", args=[original.pk]) in html
    assert reverse("chronology_add", args=["allegation", allegation.pk]) in html


def test_a_reader_sees_the_chronology_without_ways_to_change_it(records) -> None:
    allegation = Allegation.objects.get(pk=records["allegation_chris"])
    original = chronology_record_event(record=allegation, text="Referred.", actor=None)

    html = render_to_string(
        "chronology/_panel.html", chronology_context(record=allegation, record_type="allegation", can_add=False)
    )

    assert "Referred." in html
    assert reverse("chronology_correct", args=[original.pk]) not in html
    assert "Add an entry" not in html
