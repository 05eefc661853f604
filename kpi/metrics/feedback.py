"""Six-day reply ratio (action plan note 4; SPEC §4.5).

ratio = on_time / (on_time + late + overdue). An unanswered opinion still inside its 6 days at the
date of its export is pending and left out of the ratio; past it, it is overdue and counts against.
Days run from posting to first reply, in calendar days or Taiwan working days (``mode``).
"""

from __future__ import annotations

import pandas as pd

from kpi.metrics.scope import Scope, plan_year_window
from kpi.store import Gateway

MODES = ("calendar", "working")

# kpi/sql/marts/feedback.sql: feedback_items, feedback_summary (day mode, agencies, as-of, since).
ITEMS_SQL = "SELECT * FROM feedback_items(?, ?, ?, ?) ORDER BY posted_on DESC, feedback_id"
SUMMARY_SQL = "SELECT * FROM feedback_summary(?, ?, ?, ?)"


def _params(scope: Scope, mode: str) -> list:
    if mode not in MODES:
        raise ValueError(f"不明的日數計算方式「{mode}」")
    return [mode, list(scope.agencies), scope.as_of, scope.since]


def feedback_items(gw: Gateway, scope: Scope, mode: str = "calendar") -> pd.DataFrame:
    return gw.query(ITEMS_SQL, _params(scope, mode))


def ratio(on_time: int, late: int, overdue: int) -> float | None:
    judged = on_time + late + overdue
    return on_time / judged if judged else None


def feedback_summary(gw: Gateway, scope: Scope, mode: str = "calendar") -> pd.DataFrame:
    """Per agency in scope (zero rows included): counts by class and the 6-day ratio."""
    found = gw.query(SUMMARY_SQL, _params(scope, mode)).set_index("agency")
    rows = []
    for agency in scope.agencies:
        base = {"agency": agency, "total": 0, "on_time": 0, "late": 0, "pending": 0,
                "overdue": 0, "mean_days": None, "within_3_days": 0}
        if agency in found.index:
            base |= {k: v for k, v in found.loc[agency].to_dict().items()}
        for key in ("total", "on_time", "late", "pending", "overdue", "within_3_days"):
            base[key] = int(base[key])
        base["ratio"] = ratio(base["on_time"], base["late"], base["overdue"])
        rows.append(base)
    return pd.DataFrame(rows)


REQUESTS_SQL = """
SELECT request_id, title, posted_on AS request_posted_on, suggested_name, agency AS request_agency,
       replied_on AS request_replied_on, source FROM core_request
WHERE list_contains(?, agency) AND posted_on <= ? AND (CAST(? AS DATE) IS NULL OR posted_on > ?)
ORDER BY posted_on DESC, request_id
"""


def requests_in_period(gw: Gateway, scope: Scope) -> pd.DataFrame:
    """Data requests (我想要更多) posted in the chosen period, as 附件四 counts them."""
    return gw.query(REQUESTS_SQL, [list(scope.agencies), scope.as_of, scope.since, scope.since])


def year_summary(gw: Gateway, scope: Scope, roc_year: int, mode: str = "calendar") -> dict:
    """The group's counts and 6-day ratio over one ROC year, on the basis the plan's yearly
    achievement uses (opinions posted in the year up to the data date): the headline figure
    that agrees with the per-agency cards beside it."""
    year_scope = plan_year_window(scope, roc_year)
    summary = feedback_summary(gw, year_scope, mode)
    counts = {k: int(summary[k].sum()) for k in ("total", "on_time", "late", "pending", "overdue")}
    return counts | {"ratio": ratio(counts["on_time"], counts["late"], counts["overdue"]),
                     "from": year_scope.since, "to": year_scope.as_of}


def both_day_counts(gw: Gateway, scope: Scope) -> pd.DataFrame:
    """Per agency: the counts in calendar days and the ratio both ways, side by side (SPEC §4.5)."""
    cal = feedback_summary(gw, scope, "calendar")
    work = feedback_summary(gw, scope, "working")
    both = cal[["agency", "total", "on_time", "late", "pending", "overdue", "ratio"]].copy()
    both["ratio_working"] = work["ratio"].to_numpy()
    return both
