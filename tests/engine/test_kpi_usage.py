"""Views, downloads and growth: the real seeds, and a small import whose answer is worked by hand."""

import datetime as dt

import pandas as pd
import pytest

from kpi.metrics.scope import resolve_scope
from kpi.metrics.usage import agency_usage, dataset_changes, ranking

D2017 = dt.date(2017, 10, 30)
D2018 = dt.date(2018, 7, 20)


def test_minutes_snapshot_per_agency(gw):
    scope = resolve_scope(gw, as_of=D2017)
    assert scope.since is None
    frame = agency_usage(gw, scope).set_index("agency")
    assert frame["datasets"].to_dict() == {
        "勞動部": 115, "勞動部勞工保險局": 194, "勞動部勞動力發展署": 88, "勞動部勞動基金運用局": 54,
        "勞動部職業安全衛生署": 83, "勞動部勞動及職業安全衛生研究所": 28}
    assert frame["views"].sum() == 884_091
    assert frame["downloads"].sum() == 144_897
    assert frame["views_growth"].isna().all()


def test_2018_export_ministry_rows(gw):
    scope = resolve_scope(gw)
    assert (scope.as_of, scope.since) == (D2018, D2017)
    frame = agency_usage(gw, scope).set_index("agency")
    assert frame["datasets"].sum() == 565
    assert frame["views"].sum() == 966_025
    assert frame["downloads"].sum() == 150_859
    assert frame.loc["勞動部勞動力發展署", "datasets"] == 94  # 92 + 2 of 技能檢定中心


def test_a_decrease_is_never_negative_growth(gw):
    scope = resolve_scope(gw)
    changes = dataset_changes(gw, scope)
    usage = agency_usage(gw, scope)
    assert (usage["views_growth"] >= 0).all() and (usage["downloads_growth"] >= 0).all()
    # counter_resets counts every continuing dataset whose counter fell (scripts read it so);
    # in the embedded default all 187 lie in the 2016/10–2017/06 recount cohort, so none is an
    # isolated reset (SPEC §5, added 2026-12-03)
    falls = changes[changes["fell"]]
    assert len(falls) == usage["counter_resets"].sum() == 187
    assert set(falls["change_kind"]) == {"recount"}
    assert (changes["change_kind"] == "reset").sum() == 0
    kept = changes[changes["views_change"] >= 0]
    assert usage["views_growth"].sum() == kept["views_change"].sum()
    # and every fall really went down on at least one counter
    assert ((falls["views_change"] < 0) | (falls["downloads_change"] < 0)).all()


def test_national_scope_lists_every_agency(gw):
    scope = resolve_scope(gw, national=True)
    frame = agency_usage(gw, scope)
    assert frame["datasets"].sum() == 35_955 - 0  # every row of the export, none dropped
    other = frame[frame["agency"] == "文化部"].iloc[0]
    assert pd.isna(other["views_growth"])  # the 2017 snapshot did not cover it: no growth


def test_hand_worked_import(fresh_data, tmp_path):
    """勞研所: +100 views/+10 downloads on one, a reset on another, one removed, one new."""
    from kpi.service import commit, preview
    from kpi.store import gateway

    raw = pd.read_csv(fresh_data / "raw" / "16-22_data_gov_download.csv", dtype=str,
                      keep_default_na=False)
    ilosh = raw[raw["提供機關名稱"] == "勞動部勞動及職業安全衛生研究所"].copy()
    assert len(ilosh) == 28
    num = lambda s: int(s.replace(",", ""))  # noqa: E731
    a, b, c = ilosh.index[:3]
    views_a, dl_a = num(ilosh.at[a, "瀏覽人次"]), num(ilosh.at[a, "下載次數"])
    ilosh.at[a, "瀏覽人次"] = f"{views_a + 100:,}"
    ilosh.at[a, "下載次數"] = f"{dl_a + 10:,}"
    ilosh.at[b, "下載次數"] = "0"  # a counter reset (it had more before)
    ilosh = ilosh.drop(index=c)
    extra = pd.DataFrame([{"提供機關名稱": "勞動部勞動及職業安全衛生研究所", "資料集名稱": "全新測試資料集",
                           "瀏覽人次": "5", "下載次數": "1", "資料集評分": "", "上架日": "2019/01/02"}])
    path = tmp_path / "ilosh_2019.csv"
    pd.concat([ilosh, extra]).to_csv(path, index=False)
    commit(preview("usage", path, dt.date(2019, 1, 31)), "test")
    gw = gateway()
    scope = resolve_scope(gw, agencies=["勞研所"])
    assert (scope.as_of, scope.since) == (dt.date(2019, 1, 31), D2018)
    row = agency_usage(gw, scope).iloc[0]
    assert (row["datasets"], row["views_growth"], row["downloads_growth"]) == (28, 100, 10)
    assert (row["counter_resets"], row["new_datasets"], row["removed_datasets"]) == (1, 1, 1)


def test_ranking_is_by_downloads_with_agency(gw):
    frame = ranking(gw, resolve_scope(gw, as_of=D2017))
    assert frame["rank"].tolist() == list(range(1, 563))
    assert frame["downloads"].is_monotonic_decreasing
    assert frame["agency"].notna().all()
    assert frame.iloc[0]["dataset_name"] == "勞工體格及健康檢查認可醫療機構"


def test_popularity_score_by_hand(gw):
    """Maxima over the whole 2018 portal: views 193,052 (地政司 實價登錄), downloads 1,155,002
    (中央氣象局 地震報告). 勞工體格及健康檢查認可醫療機構: 150,159 views, 24,163 downloads, 評分 80 = 4 stars."""
    from kpi.metrics.awards import popularity

    frame = popularity(gw, resolve_scope(gw), ministry_only=True).set_index("dataset_name")
    expected = 30 * 150_159 / 193_052 + 40 * 24_163 / 1_155_002 + 30 * 4 / 5
    assert frame.loc["勞工體格及健康檢查認可醫療機構", "popularity_score"] == pytest.approx(expected)
    assert frame.iloc[0].name == "勞工體格及健康檢查認可醫療機構"
    assert bool(frame.loc["勞工體格及健康檢查認可醫療機構", "open_one_year"]) is True


def test_large_counter_read_in_place_gives_the_same_answers(built_data, monkeypatch):
    """Above MATERIALIZE_MAX_ROWS the counter is a view over the Parquet files, not a copy."""
    from kpi import store
    from kpi.store import database

    monkeypatch.setenv("KPI_DATA_DIR", str(built_data))
    monkeypatch.setattr(database, "MATERIALIZE_MAX_ROWS", 0)
    version = store.read_manifest()
    lazy = store.Gateway(version)
    assert lazy.materialized["counter"] is False
    eager = store.gateway()
    scope = resolve_scope(eager)
    pd.testing.assert_frame_equal(agency_usage(lazy, scope), agency_usage(eager, scope))
    lazy.close()
