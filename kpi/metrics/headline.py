"""The headline figures of a view, computed once for every place that prints them.

總覽, the one-page brief, the Excel pack's KPI sheet and ``report --json`` (its ``headline``) show
the same numbers for the same view with the same basis stated: the 6-day reply ratio is the plan
year's (opinions posted in the year up to the data date — what the per-agency cards and the
composite use), and the period's own count beside it. Totals carry their reconciliation.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from kpi.metrics.feedback import year_summary
from kpi.metrics.plan import common_target, default_year
from kpi.metrics.scope import Scope
from kpi.reference.dates import roc
from kpi.store import Gateway

SPAN_SQL = """
SELECT min(posted_on) AS first, max(posted_on) AS last, list(DISTINCT judged_on ORDER BY judged_on) AS judged
FROM core_feedback WHERE list_contains(?, agency) AND posted_on > ? AND posted_on <= ?
"""


def reply_basis(year: int, summary: dict[str, Any], span: dict[str, Any] | None = None) -> str:
    """The words that say what the headline 6-day ratio counts, and what the data covers."""
    covered = ""
    if span and span.get("first") is not None and not pd.isna(span["first"]):
        judged = "、".join(roc(d) for d in span["judged"])
        covered = f"；資料為 {judged} 匯出，發表日 {roc(span['first'])}–{roc(span['last'])}"
    return (f"{year} 年發表之意見（{roc(summary['from'])} 後至 {roc(summary['to'])}{covered}），"
            f"{summary['total']} 則：6 日內 {summary['on_time']}、逾 6 日 {summary['late']}、"
            f"逾期未回 {summary['overdue']}、處理中 {summary['pending']}")


def reply_headline(gw: Gateway, scope: Scope, days: str = "calendar") -> dict[str, Any]:
    """The plan year's 6-day reply figures for the scope, its target and the basis in words."""
    year = default_year(gw, scope.as_of)
    summary = year_summary(gw, scope, year, days)
    span = gw.query(SPAN_SQL, [list(scope.agencies), summary["from"], summary["to"]]).iloc[0].to_dict()
    return summary | {"year": year, "days": days, "target": common_target(gw, "reply_6day_ratio", year),
                      "basis": reply_basis(year, summary, span)}


def change_words(change: dict[str, Any] | None, unit: str = "") -> str:
    """「淨變化 +5,962 = 續存增加 22,473 − 續存減少 0 − 重新計數 14,114 + 新增 581 − 下架 2,978」."""
    if change is None:
        return "無前次資料，不計變化"
    recount = change["recount"]
    return (f"淨變化 {change['net']:+,}{unit} ＝ 續存增加 {change['increase']:,} − 續存減少 "
            f"{change['fall']:,} {'−' if recount < 0 else '+'} 重新計數 {abs(recount):,}"
            f"（{change['unknown']:,} 項成長未知） + 新增 {change['new']:,} − 下架 {change['removed']:,}")


STEPS = ("before", "increase", "fall", "recount", "new", "removed", "after")


def change_steps(change: dict[str, Any]) -> list[tuple[str, int, str]]:
    """The reconciliation as waterfall steps: (part, signed amount, measure) where measure is
    Plotly's absolute / relative / total; falls and removals are negative amounts."""
    sign = {"fall": -1, "removed": -1}
    out = []
    for part in STEPS:
        kind = "absolute" if part == "before" else "total" if part == "after" else "relative"
        out.append((part, sign.get(part, 1) * int(change[part]), kind))
    return out
