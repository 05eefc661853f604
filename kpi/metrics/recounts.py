"""Recount events in a period, as the pages, the pack and the report name them.

The build detects them (kpi/build/recounts.py) between consecutive snapshots; a period spans the
events whose pair lies inside it. Counts are of the datasets in scope (an agency filter narrows
who is listed, the event stays the whole cohort's), with its words for a page or a sheet.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from kpi.build.recounts import KIND_LABELS, RULE, STATUS_LABELS
from kpi.metrics.scope import Scope
from kpi.reference.dates import roc
from kpi.store import Gateway

EVENTS_SQL = """
SELECT e.event_id, e.kind, e.since_date, e.as_of_date, e.listed_from, e.listed_to, e.agency,
       e.datasets AS cohort_datasets, e.fell AS cohort_fell, e.share, e.share_outside, e.status,
       e.note, e.decided_by, e.decided_at,
       count(c.dataset_id) AS datasets,
       count(c.dataset_id) FILTER (WHERE c.views < p.views OR c.downloads < p.downloads) AS fell
FROM recount_event e
JOIN recount_member m USING (event_id)
LEFT JOIN core_counter c ON c.dataset_id = m.dataset_id AND c.snapshot_date = m.as_of_date
     AND list_contains(?, c.agency)
LEFT JOIN core_counter p ON p.dataset_id = m.dataset_id AND p.snapshot_date = m.since_date
WHERE e.since_date >= ? AND e.as_of_date <= ?
GROUP BY ALL
HAVING count(c.dataset_id) > 0
ORDER BY e.since_date, e.event_id
"""


def _day(value: Any) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return value.date() if hasattr(value, "date") else value


def short_cohort(e: dict[str, Any]) -> str:
    """「105年10月–106年6月」, the agency, or 「全平臺」 (dates may be ISO strings, from the report)."""
    if e["kind"] == "listing":
        return f"{roc(_iso(e['listed_from']), 'month')}–{roc(_iso(e['listed_to']), 'month')}"
    return e["agency"] if e["kind"] == "agency" else "全平臺"


def _iso(value: Any) -> Any:
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value.date() if isinstance(value, pd.Timestamp) else value


def describe(e: dict[str, Any]) -> str:
    """One sentence a committee member reads: cohort, dates, size, share fallen, the others."""
    if e["kind"] == "listing":
        cohort = f"上架於 {roc(e['listed_from'], 'month')}–{roc(e['listed_to'], 'month')} 的資料集"
    elif e["kind"] == "agency":
        cohort = f"{e['agency']}的資料集"
    else:
        cohort = "全平臺持續開放的資料集"
    outside = "" if e["share_outside"] is None or pd.isna(e["share_outside"]) else \
        f"；其餘資料集下降比率 {e['share_outside']:.0%}"
    return (f"{roc(e['since_date'])} 至 {roc(e['as_of_date'])} 間，{cohort} {e['cohort_datasets']:,} 項中 "
            f"{e['cohort_fell']:,} 項累計數下降（{e['share']:.0%}）{outside}：判定為平臺重新計數，"
            f"這些資料集在此期間的成長無法得知")


def events_in_period(gw: Gateway, scope: Scope) -> pd.DataFrame:
    """Events inside (since, as_of] touching the scope's datasets; rejected ones included (their
    status says so). Dates are ISO strings in the JSON report, dates here."""
    cols = ["event_id", "kind", "kind_label", "since_date", "as_of_date", "listed_from", "listed_to",
            "agency", "cohort_datasets", "cohort_fell", "datasets", "fell", "share", "share_outside",
            "status", "status_label", "note", "decided_by", "decided_at", "description"]
    if scope.since is None:
        return pd.DataFrame(columns=cols)
    frame = gw.query(EVENTS_SQL, [list(scope.agencies), scope.since, scope.as_of])
    rows = []
    for e in frame.to_dict("records"):
        for k in ("since_date", "as_of_date", "listed_from", "listed_to"):
            e[k] = _day(e[k])
        e |= {"kind_label": KIND_LABELS[e["kind"]], "status_label": STATUS_LABELS[e["status"]],
              "description": describe(e), "datasets": int(e["datasets"]), "fell": int(e["fell"]),
              "cohort_datasets": int(e["cohort_datasets"]), "cohort_fell": int(e["cohort_fell"])}
        rows.append(e)
    return pd.DataFrame(rows, columns=cols)


def rule_text() -> str:
    """The detection rule in words (計算說明)."""
    return (f"兩次相鄰快照間，同一群資料集（依上架月份的連續期間、機關或全平臺）至少 {RULE.min_cohort} 項、"
            f"其中至少 {RULE.min_falls} 項且 {RULE.min_share:.0%} 以上累計數下降，且下降比率為其餘資料集"
            f"（或以往各期通常比率）的 {RULE.times_usual:g} 倍以上時，判定為平臺重新計數事件；"
            "以掃描統計量（概似比檢定）在上架月份的連續期間與各機關中選出最能解釋下降者。事件內資料集的成長"
            "列為「無法得知」，不計入成長排行與獎項；零星的下降仍視為計數器重設。資訊處可確認、否決或加註。")
