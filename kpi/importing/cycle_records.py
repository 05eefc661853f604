"""The committee's own records: its meeting calendar and the resolutions it keeps under review.

A `meetings` file without an agency column (and no agency given) is the committee calendar
(會議日期, 會議名稱, 地點, 主席), distinct from the agencies' working-group meetings; a meeting may
be ahead of today. Resolutions (案由, 決議, 主辦機關, 期限, 辦理情形, 列管) are keyed by meeting date,
案由 and agency: a later import of the same key (a new 辦理情形, 解除列管) supersedes an earlier one,
so undoing that import brings the earlier state back.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kpi.importing.columns import check_agencies, dates, find_columns, text
from kpi.importing.errors import ImportRefused, Problem
from kpi.reference.agencies import resolve

AHEAD = dt.timedelta(days=3 * 366)  # a calendar is entered a year or two ahead, not decades
COMMITTEE = {
    "held_on": ("會議日期", "日期", "開會日期"),
    "title": ("會議名稱", "名稱"),
    "place": ("地點", "會議地點"),
    "chair": ("主席",),
}
RESOLUTIONS = {
    "meeting_on": ("會議日期", "開會日期"),
    "subject": ("案由",),
    "decision": ("決議", "會議決議"),
    "agency": ("主辦機關", "機關"),
    "due_on": ("期限", "辦理期限"),
    "progress": ("辦理情形",),
    "status": ("列管", "列管情形", "列管狀態"),
}
OPEN, CLOSED = "列管", "解除列管"
STATUS_WORDS = {"": OPEN, "列管": OPEN, "繼續列管": OPEN, "解除列管": CLOSED, "結案": CLOSED}


def prose(series: pd.Series, file: str, column: str, problems: list[Problem] | None = None) -> pd.Series:
    """The minutes' wording as typed (full-width ，：「」 kept; NFKC would turn them into ASCII),
    trimmed; blank refused when ``problems`` is given."""
    values = series.fillna("").astype(str).str.strip()
    if problems is not None:
        for row in values.index[values == ""]:
            problems.append(Problem(file, "不可空白", row, column))
    return values


def is_committee(header: list[str], agency: str | None) -> bool:
    """No agency column and none given, but a meeting name: the committee's calendar."""
    has_agency = any(label in header for label in ("機關", "提供機關"))
    return not has_agency and not agency and any(label in header for label in COMMITTEE["title"])


def meeting_dates(frame: pd.DataFrame, file: str, column: str, problems: list[Problem]) -> pd.Series:
    """A required date that may be ahead of today (up to AHEAD): a meeting, not an export."""
    held = dates(frame[column], file, column, problems, last=dt.date.today() + AHEAD)
    for row in held.index[held.isna()]:
        if not any(p.row == row for p in problems):
            problems.append(Problem(file, "會議日期不可空白", row, column))
    return held


def parse_committee(frame: pd.DataFrame, file: str) -> tuple[str, pd.DataFrame, list[Problem]]:
    cols = find_columns(list(frame.columns), COMMITTEE, file, required={"held_on", "title"})
    problems: list[Problem] = []
    held = meeting_dates(frame, file, cols["held_on"], problems)
    title = prose(frame[cols["title"]], file, cols["title"], problems)
    if problems:
        raise ImportRefused(problems)
    blank = pd.Series("", index=frame.index)
    out = pd.DataFrame({"held_on": held, "title": title,
                        "place": prose(frame[cols["place"]], file, cols["place"]) if "place" in cols else blank,
                        "chair": prose(frame[cols["chair"]], file, cols["chair"]) if "chair" in cols else blank})
    return "committee_meetings", out.drop_duplicates().reset_index(drop=True), []


def parse_resolutions(frame: pd.DataFrame, file: str, as_of: dt.date | None, agency: str | None = None,
                      known: set[str] | None = None) -> tuple[str, pd.DataFrame, list[Problem]]:
    cols = find_columns(list(frame.columns), RESOLUTIONS, file,
                        required={"meeting_on", "subject", "decision", "agency"})
    problems: list[Problem] = []
    meeting = meeting_dates(frame, file, cols["meeting_on"], problems)
    subject = prose(frame[cols["subject"]], file, cols["subject"], problems)
    decision = prose(frame[cols["decision"]], file, cols["decision"], problems)
    names = text(frame[cols["agency"]])
    agencies = names.map(lambda v: resolve(v) or "")
    for row in agencies.index[agencies == ""]:
        problems.append(Problem(file, f"不明的主辦機關「{names[row]}」", row, cols["agency"]))
    check_agencies(agencies, file, cols["agency"], known, problems)
    blank = pd.Series("", index=frame.index)
    due = (dates(frame[cols["due_on"]], file, cols["due_on"], problems, last=dt.date.today() + AHEAD)
           if "due_on" in cols else pd.Series(None, index=frame.index, dtype=object))
    words = text(frame[cols["status"]]) if "status" in cols else blank
    for row in words.index[~words.isin(list(STATUS_WORDS))]:
        problems.append(Problem(file, f"列管情形「{words[row]}」只能是 列管 或 解除列管", row, cols["status"]))
    if problems:
        raise ImportRefused(problems)
    out = pd.DataFrame({"meeting_on": meeting, "subject": subject, "decision": decision, "agency": agencies,
                        "due_on": due, "progress": prose(frame[cols["progress"]], file, cols["progress"])
                        if "progress" in cols else blank, "status": words.map(STATUS_WORDS)})
    return "resolutions", out.drop_duplicates().reset_index(drop=True), []
