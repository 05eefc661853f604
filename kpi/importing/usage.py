"""Usage kind: the portal's dataset-statistics export (views, downloads, rating, listing date).

Accepts the 2018 labels (提供機關名稱, 瀏覽人次, 上架日) and the newer portal's (瀏覽次數, 上架日期,
資料集狀態). The newer per-dataset page export has no publisher column; the agency is then asked for.
The per-agency summary (提供機關, 資料集總數, 瀏覽次數, 下載次數) is read as agency totals.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kpi.importing.columns import (
    check_agencies,
    counts,
    dates,
    drop_repeats,
    find_columns,
    has_html,
    looks_like_formula,
    name_lengths,
    required_text,
    text,
)
from kpi.importing.errors import ImportRefused, Problem
from kpi.importing.textcheck import strip_invisible
from kpi.reference.agencies import rollup

DATASET_COLUMNS = {
    "publisher": ("提供機關名稱", "提供機關"),
    "dataset_name": ("資料集名稱",),
    "views": ("瀏覽人次", "瀏覽次數"),
    "downloads": ("下載次數",),
    "rating": ("資料集評分",),
    "listed_on": ("上架日", "上架日期"),
    "status": ("資料集狀態",),
}
SUMMARY_COLUMNS = {
    "publisher": ("提供機關", "提供機關名稱"),
    "datasets": ("資料集總數",),
    "views": ("瀏覽次數", "瀏覽人次"),
    "downloads": ("下載次數",),
}


def parse_usage(frame: pd.DataFrame, file: str, as_of: dt.date, agency: str | None = None,
                known: set[str] | None = None) -> tuple[str, pd.DataFrame, list[Problem]]:
    """Return ("usage" | "usage_summary", tidy frame, warnings) or raise ImportRefused.
    `known`: agencies seen before (None = any agency is taken)."""
    header = list(frame.columns)
    if "資料集總數" in header and "資料集名稱" not in header:
        return "usage_summary", *_parse_summary(frame, file, header, known)
    cols = find_columns(header, DATASET_COLUMNS, file,
                        required={"dataset_name", "views", "downloads"})
    problems: list[Problem] = []
    warnings: list[Problem] = []
    if "publisher" in cols:
        publisher = required_text(frame[cols["publisher"]], file, cols["publisher"], problems)
    elif agency:
        publisher = pd.Series(agency, index=frame.index)
    else:
        raise ImportRefused(Problem(file, "檔案沒有「提供機關名稱」欄位，請指定機關（--agency）", row=1))
    check_agencies(publisher, file, cols.get("publisher", "--agency"), known, problems)
    out = pd.DataFrame({
        "publisher": publisher,
        # as published, byte for byte: kpi.identity.names normalises a copy for matching, never this
        "dataset_name": _published(frame[cols["dataset_name"]], file, cols["dataset_name"], problems),
        "views": counts(frame[cols["views"]], file, cols["views"], problems),
        "downloads": counts(frame[cols["downloads"]], file, cols["downloads"], problems),
    }, index=frame.index)
    out["rating"] = _ratings(frame, cols, file, problems)
    out["listed_on"] = (dates(frame[cols["listed_on"]], file, cols["listed_on"], problems)
                        if "listed_on" in cols else None)
    out["status"] = text(frame[cols["status"]]) if "status" in cols else ""
    if problems:
        raise ImportRefused(problems)
    _warn_rows(out, file, as_of, warnings)
    out = drop_repeats(out, out.duplicated(keep="first"), file,
                       lambda row: "與前面某列完全相同，重複列只計一次", None, warnings)
    return "usage", out, warnings


def _published(series: pd.Series, file: str, column: str, problems: list[Problem]) -> pd.Series:
    """The cells as published (no width folding, no trimming) but without zero-width characters,
    which every path strips the same way; a blank one is still refused."""
    required_text(series, file, column, problems)
    names = series.fillna("").astype(str).map(strip_invisible)
    name_lengths(names, file, column, problems)
    return names


def _ratings(frame: pd.DataFrame, cols: dict[str, str], file: str,
             problems: list[Problem]) -> pd.Series:
    """Stars 1..5 from 20/40/60/80/100 (the 2018 export) or 1..5; blank = no rating."""
    if "rating" not in cols:
        return pd.Series([None] * len(frame), index=frame.index, dtype="float64")
    raw = text(frame[cols["rating"]])
    plain = raw.str.fullmatch(r"\d{1,3}(?:\.\d{1,2})?")  # no exponents, inf or NaN
    values = pd.to_numeric(raw.where((raw != "") & plain), errors="coerce")
    stars = values.where(values <= 5, values / 20)
    for row, r, v, s in zip(raw.index, raw, values, stars, strict=True):
        if r and (pd.isna(v) or not (0 <= s <= 5)):
            problems.append(Problem(file, f"評分「{r}」應為空白、20/40/60/80/100 或 1～5", row,
                                    cols["rating"]))
    return stars.astype("float64")


def _warn_rows(out: pd.DataFrame, file: str, as_of: dt.date, warnings: list[Problem]) -> None:
    for row, name, listed in zip(out.index, out["dataset_name"], out["listed_on"], strict=True):
        if looks_like_formula(name):
            warnings.append(Problem(file, "名稱以 = + - @ 開頭，匯出 Excel 時會保持為文字", row,
                                    "資料集名稱"))
        if has_html(name):
            warnings.append(Problem(file, "名稱含 HTML 標記，畫面上會以純文字顯示", row, "資料集名稱"))
        if listed is not None and listed > as_of:
            warnings.append(Problem(file, f"上架日 {listed} 晚於資料日期 {as_of}", row, "上架日"))
    same = out.duplicated(["publisher", "dataset_name"], keep=False) & ~out.duplicated(keep=False)
    if same.any():
        warnings.append(Problem(file, f"有 {int(same.sum())} 列為同機關同名但數字不同的資料集，視為不同資料集"))


def _parse_summary(frame: pd.DataFrame, file: str, header: list[str],
                   known: set[str] | None) -> tuple[pd.DataFrame, list[Problem]]:
    cols = find_columns(header, SUMMARY_COLUMNS, file, required=set(SUMMARY_COLUMNS))
    problems: list[Problem] = []
    out = pd.DataFrame({
        "publisher": required_text(frame[cols["publisher"]], file, cols["publisher"], problems),
        "datasets": counts(frame[cols["datasets"]], file, cols["datasets"], problems),
        "views": counts(frame[cols["views"]], file, cols["views"], problems),
        "downloads": counts(frame[cols["downloads"]], file, cols["downloads"], problems),
    })
    check_agencies(out["publisher"], file, cols["publisher"], known, problems)
    if problems:
        raise ImportRefused(problems)
    warnings = [Problem(file, "重複的機關列只計一次", row)
                for row in out.index[out.duplicated("publisher")]]
    out = out.drop_duplicates("publisher")
    out["agency"] = out["publisher"].map(rollup)
    return out.reset_index(drop=True), warnings
