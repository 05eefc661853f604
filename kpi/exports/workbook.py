"""The print layer every sheet goes through: title and scope rows, A4 landscape, repeated header,
page-number footer, frozen header, CJK-aware widths, number formats and explicit row heights.

Text is written with ``write_string`` in a workbook opened with ``strings_to_formulas`` off, so a
name such as "=HYPERLINK(...)" stays text. Every row height is set explicitly and recorded in a
``Layout``, so ``kpi.exports.pages`` can count printed pages from the same numbers Excel and
LibreOffice print with.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pandas as pd
import xlsxwriter

from kpi.exports.names import agency_words, period_words
from kpi.metrics.scope import Scope
from kpi.reference.dates import roc, roc_datetime

TITLE_ROW, SCOPE_ROW, HEADER_ROW = 0, 1, 2
FIRST_BODY_ROW = HEADER_ROW + 1
LINE_PT = 13.0  # a one-line row of 10 pt text (CJK glyphs are about 10 pt tall)
EXTRA_LINE_PT = 14.5  # each further wrapped line (a CJK font's line spacing at 10 pt)
BODY_FONT = 10
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.4, "bottom": 0.5}  # inches
NUMBER_FORMATS = {"count": "#,##0", "ratio": "0.0%", "score": "0.00", "days": "0"}
NUMERIC_UNITS = tuple(NUMBER_FORMATS)


@dataclass(frozen=True)
class Col:
    key: str
    head: str
    unit: str = "text"  # count, ratio, score, days, date, text, wrap (long text, wrapped)
    width: float | None = None  # in Excel character units; None: fit the content
    max_width: float = 44.0


@dataclass
class Layout:
    """What a printed sheet is made of: column widths (chars) and row heights (points)."""
    name: str
    widths: list[float]
    heights: list[float] = field(default_factory=list)
    header_rows: int = FIRST_BODY_ROW  # rows 0..header_rows-1; the last one repeats on each page


def text_width(text: object) -> float:
    """Width in Excel character units: CJK and full-width glyphs are about two digits wide."""
    return sum(2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in str(text))


def lines_needed(text: object, width: float) -> int:
    """How many wrapped lines `text` takes in a column `width` characters wide."""
    usable = max(width - 1.5, 2.0)
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in str(text).split("\n"))


def _is_missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (
        isinstance(value, float) and math.isnan(value))


class Book:
    def __init__(self, scope: Scope, generated_at: dt.datetime | None = None) -> None:
        self.scope = scope
        self.generated_at = generated_at or dt.datetime.now(ZoneInfo("Asia/Taipei"))
        self.layouts: list[Layout] = []
        self.since_note = ""  # which meeting the comparison date is (kpi.cycle.meetings.baseline_note)
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, {
            "in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False})
        self.book.set_properties({"title": "勞動部開放資料績效", "author": "勞動部資訊處"})
        add = self.book.add_format
        base = {"valign": "top", "border": 1, "border_color": "#BFBFBF", "font_size": BODY_FONT}
        self.fmt = {
            "title": add({"bold": True, "font_size": 14, "text_wrap": True, "valign": "top"}),
            "scope": add({"font_size": 10, "font_color": "#404040", "text_wrap": True,
                          "valign": "top"}),
            "header": add({"bold": True, "font_size": BODY_FONT, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                           "valign": "vcenter", "align": "center"}),
            "text": add(base | {"text_wrap": True}),
            "wrap": add(base | {"text_wrap": True}),
            "date": add(base | {"align": "center"}),
            "note": add({"font_size": 10, "text_wrap": True, "valign": "top"}),
        }
        for unit, num in NUMBER_FORMATS.items():
            self.fmt[unit] = add(base | {"num_format": num})
            self.fmt[f"total_{unit}"] = add(base | {"num_format": num, "bold": True,
                                                    "top": 2, "bg_color": "#F2F2F2"})
            for state, colours in {"met": ("#C6EFCE", "#006100"),
                                   "unmet": ("#FFC7CE", "#9C0006")}.items():
                self.fmt[f"{state}_{unit}"] = add(base | {"num_format": num, "bg_color": colours[0],
                                                          "font_color": colours[1]})
        self.fmt["total_text"] = add(base | {"bold": True, "top": 2, "bg_color": "#F2F2F2"})
        self.fmt["met_text"] = add(base | {"bg_color": "#C6EFCE", "font_color": "#006100"})
        self.fmt["unmet_text"] = add(base | {"bg_color": "#FFC7CE", "font_color": "#9C0006"})

    def scope_line(self) -> str:
        s = self.scope
        return (f"機關：{agency_words(s)}　期間：{period_words(s)}{self.since_note}　資料日期：{roc(s.as_of, 'long')}"
                f"（{roc(s.as_of)}）　產製時間：{roc_datetime(self.generated_at)}")

    def sheet(self, name: str, title: str, frame: pd.DataFrame, cols: Sequence[Col],
              total: dict[str, object] | None = None, notes: Sequence[str] = ()):
        """One printable table: title, scope, header, body, optional 合計 row and notes below."""
        ws = self.book.add_worksheet(name[:31])
        if self.scope.year is not None:  # a full year says so in every title (issue 25)
            title = f"{self.scope.year} 年度　{title}"
        widths = [c.width or self._fit(c, frame) for c in cols]
        layout = Layout(ws.name, widths)
        span = sum(widths)  # title and scope wrap within the table's width, never beyond it
        for r, text, key, scale in ((TITLE_ROW, title, "title", 1.6),
                                    (SCOPE_ROW, self.scope_line(), "scope", 1.25)):
            if len(cols) > 1:
                ws.merge_range(r, 0, r, len(cols) - 1, "", self.fmt[key])
            ws.write_string(r, 0, text, self.fmt[key])
            height = (20 if key == "title" else LINE_PT) * lines_needed(text, span / scale)
            ws.set_row(r, height)
            layout.heights.append(height)
        for c, (col, width) in enumerate(zip(cols, widths, strict=True)):
            ws.write_string(HEADER_ROW, c, col.head, self.fmt["header"])
            ws.set_column(c, c, width)
        head_lines = max(lines_needed(c.head, w) for c, w in zip(cols, widths, strict=True))
        self._height(ws, layout, HEADER_ROW, head_lines)
        r = FIRST_BODY_ROW
        for row in frame[[c.key for c in cols]].itertuples(index=False):
            lines = 1
            for c, (value, col) in enumerate(zip(row, cols, strict=True)):
                self.cell(ws, r, c, value, col.unit)
                if col.unit in ("text", "wrap") and not _is_missing(value):
                    slack = 0.9 if col.unit == "wrap" else 1.0  # long mixed text: room for URLs
                    lines = max(lines, lines_needed(value, widths[c] * slack))
            self._height(ws, layout, r, lines)
            r += 1
        if total is not None:
            for c, col in enumerate(cols):
                value = total.get(col.key)
                if isinstance(value, str):
                    ws.write_string(r, c, value, self.fmt["total_text"])
                elif value is not None:
                    ws.write_number(r, c, float(value), self.fmt[f"total_{col.unit}"])
                else:
                    ws.write_blank(r, c, None, self.fmt["total_text"])
            self._height(ws, layout, r, 1)
            r += 1
        for note in notes:
            r += 1
            ws.merge_range(r, 0, r, len(cols) - 1, "", self.fmt["note"])
            ws.write_string(r, 0, note, self.fmt["note"])
            layout.heights.append(LINE_PT)  # the blank row above
            self._height(ws, layout, r, lines_needed(note, sum(widths)))
        self._page_setup(ws, title, len(cols))
        self.layouts.append(layout)
        return ws

    def _fit(self, col: Col, frame: pd.DataFrame) -> float:
        head = min(text_width(col.head), max(text_width(col.head) / 2, 8.0))  # may wrap in two
        values = frame[col.key] if col.key in frame else pd.Series([], dtype=object)
        if col.unit in NUMERIC_UNITS:
            shown = [f"{v:,.0f}" if col.unit == "count" else f"{v:.2f}" for v in values
                     if not _is_missing(v) and isinstance(v, (int, float))]
            body = max((len(s) for s in shown), default=4) + (1 if col.unit == "ratio" else 0)
        elif col.unit == "date":
            body = 10.0
        else:
            body = max((text_width(v) for v in values if not _is_missing(v)), default=4.0)
        return round(min(max(head, body, 4.0) + 2.0, col.max_width), 1)

    def _height(self, ws, layout: Layout, r: int, lines: int) -> None:
        height = LINE_PT + EXTRA_LINE_PT * (lines - 1)
        ws.set_row(r, height)
        layout.heights.append(height)

    def _page_setup(self, ws, title: str, ncols: int) -> None:
        ws.set_paper(9)  # A4
        ws.set_landscape()
        ws.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
        ws.repeat_rows(HEADER_ROW)
        ws.set_margins(**MARGINS)
        ws.center_horizontally()
        safe = title.replace("&", "&&")
        # "&8 " (font size 8, then a space): a title starting with digits would extend the size code
        ws.set_footer(f"&L&8 {safe}&C第 &P 頁，共 &N 頁&R&8資料日期 {roc(self.scope.as_of)}",
                      {"margin": 0.2})
        ws.freeze_panes(FIRST_BODY_ROW, 0)
        ws.autofilter(HEADER_ROW, 0, HEADER_ROW, ncols - 1)

    def cell(self, ws, r: int, c: int, value: object, unit: str, state: str = "") -> None:
        """Numbers stay numbers (with a format); dates are written as 民國 text; the rest as text."""
        fmt = self.fmt[f"{state}_{unit}" if state else unit] if unit != "date" else self.fmt["date"]
        if _is_missing(value):
            ws.write_blank(r, c, None, fmt)
        elif unit in NUMERIC_UNITS and isinstance(value, (int, float)) and not isinstance(value, bool):
            ws.write_number(r, c, float(value), fmt)
        elif unit == "date" and hasattr(value, "isoformat"):
            ws.write_string(r, c, roc(value), fmt)  # kpi.reference.dates: the one 民國 formatter
        else:
            ws.write_string(r, c, str(value), fmt)

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()
