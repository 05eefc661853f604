"""The catalogue's facts about a counter dataset: file formats, 服務分類 and 上架日期.

The counter export names datasets, the catalogue (資料集清單) keys them by 資料集識別碼; the two
meet by agency and normalised name, the same key the build uses for 服務分類 (kpi/build/tables.py).
The newest catalogue on or before the data date is used; without one, formats stay unknown.
"""

from __future__ import annotations

import pandas as pd

from kpi.identity.names import normalize_name
from kpi.metrics.quality import has_catalogue
from kpi.metrics.scope import Scope
from kpi.store import Gateway

NO_CATALOGUE = "（無資料集清單）"
CATALOGUE_SQL = """
SELECT agency, dataset_name, formats, listed_on, service_category FROM catalogue
WHERE snapshot_date = (SELECT max(snapshot_date) FROM catalogue WHERE snapshot_date <= ?)
  AND list_contains(?, agency)
"""


def catalogue_rows(gw: Gateway, scope: Scope) -> pd.DataFrame:
    """The newest catalogue's rows for the agencies in scope (empty when none was imported)."""
    if not has_catalogue(gw):
        return pd.DataFrame(columns=["agency", "dataset_name", "formats", "listed_on", "service_category"])
    return gw.query(CATALOGUE_SQL, [scope.as_of, list(scope.agencies)])


def with_catalogue(gw: Gateway, scope: Scope, rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with ``formats`` (a list, or None without a catalogue row), ``catalogue_listed_on``
    and 服務分類 filled from the catalogue where the dataset table has none."""
    cat = catalogue_rows(gw, scope)
    keys = list(zip(rows["agency"], rows["dataset_name"].map(normalize_name), strict=True))
    found: dict[tuple[str, str], dict] = {}
    for r in cat.itertuples(index=False):
        found.setdefault((r.agency, normalize_name(r.dataset_name)), {
            "formats": [str(f) for f in r.formats] if r.formats is not None else [],
            "listed_on": r.listed_on, "service_category": r.service_category})
    out = rows.copy()
    out["formats"] = [found[k]["formats"] if k in found else None for k in keys]
    out["catalogue_listed_on"] = pd.to_datetime(
        pd.Series([found[k]["listed_on"] if k in found else None for k in keys], index=out.index,
                  dtype=object), errors="coerce")
    fill = pd.Series([found[k]["service_category"] if k in found else None for k in keys], index=out.index,
                     dtype=object)
    out["service_category"] = out["service_category"].astype(object).where(
        out["service_category"].notna(), fill)
    return out


def category_note(categories: pd.Series) -> str | None:
    """What a dataset table says when some rows lack 服務分類: how many, and which import fills them
    (None when every row has one). Only 附件二's new datasets carry it in the 2017 documents."""
    blank = categories.isna() | categories.astype(str).str.strip().isin(["", "nan", "None"])
    missing = int(blank.sum())
    if not missing:
        return None
    return (f"服務分類：{len(categories) - missing:,} 項有資料，{missing:,} 項沒有（其餘以「—」表示）；"
            "在資料匯入頁匯入資料集清單（種類「資料集清單（詮釋資料）」）即可補上（106 年第 2 次會議附件二只涵蓋該次新增的資料集）。")
