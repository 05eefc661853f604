"""Views, downloads and their change between two snapshots (SPEC §5), reconciled to the unit.

Every total comes with its reconciliation, per dataset, agency, group and scope:
before + increase − fall + recount + new − removed = after, where increase and fall are the rises
and falls of continuing datasets outside recount cohorts (a lone fall is a counter reset or a
re-listing, never negative use), recount is the signed change of the datasets in a recount cohort
(kpi/build/recounts.py: their growth is unknown), and new/removed are the counters of datasets
that appeared or went. ``*_growth`` (the rises of continuing datasets, recount cohorts included)
stays as scripts already handed out read it. Change is only defined for agencies that the earlier
snapshot covers; their datasets are "not_compared", and the change parts stay null.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from kpi.metrics.scope import Scope
from kpi.reference.agencies import MINISTRY_OFFICIAL
from kpi.store import Gateway

MEASURES = ("views", "downloads")
CHANGE_PARTS = ("before", "after", "net", "increase", "fall", "recount", "new", "removed", "unknown")

PAIRS_SQL = """
WITH cur AS (
    SELECT * FROM core_counter WHERE snapshot_date = ? AND list_contains(?, agency)
), prev AS (
    SELECT * FROM core_counter WHERE snapshot_date = ? AND list_contains(?, agency)
), covered AS (
    SELECT DISTINCT agency FROM prev
), recounted AS (  -- datasets in a recount cohort of any consecutive pair inside the period
    SELECT m.dataset_id, min(m.event_id) AS recount_event
    FROM core_recount_member m
    WHERE m.since_date >= ? AND m.as_of_date <= ?
    GROUP BY m.dataset_id
)
SELECT
    coalesce(c.agency, p.agency) AS agency,
    coalesce(c.dataset_id, p.dataset_id) AS dataset_id,
    coalesce(c.dataset_name, p.dataset_name) AS dataset_name,
    p.dataset_name AS previous_name,
    c.publisher, c.match_kind, c.rating, c.listed_on,
    c.views, c.downloads,
    p.views AS views_before, p.downloads AS downloads_before,
    CASE WHEN c.dataset_id IS NOT NULL AND p.dataset_id IS NOT NULL
         THEN c.views - p.views END AS views_change,
    CASE WHEN c.dataset_id IS NOT NULL AND p.dataset_id IS NOT NULL
         THEN c.downloads - p.downloads END AS downloads_change,
    CASE WHEN c.dataset_id IS NULL THEN 'removed'
         WHEN p.dataset_id IS NULL AND k.agency IS NULL THEN 'not_compared'
         WHEN p.dataset_id IS NULL THEN 'new'
         WHEN r.dataset_id IS NOT NULL THEN 'recount'
         WHEN c.views < p.views OR c.downloads < p.downloads THEN 'reset'
         ELSE 'kept' END AS change_kind,
    coalesce(c.dataset_id IS NOT NULL AND p.dataset_id IS NOT NULL
             AND (c.views < p.views OR c.downloads < p.downloads), false) AS fell,
    CASE WHEN c.dataset_id IS NOT NULL AND p.dataset_id IS NOT NULL THEN r.recount_event END
        AS recount_event,
    d.service_category
FROM cur c
FULL JOIN prev p ON c.dataset_id = p.dataset_id
LEFT JOIN covered k ON k.agency = coalesce(c.agency, p.agency)
LEFT JOIN recounted r ON r.dataset_id = coalesce(c.dataset_id, p.dataset_id)
LEFT JOIN dataset d ON d.dataset_id = coalesce(c.dataset_id, p.dataset_id)
"""


def _parts_sql(m: str) -> str:
    """One measure's reconciliation columns (null where the agency is not compared)."""
    known = "bool_or(k.agency IS NOT NULL)"
    cont = "change_kind IN ('kept', 'reset')"
    parts = {
        "before": f"sum({m}_before)",
        "after": f"sum({m}) FILTER (WHERE change_kind <> 'not_compared')",
        "increase": f"sum({m}_change) FILTER (WHERE {cont} AND {m}_change > 0)",
        "fall": f"-sum({m}_change) FILTER (WHERE {cont} AND {m}_change < 0)",
        "recount": f"sum({m}_change) FILTER (WHERE change_kind = 'recount')",
        "new": f"sum({m}) FILTER (WHERE change_kind = 'new')",
        "removed": f"sum({m}_before) FILTER (WHERE change_kind = 'removed')",
    }
    return ",\n    ".join(f"CASE WHEN {known} THEN coalesce({expr}, 0) END AS {m}_{name}"
                          for name, expr in parts.items())


AGENCY_SQL = f"""
WITH pairs AS ({PAIRS_SQL}), covered AS (
    SELECT DISTINCT agency FROM core_counter WHERE snapshot_date = ?
)
SELECT
    a.agency, a.short_name, a.sort_order,
    count(*) FILTER (WHERE change_kind <> 'removed') AS datasets,
    coalesce(sum(views), 0) AS views,
    coalesce(sum(downloads), 0) AS downloads,
    CASE WHEN bool_or(k.agency IS NOT NULL) THEN
        coalesce(sum(views_change) FILTER (WHERE views_change >= 0), 0) END AS views_growth,
    CASE WHEN bool_or(k.agency IS NOT NULL) THEN
        coalesce(sum(downloads_change) FILTER (WHERE downloads_change >= 0), 0)
        END AS downloads_growth,
    CASE WHEN bool_or(k.agency IS NOT NULL) THEN
        count(*) FILTER (WHERE fell) END AS counter_resets,
    CASE WHEN bool_or(k.agency IS NOT NULL) THEN
        count(*) FILTER (WHERE change_kind = 'new') END AS new_datasets,
    CASE WHEN bool_or(k.agency IS NOT NULL) THEN
        count(*) FILTER (WHERE change_kind = 'removed') END AS removed_datasets,
    CASE WHEN bool_or(k.agency IS NOT NULL) THEN
        count(*) FILTER (WHERE change_kind = 'recount') END AS recount_datasets,
    {_parts_sql("views")},
    {_parts_sql("downloads")}
FROM pairs
JOIN agency a ON a.agency = pairs.agency
LEFT JOIN covered k ON k.agency = pairs.agency
GROUP BY a.agency, a.short_name, a.sort_order
ORDER BY a.sort_order, a.agency
"""

PART_COLUMNS = tuple(f"{m}_{p}" for m in MEASURES for p in
                     ("before", "after", "net", "increase", "fall", "recount", "new", "removed"))
COMPARED = ("views_growth", "downloads_growth", "counter_resets", "new_datasets", "removed_datasets",
            "recount_datasets", *PART_COLUMNS)


def _since_params(scope: Scope) -> list:
    agencies = list(scope.agencies)
    return [scope.as_of, agencies, scope.since, agencies, scope.since, scope.as_of]


def dataset_changes(gw: Gateway, scope: Scope) -> pd.DataFrame:
    """One row per dataset in either snapshot, with its change and how it was matched."""
    return gw.query(PAIRS_SQL + " ORDER BY downloads DESC NULLS LAST, views DESC NULLS LAST",
                    _since_params(scope))


def agency_usage(gw: Gateway, scope: Scope) -> pd.DataFrame:
    """Per agency: datasets, views, downloads, growth, resets, new and removed datasets."""
    frame = gw.query(AGENCY_SQL, [*_since_params(scope), scope.since])
    for m in MEASURES:
        frame[f"{m}_net"] = frame[f"{m}_after"] - frame[f"{m}_before"]
    if scope.since is None:
        for col in COMPARED:
            frame[col] = None
    present = frame.set_index("agency")
    rows = []
    for agency in scope.agencies:  # agencies with no rows still get a (zero) line
        if agency in present.index:
            rows.append(present.loc[agency].to_dict() | {"agency": agency})
        else:
            rows.append({"agency": agency, "datasets": 0, "views": 0, "downloads": 0}
                        | dict.fromkeys(COMPARED))
    return pd.DataFrame(rows)


RANKING_SQL = f"""
WITH pairs AS ({PAIRS_SQL})
SELECT row_number() OVER (ORDER BY
           CASE WHEN ? = 'views' THEN views ELSE downloads END DESC,
           CASE WHEN ? = 'views' THEN downloads ELSE views END DESC, dataset_id) AS rank,
       *
FROM pairs WHERE change_kind <> 'removed'
ORDER BY rank
"""


def ranking(gw: Gateway, scope: Scope, by: str = "downloads") -> pd.DataFrame:
    """附件一 ordering: datasets of the as-of snapshot ranked by downloads (or views)."""
    return gw.query(RANKING_SQL, [*_since_params(scope), by, by])


def ranking_in_group(gw: Gateway, scope: Scope, by: str = "downloads") -> pd.DataFrame:
    """The ranking a page shows: ranks among the whole group (勞動部及所屬), listing only the
    chosen agencies. Filtering narrows what is listed, not who is compared (issue 10)."""
    if scope.national or not set(scope.agencies) < set(MINISTRY_OFFICIAL):
        return ranking(gw, scope, by)
    whole = ranking(gw, dataclasses.replace(scope, agencies=MINISTRY_OFFICIAL), by)
    return whole[whole["agency"].isin(scope.agencies)].reset_index(drop=True)


HISTORY_SQL = """
SELECT snapshot_date AS as_of, agency, count(*) AS datasets FROM counter
WHERE list_contains(?, agency) AND snapshot_date <= ? GROUP BY ALL ORDER BY as_of, agency
"""


def datasets_history(gw: Gateway, scope: Scope) -> pd.DataFrame:
    """Datasets per chosen agency in every snapshot up to the data date (the 總覽 history chart
    when agencies are chosen; the group's history comes from the minutes' totals)."""
    return gw.query(HISTORY_SQL, [list(scope.agencies), scope.as_of])


# Counts that add up across agencies (a dataset belongs to one agency); used for the 合計 row.
AGENCY_ADDITIVE = ("datasets", "views", "downloads", *COMPARED)


def with_total(frame: pd.DataFrame, additive: tuple[str, ...] = AGENCY_ADDITIVE,
               label_col: str = "short_name", label: str = "合計") -> pd.DataFrame:
    """``frame`` with a last row that sums the additive count columns (a column no agency has a
    value for stays blank); every other column is blank, so no ratio or rank is summed."""
    if frame.empty:
        return frame
    total: dict = {c: None for c in frame.columns}
    for col in additive:
        if col in frame:
            values = pd.to_numeric(frame[col], errors="coerce")
            total[col] = int(values.sum()) if values.notna().any() else None
    total[label_col] = label
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
