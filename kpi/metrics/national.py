"""Agencies compared across the whole portal (a national snapshot): ranks, shares, the group.

One meaning per name: 「勞動部（本部）」 is the ministry alone (agency 勞動部), 「勞動部及所屬」 the six
agencies together. The group is ranked as one entity among the other agencies (its six members
replaced by their sum); each agency is also ranked among all agencies. Ranks by downloads and by
views; ties share a rank (1, 2, 2, 4): two agencies with the same count are equally placed.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kpi.agencies import MINISTRY_OFFICIAL
from kpi.metrics.definitions import GROUP_NAMES
from kpi.store import Gateway

# read from the per-snapshot pre-aggregate (kpi/build/totals.py), not the counter's rows
AGENCIES_SQL = """
SELECT agency, short_name, is_ministry, sum(t.datasets)::BIGINT AS datasets, sum(t.views) AS views,
       sum(t.downloads) AS downloads
FROM counter_total t JOIN agency a USING (agency) WHERE t.snapshot_date = ?
GROUP BY agency, short_name, is_ministry ORDER BY downloads DESC, agency
"""
BY = ("downloads", "views")
TIE_RULE = "數值相同者名次相同，下一名次跳號（例：1、2、2、4）"


def _ranked(frame: pd.DataFrame) -> pd.DataFrame:
    for by in BY:
        frame[f"rank_{by}"] = frame[by].rank(ascending=False, method="min").astype("int64")
        total = frame[by].sum()
        frame[f"share_{by}"] = frame[by] / total if total else None
    return frame


def agency_ranking(gw: Gateway, as_of: dt.date) -> pd.DataFrame:
    """Every agency of the snapshot with its rank by downloads and by views and its shares."""
    return _ranked(gw.query(AGENCIES_SQL, [as_of]))


def group_ranking(gw: Gateway, as_of: dt.date) -> pd.DataFrame:
    """The agencies with the Ministry's six replaced by one row 「勞動部及所屬」, ranked again."""
    frame = gw.query(AGENCIES_SQL, [as_of])
    six = frame[frame["is_ministry"]]
    group = pd.DataFrame([{"agency": GROUP_NAMES["group"], "short_name": GROUP_NAMES["group"],
                           "is_ministry": True, "datasets": int(six["datasets"].sum()),
                           "views": int(six["views"].sum()), "downloads": int(six["downloads"].sum())}])
    out = pd.concat([frame[~frame["is_ministry"]], group], ignore_index=True)
    return _ranked(out).sort_values(["rank_downloads", "agency"]).reset_index(drop=True)


def is_national(frame: pd.DataFrame) -> bool:
    """A snapshot that holds other ministries too (a ministry-only one has nothing to compare)."""
    return bool(len(frame)) and not bool(frame["is_ministry"].all())


def group_totals(frame: pd.DataFrame) -> dict[str, float]:
    """The six agencies together and the ministry alone: datasets and shares of the portal."""
    group = frame[frame["is_ministry"]]
    alone = frame[frame["agency"] == MINISTRY_OFFICIAL[0]]
    out: dict[str, float] = {"agencies": len(frame), "datasets": int(frame["datasets"].sum()),
                             "group_datasets": int(group["datasets"].sum()),
                             "ministry_datasets": int(alone["datasets"].sum())}
    for by in BY:
        total = frame[by].sum()
        out[f"group_share_{by}"] = float(group[by].sum() / total) if total else float("nan")
        out[f"ministry_share_{by}"] = float(alone[by].sum() / total) if total else float("nan")
    return out
