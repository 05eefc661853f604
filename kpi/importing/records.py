"""Feedback (我有話要說), data requests (我想要更多) and working-group meetings.

Each accepts the minutes' 附件 layout and the portal's list layout. Rows whose agency is not in
the file are resolved later, in the build, through the dataset name (as 附件三 was).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kpi.importing.columns import check_agencies, dates, find_columns, required_text, text
from kpi.importing.errors import ImportRefused, Problem
from kpi.reference.agencies import resolve

FEEDBACK = {
    "feedback_id": ("ID", "編號"),
    "posted_at": ("發表時間", "發表日期"),
    "title": ("標題",),
    "dataset_name": ("資料集名稱", "資料集"),
    "status": ("回復狀態", "狀態"),
    "content": ("民眾意見內容", "內容"),
    "first_reply_at": ("機關首次回應日期", "機關首次回應時間", "首次回復時間", "首次回應時間", "回復時間"),
    "reply_content": ("機關首次回應內容", "回應內容"),
    "agency": ("提供機關", "機關", "提供機關名稱"),
}
FEEDBACK_STATUS = {"未回復", "已回復", "處理中", "研議中", "尚未回覆", "已回覆", "未回覆"}
REQUESTS = {
    "request_id": ("ID", "編號"),
    "title": ("開放建議標題", "標題"),
    "posted_at": ("發表日期", "提出日期"),
    "fields_requested": ("建議開放的欄位",),
    "suggested_name": ("建議資料集名稱",),
    "reason": ("建議原因",),
    "agency": ("實際派發機關", "回復機關單位"),
    "reply_content": ("最後回復內容",),
    "replied_on": ("最後回復日期",),
    "views": ("瀏覽次數",),
    "proposer": ("建議者",),
    "dispatch_status": ("分派狀態",),
    "reply_status": ("回復狀態",),
}
LONG = {"content", "reply_content", "fields_requested", "reason", "note"}  # may hold line breaks
MEETINGS = {
    "agency": ("機關", "提供機關"),
    "held_on": ("會議日期", "日期", "開會日期"),
    "note": ("備註", "說明", "會議名稱"),
}


def _agency(values: pd.Series, fallback: str | None) -> pd.Series:
    return values.map(lambda v: resolve(v) if v else (resolve(fallback) if fallback else ""))


def _texts(frame: pd.DataFrame, cols: dict[str, str]) -> dict[str, pd.Series]:
    return {f: text(frame[c], long=f in LONG) for f, c in cols.items()}


def parse_feedback(frame: pd.DataFrame, file: str, as_of: dt.date | None, agency: str | None = None,
                   known: set[str] | None = None) -> tuple[str, pd.DataFrame, list[Problem]]:
    cols = find_columns(list(frame.columns), FEEDBACK, file,
                        required={"feedback_id", "posted_at", "title", "dataset_name"})
    problems: list[Problem] = []
    warnings: list[Problem] = []
    get = _texts(frame, cols)
    blank = pd.Series("", index=frame.index)
    posted = dates(frame[cols["posted_at"]], file, cols["posted_at"], problems, with_time=True)
    replied = (dates(frame[cols["first_reply_at"]], file, cols["first_reply_at"], problems,
                     with_time=True) if "first_reply_at" in cols else pd.Series([None] * len(frame),
                                                                                  index=frame.index))
    ids = required_text(frame[cols["feedback_id"]], file, cols["feedback_id"], problems)
    for row in frame.index:
        p, r = posted[row], replied[row]
        if p is None:
            if not str(frame.at[row, cols["posted_at"]]).strip():
                problems.append(Problem(file, "發表日期不可空白", row, cols["posted_at"]))
        elif as_of and p.date() > as_of:
            problems.append(Problem(file, f"發表日期 {p.date()} 晚於資料日期 {as_of}", row, cols["posted_at"]))
        if p is not None and r is not None and r < p:
            problems.append(Problem(file, f"首次回應 {r} 早於發表時間 {p}", row, cols["first_reply_at"]))
    check_agencies(_agency(get.get("agency", blank), agency), file, cols.get("agency"), known, problems)
    status = get.get("status", blank)
    for row in status.index[(status != "") & ~status.isin(FEEDBACK_STATUS)]:
        warnings.append(Problem(file, f"不認得的回復狀態「{status[row]}」", row, cols["status"]))
    if problems:
        raise ImportRefused(problems)
    out = pd.DataFrame({
        "feedback_id": ids.map(lambda v: f"{as_of.isoformat() if as_of else ''}#{v}"
                               if v.isdigit() and len(v) < 4 else v),
        "agency": _agency(get.get("agency", blank), agency),
        "dataset_name": get["dataset_name"], "title": get["title"], "status": status,
        "posted_at": pd.to_datetime(posted), "first_reply_at": pd.to_datetime(replied),
        "source_as_of": as_of, "content": get.get("content", blank),
        "reply_content": get.get("reply_content", blank),
    })
    dup = out.duplicated("feedback_id")
    for row in out.index[dup]:
        warnings.append(Problem(file, f"意見編號 {ids[row]} 重複，只取第一列", row, cols["feedback_id"]))
    return "feedback", out[~dup].reset_index(drop=True), warnings


def parse_requests(frame: pd.DataFrame, file: str, as_of: dt.date | None, agency: str | None = None,
                   known: set[str] | None = None) -> tuple[str, pd.DataFrame, list[Problem]]:
    cols = find_columns(list(frame.columns), REQUESTS, file,
                        required={"request_id", "title", "posted_at"})
    problems: list[Problem] = []
    get = _texts(frame, cols)
    blank = pd.Series("", index=frame.index)
    posted = dates(frame[cols["posted_at"]], file, cols["posted_at"], problems)
    replied = (dates(frame[cols["replied_on"]], file, cols["replied_on"], problems)
               if "replied_on" in cols else pd.Series([None] * len(frame), index=frame.index))
    ids = required_text(frame[cols["request_id"]], file, cols["request_id"], problems)
    check_agencies(_agency(get.get("agency", blank), agency), file, cols.get("agency"), known, problems)
    if problems:
        raise ImportRefused(problems)
    out = pd.DataFrame({
        "request_id": ids, "title": get["title"], "posted_at": posted,
        "fields_requested": get.get("fields_requested", blank),
        "suggested_name": get.get("suggested_name", blank), "reason": get.get("reason", blank),
        "agency": _agency(get.get("agency", blank), agency),
        "reply_content": get.get("reply_content", blank), "replied_on": replied,
        "source_as_of": as_of,
    })
    return "requests", out.drop_duplicates("request_id").reset_index(drop=True), []


def parse_meetings(frame: pd.DataFrame, file: str, as_of: dt.date | None, agency: str | None = None,
                   known: set[str] | None = None) -> tuple[str, pd.DataFrame, list[Problem]]:
    cols = find_columns(list(frame.columns), MEETINGS, file, required={"held_on"})
    problems: list[Problem] = []
    held = dates(frame[cols["held_on"]], file, cols["held_on"], problems)
    names = text(frame[cols["agency"]]) if "agency" in cols else pd.Series("", index=frame.index)
    agencies = _agency(names, agency)
    for row in agencies.index[agencies == ""]:
        problems.append(Problem(file, "請填機關（或以 --agency 指定）", row, cols.get("agency", "機關")))
    for row in held.index[held.isna() & (text(frame[cols["held_on"]]) == "")]:
        problems.append(Problem(file, "會議日期不可空白", row, cols["held_on"]))
    check_agencies(agencies, file, cols.get("agency"), known, problems)
    if problems:
        raise ImportRefused(problems)
    note = text(frame[cols["note"]], long=True) if "note" in cols else pd.Series("", index=frame.index)
    out = pd.DataFrame({"agency": agencies, "held_on": held, "note": note})
    return "meetings", out.drop_duplicates().reset_index(drop=True), []
