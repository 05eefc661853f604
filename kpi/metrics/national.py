"""Agencies compared across the whole portal (a national snapshot): ranks, shares, the group.

Ties share a rank (1, 2, 2, 4): two agencies with the same downloads are equally placed.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kpi.store import Gateway

AGENCIES_SQL = """
SELECT agency, short_name, is_ministry, count(*) AS datasets, sum(views) AS views,
       sum(downloads) AS downloads
FROM core_counter WHERE snapshot_date = ?
GROUP BY agency, short_name, is_ministry ORDER BY downloads DESC, agency
"""


def agency_ranking(gw: Gateway, as_of: dt.date) -> pd.DataFrame:
    """Every agency of the snapshot with its rank by downloads and by views and its shares."""
    frame = gw.query(AGENCIES_SQL, [as_of])
    for by in ("downloads", "views"):
        frame[f"rank_{by}"] = frame[by].rank(ascending=False, method="min").astype("int64")
        total = frame[by].sum()
        frame[f"share_{by}"] = frame[by] / total if total else None
    return frame


def is_national(frame: pd.DataFrame) -> bool:
    """A snapshot that holds other ministries too (a ministry-only one has nothing to compare)."""
    return bool(len(frame)) and not bool(frame["is_ministry"].all())


def group_totals(frame: pd.DataFrame) -> dict[str, float]:
    """The Ministry's six agencies together: datasets and their shares of the portal."""
    group = frame[frame["is_ministry"]]
    return {
        "agencies": len(frame), "datasets": int(frame["datasets"].sum()),
        "group_datasets": int(group["datasets"].sum()),
        "group_share_downloads": float(group["downloads"].sum() / frame["downloads"].sum())
        if frame["downloads"].sum() else float("nan"),
    }
