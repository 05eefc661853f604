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

# The marts live in kpi/sql/marts/usage.sql (usage_pairs, agency_usage, usage_ranking); parameters bound.
CHANGES_SQL = ("SELECT * FROM usage_pairs(?, ?, ?) "
               "ORDER BY downloads DESC NULLS LAST, views DESC NULLS LAST")
AGENCY_SQL = "SELECT * FROM agency_usage(?, ?, ?)"
RANKING_SQL = "SELECT * FROM usage_ranking(?, ?, ?, ?)"

PART_COLUMNS = tuple(f"{m}_{p}" for m in MEASURES for p in
                     ("before", "after", "net", "increase", "fall", "recount", "new", "removed"))
COMPARED = ("views_growth", "downloads_growth", "counter_resets", "new_datasets", "removed_datasets",
            "recount_datasets", *PART_COLUMNS)


def _since_params(scope: Scope) -> list:
    return [scope.as_of, list(scope.agencies), scope.since]


def dataset_changes(gw: Gateway, scope: Scope) -> pd.DataFrame:
    """One row per dataset in either snapshot, with its change and how it was matched."""
    return gw.query(CHANGES_SQL, _since_params(scope))


def agency_usage(gw: Gateway, scope: Scope) -> pd.DataFrame:
    """Per agency: datasets, views, downloads, growth, resets, new and removed datasets."""
    frame = gw.query(AGENCY_SQL, _since_params(scope))
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


def ranking(gw: Gateway, scope: Scope, by: str = "downloads") -> pd.DataFrame:
    """附件一 ordering: datasets of the as-of snapshot ranked by downloads (or views)."""
    return gw.query(RANKING_SQL, [*_since_params(scope), by])


def ranking_in_group(gw: Gateway, scope: Scope, by: str = "downloads") -> pd.DataFrame:
    """The ranking a page shows: ranks among the whole group (勞動部及所屬), listing only the
    chosen agencies. Filtering narrows what is listed, not who is compared (issue 10)."""
    if scope.national or not set(scope.agencies) < set(MINISTRY_OFFICIAL):
        return ranking(gw, scope, by)
    whole = ranking(gw, dataclasses.replace(scope, agencies=MINISTRY_OFFICIAL), by)
    return whole[whole["agency"].isin(scope.agencies)].reset_index(drop=True)


HISTORY_SQL = """
SELECT snapshot_date AS as_of, agency, count(*) AS datasets FROM core_counter_row
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
