"""Adding and changing organisations, and the policy pack each works under.

System administrators add and edit any organisation; an organisation admin may
change only the policy pack of an organisation they run. Every change is one
transaction with its audit event.

The organisation table has no version column (it predates the admin pages), so
optimistic locking compares a fingerprint of the editable fields instead: the
form carries the fingerprint it was drawn from, and a save against a changed
organisation raises ``ConflictError`` and saves nothing (ADR 0011).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from threshold.accounts import selectors
from threshold.accounts.models import Organisation, User
from threshold.accounts.roles import ROLES_BY_KIND, OrganisationKind
from threshold.audit.context import AuditContext, context_for
from threshold.audit.services import audit_record
from threshold.core.errors import ConflictError

EDITABLE_FIELDS = ("name", "kind", "trust_id", "local_authority_id", "phase", "policy_pack", "is_active")


def policy_pack_choices() -> list[tuple[str, str]]:
    """The packs in the policy registry, as (id, title) pairs for a form, by id."""
    from threshold.policy.registry import shipped_packs

    return [(pack.id, pack.title) for pack in shipped_packs().current()]


def _check_pack(policy_pack: str) -> None:
    if policy_pack not in {pack_id for pack_id, _title in policy_pack_choices()}:
        raise ValidationError({"policy_pack": "Choose a policy pack from the list."})


def organisation_fingerprint(organisation: Organisation) -> str:
    """A short digest of the editable fields: the version an edit form was drawn against."""
    values = "|".join(str(getattr(organisation, name)) for name in EDITABLE_FIELDS)
    return hashlib.sha256(values.encode("utf-8")).hexdigest()[:16]


def _snapshot(organisation: Organisation) -> dict[str, Any]:
    return {name: getattr(organisation, name) for name in EDITABLE_FIELDS}


def _validate(organisation: Organisation, *, exclude_pk: int | None) -> None:
    """Field errors for an organisation about to be saved, all at once."""
    errors: dict[str, list[str]] = {}
    if organisation.trust_id is not None and organisation.kind != OrganisationKind.SCHOOL:
        errors["trust"] = ["Only a school can belong to an academy trust."]
    if organisation.local_authority_id is not None and organisation.kind == OrganisationKind.LOCAL_AUTHORITY:
        errors["local_authority"] = ["A local authority does not lie in another local authority's area."]
    same_name = Organisation.objects.filter(name__iexact=organisation.name)
    if exclude_pk is not None:
        same_name = same_name.exclude(pk=exclude_pk)
    if same_name.exists():
        errors["name"] = ["An organisation with this name already exists."]
    try:
        _check_pack(organisation.policy_pack)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        organisation.full_clean(exclude=[name for name in errors if name in {"trust", "local_authority"}])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)


def _check_kind_change(organisation: Organisation) -> None:
    """A new kind must still fit the roles people hold there and the organisations that point at it."""
    allowed = ROLES_BY_KIND.get(organisation.kind, frozenset())
    if organisation.memberships.filter(is_active=True).exclude(role__in=allowed).exists():
        raise ValidationError(
            {"kind": "People here hold roles that do not exist in that kind of organisation. Change their roles first."}
        )
    if organisation.kind != OrganisationKind.ACADEMY_TRUST and organisation.members_of_trust.exists():
        raise ValidationError({"kind": "Schools belong to this trust. Move them to another trust first."})
    if organisation.kind != OrganisationKind.LOCAL_AUTHORITY and organisation.settings_in_area.exists():
        raise ValidationError({"kind": "Settings lie in this local authority's area. Move them first."})


def _require_system_admin(actor: User) -> None:
    if not actor.is_system_admin:
        raise PermissionError("Only a system administrator can add or change organisations.")


def organisation_create(
    *,
    actor: User,
    name: str,
    kind: str,
    trust: Organisation | None,
    local_authority: Organisation | None,
    policy_pack: str,
    phase: str,
    audit_context: AuditContext | None = None,
) -> Organisation:
    """Add an organisation (system administrators only); ``phase`` is a school's phase of education, if known."""
    _require_system_admin(actor)
    organisation = Organisation(
        name=name.strip(),
        kind=kind,
        trust=trust,
        local_authority=local_authority,
        phase=phase,
        policy_pack=policy_pack,
        is_active=True,
    )
    _validate(organisation, exclude_pk=None)
    with transaction.atomic(durable=True):
        try:
            organisation.save()
        except IntegrityError:
            raise ValidationError({"name": "An organisation with this name already exists."}) from None
        audit_record(
            context=context_for(actor, audit_context),
            action="organisation.created",
            record_type="organisation",
            record_id=organisation.pk,
            organisation=organisation,
            changes={name: (None, value) for name, value in _snapshot(organisation).items()},
        )
    return organisation


def organisation_update(
    *,
    actor: User,
    organisation: Organisation,
    expected_fingerprint: str,
    name: str,
    kind: str,
    trust: Organisation | None,
    local_authority: Organisation | None,
    policy_pack: str,
    is_active: bool,
    phase: str,
    audit_context: AuditContext | None = None,
) -> Organisation:
    """Change an organisation (system administrators only), refusing a stale form.

    ``phase`` is a school's phase of education (blank: not recorded), which the LADO's report counts by.
    """
    _require_system_admin(actor)
    with transaction.atomic(durable=True):
        current = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if organisation_fingerprint(current) != expected_fingerprint:
            raise ConflictError(current)
        before = _snapshot(current)
        current.name = name.strip()
        current.kind = kind
        current.trust = trust
        current.local_authority = local_authority
        current.phase = phase
        current.policy_pack = policy_pack
        current.is_active = is_active
        _validate(current, exclude_pk=current.pk)
        if before["kind"] != current.kind:
            _check_kind_change(current)
        after = _snapshot(current)
        changes = {key: (before[key], after[key]) for key in EDITABLE_FIELDS if before[key] != after[key]}
        if not changes:
            return current
        current.save()
        audit_record(
            context=context_for(actor, audit_context),
            action="organisation.updated",
            record_type="organisation",
            record_id=current.pk,
            organisation=current,
            changes=changes,
        )
    return current


def organisation_set_policy_pack(
    *,
    actor: User,
    organisation: Organisation,
    policy_pack: str,
    expected_fingerprint: str,
    audit_context: AuditContext | None = None,
) -> Organisation:
    """Choose the policy pack an organisation works under (its admins, or a system administrator)."""
    if not selectors.administered_organisations(user=actor).filter(pk=organisation.pk).exists():
        raise PermissionError("You do not manage that organisation.")
    _check_pack(policy_pack)
    with transaction.atomic(durable=True):
        current = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if organisation_fingerprint(current) != expected_fingerprint:
            raise ConflictError(current)
        old = current.policy_pack
        if old == policy_pack:
            return current
        current.policy_pack = policy_pack
        current.save(update_fields=["policy_pack"])
        audit_record(
            context=context_for(actor, audit_context),
            action="organisation.policy_pack_changed",
            record_type="organisation",
            record_id=current.pk,
            organisation=current,
            changes={"policy_pack": (old, policy_pack)},
        )
    return current
