"""Events marked on time charts, so a jump can be explained: committee meetings, the start of each
action-plan year, and whatever other sources register (the recount events of a snapshot pair are
one: ``register(source)`` with a function gw → [Event, …]).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from kpi.reference.dates import roc
from kpi.store import Gateway


@dataclass(frozen=True)
class Event:
    on: dt.date
    name: str  # what the chart's text alternative says
    kind: str  # meeting | plan | recount | …

    def text(self) -> str:
        return f"{roc(self.on)} {self.name}"


Source = Callable[[Gateway], list[Event]]


def meeting_events(gw: Gateway) -> list[Event]:
    from kpi.cycle.meetings import committee_meetings

    return [Event(r.held_on, f"委員會會議「{r.title}」", "meeting")
            for r in committee_meetings(gw).itertuples()]


def plan_events(gw: Gateway) -> list[Event]:
    """1 January of each year the action plan sets targets for (from the target table)."""
    frame = gw.query("SELECT DISTINCT t.roc_year, p.plan_name FROM target t "
                     "LEFT JOIN action_plan p USING (roc_year) ORDER BY t.roc_year")
    return [Event(dt.date(int(r.roc_year) + 1911, 1, 1),
                  f"{r.plan_name if isinstance(r.plan_name, str) else '行動方案'} {int(r.roc_year)} 年度開始", "plan")
            for r in frame.itertuples()]


def recount_events(gw: Gateway) -> list[Event]:
    """Each recount event (kpi/build/recounts.py) on the date of the snapshot that showed it."""
    from kpi.metrics.recounts import short_cohort

    frame = gw.query("SELECT * FROM recount_event WHERE status <> 'rejected' ORDER BY as_of_date, event_id")
    return [Event(pd.Timestamp(r["as_of_date"]).date(),
                  f"{roc(r['since_date'])} 後平臺重新計數（{'上架於 ' if r['kind'] == 'listing' else ''}{short_cohort(r)}，"
                  f"{int(r['datasets']):,} 項成長未知）", "recount")
            for r in frame.to_dict("records")]


SOURCES: list[Source] = [meeting_events, plan_events, recount_events]


def register(source: Source) -> None:
    """Add a source of events (once); every chart that shows events picks it up."""
    if source not in SOURCES:
        SOURCES.append(source)


def events(gw: Gateway, first: dt.date, last: dt.date) -> list[Event]:
    """Every registered source's events from first to last (both included), in date order."""
    found = [e for source in SOURCES for e in source(gw) if first <= e.on <= last]
    return sorted(found, key=lambda e: (e.on, e.kind, e.name))


def timeline(gw: Gateway, first: object, last: object) -> list[Event]:
    """``events`` for a chart's date range given as dates or timestamps (pages pass column min/max)."""
    return events(gw, pd.Timestamp(first).date(), pd.Timestamp(last).date())
