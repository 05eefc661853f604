"""Ranks and ties (kpi/metrics/scorecard.py rank_text, national.py _ranked, usage.ranking_in_group).

Ties share the better place and the next place is skipped (1, 2, 2, 4), also when the agency asked
about is one of the tied pair; an agency without a value is not ranked and is said to be missing;
filtering the agencies narrows what is listed, never who is compared."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd

from kpi.metrics.national import _ranked
from kpi.metrics.scope import Scope, plan_year_window, resolve_scope
from kpi.metrics.scorecard import rank_text
from kpi.metrics.usage import ranking_in_group
from kpi.reference.agencies import MINISTRY_OFFICIAL

SCORES = pd.Series({"甲": 0.9, "乙": 0.7, "丙": 0.7, "丁": 0.5, "戊": None, "己": 0.2})


def test_a_tie_at_the_asked_place_shares_the_better_place():
    assert rank_text(SCORES, "甲") == "第 1 名／5（1 機關無資料）"
    assert rank_text(SCORES, "乙") == "第 2 名／5（1 機關無資料）"
    assert rank_text(SCORES, "丙") == "第 2 名／5（1 機關無資料）"
    assert rank_text(SCORES, "丁") == "第 4 名／5（1 機關無資料）"  # skipped: not 3
    assert rank_text(SCORES, "戊") == "—"


def test_lower_is_better_reverses_and_ties_still_share():
    assert rank_text(SCORES, "己", higher_is_better=False) == "第 1 名／5（1 機關無資料）"
    assert rank_text(SCORES, "乙", higher_is_better=False) == "第 3 名／5（1 機關無資料）"
    assert rank_text(SCORES.dropna(), "甲") == "第 1 名／5"


def test_national_ties_1_2_2_4_by_downloads_and_views_separately():
    frame = _ranked(pd.DataFrame({"agency": list("ABCDE"), "downloads": [50, 40, 40, 10, 10],
                                  "views": [1, 2, 3, 4, 4]}))
    assert list(frame["rank_downloads"]) == [1, 2, 2, 4, 4]
    assert list(frame["rank_views"]) == [5, 4, 3, 1, 1]
    assert list(frame["share_downloads"]) == [50 / 150, 40 / 150, 40 / 150, 10 / 150, 10 / 150]


def test_plan_year_feedback_window_is_the_year_itself():
    scope = Scope(dt.date(2019, 3, 1), dt.date(2018, 7, 20), ("勞動部",))
    y107, y108 = plan_year_window(scope, 107), plan_year_window(scope, 108)
    assert (y107.as_of, y107.since) == (dt.date(2018, 12, 31), dt.date(2017, 12, 31))  # (12/31, 12/31]
    assert (y108.as_of, y108.since) == (dt.date(2019, 3, 1), dt.date(2018, 12, 31))  # up to the data date


def test_ranks_are_computed_before_filtering(gw):
    whole = resolve_scope(gw, agencies=list(MINISTRY_OFFICIAL))
    every = ranking_in_group(gw, whole)
    for agency in MINISTRY_OFFICIAL[1:3]:
        shown = ranking_in_group(gw, dataclasses.replace(whole, agencies=(agency,)))
        assert len(shown) and set(shown["agency"]) == {agency}
        expected = every[every["agency"] == agency]
        rank = next(c for c in shown.columns if c.startswith("rank"))
        assert list(shown[rank]) == list(expected[rank])
        assert shown[rank].min() > 1 or expected[rank].min() == 1


def test_groups_sum_their_members_and_one_unplaced_member_flags_the_group():
    from kpi.metrics.national import group_ranking
    from tests.helpers.tiny_store import TinyGateway

    day = pd.Timestamp("2018-07-20")
    totals = pd.DataFrame({"agency": ["勞動部", "勞動部勞工保險局", "內政部", "內政部營建署", "新機關"],
                           "snapshot_date": day, "datasets": [3, 4, 5, 6, 1],
                           "views": [10, 20, 5, 25, 29], "downloads": [7, 8, 9, 6, 15]})
    parents = pd.DataFrame({"agency": ["勞動部勞工保險局", "內政部", "內政部營建署"],  # 勞動部 itself missing
                            "parent": ["勞動部", "內政部", "內政部"]})
    out = group_ranking(TinyGateway(counter_total=totals, agency_parent=parents), day.date()).set_index("parent")
    assert out["members"].to_dict() == {"勞動部": 2, "內政部": 2, "新機關": 1}
    assert out["unplaced"].to_dict() == {"勞動部": True, "內政部": False, "新機關": True}
    assert out["downloads"].to_dict() == {"勞動部": 15, "內政部": 15, "新機關": 15}
    assert out["rank_downloads"].tolist() == [1, 1, 1]
    assert out["rank_views"].to_dict() == {"勞動部": 1, "內政部": 1, "新機關": 3}
