"""Growth that adds up (SPEC §5/§8, added 2026-12-03): every total reconciled to the unit, the
2016/10–2017/06 recount named, decline against the previous period of the same length.

Hand-worked values come from the raw files and the independent audit of the embedded default:
附件一 totals 884,091 views / 144,897 downloads (the minutes' 合計 row); the 2018 export's Ministry
rows 966,025 / 150,859; 581 downloads of 13 new datasets, 2,978 of 10 removed; 14,792 downloads
lost in falls (all inside the recount cohort) against rises of 23,151 (the old 「成長」).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json

import numpy as np
import pandas as pd
import pytest

from kpi.build.recounts import RULE, detect
from kpi.metrics.decline import period_usage
from kpi.metrics.recounts import events_in_period
from kpi.metrics.scope import resolve_scope
from kpi.metrics.usage import CHANGE_PARTS, dataset_changes
from kpi.report import build_report

D2017, D2018 = dt.date(2017, 10, 30), dt.date(2018, 7, 20)
SAFETY = "勞動部職業安全衛生署"


def _raw_ministry(built_data) -> pd.DataFrame:
    raw = pd.read_csv(built_data / "raw" / "16-22_data_gov_download.csv", dtype=str, keep_default_na=False)
    raw = raw[raw["提供機關名稱"].str.startswith("勞動部")]
    for col in ("瀏覽人次", "下載次數"):
        raw[col] = raw[col].str.replace(",", "").astype(int)
    return raw


def identity(c: dict) -> bool:
    return c["before"] + c["increase"] - c["fall"] + c["recount"] + c["new"] - c["removed"] == c["after"]


def test_ministry_downloads_reconcile_by_hand(gw, built_data):
    raw = _raw_ministry(built_data)
    seed = pd.read_csv(built_data / "seed" / "usage_20171030.csv")
    report = build_report(gw, resolve_scope(gw))
    d, v = report["total"]["downloads_change"], report["total"]["views_change"]
    assert set(d) == set(CHANGE_PARTS)
    assert (d["before"], d["after"]) == (int(seed["downloads"].sum()), int(raw["下載次數"].sum())) == (
        144_897, 150_859)
    assert (v["before"], v["after"]) == (884_091, 966_025) == (int(seed["views"].sum()), int(raw["瀏覽人次"].sum()))
    assert (d["net"], v["net"]) == (5_962, 81_934)  # what a reader computes from the two totals
    assert (d["new"], d["removed"]) == (581, 2_978)
    # all 14,792 downloads lost in falls lie in the recount cohort: no isolated fall is left, and
    # the cohort's signed change is its own rises less those falls; rises outside it stay rises
    assert d["fall"] == 0 and d["unknown"] == 198
    assert d["increase"] + d["recount"] == 23_151 - 14_792
    assert report["total"]["downloads_growth"] == 23_151  # scripts already handed out read it
    assert d["increase"] == 22_473 and d["recount"] == -14_114
    assert identity(d) and identity(v)


def test_occupational_safety_fell_though_it_rose(gw):
    row = {r["agency"]: r for r in build_report(gw, resolve_scope(gw))["agencies"]}[SAFETY]
    d = row["downloads_change"]
    assert (d["before"], d["after"], d["net"]) == (40_654, 36_268, -4_386)
    assert d["removed"] == 2_337 and row["removed_datasets"] == 6
    assert d["recount"] == 6 - 5_574  # 41 of its 42 cohort datasets fell by 5,574; one rose by 6
    assert d["increase"] == 3_525 - 6 and row["downloads_growth"] == 3_525
    lab = {r["agency"]: r for r in build_report(gw, resolve_scope(gw))["agencies"]}[
        "勞動部勞動及職業安全衛生研究所"]
    assert lab["downloads_change"]["net"] == -345 and lab["downloads_growth"] == 201


def test_the_recount_cohort_is_named(gw):
    scope = resolve_scope(gw)
    events = events_in_period(gw, scope)
    assert len(events) == 1
    e = events.iloc[0]
    assert (e["kind"], e["listed_from"], e["listed_to"]) == ("listing", dt.date(2016, 10, 1), dt.date(2017, 6, 30))
    assert (e["cohort_datasets"], e["cohort_fell"], e["share_outside"]) == (198, 187, 0)
    assert "198 項中 187 項" in e["description"] and "105年10月–106年6月" in e["description"]
    changes = dataset_changes(gw, scope)
    continuing = changes[changes["change_kind"].isin(["kept", "reset", "recount"])]
    month = pd.to_datetime(continuing["listed_on"]).dt.to_period("M")
    inside = month.between(pd.Period("2016-10", "M"), pd.Period("2017-06", "M"))
    assert inside.sum() == 198 and (~inside).sum() == 354
    assert (continuing.loc[inside, "change_kind"] == "recount").all()
    assert not continuing.loc[~inside, "fell"].any()  # none of the 354 others fell
    # one agency's view names the same event with that agency's share of it
    mine = events_in_period(gw, resolve_scope(gw, agencies=["職安署"])).iloc[0]
    assert (mine["datasets"], mine["fell"], mine["cohort_datasets"]) == (42, 41, 198)


def test_report_json_carries_the_parts_and_one_headline(built_data, monkeypatch, capsys):
    from kpi.cli import app

    monkeypatch.setenv("KPI_DATA_DIR", str(built_data))
    with pytest.raises(SystemExit) as done:
        app(["report", "--json"], standalone_mode=True)
    assert done.value.code in (0, None)
    data = json.loads(capsys.readouterr().out)
    for row in [*data["agencies"], data["total"]]:
        for m in ("views_change", "downloads_change"):
            assert identity(row[m]) and row[m]["net"] == row[m]["after"] - row[m]["before"]
    head = data["headline"]["reply_6day_ratio"]
    assert (head["year"], head["on_time"], head["late"], head["overdue"]) == (106, 24, 10, 0)
    assert round(head["ratio"], 3) == round(24 / 34, 3) == 0.706  # 總覽's 70.6%
    assert data["recount_events"][0]["cohort_datasets"] == 198


def test_no_comparison_means_no_parts(gw):
    row = build_report(gw, resolve_scope(gw, as_of=D2017))["total"]
    assert row["downloads_change"] is None and row["views_change"] is None
    national = build_report(gw, resolve_scope(gw, national=True))
    other = {r["agency"]: r for r in national["agencies"]}["文化部"]
    assert other["downloads_change"] is None  # the 2017 snapshot did not cover it
    assert identity(national["total"]["downloads_change"])


def test_two_snapshots_say_which_third_is_needed(gw):
    got = period_usage(gw, resolve_scope(gw))
    assert not got["available"]
    # the period is 263 days; the previous one of the same length starts 106/02/09
    assert (D2018 - D2017).days == 263 and D2017 - dt.timedelta(days=263) == dt.date(2017, 2, 9)
    assert "106/02/09" in got["needed"]


# ---- the rule, on synthetic pairs that reach each boundary -------------------------------------

def _pair(groups: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    """(agency, listing month, datasets, of which fell) → one row per continuing dataset."""
    rows = []
    for agency, month, n, k in groups:
        rows += [{"agency": agency, "month": pd.Period(month, "M"), "fell": i < k,
                  "views_change": -1 if i < k else 1, "downloads_change": 0} for i in range(n)]
    return pd.DataFrame(rows)


def test_a_listing_window_is_found_and_its_edges_kept():
    pair = _pair([("A", "2016-09", 30, 0), ("A", "2016-10", 12, 11), ("B", "2016-11", 10, 9),
                  ("A", "2016-12", 5, 0), ("B", "2017-01", 40, 1)])
    found = detect(pair, None)
    assert [k for k, _ in found] == ["listing"]
    months = set(pair.loc[found[0][1], "month"].astype(str))
    assert months == {"2016-10", "2016-11"}  # across agencies; the 0-fall month after is left out


def test_an_agency_cohort_beats_a_window_when_it_explains_more():
    pair = _pair([("A", m, 10, 9) for m in ("2015-01", "2016-01", "2017-01")]
                 + [("B", m, 30, 0) for m in ("2015-01", "2016-01", "2017-01")])
    found = detect(pair, None)
    assert [k for k, _ in found] == ["agency"]
    assert set(pair.loc[found[0][1], "agency"]) == {"A"}


@pytest.mark.parametrize(("n", "k", "named"), [(20, 10, True), (20, 9, False), (19, 10, False),
                                               (40, 19, False), (40, 20, True)])
def test_thresholds_on_both_sides(n, k, named):
    """min_cohort 20, min_falls 10, min_share 50 %: each boundary on both sides."""
    assert (RULE.min_cohort, RULE.min_falls, RULE.min_share) == (20, 10, 0.5)
    pair = _pair([("A", "2016-10", n, k), ("A", "2014-01", 200, 0)])
    assert bool(detect(pair, None)) is named


def test_isolated_resets_stay_resets():
    rng = np.random.default_rng(7)
    pair = _pair([("A", f"20{y}-{m:02d}", 20, int(rng.integers(0, 2))) for y in (14, 15, 16) for m in (1, 6, 11)])
    assert detect(pair, None) == []


def test_portal_wide_recount_needs_a_usual_rate_far_below():
    pair = _pair([("A", "2016-10", 30, 20), ("B", "2015-03", 30, 19)])
    assert [k for k, _ in detect(pair, None)] == ["portal"]  # no earlier pair: the share alone
    assert detect(pair, 0.06) != [] and detect(pair, 0.2) == []  # 65 % ≥ 5 × 6 %, not ≥ 5 × 20 %


# ---- the office's decision, audited and undoable -----------------------------------------------

@pytest.mark.slow  # ≈6 s: the full suite runs it, the quick loop does not
def test_office_rejects_then_undoes(fresh_data):
    from kpi import service
    from kpi.store import gateway

    event_id = events_in_period(gateway(), resolve_scope(gateway()))["event_id"].iloc[0]
    with pytest.raises(ValueError, match="理由"):
        service.decide_recount("資訊處", {"event_id": event_id, "decision": "reject", "note": " "})
    with pytest.raises(ValueError, match="沒有代號"):
        service.decide_recount("資訊處", {"event_id": "x", "decision": "note", "note": "?"})
    service.decide_recount("資訊處", {"event_id": event_id, "decision": "reject", "note": "平臺說明為個別修正"})
    gw = gateway()
    d = build_report(gw, resolve_scope(gw))["total"]["downloads_change"]
    assert (d["recount"], d["unknown"], d["fall"]) == (0, 0, 14_792)  # falls are resets again
    assert d["increase"] == 23_151 and identity(d)
    assert events_in_period(gw, resolve_scope(gw))["status"].iloc[0] == "rejected"
    audit = [json.loads(x) for x in (fresh_data / "audit" / "audit.jsonl").read_text().splitlines()]
    assert audit[-1]["action"] == "decide-recount" and audit[-1]["decision"] == "reject"
    service.decide_recount("資訊處", {"event_id": event_id, "decision": "undo"})
    gw = gateway()
    assert build_report(gw, resolve_scope(gw))["total"]["downloads_change"]["unknown"] == 198


# ---- the identity at every pair of snapshots, the append path and 衰退 -------------------------

@pytest.fixture(scope="module")
def grown(store_template, tmp_path_factory):
    """Three weekly national snapshots after 2018-07-20 (bench/generate.py, 1× pace), imported
    one by one through the real import path (the append path writes the recount tables)."""
    from bench.generate import load_base, step, write_usage
    from tests.helpers.store import built_copy

    path = built_copy(store_template, tmp_path_factory.mktemp("grown") / "data")
    history = load_base(seed=3)
    files = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KPI_DATA_DIR", str(path))
        from kpi.service import commit, preview

        day = D2018
        for _ in range(3):
            day += dt.timedelta(days=7)
            frame = step(history, day).copy()
            if len(files) == 1:  # the second week: one agency's counters recounted
                hit = frame["publisher"] == "交通部中央氣象局"
                frame.loc[hit, "downloads"] = frame.loc[hit, "downloads"] // 3
            target = path / f"usage_{day}.csv"
            write_usage(frame, target)
            commit(preview("usage", target, day), "test")
            files.append((day, frame))
    return path, files


@pytest.mark.slow  # ≈24 s with its module's store: the full suite runs it, the quick loop does not
def test_identity_at_every_pair_and_scope(grown, monkeypatch):
    from kpi.store import gateway

    path, _ = grown
    monkeypatch.setenv("KPI_DATA_DIR", str(path))
    gw = gateway()
    dates = [d for d in [D2017, D2018, *[d for d, _ in grown[1]]]]
    checked = 0
    for since, as_of in itertools.combinations(dates, 2):
        for national in (False, True):
            report = build_report(gw, resolve_scope(gw, as_of=as_of, since=since, national=national))
            for row in [*report["agencies"], report["total"]]:
                for m in ("views_change", "downloads_change"):
                    if row[m] is not None:
                        assert identity(row[m]), (since, as_of, row["agency"], m)
                        checked += 1
    assert checked > 4000


@pytest.mark.slow  # ≈24 s with its module's store: the full suite runs it, the quick loop does not
def test_an_appended_week_names_the_agency_recount(grown, monkeypatch):
    from kpi.store import gateway

    path, files = grown
    monkeypatch.setenv("KPI_DATA_DIR", str(path))
    gw = gateway()
    (w1, _), (w2, _), (w3, _) = files
    events = events_in_period(gw, resolve_scope(gw, as_of=w2, since=w1, national=True))
    assert events["kind"].tolist() == ["agency"] and "交通部中央氣象局" in events["description"].iloc[0]
    assert events_in_period(gw, resolve_scope(gw, as_of=w3, since=w2, national=True)).empty
    # spanning the break, the cohort's growth stays unknown
    spanning = build_report(gw, resolve_scope(gw, as_of=w3, since=w1, agencies=["交通部中央氣象局"],
                                              national=True))["total"]["downloads_change"]
    assert spanning["unknown"] > 0 and spanning["increase"] == 0 and spanning["fall"] == 0


@pytest.mark.slow  # ≈24 s with its module's store: the full suite runs it, the quick loop does not
def test_decline_against_the_previous_week(grown, monkeypatch):
    from kpi.store import gateway

    path, files = grown
    monkeypatch.setenv("KPI_DATA_DIR", str(path))
    gw = gateway()
    (w1, f1), (w2, f2), (w3, f3) = files
    labour = "勞動部勞工保險局"
    got = period_usage(gw, resolve_scope(gw, as_of=w3, since=w2, agencies=["勞保局"], national=True))
    assert got["available"] and got["start"] == w1 and got["days"] == got["days_previous"] == 7
    # by hand from the generated frames: usage in each week per dataset name of the agency
    keys = ["publisher", "dataset_name"]
    one, two, three = (f[f["publisher"] == labour].set_index(keys)["downloads"] for f in (f1, f2, f3))
    both = pd.concat({"a": one, "b": two, "c": three}, axis=1).dropna()
    both = both[(both["b"] >= both["a"]) & (both["c"] >= both["b"])]
    agency = got["agencies"].iloc[0]
    assert agency["compared"] == len(both)
    assert agency["usage"] == int((both["c"] - both["b"]).sum())
    assert agency["usage_previous"] == int((both["b"] - both["a"]).sum())
    assert agency["declined"] == int(((both["c"] - both["b"]) < (both["b"] - both["a"])).sum())


def test_a_change_that_does_not_reconcile_is_never_published(gw, monkeypatch):
    import kpi.report
    from kpi.build.checks import _report_problems

    real = kpi.report.build_report

    def off_by_one(*args, **kwargs):
        report = real(*args, **kwargs)
        report["agencies"][4]["downloads_change"]["recount"] += 1  # 職安署: one download unaccounted
        return report

    assert _report_problems(gw) == []
    monkeypatch.setattr(kpi.report, "build_report", off_by_one)
    problems = _report_problems(gw)
    assert len(problems) == 1 and "累計數的變化對不上" in problems[0] and SAFETY in problems[0]
