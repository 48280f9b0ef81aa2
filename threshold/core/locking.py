"""Optimistic locking: the one way a versioned record moves on, or refuses a form loaded before another change."""

from __future__ import annotations

from typing import TypeVar, cast

from django.db.models import F, Model

from threshold.core.errors import ConflictError


def bump_version(record: Model, expected: int) -> None:
    """Move ``record``'s version on if it is still ``expected``; otherwise raise ``ConflictError`` with it as it is now.

    ``expected`` is the version the person's form was loaded with: required,
    so a form that dropped its hidden field can never overwrite someone else's
    change. One conditional UPDATE does the check and the move, so two
    transactions cannot both pass it (the second matches no row). Call it in
    the service's transaction before writing the record's other fields; it
    reloads ``record``, so the service goes on with the row as it is now.
    """
    if isinstance(expected, bool) or not isinstance(expected, int):
        raise TypeError("bump_version needs the version the form was loaded with, as a whole number.")
    model = type(record)
    # access-lint: allow the version of the record the service was given, whatever its model
    moved = model._default_manager.filter(pk=record.pk, version=expected).update(version=F("version") + 1)
    if moved != 1:
        raise ConflictError(model._default_manager.get(pk=record.pk))  # access-lint: allow the same record, fresh
    # The row is now held by this transaction (the UPDATE locks it): continue with it as it is.
    record.refresh_from_db()


M = TypeVar("M", bound=Model)


def hold(record: M) -> M:
    """``record``'s row as it is now, held until the caller's transaction ends (call it inside one).

    For a change whose check reads other rows first ("is it already shared?", "is there a record yet?"): on
    PostgreSQL two requests at once would both pass the check on what they read before either wrote. Holding the
    row they both change first, the second waits for the first to commit, then reads what it did. (SQLite admits
    one writer at a time already.)
    """
    model = cast(type[M], record._meta.model)  # not type(): the signed-in user comes as a lazy object
    # FOR NO KEY UPDATE: holds out another hold or change of the row, but not an insert elsewhere that points at it
    # (an audit event names its organisation and actor): with a plain FOR UPDATE, a share holding its setting and
    # an audited read there at the same moment each waited on the other's lock, a deadlock.
    # access-lint: allow the record the service was given, whatever its model, held as it is now
    return model._default_manager.select_for_update(no_key=True).get(pk=record.pk)
