"""Where each agency stands: the KPI summary (same figures as the report JSON), the yearly
action-plan ranking, and the per-dataset quality fix list."""

from __future__ import annotations

import pandas as pd

from kpi.exports.workbook import Book, Col
from kpi.metrics.definitions import INDICATORS, plan_label, show
from kpi.metrics.plan import Weights, default_year, weights_in_force, yearly_achievement
from kpi.metrics.plan_notes import method_lines, ranking_status
from kpi.metrics.scope import Scope
from kpi.reference.agencies import short_name
from kpi.reference.fields import label
from kpi.report import build_report
from kpi.store import Gateway

COUNT_KEYS = ["datasets", "views", "downloads", "views_growth", "downloads_growth",
              "counter_resets", "new_datasets", "removed_datasets"]
FEEDBACK_KEYS = ["total", "on_time", "late", "pending", "overdue", "ratio"]
QUALITY_KEYS = ["three_star_ratio", "correctness_rate", "gold_award_score"]


def _row(row: dict) -> dict:
    out = {"agency": short_name(row["agency"])} | {k: row[k] for k in COUNT_KEYS}
    out |= {f"fb_{k}": row["feedback"][k] for k in FEEDBACK_KEYS}
    return out | {k: row[k] for k in QUALITY_KEYS}


def write_summary(book: Book, gw: Gateway, scope: Scope, days: str = "calendar") -> None:
    """The same figures as the report JSON; the 6-day ratio on the headline's basis (the plan
    year's opinions, as 總覽 and the brief print it), the period's own count beside it."""
    report = build_report(gw, scope, days)
    head = report["headline"]["reply_6day_ratio"]
    year = head["year"]
    yearly = yearly_achievement(gw, scope, year, days=days).set_index("agency")["reply_6day_ratio_actual"]
    frame = pd.DataFrame([_row(r) | {"year_ratio": yearly.get(r["agency"])} for r in report["agencies"]])
    cols = [Col("agency", "機關", "text", 9)]
    cols += [Col(k, label(k), "count", 10.5) for k in COUNT_KEYS]
    cols.append(Col("year_ratio", f"{label('reply_6day_ratio')}（{year}年）", "ratio", 11))
    cols += [Col(f"fb_{k}", f"{label(k)}（所選期間）", "ratio" if k == "ratio" else "count", 10.5)
             for k in FEEDBACK_KEYS]
    cols += [Col(k, label(k), "score" if k == "gold_award_score" else "ratio", 10.5)
             for k in QUALITY_KEYS]
    total = _row(report["total"]) | {"agency": "合計", "year_ratio": head["ratio"]}
    mode = "工作日" if days == "working" else "日曆日"
    target = head["target"]
    ws = book.sheet("KPI摘要", "各機關資料集使用量、民眾意見回復與品質指標摘要",
                    frame.astype(object).where(frame.notna(), None), cols,
                    {k: v for k, v in total.items() if v is not None},
                    notes=[f"{label('reply_6day_ratio')}以{mode}計算，目標 {show('reply_6day_ratio', target)}"
                           "（綠：達成；紅：未達成）；與總覽、會議摘要同一基準：" + head["basis"] + "。",
                           "「所選期間」各欄為比較期間內發表之意見。"
                           "「上升合計」為續存資料集上升的部分，不是淨變化；變化的組成見「使用量變化」表。"
                           "空白表示尚無計算所需資料（例如未匯入資料集清單）。"])
    c = [col.key for col in cols].index("year_ratio")
    for r, value in enumerate(frame["year_ratio"], start=3):
        if value is not None and not pd.isna(value) and target is not None:
            book.cell(ws, r, c, value, "ratio", "met" if value >= target else "unmet")


def plan_year(gw: Gateway, scope: Scope) -> int:
    """The ROC year whose targets apply at the as-of date (kpi.metrics.plan.default_year)."""
    return default_year(gw, scope.as_of)


def write_agency_ranking(book: Book, gw: Gateway, scope: Scope,
                         weights: Weights | None = None, days: str = "calendar") -> None:
    """``days`` (calendar | working) as chosen on the dashboard; the default keeps old callers."""
    in_force, saved = weights_in_force()
    weights = weights or in_force  # the office's setting, as the page shows it
    year = plan_year(gw, scope)
    frame = yearly_achievement(gw, scope, year, weights, days)
    frame["agency"] = frame["agency"].map(short_name)
    cols = [Col("rank", "名次", "count", 6), Col("agency", "機關", "text", 9)]
    for name in INDICATORS:
        unit = "count" if name in ("meetings", "new_datasets") else "ratio"
        cols += [Col(f"{name}_actual", f"{plan_label(name)}（實績）", unit, 13),
                 Col(f"{name}_target", "目標", unit, 7)]
    cols += [Col("bonus_reply", "加分：3日內回復", "score", 10),
             Col("bonus_stars", "加分：四五星", "score", 10), Col("composite", "綜合分數", "score", 10)]
    out = frame.astype(object).where(frame.notna(), None)
    ws = book.sheet(f"機關排名{year}年", f"{year}年度行動方案五項指標達成情形與綜合排名", out, cols,
                    notes=[*method_lines(weights, saved if weights == in_force else {}, days),
                           "綠：達成目標；紅：未達成。", *_partial(gw, scope, year, weights, days)])
    keys = [c.key for c in cols]
    for r, (_, row) in enumerate(frame.iterrows(), start=3):
        for name in INDICATORS:
            c = keys.index(f"{name}_actual")
            met = row[f"{name}_met"]
            if met is None or pd.isna(met):
                book.cell(ws, r, c, "無資料", "text")
            else:
                book.cell(ws, r, c, row[f"{name}_actual"], cols[c].unit, "met" if met else "unmet")


def _partial(gw: Gateway, scope: Scope, year: int, weights: Weights, days: str) -> list[str]:
    """Issue 10: a ranking on fewer than five indicators says so (and proposes no award)."""
    status = ranking_status(gw, scope, year, weights, days)
    return [] if status["complete"] else [f"部分指標排名：{status['headline']}；名次為全部 {status['compared']} 個"
                                          f"機關中的名次，五項指標齊備前不列獎勵名單。缺少：{'；'.join(status['missing'])}。"]


FIX_COLUMNS = [Col("agency", "機關", "text", 9), Col("dataset_key", "資料集識別碼", "text", 12),
               Col("dataset_name", "資料集名稱", "wrap", 36),
               Col("problems", "待改善事項", "wrap", 44), Col("update_frequency", "更新頻率", "text", 10),
               Col("metadata_updated_at", "詮釋資料更新時間", "date", 11),
               Col("broken_reasons", "連結檢查結果", "wrap", 24), Col("stars", "星等", "count", 6),
               Col("badge", "標章", "text", 8), Col("service_category", "服務分類", "text", 11)]


def _problems(r) -> str:
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


def fix_rows(gw: Gateway, scope: Scope) -> pd.DataFrame:
    """The datasets behind the correctness rate and three-star ratio, and what each should fix."""
    from kpi.metrics.quality import dataset_quality

    rows = dataset_quality(gw, scope)
    if rows.empty:
        return pd.DataFrame(columns=[c.key for c in FIX_COLUMNS])
    rows["problems"] = rows.apply(_problems, axis=1)
    rows = rows[rows["problems"] != ""].copy()
    categories = dict(gw.query(
        "SELECT dataset_key, service_category FROM catalogue WHERE snapshot_date = "
        "(SELECT max(snapshot_date) FROM catalogue WHERE snapshot_date <= ?)",
        [scope.as_of]).itertuples(index=False))
    rows["service_category"] = rows["dataset_key"].map(categories)
    rows["agency"] = rows["agency"].map(short_name)
    rows = rows[[c.key for c in FIX_COLUMNS]].astype(object)
    return rows.where(rows.notna(), None).reset_index(drop=True)


def write_fixes(book: Book, rows: pd.DataFrame, name: str, title: str) -> None:
    """The table ends with its last dataset (the rules are on the 計算說明 sheet)."""
    book.sheet(name, title, rows, FIX_COLUMNS)
