"""The engine calls the pages make for the default filters, so a server can compute them once per
data version before anyone asks (pages/ui/warm.py runs them through the page cache).

Each entry is (function, args, kwargs) exactly as the page passes them to ``pages.ui.data.call``;
an entry that drifts from its page only costs a cache miss, never a wrong figure (the cache key is
the data version and the arguments). The default page (總覽) comes last: when the first visitor's
own run computes it, the warm-up meanwhile fills the pages a click away.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kpi.store import Gateway

Call = tuple[Callable[..., Any], tuple, dict]


def default_calls(gw: Gateway) -> list[Call]:
    """Every page's calls in warm-up order (the default page last)."""
    return [c for calls in page_calls(gw).values() for c in calls]


def page_calls(gw: Gateway) -> dict[str, list[Call]]:
    """Per page (menu title), the engine calls it makes under the default filters."""
    from kpi.cycle import meetings, resolutions
    from kpi.cycle.events import timeline
    from kpi.metrics import (
        api_coverage,
        awards,
        coverage,
        decline,
        feedback,
        headline,
        lookups,
        matches,
        national,
        plan,
        plan_growth,
        plan_notes,
        quality,
        recounts,
        scorecard,
        since_meeting,
        usage,
    )
    from kpi.metrics.periods import available_years
    from kpi.metrics.scope import data_built, evidence_dates, resolve_scope, snapshot_dates
    from kpi.reference.agencies import MINISTRY_OFFICIAL
    from kpi.report import build_report

    scope = resolve_scope(gw)  # the filters' defaults: newest snapshot, the one before, the six
    days = "calendar"
    weights = plan.weights_in_force()[0]
    year = plan.default_year(gw, scope.as_of)
    first_plan_year = plan.plan_years(gw)[0]
    first = MINISTRY_OFFICIAL[0]  # 機關成績單 under the group filter opens the first agency
    compared = meetings.meeting_scope(gw, scope, False)[0]  # 自上次會議以來: the previous meeting's
    totals = lookups.run(gw, "portal_totals", ())["as_of"]
    return {
        "使用量與排行": [(snapshot_dates, (), {}), (data_built, (), {}), (available_years, (), {}),  # the sidebar's
                   (usage.agency_usage, (scope,), {}), (usage.ranking_in_group, (scope, "downloads"), {}),
                   (usage.dataset_changes, (scope,), {}), (matches.kind_counts, (scope,), {}),
                   (build_report, (scope, days), {}), (recounts.events_in_period, (scope,), {}),
                   (decline.period_usage, (scope,), {})],
        "全國比較": [(national.agency_ranking, (scope.as_of,), {}),
                 (national.group_ranking, (scope.as_of,), {}), (national.unplaced, (scope.as_of,), {}),
                 (awards.popularity_basis, (scope,), {}),
                 (awards.popularity, (scope, True), {"eligible_only": True, "same_period": True}),
                 (awards.popularity, (scope, True), {"undated": True, "same_period": True})],
        "民眾意見": [(feedback.both_day_counts, (scope,), {}), (plan.default_year, (scope.as_of,), {}),
                 (plan.common_target, ("reply_6day_ratio", year), {}),
                 (feedback.feedback_items, (scope, days), {}),
                 (coverage.coverage, (scope, "feedback"), {}), (coverage.coverage, (scope, "requests"), {}),
                 (feedback.requests_in_period, (scope,), {})],
        "行動方案績效": [(plan.plan_years, (), {}),
                   (plan_notes.explained_achievement, (scope, first_plan_year, weights, days), {}),
                   (plan_notes.coverage, (scope, first_plan_year, days, weights.growth_basis), {}),
                   (plan_growth.growth_readings, (scope, first_plan_year), {}),
                   (plan_notes.ranking_status, (scope, first_plan_year, weights, days), {}),
                   (plan.dataset_plan, (scope,), {})],
        "資料品質與標章": [(evidence_dates, (scope.as_of,), {}), (quality.has_catalogue, (), {}), (lookups.run, ("oas_apis", ()), {}),
                    (quality.agency_table, (scope,), {}), (quality.quality_by_agency, (scope,), {}),
                    (quality.link_targets, (scope,), {}), (quality.dataset_quality, (scope,), {}),
                    (api_coverage.api_coverage, (scope,), {}),
                    (api_coverage.structured_without_api, (scope,), {})],
        "機關成績單": [(scorecard.usage_standing, (scope, first), {}),
                  (build_report, (scorecard.agency_scope(scope, first), days), {}),
                  (recounts.events_in_period, (scorecard.agency_scope(scope, first),), {}),
                  (decline.period_usage, (scorecard.agency_scope(scope, first),), {}),
                  (scorecard.indicators, (scope, first, year, days, weights), {}),
                  (scorecard.indicator_trend, (scope, first, year, days), {}),
                  (scorecard.dataset_moves, (scope, first), {}),
                  (scorecard.late_feedback, (scope, first, year, days), {}),
                  (scorecard.quality_problems, (scope, first), {}),
                  (resolutions.open_items, (first,), {})],
        "計算說明": [(awards.gold_basis, (scope.as_of,), {}), (lookups.run, ("snapshots", ()), {}),
                 (matches.decisions, (), {}), (national.parent_map, (), {})],
        "總覽": [(build_report, (scope, days), {}), (plan.default_year, (scope.as_of,), {}),
               (plan.common_target, ("reply_6day_ratio", year), {}),
               (plan.yearly_achievement, (scope, year, weights), {}),
               (lookups.run, ("portal_totals", ()), {}),
               (headline.reply_headline, (scope, days), {}),
               (timeline, (totals.min(), totals.max()), {}), (meetings.meeting_scope, (scope, False), {}),
               (since_meeting.since_meeting, (compared, days), {})],
    }
