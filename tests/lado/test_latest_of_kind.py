"""`latest_of_kind` gives the row that stands for each kind, in one query, on any queryset; `latest_of_each` and
`last_recorded` give the same answers from rows already read.

The rows are a case's risk measures, written straight into the demo case about Chris Coach with chosen times, so
that "latest" is decided by the data and not by the order the test happened to write them in.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from threshold.core.querysets import last_recorded, latest_of_each, latest_of_kind
from threshold.lado.models import Case, RiskMeasure
from threshold.lado.models.cases import RiskMeasureKind

pytestmark = pytest.mark.django_db

NOON = timezone.make_aware(dt.datetime(2026, 3, 2, 12, 0))


def measure(case: Case, kind: str, hours_after_noon: int, notes: str, recorded_by) -> RiskMeasure:
    """A risk measure recorded ``hours_after_noon`` hours after noon on 2 March 2026."""
    return RiskMeasure.objects.create(
        case=case,
        kind=kind,
        notes=notes,
        recorded_by=recorded_by,
        recorded_at=NOON + dt.timedelta(hours=hours_after_noon),
    )


@pytest.fixture
def measures(chris_case: Case, persona) -> dict[str, RiskMeasure]:
    """Two suspensions and two restrictions of duties on Chris's case, written out of time order, and a redeployment."""
    lara = persona("lara")
    return {
        "later_suspension": measure(chris_case, RiskMeasureKind.SUSPENDED, 5, "Suspended again", lara),
        "first_suspension": measure(chris_case, RiskMeasureKind.SUSPENDED, 1, "Suspended", lara),
        "first_restriction": measure(chris_case, RiskMeasureKind.RESTRICTED, 2, "Restricted", lara),
        "later_restriction": measure(chris_case, RiskMeasureKind.RESTRICTED, 3, "Restricted further", lara),
        "redeployed": measure(chris_case, RiskMeasureKind.REDEPLOYED, 4, "Redeployed", lara),
    }


def test_each_kind_gives_its_latest_row(chris_case, measures) -> None:
    standing = latest_of_kind(chris_case.risk_measures.all(), "kind")

    assert set(standing) == {measures["later_suspension"], measures["later_restriction"], measures["redeployed"]}


def test_it_is_one_query(chris_case, measures, django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        standing = list(latest_of_kind(chris_case.risk_measures.all(), "kind"))

    assert len(standing) == 3


def test_rows_recorded_in_the_same_instant_are_told_apart_by_the_last_field(chris_case, measures, persona) -> None:
    tie = measure(chris_case, RiskMeasureKind.REDEPLOYED, 4, "Redeployed, typed a second time", persona("lara"))

    standing = latest_of_kind(chris_case.risk_measures.all(), "kind")

    assert tie in standing
    assert measures["redeployed"] not in standing


def test_the_order_decides_which_row_is_the_latest(chris_case, measures) -> None:
    earliest = latest_of_kind(chris_case.risk_measures.all(), "kind", order_by=("recorded_at", "pk"))

    assert set(earliest) == {measures["first_suspension"], measures["first_restriction"], measures["redeployed"]}


def test_the_result_keeps_the_filters_given_before_and_may_be_ordered(chris_case, measures) -> None:
    without_redeployed = chris_case.risk_measures.exclude(kind=RiskMeasureKind.REDEPLOYED)

    standing = latest_of_kind(without_redeployed, "kind").order_by("recorded_at")

    assert list(standing) == [measures["later_restriction"], measures["later_suspension"]]


def test_it_works_across_records_grouped_by_any_field(chris_case, measures) -> None:
    # The latest risk measure of each case: one row here, the later suspension.
    standing = latest_of_kind(RiskMeasure.objects.filter(case=chris_case), "case")

    assert list(standing) == [measures["later_suspension"]]


def test_a_related_manager_of_a_fetched_record_stays_scoped(chris_case, measures) -> None:
    standing = latest_of_kind(chris_case.risk_measures.all(), "kind")

    assert standing._access_scoped  # the access guard lets it run wherever the case was fetched


def test_an_empty_order_is_refused(chris_case) -> None:
    with pytest.raises(ValueError, match="needs an order"):
        latest_of_kind(chris_case.risk_measures.all(), "kind", order_by=())


def test_rows_already_read_give_the_same_standing_rows_oldest_first(chris_case, measures, persona) -> None:
    measure(chris_case, RiskMeasureKind.REDEPLOYED, 4, "Redeployed, typed a second time", persona("lara"))
    in_sql = list(latest_of_kind(chris_case.risk_measures.all(), "kind").order_by("recorded_at", "pk"))

    assert latest_of_each(chris_case.risk_measures.all(), "kind") == in_sql


def test_the_last_recorded_row_is_the_latest_and_of_two_in_one_instant_the_later_written(chris_case, measures) -> None:
    assert last_recorded(chris_case.risk_measures.all()) == measures["later_suspension"]
    tie = measure(
        chris_case, RiskMeasureKind.REDEPLOYED, 5, "Redeployed the same minute", measures["redeployed"].recorded_by
    )

    assert last_recorded(chris_case.risk_measures.all()) == tie
    assert last_recorded(chris_case.risk_measures.none()) is None


def test_rows_read_once_are_not_read_again(chris_case, measures, django_assert_num_queries) -> None:
    case = Case.objects.prefetch_related("risk_measures").get(pk=chris_case.pk)

    with django_assert_num_queries(0):
        assert len(latest_of_each(case.risk_measures.all(), "kind")) == 3
        assert last_recorded(case.risk_measures.all()) == measures["later_suspension"]
