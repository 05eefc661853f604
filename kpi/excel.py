"""Excel exports: the 附件一 ranking and the whole meeting pack, formatted for the committee.

Every text cell is written with ``write_string`` and the workbook is opened with
``strings_to_formulas`` off, so a name such as "=HYPERLINK(...)" stays text.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import pandas as pd
import xlsxwriter

from kpi.dates import roc, roc_compact
from kpi.fields import CHANGE_KIND_LABELS, FIELDS, JUDGED_LABELS, MATCH_KIND_LABELS, label
from kpi.metrics.definitions import INDICATORS, plan_label
from kpi.metrics.feedback import feedback_items
from kpi.metrics.plan import Weights, common_target, default_year, yearly_achievement
from kpi.metrics.scope import Scope
from kpi.metrics.usage import ranking
from kpi.notes import CALCULATION_NOTES
from kpi.report import build_report
from kpi.store import Gateway

RANKING_COLUMNS = ["rank", "dataset_name", "agency", "service_category", "views", "downloads",
                   "views_before", "views_change", "downloads_before", "downloads_change",
                   "change_kind", "match_kind"]


TITLES = {"ranking": "資料集下載排行", "pack": "諮詢小組會議資料", "fixlist": "資料品質待改善清單"}


def file_name(kind: str, scope: Scope) -> str:
    """File names carry the ROC date, e.g. 資料集下載排行_1070720.xlsx."""
    return f"{TITLES[kind]}_{roc_compact(scope.as_of)}.xlsx"


class _Book:
    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, {
            "in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False})
        self.fmt = {
            "header": self.book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                            "text_wrap": True, "valign": "top"}),
            "count": self.book.add_format({"num_format": "#,##0"}),
            "ratio": self.book.add_format({"num_format": "0.0%"}),
            "score": self.book.add_format({"num_format": "0.00"}),
            "days": self.book.add_format({"num_format": "0"}),
            "text": self.book.add_format({"text_wrap": False}),
            "title": self.book.add_format({"bold": True, "font_size": 14}),
            "total": self.book.add_format({"bold": True, "num_format": "#,##0", "top": 1}),
            "met": self.book.add_format({"bg_color": "#C6EFCE", "font_color": "#006100"}),
            "unmet": self.book.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"}),
            "wrap": self.book.add_format({"text_wrap": True, "valign": "top"}),
            "met_ratio": self.book.add_format({"bg_color": "#C6EFCE", "font_color": "#006100",
                                               "num_format": "0.0%"}),
            "unmet_ratio": self.book.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006",
                                                 "num_format": "0.0%"}),
        }

    def table(self, name: str, frame: pd.DataFrame, headers: Sequence[str],
              units: Sequence[str], widths: Sequence[int], total: dict[int, object] | None = None
              ) -> xlsxwriter.worksheet.Worksheet:
        ws = self.book.add_worksheet(name)
        for c, (head, width, unit) in enumerate(zip(headers, widths, units, strict=True)):
            ws.write_string(0, c, head, self.fmt["header"])
            ws.set_column(c, c, width, self.fmt.get(unit))
        for r, row in enumerate(frame.itertuples(index=False), start=1):
            for c, (value, unit) in enumerate(zip(row, units, strict=True)):
                self.cell(ws, r, c, value, unit)
        last = len(frame)
        if total:
            last += 1
            for c, value in total.items():
                if isinstance(value, str):
                    ws.write_string(last, c, value, self.fmt["total"])
                else:
                    ws.write_number(last, c, value, self.fmt["total"])
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(frame), 1), len(headers) - 1)
        return ws

    def cell(self, ws, r: int, c: int, value: object, unit: str) -> None:
        if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
            ws.write_blank(r, c, None)
        elif unit in ("count", "ratio", "score", "days") and isinstance(value, (int, float)):
            ws.write_number(r, c, float(value), self.fmt[unit])
        elif hasattr(value, "isoformat") and unit == "date":
            ws.write_string(r, c, roc(pd.Timestamp(value).date()))
        else:
            ws.write_string(r, c, str(value))

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def _ranking_frame(gw: Gateway, scope: Scope) -> pd.DataFrame:
    frame = ranking(gw, scope)
    frame["change_kind"] = frame["change_kind"].map(CHANGE_KIND_LABELS)
    frame["match_kind"] = frame["match_kind"].map(MATCH_KIND_LABELS).fillna("")
    return frame[RANKING_COLUMNS].astype(object).where(frame[RANKING_COLUMNS].notna(), None)


def _write_ranking(book: _Book, gw: Gateway, scope: Scope, sheet: str) -> None:
    frame = _ranking_frame(gw, scope)
    units = [FIELDS[c].unit for c in RANKING_COLUMNS]
    widths = [6, 48, 30, 12, 12, 12, 14, 12, 14, 12, 12, 16]
    total = {1: "合計", 4: int(frame["views"].sum()), 5: int(frame["downloads"].sum())}
    book.table(sheet, frame, [label(c) for c in RANKING_COLUMNS], units, widths, total)


def export_ranking(gw: Gateway, scope: Scope) -> bytes:
    """附件一 layout sorted by downloads, with the agency on every row and growth columns."""
    book = _Book()
    _write_ranking(book, gw, scope, "附件一")
    return book.close()


FIX_COLUMNS = [("agency", "機關", "text", 28), ("dataset_key", "資料集識別碼", "text", 22),
               ("dataset_name", "資料集名稱", "text", 40), ("problems", "待改善事項", "text", 48),
               ("update_frequency", "更新頻率", "text", 12),
               ("metadata_updated_at", "詮釋資料更新時間", "date", 16),
               ("broken_reasons", "連結檢查結果", "text", 30), ("stars", "星等", "count", 6),
               ("badge", "標章", "text", 10)]


def _fix_rows(gw: Gateway, scope: Scope) -> pd.DataFrame:
    from kpi.metrics.quality import dataset_quality

    rows = dataset_quality(gw, scope)
    if rows.empty:
        return pd.DataFrame(columns=[c for c, *_ in FIX_COLUMNS])
    def problems(r) -> str:
        out = []
        if r["late_update"]:
            out.append("未依更新頻率更新")
        if r["broken_link"]:
            out.append("連結失效（連續兩次）" if r["broken_twice"] else "連結失效")
        if r["wrong_info"]:
            out.append("資訊錯誤（聯絡人、編碼或欄位說明）")
        if r["stars"] < 3:
            out.append(f"僅 {int(r['stars'])} 星，建議提供 CSV/JSON/XML")
        return "；".join(out)
    rows["problems"] = rows.apply(problems, axis=1)
    rows = rows[rows["problems"] != ""]
    return rows[[c for c, *_ in FIX_COLUMNS]].astype(object).where(rows.notna(), None)


def export_fixlist(gw: Gateway, scope: Scope) -> bytes:
    """Per agency: the datasets behind the correctness rate and three-star ratio, what to fix."""
    book = _Book()
    rows = _fix_rows(gw, scope)
    sheets = [(a, rows[rows["agency"] == a]) for a in scope.agencies] if len(rows) else []
    if not sheets or all(part.empty for _, part in sheets):
        sheets = [("全部", rows)]
    from kpi.agencies import short_name

    for agency, part in sheets:
        if part.empty and len(sheets) > 1:
            continue
        book.table(short_name(agency)[:31], part.reset_index(drop=True),
                   [h for _, h, _, _ in FIX_COLUMNS], [u for *_, u, _ in FIX_COLUMNS],
                   [w for *_, w in FIX_COLUMNS])
    return book.close()


def _new_datasets(gw: Gateway, scope: Scope) -> pd.DataFrame:
    if scope.since is None:
        return gw.query(
            "SELECT no, dataset_name, description, publisher AS agency, service_category "
            "FROM new_dataset_list WHERE CAST(listed_to AS DATE) = ? ORDER BY no", [scope.as_of])
    frame = ranking(gw, scope)
    frame = frame[frame["change_kind"] == "new"].reset_index(drop=True)
    return pd.DataFrame({"no": range(1, len(frame) + 1), "dataset_name": frame["dataset_name"],
                         "description": "", "agency": frame["agency"],
                         "service_category": frame["service_category"]})


def export_pack(gw: Gateway, scope: Scope, weights: Weights | None = None) -> bytes:
    """Sheets 附件一–四, KPI summary, agency ranking and calculation notes."""
    book = _Book()
    _write_ranking(book, gw, scope, "附件一")
    new = _new_datasets(gw, scope).astype(object)
    book.table("附件二", new.where(new.notna(), None), ["編號", "資料集名稱", "資料集描述", "提供機關", "服務分類"],
               ["count", "text", "text", "text", "text"], [6, 40, 60, 28, 12])
    items = feedback_items(gw, scope)
    fb = pd.DataFrame({
        "no": range(1, len(items) + 1), "posted_on": items["posted_on"], "title": items["title"],
        "dataset_name": items["dataset_name"], "agency": items["agency"],
        "status": items["status"], "replied_on": items["replied_on"], "days": items["days"],
        "judged": items["judged"].map(JUDGED_LABELS),
    }).astype(object)
    fb = fb.where(fb.notna(), None)
    ws = book.table("附件三", fb, ["編號", "發表日期", "標題", "資料集", "機關", "狀態", "機關首次回應日期",
                                 "回復日數", "判定"],
                    ["count", "date", "text", "text", "text", "text", "date", "days", "text"],
                    [6, 12, 36, 40, 28, 10, 16, 10, 16])
    for r, judged in enumerate(fb["judged"], start=1):
        if judged in ("逾6日回復", "逾期未回復"):
            ws.write_string(r, 8, judged, book.fmt["unmet"])
    req = gw.query(
        "SELECT request_id, title, posted_on, suggested_name, agency, replied_on FROM request "
        "WHERE posted_on <= ? AND (CAST(? AS DATE) IS NULL OR posted_on > ?) "
        "ORDER BY posted_on", [scope.as_of, scope.since, scope.since]).astype(object)
    book.table("附件四", req.where(req.notna(), None), ["編號", "標題", "提出日期", "建議資料集名稱", "回復機關",
                                 "最後回復日期"], ["text", "text", "date", "text", "text", "date"],
               [12, 40, 12, 40, 24, 14])
    _write_summary(book, gw, scope)
    _write_agency_ranking(book, gw, scope, weights)
    fixes = _fix_rows(gw, scope)
    if len(fixes):
        book.table("品質待改善", fixes.reset_index(drop=True), [h for _, h, _, _ in FIX_COLUMNS],
                   [u for *_, u, _ in FIX_COLUMNS], [w for *_, w in FIX_COLUMNS])
    notes = pd.DataFrame(CALCULATION_NOTES, columns=["item", "rule"])
    ws = book.table("計算說明", notes, ["項目", "計算方式"], ["text", "text"], [24, 110])
    ws.set_column(1, 1, 110, book.fmt["wrap"])
    return book.close()


def _write_summary(book: _Book, gw: Gateway, scope: Scope) -> None:
    report = build_report(gw, scope)
    keys = ["datasets", "views", "downloads", "views_growth", "downloads_growth",
            "counter_resets", "new_datasets", "removed_datasets"]
    rows = []
    for row in report["agencies"] + [report["total"]]:
        fb = row["feedback"]
        rows.append([row["agency"], *[row[k] for k in keys], fb["total"], fb["on_time"],
                     fb["late"], fb["pending"], fb["overdue"], fb["ratio"],
                     row["three_star_ratio"], row["correctness_rate"], row["gold_award_score"]])
    headers = ["機關", *[label(k) for k in keys],
               *[label(k) for k in ("total", "on_time", "late", "pending", "overdue", "reply_6day_ratio",
                                    "three_star_ratio", "correctness_rate", "gold_award_score")]]
    units = ["text"] + ["count"] * 8 + ["count"] * 5 + ["ratio", "ratio", "ratio", "score"]
    frame = pd.DataFrame(rows, columns=headers)
    ws = book.table("KPI摘要", frame, headers, units, [30] + [12] * 17)
    target = common_target(gw, "reply_6day_ratio", default_year(gw, scope.as_of))
    for r, value in enumerate(frame[label("reply_6day_ratio")], start=1):
        if value is not None and not pd.isna(value) and target is not None:
            ws.write_number(r, 14, value, book.fmt["met_ratio" if value >= target else "unmet_ratio"])
    ws.write_string(len(frame) + 2, 0, f"資料日期：{roc(scope.as_of, 'long')}；比較基準："
                    f"{roc(scope.since, 'long') if scope.since else '無'}")


def _write_agency_ranking(book: _Book, gw: Gateway, scope: Scope,
                          weights: Weights | None) -> None:
    year = default_year(gw, scope.as_of)
    frame = yearly_achievement(gw, scope, year, weights)
    cols = ["rank", "agency"]
    headers = ["名次", "機關"]
    units = ["count", "text"]
    for name in INDICATORS:
        cols += [f"{name}_actual", f"{name}_target"]
        unit = "count" if name in ("meetings", "new_datasets") else "ratio"
        headers += [f"{plan_label(name)}（實績）", "目標"]
        units += [unit, unit]
    cols += ["bonus_reply", "bonus_stars", "composite"]
    headers += ["加分：3日內回復", "加分：四五星", "綜合分數"]
    units += ["score", "score", "score"]
    out = frame[cols].astype(object).where(frame[cols].notna(), None)
    ws = book.table(f"機關排名{year}年", out, headers, units, [6, 30] + [14] * (len(cols) - 2))
    for r, (_, row) in enumerate(frame.iterrows(), start=1):
        for i, name in enumerate(INDICATORS):
            met = row[f"{name}_met"]
            if met is None or pd.isna(met):
                continue
            c = 2 + 2 * i
            book.cell(ws, r, c, row[f"{name}_actual"], units[c])
            ws.conditional_format(r, c, r, c, {"type": "no_blanks",
                                               "format": book.fmt["met" if met else "unmet"]})
    ws.write_string(len(frame) + 2, 0, "權重：" + "、".join(
        f"{plan_label(n)} {getattr(weights or Weights(), n):g}" for n in INDICATORS)
        + f"；加分上限各 {(weights or Weights()).bonus_max:g} 分。未有資料之指標不計入，權重重新分配。")
