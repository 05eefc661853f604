"""機關成績單 (issue 10 item 9) on the embedded default data, figures worked out by hand.

勞保局 (勞動部勞工保險局) between the snapshots 106/10/30 and 107/07/20:
- datasets 194 → 198: 4 added (上架 106/11/02, 106/11/29, 106/12/06, 107/01/22), 0 removed,
  198 = 194 + 4 − 0.
- top mover: 衛生福利部評鑑合格之醫院名單, downloads 3,503 → 4,526 = +1,023; biggest fall
  (a counter reset): 勞保局招標資訊 160 → 40 = −120.
- downloads 34,543: 勞動部 38,670 > 職安署 36,268 > 勞保局 → 第 3 名／6; download growth 4,631:
  only 勞動部 8,750 is higher → 第 2 名／6.
- plan year 106 (no 107 targets): 成長量 = 32 datasets with a 106 上架日 in the 107/07/20 snapshot,
  target 45 → 32/45 = 71.1 %, 未達成. Scores: 職安署 18/18 = 100, 勞發署 25/32 = 78.1,
  基金局 10/13 = 76.9, 勞保局 71.1, 勞研所 2/9 = 22.2, 勞動部 0/13 = 0 → 第 4 名／6.
- 6-day replies in 106 (附件三, judged at the export date 106/10/30): 4 on time + 1 late
  (106-2-13, posted 106/08/25, answered 106/09/06 = 12 days) → 4/5 = 80.0 % < 95.0 %, 未達成.
  Ratios: 職安署 2/2 = 1, 基金局 1/1 = 1, 勞保局 0.8, 勞動部 7/10 = 0.7, 勞發署 10/16 = 0.625,
  勞研所 none → 第 3 名／5 (1 機關無資料).
- meetings, correctness and three-star: nothing entered or imported → 無資料; so no composite rank.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kpi.metrics import scorecard
from kpi.metrics.definitions import INDICATORS, plan_label
from kpi.metrics.scope import resolve_scope
from kpi.metrics.usage import dataset_changes
from tests.helpers.apptest import app

BLI = "勞動部勞工保險局"
FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_usage_and_ranks_in_the_whole_group(gw):
    scope = resolve_scope(gw, agencies=["勞保局"])  # filtered to one agency: still ranked among six
    rows = scorecard.usage_standing(gw, scope, BLI).set_index("key")
    assert rows.loc["datasets", "value"] == "198"
    assert rows.loc["downloads", "value"] == "34,543"
    assert rows.loc["downloads", "rank"] == "第 3 名／6"
    # the net change ranks (the rises alone, 4,631, include recount datasets whose growth is unknown)
    assert rows.loc["downloads_net", "value"] == "+3,066"  # 31,477 → 34,543
    assert rows.loc["downloads_net", "rank"] == "第 2 名／6"  # after 勞動部 +3,388
    assert "downloads_growth" not in rows.index


def test_indicators_vs_target(gw):
    scope = resolve_scope(gw)
    got = scorecard.indicators(gw, scope, BLI, 106)
    rows = got["table"].set_index("key")
    assert list(rows.index) == list(INDICATORS)
    assert rows.loc["new_datasets", ["actual", "target", "status", "rank"]].tolist() == [
        "32", "45", "✕ 未達成", "第 4 名／6"]
    assert rows.loc["reply_6day_ratio", ["actual", "target", "status", "rank"]].tolist() == [
        "80.0%", "95.0%", "✕ 未達成", "第 3 名／5（1 機關無資料）"]
    for key in ("meetings", "correctness_rate", "three_star_ratio"):
        assert rows.loc[key, "actual"] == "無資料" and rows.loc[key, "rank"] == "—"
    assert not got["complete"] and got["composite"] == (
        "不排綜合名次（五項指標未齊備）。缺少：工作小組會議、資訊正確率、三星比率：各機關皆無資料；勞研所 缺 6日內回復。")


def test_trend_one_value_per_snapshot(gw):
    """106/10/30 carries no 上架日 (growth 無資料); both dates see the same 5 replies of 106."""
    trend = scorecard.indicator_trend(gw, resolve_scope(gw), BLI, 106)
    assert trend["snapshot"].tolist() == ["106/10/30", "107/07/20"]
    assert trend[plan_label("new_datasets")].tolist() == ["無資料", "32"]
    assert trend[plan_label("reply_6day_ratio")].tolist() == ["80.0%", "80.0%"]


def test_datasets_added_removed_and_movers(gw):
    moves = scorecard.dataset_moves(gw, resolve_scope(gw), BLI)
    assert len(moves["added"]) == 4 and len(moves["removed"]) == 0
    assert set(moves["added"]["dataset_name"]) == {
        "就業保險提早就業獎助津貼初次核付人數-按年齡組別及性別分", "勞保局雙語詞彙",
        "申請勞工保險職業傷害及職業病給付核定率-按給付種類及類別分", "農保被保險人加保人數統計表-按地區、年齡組別分"}
    top = moves["growth"].iloc[0]
    assert (top["dataset_name"], top["downloads_before"], top["downloads"], top["downloads_change"]) == (
        "衛生福利部評鑑合格之醫院名單", 3503, 4526, 1023)
    # 勞保局招標資訊 fell by 120, but inside the 2016/10–2017/06 recount cohort: its growth is
    # unknown, so it is not a decline (SPEC §5, added 2026-12-03); no isolated fall is left
    assert moves["decline"].empty
    changes = dataset_changes(gw, scorecard.agency_scope(resolve_scope(gw), BLI)).set_index("dataset_name")
    assert (changes.loc["勞保局招標資訊", "downloads_change"], changes.loc["勞保局招標資訊", "change_kind"]) == (
        -120, "recount")
    assert scorecard.dataset_moves(gw, resolve_scope(gw, dt.date(2017, 10, 30)), BLI) is None


def test_late_feedback_judged_at_the_export_date(gw):
    fb = scorecard.late_feedback(gw, resolve_scope(gw), BLI, 106)
    assert (fb["total"], fb["late"], fb["overdue"], fb["pending"]) == (5, 1, 0, 0)
    assert fb["judged_on"] == [dt.date(2017, 10, 30)]
    item = fb["items"].iloc[0]
    assert (item["feedback_id"], item["posted_on"], item["replied_on"], item["days"]) == (
        "106-2-13", "106/08/25", "106/09/06", 12)


def test_quality_problems_need_a_catalogue(gw):
    assert scorecard.quality_problems(gw, resolve_scope(gw), BLI) is None


@pytest.mark.slow  # ≈6 s: the full suite runs it, the quick loop does not
def test_quality_problems_from_the_catalogue(fresh_data):
    """tests/engine/test_quality.py's fixture: 基金局 F2 XLS (2 stars) and late, F3 PDF and no phone,
    F4 downloadable 0, F5 late; F1 and F6 have nothing to fix."""
    from kpi.service import commit, preview
    from kpi.store import gateway

    day = dt.date(2018, 7, 20)
    commit(preview("catalogue", FIXTURES / "catalogue_real_layout.csv", day), "test")
    commit(preview("qc", FIXTURES / "qc_fund.json", day), "test")
    gw = gateway()
    rows = scorecard.quality_problems(gw, resolve_scope(gw), "勞動部勞動基金運用局").set_index("dataset_key")
    assert set(rows.index) == {f"A17000000J-F{i}" for i in (2, 3, 4, 5)}
    assert rows.loc["A17000000J-F2", "problems"] == "僅 2 星（非三星以上格式），建議提供 CSV/JSON/XML；未依更新頻率更新"
    assert "連結失效" in rows.loc["A17000000J-F4", "problems"]
    assert "資訊錯誤" in rows.loc["A17000000J-F3", "problems"]


def test_scorecard_link():
    from pages.ui.links import scorecard_url

    assert scorecard_url("勞動部勞工保險局") == "scorecard?agency=%E5%8B%9E%E4%BF%9D%E5%B1%80"
    assert scorecard_url("勞保局") == scorecard_url("勞動部勞工保險局")


def test_scorecard_page_for_one_agency(gw):
    at = app("pages/scorecard.py", {"agency": ["勞保局"]})
    assert at.title[0].value == "機關成績單：勞保局"
    cells = {str(v) for d in at.dataframe for v in d.value.to_numpy().ravel()}
    assert "第 3 名／6" in cells and "第 4 名／6" in cells
    assert {plan_label(k) for k in INDICATORS} <= cells
    assert "資料集異動：新增 4 項、下架或改名 0 項" in [h.value for h in at.header]
    assert any("以 106/10/30 匯出資料判定" in c.value for c in at.caption)


def test_scorecard_page_with_several_agencies_asks_which(gw):
    at = app("pages/scorecard.py", {"agency": ["勞發署", "勞保局"]})
    picker = next(s for s in at.selectbox if s.label == "機關")
    assert picker.value == "勞動部勞動力發展署"  # the first chosen
    assert at.title[0].value == "機關成績單：勞發署"


def test_scorecard_page_for_the_group_without_an_earlier_snapshot(gw):
    """The group chosen: the picker defaults to 勞動部 (first of the six); 106/10/30 is the first
    snapshot, so the page says there is nothing to compare with instead of listing changes."""
    at = app("pages/scorecard.py", {"agency": ["勞動部及所屬"], "as_of": "2017-10-30"})
    assert next(s for s in at.selectbox if s.label == "機關").value == "勞動部"
    assert at.title[0].value == "機關成績單：勞動部"
    assert any("沒有早於 106/10/30 的快照" in i.value for i in at.info)
