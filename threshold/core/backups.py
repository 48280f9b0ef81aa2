"""Backups that restore: the database, the uploaded documents and a manifest of their checksums.

A backup is a directory holding

- ``database.sqlite3`` (SQLite: a consistent copy taken with SQLite's online
  backup API while the service keeps running) or ``database.pgdump``
  (PostgreSQL: ``pg_dump --format=custom``);
- ``documents/``: every uploaded document (``settings.DOCUMENT_ROOT``);
- ``manifest.json``: what was backed up, when, from which engine, and the
  SHA-256 and size of every other file in the directory.

Copying the SQLite file while the service runs is not a backup: under load it
lost acknowledged writes and still passed ``audit verify``. The backup API
copies one snapshot of the database inside a read transaction, which under WAL
does not stop anyone writing. The directory appears under its final name only
when everything in it is written, so a directory that exists is complete.

Restoring checks every checksum before it changes anything, and refuses to
write over a database that already holds tables, or documents, unless forced.
The keys are not in a backup (README: "Backups"): without the same
``AUDIT_CHAIN_KEY`` (or ``SECRET_KEY`` it is derived from) the restored audit
trail cannot be verified.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # pg_dump and pg_restore, with argument lists, never a shell
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connections

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1
SQLITE_FILE = "database.sqlite3"
POSTGRESQL_FILE = "database.pgdump"
DOCUMENTS_DIR = "documents"
# An upload being received is written under this prefix and renamed when
# complete (threshold.documents.services); a half-written one is not a document.
IN_PROGRESS_PREFIX = ".upload-"
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go ahead, with a reason the operator can act on."""


@dataclass(frozen=True)
class BackupSummary:
    """What a backup or restore did: where, which engine, how many files and documents."""

    path: Path
    engine: str
    files: int
    documents: int
    manifest_sha256: str


def take_backup(destination: Path, *, alias: str = "default") -> BackupSummary:
    """Back up the database and the documents into ``destination``, which must not exist yet (or be empty).

    The database is copied first and the documents after it: a document's file
    is written before its row commits, so every document the copied database
    names is already on disk when the documents are copied.
    """
    destination = Path(destination)
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise BackupError(f"{destination} already exists and is not an empty directory; choose a new one.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    engine = _engine(alias)
    # Personal data: readable by this operating-system user only.
    working = Path(tempfile.mkdtemp(prefix=f".{destination.name}.partial-", dir=destination.parent))
    try:
        if engine == "sqlite":
            _backup_sqlite(Path(connections[alias].settings_dict["NAME"]), working / SQLITE_FILE)
        else:
            # pg_dump reads one snapshot (a repeatable-read transaction) while writes go on.
            _run_pg("pg_dump", ["--format=custom", f"--file={working / POSTGRESQL_FILE}"], alias=alias)
            (working / POSTGRESQL_FILE).chmod(0o600)
        documents = _copy_documents(Path(settings.DOCUMENT_ROOT), working / DOCUMENTS_DIR)
        manifest: dict[str, Any] = {
            "format": MANIFEST_FORMAT,
            "application": "threshold",
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "engine": engine,
            "database": SQLITE_FILE if engine == "sqlite" else POSTGRESQL_FILE,
            "documents": DOCUMENTS_DIR,
            "files": {name: {"sha256": digest, "bytes": size} for name, (digest, size) in _checksums(working)},
        }
        manifest_bytes = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
        _write_private(working / MANIFEST_NAME, manifest_bytes)
        if destination.exists():
            destination.rmdir()
        os.replace(working, destination)
    except BaseException:
        shutil.rmtree(working, ignore_errors=True)
        raise
    return BackupSummary(
        path=destination,
        engine=engine,
        files=len(manifest["files"]),
        documents=documents,
        manifest_sha256=hashlib.sha256(manifest_bytes).hexdigest(),
    )


def verify_backup(source: Path) -> dict[str, Any]:
    """Return the backup's manifest once every file matches it; raise ``BackupError`` naming the first that does not.

    A file missing, added, of another size or with another SHA-256 is refused:
    the backup was damaged or changed since it was taken.
    """
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise BackupError(f"{source} has no {MANIFEST_NAME}: it is not a Threshold backup.") from error
    except (OSError, ValueError) as error:
        raise BackupError(f"{source / MANIFEST_NAME} cannot be read: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(f"{source / MANIFEST_NAME} is not a manifest this version of Threshold can restore.")
    listed: dict[str, dict[str, Any]] = manifest.get("files") or {}
    for name in listed:
        _safe_relative(name)
    present = {name for name, _path in _files(source) if name != MANIFEST_NAME}
    if missing := sorted(set(listed) - present):
        raise BackupError(f"The backup is incomplete: {missing[0]} is in the manifest but not in {source}.")
    if extra := sorted(present - set(listed)):
        raise BackupError(f"The backup was changed: {extra[0]} is in {source} but not in the manifest.")
    for name, expected in sorted(listed.items()):
        digest, size = _sha256(source / name)
        if size != expected.get("bytes") or digest != expected.get("sha256"):
            raise BackupError(
                f"{name} does not match its checksum in the manifest: the backup is damaged or was changed. "
                "Nothing was restored."
            )
    return manifest


def restore_backup(source: Path, *, force: bool = False, alias: str = "default") -> BackupSummary:
    """Restore a verified backup into the configured database and document folder.

    Refuses (``BackupError``) before changing anything when a checksum does not
    match, when the backup is from the other engine, or, unless ``force``, when
    the database already holds tables or the document folder holds documents.
    Stop the web server and the task worker first.
    """
    source = Path(source)
    manifest = verify_backup(source)
    engine = _engine(alias)
    if manifest.get("engine") != engine:
        raise BackupError(f"The backup is of a {manifest.get('engine')} database; this service runs on {engine}.")
    connection = connections[alias]
    tables = connection.introspection.table_names()
    document_root = Path(settings.DOCUMENT_ROOT)
    existing_documents = [path for _name, path in _files(document_root)] if document_root.is_dir() else []
    if not force and tables:
        raise BackupError(
            f"The database already holds {len(tables)} tables; restore will not write over it. "
            "Restore into a new, empty database, or add --force to replace what is there."
        )
    if not force and existing_documents:
        raise BackupError(
            f"{document_root} already holds {len(existing_documents)} files; restore will not mix documents. "
            "Restore into an empty folder, or add --force."
        )
    # Our own connection must not hold the database open while it is replaced.
    connection.close()
    database = source / manifest["database"]
    if engine == "sqlite":
        _restore_sqlite(database, Path(connection.settings_dict["NAME"]), manifest["files"][manifest["database"]])
    else:
        options = ["--no-owner", "--exit-on-error", "--single-transaction"]
        if force:
            options += ["--clean", "--if-exists"]
        _run_pg("pg_restore", [*options, f"--dbname={connection.settings_dict['NAME']}", str(database)], alias=alias)
    documents = _restore_documents(source / manifest["documents"], document_root, manifest["files"])
    return BackupSummary(
        path=source,
        engine=engine,
        files=len(manifest["files"]),
        documents=documents,
        manifest_sha256=_sha256(source / MANIFEST_NAME)[0],
    )


def _engine(alias: str) -> str:
    """``sqlite`` or ``postgresql``; anything else cannot be backed up by this module."""
    vendor = connections[alias].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _backup_sqlite(source: Path, target: Path) -> None:
    """Copy one consistent snapshot of a live SQLite database to ``target``, as a single self-contained file."""
    if not source.is_file():
        raise BackupError(f"The database {source} does not exist.")
    # The 20 s timeout matches the service's: the copy waits behind a
    # checkpoint rather than failing with "database is locked".
    live = sqlite3.connect(source, timeout=20)
    copy = sqlite3.connect(target)
    try:
        # pages=-1 copies everything in one step inside one read transaction:
        # a snapshot. In steps, any write by another process between steps
        # would restart the copy, which might then never finish under load.
        live.backup(copy, pages=-1)
        # The copy inherits WAL mode; DELETE makes it one file, nothing beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        _check_integrity(copy, target)
    finally:
        copy.close()
        live.close()
    _fsync(target)
    target.chmod(0o600)


def _restore_sqlite(backup: Path, target: Path, expected: dict[str, Any]) -> None:
    """Replace the database at ``target`` with ``backup``'s contents, through SQLite so its WAL stays consistent."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.restoring")
    # Hash the copy we restore from, not only the file verified a moment ago.
    _copy_file(backup, staging, expected)
    try:
        source = sqlite3.connect(staging)
        try:
            _check_integrity(source, backup)
            destination = sqlite3.connect(target, timeout=20)
            try:
                # The backup API writes the pages under the destination's own
                # locks and journal: replacing the file by hand could leave a
                # stale -wal file beside it that SQLite would then replay.
                source.backup(destination, pages=-1)
                destination.execute("PRAGMA journal_mode=WAL")
            finally:
                destination.close()
        finally:
            source.close()
    finally:
        staging.unlink(missing_ok=True)
    target.chmod(0o600)


def _check_integrity(database: sqlite3.Connection, name: Path) -> None:
    """Refuse a database SQLite itself finds damaged."""
    result = database.execute("PRAGMA integrity_check").fetchone()
    if not result or result[0] != "ok":
        raise BackupError(f"{name} failed SQLite's integrity check: {result[0] if result else 'no answer'}.")


def _run_pg(program: str, arguments: list[str], *, alias: str) -> None:
    """Run ``pg_dump`` or ``pg_restore`` against the configured database, the password in the environment only."""
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} was not found. Install the PostgreSQL client tools of the server's major version "
            "(Debian: apt-get install postgresql-client)."
        )
    settings_dict = connections[alias].settings_dict
    environment = dict(os.environ)
    # Connection details go in libpq's variables: a password on the command
    # line would show in every process listing.
    for variable, value in {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": (settings_dict.get("OPTIONS") or {}).get("sslmode"),
    }.items():
        if value:
            environment[variable] = str(value)
    completed = subprocess.run(  # noqa: S603 - a fixed program found on PATH, arguments as a list
        [executable, "--no-password", *arguments], env=environment, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise BackupError(f"{program} failed (exit {completed.returncode}): {completed.stderr.strip()[:2000]}")


def _copy_documents(source: Path, target: Path) -> int:
    """Copy every uploaded document into ``target``; return how many."""
    target.mkdir(mode=0o700)
    if not source.is_dir():
        return 0
    count = 0
    for name, path in _files(source):
        if PurePosixPath(name).name.startswith(IN_PROGRESS_PREFIX):
            continue
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            _copy_file(path, destination, None)
        except FileNotFoundError:
            # Removed since the listing (an upload refused, say): not a document.
            continue
        count += 1
    return count


def _restore_documents(source: Path, target: Path, listed: dict[str, dict[str, Any]]) -> int:
    """Copy the backup's documents into the document folder, each checked against the manifest as it is copied."""
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    count = 0
    prefix = f"{source.name}/"
    for name, expected in sorted(listed.items()):
        if not name.startswith(prefix):
            continue
        relative = name.removeprefix(prefix)
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        staging = destination.with_name(f"{IN_PROGRESS_PREFIX}{destination.name}")
        _copy_file(source / relative, staging, expected)
        os.replace(staging, destination)
        count += 1
    return count


def _copy_file(source: Path, target: Path, expected: dict[str, Any] | None) -> None:
    """Copy a file (readable by us alone) and flush it to disk; when ``expected``, its checksum must match."""
    digest = hashlib.sha256()
    size = 0
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with open(descriptor, "wb") as written, source.open("rb") as read:
            while chunk := read.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                written.write(chunk)
            written.flush()
            os.fsync(written.fileno())
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    if expected is not None and (digest.hexdigest() != expected.get("sha256") or size != expected.get("bytes")):
        target.unlink(missing_ok=True)
        raise BackupError(f"{source} changed while it was being restored; nothing more was restored.")


def _write_private(path: Path, content: bytes) -> None:
    """Write a new file readable by us alone, flushed to disk."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(descriptor, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync(path: Path) -> None:
    """Flush a file SQLite wrote to disk before the backup calls itself complete."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _files(root: Path) -> Iterator[tuple[str, Path]]:
    """Every regular file under ``root`` (not following links), as (relative POSIX name, path), in order."""
    for directory, subdirectories, names in os.walk(root):
        subdirectories.sort()
        for name in sorted(names):
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


def _checksums(root: Path) -> Iterator[tuple[str, tuple[str, int]]]:
    """The SHA-256 and size of every file under ``root``."""
    for name, path in _files(root):
        yield name, _sha256(path)


def _sha256(path: Path) -> tuple[str, int]:
    """A file's SHA-256 (hex) and size in bytes."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _safe_relative(name: str) -> None:
    """Refuse a manifest entry that would reach outside the backup (``..``, an absolute path)."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"The manifest names {name!r}, which is not a file inside the backup.")
