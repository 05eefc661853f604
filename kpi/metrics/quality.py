"""Three-star ratio, correctness rate and gold-award score per agency (SPEC §4, award rules).

All three need an imported catalogue (資料集清單) dated on or before the as-of date; the
correctness rate also needs link evidence (quality-check results or the link checker). Where the
data is missing the figure is null, never a guess.

Timeliness rule: a dataset with a regular 更新頻率 of P days is late when more than
P + max(3 days, 10 % of P) have passed between its 詮釋資料更新時間 and the catalogue's date.
不定期更新 is never late.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from kpi.metrics.scope import Scope
from kpi.store import Gateway

GRACE_MIN_DAYS = 3
GRACE_SHARE = 0.10

# kpi/sql/marts/quality.sql: dataset_quality and agency_quality (as-of, agencies, grace days, grace share)
# over latest_catalogue and latest_qc, shared with the API-coverage mart.
DATASET_SQL = "SELECT * FROM dataset_quality(?, ?, ?, ?)"
AGENCY_SQL = "SELECT * FROM agency_quality(?, ?, ?, ?)"


TARGETS_SQL = "SELECT * FROM link_targets(?, ?)"


def link_targets(gw: Gateway, scope: Scope) -> pd.DataFrame:
    """Every 資料下載網址 of the newest catalogue in scope, with its declared format."""
    if not has_catalogue(gw):
        return pd.DataFrame(columns=["dataset_key", "agency", "url", "declared_format"])
    return gw.query(TARGETS_SQL, [scope.as_of, list(scope.agencies)])


def has_catalogue(gw: Gateway) -> bool:
    return gw.has_table("catalogue")


def _params(gw: Gateway, scope: Scope) -> list:
    return [scope.as_of, list(scope.agencies), GRACE_MIN_DAYS, GRACE_SHARE]


def dataset_quality(gw: Gateway, scope: Scope) -> pd.DataFrame:
    """One row per catalogue dataset: star level, badge, and the three correctness parts."""
    if not has_catalogue(gw):
        return pd.DataFrame()
    return gw.query(DATASET_SQL, _params(gw, scope))


def gold_score(gold: int, silver: int, bronze: int, datasets: int, oas_apis: int = 0,
               rules: dict[str, float] | None = None) -> float | None:
    """(bronze×0.3 + silver×0.6 + gold×1) / datasets × 100 + min(0.1 × OAS APIs, 5)."""
    r = rules or {"gold_weight_bronze": 0.3, "gold_weight_silver": 0.6, "gold_weight_gold": 1.0,
                  "gold_oas_bonus_each": 0.1, "gold_oas_bonus_max": 5.0}
    if not datasets:
        return None
    base = (bronze * r["gold_weight_bronze"] + silver * r["gold_weight_silver"]
            + gold * r["gold_weight_gold"]) / datasets * 100
    return base + min(oas_apis * r["gold_oas_bonus_each"], r["gold_oas_bonus_max"])


def quality_by_agency(gw: Gateway, scope: Scope,
                      oas_apis: dict[str, int] | None = None) -> dict[str, dict[str, Any]]:
    """{agency: figures}; an agency without catalogue rows gets nothing (null in the report)."""
    if not has_catalogue(gw):
        return {}
    rules = dict(gw.query("SELECT rule, value FROM core_award_rule").itertuples(index=False))
    frame = gw.query(AGENCY_SQL, _params(gw, scope))
    if oas_apis is None:  # what the office entered (SPEC: bonus entered by the office)
        oas_apis = dict(gw.query("SELECT agency, apis FROM core_oas_api").itertuples(index=False))
    out: dict[str, dict[str, Any]] = {}
    for row in frame.to_dict("records"):
        out[row["agency"]] = _figures(row, oas_apis.get(row["agency"], 0), rules)
    if out:
        total = frame.drop(columns="agency").sum().to_dict()
        out["全部"] = _figures(total, sum(oas_apis.values()), rules)
    return out


def _figures(row: dict[str, Any], oas: int, rules: dict[str, float]) -> dict[str, Any]:
    n = int(row["datasets"])
    checked = n > 0 and int(row["link_checked"]) == n  # every dataset has link evidence
    problems = int(row["late_updates"]) + int(row["broken_links"]) + int(row["wrong_info"])
    return {
        "datasets_in_catalogue": n,
        "three_star_ratio": int(row["three_star"]) / n if n else None,
        "four_five_star_share": int(row["four_five_star"]) / n if n else None,
        "late_updates": int(row["late_updates"]),
        "broken_links": int(row["broken_links"]),
        "broken_twice": int(row["broken_twice"]),
        "wrong_info": int(row["wrong_info"]),
        "links_checked": checked,
        "correctness_rate": max(0.0, 1 - problems / n) if n and checked else None,
        "gold": int(row["gold"]), "silver": int(row["silver"]), "bronze": int(row["bronze"]),
        "gold_award_score": gold_score(int(row["gold"]), int(row["silver"]), int(row["bronze"]),
                                       n, oas, rules),
    }


AGENCY_TABLE_COLUMNS = ("agency", "datasets_in_catalogue", "three_star_ratio", "four_five_star_share",
                        "late_updates", "broken_links", "wrong_info", "correctness_rate", "gold",
                        "silver", "bronze", "gold_award_score")


def agency_table(gw: Gateway, scope: Scope) -> pd.DataFrame:
    """One row per agency in scope (zero datasets where the catalogue has none of theirs)."""
    figures = quality_by_agency(gw, scope)
    rows = [{"agency": a, **{k: figures.get(a, {}).get(k) for k in AGENCY_TABLE_COLUMNS[1:]}}
            for a in scope.agencies]
    frame = pd.DataFrame(rows, columns=list(AGENCY_TABLE_COLUMNS))
    frame["datasets_in_catalogue"] = frame["datasets_in_catalogue"].fillna(0).astype("int64")
    return frame
