"""Issue 25: what the public uses, hand-worked on the 2018 export and a small catalogue.

勞研所 (28 datasets on 107/07/20) between 106/10/30 and 107/07/20: 12 continuing datasets whose
counters did not fall, downloads then → now (rise):
所有採樣分析參考方法之目錄 746→802 (56), 勞工安全衛生簡訊 424→455 (31), 勞工安全衛生技術叢書 386→415 (29),
勞工安全衛生研究年報 420→439 (19), 生物偵測分析方法資料庫 385→403 (18), 勞工安全衛生研究季刊 348→360 (12),
各年度單位預算 79→88 (9), 104年度會計月報 78→84 (6), 104年度單位預算 54→60 (6), 各年度單位決算 36→42 (6),
105年度會計月報 146→151 (5), 各年度研究報告 320→324 (4): 201 in all. The other 16 fell (e.g.
安全資料表資料庫 153→92): their use in the period is unknown.

tests/fixtures/catalogue_ilosh_2018.csv (22 columns, SPEC §3) gives 7 of them 服務分類 and formats:
生活安全及品質: 目錄 (CSV;JSON), 技術叢書 (PDF;ZIP), 生物偵測 (CSV), 安全資料表 (XML, fell) → 56 + 29 + 18
= 103 over 3 known, 103/3 per dataset; 公共資訊: 簡訊 (PDF), 年報 (PDF), 各年度單位預算 (XLS;ODS) → 31 + 19 +
9 = 59 over 3; the other 21 are （未分類）: 12 + 6 + 6 + 6 + 5 + 4 = 39 over 6 known.
Formats (a dataset counts under each of its formats): CSV 56 + 18 = 74, JSON 56, PDF 31 + 19 + 29 = 79,
ZIP 29, XLS 9, ODS 9, XML 0 (1 dataset, none known), （無資料集清單） 39.
Top 10 %: ceil(12 × 0.1) = 2 datasets, 56 + 31 = 87 of 201.
No download in the period: a 107/12/31 export for 勞研所 (see the last test).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest

from kpi.metrics import public_use
from kpi.metrics.scope import resolve_scope

FIXTURE = Path(__file__).parents[1] / "fixtures" / "catalogue_ilosh_2018.csv"
ILOSH = "勞動部勞動及職業安全衛生研究所"


@pytest.fixture(scope="module")
def with_catalogue(store_template, tmp_path_factory):
    from tests.helpers.store import built_copy

    path = built_copy(store_template, tmp_path_factory.mktemp("pu") / "data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KPI_DATA_DIR", str(path))
        from kpi.service import commit, preview
        from kpi.store import gateway

        commit(preview("catalogue", FIXTURE, dt.date(2018, 7, 20)), "test")
        yield gateway()


@pytest.fixture
def ilosh(with_catalogue):
    gw = with_catalogue
    return gw, public_use.usage_frame(gw, resolve_scope(gw, agencies=["勞研所"]))


def _independent(gw) -> pd.DataFrame:
    """The same figures from the raw counter rows and the fixture file, with plain pandas."""
    rows = gw.query("SELECT dataset_id, dataset_name, views, downloads, snapshot_date FROM counter "
                    "WHERE agency = ?", [ILOSH])
    now = rows[rows["snapshot_date"] == pd.Timestamp("2018-07-20")]
    then = rows[rows["snapshot_date"] == pd.Timestamp("2017-10-30")]
    both = now.merge(then, on="dataset_id", suffixes=("", "_then"))
    both = both[(both["views"] >= both["views_then"]) & (both["downloads"] >= both["downloads_then"])]
    both = both.assign(rise=both["downloads"] - both["downloads_then"])
    cat = pd.read_csv(FIXTURE, encoding="utf-8-sig")
    return both.merge(cat[["資料集名稱", "服務分類", "檔案格式"]], left_on="dataset_name",
                      right_on="資料集名稱", how="left")


@pytest.mark.slow  # ≈12 s with its module's store: the full suite runs it, the quick loop does not
def test_downloads_per_category_hand_worked_and_independent(ilosh):
    gw, frame = ilosh
    got = public_use.by_category(frame).set_index("service_category")
    assert got.loc["生活安全及品質", ["datasets", "known_datasets", "downloads_in_period"]].tolist() == [4, 3, 103]
    assert got.loc["公共資訊", ["datasets", "known_datasets", "downloads_in_period"]].tolist() == [3, 3, 59]
    assert got.loc["（未分類）", ["datasets", "known_datasets", "downloads_in_period"]].tolist() == [21, 6, 39]
    assert got.loc["生活安全及品質", "downloads_per_dataset"] == pytest.approx(103 / 3)
    assert got["downloads_in_period"].sum() == 201
    mine = _independent(gw).fillna({"服務分類": "（未分類）"}).groupby("服務分類")["rise"].sum()
    assert mine.to_dict() == got["downloads_in_period"].to_dict()
    assert public_use.missing_category(frame) == 21


@pytest.mark.slow  # ≈12 s with its module's store: the full suite runs it, the quick loop does not
def test_downloads_per_format_hand_worked_and_independent(ilosh):
    gw, frame = ilosh
    got = public_use.by_format(frame).set_index("file_format")["downloads_in_period"].to_dict()
    assert got == {"CSV": 74, "JSON": 56, "PDF": 79, "ZIP": 29, "XLS": 9, "ODS": 9, "XML": 0,
                   "（無資料集清單）": 39}
    xml = public_use.by_format(frame).set_index("file_format").loc["XML"]
    assert (xml["datasets"], xml["known_datasets"]) == (1, 0) and pd.isna(xml["downloads_per_dataset"])
    mine = _independent(gw).dropna(subset=["檔案格式"])
    mine = mine.assign(fmt=mine["檔案格式"].str.split(";")).explode("fmt").groupby("fmt")["rise"].sum()
    assert all(got[f] == v for f, v in mine.items())


@pytest.mark.slow  # ≈12 s with its module's store: the full suite runs it, the quick loop does not
def test_top_ten_percent_share(ilosh):
    gw, frame = ilosh
    conc = public_use.concentration(frame)
    assert (conc["datasets"], conc["top_datasets"], conc["top_total"], conc["total"]) == (12, 2, 87, 201)
    assert conc["top_share"] == pytest.approx(87 / 201)
    rises = _independent(gw)["rise"].sort_values(ascending=False)
    top = math.ceil(len(rises) * 0.1)
    assert conc["top_share"] == pytest.approx(rises.head(top).sum() / rises.sum())
    assert conc["curve"]["use_share"].iloc[-1] == pytest.approx(1.0)
    curve = conc["curve"]
    assert (curve["dataset_share"].iloc[0], curve["use_share"].iloc[0]) == (0, 0)  # the origin
    assert curve["dataset_share"].iloc[2] == pytest.approx(2 / 12)
    assert curve["use_share"].iloc[2] == pytest.approx(87 / 201)


@pytest.mark.slow  # ≈12 s with its module's store: the full suite runs it, the quick loop does not
def test_without_comparison_the_cumulative_counters(with_catalogue):
    gw = with_catalogue
    scope = dataclasses.replace(resolve_scope(gw, agencies=["勞研所"]), since=None)
    frame = public_use.usage_frame(gw, scope)
    assert frame["known"].all() and frame["downloads_in_period"].sum() == frame["downloads"].sum()


@pytest.mark.slow  # ≈12 s with its module's store: the full suite runs it, the quick loop does not
def test_ranking_sheet_says_how_many_lack_a_category(with_catalogue):
    from kpi.metrics.public_use_catalogue import category_note

    assert category_note(pd.Series(["a", None, ""])).startswith("服務分類：1 項有資料，2 項沒有")
    assert category_note(pd.Series(["a"])) is None


def _third_snapshot(gw, tmp_path) -> None:
    """A 107/12/31 export for 勞研所: every counter as on 107/07/20 (+50 views), 勞工安全衛生簡訊
    +82 downloads; nothing falls, so no reset or recount hides any dataset's use."""
    from kpi.service import commit, preview

    now = gw.query("SELECT dataset_name, views, downloads FROM counter WHERE snapshot_date = '2018-07-20' "
                   "AND agency = ?", [ILOSH])
    now["downloads"] += (now["dataset_name"] == "勞工安全衛生簡訊") * 82
    path = tmp_path / "ilosh_20181231.csv"
    now.assign(views=now["views"] + 50).rename(columns={
        "dataset_name": "資料集名稱", "views": "瀏覽次數", "downloads": "下載次數"}).to_csv(
        path, index=False, encoding="utf-8-sig")
    commit(preview("usage", path, dt.date(2018, 12, 31), agency="勞研所"), "test")


def test_no_download_per_agency_and_risers_and_decliners(fresh_data, tmp_path):
    """107/07/20–107/12/31 (164 days) for 勞研所: 28 datasets, all comparable, 27 with no download.
    The page's 成長與衰退 is the growth work's (kpi/metrics/decline.py): the previous period
    106/10/30–107/07/20 (263 days) is scaled to 164. 簡訊 31 × 164/263 = 19.33 → 19, now 82: the only
    riser (+63); 目錄 56 → 34.92 → 35, now 0 (−35), then 技術叢書 29 → 18.08 → 18 (−18), 年報 19 →
    11.85 → 12 (−12)."""
    from kpi.metrics.decline import period_usage
    from kpi.store import gateway

    gw = gateway()
    assert not period_usage(gw, resolve_scope(gw, agencies=["勞研所"]))["available"]  # two snapshots
    _third_snapshot(gw, tmp_path)
    gw = gateway()
    scope = resolve_scope(gw, agencies=["勞研所"])
    assert (scope.since, scope.as_of) == (dt.date(2018, 7, 20), dt.date(2018, 12, 31))
    frame = public_use.usage_frame(gw, scope)
    counts = public_use.no_download(frame, scope.agencies)
    assert counts.iloc[0][["datasets", "known_datasets", "no_download"]].tolist() == [28, 28, 27]
    zero = public_use.no_download_list(frame, scope.agencies)
    assert len(zero) == 27 and "勞工安全衛生簡訊" not in set(zero["dataset_name"])
    raw = gw.query("SELECT count(*) AS n FROM counter a JOIN counter b USING (dataset_id) WHERE a.agency = ? "
                   "AND a.snapshot_date = '2018-12-31' AND b.snapshot_date = '2018-07-20' "
                   "AND a.downloads = b.downloads", [ILOSH])
    assert int(raw["n"].iloc[0]) == 27

    trend = period_usage(gw, scope)
    assert trend["start"] == dt.date(2017, 10, 30) and (trend["days"], trend["days_previous"]) == (164, 263)
    rows = trend["datasets"].set_index("dataset_name")
    assert rows.loc["勞工安全衛生簡訊", ["usage_previous", "usage", "difference"]].tolist() == [19, 82, 63]
    assert (rows["difference"] > 0).sum() == 1
    assert trend["datasets"]["dataset_name"].tolist()[:3] == [
        "所有採樣分析參考方法之目錄", "勞工安全衛生技術叢書", "勞工安全衛生研究年報"]
    assert trend["datasets"]["difference"].tolist()[:3] == [-35, -18, -12]
