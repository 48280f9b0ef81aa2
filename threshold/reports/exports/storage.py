"""Where background exports are kept: files outside the web root, under random names, readable by us alone.

Like uploaded documents (``DOCUMENT_ROOT``), an export's file is never served by the web server: the download
view reads it for its requester (``EXPORT_ROOT``, by default under the private data folder).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from pathlib import Path

from django.conf import settings

_STORED_NAME = re.compile(r"^[0-9a-f]{64}$")
DEFAULT_INLINE_LIMIT = 2000
DEFAULT_VALID_HOURS = 24


def export_root() -> Path:
    """The folder exports are written to, made readable by this account alone when first used."""
    root = Path(settings.EXPORT_ROOT)
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    return root


def inline_limit() -> int:
    """How many rows an export writes while the person waits; a longer list is written in the background."""
    return int(getattr(settings, "EXPORT_INLINE_LIMIT", DEFAULT_INLINE_LIMIT))


def valid_for() -> dt.timedelta:
    """How long a background export can be downloaded once written."""
    return dt.timedelta(hours=int(getattr(settings, "EXPORT_VALID_HOURS", DEFAULT_VALID_HOURS)))


def new_stored_name() -> str:
    """A random file name: it says nothing about the list, its requester or its records."""
    return secrets.token_hex(32)


def stored_path(stored_name: str) -> Path:
    """The file of a stored name, refusing anything that is not one (no path can be smuggled in)."""
    if not _STORED_NAME.match(stored_name):
        raise ValueError("Not the name of a stored export.")
    return export_root() / stored_name


def remove(stored_name: str) -> None:
    """Delete an export's file, if it is still there."""
    if stored_name:
        stored_path(stored_name).unlink(missing_ok=True)


def remove_orphans(*, kept: set[str], older_than: dt.datetime) -> None:
    """Delete stored files no job names (``kept``) last written before ``older_than``."""
    for path in export_root().iterdir():
        if path.name in kept or not _STORED_NAME.match(path.name):
            continue
        if dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC) < older_than:
            path.unlink(missing_ok=True)
