"""Agencies compared across the whole portal (a national snapshot): ranks, shares, the groups.

One meaning per name: 「勞動部（本部）」 is the ministry alone (agency 勞動部), 「勞動部及所屬」 the six
agencies together. Like is compared with like: each single agency is ranked among all single
agencies; 「勞動部及所屬」 is ranked only among groups — every agency placed under its ministry or
organisation group by the committed parent map (table ``agency_parent``, kpi/build/parents.py),
each group summed. An agency the map does not know (a later export) is its own group and is
reported as unplaced. Ranks by downloads and by views; ties share a rank (1, 2, 2, 4).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kpi.metrics.definitions import GROUP_NAMES
from kpi.reference.agencies import MINISTRY, MINISTRY_OFFICIAL
from kpi.store import Gateway

# read from the per-snapshot pre-aggregate (kpi/build/totals.py), not the counter's rows
AGENCIES_SQL = """
SELECT agency, short_name, is_ministry, sum(t.datasets)::BIGINT AS datasets, sum(t.views) AS views,
       sum(t.downloads) AS downloads
FROM counter_total t JOIN agency a USING (agency) WHERE t.snapshot_date = ?
GROUP BY agency, short_name, is_ministry ORDER BY downloads DESC, agency
"""
# an agency missing from the map (a later export) is its own group, flagged rather than dropped
GROUPS_SQL = """
SELECT coalesce(p.parent, t.agency) AS parent, count(DISTINCT t.agency)::BIGINT AS members,
       bool_or(p.parent IS NULL) AS unplaced, sum(t.datasets)::BIGINT AS datasets,
       sum(t.views)::BIGINT AS views, sum(t.downloads)::BIGINT AS downloads
FROM counter_total t LEFT JOIN agency_parent p USING (agency) WHERE t.snapshot_date = ?
GROUP BY 1
"""
UNPLACED_SQL = """
SELECT DISTINCT t.agency FROM counter_total t ANTI JOIN agency_parent p USING (agency)
WHERE t.snapshot_date = ? ORDER BY t.agency
"""
MAP_SQL = """
SELECT agency, parent, how AS placed_by, basis,
       count(*) OVER (PARTITION BY parent)::BIGINT AS names_in_group
FROM agency_parent ORDER BY parent, agency
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
    """Every group of the snapshot (a parent and its agencies summed), ranked among groups.

    ``group`` is the parent's name, except the Ministry's group, shown as 「勞動部及所屬」;
    ``members`` counts its agencies in the snapshot; ``unplaced`` marks an agency the map lacks.
    """
    out = _ranked(gw.query(GROUPS_SQL, [as_of]))
    out["group"] = out["parent"].where(out["parent"] != MINISTRY, GROUP_NAMES["group"])
    return out.sort_values(["rank_downloads", "parent"]).reset_index(drop=True)


def unplaced(gw: Gateway, as_of: dt.date) -> list[str]:
    """Agencies of the snapshot the parent map does not know: each counted as its own group."""
    return gw.query(UNPLACED_SQL, [as_of])["agency"].tolist()


def parent_map(gw: Gateway) -> pd.DataFrame:
    """The committed map as built (agency, parent, placed_by = derived|override, basis), with
    how many names of the map share the agency's group."""
    return gw.query(MAP_SQL)


def map_counts(frame: pd.DataFrame) -> dict[str, int]:
    """What 計算說明 states about the map: agencies, groups, single-member groups, overrides."""
    sizes = frame.groupby("parent")["agency"].size()
    return {"agencies": len(frame), "groups": len(sizes), "single": int((sizes == 1).sum()),
            "derived": int((frame["placed_by"] == "derived").sum()),
            "override": int((frame["placed_by"] == "override").sum())}


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
