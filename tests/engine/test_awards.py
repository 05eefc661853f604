"""Issue 15: 人氣獎 under each eligibility state, and the six agencies as one entity on 全國比較
(ranked among groups since issue 22).

Hand-worked values (2018-07-20 national export; portal maxima 193,052 views — 地政司 實價登錄 —
and 1,155,002 downloads — 中央氣象局 地震報告; ratings 20..100 = 1..5 stars):
- 勞工體格及健康檢查認可醫療機構 (職安署, listed 2013-11-06, 150,159 views, 24,163 downloads, 4 stars):
  30×150159/193052 + 40×24163/1155002 + 30×4/5 = 23.3346 + 0.8368 + 24 = 48.1713.
- CNS11643 全字庫 (國發會, no 上架日, 157,985 / 14,464, 5 stars): 24.5507 + 0.5009 + 30 = 55.0516 —
  cannot be judged a year open: not eligible, listed separately.
- 勞工安全衛生簡訊 (勞研所, gold in the fixture catalogue, listed 2013-11-06, 7,145 / 455, 5 stars):
  30×7145/193052 + 40×455/1155002 + 30 = 1.1103 + 0.0158 + 30 = 31.1261;
  勞工安全衛生研究季刊 (gold, 2013-11-13, 3,559 / 360, 5 stars): 0.5531 + 0.0125 + 30 = 30.5655;
  新制勞工退休基金歷年最低保證收益率 (基金局, gold, 2013-03-31, 5,113 / 934, unrated → 0 rating points):
  0.7946 + 0.0323 + 0 = 0.8269. The fixture's other gold/platinum names are not in the 2018 export.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kpi.metrics.awards import popularity, popularity_basis
from kpi.metrics.scope import resolve_scope
from tests.engine.test_quality import with_catalogue  # noqa: F401  (fixture)

D2018 = dt.date(2018, 7, 20)
BODY = 30 * 150_159 / 193_052 + 40 * 24_163 / 1_155_002 + 30 * 4 / 5
CNS = 30 * 157_985 / 193_052 + 40 * 14_464 / 1_155_002 + 30
CNS_NAME = "CNS11643中文標準交換碼全字庫(簡稱全字庫)"


def _one_snapshot(gw):
    return resolve_scope(gw, as_of=D2018, since=None, since_given=True, national=True)


def test_no_catalogue_one_snapshot(gw):
    scope = _one_snapshot(gw)
    basis = popularity_basis(gw, scope)
    assert "未套用金標章條件：尚未匯入資料集清單" in basis["title"]
    assert basis["period"] == "cumulative"
    assert basis["unrated"] == 32_310 and basis["datasets"] == 35_955
    assert any("未評分之資料集 32,310 / 35,955 項" in n for n in basis["notes"])
    assert any("累計數" in n and "只有一次快照" in n for n in basis["notes"])
    frame = popularity(gw, scope, ministry_only=False, limit=1000, eligible_only=True,
                       same_period=True)
    assert CNS_NAME not in set(frame["dataset_name"])  # no 上架日 → not eligible
    row = frame.set_index("dataset_name").loc["勞工體格及健康檢查認可醫療機構"]
    assert row["popularity_score"] == pytest.approx(BODY)
    assert pytest.approx(48.1713, abs=1e-4) == BODY
    assert row["eligibility"] == "符合已套用條件（金標章未查）"
    assert frame["gold_badge"].isna().all()
    undated = popularity(gw, scope, limit=5, undated=True).set_index("dataset_name")
    assert undated.loc[CNS_NAME, "popularity_score"] == pytest.approx(CNS)
    assert pytest.approx(55.0516, abs=1e-4) == CNS
    assert undated["listed_on"].isna().all()
    assert (undated["eligibility"] == "無上架日，無法判斷").all()


def test_earlier_snapshot_not_covering_the_portal_stays_cumulative(gw):
    """Default since = 106/10/30, which holds only the Ministry: no portal maxima for that period."""
    scope = resolve_scope(gw, national=True)
    basis = popularity_basis(gw, scope)
    assert basis["period"] == "cumulative"
    assert any("106/10/30 之快照未涵蓋 621 個機關" in n for n in basis["notes"])
    frame = popularity(gw, scope, ministry_only=True, eligible_only=True, same_period=True)
    frame = frame.set_index("dataset_name")
    assert frame.loc["勞工體格及健康檢查認可醫療機構", "popularity_score"] == pytest.approx(BODY)


def test_catalogue_with_badges(with_catalogue):  # noqa: F811
    gw = with_catalogue
    scope = _one_snapshot(gw)
    basis = popularity_basis(gw, scope)
    assert basis["title"] == "已套用開放滿一年條件（依上架日）與金標章條件"
    assert any("107/07/20 資料集清單" in n for n in basis["notes"])
    frame = popularity(gw, scope, ministry_only=True, limit=1000, eligible_only=True)
    got = dict(zip(frame["dataset_name"], frame["popularity_score"], strict=True))
    assert got == {"勞工安全衛生簡訊": pytest.approx(31.1261, abs=1e-4),
                   "勞工安全衛生研究季刊": pytest.approx(30.5655, abs=1e-4),
                   "新制勞工退休基金歷年最低保證收益率": pytest.approx(0.8269, abs=1e-4)}
    assert (frame["eligibility"] == "符合").all() and frame["gold_badge"].all()
    everyone = popularity(gw, scope, ministry_only=True, limit=1000).set_index("dataset_name")
    assert everyone.loc["勞工體格及健康檢查認可醫療機構", "eligibility"] == "非金標章"


LATER = """提供機關名稱,資料集名稱,瀏覽人次,下載次數,資料集評分,上架日
勞動部職業安全衛生署,勞工體格及健康檢查認可醫療機構,150259,24363,80,2013/11/06
勞動部,初任人員平均經常性薪資,25959,7457,100,2013/11/13
交通部中央氣象局,顯著有感地震報告資料-顯著有感地震報告,117278,1155402,,2017/02/14
勞動部勞動力發展署,職業訓練課程資訊,21000,1900,100,2013/03/31
"""


def test_two_snapshots_use_the_same_period(fresh_data, tmp_path):
    """A later export (2018-12-31) of agencies all present on 2018-07-20: counts are differences.
    Δ: 勞工體格 +100 views / +200 downloads; 初任 +1,000 / +100; 地震 +50 / +400 (unrated);
    職業訓練 views went down (reset): no period count, not scored. Maxima 1,000 views, 400 downloads.
    勞工體格 30×100/1000 + 40×200/400 + 30×4/5 = 3 + 20 + 24 = 47; 初任 30 + 10 + 30 = 70;
    地震 1.5 + 40 + 0 = 41.5."""
    from kpi.service import import_file
    from kpi.store import gateway

    path = tmp_path / "later.csv"
    path.write_text(LATER, encoding="utf-8")
    import_file("usage", path, dt.date(2018, 12, 31), "test")
    gw = gateway()
    scope = resolve_scope(gw, as_of=dt.date(2018, 12, 31), national=True)
    assert scope.since == D2018
    basis = popularity_basis(gw, scope)
    assert basis["period"] == "growth"
    assert any("同期間（107/07/20–107/12/31）" in n for n in basis["notes"])
    cumulative = popularity(gw, scope, limit=10).set_index("dataset_name")  # the old default
    assert cumulative.loc["勞工體格及健康檢查認可醫療機構", "period_views"] == 150_259
    frame = popularity(gw, scope, limit=10, same_period=True).set_index("dataset_name")
    assert frame.loc["初任人員平均經常性薪資", "popularity_score"] == pytest.approx(70)
    assert frame.loc["勞工體格及健康檢查認可醫療機構", "popularity_score"] == pytest.approx(47)
    assert frame.loc["顯著有感地震報告資料-顯著有感地震報告", "popularity_score"] == pytest.approx(41.5)
    assert frame.loc["勞工體格及健康檢查認可醫療機構", "period_downloads"] == 200
    assert frame.loc["職業訓練課程資訊", "eligibility"] == "計數器下降，同期間數不明"
    assert frame.loc["職業訓練課程資訊"].isna()["popularity_score"]
    assert list(frame.index[:3]) == ["初任人員平均經常性薪資", "勞工體格及健康檢查認可醫療機構",
                                     "顯著有感地震報告資料-顯著有感地震報告"]


def test_the_six_agencies_as_one_entity(gw):
    """2018-07-20: the six together 565 datasets, 966,025 views, 150,859 downloads → 12th of 96
    groups (ministries with their agencies, kpi/build/parents.py) by downloads, 10th by views —
    never among single agencies (issue 22; tests/engine/test_national_groups.py works it by hand);
    150,859 / 8,250,152 = 1.83 % of the portal's downloads.
    勞動部（本部） alone: 38,670 / 8,250,152 = 0.47 %, 37th of 627 agencies by downloads."""
    from kpi.metrics import national

    frame = national.agency_ranking(gw, D2018)
    totals = national.group_totals(frame)
    assert totals["group_share_downloads"] == pytest.approx(150_859 / 8_250_152)
    assert totals["ministry_share_downloads"] == pytest.approx(38_670 / 8_250_152)
    assert f"{totals['ministry_share_downloads']:.2%}" == "0.47%"
    grouped = national.group_ranking(gw, D2018)
    assert len(grouped) == 96
    g = grouped.set_index("group").loc["勞動部及所屬"]
    assert (g["datasets"], g["views"], g["downloads"]) == (565, 966_025, 150_859)
    assert (g["rank_downloads"], g["rank_views"]) == (12, 10)
    assert "勞動部及所屬" not in set(frame["agency"])
    alone = frame.set_index("agency").loc["勞動部"]
    assert (alone["rank_downloads"], alone["rank_views"]) == (37, 47)


def test_ties_share_a_rank():
    import pandas as pd

    from kpi.metrics.national import _ranked

    frame = _ranked(pd.DataFrame({"downloads": [5, 3, 3, 1], "views": [1, 1, 2, 0]}))
    assert frame["rank_downloads"].tolist() == [1, 2, 2, 4]
    assert frame["rank_views"].tolist() == [2, 2, 1, 4]
