"""衰退 (kpi/metrics/decline.py) at its edges: the previous period's start, scaling to the current
length, and "no change" being neither growth nor decline.

The usage per dataset is given by hand (dataset_changes replaced): previous period 20 days, this one
30, so previous usage is scaled by 30/20. A: 20 → 30 vs 30 持平; B: 10 → 15 vs 5 衰退 −10 (−66.7 %);
C: 0 → 0 vs 7 成長, no ratio (nothing before); D: 40 → 60 vs 100 成長 +40; E: reset now, left out."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kpi.metrics import decline
from kpi.metrics.scope import Scope
from tests.helpers.tiny_store import TinyGateway

START, SINCE, AS_OF = dt.date(2018, 1, 1), dt.date(2018, 1, 21), dt.date(2018, 2, 20)


def _gw(*days: dt.date) -> TinyGateway:
    return TinyGateway(snapshot=pd.DataFrame({"snapshot_date": pd.to_datetime(list(days))}))


def _changes(rows: dict[str, tuple[str, int]]) -> pd.DataFrame:
    return pd.DataFrame([{"agency": "勞動部", "dataset_id": k, "dataset_name": f"資料集{k}", "change_kind": kind,
                          "downloads_change": n} for k, (kind, n) in rows.items()])


NOW = _changes({"A": ("kept", 30), "B": ("kept", 5), "C": ("kept", 7), "D": ("kept", 100), "E": ("reset", -3)})
BEFORE = _changes({"A": ("kept", 20), "B": ("kept", 10), "C": ("kept", 0), "D": ("kept", 40), "E": ("kept", 9)})


@pytest.fixture
def usage(monkeypatch):
    monkeypatch.setattr(decline, "dataset_changes", lambda gw, scope: NOW if scope.as_of == AS_OF else BEFORE)


def test_previous_usage_is_scaled_to_this_periods_length_and_flat_is_flat(usage):
    out = decline.period_usage(_gw(START, SINCE, AS_OF), Scope(AS_OF, SINCE, ("勞動部",)))
    assert (out["start"], out["days"], out["days_previous"], out["left_out"]) == (START, 30, 20, 1)
    rows = out["datasets"].set_index("dataset_id")
    assert rows["usage_previous"].to_dict() == {"A": 30, "B": 15, "C": 0, "D": 60}
    assert rows["difference"].to_dict() == {"A": 0, "B": -10, "C": 7, "D": 40}
    assert rows["direction"].to_dict() == {"A": "持平", "B": "衰退", "C": "成長", "D": "成長"}
    assert rows.loc["B", "change_ratio"] == pytest.approx(-10 / 15)
    assert pd.isna(rows.loc["C", "change_ratio"])
    agency = out["agencies"].iloc[0]
    assert (agency["compared"], agency["declined"], agency["grew"]) == (4, 1, 2)
    assert (agency["usage_previous"], agency["usage"], agency["difference"]) == (105, 142, 37)


def test_previous_period_starts_before_the_comparison_date_never_on_it():
    assert decline.previous_start(_gw(SINCE, AS_OF), Scope(AS_OF, SINCE, ("勞動部",))) == (None, dt.date(2017, 12, 22))
    got = decline.previous_start(_gw(SINCE - dt.timedelta(days=1), SINCE, AS_OF), Scope(AS_OF, SINCE, ("勞動部",)))
    assert got == (SINCE - dt.timedelta(days=1), dt.date(2017, 12, 22))


def test_previous_start_tie_goes_to_the_earlier_snapshot():
    ideal = dt.date(2017, 12, 22)  # SINCE − 30 days
    tie = _gw(ideal - dt.timedelta(days=3), ideal + dt.timedelta(days=3), SINCE, AS_OF)
    assert decline.previous_start(tie, Scope(AS_OF, SINCE, ("勞動部",)))[0] == ideal - dt.timedelta(days=3)
