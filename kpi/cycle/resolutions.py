"""Resolutions under review (前次會議決議事項追蹤): the newest record of each wins.

A resolution is keyed by (meeting date, 案由, 主辦機關); the office records a new 辦理情形 or 解除列管
as a later import of the same key, so the store holds only the newest state and undoing that
import restores the one before. Open items (列管) are what the scorecard and the pack show.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kpi.importing.cycle_records import CLOSED, OPEN
from kpi.reference.agencies import short_name
from kpi.reference.dates import roc
from kpi.store import Gateway

KEY = ["meeting_on", "subject", "agency"]
COLUMNS = ["meeting_on", "subject", "decision", "agency", "due_on", "progress", "status", "source"]
# The minutes' tracking table (114 年第 2 次會議紀錄 貳): 案由, 前次決議, 辦理情形, 決議 — then who and when.
SHEET_LABELS = {"subject": "前次會議案由", "decision": "前次會議案決議", "progress": "辦理情形",
                "verdict": "決議", "agency": "主辦機關", "due_on": "期限", "meeting_on": "會議日期"}
VERDICT = {OPEN: "繼續列管", CLOSED: "解除列管"}


def resolution_table(imports: list) -> pd.DataFrame:
    """Every imported resolution row, the newest import of each key kept (imports come in seq order)."""
    frames = [p.frame.assign(source=p.file_name, seq=entry.seq)
              for entry, p in imports if p.kind == "resolutions"]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    stacked = pd.concat(frames, ignore_index=True).sort_values("seq", kind="stable")
    newest = stacked.drop_duplicates(KEY, keep="last")
    return newest[COLUMNS].reset_index(drop=True)


def resolutions(gw: Gateway, agencies: tuple[str, ...] | None = None,
                open_only: bool = False) -> pd.DataFrame:
    """Resolutions in meeting order (oldest first), optionally one set of agencies or open ones."""
    frame = gw.query("SELECT meeting_on, subject, decision, agency, due_on, progress, status "
                     "FROM resolution ORDER BY meeting_on, subject, agency")
    if agencies is not None:
        frame = frame[frame["agency"].isin(list(agencies))]
    if open_only:
        frame = frame[frame["status"] == OPEN]
    return frame.reset_index(drop=True)


def overdue(frame: pd.DataFrame, today: dt.date) -> pd.Series:
    """Open items whose deadline has passed (a deadline of today is not yet overdue)."""
    due = pd.to_datetime(frame["due_on"])
    return (frame["status"] == OPEN) & due.notna() & (due < pd.Timestamp(today))


def _layout(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "meeting_on": [roc(d) for d in frame["meeting_on"]],
        "subject": frame["subject"], "decision": frame["decision"],
        "progress": frame["progress"].fillna(""), "verdict": frame["status"].map(VERDICT),
        "agency": frame["agency"].map(short_name),
        "due_on": [roc(d) if pd.notna(d) else "—" for d in frame["due_on"]],
    }).reset_index(drop=True)


def tracking_rows(gw: Gateway, agencies: tuple[str, ...]) -> pd.DataFrame:
    """The pack's 前次會議決議事項追蹤, as the minutes lay it out: the newest meeting's resolutions
    (closed ones too, 決議 解除列管) and whatever older ones are still open; 民國 dates, short names."""
    frame = resolutions(gw, agencies)
    if len(frame):
        newest = frame["meeting_on"].max()
        frame = frame[(frame["meeting_on"] == newest) | (frame["status"] == OPEN)]
    return _layout(frame)


def open_items(gw: Gateway, agency: str) -> pd.DataFrame:
    """One agency's resolutions still under review (the scorecard's list), labelled for display."""
    shown = _layout(resolutions(gw, (agency,), open_only=True))
    return shown.rename(columns=SHEET_LABELS)
