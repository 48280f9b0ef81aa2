"""Optimistic locking: one ``bump_version`` for every versioned record, the version always required."""

from __future__ import annotations

import pytest

from tests.conftest import demo_record_ids
from threshold.core.errors import ConflictError
from threshold.core.locking import bump_version
from threshold.lado.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def chris_case(demo_world: None) -> Case:
    """The demo Tier 1 case about Chris Coach."""
    return Case.objects.get(pk=demo_record_ids()["case_chris"])


def test_a_form_loaded_at_the_current_version_moves_the_case_on_and_gets_it_as_saved(chris_case) -> None:
    loaded = chris_case.version
    Case.objects.filter(pk=chris_case.pk).update(summary="Changed in the same transaction before the bump.")

    bump_version(chris_case, loaded)

    assert chris_case.version == loaded + 1
    assert chris_case.summary == "Changed in the same transaction before the bump."
    assert Case.objects.get(pk=chris_case.pk).version == loaded + 1


def test_a_form_loaded_before_someone_elses_change_is_a_conflict_carrying_the_case_as_it_is_now(chris_case) -> None:
    loaded = chris_case.version
    bump_version(Case.objects.get(pk=chris_case.pk), loaded)  # someone else saves first

    with pytest.raises(ConflictError) as conflict:
        bump_version(chris_case, loaded)

    assert conflict.value.current.version == loaded + 1
    assert Case.objects.get(pk=chris_case.pk).version == loaded + 1


@pytest.mark.parametrize("missing", [None, "3", True])
def test_a_missing_or_malformed_version_is_refused_rather_than_skipping_the_check(chris_case, missing) -> None:
    loaded = chris_case.version

    with pytest.raises(TypeError):
        bump_version(chris_case, missing)

    assert Case.objects.get(pk=chris_case.pk).version == loaded
