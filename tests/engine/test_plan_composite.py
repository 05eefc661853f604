"""Issue 15: the plan composite under calendar and working days, each missing-indicator method, the
cap and bonus settings, and the day count reaching the report, Excel and 計算說明.

106 (2017), data as shipped: only growth (new_datasets) and the 6-day ratio have data (meetings,
correctness and three-star are absent for every agency, so they are left out under every method).
Scores = min(actual / target, 1) × 100; composite = mean of the two + bonus_max (5) × replies
within 3 days / replies answered.

Calendar days (附件三): 職安署 (18/18 → 100, 2/2 → 100) + 5×1/2 = 102.50; 基金局 (10/13 → 76.923,
1/1 → 100) + 5×0/1 = 88.46; 勞保局 (32/45 → 71.111, 0.8/0.95 → 84.211) + 5×3/5 = 80.66;
勞發署 (25/32 → 78.125, 0.625/0.95 → 65.789) + 5×7/16 = 74.14; 勞動部 (0/13 → 0, 0.7/0.95 → 73.684)
+ 5×5/10 = 39.34; 勞研所 growth only 2/9 → 22.22.
Working days: 基金局 88.462 + 5×1/1 = 93.46; 勞發署 (78.125 + 0.8125/0.95 → 85.526)/2 + 5×9/16 =
81.826 + 2.8125 = 84.64; 勞保局 77.661 + 5×4/5 = 81.66; 勞動部 36.842 + 5×6/10 = 39.84 → third place
changes from 勞保局 to 勞發署.
"""

from __future__ import annotations

import io

import pytest

from kpi.metrics.plan import Weights, yearly_achievement
from kpi.metrics.scope import resolve_scope

OSH, FUND, BLI, WDA, MOL, ILOSH = ("勞動部職業安全衛生署", "勞動部勞動基金運用局", "勞動部勞工保險局",
                                   "勞動部勞動力發展署", "勞動部", "勞動部勞動及職業安全衛生研究所")


def _composites(gw, weights=None, days="calendar"):
    frame = yearly_achievement(gw, resolve_scope(gw), 106, weights, days)
    return frame, dict(zip(frame["agency"], frame["composite"], strict=True))


def test_calendar_days(gw):
    frame, got = _composites(gw)
    assert got[OSH] == pytest.approx(100 + 5 * 1 / 2)
    assert got[FUND] == pytest.approx((10 / 13 * 100 + 100) / 2)
    assert got[BLI] == pytest.approx((32 / 45 * 100 + 80 / 0.95) / 2 + 5 * 3 / 5)
    assert got[WDA] == pytest.approx((25 / 32 * 100 + 62.5 / 0.95) / 2 + 5 * 7 / 16)
    assert got[MOL] == pytest.approx(70 / 0.95 / 2 + 5 * 5 / 10)
    assert got[ILOSH] == pytest.approx(2 / 9 * 100)
    assert [round(got[a], 2) for a in (OSH, FUND, BLI, WDA, MOL, ILOSH)] == [
        102.5, 88.46, 80.66, 74.14, 39.34, 22.22]
    assert list(frame["agency"][:3]) == [OSH, FUND, BLI]


def test_working_days_change_the_third_place(gw):
    frame, got = _composites(gw, days="working")
    assert got[FUND] == pytest.approx((10 / 13 * 100 + 100) / 2 + 5)
    assert got[WDA] == pytest.approx((25 / 32 * 100 + 81.25 / 0.95) / 2 + 5 * 9 / 16)
    assert got[BLI] == pytest.approx((32 / 45 * 100 + 80 / 0.95) / 2 + 5 * 4 / 5)
    assert [round(got[a], 2) for a in (OSH, FUND, WDA, BLI, MOL)] == [102.5, 93.46, 84.64, 81.66, 39.84]
    assert list(frame["agency"][:3]) == [OSH, FUND, WDA]


@pytest.mark.parametrize("method,expected", [("exclude", 2 / 9 * 100), ("zero", 2 / 9 * 100 / 2),
                                             ("none", None)])
def test_missing_indicator_methods(gw, method, expected):
    """勞研所 has no opinions in 2017: excluded → 22.22 (growth alone), as 0 → (22.22 + 0)/2 = 11.11,
    none → no composite and no rank. Agencies with both indicators are unchanged (102.50 …)."""
    frame, got = _composites(gw, Weights(missing=method))
    row = frame.set_index("agency").loc[ILOSH]
    if expected is None:
        assert row["composite"] != row["composite"] and row["rank"] != row["rank"]
    else:
        assert got[ILOSH] == pytest.approx(expected)
    assert got[OSH] == pytest.approx(102.5)
    assert row["indicators_lacking"] == "6日內回復"


def test_no_cap_and_bonus_threshold(gw):
    """cap off: 職安署 reply 1/0.95 → 105.263, (100 + 105.263)/2 + 2.5 = 105.13.
    threshold 5 days (calendar): 勞發署 10 of 16 answered within 5 days → 5×10/16 = 3.125,
    (78.125 + 65.789)/2 + 3.125 = 75.08."""
    _, got = _composites(gw, Weights(cap=False))
    assert got[OSH] == pytest.approx((100 + 100 / 0.95) / 2 + 2.5)
    assert round(got[OSH], 2) == 105.13
    frame, got = _composites(gw, Weights(bonus_threshold_days=5))
    assert frame.set_index("agency").loc[WDA, "bonus_reply"] == pytest.approx(5 * 10 / 16)
    assert round(got[WDA], 2) == 75.08


@pytest.mark.parametrize("bad", [{"missing": "drop"}, {"bonus_threshold_days": 6}, {"cap": "yes"},
                                 {"meetings": 4}])
def test_settings_are_validated(bad):
    with pytest.raises(ValueError):
        Weights.from_dict(bad)


def test_settings_written_through_the_service(fresh_data):
    from kpi.metrics.plan import weights_in_force
    from kpi.service import set_weights

    set_weights({"missing": "none", "cap": False, "bonus_threshold_days": 2}, "資訊處")
    weights, saved = weights_in_force()
    assert (weights.missing, weights.cap, weights.bonus_threshold_days) == ("none", False, 2.0)
    assert saved["set_by"] == "資訊處"


def test_notes_say_what_each_indicator_covers(gw):
    from kpi.metrics.plan_notes import coverage, explained_achievement

    scope = resolve_scope(gw)
    covers = coverage(gw, scope, 106, "working")
    assert covers["reply_6day_ratio"] == "106 年第 2 次會議紀錄 附件三 35 則，106/04/20–106/10/26；回復日數以工作日計"
    assert "107/07/20 快照之上架日" in covers["new_datasets"]
    frame = explained_achievement(gw, scope, 106).set_index("agency")
    assert frame.loc[MOL, "new_datasets_note"] == "106 年上架 0 項；至 106 年底累計上架 114 項，資料集數量計畫 69 項"
    assert frame.loc[ILOSH, "composite_note"] == "未計入：6日內回復（無資料）"
    assert frame.loc[OSH, "composite_note"].startswith("超過 100：各指標以 100 分為上限，另加分 2.50")
    assert "依其比率酌以加分" in frame.loc[OSH, "composite_note"]


def test_days_reach_report_and_excel(gw):
    import openpyxl

    from kpi.exports.standing import write_agency_ranking
    from kpi.exports.workbook import Book
    from kpi.report import build_report

    scope = resolve_scope(gw)
    assert build_report(gw, scope, "working")["days"] == "working"
    assert build_report(gw, scope)["days"] == "calendar"
    book = Book(scope)
    write_agency_ranking(book, gw, scope, Weights(), days="working")
    ws = openpyxl.load_workbook(io.BytesIO(book.close())).worksheets[0]
    rows = {r[1]: r for r in ws.iter_rows(values_only=True) if r and r[1] in ("基金局", "勞發署")}
    header = next(r for r in ws.iter_rows(values_only=True) if r and r[0] == "名次")
    col = header.index("綜合分數")
    assert round(rows["基金局"][col], 2) == 93.46 and round(rows["勞發署"][col], 2) == 84.64
    text = " ".join(str(c) for r in ws.iter_rows(values_only=True) for c in r if c)
    assert "回復日數：工作日" in text


def test_calculation_notes_quote_the_plan():
    from kpi.metrics.notes import CALCULATION_NOTES

    text = "\n".join(f"{a} {b}" for a, b in CALCULATION_NOTES)
    assert "依其比率酌以加分" in text and "凡開放達1年且經品質檢測取得金標章之資料集" in text
    assert "勞動部（本部）" in text and "下一名次跳號" in text
