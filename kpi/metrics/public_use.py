"""What the public uses (issue 25): usage by 服務分類, file format and age, its concentration,
datasets nobody downloaded, and the period's risers and decliners.

A dataset's use in the period is its counter's rise between the two snapshots (the report's
growth): continuing datasets whose counter fell (a reset or the portal's recount) have no known
use and are left out, new datasets had no earlier value and are left out too (their counters are
since listing, not the period's). With no comparison date the cumulative counters are used.
Groups are compared per dataset (averages), so that agencies of different sizes compare.
"""

from __future__ import annotations

import math

import pandas as pd

from kpi.metrics.public_use_catalogue import NO_CATALOGUE, with_catalogue
from kpi.metrics.scope import Scope
from kpi.metrics.usage import dataset_changes
from kpi.store import Gateway

UNCATEGORISED = "（未分類）"
UNKNOWN_AGE = "上架日不明"
AGE_BINS = ((1, "未滿 1 年"), (2, "1 年以上未滿 2 年"), (3, "2 年以上未滿 3 年"), (math.inf, "3 年以上"))
TOP_SHARE = 0.10


def usage_frame(gw: Gateway, scope: Scope) -> pd.DataFrame:
    """One row per dataset of the as-of snapshot: its period (or cumulative) use, 服務分類,
    formats and age. ``known`` is False where the period's use cannot be known."""
    rows = dataset_changes(gw, scope)
    rows = rows[rows["change_kind"] != "removed"].copy()
    if scope.since is None:
        rows["views_in_period"], rows["downloads_in_period"] = rows["views"], rows["downloads"]
        rows["known"] = True
    else:
        rows["known"] = rows["change_kind"] == "kept"
        rows["views_in_period"] = rows["views_change"].where(rows["known"])
        rows["downloads_in_period"] = rows["downloads_change"].where(rows["known"])
    rows = with_catalogue(gw, scope, rows)
    listed = pd.to_datetime(rows["listed_on"].fillna(rows["catalogue_listed_on"]), errors="coerce")
    years = (pd.Timestamp(scope.as_of) - listed).dt.days / 365.25
    rows["age_band"] = [_age_label(y) for y in years]
    rows["service_category"] = rows["service_category"].where(
        rows["service_category"].notna() & (rows["service_category"].astype(str).str.strip() != ""))
    keep = ["agency", "dataset_id", "dataset_name", "service_category", "formats", "age_band", "change_kind",
            "known", "views", "downloads", "views_in_period", "downloads_in_period"]
    return rows[keep].reset_index(drop=True)


def _age_label(years: float) -> str:
    if years is None or pd.isna(years):
        return UNKNOWN_AGE
    return next(label for limit, label in AGE_BINS if years < limit)


def _grouped(frame: pd.DataFrame, key: str, order: list[str] | None = None) -> pd.DataFrame:
    """Per group (column ``key``): datasets, those with known use, total and per-dataset use."""
    known = frame[frame["known"]]
    out = frame.groupby(key, dropna=False).size().rename("datasets").to_frame()
    sums = known.groupby(key, dropna=False)[["views_in_period", "downloads_in_period"]].sum()
    out = out.join(known.groupby(key, dropna=False).size().rename("known_datasets")).join(sums)
    out = out.fillna(0).reset_index()
    for col in ("datasets", "known_datasets", "views_in_period", "downloads_in_period"):
        out[col] = out[col].astype("int64")
    per = out["known_datasets"].where(out["known_datasets"] > 0)
    out["views_per_dataset"] = out["views_in_period"] / per
    out["downloads_per_dataset"] = out["downloads_in_period"] / per
    if order is not None:
        out["_o"] = out[key].map({g: i for i, g in enumerate(order)}).fillna(len(order))
        return out.sort_values(["_o", key]).drop(columns="_o").reset_index(drop=True)
    return out.sort_values(["downloads_in_period", key], ascending=[False, True]).reset_index(drop=True)


def by_category(frame: pd.DataFrame) -> pd.DataFrame:
    """Per 服務分類; datasets without one form the group 「（未分類）」 (never dropped)."""
    labelled = frame.assign(service_category=frame["service_category"].fillna(UNCATEGORISED))
    return _grouped(labelled, "service_category")


def by_format(frame: pd.DataFrame) -> pd.DataFrame:
    """Per file format of the catalogue; a dataset with several formats counts under each, one
    without a catalogue row under 「（無資料集清單）」."""
    rows = frame.assign(file_format=frame["formats"].map(
        lambda f: f if isinstance(f, list) and f else [NO_CATALOGUE])).explode("file_format")
    rows["file_format"] = rows["file_format"].map(lambda f: f if f == NO_CATALOGUE else str(f).strip().upper())
    return _grouped(rows.drop_duplicates(["dataset_id", "file_format"]), "file_format")


def by_age(frame: pd.DataFrame) -> pd.DataFrame:
    """Per age since listing (as of the data date), youngest first."""
    return _grouped(frame, "age_band", [label for _, label in AGE_BINS] + [UNKNOWN_AGE])


def concentration(frame: pd.DataFrame, measure: str = "downloads_in_period") -> dict:
    """The share of use of the top 10 % of datasets (rounded up, at least one) and the Pareto
    curve: datasets ranked by use, cumulative share of datasets against cumulative share of use."""
    known = frame[frame["known"]].sort_values([measure, "dataset_id"], ascending=[False, True])
    values = known[measure].astype("int64").to_numpy()
    total = int(values.sum())
    n = len(values)
    top = max(1, math.ceil(n * TOP_SHARE)) if n else 0
    curve = pd.DataFrame({"rank": range(0, n + 1),  # from the origin: 0 datasets, 0 use
                          "dataset_share": [i / n for i in range(n + 1)] if n else [0.0],
                          "use_share": [0.0, *(values.cumsum() / total)] if total else [0.0] * (n + 1)})
    return {"datasets": n, "top_datasets": top, "total": total,
            "top_total": int(values[:top].sum()) if n else 0,
            "top_share": (int(values[:top].sum()) / total) if total else None, "curve": curve}


def no_download(frame: pd.DataFrame, agencies: tuple[str, ...]) -> pd.DataFrame:
    """Per agency, in the scope's order: datasets with no download in the period (known use of
    zero), out of the datasets whose use is known."""
    known = frame[frame["known"]]
    rows = []
    for agency in agencies:
        mine = known[known["agency"] == agency]
        rows.append({"agency": agency, "datasets": int((frame["agency"] == agency).sum()),
                     "known_datasets": len(mine),
                     "no_download": int((mine["downloads_in_period"] == 0).sum())})
    return pd.DataFrame(rows)


def no_download_list(frame: pd.DataFrame, agencies: tuple[str, ...]) -> pd.DataFrame:
    """The datasets with no download in the period, in the scope's agency order, then by name."""
    zero = frame[frame["known"] & (frame["downloads_in_period"] == 0)]
    order = zero["agency"].map({a: i for i, a in enumerate(agencies)})
    return zero.assign(_o=order).sort_values(["_o", "dataset_name"]).drop(columns="_o").reset_index(drop=True)


def missing_category(frame: pd.DataFrame) -> int:
    return int(frame["service_category"].isna().sum())


def breakdown(gw: Gateway, scope: Scope, measure: str = "downloads_in_period") -> dict:
    """Every grouping 民眾使用分析 draws, computed once per data version, scope and measure (the
    page's call() keeps the result): the page used to redo these pandas group-bys on every run."""
    frame = usage_frame(gw, scope)
    return {"category": by_category(frame), "format": by_format(frame), "age": by_age(frame),
            "concentration": concentration(frame, measure),
            "no_download": no_download(frame, scope.agencies),
            "no_download_list": no_download_list(frame, scope.agencies)}
