"""The rules issue 28 wrote once, each on both sides of its boundary: the plan year's window,
民國↔西元, the met mark, what a dataset should fix and the partial-ranking sentence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kpi.metrics.definitions import met_mark, met_state, met_word
from kpi.metrics.fixes import fix_items, fix_text
from kpi.metrics.plan_notes import missing_text, partial_sentence
from kpi.metrics.scope import Scope, plan_year_window
from kpi.reference.dates import ad_year, roc_year_of

FIXTURES = Path(__file__).parents[1] / "fixtures"
AGENCIES = ("勞動部勞工保險局", "勞動部勞動力發展署")


def test_roc_and_western_years():
    assert ad_year(106) == 2017 and ad_year("113") == 2024
    assert roc_year_of(dt.date(2017, 12, 31)) == 106 and roc_year_of(dt.date(2018, 1, 1)) == 107


def test_plan_year_window_stops_at_the_data_date_inside_the_year():
    got = plan_year_window(Scope(dt.date(2017, 10, 30), dt.date(2017, 9, 1), AGENCIES, national=True), 106)
    assert (got.since, got.as_of, got.agencies) == (dt.date(2016, 12, 31), dt.date(2017, 10, 30), AGENCIES)
    assert got.national is False  # the yearly basis is the group's, as all three copies built it


def test_plan_year_window_stops_at_year_end_after_it():
    got = plan_year_window(Scope(dt.date(2018, 1, 1), None, AGENCIES), 106)
    assert (got.since, got.as_of) == (dt.date(2016, 12, 31), dt.date(2017, 12, 31))
    on_the_day = plan_year_window(Scope(dt.date(2017, 12, 31), None, AGENCIES), 106)
    assert on_the_day.as_of == dt.date(2017, 12, 31)


@pytest.mark.parametrize("met, state", [(True, True), (np.bool_(True), True), (False, False),
                                        (np.bool_(False), False), (None, None), (float("nan"), None),
                                        (pd.NA, None)])
def test_met_reads_every_missing_value_as_no_data(met, state):
    assert met_state(met) is state
    assert met_mark(met) == {True: "● 達成", False: "✕ 未達成", None: "○ 無資料"}[state]
    assert met_word(met) == {True: "達成", False: "未達成", None: "無資料"}[state]
    assert met_word(met, short=True) == {True: "達成", False: "未達", None: "無資料"}[state]


def _row(**over) -> dict:
    return {"stars": 3, "unknown_formats": [], "late_update": False, "broken_link": False,
            "broken_twice": False, "wrong_info": False} | over


def test_fix_rules_on_each_side_of_three_stars():
    assert fix_items(_row(stars=3)) == [] and fix_text(_row(stars=5)) == ""
    assert fix_items(_row(stars=2)) == ["僅 2 星（非三星以上格式），建議提供 CSV/JSON/XML"]
    assert fix_items(_row(stars=1)) == ["僅 1 星（非三星以上格式），建議提供 CSV/JSON/XML"]
    assert fix_items(_row(stars=0)) == ["未提供檔案格式，建議提供 CSV/JSON/XML"]


def test_fix_rules_broken_once_or_twice_and_in_order():
    assert fix_items(_row(broken_link=True)) == ["連結失效"]
    assert fix_items(_row(broken_link=True, broken_twice=True)) == ["連結失效（連續兩次）"]
    every = _row(stars=2, unknown_formats=np.array(["RAR", "7Z"]), late_update=True, broken_link=True,
                 wrong_info=True)
    assert fix_text(every) == ("僅 2 星（非三星以上格式），建議提供 CSV/JSON/XML；格式不在星等對照表：RAR、7Z；"
                               "未依更新頻率更新；連結失效；資訊錯誤（聯絡人、編碼或欄位說明）")


def test_partial_sentence_only_while_partial():
    status = {"complete": False, "headline": "僅依 3/5 項指標：成長量、6日內回復、三星比率", "compared": 6,
              "missing": ["工作小組會議：各機關皆無資料", "勞研所 缺 資訊正確率"]}
    assert partial_sentence(status) == (
        "部分指標排名：僅依 3/5 項指標：成長量、6日內回復、三星比率；名次為全部 6 個機關中的名次，"
        "五項指標齊備前不列獎勵名單。缺少：工作小組會議：各機關皆無資料；勞研所 缺 資訊正確率。")
    assert missing_text(status) == "缺少：工作小組會議：各機關皆無資料；勞研所 缺 資訊正確率。"
    assert partial_sentence(status | {"complete": True}) == ""


@pytest.mark.slow  # ≈6 s: the full suite runs it, the quick loop does not
def test_scorecard_and_fix_list_say_the_same_for_a_dataset(fresh_data):
    """Both read kpi.metrics.fixes: 基金局 F2 (XLS, 2 stars, late) reads the same on both."""
    from kpi.exports.standing import fix_rows
    from kpi.metrics import scorecard
    from kpi.metrics.scope import resolve_scope
    from kpi.service import commit, preview
    from kpi.store import gateway

    day = dt.date(2018, 7, 20)
    commit(preview("catalogue", FIXTURES / "catalogue_real_layout.csv", day), "test")
    commit(preview("qc", FIXTURES / "qc_fund.json", day), "test")
    gw = gateway()
    scope = resolve_scope(gw)
    card = scorecard.quality_problems(gw, scope, "勞動部勞動基金運用局").set_index("dataset_key")["problems"]
    listed = fix_rows(gw, scope).set_index("dataset_key")["problems"]
    assert card.to_dict() == {k: v for k, v in listed.to_dict().items() if k in card.index}
    assert listed["A17000000J-F2"] == "僅 2 星（非三星以上格式），建議提供 CSV/JSON/XML；未依更新頻率更新"
