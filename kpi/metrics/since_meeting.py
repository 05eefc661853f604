"""「自上次會議以來」: what changed between the comparison snapshot (the previous meeting's data)
and the data date, for the agencies in scope.

Datasets added and removed and the biggest movers come from the usage mart's dataset pairs; an
indicator "crossed" its target when it was met at one date and not at the other (both known);
one that could not be computed before (無資料) and can now is listed apart, not as a crossing.
Feedback is judged at the date of the export it came from, never at the data date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from kpi.metrics.definitions import INDICATORS, plan_label, show
from kpi.metrics.feedback import feedback_items
from kpi.metrics.plan import default_year, yearly_achievement
from kpi.metrics.scope import Scope
from kpi.metrics.scorecard import STATUS, added_removed, movers, no_comparison
from kpi.metrics.usage import dataset_changes
from kpi.reference.agencies import short_name
from kpi.store import Gateway

CROSSING_LABELS = {"agency": "機關", "indicator": "指標", "before": "前次", "now": "本次",
                   "change": "變化"}
CHANGE_WORDS = {"up": "轉為達成", "down": "轉為未達成", "measured": "前次無資料、本次可計算"}


def _state(row: pd.Series | None, key: str) -> tuple[bool | None, str]:
    if row is None:
        return None, STATUS[None]
    met = row[f"{key}_met"]
    met = None if met is None or pd.isna(met) else bool(met)
    if met is None:
        return None, STATUS[None]
    return met, f"{show(key, row[f'{key}_actual'])}（{STATUS[met]}）"


def target_crossings(gw: Gateway, scope: Scope, roc_year: int, days: str = "calendar") -> pd.DataFrame:
    """Per agency and indicator whose standing against the plan year's target changed between
    the comparison date and the data date: before/after text and the kind of change."""
    cols = ["agency", "indicator", "before", "now", "change", "kind"]
    if scope.since is None:
        return pd.DataFrame(columns=cols)
    now = yearly_achievement(gw, scope, roc_year, days=days).set_index("agency")
    before = yearly_achievement(gw, Scope(scope.since, None, scope.agencies), roc_year,
                                days=days).set_index("agency")
    rows = []
    for agency in scope.agencies:
        if agency not in now.index:
            continue
        prior = before.loc[agency] if agency in before.index else None
        for key in INDICATORS:
            was, was_text = _state(prior, key)
            met, met_text = _state(now.loc[agency], key)
            if met is None or was == met:
                continue
            kind = "measured" if was is None else ("up" if met else "down")
            rows.append({"agency": short_name(agency), "indicator": plan_label(key), "before": was_text,
                         "now": met_text, "change": CHANGE_WORDS[kind], "kind": kind})
    return pd.DataFrame(rows, columns=cols)


def overdue_feedback(gw: Gateway, scope: Scope, days: str = "calendar") -> dict[str, Any]:
    """Opinions posted up to the data date that were unanswered past 6 days (overdue) or still
    within them (pending) when their export was taken, and the export dates they were judged at."""
    items = feedback_items(gw, Scope(scope.as_of, None, scope.agencies), days)
    judged_on = sorted({pd.Timestamp(d).date() for d in items["judged_on"].dropna()})
    counts = items["judged"].value_counts()
    since = pd.Timestamp(scope.since) if scope.since else None
    in_period = 0 if since is None else int((pd.to_datetime(items["posted_on"]) > since).sum())
    return {"overdue": int(counts.get("overdue", 0)), "pending": int(counts.get("pending", 0)),
            "total": len(items), "in_period": in_period, "judged_on": judged_on,
            "items": items[items["judged"] == "overdue"].reset_index(drop=True)}


def since_meeting(gw: Gateway, scope: Scope, days: str = "calendar", n: int = 5) -> dict[str, Any] | None:
    """Everything the section shows; None when there is no comparison snapshot."""
    if scope.since is None:
        return None
    changes = dataset_changes(gw, scope)
    added, removed = added_removed(changes)
    growth, decline = movers(changes, n)
    roc_year = default_year(gw, scope.as_of)
    crossings = target_crossings(gw, scope, roc_year, days)
    return {"since": scope.since, "as_of": scope.as_of, "roc_year": roc_year,
            "added": added, "removed": removed, "growth": growth, "decline": decline,
            "crossed": crossings[crossings["kind"] != "measured"].reset_index(drop=True),
            "measured": crossings[crossings["kind"] == "measured"].reset_index(drop=True),
            "feedback": overdue_feedback(gw, scope, days)}


def no_comparison_line(gw: Gateway, as_of: dt.date) -> str:
    """The one line shown when there is nothing to compare with."""
    reason = no_comparison(gw, as_of)
    where = "（側欄「比較基準日」）" if reason.startswith("未選") else ""
    return f"{reason}{where}，無法列出自上次會議以來的變化。"
