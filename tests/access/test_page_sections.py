"""The case and the allegation pages are navigable (issue 17): a summary at the top says what is due next and what is
missing, and "On this page" links to each section the page shows, every link landing on a heading of the page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def sections_of(html: str) -> list[str]:
    """The anchors "On this page" links to."""
    nav = html.split('class="app-section-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'href="#([\w-]+)"', nav)


@pytest.mark.parametrize(
    ("reader", "name", "record", "wanted"),
    [
        (
            "lara",
            "case_detail",
            "case_chris",
            ["dataset", "dataset-agencies", "meetings", "timescales", "documents", "chronology"],
        ),
        ("hana", "allegation_detail", "allegation_chris", ["due", "steps", "referral", "outcome", "chronology"]),
    ],
)
def test_every_section_link_lands_on_a_heading_of_the_page(
    records: dict[str, int], signed_in: Any, reader: str, name: str, record: str, wanted: list[str]
) -> None:
    html = signed_in(reader).get(reverse(name, args=[records[record]])).content.decode()
    anchors = sections_of(html)
    assert set(wanted) <= set(anchors)
    for anchor in anchors:
        # A section's heading, or a card of the data set that starts with its own heading.
        card = r'\s*<div class="govuk-summary-card">\s*<div class="govuk-summary-card__title-wrapper">\s*<h3'
        lands = re.search(rf'<h2[^>]* id="{anchor}"', html) or re.search(rf'<div id="{anchor}">{card}', html)
        assert lands, f"'On this page' links to #{anchor}, which {name} lacks"
    assert html.index('class="app-section-nav"') < html.index(f'id="{anchors[0]}"')  # above the first section


def test_the_case_says_at_the_top_what_is_due_next_and_what_is_missing(records: dict[str, int], signed_in: Any) -> None:
    html = signed_in("lara").get(reverse("case_detail", args=[records["case_chris"]])).content.decode()
    top = html.split('class="app-section-nav"', 1)[0]
    assert "Next step due" in top
    assert "Still to record" in top
    assert re.search(r'href="#(open-deadlines|still-to-record)"', top)
