"""Record ids in URLs are tokens that reveal neither the id nor how many records exist (issue 10)."""

from __future__ import annotations

import itertools
import re

import pytest
from django.urls import reverse

from threshold.core.record_ids import decode, encode


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
