"""The same KPIs in plain pandas, read from the same Parquet store: the benchmark's baseline.

Written the way an analyst would in a notebook (load, merge, group), so the DuckDB marts have
something honest to be compared with. Results are checked against the marts in the benchmark.

Fair state: both warm. DuckDB's gateway holds the newest snapshots in memory, so pandas keeps
the frames it read (one read per file per process, like the gateway's); the timed part is the same
for both: select the snapshot(s) and agencies, join, group. (The earlier baseline re-read the
Parquet files on every pandas call while DuckDB's were in memory: pandas' I/O against DuckDB's
none.)
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import pandas as pd

from kpi.store import Version, partition_key


def _counter(version: Version, day: dt.date) -> pd.DataFrame:
    """Only that snapshot's file, read once and kept (as the gateway keeps its newest snapshots)."""
    path = next(p for p in version.files("counter") if partition_key(p) == day.isoformat())
    return _read(str(path)).assign(snapshot_date=day)


def _feedback(version: Version) -> pd.DataFrame:
    return _read(str(version.files("feedback")[0]))


@lru_cache(maxsize=64)
def _read(path: str) -> pd.DataFrame:
    return pd.read_parquet(path)


def agency_usage(version: Version, as_of: dt.date, since: dt.date,
                 agencies: list[str]) -> pd.DataFrame:
    cur = _counter(version, as_of)
    prev = _counter(version, since)
    cur, prev = cur[cur["agency"].isin(agencies)], prev[prev["agency"].isin(agencies)]
    pair = cur.merge(prev, on="dataset_id", how="outer", suffixes=("", "_p"))
    pair["agency"] = pair["agency"].fillna(pair["agency_p"])
    pair["dv"] = pair["views"] - pair["views_p"]
    pair["dd"] = pair["downloads"] - pair["downloads_p"]
    g = pair.groupby("agency")
    return pd.DataFrame({
        "datasets": g["views"].count(),
        "views": g["views"].sum(),
        "downloads": g["downloads"].sum(),
        "views_growth": g["dv"].apply(lambda s: s[s >= 0].sum()),
        "downloads_growth": g["dd"].apply(lambda s: s[s >= 0].sum()),
        "counter_resets": g.apply(lambda x: int(((x["dv"] < 0) | (x["dd"] < 0)).sum()),
                                  include_groups=False),
    })


def ranking(version: Version, as_of: dt.date, agencies: list[str]) -> pd.DataFrame:
    cur = _counter(version, as_of)
    cur = cur[cur["agency"].isin(agencies)]
    return cur.sort_values(["downloads", "views"], ascending=False).reset_index(drop=True)


def feedback_summary(version: Version, agencies: list[str]) -> pd.DataFrame:
    fb = _feedback(version)
    fb = fb[fb["agency"].isin(agencies)].copy()
    posted = pd.to_datetime(fb["posted_at"]).dt.normalize()
    replied = pd.to_datetime(fb["first_reply_at"]).dt.normalize()
    judged = pd.to_datetime(fb["source_as_of"])
    days = (replied.fillna(judged) - posted).dt.days
    cls = pd.Series("overdue", index=fb.index)
    cls[replied.notna() & (days <= 6)] = "on_time"
    cls[replied.notna() & (days > 6)] = "late"
    cls[replied.isna() & (days <= 6)] = "pending"
    fb["cls"] = cls
    out = fb.groupby("agency")["cls"].value_counts().unstack(fill_value=0)
    judged_n = out.get("on_time", 0) + out.get("late", 0) + out.get("overdue", 0)
    out["ratio"] = out.get("on_time", 0) / judged_n
    return out


def popularity(version: Version, as_of: dt.date, limit: int = 50) -> pd.DataFrame:
    cur = _counter(version, as_of)
    score = (30 * cur["views"] / cur["views"].max() + 40 * cur["downloads"] / cur["downloads"].max()
             + 30 * cur["rating"].fillna(0) / 5)
    return cur.assign(popularity_score=score).nlargest(limit, "popularity_score")
