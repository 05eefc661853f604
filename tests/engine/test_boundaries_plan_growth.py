"""Reading (b) of the plan's growth (kpi/metrics/plan_growth.py bracket): the year-start snapshot is
the newest on or before 1/1, the year-end one the oldest on or after 12/31 — a snapshot on the day
itself counts, the one a day outside does not when a nearer one exists.

甲 (民國 107 = 2018): 12/31 of 2017 holds a b c; 1/1 holds a b c d; 12/31 holds a b d e f; 2019/1/5 holds
six. Bracket = 1/1 → 12/31: totals 4 → 5, added e f (2), removed c (1), net +1. 乙 has one snapshot
inside the year: neither side, so no figure and a sentence saying what is needed."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kpi.metrics.plan_growth import bracket
from tests.helpers.tiny_store import TinyGateway

D = dt.date
HELD = {D(2017, 12, 31): "abc", D(2018, 1, 1): "abcd", D(2018, 12, 31): "abdef", D(2019, 1, 5): "abdefg"}


def _gw() -> TinyGateway:
    rows = [{"agency": "甲", "dataset_id": f"甲{d}", "snapshot_date": day} for day, ids in HELD.items() for d in ids]
    rows.append({"agency": "乙", "dataset_id": "乙1", "snapshot_date": D(2018, 6, 30)})
    counter = pd.DataFrame(rows)
    counter["snapshot_date"] = pd.to_datetime(counter["snapshot_date"])
    totals = counter.groupby(["agency", "snapshot_date"]).size().rename("datasets").reset_index()
    return TinyGateway(core_counter=counter, counter_total=totals)


def test_snapshots_on_1_1_and_12_31_bracket_the_year():
    row = bracket(_gw(), ["甲", "乙"], 107, None).set_index("agency").loc["甲"]
    assert (row["before_on"], row["after_on"]) == (D(2018, 1, 1), D(2018, 12, 31))
    assert (row["before_total"], row["after_total"], row["net"]) == (4, 5, 1)
    assert (row["added"], row["removed"]) == (2, 1)
    assert row["needed"] == ""


def test_as_of_before_the_year_end_leaves_the_end_missing():
    row = bracket(_gw(), ["甲"], 107, D(2018, 12, 30)).set_index("agency").loc["甲"]
    assert row["before_on"] == D(2018, 1, 1) and row["after_on"] is None
    assert pd.isna(row["net"]) and pd.isna(row["added"])
    assert row["needed"] == "需要 107/12/31 以後一次快照"


def test_no_bracket_says_both_snapshots_are_needed():
    row = bracket(_gw(), ["甲", "乙"], 107, None).set_index("agency").loc["乙"]
    assert row["before_on"] is None and row["after_on"] is None and pd.isna(row["net"])
    assert row["needed"] == "需要 106/12/31（或 107/01/01）以前與 107/12/31 以後各一次快照"
