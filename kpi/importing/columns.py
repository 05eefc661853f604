"""Shared cell parsers: they turn a column of text into values or a list of located problems."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pandas as pd

from kpi.importing.errors import Problem
from kpi.importing.textcheck import strip_invisible
from kpi.reference.dates import parse_date, parse_datetime

MAX_COUNT = 10**12  # a counter above this is a broken cell, not real usage
# The portal's own 2018 statistics export lists datasets from 2012-01-03 (its pilot year; the
# public site opened in 2013), so anything before 2012 is a typo or a wrong century, not history.
EARLIEST = dt.date(2012, 1, 1)
FORMULA_START = ("=", "+", "-", "@")
HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
LINE_BREAKS = re.compile(r"[\t\r\n]+")
PLAIN = re.compile(r"^\d{1,15}$")
GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+$")


def today() -> dt.date:
    """The server's date; a function so tests can move the clock."""
    return dt.date.today()


def latest() -> dt.date:
    """Tomorrow: the office works in UTC+8 and a server may not, so today there may be tomorrow."""
    return today() + dt.timedelta(days=1)


def text(series: pd.Series, long: bool = False) -> pd.Series:
    """NFKC, trimmed. Short fields (names, ids) get tabs and line breaks folded to one space: the
    portal's 2018 export has 30 names with them; long fields (descriptions, replies) keep them."""
    def clean(v: str) -> str:
        v = strip_invisible(unicodedata.normalize("NFKC", v)).strip()
        return v if long else LINE_BREAKS.sub(" ", v)

    return series.fillna("").astype(str).map(clean)


def _count(raw: str) -> tuple[int | None, str | None]:
    """One cell → (value, None) or (None, zh-TW reason)."""
    v = unicodedata.normalize("NFKC", raw).strip()
    if v == "":
        return 0, None
    if PLAIN.match(v):
        return int(v), None
    if GROUPED.match(v):
        return int(v.replace(",", "")), None
    if v.startswith("-") and (PLAIN.match(v[1:]) or GROUPED.match(v[1:])):
        return None, f"次數不可為負數（{raw}）"
    if re.fullmatch(r"\d+", v):
        return None, f"數值 {raw} 不合理地大"
    if re.fullmatch(r"[+-]?\d[\d,]*\.\d*", v):
        return None, f"次數應為整數（{raw}）"
    if re.fullmatch(r"[+-]?[\d,.]+[eE][+-]?\d+", v):
        return None, f"次數不接受科學記號（{raw}）：請把儲存格格式改為整數後重新匯出"
    if re.fullmatch(r"[\d,]+", v):
        return None, f"千分位逗號的位置不對（{raw}），應為每三位一個逗號，例如 1,234,567"
    return None, f"「{raw}」不是數字"


def counts(series: pd.Series, file: str, column: str, problems: list[Problem]) -> pd.Series:
    """Non-negative whole numbers: 1234 or 1,234 (full-width digits too); blank = 0.
    Refused: misplaced separators (1,2,3), exponents, decimals, inf/NaN, negatives, > 10^12."""
    seen: dict[str, tuple[int | None, str | None]] = {}
    out = []
    for row, raw in zip(series.index, series.fillna("").astype(str), strict=True):
        value, why = seen.get(raw) or seen.setdefault(raw, _count(raw))
        if why is None and value is not None and value > MAX_COUNT:
            why = f"數值 {raw} 不合理地大"
        if why:
            problems.append(Problem(file, why, row, column))
            value = 0
        out.append(value)
    return pd.Series(out, index=series.index, dtype="int64")


def dates(series: pd.Series, file: str, column: str, problems: list[Problem],
          with_time: bool = False, last: dt.date | None = None) -> pd.Series:
    """Dates between EARLIEST and tomorrow (or ``last``: a meeting or deadline may be ahead); blank = None."""
    parser = parse_datetime if with_time else parse_date
    first, last = EARLIEST, last or latest()
    out = []
    seen: dict[str, object] = {}
    for row, raw in series.items():
        try:
            value = seen[raw] if raw in seen else seen.setdefault(raw, parser(raw))
        except (ValueError, TypeError) as err:
            problems.append(Problem(file, str(err), row, column))
            out.append(None)
            continue
        day = value.date() if isinstance(value, dt.datetime) else value
        if day is not None and not first <= day <= last:
            problems.append(Problem(file, f"日期 {day} 不合理：應介於 {first} 與 {last} 之間", row, column))
            value = None
        out.append(value)
    return pd.Series(out, index=series.index, dtype=object)


def check_as_of(as_of: dt.date | None, file: str) -> None:
    """The export date: not in the future (every page defaults to the newest date) nor pre-portal."""
    from kpi.importing.errors import ImportRefused

    if as_of is not None and not EARLIEST <= as_of <= latest():
        raise ImportRefused(Problem(file, f"資料日期 {as_of} 不合理：應介於 {EARLIEST} 與今天之間"))


def known_agency(name: str, known: set[str]) -> bool:
    from kpi.reference.agencies import rollup

    return not name or name in known or rollup(name) in known


def check_agencies(values: pd.Series, file: str, column: str | None, known: set[str] | None,
                   problems: list[Problem]) -> None:
    """An agency never seen in any snapshot is refused unless the caller allows new ones
    (known=None): 火星部 in a hand-made file is a typo far more often than a new agency."""
    if known is None:
        return
    reported: set[str] = set()
    for row, name in values.items():
        if name not in reported and not known_agency(name, known):
            reported.add(name)
            problems.append(Problem(file, f"機關「{name}」從未出現在任何快照；若確為新機關，請明確允許新機關"
                                          "（指令列加 --new-agency，網頁於預覽勾選）", row, column))


MAX_NAME = 500  # characters; the portal's longest dataset name (2018, national) has 130
# all names of one file: the build pays ~60 bytes per name character (matching, keys, tables);
# the 2018 national export has 0.7 million, and 6 million keep an import within 1 GB
MAX_NAME_CHARS = 6_000_000


def name_lengths(values: pd.Series, file: str, column: str, problems: list[Problem]) -> None:
    """A name of thousands of characters is a broken file, and every later step (matching above
    all) pays for each character: refused here, so a file within the size limit stays in 1 GB."""
    lengths = values.str.len()
    for row in values.index[lengths > MAX_NAME][:50]:
        problems.append(Problem(file, f"名稱長度 {len(values[row]):,} 字元，超過上限 {MAX_NAME}", row, column))
    if (total := int(lengths.sum())) > MAX_NAME_CHARS:
        problems.append(Problem(file, f"名稱合計 {total:,} 字元，超過上限 {MAX_NAME_CHARS:,}，請分批匯入",
                                None, column))


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
    from kpi.importing.errors import ImportRefused
    from kpi.reference.agencies import rollup

    for row in out.index[repeated]:
        warnings.append(Problem(file, message(row), row, column))
    out = out[~repeated].copy()
    if out.empty:
        raise ImportRefused(Problem(file, "檔案沒有任何資料列"))
    out["agency"] = out["publisher"].map(rollup)
    out["row_no"] = out.index
    return out.reset_index(drop=True)
