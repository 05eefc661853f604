"""The meeting's 附件 as the paper had them: 附件一 ranking, 附件二 new datasets, 附件三 feedback,
附件四 requests, and the calculation notes. Each function adds one printable sheet to a Book."""

from __future__ import annotations

import pandas as pd

from kpi.exports.names import BY_LABELS, period_words
from kpi.exports.workbook import Book, Col
from kpi.metrics.feedback import feedback_items
from kpi.metrics.notes import CALCULATION_NOTES
from kpi.metrics.public_use_catalogue import category_note
from kpi.metrics.scope import Scope
from kpi.metrics.usage import ranking
from kpi.reference.agencies import short_name
from kpi.reference.dates import roc
from kpi.reference.fields import CHANGE_KIND_LABELS, MATCH_KIND_LABELS, label
from kpi.store import Gateway

COMPARISON = ("views_before", "views_change", "downloads_before", "downloads_change",
              "change_kind", "match_kind")
RANKING_KEYS = ("rank", "dataset_name", "agency", "service_category", "views", "downloads",
                *COMPARISON)
RANKING_WIDTHS = {"rank": 6, "views": 9.5, "downloads": 9.5,
                  "views_before": 9.5, "views_change": 9, "downloads_before": 9.5,
                  "downloads_change": 9}  # the text columns fit their longest value


def _objects(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype(object)
    return frame.where(frame.notna(), None)


def _name_width(scope: Scope) -> float:
    """Without comparison columns the page has room for whole names on one line."""
    return 58 if scope.since is not None else 84


def ranking_title(by: str) -> str:
    return f"附件一　資料集{BY_LABELS[by]}排行（依{BY_LABELS[by]}排序）"


def write_ranking(book: Book, gw: Gateway, scope: Scope, by: str = "downloads") -> None:
    """附件一: every dataset of the as-of snapshot ranked by downloads or views, with its agency,
    service category and (when compared) the change since the earlier snapshot; 合計 at the end."""
    if by not in BY_LABELS:
        raise ValueError(f"排序只能依 views 或 downloads，收到「{by}」")
    frame = ranking(gw, scope, by)
    frame["agency"] = frame["agency"].map(short_name)
    frame["change_kind"] = frame["change_kind"].map(CHANGE_KIND_LABELS)
    frame["match_kind"] = frame["match_kind"].map(MATCH_KIND_LABELS).fillna("")
    keys = [k for k in RANKING_KEYS if scope.since is not None or k not in COMPARISON]
    cols = [Col(k, label(k), "count" if k.startswith(("views", "downloads", "rank")) else "text",
                RANKING_WIDTHS.get(k), max_width=_name_width(scope) if k == "dataset_name" else 18)
            for k in keys]
    total = {"dataset_name": "合計", "views": int(frame["views"].sum()),
             "downloads": int(frame["downloads"].sum())}
    notes = []
    if scope.since is not None:
        total |= {"views_before": int(frame["views_before"].sum()),
                  "downloads_before": int(frame["downloads_before"].sum())}
        notes.append("增減為同一資料集兩次快照累計數之差；負值表示計數器重設、重新上架或平臺重新計數（異動欄標明；"
                     "重新計數者成長未知，見「使用量變化」表）。"
                     "合計之前次累計數僅含本次仍開放之資料集。")
    if (missing := category_note(frame["service_category"])) is not None:
        notes.append(missing)
    book.sheet("附件一", ranking_title(by), _objects(frame), cols, total, notes)


def new_datasets(gw: Gateway, scope: Scope) -> pd.DataFrame:
    if scope.since is None:
        return gw.query(
            "SELECT no, dataset_name, description, publisher AS agency, service_category "
            "FROM new_dataset_list WHERE CAST(listed_to AS DATE) = ? ORDER BY no", [scope.as_of])
    frame = ranking(gw, scope)
    frame = frame[frame["change_kind"] == "new"].reset_index(drop=True)
    return pd.DataFrame({"no": range(1, len(frame) + 1), "dataset_name": frame["dataset_name"],
                         "description": "", "agency": frame["agency"].map(short_name),
                         "service_category": frame["service_category"]})


def write_new_datasets(book: Book, gw: Gateway, scope: Scope) -> None:
    frame = new_datasets(gw, scope)
    cols = [Col("no", "編號", "count", 7), Col("dataset_name", "資料集名稱", max_width=60),
            Col("description", "資料集描述", "wrap", 56), Col("agency", "提供機關", max_width=24),
            Col("service_category", "服務分類", max_width=14)]
    if scope.since is not None:  # descriptions come only with 附件二 of the minutes
        cols = [c for c in cols if c.key != "description"]
        period = period_words(scope)
    else:  # the minutes' own list states the period it covers
        span = gw.query("SELECT min(listed_from) AS a, max(listed_to) AS b FROM new_dataset_list "
                        "WHERE CAST(listed_to AS DATE) = ?", [scope.as_of])
        first = span["a"].iloc[0] if len(span) else None
        period = (f"{roc(pd.Timestamp(first).date(), 'long')}至{roc(scope.as_of, 'long')}"
                  if first is not None and not pd.isna(first) else period_words(scope))
    book.sheet("附件二", f"附件二　新增資料集（{period}）", _objects(frame), cols)


FEEDBACK_COLS = [
    Col("no", "編號", "count", 6), Col("posted_on", "發表日期", "date", 11),
    Col("title", "標題", "wrap", 16), Col("dataset_name", "資料集", "wrap", 18),
    Col("agency", "機關", "text", 9), Col("status", "狀態", "text", 9),
    Col("content", "意見內容", "wrap", 34), Col("replied_on", "機關首次回應日期", "date", 11),
    Col("reply_content", "回應內容", "wrap", 58),
    Col("days_calendar", "回復天數（日曆日）", "days", 9),
    Col("days_working", "回復天數（工作日）", "days", 9), Col("within", "是否 6 日內", "text", 12),
]
WITHIN = {"on_time": "是", "late": "否（逾6日回復）", "pending": "處理中（未逾期）",
          "overdue": "否（逾期未回復）"}


def write_feedback(book: Book, gw: Gateway, scope: Scope, days: str = "calendar") -> None:
    """附件三 with both content columns; 是否 6 日內 judged in calendar or working days."""
    items = feedback_items(gw, scope, days)  # newest first, as the paper listed them
    frame = items.assign(no=range(1, len(items) + 1), agency=items["agency"].map(short_name),
                         within=items["judged"].map(WITHIN))
    mode = "工作日" if days == "working" else "日曆日"
    cols = [*FEEDBACK_COLS[:-1], Col("within", f"是否 6 日內（{mode}）", "text", 12)]
    ws = book.sheet("附件三", "附件三　民眾意見（我有話要說）與機關回復情形", _objects(frame), cols)
    c = len(cols) - 1
    for r, judged in enumerate(frame["judged"], start=3):
        if judged in ("late", "overdue"):
            book.cell(ws, r, c, WITHIN[judged], "text", "unmet")


def write_requests(book: Book, gw: Gateway, scope: Scope) -> None:
    req = gw.query(
        "SELECT request_id, title, posted_on, suggested_name, agency, replied_on FROM request "
        "WHERE posted_on <= ? AND (CAST(? AS DATE) IS NULL OR posted_on > ?) "
        "ORDER BY posted_on", [scope.as_of, scope.since, scope.since])
    req["agency"] = req["agency"].map(lambda a: short_name(a) if isinstance(a, str) else a)
    cols = [Col("request_id", "編號", "text", 12), Col("title", "標題", "wrap", 40),
            Col("posted_on", "提出日期", "date", 11), Col("suggested_name", "建議資料集名稱", "wrap", 40),
            Col("agency", "回復機關", max_width=24), Col("replied_on", "最後回復日期", "date", 12)]
    book.sheet("附件四", "附件四　民眾資料需求（我想要更多）", _objects(req), cols)


def write_notes(book: Book) -> None:
    notes = pd.DataFrame(CALCULATION_NOTES, columns=["item", "rule"])
    book.sheet("計算說明", "計算說明：各項數字如何計算", notes,
               [Col("item", "項目", "text", 22), Col("rule", "計算方式", "wrap", 110)])
