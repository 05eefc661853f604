"""The one-page A4 meeting brief (PDF): headline totals and growth, the six agencies' five
indicators against target, the 6-day reply ratio, top movers and overdue opinions.

Every figure comes from the engine behind ``python -m kpi report --json`` (build_report) and the
marts in kpi/metrics; nothing is computed here but layout. Chinese text uses Noto Sans CJK TC
(see kpi/exports/fonts.py), embedded as a subset by fpdf2.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd
from fpdf import FPDF

from kpi.cycle.meetings import baseline_note
from kpi.exports.fonts import cjk_font
from kpi.exports.names import agency_words, period_words
from kpi.exports.standing import plan_year
from kpi.metrics.definitions import INDICATORS, metric, plan_label
from kpi.metrics.feedback import feedback_items
from kpi.metrics.headline import change_words
from kpi.metrics.plan import weights_in_force, yearly_achievement
from kpi.metrics.plan_notes import ranking_status
from kpi.metrics.recounts import short_cohort
from kpi.metrics.scope import Scope
from kpi.metrics.usage import dataset_changes
from kpi.reference.agencies import short_name
from kpi.reference.dates import roc, roc_datetime
from kpi.report import build_report
from kpi.store import Gateway

W, MARGIN = 210.0, 12.0
INNER = W - 2 * MARGIN
GREEN, RED, GREY, BLUE = (0, 110, 50), (170, 20, 30), (110, 110, 110), (47, 84, 150)


def count(value) -> str:
    return "—" if value is None or pd.isna(value) else f"{int(value):,}"


def signed(value) -> str:
    return "—" if value is None or pd.isna(value) else f"+{int(value):,}"


def pct(value) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:.1%}"


class Brief(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        for style, face in (("", "Regular"), ("B", "Bold")):
            path, index = cjk_font(face)
            self.add_font("cjk", style, path, collection_font_number=index)
        self.set_auto_page_break(False)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.add_page()

    def text_line(self, text: str, size: float = 9, style: str = "", colour=(0, 0, 0),
                  h: float = 5.0, align: str = "L") -> None:
        self.set_font("cjk", style, size)
        self.set_text_color(*colour)
        self.cell(INNER, h, text, new_x="LMARGIN", new_y="NEXT", align=align)
        self.set_text_color(0, 0, 0)

    def heading(self, text: str) -> None:
        self.ln(2)
        self.set_draw_color(*BLUE)
        self.text_line(text, 11, "B", BLUE, 6)
        self.line(MARGIN, self.get_y(), W - MARGIN, self.get_y())
        self.ln(1)

    def row(self, cells: list[str], widths: list[float], header: bool = False,
            colours: list | None = None, h: float = 5.6, left: int = 1, size: float = 8.5) -> None:
        """One table row; the first `left` columns are text (left-aligned), the rest figures."""
        self.set_font("cjk", "B" if header else "", size)
        if header:
            self.set_fill_color(221, 235, 247)
        for i, (text, width) in enumerate(zip(cells, widths, strict=True)):
            self.set_text_color(*((colours or [None] * len(cells))[i] or (0, 0, 0)))
            align = "C" if header else "L" if i < left else "R"
            self.cell(width, h, text, border=1, align=align, fill=header)
        self.set_text_color(0, 0, 0)
        self.ln(h)


def _headline(pdf: Brief, report: dict) -> None:
    t, reply = report["total"], report["headline"]["reply_6day_ratio"]

    def net(m: str) -> str:
        change = t[f"{m}_change"]
        return "未比較" if change is None else f"淨變化 {change['net']:+,}（續存增加 +{change['increase']:,}）"

    boxes = [("資料集", f"{count(t['datasets'])} 項",
              f"新增 {count(t['new_datasets'])}、下架或改名 {count(t['removed_datasets'])}"),
             ("累計瀏覽量", count(t["views"]), net("views")),
             ("累計下載量", count(t["downloads"]), net("downloads")),
             (f"{metric('reply_6day_ratio').label}（{reply['year']}年）", pct(reply["ratio"]),
              f"{reply['year']}年意見 {reply['total']} 則，逾期未回 {reply['overdue']}")]
    width, top = INNER / 4, pdf.get_y()
    for i, (name, value, sub) in enumerate(boxes):
        x = MARGIN + i * width
        pdf.set_draw_color(190, 190, 190)
        pdf.rect(x + 0.8, top, width - 1.6, 19)
        pdf.set_xy(x + 2, top + 1)
        pdf.set_font("cjk", "", 8.5)
        pdf.set_text_color(*GREY)
        pdf.cell(width - 4, 4.5, name)
        pdf.set_xy(x + 2, top + 5.5)
        pdf.set_font("cjk", "B", 15)
        pdf.set_text_color(0, 0, 0)
        pdf.cell(width - 4, 7, value)
        pdf.set_xy(x + 2, top + 13)
        pdf.set_font("cjk", "", 7)
        pdf.set_text_color(*GREY)
        pdf.cell(width - 4, 4.5, sub)
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(MARGIN, top + 21)
    pdf.text_line(f"{metric('reply_6day_ratio').label}基準：{reply['basis']}（與總覽、Excel 同一基準）。", 7,
                  colour=GREY, h=3.8)


def _usage_table(pdf: Brief, report: dict, target: float | None, yearly: pd.Series) -> None:
    year = report["headline"]["reply_6day_ratio"]["year"]
    widths = [22, 16, 24, 24, 24, 24, 22, 30]
    pdf.row(["機關", "資料集", "累計瀏覽量", "累計下載量", "下載量淨變化", "下載量續存增加", "成長未知項數",
             f"6日內回復（{year}年）"], widths, header=True, size=8)
    for r in [*report["agencies"], report["total"]]:
        is_total = r is report["total"]
        name = "合計" if is_total else short_name(r["agency"])
        ratio = report["headline"]["reply_6day_ratio"]["ratio"] if is_total else yearly.get(r["agency"])
        ratio = None if ratio is None or pd.isna(ratio) else ratio
        colour = None if ratio is None or target is None else GREEN if ratio >= target else RED
        change = r["downloads_change"]
        pdf.row([name, count(r["datasets"]), count(r["views"]), count(r["downloads"]),
                 "—" if change is None else f"{change['net']:+,}",
                 "—" if change is None else f"+{change['increase']:,}",
                 "—" if change is None else count(change["unknown"]), pct(ratio)], widths,
                colours=[None] * 7 + [colour])
    if report["total"]["downloads_change"] is not None:
        pdf.text_line("下載量" + change_words(report["total"]["downloads_change"]) + "。", 7, colour=GREY, h=3.8)
    for e in report["recount_events"]:
        pdf.text_line(_clip(pdf, f"平臺重新計數：{e['kind_label']}{short_cohort(e)}的 {e['cohort_datasets']:,} 項中 "
                                 f"{e['cohort_fell']:,} 項累計數下降，成長未知（{e['status_label']}）。", INNER - 2, 7),
                      7, colour=GREY, h=3.8)


def _chart(pdf: Brief, report: dict) -> None:
    """Horizontal bars of downloads growth (or cumulative downloads without a comparison)."""
    def value(r: dict) -> int:  # the rises whose growth is known (the waterfall's 續存增加)
        if not report["since"]:
            return r["downloads"] or 0
        return (r["downloads_change"] or {}).get("increase") or 0

    rows = [(short_name(r["agency"]), value(r)) for r in report["agencies"]]
    top = max((v for _, v in rows), default=0) or 1
    pdf.text_line("各機關續存資料集下載量增加（成長可知者）" if report["since"] else "各機關累計下載量", 8.5, "B",
                  GREY, 5)
    for name, value in rows:
        y = pdf.get_y()
        pdf.set_font("cjk", "", 8)
        pdf.cell(18, 4.2, name)
        pdf.set_fill_color(*BLUE)
        pdf.rect(MARGIN + 19, y + 0.7, max(0.4, 120 * value / top), 2.8, style="F")
        pdf.set_xy(MARGIN + 21 + 120 * value / top, y)
        pdf.cell(30, 4.2, f"{value:,}")
        pdf.set_xy(MARGIN, y + 4.2)


def _indicator_table(pdf: Brief, frame: pd.DataFrame, year: int, gw: Gateway, scope: Scope,
                     days: str) -> None:
    widths = [18] + [29.6] * 5 + [20]
    pdf.row(["機關", *[metric(n).short_label for n in INDICATORS], "綜合分數"], widths, header=True)
    by_agency = {r["agency"]: r for r in frame.to_dict("records")}
    for agency, r in by_agency.items():
        cells, colours = [short_name(agency)], [None]
        for n in INDICATORS:
            fmt = count if n in ("meetings", "new_datasets") else pct
            actual, met = r[f"{n}_actual"], r[f"{n}_met"]
            if met is None or pd.isna(met):
                cells.append(f"無資料／{fmt(r[f'{n}_target'])}")
                colours.append(GREY)
            else:
                cells.append(f"{fmt(actual)}／{fmt(r[f'{n}_target'])} {'達成' if met else '未達'}")
                colours.append(GREEN if met else RED)
        composite = r["composite"]
        cells.append("—" if composite is None or pd.isna(composite) else f"{composite:.1f}")
        pdf.row(cells, widths, colours=[*colours, None], size=8)
    status = ranking_status(gw, scope, year, weights_in_force()[0], days)
    if not status["complete"]:
        pdf.text_line(f"注意：綜合分數{status['headline']}，不是五項指標的完整排名，不據以提列獎勵。", 7.5, "B", RED, 4)
    pdf.text_line(f"格式：實績／目標（{year}年度目標）。"
                  + "；".join(f"{metric(n).short_label}＝{plan_label(n)}" for n in INDICATORS[:3]),
                  7, colour=GREY, h=4)


def _movers(pdf: Brief, gw: Gateway, scope: Scope) -> None:
    if scope.since is None:
        pdf.text_line("未指定比較基準日（since = none），無成長資料。", 8.5, colour=GREY)
        return
    frame = dataset_changes(gw, scope)
    frame = frame[frame["change_kind"] == "kept"].nlargest(8, "downloads_change")
    widths = [10, 104, 22, 25, 25]
    pdf.row(["名次", "資料集名稱", "機關", "下載量增加", "瀏覽量增加"], widths, header=True)
    for i, r in enumerate(frame.itertuples(), start=1):
        pdf.row([str(i), _clip(pdf, r.dataset_name, 102), short_name(r.agency),
                 signed(r.downloads_change), signed(r.views_change)], widths, left=3, h=5.2)


def _clip(pdf: Brief, text: str, width: float, size: float = 8.5) -> str:
    pdf.set_font("cjk", "", size)
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _overdue(pdf: Brief, gw: Gateway, scope: Scope, days: str) -> None:
    items = feedback_items(gw, scope, days)
    late = items[items["judged"] == "overdue"]
    pending = int((items["judged"] == "pending").sum())
    if late.empty:
        pdf.text_line(f"所選期間（{period_words(scope)}）無逾期未回復之民眾意見（處理中未逾期 {pending} 則）。", 8.5)
        return
    widths = [22, 70, 62, 28]
    pdf.row(["發表日期", "標題", "資料集", "機關"], widths, header=True)
    for r in late.head(5).itertuples():
        pdf.row([roc(r.posted_on), _clip(pdf, r.title, 68), _clip(pdf, r.dataset_name or "", 60),
                 short_name(r.agency)], widths, colours=[RED, None, None, None], left=4)
    if len(late) > 5:
        pdf.text_line(f"另有 {len(late) - 5} 則，詳見會議資料附件三。", 7.5, colour=GREY)


def export_brief(gw: Gateway, scope: Scope, days: str = "calendar",
                 generated_at: dt.datetime | None = None) -> bytes:
    moment = generated_at or dt.datetime.now(ZoneInfo("Asia/Taipei"))
    report = build_report(gw, scope, days)
    year = plan_year(gw, scope)
    pdf = Brief()
    pdf.set_title("勞動部開放資料績效會議摘要")
    pdf.text_line("勞動部開放資料績效　會議摘要", 17, "B", h=9)
    pdf.text_line(f"機關：{agency_words(scope)}　期間：{period_words(scope)}{baseline_note(gw, scope)}",
                  8.5, colour=GREY, h=4.5)
    pdf.text_line(f"資料日期：{roc(scope.as_of, 'long')}　產製時間：{roc_datetime(moment)}　"
                  f"回復日數：{'工作日' if days == 'working' else '日曆日'}", 8.5, colour=GREY, h=4.5)
    pdf.ln(2)
    _headline(pdf, report)
    pdf.heading("各機關使用量與成長")
    yearly = yearly_achievement(gw, scope, year, weights_in_force()[0], days)
    _usage_table(pdf, report, report["headline"]["reply_6day_ratio"]["target"],
                 yearly.set_index("agency")["reply_6day_ratio_actual"])
    pdf.ln(1.5)
    _chart(pdf, report)
    pdf.heading(f"{year}年度行動方案五項指標（達成／未達／無資料）")
    _indicator_table(pdf, yearly, year, gw, scope, days)
    pdf.heading("下載量上升最多的資料集（成長可知者）")
    _movers(pdf, gw, scope)
    pdf.heading("逾期未回復之民眾意見（逾 6 日）")
    _overdue(pdf, gw, scope, days)
    pdf.set_y(297 - MARGIN - 4)
    pdf.text_line("數字與儀表板、會議資料 Excel 同源；計算方式見會議資料「計算說明」。淨變化＝本次累計 − 前次累計。",
                  7, colour=GREY, h=4, align="C")
    return bytes(pdf.output())
