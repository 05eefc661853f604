"""The year's statistics as open-data tables: one row per dataset and one per agency.

Columns mirror the report (SPEC §7) so that a column's sum equals the report's total for the same
period: 期末瀏覽次數 sums to ``views``, 期間瀏覽增加 to ``views_growth`` (a counter that fell has no
increase: blank, as in the report), and so on. Dates are ISO (machine export, SPEC §8).
"""

from __future__ import annotations

from dataclasses import dataclass

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


PERIOD_FIELDS = [
    Field("年度", "integer", "民國年度"),
    Field("起算快照日", "date", "最接近該年 1 月 1 日的統計快照日期（其累計次數為期初值），ISO 8601"),
    Field("資料日期", "date", "最接近該年 12 月 31 日的統計快照日期（其累計次數為期末值），ISO 8601"),
]
DATASET_FIELDS = [
    *PERIOD_FIELDS,
    Field("機關", "string", "提供機關（所屬機關之正式名稱）"),
    Field("資料集名稱", "string", "資料日期快照中的資料集名稱（已下架者為起算快照中的名稱）"),
    Field("服務分類", "string", "平臺服務分類（附件二或資料集清單提供時才有，否則空白）"),
    Field("期初瀏覽次數", "integer", "起算快照的累計瀏覽次數；新上架者空白"),
    Field("期末瀏覽次數", "integer", "資料日期快照的累計瀏覽次數；已下架者空白"),
    Field("期間瀏覽增加", "integer", "期末減期初；計數器下降（重設或平臺重新計數）、新上架、已下架者空白"),
    Field("期初下載次數", "integer", "起算快照的累計下載次數；新上架者空白"),
    Field("期末下載次數", "integer", "資料日期快照的累計下載次數；已下架者空白"),
    Field("期間下載增加", "integer", "期末減期初；計數器下降、新上架、已下架者空白"),
    Field("變動類型", "string", "與起算快照相比：持續開放、新增、下架或改名、計數器下降，或屬平臺重新計數事件（成長未知）"),
]
AGENCY_FIELDS = [
    *PERIOD_FIELDS,
    Field("機關", "string", "提供機關（正式名稱）"),
    Field("資料集數", "integer", "資料日期快照中的資料集數"),
    Field("瀏覽次數", "integer", "資料日期快照的累計瀏覽次數合計"),
    Field("下載次數", "integer", "資料日期快照的累計下載次數合計"),
    Field("期間瀏覽增加", "integer", "延續資料集瀏覽次數增加之和（計數器下降者不計）"),
    Field("期間下載增加", "integer", "延續資料集下載次數增加之和（計數器下降者不計）"),
    Field("計數器下降資料集數", "integer", "瀏覽或下載累計次數比期初少的延續資料集數"),
    Field("新上架資料集數", "integer", "資料日期快照有、起算快照沒有的資料集數"),
    Field("下架資料集數", "integer", "起算快照有、資料日期快照沒有的資料集數"),
]


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
