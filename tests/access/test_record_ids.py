"""Record ids in URLs are tokens that reveal neither the id nor how many records exist (issue 10)."""

from __future__ import annotations

import itertools
import re

import pytest
from django.urls import NoReverseMatch, reverse

from threshold.core.record_ids import decode, encode, record_url


def test_every_id_round_trips_through_its_token() -> None:
    for record_id in [*range(1, 2000), 2**32, 2**40 - 1]:
        token = encode(record_id)
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{8}", token)
        assert decode(token) == record_id
        assert decode(token.lower()) == record_id


def test_consecutive_records_get_unrelated_tokens() -> None:
    tokens = [encode(record_id) for record_id in range(1, 51)]
    assert len(set(tokens)) == 50
    assert tokens != sorted(tokens)
    # No token shares more than a few characters in place with the next one: nothing counts up.
    same_places = [sum(a == b for a, b in zip(x, y, strict=True)) for x, y in itertools.pairwise(tokens)]
    assert max(same_places) <= 4


@pytest.mark.parametrize("token", ["", "1234567", "123456789", "ILOU1234", "!!!!!!!!"])
def test_a_string_that_is_not_a_token_is_refused(token: str) -> None:
    with pytest.raises(ValueError, match="record"):
        decode(token)


@pytest.mark.django_db
def test_record_pages_are_addressed_by_token_and_a_bad_token_is_not_found(signed_in, records) -> None:
    concern_id = records["concern_by_tom"]
    url = reverse("concern_detail", args=[concern_id])
    assert url == f"/concerns/{encode(concern_id)}/"
    hana = signed_in("hana")
    assert hana.get(url).status_code == 200
    assert hana.get(f"/concerns/{concern_id}/").status_code == 404
    assert hana.get("/concerns/ZZZZZZZZ/").status_code == 404
    # The page's links to its own record carry the token, never the id.
    assert f"/concerns/{concern_id}/" not in hana.get(url).content.decode()


def test_a_list_row_s_address_is_the_one_reverse_gives(settings) -> None:
    for name in ("case_detail", "contact_detail", "allegation_detail", "meeting_detail", "concern_detail"):
        for record_id in (1, 2, 977, 2**40 - 1):
            assert record_url(name, record_id) == reverse(name, args=[record_id])
    # Another key gives other tokens, never the ones worked out under the first.
    before = record_url("case_detail", 12)
    settings.AUDIT_CHAIN_KEY = "another-long-random-key-for-the-audit-chain-0123456789"
    assert record_url("case_detail", 12) == reverse("case_detail", args=[12]) != before


def test_a_page_that_is_not_one_record_s_is_refused() -> None:
    with pytest.raises(NoReverseMatch):
        record_url("my_work", 1)
