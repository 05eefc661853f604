"""Per-snapshot pre-aggregates written at build and import time, so pages need not scan history.

``counter_total``: one row per (snapshot_date, agency) with the agency's datasets, views and
downloads in that snapshot — what 全國比較 ranks and what a snapshot's totals add up from. An
import appends the new snapshot's rows; older rows are copied from the previous version unchanged.
kpi.build.checks verifies the rows equal the counter's own sums before a version is published.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

COLUMNS = ["snapshot_date", "agency", "datasets", "views", "downloads"]


def snapshot_totals(as_of: dt.date, counter: pd.DataFrame) -> pd.DataFrame:
    """One snapshot's counter rows summed per agency (count of rows = datasets)."""
    g = counter.groupby("agency", sort=True).agg(
        datasets=("dataset_id", "size"), views=("views", "sum"), downloads=("downloads", "sum"))
    out = g.reset_index().assign(snapshot_date=as_of)
    return out.astype({"datasets": "int64", "views": "int64", "downloads": "int64"})[COLUMNS]


def counter_totals(by_date: dict[dt.date, pd.DataFrame]) -> pd.DataFrame:
    frames = [snapshot_totals(d, c) for d, c in sorted(by_date.items())]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("datasets", "views", "downloads")
                                          else "object") for c in COLUMNS})
    return pd.concat(frames, ignore_index=True)


def appended(previous: pd.DataFrame, as_of: dt.date, counter: pd.DataFrame) -> pd.DataFrame:
    """The previous version's rows (dates restored) plus the new snapshot's."""
    prev = previous.assign(snapshot_date=pd.to_datetime(previous["snapshot_date"]).dt.date)
    return pd.concat([prev[COLUMNS], snapshot_totals(as_of, counter)], ignore_index=True)
