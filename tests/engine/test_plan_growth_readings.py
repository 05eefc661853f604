"""Issue 22 item 5: both readings of the action plan's 成長量, and the office's choice of reading.

(a) datasets listed in the year (附件二; the default, today's figure); (b) the year's net increase of
the agency's dataset total between a snapshot on/before 1/1 and one on/after 12/31.

Embedded default (snapshots 2017-10-30, 2018-07-20), ROC 106 = 2017: no snapshot on or before
2017-01-01, so (b) has no value for any agency and names the one needed (「105/12/31（或 106/01/01）
以前」); 2018-07-20 is after 2017-12-31, so the year-end side is there. (a) as shipped (2018-07-20
上架日 in 2017): 職安署 18, 基金局 10, 勞保局 32, 勞發署 25, 勞動部 0, 勞研所 2. The plan's totals
(data/seed/plan_counts.csv): 勞動部 105 → 106 = 56 → 69, an increase of 13 = its 成長量 target.

Bracketed fixture (built below through the import path, names taken from data/raw and data/seed):
a usage file as of 2016-12-31 holding 職安署's 55 datasets listed by 2016 whose names are identical
in 附件一 (2017-10-30) and in the 2018-07-20 export, plus 8 names found nowhere else, and 勞動部's
first 80 such datasets plus 2 such names. Against 2018-07-20 (職安署 77, 勞動部 114 rows in the raw
export): 職安署 63 → 77 = +14 (22 added, 8 removed); 勞動部 82 → 114 = +32 (34 added, 2 removed).
Composite 106, calendar days, reading (b): 職安署 growth 14/18 → 77.78, reply 2/2 → 100, bonus
5 × 1/2 → (77.78 + 100)/2 + 2.5 = 91.39 (reading (a): 102.50); 勞動部 32/13 → 100 (capped), reply
0.7/0.95 → 73.68, bonus 5 × 5/10 → 89.34 (reading (a): 39.34).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from kpi.metrics.plan import Weights, yearly_achievement
from kpi.metrics.plan_growth import growth_readings
from kpi.metrics.scope import resolve_scope
from tests.helpers.apptest import app
from tests.helpers.office import allow_office
from tests.helpers.store import SOURCE, USAGE_HEADER, built_copy

OSH, FUND, BLI, WDA, MOL, ILOSH = ("勞動部職業安全衛生署", "勞動部勞動基金運用局", "勞動部勞工保險局",
                                   "勞動部勞動力發展署", "勞動部", "勞動部勞動及職業安全衛生研究所")
NEEDED_START = "需要 105/12/31（或 106/01/01）以前一次快照"


def _raw() -> pd.DataFrame:
    raw = pd.read_csv(SOURCE / "raw" / "16-22_data_gov_download.csv")
    raw["listed"] = pd.to_datetime(raw["上架日"])
    return raw


def _kept_names(agency: str, raw: pd.DataFrame) -> list[str]:
    """Names listed by 2016-12-31 in the 2018 export and identical in 附件一 (2017-10-30)."""
    seed = pd.read_csv(SOURCE / "seed" / "usage_20171030.csv")
    mine = raw[(raw["提供機關名稱"] == agency) & (raw["listed"] <= "2016-12-31")]
    return [n for n in mine["資料集名稱"] if n in set(seed.loc[seed["publisher"] == agency, "dataset_name"])]


def _file(path, rows: list[tuple[str, str]]):
    path.write_text(USAGE_HEADER + "".join(f"{a},{n},10,1,,\n" for a, n in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def bracketed(store_template, tmp_path_factory):
    """Default data plus five usage imports: 2016-12-31 (職安署, 勞動部), and one agency each on both
    sides of each boundary: 勞研所 2017-01-01, 基金局 2017-01-02, 勞保局 2017-12-30, 勞發署 2017-12-31."""
    path = built_copy(store_template, tmp_path_factory.mktemp("bracketed") / "data")
    files = tmp_path_factory.mktemp("files")
    raw = _raw()
    osh, mol = _kept_names(OSH, raw), _kept_names(MOL, raw)[:80]
    gone = [(OSH, f"已停止提供之職安測試資料{i}") for i in range(8)] + [(MOL, f"已停止提供之勞動測試資料{i}")
                                                                for i in range(2)]
    imports = [(dt.date(2016, 12, 31), [(OSH, n) for n in osh] + [(MOL, n) for n in mol] + gone)]
    for day, agency in ((dt.date(2017, 1, 1), ILOSH), (dt.date(2017, 1, 2), FUND),
                        (dt.date(2017, 12, 30), BLI), (dt.date(2017, 12, 31), WDA)):
        imports.append((day, [(agency, n) for n in _kept_names(agency, raw)[:10]]))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KPI_DATA_DIR", str(path))
        from kpi.service import commit, preview

        for day, rows in imports:
            commit(preview("usage", _file(files / f"usage_{day}.csv", rows), day), "test")
    return {"path": path, "osh": len(osh), "mol": len(mol), "raw": raw}


@pytest.fixture
def bgw(bracketed, monkeypatch):
    monkeypatch.setenv("KPI_DATA_DIR", str(bracketed["path"]))
    from kpi.store import gateway

    return gateway()


def _by_agency(frame: pd.DataFrame) -> dict[str, dict]:
    return {r["agency"]: r for r in frame.to_dict("records")}


# ---- the embedded default: ROC 106 is not bracketed -------------------------------------------

def test_default_106_reading_b_names_the_snapshot_needed_never_zero(gw):
    rows = _by_agency(growth_readings(gw, resolve_scope(gw), 106))
    raw = _raw()
    in_2017 = raw[raw["listed"].dt.year == 2017]["提供機關名稱"].value_counts()
    assert rows[OSH]["listed"] == in_2017[OSH] == 18 and rows[MOL]["listed"] == 0 == in_2017.get(MOL, 0)
    assert {a: rows[a]["listed"] for a in (FUND, BLI, WDA, ILOSH)} == {FUND: 10, BLI: 32, WDA: 25, ILOSH: 2}
    for agency, row in rows.items():
        assert pd.isna(row["net"]) and pd.isna(row["removed"]) and pd.isna(row["before_total"]), agency
        assert row["before_on"] is None and row["after_on"] == dt.date(2018, 7, 20)
        assert row["after_total"] == (raw["提供機關名稱"] == agency).sum() + (
            (raw["提供機關名稱"] == WDA + "技能檢定中心").sum() if agency == WDA else 0)  # rolled up: 92 + 2
        assert row["needed"] == NEEDED_START
    plan = pd.read_csv(SOURCE / "seed" / "plan_counts.csv").set_index(["agency", "roc_year"])["planned_total"]
    assert (rows[MOL]["planned_previous"], rows[MOL]["planned_total"]) == (plan[MOL, 105], plan[MOL, 106]) == (56, 69)
    assert rows[MOL]["planned_increase"] == 13 == rows[MOL]["target"]
    assert rows[OSH]["planned_increase"] == 52 - 34 == rows[OSH]["target"]


def test_default_reading_a_unchanged_and_reading_b_leaves_growth_out(gw):
    """(a) keeps the published composite (tests/engine/test_plan_composite.py); (b) has no growth for anyone,
    so the indicator is left out: 職安署 100 + 2.5 = 102.50, 勞動部 73.68 + 2.5 = 76.18, 勞研所 none."""
    scope = resolve_scope(gw)
    a = yearly_achievement(gw, scope, 106).set_index("agency")
    assert round(a.loc[OSH, "composite"], 2) == 102.5 and round(a.loc[MOL, "composite"], 2) == 39.34
    assert a.loc[MOL, "new_datasets_actual"] == 0
    b = yearly_achievement(gw, scope, 106, Weights(growth_basis="net")).set_index("agency")
    assert b["new_datasets_actual"].isna().all()  # no value, not 0
    assert b.loc[OSH, "composite"] == pytest.approx(100 + 5 * 1 / 2)
    assert b.loc[MOL, "composite"] == pytest.approx(70 / 0.95 + 5 * 5 / 10)
    assert pd.isna(b.loc[ILOSH, "composite"])


def test_unknown_reading_is_refused():
    with pytest.raises(ValueError, match="成長量採計方式"):
        Weights.from_dict({"growth_basis": "total"})


# ---- a store whose snapshots bracket 106 for some agencies ------------------------------------

@pytest.mark.slow  # ≈25 s with its module's store: the full suite runs it, the quick loop does not
def test_net_increase_is_after_minus_before_with_removals(bgw, bracketed):
    raw = bracketed["raw"]
    rows = _by_agency(growth_readings(bgw, resolve_scope(bgw), 106))
    for agency, real, fake in ((OSH, bracketed["osh"], 8), (MOL, bracketed["mol"], 2)):
        after = int((raw["提供機關名稱"] == agency).sum())
        r = rows[agency]
        assert (r["before_on"], r["after_on"]) == (dt.date(2016, 12, 31), dt.date(2018, 7, 20))
        assert (r["before_total"], r["after_total"]) == (real + fake, after)
        assert r["net"] == after - (real + fake) and r["removed"] == fake and r["added"] == after - real
        assert r["needed"] == ""
    assert (rows[OSH]["before_total"], rows[OSH]["after_total"], rows[OSH]["net"]) == (63, 77, 14)
    assert (rows[MOL]["before_total"], rows[MOL]["after_total"], rows[MOL]["net"]) == (82, 114, 32)
    assert rows[OSH]["listed"] == 18 and rows[MOL]["listed"] == 0  # reading (a) beside, unchanged


@pytest.mark.slow  # ≈25 s with its module's store: the full suite runs it, the quick loop does not
def test_each_boundary_on_both_sides(bgw):
    """1/1 counts as the year's start, 1/2 does not; 12/31 counts as its end, 12/30 does not."""
    scope = resolve_scope(bgw)
    rows = _by_agency(growth_readings(bgw, scope, 106))
    assert rows[ILOSH]["before_on"] == dt.date(2017, 1, 1) and rows[ILOSH]["net"] == 28 - 10
    assert rows[FUND]["before_on"] is None and rows[FUND]["needed"] == NEEDED_START
    at_year_end = _by_agency(growth_readings(bgw, dataclasses.replace(scope, as_of=dt.date(2017, 12, 31)), 106))
    assert at_year_end[WDA]["after_on"] == dt.date(2017, 12, 31) and at_year_end[WDA]["needed"] == NEEDED_START
    assert at_year_end[BLI]["after_on"] is None
    assert at_year_end[BLI]["needed"] == "需要 105/12/31（或 106/01/01）以前與 106/12/31 以後各一次快照"
    assert at_year_end[ILOSH]["needed"] == "需要 106/12/31 以後一次快照"
    assert pd.isna(at_year_end[ILOSH]["net"]) and at_year_end[ILOSH]["before_total"] == 10
    assert pd.isna(at_year_end[ILOSH]["after_total"]) and pd.isna(at_year_end[ILOSH]["removed"])


@pytest.mark.slow  # ≈25 s with its module's store: the full suite runs it, the quick loop does not
def test_switching_the_reading_changes_the_composite_and_is_audited(bgw, bracketed):
    from kpi.metrics import plan_notes
    from kpi.metrics.plan import weights_in_force
    from kpi.service import audit_log, set_growth_basis, set_weights

    settings = bracketed["path"] / "settings" / "weights.json"
    scope = resolve_scope(bgw)
    try:
        set_weights({"bonus_max": 4}, "資訊處")
        before = yearly_achievement(bgw, scope, 106, weights_in_force()[0]).set_index("agency")
        assert before.loc[OSH, "composite"] == pytest.approx(100 + 4 * 1 / 2)
        assert before.loc[MOL, "composite"] == pytest.approx(70 / 0.95 / 2 + 4 * 5 / 10)
        kept = settings.read_bytes()
        with pytest.raises(ValueError, match="成長量採計方式"):
            set_growth_basis("total", "資訊處")
        assert settings.read_bytes() == kept  # refused before the lock: nothing written
        set_growth_basis("net", "資訊處")
        weights = weights_in_force()[0]
        assert weights.growth_basis == "net" and weights.bonus_max == 4  # the other settings kept
        after = yearly_achievement(bgw, scope, 106, weights).set_index("agency")
        assert after.loc[OSH, "new_datasets_actual"] == 14 and after.loc[OSH, "new_datasets_met"] is False
        assert after.loc[OSH, "composite"] == pytest.approx((14 / 18 * 100 + 100) / 2 + 4 * 1 / 2)
        assert after.loc[MOL, "composite"] == pytest.approx((100 + 70 / 0.95) / 2 + 4 * 5 / 10)
        assert round(after.loc[OSH, "composite"], 2) == 90.89 and round(after.loc[MOL, "composite"], 2) == 88.84
        last = audit_log()[0]  # newest first
        assert (last["action"], last["user"], last["growth_basis"], last["previous"]) == (
            "set-growth-basis", "資訊處", "net", "listed")
        assert [r["action"] for r in audit_log()][:2] == ["set-growth-basis", "set-weights"]
        assert last["result"] == "完成"
        notes = plan_notes.explained_achievement(bgw, scope, 106, weights).set_index("agency")
        assert notes.loc[OSH, "new_datasets_note"] == ("資料集總數 105/12/31 63 項 → 107/07/20 77 項，"
                                                       "淨增加 14 項（新增 22、下架 8）")
        assert notes.loc[FUND, "new_datasets_note"] == NEEDED_START
        assert plan_notes.method_lines(weights, {})[-1].startswith("成長量：(b) 資料集總數之年增加")
        set_growth_basis("listed", "資訊處")
        back = yearly_achievement(bgw, scope, 106, weights_in_force()[0]).set_index("agency")
        assert back.loc[OSH, "composite"] == pytest.approx(before.loc[OSH, "composite"])
    finally:
        settings.unlink(missing_ok=True)


# ---- the page: both readings shown, only the office can switch --------------------------------

def _growth_table(at: AppTest) -> pd.DataFrame:
    return next(df.value for df in at.dataframe if "(b) 總數淨增加" in df.value.columns)


def test_viewer_sees_both_readings_and_cannot_switch(gw, monkeypatch):
    allow_office(monkeypatch)
    at = app("pages/plan.py")
    assert any(h.value == "成長量的兩種算法（106 年）" for h in at.header)
    table = _growth_table(at).set_index("機關")
    assert table.loc["職安署", "(a) 當年上架"] == 18 and table.loc["勞動部", "(a) 當年上架"] == 0
    assert table["(b) 總數淨增加"].isna().all() and (table["說明"] == NEEDED_START).all()
    assert table.loc["勞動部", "計畫總數（106 年）"] == 69 and table.loc["勞動部", "年底快照"] == "107/07/20：114 項"
    assert table.loc["職安署", "年底快照"] == "107/07/20：77 項" and table["年初快照"].isna().all()
    captions = " ".join(c.value for c in at.caption)
    assert "「成長量(資料集項目)」" in captions and "預計以每年新增至少 130 項資料集之速度增加" in captions
    assert "如 勞動部 56 → 69 = 13" in captions
    assert any(i.value.startswith("綜合分數採用：(a) 當年上架之資料集數") and i.value.endswith("此為資訊處之設定。")
               for i in at.info)
    assert not [r for r in at.radio if r.key == "w_growth_basis"]
    assert not [b for b in at.button if b.label == "儲存成長量採計方式"]


def test_office_switches_the_reading_on_the_page(fresh_data, monkeypatch):
    import streamlit as st

    allow_office(monkeypatch)
    st.cache_data.clear()
    at = app("pages/plan.py", office=True)
    at.radio(key="w_growth_basis").set_value("net")
    next(b for b in at.button if b.label == "儲存成長量採計方式").click().run()
    assert not at.exception, [e.value for e in at.exception]
    saved = json.loads((fresh_data / "settings" / "weights.json").read_text(encoding="utf-8"))
    assert saved["weights"]["growth_basis"] == "net" and saved["set_by"]
    assert any(i.value.startswith("綜合分數採用：(b) 資料集總數之年增加") for i in at.info)
    indicators = next(df.value for df in at.dataframe if "機關" in df.value.columns and "綜合分數" in " ".join(
        df.value.columns)).set_index("機關")
    assert indicators.loc["職安署", "成長量（新增資料集）"] == "無資料（目標 18）"
