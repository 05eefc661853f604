"""The year's statistics as open-data tables: one row per dataset and one per agency.

Columns mirror the report (SPEC §7) so that a column's sum equals the report's total for the same
period: 期末瀏覽次數 sums to ``views``, 期間瀏覽增加 to ``views_growth`` (a counter that fell has no
increase: blank, as in the report), and so on. Dates are ISO (machine export, SPEC §8).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kpi.metrics.periods import YearPeriod
from kpi.metrics.scope import Scope
from kpi.metrics.usage import agency_usage, dataset_changes
from kpi.reference.fields import CHANGE_KIND_LABELS
from kpi.store import Gateway


@dataclass(frozen=True)
class Field:
    name: str  # the zh-TW column header
    type: str  # Frictionless Table Schema type
    description: str


def _fields() -> dict[str, list[Field]]:
    """The data dictionary (kpi/opendata/fields.csv: table, name, type, description), kept as data
    because it is published as such (資料字典); each file's columns start with the period's."""
    out: dict[str, list[Field]] = {}
    with open(Path(__file__).with_name("fields.csv"), encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(row["table"], []).append(Field(row["name"], row["type"], row["description"]))
    return out


_BY_TABLE = _fields()
PERIOD_FIELDS = _BY_TABLE["period"]
DATASET_FIELDS = [*PERIOD_FIELDS, *_BY_TABLE["datasets"]]
AGENCY_FIELDS = [*PERIOD_FIELDS, *_BY_TABLE["agencies"]]


def _rise(change: pd.Series) -> pd.Series:
    """The increase where the counter did not fall (the report's growth counts only these)."""
    return change.where(change >= 0).astype("Int64")


def _period_columns(period: YearPeriod, n: int) -> dict:
    return {"年度": [period.year] * n, "起算快照日": [period.since.isoformat()] * n,
            "資料日期": [period.as_of.isoformat()] * n}


def dataset_table(gw: Gateway, scope: Scope, period: YearPeriod) -> pd.DataFrame:
    rows = dataset_changes(gw, scope).sort_values(["agency", "dataset_name", "dataset_id"]).reset_index(drop=True)
    frame = pd.DataFrame(_period_columns(period, len(rows)))
    frame["機關"] = rows["agency"].to_numpy()
    frame["資料集名稱"] = rows["dataset_name"].to_numpy()
    frame["服務分類"] = rows["service_category"].astype(object).to_numpy()
    for word, col in (("瀏覽", "views"), ("下載", "downloads")):
        frame[f"期初{word}次數"] = rows[f"{col}_before"].astype("Int64")
        frame[f"期末{word}次數"] = rows[col].astype("Int64")
        frame[f"期間{word}增加"] = _rise(rows[f"{col}_change"])
    frame["變動類型"] = rows["change_kind"].map(CHANGE_KIND_LABELS).fillna(rows["change_kind"]).to_numpy()
    return frame[[f.name for f in DATASET_FIELDS]]


def agency_table(gw: Gateway, scope: Scope, period: YearPeriod) -> pd.DataFrame:
    rows = agency_usage(gw, scope).reset_index(drop=True)
    frame = pd.DataFrame(_period_columns(period, len(rows)))
    names = {"agency": "機關", "datasets": "資料集數", "views": "瀏覽次數", "downloads": "下載次數",
             "views_growth": "期間瀏覽增加", "downloads_growth": "期間下載增加",
             "counter_resets": "計數器下降資料集數", "new_datasets": "新上架資料集數",
             "removed_datasets": "下架資料集數"}
    for col, label in names.items():
        values = rows[col]
        frame[label] = values if col == "agency" else pd.to_numeric(values, errors="coerce").astype("Int64")
    return frame[[f.name for f in AGENCY_FIELDS]]
