"""Count printed A4 pages from a sheet's column widths and row heights (no office suite needed).

The sheet is printed landscape, fitted one page wide: the print scale is the printable width over
the sheet's width (as a whole percent, rounded down, as Excel does), every row is that scale times
its height, and each page after the first starts with the repeated header row.
"""

from __future__ import annotations

import math

from kpi.exports.workbook import HEADER_ROW, MARGINS, Layout

A4_LANDSCAPE_PT = (841.89, 595.28)


def column_points(width: float) -> float:
    """Excel's column width (characters of an 11 pt Calibri digit, 7 px) in points."""
    pixels = math.floor(width * 7 + 5) if width >= 1 else math.floor(width * 12 + 0.5)
    return pixels * 0.75


def print_scale(layout: Layout) -> float:
    printable = A4_LANDSCAPE_PT[0] - (MARGINS["left"] + MARGINS["right"]) * 72
    total = sum(column_points(w) for w in layout.widths)
    return max(10, min(100, math.floor(printable / total * 100))) / 100


def page_count(layout: Layout) -> int:
    scale = print_scale(layout)
    usable = A4_LANDSCAPE_PT[1] - (MARGINS["top"] + MARGINS["bottom"]) * 72
    header = layout.heights[HEADER_ROW] * scale
    pages, used = 1, 0.0
    for height in layout.heights:
        h = height * scale
        if used + h > usable + 1e-6 and used > header:
            pages += 1
            used = header
        used += h
    return pages
