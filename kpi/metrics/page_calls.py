"""Each page's engine calls for its default view, one record per page (menu title).

A view is the filters' defaults (newest snapshot, the one before it, calendar days) for the whole
group or for one agency of the six. The build computes every call of every view once when it
publishes a version (kpi/build/figures.py), and pages read them by lookup; bench/measure.py times
the same lists from an empty cache. Each entry is (function, args, kwargs) exactly as the page
passes them to ``pages.ui.data.call``: an entry that drifts from its page only costs an on-demand
computation, never a wrong figure (the lookup key is the version, the function and its arguments).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kpi.metrics.scope import Scope, resolve_scope
from kpi.store import Gateway

Call = tuple[Callable[..., Any], tuple, dict]
DAYS = "calendar"  # the day-count filter's default


@dataclass(frozen=True)
class View:
    """One default view: its scope, and the figures every page of it starts from."""

    gw: Gateway
    scope: Scope
    weights: Any  # kpi.metrics.plan.Weights in force
    year: int  # the plan year the pages default to

    @property
    def group(self) -> bool:
        return len(self.scope.agencies) > 1

    @property
    def agency(self) -> str:
        """The scorecard's agency: the one chosen, or the first of the group."""
        return self.scope.agencies[0]


def _frame(v: View) -> list[Call]:
    """The sidebar and the downloads' comparison, drawn around every page."""
    from kpi.cycle.meetings import meeting_scope
    from kpi.metrics.periods import available_years
    from kpi.metrics.scope import snapshot_dates

    # data_built is left out: it reads the manifest's time, which a republished folder changes
    return [(snapshot_dates, (), {}), (available_years, (), {}),
            (meeting_scope, (v.scope, False), {}), (meeting_scope, (v.scope, True), {})]


def overview(v: View) -> list[Call]:
    from kpi.cycle import meetings
    from kpi.cycle.events import timeline
    from kpi.metrics import headline, lookups, plan, since_meeting, usage
    from kpi.report import build_report

    compared = meetings.meeting_scope(v.gw, v.scope, False)[0]
    if v.group:
        history = [(lookups.run, ("portal_totals", ()), {})]
        dates = lookups.run(v.gw, "portal_totals", ())["as_of"]
    else:
        history = [(usage.datasets_history, (v.scope,), {})]
        dates = usage.datasets_history(v.gw, v.scope)["as_of"]
    ends = [(timeline, (dates.min(), dates.max()), {})] if len(dates) else []
    return [(build_report, (v.scope, DAYS), {}), (headline.reply_headline, (v.scope, DAYS), {}),
            (plan.default_year, (v.scope.as_of,), {}), (plan.common_target, ("reply_6day_ratio", v.year), {}),
            (plan.yearly_achievement, (v.scope, v.year, v.weights), {}), *history, *ends,
            (meetings.meeting_scope, (v.scope, False), {}), (since_meeting.since_meeting, (compared, DAYS), {})]


def scorecard(v: View) -> list[Call]:
    from kpi.cycle import resolutions
    from kpi.metrics import decline, plan, recounts
    from kpi.metrics import scorecard as sc
    from kpi.report import build_report

    one, a = sc.agency_scope(v.scope, v.agency), v.agency
    return [(plan.default_year, (v.scope.as_of,), {}), (sc.usage_standing, (v.scope, a), {}),
            (build_report, (one, DAYS), {}), (recounts.events_in_period, (one,), {}),
            (decline.period_usage, (one,), {}), (sc.indicators, (v.scope, a, v.year, DAYS, v.weights), {}),
            (sc.indicator_trend, (v.scope, a, v.year, DAYS), {}), (sc.dataset_moves, (v.scope, a), {}),
            (sc.late_feedback, (v.scope, a, v.year, DAYS), {}), (sc.quality_problems, (v.scope, a), {}),
            (resolutions.open_items, (a,), {})]


def usage(v: View) -> list[Call]:
    from kpi.metrics import decline, matches, recounts
    from kpi.metrics import usage as u
    from kpi.report import build_report

    s = v.scope
    return [(u.agency_usage, (s,), {}), (build_report, (s, DAYS), {}), (u.ranking_in_group, (s, "downloads"), {}),
            (u.dataset_changes, (s,), {}), (recounts.events_in_period, (s,), {}), (decline.period_usage, (s,), {}),
            (matches.kind_counts, (s,), {})]


def feedback(v: View) -> list[Call]:
    from kpi.metrics import coverage, plan
    from kpi.metrics import feedback as fb

    s = v.scope
    return [(coverage.coverage, (s, "feedback"), {}), (fb.both_day_counts, (s,), {}),
            (plan.default_year, (s.as_of,), {}), (plan.common_target, ("reply_6day_ratio", v.year), {}),
            (fb.feedback_items, (s, DAYS), {}), (coverage.coverage, (s, "requests"), {}),
            (fb.requests_in_period, (s,), {})]


def plan_page(v: View) -> list[Call]:
    from kpi.metrics import plan, plan_growth, plan_notes

    s, w = v.scope, v.weights
    first = plan.plan_years(v.gw)[0]  # the page's year radio starts on the first plan year
    return [(plan.plan_years, (), {}), (plan_notes.explained_achievement, (s, first, w, DAYS), {}),
            (plan_notes.coverage, (s, first, DAYS, w.growth_basis), {}),
            (plan_notes.ranking_status, (s, first, w, DAYS), {}),
            (plan_growth.growth_readings, (s, first), {}), (plan.dataset_plan, (s,), {})]


def quality(v: View) -> list[Call]:
    from kpi.metrics import api_coverage, lookups
    from kpi.metrics import quality as q
    from kpi.metrics.scope import evidence_dates

    s = v.scope
    return [(evidence_dates, (s.as_of,), {}), (q.has_catalogue, (), {}), (lookups.run, ("oas_apis", ()), {}),
            (q.agency_table, (s,), {}), (q.quality_by_agency, (s,), {}), (q.link_targets, (s,), {}),
            (q.dataset_quality, (s,), {}), (api_coverage.api_coverage, (s,), {}),
            (api_coverage.structured_without_api, (s,), {})]


def public_use(v: View) -> list[Call]:
    from kpi.metrics import decline
    from kpi.metrics import public_use as pu

    return [(pu.usage_frame, (v.scope,), {}), (pu.breakdown, (v.scope, "downloads_in_period"), {}),
            (decline.period_usage, (v.scope, "downloads"), {})]


def national(v: View) -> list[Call]:
    from kpi.metrics import awards
    from kpi.metrics import national as n

    s = v.scope
    return [(n.agency_ranking, (s.as_of,), {}), (n.group_ranking, (s.as_of,), {}), (n.unplaced, (s.as_of,), {}),
            (awards.popularity_basis, (s,), {}),
            (awards.popularity, (s, True), {"eligible_only": True, "same_period": True}),
            (awards.popularity, (s, True), {"undated": True, "same_period": True})]


def notes(v: View) -> list[Call]:
    from kpi.metrics import awards, lookups, matches
    from kpi.metrics import national as n

    return [(awards.gold_basis, (v.scope.as_of,), {}), (lookups.run, ("snapshots", ()), {}),
            (matches.decisions, (), {}), (n.parent_map, (), {})]


# menu title (kpi/reference/menu.py: every page anyone can read has an entry, a test checks) → the
# calls of its default view; 比對確認 and 資料匯入 are the office's pages: computed when opened
PAGES: dict[str, Callable[[View], list[Call]]] = {
    "總覽": overview, "機關成績單": scorecard, "使用量與排行": usage, "民眾意見": feedback,
    "行動方案績效": plan_page, "資料品質與標章": quality, "民眾使用分析": public_use, "全國比較": national,
    "計算說明": notes,
}


def views(gw: Gateway) -> list[View]:
    """The group's default view, then each agency's (as the sidebar's 指定機關 with one agency)."""
    from kpi.metrics import plan
    from kpi.reference.agencies import MINISTRY_AGENCIES

    group = resolve_scope(gw)
    weights, year = plan.weights_in_force()[0], plan.default_year(gw, group.as_of)
    scopes = [group] + [resolve_scope(gw, group.as_of, group.since, [a.short], since_given=True)
                        for a in MINISTRY_AGENCIES]
    return [View(gw, s, weights, year) for s in scopes]


def page_calls(view: View) -> dict[str, list[Call]]:
    """Per page, the calls its first visitor in this view waits for (the sidebar's first)."""
    return {title: _frame(view) + calls(view) for title, calls in PAGES.items()}


def published_calls(gw: Gateway) -> list[Call]:
    """Every call of every page in every default view, each once."""
    seen: set = set()
    out: list[Call] = []
    for view in views(gw):
        for calls in page_calls(view).values():
            for fn, args, kwargs in calls:
                key = (fn.__module__, fn.__qualname__, args, tuple(sorted(kwargs.items())))
                if key not in seen:
                    seen.add(key)
                    out.append((fn, args, kwargs))
    return out
