"""The period's fastest risers and decliners (衰退, SPEC §5): a dataset's downloads per 30 days in
the period against the same rate in the period before it.

Decline is use in a period below use in the previous period, not a falling counter, so it needs
three snapshots. Snapshots are irregular, so both periods are put on one footing (per 30 days).
Only datasets whose counter rose or stayed in both periods compare (a reset hides the use).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd

from kpi.metrics.scope import Scope, snapshot_dates
from kpi.metrics.usage import dataset_changes
from kpi.store import Gateway

PER_DAYS = 30


def previous_snapshot(gw: Gateway, scope: Scope) -> dt.date | None:
    """The snapshot before the comparison date (None: only two snapshots, no earlier period)."""
    if scope.since is None:
        return None
    earlier = [d for d in snapshot_dates(gw) if d < scope.since]
    return earlier[-1] if earlier else None


def compare_rates(now: pd.DataFrame, before: pd.DataFrame, days_now: int, days_before: int,
                  n: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(risers, decliners) from two periods' dataset changes; pure, so a test can hand-work it."""
    cols = ["dataset_id", "downloads_change"]
    a = now[now["change_kind"] == "kept"][["agency", "dataset_name", *cols]]
    b = before[before["change_kind"] == "kept"][cols].rename(columns={"downloads_change": "before"})
    both = a.merge(b, on="dataset_id")
    both["rate_now"] = both["downloads_change"].astype(float) * PER_DAYS / days_now
    both["rate_before"] = both["before"].astype(float) * PER_DAYS / days_before
    both["rate_change"] = both["rate_now"] - both["rate_before"]
    keep = ["agency", "dataset_name", "rate_before", "rate_now", "rate_change"]
    risers = both[both["rate_change"] > 0].sort_values(["rate_change", "dataset_name"],
                                                       ascending=[False, True])
    decliners = both[both["rate_change"] < 0].sort_values(["rate_change", "dataset_name"])
    return risers[keep].head(n).reset_index(drop=True), decliners[keep].head(n).reset_index(drop=True)


def movers(gw: Gateway, scope: Scope, n: int = 10) -> dict:
    """Risers and decliners of the period, or ``previous`` None when there is no earlier period."""
    previous = previous_snapshot(gw, scope)
    if previous is None:
        return {"previous": None, "risers": None, "decliners": None}
    now = dataset_changes(gw, scope)
    before = dataset_changes(gw, dataclasses.replace(scope, as_of=scope.since, since=previous, year=None))
    risers, decliners = compare_rates(now, before, (scope.as_of - scope.since).days,
                                      (scope.since - previous).days, n)
    return {"previous": previous, "risers": risers, "decliners": decliners}
