"""The pack's 使用量變化 sheet: each agency's views and downloads from before to after, part by
part (the same reconciliation as the pages and ``report --json``), the recount events of the
period, and 衰退 against the previous period of the same length where three snapshots allow it."""

from __future__ import annotations

import pandas as pd

from kpi.exports.workbook import Book, Col
from kpi.metrics.decline import period_usage
from kpi.metrics.headline import change_words
from kpi.metrics.recounts import events_in_period
from kpi.metrics.scope import Scope
from kpi.metrics.usage import MEASURES
from kpi.reference.agencies import short_name
from kpi.reference.fields import label
from kpi.report import build_report
from kpi.store import Gateway

PARTS = ("before", "increase", "fall", "recount", "new", "removed", "after", "net")
WORD = {"views": "瀏覽", "downloads": "下載"}


def _row(row: dict) -> dict:
    out: dict = {"agency": short_name(row["agency"]) if row["agency"] != "全部" else "合計"}
    for m in MEASURES:
        change = row[f"{m}_change"] or {}
        out |= {f"{m}_{p}": change.get(p) for p in PARTS}
    out["recount_datasets"] = (row["downloads_change"] or {}).get("unknown")
    return out


def write_change(book: Book, gw: Gateway, scope: Scope, days: str = "calendar") -> None:
    if scope.since is None:
        return
    report = build_report(gw, scope, days)
    frame = pd.DataFrame([_row(r) for r in report["agencies"]])
    total = _row(report["total"])
    cols = [Col("agency", "機關", "text", 8)]
    for m in ("downloads", "views"):
        cols += [Col(f"{m}_{p}", label(f"{m}_{p}"), "count", 9.5) for p in PARTS]
    cols.append(Col("recount_datasets", label("recount_datasets"), "count", 9))
    notes = ["前次累計 + 續存增加 − 續存減少 ± 重新計數 + 新增 − 下架 = 本次累計，逐機關到個位數；"
             "淨變化＝兩個總數之差。「上升合計」只是續存資料集上升的部分，不是淨變化。"]
    for m in ("downloads", "views"):
        notes.append(f"{WORD[m]}：{change_words(report['total'][f'{m}_change'])}。")
    notes += [e["description"] + "。" for e in events_in_period(gw, scope).to_dict("records")]
    trend = period_usage(gw, scope)
    notes.append(trend["basis"] + "（各機關見「成長與衰退」表）。" if trend["available"] else trend["needed"])
    book.sheet("使用量變化", "各機關累計下載量、瀏覽量的變化組成", frame.astype(object).where(frame.notna(), None),
               cols, {k: v for k, v in total.items() if v is not None}, notes)
    if trend["available"]:
        per = trend["agencies"].assign(agency=trend["agencies"]["agency"].map(short_name))
        keys = ["compared", "usage_previous", "usage", "difference", "change_ratio", "grew", "declined"]
        book.sheet("成長與衰退", "各機關下載使用量：本期對前一段同長度期間",
                   per.astype(object).where(per.notna(), None),
                   [Col("agency", "機關", "text", 8)] + [
                       Col(k, label(k), "ratio" if k == "change_ratio" else "count", 11) for k in keys],
                   notes=[trend["basis"] + "。衰退＝本期使用量低於前期（同長度）。"])
