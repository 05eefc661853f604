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
        return dt.datetime(day.year, day.month, day.day, int(m.group(2)), int(m.group(3)),
                           int(m.group(4) or 0))
    return dt.datetime(day.year, day.month, day.day)


def roc(day: dt.date | None, style: str = "slash") -> str:
    """Format as ROC date: 106/10/30 (slash) or 民國106年10月30日 (long)."""
    if day is None:
        return ""
    year = day.year - ROC_OFFSET
    if style == "long":
        return f"民國{year}年{day.month}月{day.day}日"
    return f"{year}/{day.month:02d}/{day.day:02d}"


def roc_compact(day: dt.date) -> str:
    """ROC date for file names: 1061030."""
    return f"{day.year - ROC_OFFSET}{day.month:02d}{day.day:02d}"


def roc_words(day: dt.date) -> str:
    """ROC date with zero-padded month and day, for file names: 107年07月20日."""
    return f"{day.year - ROC_OFFSET}年{day.month:02d}月{day.day:02d}日"


def roc_datetime(moment: dt.datetime) -> str:
    """ROC date and time to the minute, for 產製時間: 民國115年11月26日 14:05."""
    return f"{roc(moment.date(), 'long')} {moment:%H:%M}"


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
