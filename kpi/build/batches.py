"""Usage snapshots as batches: the seed's 附件一 plus every archived usage import, one per date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from kpi.build.seeds import SNAPSHOT_106_2
from kpi.config.paths import seed_dir
from kpi.reference.agencies import rollup

SEED_SNAPSHOT_SOURCE = "106 年第 2 次會議紀錄 附件一"


@dataclass
class UsageBatch:
    as_of: dt.date
    source: str
    file_name: str
    sha256: str
    frame: pd.DataFrame  # publisher, agency, dataset_name, views, downloads, rating, listed_on, status


def seed_batch() -> UsageBatch:
    usage = pd.read_csv(seed_dir() / "usage_20171030.csv", encoding="utf-8")
    frame = pd.DataFrame({
        "publisher": usage["publisher"], "agency": usage["publisher"].map(rollup),
        "dataset_name": usage["dataset_name"], "views": usage["views"].astype("int64"),
        "downloads": usage["downloads"].astype("int64"), "rating": float("nan"),
        "listed_on": None, "status": "", "row_no": usage["rank"] + 1,
    })
    return UsageBatch(SNAPSHOT_106_2, SEED_SNAPSHOT_SOURCE, "usage_20171030.csv", "seed", frame)


def merge_batches(batches: list[UsageBatch]) -> list[UsageBatch]:
    """Files of the same date are one snapshot; a later file replaces the publishers it covers."""
    by_date: dict[dt.date, UsageBatch] = {}
    for batch in batches:
        prev = by_date.get(batch.as_of)
        if prev is None:
            by_date[batch.as_of] = batch
            continue
        keep = prev.frame[~prev.frame["publisher"].isin(set(batch.frame["publisher"]))]
        by_date[batch.as_of] = UsageBatch(batch.as_of, prev.source + "；" + batch.source,
                                          prev.file_name + "；" + batch.file_name,
                                          prev.sha256 + "；" + batch.sha256,
                                          pd.concat([keep, batch.frame], ignore_index=True))
    return [by_date[d] for d in sorted(by_date)]


def snapshot_frame(batches: list[UsageBatch]) -> pd.DataFrame:
    """One row per snapshot: where it came from and how many rows it has (checked after build)."""
    from kpi.reference.agencies import is_ministry

    return pd.DataFrame([{
        "snapshot_date": b.as_of, "source": b.source, "file_name": b.file_name,
        "sha256": b.sha256, "rows": len(b.frame),
        "views": int(b.frame["views"].sum()), "downloads": int(b.frame["downloads"].sum()),
        "listed_rows": int(pd.Series(b.frame["listed_on"]).notna().sum()),
        "scope": "ministry" if b.frame["agency"].map(is_ministry).all() else "national",
    } for b in batches])
