"""Dates as people write them in Taiwan: ISO, slashes, dots, ROC years, full-width digits.

Parsing returns ``datetime.date`` or raises ``ValueError`` with a zh-TW reason, so importers can
name the row and column of a bad cell.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

ROC_OFFSET = 1911
_SEP_DATE = re.compile(r"^(\d{2,4})[/\-.](\d{1,2})[/\-.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_ROC_WORDS = re.compile(r"^(?:民國)?\s*(\d{2,3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
_COMPACT_ROC = re.compile(r"^(\d{2,3})(\d{2})(\d{2})$")
_COMPACT_ISO = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip()


def parse_date(value: object) -> dt.date | None:
    """Parse one cell; blank → None; anything unreadable → ValueError (message in zh-TW)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _clean(value)
    if text in {"", "無", "-", "nan", "NaT", "None"}:
        return None
    year = month = day = None
    if (m := _SEP_DATE.match(text)) or (m := _ROC_WORDS.match(text)) or (m := _COMPACT_ISO.match(text)) or (m := _COMPACT_ROC.match(text)):
        year, month, day = (int(g) for g in m.groups())
    else:
        raise ValueError(f"無法辨識的日期「{text}」")
    if year < 1000:  # ROC year; there is no year 0 (民國元年 is 1912), so 0 is a typo, not 1911
        if year == 0:
            raise ValueError(f"民國年份不可為 0（「{text}」）")
        year += ROC_OFFSET
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"不存在的日期「{text}」") from None


def parse_datetime(value: object) -> dt.datetime | None:
    """Like parse_date but keeps a time of day when one is given (feedback posting times)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value
    text = _clean(value)
    m = re.match(r"^(.*?)[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$", text)
    day = parse_date(m.group(1) if m else text)
    if day is None:
        return None
    if m:
        try:
            return dt.datetime(day.year, day.month, day.day, int(m.group(2)), int(m.group(3)),
                               int(m.group(4) or 0))
        except ValueError:  # Python's own words ("hour must be in 0..23") are English
            raise ValueError(f"不存在的時間「{text}」（時 0–23、分與秒 0–59）") from None
    return dt.datetime(day.year, day.month, day.day)


def _as_date(value: object) -> dt.date | dt.datetime | None:
    """date, datetime, pandas Timestamp or numpy datetime64 → date/datetime; None/NaT/NaN → None.

    Time-zone-aware moments are shown in Taiwan time (the office and the committee are there)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if type(value).__name__ in ("NaTType", "NAType"):
        return None
    if type(value).__name__ == "datetime64":
        import pandas as pd

        value = pd.Timestamp(value)
        if value is pd.NaT:
            return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            from zoneinfo import ZoneInfo

            value = value.astimezone(ZoneInfo("Asia/Taipei"))
        return value.to_pydatetime() if hasattr(value, "to_pydatetime") else value
    if isinstance(value, dt.date):
        return value
    return None


def roc(day: object, style: str = "slash") -> str:
    """Format as ROC date: 106/10/30 (slash), 民國106年10月30日 (long), 107年7月 (month) or
    107/07/20 14:05 (cell: zero-padded year, the time only when it is not midnight).

    Accepts date, datetime, pandas Timestamp, numpy datetime64; None/NaT/NaN → "".
    "cell" pads the year to three digits (民國99 → 099/12/31) so that the strings of a table
    column sort in date order; prose styles write the year as people do (99/12/31).
    """
    value = _as_date(day)
    if value is None:
        return ""
    year = value.year - ROC_OFFSET
    if year < 1:  # before 民國元年: nothing in this project, shown as written in the source
        return value.isoformat()
    if style == "long":
        return f"民國{year}年{value.month}月{value.day}日"
    if style == "month":
        return f"{year}年{value.month}月"
    if style == "cell":
        text = f"{year:03d}/{value.month:02d}/{value.day:02d}"
        if isinstance(value, dt.datetime) and (value.hour, value.minute, value.second) != (0, 0, 0):
            text += f" {value:%H:%M}"
        return text
    return f"{year}/{value.month:02d}/{value.day:02d}"


def roc_compact(day: dt.date) -> str:
    """ROC date for file names: 1061030."""
    return f"{day.year - ROC_OFFSET}{day.month:02d}{day.day:02d}"


def roc_words(day: dt.date) -> str:
    """ROC date with zero-padded month and day, for file names: 107年07月20日."""
    return f"{day.year - ROC_OFFSET}年{day.month:02d}月{day.day:02d}日"


def roc_datetime(moment: dt.datetime) -> str:
    """ROC date and time to the minute, for 產製時間: 民國115年11月26日 14:05."""
    return f"{roc(moment.date(), 'long')} {moment:%H:%M}"


_DATE_NAME = re.compile(r"(?:_on|_at|_date|^as_of|^since)$")
_ISO_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")


def _iso_moment(value: object) -> object:
    """An ISO text (how settings and decisions store their times) → Timestamp; blank → None."""
    if isinstance(value, str):
        if not value.strip():
            return None
        import pandas as pd

        return pd.Timestamp(value.strip())
    return value


def is_date_column(values, name: str = "") -> bool:
    """Dates by type (datetime64, or objects that are all date/datetime/Timestamp), or ISO texts
    in a column named as a date (``*_on``, ``*_at``, ``*_date``, ``as_of``, ``since``)."""
    if values.dtype.kind == "M":
        return True
    if values.dtype.kind not in "OSU" and str(values.dtype) not in ("str", "string"):
        return False
    present = (v for v in values if _as_date(v) is not None or (isinstance(v, str) and v.strip()))
    first = next(present, None)
    if first is None:
        return False
    if _as_date(first) is not None:
        return all(_as_date(v) is not None for v in present)
    iso = bool(_DATE_NAME.search(name))  # a text column is looked through only when date-named
    return iso and all(isinstance(v, str) and _ISO_TEXT.match(v.strip()) for v in (first, *present))


def roc_frame(frame):
    """A copy of ``frame`` whose date columns read as 民國 text (``roc(…, "cell")``: 107/07/20,
    107/07/20 14:05), for tables shown to people; None (a missing cell) where there is no date.
    The texts sort in date order (three-digit years), so a clicked column header still sorts by date."""
    out = frame.copy()
    for i, name in enumerate(out.columns):
        column = out.iloc[:, i]
        if is_date_column(column, str(name)):
            out.isetitem(i, [roc(_iso_moment(v), "cell") or None for v in column])
    return out


_MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60)


def roc_ticks(values, max_ticks: int = 8) -> dict:
    """Plotly ``tickvals``/``ticktext`` for a date axis in 民國 form.

    A few distinct dates (snapshots) are labelled themselves (106/10/30, 107/07/20); more are
    labelled by month (107年7月), or by year (107年) when the span is long."""
    days = sorted({(d.date() if isinstance(d, dt.datetime) else d)
                   for d in (_as_date(_iso_moment(v)) for v in values) if d is not None})
    if not days:
        return {}
    if len(days) <= min(6, max_ticks):
        return {"tickvals": [d.isoformat() for d in days], "ticktext": [roc(d) for d in days]}
    first = days[0].year * 12 + days[0].month - 1 + (days[0].day > 1)
    last = days[-1].year * 12 + days[-1].month - 1
    step = next((s for s in _MONTH_STEPS if (last - first) // s + 1 <= max_ticks), _MONTH_STEPS[-1])
    start = -(-first // step) * step  # the first month on the step's grid (January for years)
    ticks = [dt.date(m // 12, m % 12 + 1, 1) for m in range(start, last + 1, step)]
    if len(ticks) < 2:
        picked = days[:: -(-len(days) // max_ticks)]
        return {"tickvals": [d.isoformat() for d in picked], "ticktext": [roc(d) for d in picked]}
    text = [f"{d.year - ROC_OFFSET}年" if step >= 12 else roc(d, "month") for d in ticks]
    return {"tickvals": [d.isoformat() for d in ticks], "ticktext": text}


def calendar_frame(start: dt.date, end: dt.date):
    """One row per day with Taiwan's working-day flag (makeup Saturdays included) from `holidays`."""
    import holidays
    import pandas as pd

    tw = holidays.TW(years=range(start.year, end.year + 1), language="zh_TW")
    days = pd.date_range(start, end, freq="D")
    return pd.DataFrame({
        "day": days.date,
        "is_workday": [tw.is_working_day(d.date()) for d in days],
        "holiday": [tw.get(d.date()) or "" for d in days],
    })
