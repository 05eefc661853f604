"""The report of SPEC §7: one JSON-ready dict per agency plus the total, from the marts."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from kpi.metrics.feedback import feedback_summary, ratio
from kpi.metrics.headline import reply_headline
from kpi.metrics.quality import quality_by_agency
from kpi.metrics.recounts import events_in_period
from kpi.metrics.scope import Scope
from kpi.metrics.usage import CHANGE_PARTS, MEASURES, agency_usage
from kpi.store import Gateway

TOTAL_LABEL = "全部"
COUNT_FIELDS = ("datasets", "views", "downloads", "views_growth", "downloads_growth",
                "counter_resets", "new_datasets", "removed_datasets")
FEEDBACK_FIELDS = ("total", "on_time", "late", "pending", "overdue")


def _clean(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def build_report(gw: Gateway, scope: Scope, mode: str = "calendar") -> dict[str, Any]:
    usage = agency_usage(gw, scope).set_index("agency")
    feedback = feedback_summary(gw, scope, mode).set_index("agency")
    quality = quality_by_agency(gw, scope)
    rows = []
    for agency in scope.agencies:
        u, f, q = usage.loc[agency], feedback.loc[agency], quality.get(agency, {})
        row = {"agency": agency}
        row |= {k: _clean(u[k]) for k in COUNT_FIELDS}
        for m in MEASURES:
            row[f"{m}_change"] = change(u, m)
        fb = {k: int(f[k]) for k in FEEDBACK_FIELDS}
        fb["ratio"] = _clean(f["ratio"])
        row["feedback"] = fb
        row["three_star_ratio"] = _clean(q.get("three_star_ratio"))
        row["correctness_rate"] = _clean(q.get("correctness_rate"))
        row["gold_award_score"] = _clean(q.get("gold_award_score"))
        rows.append(row)
    return {
        "as_of": scope.as_of.isoformat(),
        "since": scope.since.isoformat() if scope.since else None,
        "scope": "national" if scope.national else "ministry",
        "days": mode,  # the day count the 6-day ratios used: calendar | working
        "data_version": gw.version_id,
        "agencies": rows,
        "total": _total(rows, quality.get(TOTAL_LABEL, {})),
        "recount_events": [_json(e) for e in events_in_period(gw, scope).to_dict("records")],
        "headline": {"reply_6day_ratio": _json(reply_headline(gw, scope, mode))},
    }


def _json(record: dict[str, Any]) -> dict[str, Any]:
    """Dates as ISO strings, numpy scalars as Python ones (the report is JSON)."""
    return {k: v.isoformat() if isinstance(v, dt.date) else _clean(v) for k, v in record.items()}


def change(u: Any, m: str) -> dict[str, int] | None:
    """One measure's reconciliation (SPEC §8): before + increase − fall + recount + new − removed
    = after; None where the agency is not in the earlier snapshot (or there is none)."""
    if _clean(u[f"{m}_before"]) is None:
        return None
    parts = {p: int(u[f"{m}_{p}"]) for p in ("before", "after", "increase", "fall", "recount", "new",
                                            "removed")}
    parts["net"] = parts["after"] - parts["before"]
    parts["unknown"] = int(u["recount_datasets"])
    return {p: parts[p] for p in CHANGE_PARTS}


def _total(rows: list[dict[str, Any]], quality: dict[str, Any]) -> dict[str, Any]:
    total: dict[str, Any] = {"agency": TOTAL_LABEL}
    for key in COUNT_FIELDS:
        values = [r[key] for r in rows if r[key] is not None]
        total[key] = sum(values) if values else None
    for m in MEASURES:
        known = [r[f"{m}_change"] for r in rows if r[f"{m}_change"] is not None]
        total[f"{m}_change"] = {p: sum(c[p] for c in known) for p in CHANGE_PARTS} if known else None
    fb = {k: sum(r["feedback"][k] for r in rows) for k in FEEDBACK_FIELDS}
    fb["ratio"] = ratio(fb["on_time"], fb["late"], fb["overdue"])
    total["feedback"] = fb
    for key in ("three_star_ratio", "correctness_rate", "gold_award_score"):
        total[key] = _clean(quality.get(key))
    return total
