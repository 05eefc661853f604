"""Small named queries the pages need besides the marts; SQL fixed here, parameters bound."""

from __future__ import annotations

import pandas as pd

from kpi.store import Gateway

QUERIES: dict[str, str] = {
    "match_candidates": """
        SELECT snapshot_date, agency, dataset_name, candidate_name, score
        FROM match_candidate WHERE snapshot_date = ? AND list_contains(?, agency)
        ORDER BY score DESC""",
    "snapshots": "SELECT * FROM snapshot ORDER BY snapshot_date",
    "oas_apis": "SELECT agency, apis FROM oas_api",
    "portal_totals": "SELECT * FROM portal_total ORDER BY as_of",
    "match_kinds": """
        SELECT match_kind, count(*) AS n FROM counter
        WHERE snapshot_date = ? AND list_contains(?, agency) GROUP BY match_kind ORDER BY n DESC""",
}


def run(gw: Gateway, name: str, params: tuple) -> pd.DataFrame:
    return gw.query(QUERIES[name], list(params))
