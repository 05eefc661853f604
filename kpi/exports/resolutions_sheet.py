"""The pack's 前次會議決議事項追蹤 sheet, in the minutes' column order (案由, 前次決議, 辦理情形, 決議)
followed by who carries it and by when."""

from __future__ import annotations

from kpi.cycle.resolutions import SHEET_LABELS, tracking_rows
from kpi.exports.workbook import Book, Col
from kpi.metrics.scope import Scope
from kpi.store import Gateway

TITLE = "前次會議決議事項追蹤"


def write_resolutions(book: Book, gw: Gateway, scope: Scope) -> None:
    """Only when resolutions were recorded (a pack without them keeps its sheets as before)."""
    rows = tracking_rows(gw, scope.agencies)
    if rows.empty:
        return
    cols = [Col("subject", SHEET_LABELS["subject"], "wrap", 30),
            Col("decision", SHEET_LABELS["decision"], "wrap", 40),
            Col("progress", SHEET_LABELS["progress"], "wrap", 40),
            Col("verdict", SHEET_LABELS["verdict"], "text", 10),
            Col("agency", SHEET_LABELS["agency"], "text", 10),
            Col("due_on", SHEET_LABELS["due_on"], "text", 10),
            Col("meeting_on", SHEET_LABELS["meeting_on"], "text", 10)]
    book.sheet("決議追蹤", TITLE, rows, cols,
               notes=("決議欄：繼續列管＝仍列管中；解除列管＝本次會議同意解除。",))
