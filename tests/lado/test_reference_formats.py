"""References are unambiguous: a LADO contact and a school's concern never share a reference format (issue 13).

The newcomer's walk found "C-5" meaning both a school's concern and a LADO contact. References are now random,
with one prefix per kind of record (``threshold.core.references``, ADR 0017): ``CON-…`` for a concern, ``CT-…``
for a LADO contact. These tests prove the formats cannot collide, and that no page shows the old style.
"""

from __future__ import annotations

import html
import itertools
import re

import pytest

from threshold.core import references
from threshold.core.record_ids import encode as rid
from threshold.lado.models import Contact

GROUP = f"[{references.ALPHABET}]{{4}}"


def format_of(prefix: str) -> re.Pattern[str]:
    """The full format of one kind of reference: its prefix and two groups of four."""
    return re.compile(rf"^{prefix}-{GROUP}-{GROUP}$")


def test_every_kind_of_record_has_its_own_prefix() -> None:
    assert len(set(references.PREFIXES)) == len(references.PREFIXES)
    assert references.CONCERN == "CON"
    assert references.LADO_CONTACT == "CT"


@pytest.mark.parametrize(("one", "other"), list(itertools.permutations(references.PREFIXES, 2)))
def test_no_reference_of_one_kind_can_be_read_as_another_kind(one: str, other: str) -> None:
    # A prefix followed by its hyphen never starts another kind's reference, and the random part uses
    # Crockford's alphabet, which has no hyphen, so a reference's kind is fixed by the text before the first hyphen.
    assert not f"{other}-".startswith(f"{one}-")
    assert "-" not in references.ALPHABET
    for _ in range(200):
        reference = references.new_reference(one)
        assert format_of(one).match(reference)
        assert not format_of(other).match(reference)
        assert references.reference_key(reference).startswith(one)


def test_a_contact_reference_and_a_concern_reference_never_share_a_format() -> None:
    contact, concern = references.new_contact_reference(), references.new_concern_reference()
    assert contact.startswith("CT-")
    assert concern.startswith("CON-")
    assert contact.split("-")[0] != concern.split("-")[0]


def test_no_page_shows_the_old_c_5_style_of_reference(signed_in, ids: dict[str, int]) -> None:
    contact = Contact.objects.get(pk=ids["contact_chris"])
    lara, hana = signed_in("lara"), signed_in("hana")
    pages = [
        lara.get("/lado/inbox/"),
        lara.get(f"/lado/contacts/{rid(contact.pk)}/"),
        lara.get(f"/lado/cases/{rid(ids['case_chris'])}/"),
        hana.get(f"/concerns/{rid(ids['concern_about_tom'])}/"),
        hana.get(f"/allegations/{rid(ids['allegation_chris'])}/"),
    ]
    for page in pages:
        assert page.status_code == 200
        text = html.unescape(re.sub(r"<[^>]+>", " ", page.content.decode()))
        assert not re.search(r"\b[A-Z]{1,2}-\d+\b(?!-)", text), "a sequential reference such as C-5 is shown"
    assert contact.reference in html.unescape(pages[1].content.decode())
