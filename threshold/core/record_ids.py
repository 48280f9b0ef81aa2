"""Record ids in URLs that reveal nothing: a keyed permutation of the primary key, written in Crockford base32.

A page's address used to carry its record's primary key (``/concerns/3/``),
one sequence per table across every organisation: a reader who could open
concerns 1 and 3 learnt that concern 2 exists and is kept from them (ADR 0017
did the same for the references people quote). The ``record`` path converter
writes each id as an eight-character token (``/concerns/7KQ29MXD/``) made by a
four-round Feistel permutation of the id's 40 bits, keyed from the audit chain key:
consecutive records get unrelated tokens, a token cannot be turned back into
an id without the key, and views still receive the integer id, so
``reverse("concern_detail", args=[concern.pk])`` and every ``access_*`` call
work unchanged. A token that does not decode is simply not a URL (404).
"""

from __future__ import annotations

import functools
import hashlib
import hmac

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O or U
_VALUES = {char: index for index, char in enumerate(_ALPHABET)}
_HALF_BITS = 20
_HALF_MASK = (1 << _HALF_BITS) - 1
_ROUNDS = 4
_LENGTH = 8  # 40 bits


@functools.cache
def _key(secret: str) -> bytes:
    return hmac.new(secret.encode(), b"threshold record ids in URLs", hashlib.sha256).digest()


def _round(half: int, number: int) -> int:
    # Keyed from the audit chain's key, which is never rotated (the trail's verification needs it), not from
    # SECRET_KEY: referral references written into the chronology use these tokens and must not change.
    secret = settings.AUDIT_CHAIN_KEY or settings.SECRET_KEY
    digest = hmac.new(_key(secret), bytes([number]) + half.to_bytes(3, "big"), hashlib.sha256).digest()
    return int.from_bytes(digest[:3], "big") & _HALF_MASK


def token_of(record_id: int | str) -> str:
    """A record id as people may see it: its URL token, which counts nothing (ADR 0017); other ids as they are."""
    text = str(record_id)
    return encode(int(text)) if text.isdigit() else text


def encode(record_id: int) -> str:
    """The URL token of a record id (0 ≤ id < 2⁴⁰)."""
    if not 0 <= record_id < 1 << (2 * _HALF_BITS):
        raise ValueError("A record id out of range for a URL.")
    return _encode(settings.AUDIT_CHAIN_KEY or settings.SECRET_KEY, record_id)


# A record's token never changes under one key: a list's rows, and the next page's, share one encoding.
@functools.lru_cache(maxsize=65536)
def _encode(secret: str, record_id: int) -> str:
    left, right = record_id >> _HALF_BITS, record_id & _HALF_MASK
    for number in range(_ROUNDS):
        left, right = right, left ^ _round(right, number)
    value = (left << _HALF_BITS) | right
    return "".join(_ALPHABET[(value >> (5 * (_LENGTH - 1 - place))) & 31] for place in range(_LENGTH))


def decode(token: str) -> int:
    """The record id a URL token stands for; ``ValueError`` when it is not one."""
    token = token.upper()
    if len(token) != _LENGTH or any(char not in _VALUES for char in token):
        raise ValueError("Not a record token.")
    value = 0
    for char in token:
        value = (value << 5) | _VALUES[char]
    left, right = value >> _HALF_BITS, value & _HALF_MASK
    for number in reversed(range(_ROUNDS)):
        left, right = right ^ _round(left, number), left
    return (left << _HALF_BITS) | right


def record_url(name: str, record_id: int) -> str:
    """``reverse(name, args=[record_id])`` for a page addressed by one record, quick enough for a list's every row.

    A long list (a work list, "My cases") would spend its time in ``reverse``: the page's address is reversed
    once for a placeholder record and the record's token put in its place.
    """
    prefix, suffix = _address(name, get_urlconf(), get_script_prefix(), settings.AUDIT_CHAIN_KEY or settings.SECRET_KEY)
    return f"{prefix}{encode(record_id)}{suffix}"


@functools.lru_cache(maxsize=128)
def _address(name: str, urlconf: str | None, script_prefix: str, secret: str) -> tuple[str, str]:
    placeholder = _encode(secret, 1)
    prefix, found, suffix = reverse(name, args=[1], urlconf=urlconf).partition(placeholder)
    if not found:
        raise ValueError(f"{name} is not the page of one record.")
    return prefix, suffix


class RecordIdConverter:
    """The ``<record:…_id>`` path converter: a token in the URL, the integer id in the view."""

    regex = "[0-9A-Za-z]{8}"

    def to_python(self, value: str) -> int:
        """The record id; a ``ValueError`` makes the URL not match (404)."""
        return decode(value)

    def to_url(self, value: int | str) -> str:
        """The token for a record id."""
        return encode(int(value))
