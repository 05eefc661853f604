"""Two readings of the action plan's 成長量, side by side (issue 22, item 5).

(a) ``listed``: datasets whose 上架日 falls in the year, counted in the newest snapshot with 上架日
    (附件二's practice; the composite's default). Datasets taken down before that snapshot are not
    in it, and removals do not count against the agency.
(b) ``net``: the year's increase of the agency's dataset total, after − before, from a snapshot on or
    before 1/1 and one on or after 12/31 (the plan's 資料集總數量 table: 勞動部 56 → 69 = 13). Where
    no snapshots bracket the year there is no value (never 0), only which snapshots are needed.
Which one the composite uses is an office setting (Weights.growth_basis).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from kpi.metrics.scope import Scope
from kpi.reference.dates import roc
from kpi.store import Gateway

GROWTH_BASES = ("listed", "net")
GROWTH_BASIS_TEXT = {
    "listed": "(a) 當年上架之資料集數（依快照之上架日，附件二之算法）",
    "net": "(b) 資料集總數之年增加（年初與年底快照相減，行動方案資料集總數量表之算法）",
}

LISTED_SQL = """
SELECT agency, count(*) AS n
FROM counter
WHERE snapshot_date = ? AND year(listed_on) = ? AND list_contains(?, agency)
GROUP BY agency
"""

# Per agency, from the per-snapshot totals (no scan of the counters): the newest snapshot holding its
# datasets on or before 1/1 and the oldest on or after 12/31, both no later than the view's date.
PICK_SQL = """
WITH pick AS (
    SELECT agency, max(snapshot_date) FILTER (WHERE snapshot_date <= ?) AS before_on,
           min(snapshot_date) FILTER (WHERE snapshot_date >= ?) AS after_on
    FROM counter_total
    WHERE list_contains(?, agency) AND datasets > 0 AND (CAST(? AS DATE) IS NULL OR snapshot_date <= ?)
    GROUP BY agency
)
SELECT p.agency, p.before_on, p.after_on, b.datasets AS before_total, a.datasets AS after_total
FROM pick p
LEFT JOIN counter_total b ON b.agency = p.agency AND b.snapshot_date = p.before_on
LEFT JOIN counter_total a ON a.agency = p.agency AND a.snapshot_date = p.after_on
"""

# Datasets on one side only, by identity, between two bound dates (the counter files pruned to two).
CHANGES_SQL = """
SELECT agency, count(*) FILTER (WHERE now AND NOT was) AS added,
       count(*) FILTER (WHERE was AND NOT now) AS removed
FROM (SELECT agency, dataset_id, bool_or(snapshot_date = ?) AS was, bool_or(snapshot_date = ?) AS now
      FROM core_counter WHERE snapshot_date IN (?, ?) AND list_contains(?, agency)
      GROUP BY agency, dataset_id)
GROUP BY agency
"""

PLAN_TOTALS_SQL = """
SELECT agency, roc_year, planned_total FROM plan_count
WHERE roc_year IN (?, ?) AND list_contains(?, agency)
"""


def listing_snapshot(gw: Gateway, as_of=None):
    """Newest snapshot (on or before as_of) whose export carries 上架日; None if there is none.

    Read from the small snapshot table first, so the counter query can prune by date.
    """
    return gw.scalar("SELECT max(snapshot_date) FROM snapshot WHERE listed_rows > 0 "
                     "AND (CAST(? AS DATE) IS NULL OR snapshot_date <= ?)", [as_of, as_of])


def year_bounds(roc_year: int) -> tuple[dt.date, dt.date]:
    """The latest date a year-start snapshot may carry (1/1) and the earliest a year-end one (12/31)."""
    year = roc_year + 1911
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def needed_text(roc_year: int, before_on: Any, after_on: Any) -> str:
    """Which snapshots reading (b) still needs for the year, in words ('' when they bracket it)."""
    start, end = year_bounds(roc_year)
    lacking = []
    if before_on is None or pd.isna(before_on):
        lacking.append(f"{roc(start - dt.timedelta(days=1))}（或 {roc(start)}）以前")
    if after_on is None or pd.isna(after_on):
        lacking.append(f"{roc(end)} 以後")
    if not lacking:
        return ""
    return f"需要 {'與 '.join(lacking)}{'各' if len(lacking) == 2 else ''}一次快照"


def bracket(gw: Gateway, agencies: list[str], roc_year: int, as_of: dt.date | None) -> pd.DataFrame:
    """Per agency: the bracketing snapshots (None where lacking), each one's total (None without that
    snapshot), and, only when both exist, the datasets added and removed and the net change."""
    start, end = year_bounds(roc_year)
    frame = gw.query(PICK_SQL, [start, end, agencies, as_of, as_of])
    frame = pd.DataFrame({"agency": agencies}).merge(frame, on="agency", how="left")
    for col in ("before_on", "after_on"):
        frame[col] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in frame[col]]
    both = frame[frame["before_on"].notna() & frame["after_on"].notna()]
    changes = [gw.query(CHANGES_SQL, [b, a, b, a, list(group["agency"])])
               for (b, a), group in both.groupby(["before_on", "after_on"])]
    changes = pd.concat(changes) if changes else pd.DataFrame(columns=["agency", "added", "removed"])
    frame = frame.merge(changes, on="agency", how="left")
    for col in ("before_total", "after_total", "added", "removed"):
        frame[col] = frame[col].astype("Int64")
    frame["net"] = (frame["after_total"] - frame["before_total"]).astype("Int64")
    frame["needed"] = [needed_text(roc_year, b, a) for b, a in zip(frame["before_on"], frame["after_on"],
                                                                    strict=True)]
    return frame


def growth_actuals(gw: Gateway, agencies: list[str], roc_year: int, as_of: dt.date | None,
                   basis: str = "listed") -> dict[str, float | None]:
    """成長量 per agency under the chosen reading: the value the composite scores (None = no data)."""
    if basis == "net":
        frame = bracket(gw, agencies, roc_year, as_of)
        return {a: None if pd.isna(n) else float(n) for a, n in zip(frame["agency"], frame["net"], strict=True)}
    listed_in = listing_snapshot(gw, as_of)
    if listed_in is None:
        return dict.fromkeys(agencies)
    counts = gw.query(LISTED_SQL, [listed_in, roc_year + 1911, agencies]).set_index("agency")["n"]
    return {a: float(int(counts.get(a, 0))) for a in agencies}


def growth_readings(gw: Gateway, scope: Scope, roc_year: int) -> pd.DataFrame:
    """Both readings per agency of the scope with targets that year, what they rest on, and the
    plan's 資料集總數量 for context (the totals at the year-end snapshot beside the planned ones).

    Columns: agency, target, listed (a), listed_in (its snapshot), before_on, after_on,
    before_total, after_total, net (b), added, removed, needed, planned_total, planned_previous,
    planned_increase (the table's increase over the year before; None without both years).
    """
    target = gw.query("SELECT agency, new_datasets FROM target WHERE roc_year = ?", [roc_year])
    agencies = [a for a in scope.agencies if a in set(target["agency"])]
    as_of = scope.as_of
    frame = bracket(gw, agencies, roc_year, as_of)
    listed = growth_actuals(gw, agencies, roc_year, as_of, "listed")
    frame["listed"] = pd.array([None if listed[a] is None else int(listed[a]) for a in frame["agency"]],
                               dtype="Int64")
    frame["listed_in"] = listing_snapshot(gw, as_of)
    frame["target"] = frame["agency"].map(target.set_index("agency")["new_datasets"]).astype("Int64")
    plans = gw.query(PLAN_TOTALS_SQL, [roc_year, roc_year - 1, agencies])
    by_year = {y: g.set_index("agency")["planned_total"] for y, g in plans.groupby("roc_year")}
    empty = pd.Series(dtype="Int64")
    frame["planned_total"] = frame["agency"].map(by_year.get(roc_year, empty)).astype("Int64")
    frame["planned_previous"] = frame["agency"].map(by_year.get(roc_year - 1, empty)).astype("Int64")
    frame["planned_increase"] = (frame["planned_total"] - frame["planned_previous"]).astype("Int64")
    return frame
