"""One agency's scorecard (機關成績單): how it stands on the plan's indicators, its datasets and
its replies, computed from the existing marts.

Ranks are always ranks in the whole group (勞動部及所屬, six agencies) whatever the page is
filtered to: an agency compared with itself would always be first. Where some agencies have no
value the rank says so (「第 3 名／5，1 機關無資料」) instead of ranking them last.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from kpi.metrics.definitions import INDICATORS, NO_DATA, metric, plan_label, show
from kpi.metrics.feedback import feedback_items
from kpi.metrics.plan import Weights, yearly_achievement
from kpi.metrics.plan_notes import explained_achievement
from kpi.metrics.quality import dataset_quality, has_catalogue
from kpi.metrics.scope import Scope, snapshot_dates
from kpi.metrics.usage import agency_usage, dataset_changes
from kpi.reference.agencies import MINISTRY_OFFICIAL
from kpi.reference.dates import roc
from kpi.store import Gateway

GROUP = MINISTRY_OFFICIAL
# Display headings of the scorecard's own columns (the values come from the metric catalogue).
LABELS = {"indicator": "指標", "actual": "實績", "target": "目標", "status": "達成情形",
          "rank": "名次（六機關）", "note": "說明", "figure": "項目", "value": "數值",
          "problems": "待改善事項", "snapshot": "快照日", "direction": "方向"}
STATUS = {True: "● 達成", False: "✕ 未達成", None: f"○ {NO_DATA}"}
USAGE_KEYS = ("datasets", "views", "downloads", "views_net", "downloads_net")


def group_scope(scope: Scope) -> Scope:
    """The same dates over the whole group: whom an agency is compared with."""
    return Scope(scope.as_of, scope.since, GROUP)


def agency_scope(scope: Scope, agency: str) -> Scope:
    return Scope(scope.as_of, scope.since, (agency,))


def year_scope(scope: Scope, roc_year: int) -> Scope:
    """The plan year's feedback window, as the 6-day indicator counts it (to the as-of date)."""
    year = roc_year + 1911
    return Scope(min(scope.as_of, dt.date(year, 12, 31)), dt.date(year - 1, 12, 31), scope.agencies)


def rank_text(values: pd.Series, agency: str, higher_is_better: bool = True) -> str:
    """「第 n 名／6」 among the agencies that have a value; ties share the better place."""
    known = pd.to_numeric(values, errors="coerce").dropna()
    if agency not in known.index:
        return "—"
    place = int(known.rank(ascending=not higher_is_better, method="min")[agency])
    missing = len(values) - len(known)
    return f"第 {place} 名／{len(known)}" + (f"（{missing} 機關無資料）" if missing else "")


def _status(met: Any) -> str:
    return STATUS[None if met is None or pd.isna(met) else bool(met)]


def indicators(gw: Gateway, scope: Scope, agency: str, roc_year: int, days: str = "calendar",
               weights: Weights | None = None) -> dict[str, Any]:
    """The five indicators vs target for the plan year, each ranked in the group by its score
    (actual ÷ target), and the composite rank only when every indicator has data for all six."""
    frame = explained_achievement(gw, group_scope(scope), roc_year, weights, days).set_index("agency")
    rows = []
    if agency in frame.index:
        r = frame.loc[agency]
        for key in INDICATORS:
            rows.append({"key": key, "indicator": plan_label(key),
                         "actual": show(key, r[f"{key}_actual"]), "target": show(key, r[f"{key}_target"]),
                         "status": _status(r[f"{key}_met"]),
                         "rank": rank_text(frame[f"{key}_score"], agency),
                         "note": r[f"{key}_note"] or "",
                         "actual_value": r[f"{key}_actual"], "met": r[f"{key}_met"]})
    complete = bool(len(frame)) and all(int(n) == len(INDICATORS) for n in frame["indicators_with_data"])
    if agency not in frame.index:
        composite = f"{roc_year} 年行動方案未訂此機關之目標"
    elif complete:
        composite = (f"綜合排名 {rank_text(frame['composite'], agency)}（綜合分數 "
                     f"{show('composite', frame.loc[agency, 'composite'])}）")
    else:
        have = [k for k in INDICATORS if frame[f"{k}_score"].notna().all()]
        composite = (f"不排綜合名次：六機關皆有資料之指標僅 {len(have)}/{len(INDICATORS)} 項"
                     + (f"（{'、'.join(metric(k).short_label for k in have)}）" if have else ""))
    return {"table": pd.DataFrame(rows), "composite": composite, "complete": complete}


def usage_standing(gw: Gateway, scope: Scope, agency: str) -> pd.DataFrame:
    """Datasets, views, downloads and their growth, each with the agency's rank in the group."""
    frame = agency_usage(gw, group_scope(scope)).set_index("agency")
    rows = []
    for key in USAGE_KEYS:
        value = frame.loc[agency, key] if agency in frame.index else None
        rows.append({"key": key, "figure": metric(key).label, "value": show(key, value),
                     "rank": rank_text(frame[key], agency)})
    return pd.DataFrame(rows)


TREND_SNAPSHOTS = 12  # each point is a whole yearly computation: 300 weekly snapshots took 44 s


def indicator_trend(gw: Gateway, scope: Scope, agency: str, roc_year: int,
                    days: str = "calendar") -> pd.DataFrame:
    """One row per snapshot up to the as-of date (the latest TREND_SNAPSHOTS of them): the
    agency's indicator values for the plan year as they could be computed at that snapshot
    (無資料 where they could not)."""
    rows = []
    for day in [d for d in snapshot_dates(gw) if d <= scope.as_of][-TREND_SNAPSHOTS:]:
        frame = yearly_achievement(gw, Scope(day, None, GROUP), roc_year, days=days).set_index("agency")
        row = {"snapshot_on": day, "snapshot": roc(day)}
        for key in INDICATORS:
            value = frame.loc[agency, f"{key}_actual"] if agency in frame.index else None
            row[plan_label(key)] = show(key, value)
        rows.append(row)
    return pd.DataFrame(rows)


def no_comparison(gw: Gateway, as_of: dt.date) -> str:
    """Why there is no comparison: no earlier snapshot at all, or none chosen."""
    if not [d for d in snapshot_dates(gw) if d < as_of]:
        return f"沒有早於 {roc(as_of)} 的快照"
    return "未選比較基準日"


def added_removed(changes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Datasets new since the comparison snapshot, and those gone from it."""
    added = changes[changes["change_kind"] == "new"].sort_values(["downloads", "dataset_name"],
                                                                 ascending=[False, True])
    removed = changes[changes["change_kind"] == "removed"].sort_values(
        ["downloads_before", "dataset_name"], ascending=[False, True])
    return added.reset_index(drop=True), removed.reset_index(drop=True)


def movers(changes: pd.DataFrame, n: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Top ``n`` by download growth, and the ``n`` biggest declines (counter resets, largest fall
    first): datasets present in both snapshots only."""
    both = changes[changes["change_kind"].isin(["kept", "reset"])].copy()
    both["downloads_change"] = both["downloads_change"].astype("int64")
    growth = both[both["downloads_change"] > 0].sort_values(
        ["downloads_change", "dataset_name"], ascending=[False, True]).head(n)
    falls = both[both["change_kind"] == "reset"].sort_values(
        ["downloads_change", "views_change", "dataset_name"]).head(n)
    return growth.reset_index(drop=True), falls.reset_index(drop=True)


def dataset_moves(gw: Gateway, scope: Scope, agency: str, n: int = 5) -> dict[str, pd.DataFrame] | None:
    """Added, removed, top growth and biggest decline of one agency since the comparison date."""
    if scope.since is None:
        return None
    changes = dataset_changes(gw, agency_scope(scope, agency))
    added, removed = added_removed(changes)
    growth, decline = movers(changes, n)
    return {"added": added, "removed": removed, "growth": growth, "decline": decline}


def late_feedback(gw: Gateway, scope: Scope, agency: str, roc_year: int,
                  days: str = "calendar") -> dict[str, Any]:
    """The plan year's opinions answered after 6 days or still unanswered past them, judged at
    the date of the export each came from (not at the data date)."""
    items = feedback_items(gw, year_scope(agency_scope(scope, agency), roc_year), days)
    judged_on = sorted({pd.Timestamp(d).date() for d in items["judged_on"].dropna()})
    bad = items[items["judged"].isin(["late", "overdue"])].copy()
    bad["days"] = bad["days"].astype("Int64")
    for col in ("posted_on", "replied_on"):
        bad[col] = [roc(pd.Timestamp(d).date()) if pd.notna(d) else "" for d in bad[col]]
    counts = items["judged"].value_counts()
    return {"items": bad.reset_index(drop=True), "total": len(items),
            "late": int(counts.get("late", 0)), "overdue": int(counts.get("overdue", 0)),
            "pending": int(counts.get("pending", 0)), "judged_on": judged_on}


def _problems(r: dict[str, Any]) -> str:
    out = []
    if int(r["stars"]) == 0:
        out.append("未提供檔案格式")
    elif int(r["stars"]) < 3:
        out.append(f"僅 {int(r['stars'])} 星（非三星以上格式）")
    unknown = r.get("unknown_formats")
    if unknown is not None and len(unknown):
        out.append("格式不在星等對照表：" + "、".join(map(str, unknown)))
    if r["late_update"]:
        out.append("未依更新頻率更新")
    if r["broken_link"]:
        out.append("連結失效")
    if r["wrong_info"]:
        out.append("資訊錯誤（聯絡人、編碼或欄位說明）")
    return "；".join(out)


def quality_problems(gw: Gateway, scope: Scope, agency: str) -> pd.DataFrame | None:
    """The agency's catalogue datasets with something to fix; None when no catalogue is imported."""
    if not has_catalogue(gw):
        return None
    rows = dataset_quality(gw, agency_scope(scope, agency))
    if rows.empty:
        return pd.DataFrame(columns=["dataset_key", "dataset_name", "stars", "problems"])
    rows["problems"] = [_problems(r) for r in rows.to_dict("records")]
    keep = ["dataset_key", "dataset_name", "stars", "problems"]
    return rows[rows["problems"] != ""][keep].reset_index(drop=True)
