"""Count and date cells one step either side of each limit (kpi/importing/columns.py,
kpi/reference/dates.py): the unit tests beside the hostile corpus's cell checks.

The clock is moved (columns.today), so "tomorrow is accepted, the day after is not" is tested on a
fixed date rather than whatever day the suite runs."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kpi.importing import columns
from kpi.importing.errors import ImportRefused
from kpi.reference.dates import parse_date

TODAY = dt.date(2026, 12, 4)


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr(columns, "today", lambda: TODAY)


def _counts(*cells: str) -> tuple[list[int], list[str]]:
    problems: list = []
    out = columns.counts(pd.Series(list(cells), index=range(2, 2 + len(cells))), "f.csv", "瀏覽人次", problems)
    return list(out), [p.message for p in problems]


def _dates(*cells: str, last: dt.date | None = None) -> tuple[list, list]:
    problems: list = []
    out = columns.dates(pd.Series(list(cells), index=range(2, 2 + len(cells))), "f.csv", "上架日", problems, last=last)
    return list(out), [(p.row, p.message) for p in problems]


def test_thousands_separators_every_three_digits_only():
    assert _counts("1,234", "12,345,678", "１，２３４") == ([1234, 12_345_678, 1234], [])
    for bad in ("1,2,3", "12,34", "1,2345", "1234,567"):
        values, problems = _counts(bad)
        assert values == [0] and len(problems) == 1 and "千分位" in problems[0], bad


def test_count_cap_is_10_to_the_12_inclusive():
    assert _counts(str(10**12)) == ([10**12], [])
    assert _counts(f"{10**12:,}") == ([10**12], [])
    for over in (str(10**12 + 1), f"{10**12 + 1:,}"):
        values, problems = _counts(over)
        assert values == [0] and "不合理地大" in problems[0], over


def test_blank_is_zero_and_negative_is_refused():
    assert _counts("", "0") == ([0, 0], [])
    assert "負數" in _counts("-1")[1][0]


def test_roc_year_zero_is_refused_and_one_is_1912():
    with pytest.raises(ValueError, match="民國年份不可為 0"):
        parse_date("00/01/01")
    with pytest.raises(ValueError, match="民國年份不可為 0"):
        parse_date("0000101")
    assert parse_date("01/01/01") == dt.date(1912, 1, 1)
    assert parse_date("107/07/20") == dt.date(2018, 7, 20)
    assert parse_date("999/01/01") == dt.date(2910, 1, 1)  # still a 民國 year: the range check refuses it
    assert parse_date("2018/07/20") == dt.date(2018, 7, 20)


def test_dates_tomorrow_accepted_the_day_after_refused(clock):
    assert columns.latest() == TODAY + dt.timedelta(days=1)
    values, problems = _dates("2026-12-04", "2026-12-05", "2026-12-06")
    assert values[:2] == [dt.date(2026, 12, 4), dt.date(2026, 12, 5)] and values[2] is None
    assert [row for row, _ in problems] == [4]
    assert "2026-12-06 不合理" in problems[0][1]


def test_dates_from_2012_01_01_not_the_day_before(clock):
    values, problems = _dates("2012/01/01", "2011/12/31", "101/01/01", "100/12/31")
    assert values == [dt.date(2012, 1, 1), None, dt.date(2012, 1, 1), None]
    assert [row for row, _ in problems] == [3, 5]


def test_a_later_limit_replaces_tomorrow_for_meetings(clock):
    last = TODAY + dt.timedelta(days=10)
    values, problems = _dates("2026-12-14", "2026-12-15", last=last)
    assert values == [dt.date(2026, 12, 14), None] and [row for row, _ in problems] == [3]


def test_as_of_tomorrow_accepted_the_day_after_refused(clock):
    columns.check_as_of(TODAY + dt.timedelta(days=1), "f.csv")
    columns.check_as_of(columns.EARLIEST, "f.csv")
    for bad in (TODAY + dt.timedelta(days=2), columns.EARLIEST - dt.timedelta(days=1)):
        with pytest.raises(ImportRefused, match=f"資料日期 {bad} 不合理"):
            columns.check_as_of(bad, "f.csv")


def test_an_open_quote_is_stopped_even_after_a_library_raised_the_csv_limit():
    """The csv module's cell limit is process-wide and frictionless raises it when imported (the
    open-data tests import it): a quote left open must still be refused as over the limit, on
    each side of it, whatever ran before in the process."""
    import csv

    from kpi.importing.reader import FIELD_LIMIT, read_table

    head = "提供機關名稱,資料集名稱,瀏覽次數,下載次數,資料集描述,上架日期\n".encode()
    previous = csv.field_size_limit(2**31 - 1)  # what a library may leave behind
    try:
        with pytest.raises(ImportRefused) as over:
            read_table(head + ('勞動部,"' + "x" * (FIELD_LIMIT + 1)).encode(), "open_quote.csv")
        assert "超過上限" in over.value.text() and "第 2 列" in over.value.text()
        with pytest.raises(ImportRefused) as short:  # under the limit: the file ends inside the quote
            read_table(head + ('勞動部,"' + "x" * (FIELD_LIMIT - 10)).encode(), "open_quote.csv")
        assert "檔案在引號內結束" in short.value.text()
    finally:
        csv.field_size_limit(previous)
