"""Year periods and data coverage at their edges (kpi/metrics/periods.py, coverage.py).

A period is (since, as_of]: an item dated on the comparison date belongs to the period before, one
dated on the data date to this one. The year's pair: since = the snapshot nearest 1/1 (a tie goes to
the earlier), as_of = the later snapshot nearest 12/31 (a tie goes to the later)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kpi.metrics.coverage import coverage, latest_period
from kpi.metrics.periods import available_years, build_period, period_of
from kpi.metrics.scope import Scope
from tests.helpers.tiny_store import TinyGateway

D = dt.date
Y107 = 107  # 2018


def test_since_tie_goes_to_the_earlier_and_as_of_tie_to_the_later():
    dates = [D(2017, 12, 30), D(2018, 1, 3), D(2018, 12, 29), D(2019, 1, 2)]  # each pair 2 days from 1/1, 12/31
    period = period_of(dates, Y107)
    assert (period.since, period.as_of) == (D(2017, 12, 30), D(2019, 1, 2))


def test_one_day_late_start_misses_one_day_one_day_early_start_adds_one():
    late = build_period(Y107, D(2018, 1, 2), D(2018, 12, 31))
    assert late.missing == ((D(2018, 1, 1), D(2018, 1, 1)),) and late.extra == ()
    assert late.covered_days == 364 and late.year_days == 365
    early = build_period(Y107, D(2017, 12, 31), D(2018, 12, 31))
    assert early.missing == () and early.extra == ((D(2017, 12, 31), D(2017, 12, 31)),)
    exact = build_period(Y107, D(2018, 1, 1), D(2018, 12, 31))
    assert exact.missing == () and exact.extra == () and exact.covered_days == 365


def test_end_one_day_short_misses_12_31_and_one_day_over_adds_1_1():
    short = build_period(Y107, D(2018, 1, 1), D(2018, 12, 30))
    assert short.missing == ((D(2018, 12, 31), D(2018, 12, 31)),) and short.covered_days == 364
    over = build_period(Y107, D(2018, 1, 1), D(2019, 1, 1))
    assert over.missing == () and over.extra == ((D(2019, 1, 1), D(2019, 1, 1)),)
    both = build_period(Y107, D(2018, 1, 6), D(2018, 12, 29))
    assert both.missing == ((D(2018, 1, 1), D(2018, 1, 5)), (D(2018, 12, 30), D(2018, 12, 31)))
    assert both.covered_days == 365 - 7


def test_a_pair_wholly_before_the_year_is_no_period():
    assert period_of([D(2017, 6, 1), D(2017, 12, 31)], Y107) is None
    assert period_of([D(2017, 6, 1), D(2018, 1, 2)], Y107) is None  # 1/2 is the nearest start: no later one
    reaches = period_of([D(2017, 6, 1), D(2017, 12, 31), D(2018, 1, 2)], Y107)
    assert (reaches.since, reaches.as_of) == (D(2017, 12, 31), D(2018, 1, 2))
    assert period_of([D(2018, 1, 1)], Y107) is None


def _snapshots(*days: dt.date) -> pd.DataFrame:
    return pd.DataFrame({"snapshot_date": pd.to_datetime(list(days))})


def test_two_snapshots_are_enough_for_a_year_one_is_not():
    assert available_years(TinyGateway(snapshot=_snapshots(D(2017, 10, 30), D(2018, 7, 20)))) == [107, 106]
    assert available_years(TinyGateway(snapshot=_snapshots(D(2018, 7, 20)))) == []


SNAPS = (D(2017, 10, 30), D(2018, 7, 20), D(2018, 12, 28))


def _feedback_store(*posted: dt.date, agency: str = "勞動部") -> TinyGateway:
    feedback = pd.DataFrame({"agency": agency, "posted_on": pd.to_datetime(list(posted)),
                             "judged_on": pd.to_datetime([SNAPS[-1]] * len(posted))})
    none = pd.to_datetime([])  # the other kinds' core views, empty (coverage reads them in one view)
    return TinyGateway(snapshot=_snapshots(*SNAPS), core_feedback=feedback,
                       core_request=pd.DataFrame({"agency": pd.Series([], dtype=str), "posted_on": none}),
                       core_meeting=pd.DataFrame({"agency": pd.Series([], dtype=str), "held_on": none}),
                       core_catalogue=pd.DataFrame({"agency": pd.Series([], dtype=str), "snapshot_date": none}))


def test_an_item_on_the_comparison_date_is_not_in_the_period_one_on_the_data_date_is():
    scope = Scope(SNAPS[1], SNAPS[0], ("勞動部",))
    assert coverage(_feedback_store(SNAPS[0]), scope, "feedback").in_period == 0
    assert coverage(_feedback_store(SNAPS[0] + dt.timedelta(days=1)), scope, "feedback").in_period == 1
    assert coverage(_feedback_store(SNAPS[1]), scope, "feedback").in_period == 1
    assert coverage(_feedback_store(SNAPS[1] + dt.timedelta(days=1)), scope, "feedback").in_period == 0


def test_latest_period_with_an_item_on_a_snapshot_date_is_the_one_ending_there():
    dates = list(SNAPS)
    assert latest_period(dates, SNAPS[1]) == (SNAPS[1], SNAPS[0])
    assert latest_period(dates, SNAPS[1] + dt.timedelta(days=1)) == (SNAPS[2], SNAPS[1])
    assert latest_period(dates, SNAPS[0]) == (SNAPS[0], None)
    assert latest_period(dates, SNAPS[0] - dt.timedelta(days=1)) == (SNAPS[0], None)


def test_an_item_on_the_newest_snapshot_is_in_a_period_one_after_it_is_not():
    scope = Scope(SNAPS[1], SNAPS[0], ("勞動部",))
    on_it = coverage(_feedback_store(SNAPS[2]), scope, "feedback")
    assert on_it.latest == (SNAPS[2], SNAPS[1]) and on_it.missing
    after = coverage(_feedback_store(SNAPS[2] + dt.timedelta(days=1)), scope, "feedback")
    assert after.latest is None and after.everywhere == 1
    other = coverage(_feedback_store(SNAPS[1], agency="勞動部勞工保險局"), scope, "feedback")
    assert (other.in_period, other.everywhere, other.others) == (0, 0, 1)
