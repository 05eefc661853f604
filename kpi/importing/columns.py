"""Shared cell parsers: they turn a column of text into values or a list of located problems."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from kpi.dates import parse_date, parse_datetime
from kpi.importing.errors import Problem

MAX_COUNT = 10**12  # a counter above this is a broken cell, not real usage
FORMULA_START = ("=", "+", "-", "@")
HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


def text(series: pd.Series) -> pd.Series:
    return series.fillna("").astype(str).map(lambda v: unicodedata.normalize("NFKC", v).strip())


def counts(series: pd.Series, file: str, column: str, problems: list[Problem]) -> pd.Series:
    """Non-negative whole numbers; thousands commas and full-width digits allowed; blank = 0."""
    cleaned = text(series).str.replace(",", "", regex=False).str.replace(" ", "", regex=False)
    numbers = pd.to_numeric(cleaned.where(cleaned != "", "0"), errors="coerce")
    for row, raw, value in zip(series.index, series, numbers, strict=True):
        if pd.isna(value):
            problems.append(Problem(file, f"「{raw}」不是數字", row, column))
        elif value < 0:
            problems.append(Problem(file, f"次數不可為負數（{raw}）", row, column))
        elif value != int(value):
            problems.append(Problem(file, f"次數應為整數（{raw}）", row, column))
        elif value > MAX_COUNT:
            problems.append(Problem(file, f"數值 {raw} 不合理地大", row, column))
    return numbers.fillna(0).clip(lower=0, upper=MAX_COUNT).astype("int64")


def dates(series: pd.Series, file: str, column: str, problems: list[Problem],
          with_time: bool = False) -> pd.Series:
    parser = parse_datetime if with_time else parse_date
    out = []
    for row, raw in series.items():
        try:
            out.append(parser(raw))
        except ValueError as err:
            problems.append(Problem(file, str(err), row, column))
            out.append(None)
    return pd.Series(out, index=series.index, dtype=object)


def required_text(series: pd.Series, file: str, column: str, problems: list[Problem]) -> pd.Series:
    values = text(series)
    for row in values.index[values == ""]:
        problems.append(Problem(file, "不可空白", row, column))
    return values


def find_columns(header: list[str], spec: dict[str, tuple[str, ...]], file: str,
                 required: set[str]) -> dict[str, str]:
    """Map canonical fields to the header's labels; refuse when a required one is missing."""
    found: dict[str, str] = {}
    for field, labels in spec.items():
        for label in labels:
            if label in header:
                found[field] = label
                break
    missing = [spec[f][0] for f in spec if f in required and f not in found]
    if missing:
        raise_missing(file, missing, header)
    return found


def raise_missing(file: str, missing: list[str], header: list[str]) -> None:
    from kpi.importing.errors import ImportRefused

    raise ImportRefused(Problem(
        file, f"缺少必要欄位：{'、'.join(missing)}（檔案的欄位為：{'、'.join(header)}）", row=1))


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_START)


def has_html(value: str) -> bool:
    return bool(HTML_TAG.search(value))


def drop_repeats(out: pd.DataFrame, repeated: pd.Series, file: str, message, column: str | None,
                 warnings: list[Problem]) -> pd.DataFrame:
    """Keep the first of repeated rows, warn for the others, refuse a file left empty, and add
    the rolled-up agency and the spreadsheet row number every kind's table carries."""
    from kpi.agencies import rollup
    from kpi.importing.errors import ImportRefused

    for row in out.index[repeated]:
        warnings.append(Problem(file, message(row), row, column))
    out = out[~repeated].copy()
    if out.empty:
        raise ImportRefused(Problem(file, "檔案沒有任何資料列"))
    out["agency"] = out["publisher"].map(rollup)
    out["row_no"] = out.index
    return out.reset_index(drop=True)
