"""The committee's meeting calendar, and the comparison it implies: the newest snapshot on or
before the previous meeting is what the committee last saw, so 「自上次會議以來」, the brief and the
pack compare with it unless someone chose another comparison date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from kpi.metrics.scope import Scope, snapshot_dates
from kpi.reference.dates import roc
from kpi.store import Gateway

COLUMNS = ["held_on", "title", "place", "chair"]


@dataclass(frozen=True)
class Baseline:
    """The previous meeting and the snapshot it saw (None when no snapshot precedes it)."""
    held_on: dt.date
    title: str
    snapshot: dt.date | None

    def text(self) -> str:
        shot = f"當時最新快照 {roc(self.snapshot)}" if self.snapshot else "會議前沒有任何快照"
        return f"上次會議：{roc(self.held_on)}「{self.title}」；{shot}"


def _day(value: object) -> dt.date:
    return pd.Timestamp(value).date()


def committee_meetings(gw: Gateway) -> pd.DataFrame:
    """Every committee meeting, oldest first; a date entered twice with one title counts once."""
    frame = gw.query("SELECT held_on, title, place, chair FROM committee_meeting ORDER BY held_on, title")
    frame = frame.drop_duplicates(["held_on", "title"]).reset_index(drop=True)
    frame["held_on"] = [_day(d) for d in frame["held_on"]]
    return frame[COLUMNS]


def previous_meeting(gw: Gateway, as_of: dt.date) -> Baseline | None:
    """The newest meeting held before the data date, and the newest snapshot on or before it."""
    meetings = committee_meetings(gw)
    held = meetings[[d < as_of for d in meetings["held_on"]]]
    if held.empty:
        return None
    last = held.iloc[-1]
    shots = [d for d in snapshot_dates(gw) if d <= last["held_on"]]
    return Baseline(last["held_on"], str(last["title"]), shots[-1] if shots else None)


def meeting_scope(gw: Gateway, scope: Scope, since_chosen: bool) -> tuple[Scope, Baseline | None]:
    """The scope to compare with: an explicit choice wins; otherwise the previous meeting's snapshot
    (the scope unchanged when no meeting precedes the data date)."""
    if since_chosen:
        return scope, None
    base = previous_meeting(gw, scope.as_of)
    if base is None:
        return scope, None
    return Scope(scope.as_of, base.snapshot, scope.agencies, scope.national), base


def due_meetings(gw: Gateway, today: dt.date, lead_days: int) -> pd.DataFrame:
    """Meetings from today up to lead_days ahead (both ends included): their materials are due."""
    meetings = committee_meetings(gw)
    last = today + dt.timedelta(days=lead_days)
    return meetings[[today <= d <= last for d in meetings["held_on"]]].reset_index(drop=True)


def baseline_note(gw: Gateway, scope: Scope) -> str:
    """「（上次會議 107/01/15「…」時之快照）」 when the comparison date is the previous meeting's
    snapshot, so the brief and the pack say where their "since" comes from; else ""."""
    base = previous_meeting(gw, scope.as_of)
    if base is None or base.snapshot is None or base.snapshot != scope.since:
        return ""
    return f"（上次會議 {roc(base.held_on)}「{base.title}」時之快照）"
