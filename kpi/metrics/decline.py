"""衰退 as the committee means it (SPEC §5): usage in the period against usage in the previous
period of the same length — which datasets and agencies grew, which declined, and by how much.

Usage in a period is the rise of a dataset's cumulative counter between the two snapshots. The
previous period ends at the comparison date and starts at the snapshot nearest to one period's
length before it; its usage is scaled to the current period's length (per day × days), so that
unequal spans between irregular snapshots compare fairly. A dataset counts only when it is open
at all three dates and its usage is known in both periods (no fall, not in a recount cohort).
With two snapshots there is no previous period: the result says which snapshot would be needed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from kpi.metrics.scope import Scope, snapshot_dates
from kpi.metrics.usage import dataset_changes
from kpi.reference.dates import roc
from kpi.store import Gateway

KNOWN = ("kept",)  # change kinds whose usage in a period is known (a reset or recount is not)


def previous_start(gw: Gateway, scope: Scope) -> tuple[dt.date | None, dt.date | None]:
    """(the snapshot that starts the previous period, the date it would ideally be)."""
    if scope.since is None:
        return None, None
    ideal = scope.since - (scope.as_of - scope.since)
    earlier = [d for d in snapshot_dates(gw) if d < scope.since]
    if not earlier:
        return None, ideal
    return min(earlier, key=lambda d: (abs((d - ideal).days), d)), ideal


def needed_text(scope: Scope, ideal: dt.date) -> str:
    return (f"判斷衰退需比較同長度的前一期間：需要 {roc(ideal)} 前後的一次快照（目前最早的快照即為比較基準日 "
            f"{roc(scope.since)}），才能與 {roc(scope.since)} 至 {roc(scope.as_of)} 的使用量相比。")


def period_usage(gw: Gateway, scope: Scope, measure: str = "downloads") -> dict[str, Any]:
    """Per dataset and per agency: usage now, usage in the previous period scaled to the same
    length, the difference and the direction; or ``needed`` when no previous period exists."""
    start, ideal = previous_start(gw, scope)
    if scope.since is None:
        return {"available": False, "needed": "未選比較基準日，無法判斷成長或衰退。"}
    if start is None:
        return {"available": False, "needed": needed_text(scope, ideal)}
    now = dataset_changes(gw, scope)
    before = dataset_changes(gw, dataclasses.replace(scope, as_of=scope.since, since=start))
    days_now, days_before = (scope.as_of - scope.since).days, (scope.since - start).days
    col = f"{measure}_change"
    both = now[["agency", "dataset_id", "dataset_name", "change_kind", col]].merge(
        before[["dataset_id", "change_kind", col]], on="dataset_id", suffixes=("", "_previous"))
    known = both["change_kind"].isin(KNOWN) & both["change_kind_previous"].isin(KNOWN)
    rows = both[known].copy()
    rows["usage"] = rows[col].astype("int64")
    rows["usage_previous"] = (rows[f"{col}_previous"].astype("float64") * days_now / days_before).round()
    rows["difference"] = rows["usage"] - rows["usage_previous"]
    rows["direction"] = rows["difference"].map(lambda d: "成長" if d > 0 else "衰退" if d < 0 else "持平")
    rows["change_ratio"] = rows["difference"] / rows["usage_previous"].where(rows["usage_previous"] > 0)
    datasets = rows[["agency", "dataset_id", "dataset_name", "usage_previous", "usage", "difference",
                     "change_ratio", "direction"]].sort_values(["difference", "dataset_name"])
    per_agency = datasets.groupby("agency", sort=False).agg(
        compared=("dataset_id", "size"), usage_previous=("usage_previous", "sum"), usage=("usage", "sum"),
        declined=("direction", lambda s: int((s == "衰退").sum())),
        grew=("direction", lambda s: int((s == "成長").sum())))
    per_agency = per_agency.reindex([a for a in scope.agencies if a in per_agency.index]).reset_index()
    per_agency["difference"] = per_agency["usage"] - per_agency["usage_previous"]
    per_agency["change_ratio"] = per_agency["difference"] / per_agency["usage_previous"].where(
        per_agency["usage_previous"] > 0)
    per_agency["direction"] = per_agency["difference"].map(
        lambda d: "成長" if d > 0 else "衰退" if d < 0 else "持平")
    return {"available": True, "start": start, "since": scope.since, "as_of": scope.as_of,
            "days": days_now, "days_previous": days_before, "measure": measure,
            "datasets": datasets.reset_index(drop=True), "agencies": per_agency,
            "left_out": int((~known).sum()),
            "basis": (f"本期 {roc(scope.since)}–{roc(scope.as_of)}（{days_now} 日）對前期 {roc(start)}–"
                      f"{roc(scope.since)}（{days_before} 日，換算為 {days_now} 日）；三次快照皆開放且兩期"
                      f"使用量皆可知（無計數下降、不在重新計數事件中）的資料集 {known.sum():,} 項，"
                      f"另 {int((~known).sum()):,} 項無法比較")}
