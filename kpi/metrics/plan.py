"""Action-plan achievement (table 陸) and the composite agency ranking.

The working group's weighting is not published, so it is explicit here, shown on the page and
adjustable: each indicator scores min(actual / target, 1) × 100; the composite is the weighted
mean of the indicators that have data (weights renormalised), plus two bonuses the plan mentions:
the share of 4–5-star datasets and the share of opinions answered within 3 days, each × BONUS_MAX.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace
from typing import Any

import pandas as pd

from kpi.metrics.definitions import INDICATORS, metric
from kpi.metrics.feedback import feedback_summary, year_period
from kpi.metrics.plan_growth import GROWTH_BASES, growth_actuals, listing_snapshot
from kpi.metrics.quality import quality_by_agency
from kpi.metrics.scope import Scope
from kpi.store import Gateway


@dataclass(frozen=True)
class Weights:
    """The composite's method, an office setting: weights (0..3 each), the bonus cap (0..10), the
    reply-days threshold that earns the bonus (0..5, the plan: 「回復日數可低於 6 日者」), whether each
    indicator is capped at 100, how an agency's missing indicator is treated (MISSING_METHODS) and
    which reading of 成長量 is scored (GROWTH_BASES, kpi.metrics.plan_growth)."""

    meetings: float = 1.0
    new_datasets: float = 1.0
    correctness_rate: float = 1.0
    three_star_ratio: float = 1.0
    reply_6day_ratio: float = 1.0
    bonus_max: float = 5.0
    bonus_threshold_days: float = 3.0
    cap: bool = True
    missing: str = "exclude"
    growth_basis: str = "listed"

    def of(self, name: str) -> float:
        return float(getattr(self, name))

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Weights:
        names = {f.name for f in fields(cls)}
        unknown = set(data) - names
        if unknown:
            raise ValueError(f"不明的權重項目：{'、'.join(sorted(unknown))}")
        out: dict[str, Any] = {}
        for key, value in data.items():
            if key in ("missing", "growth_basis"):
                allowed = MISSING_METHODS if key == "missing" else GROWTH_BASES
                if value not in allowed:
                    what = "缺漏指標處理方式" if key == "missing" else "成長量採計方式"
                    raise ValueError(f"{what}須為 {'、'.join(allowed)}，收到 {value}")
                out[key] = value
            elif key == "cap":
                if not isinstance(value, bool):
                    raise ValueError(f"「cap」須為 true 或 false，收到 {value}")
                out[key] = value
            else:
                high = {"bonus_max": BONUS_RANGE[1],
                        "bonus_threshold_days": BONUS_DAYS_RANGE[1]}.get(key, WEIGHT_RANGE[1])
                if not 0 <= float(value) <= high:
                    raise ValueError(f"權重「{key}」須在 0～{high:g} 之間，收到 {value}")
                out[key] = float(value)
        return cls(**out)


WEIGHT_RANGE = (0.0, 3.0)
BONUS_RANGE = (0.0, 10.0)
BONUS_DAYS_RANGE = (0.0, 5.0)  # below the 6-day limit, as the plan's bonus wording requires
MISSING_METHODS = ("exclude", "zero", "none")


def weights_in_force() -> tuple[Weights, dict]:
    """The office's saved weights (defaults until set) and who set them when."""
    from kpi.config.settings import load_weights

    saved = load_weights()
    return Weights.from_dict(saved.get("weights", {})), saved


MEETINGS_SQL = """
SELECT agency, count(*) AS n FROM meeting
WHERE year(CAST(held_on AS DATE)) = ? AND list_contains(?, agency) GROUP BY agency
"""


TARGET_SQL = """
SELECT DISTINCT CAST(v AS DOUBLE) AS v FROM (
    UNPIVOT (SELECT roc_year, meetings::DOUBLE AS meetings, new_datasets::DOUBLE AS new_datasets,
                    correctness_rate::DOUBLE AS correctness_rate,
                    three_star_ratio::DOUBLE AS three_star_ratio,
                    reply_6day_ratio::DOUBLE AS reply_6day_ratio FROM target)
    ON meetings, new_datasets, correctness_rate, three_star_ratio, reply_6day_ratio
    INTO NAME indicator VALUE v)
WHERE roc_year = ? AND indicator = ?
"""


def plan_years(gw: Gateway) -> list[int]:
    """ROC years that have action-plan targets, newest first."""
    return [int(y) for y in gw.query("SELECT DISTINCT roc_year FROM target ORDER BY roc_year DESC")["roc_year"]]


def default_year(gw: Gateway, as_of: dt.date) -> int:
    """The plan year a date falls in, or the newest plan year before it (the page says which)."""
    years = plan_years(gw)
    year = as_of.year - 1911
    earlier = [y for y in years if y <= year]
    return year if year in years else (earlier[0] if earlier else years[-1])


def common_target(gw: Gateway, key: str, roc_year: int) -> float | None:
    """The target every agency shares for an indicator in a year (None if they differ)."""
    if key not in INDICATORS:
        raise KeyError(key)
    values = gw.query(TARGET_SQL, [roc_year, key])["v"]
    return float(values.iloc[0]) if len(values) == 1 else None


def award_proposal(frame: pd.DataFrame, places: int = 3) -> pd.DataFrame:
    """The top places by composite (ties share a rank), as the working group proposes awards.

    Nothing while the ranking is partial (an indicator lacks data for an agency compared): a
    proposal resting on two of five indicators would read as the working group's verdict.
    """
    if frame.empty or not bool(frame["complete"].all()):
        return frame.iloc[0:0]
    ranked = frame[frame["composite"].notna()]
    return ranked[ranked["rank"] <= places]


def yearly_achievement(gw: Gateway, scope: Scope, roc_year: int, weights: Weights | None = None,
                       days: str = "calendar") -> pd.DataFrame:
    """One row per agency of the scope: actual vs target for each indicator, scores, the composite.

    ``days`` (calendar | working) counts reply days for the 6-day ratio and the reply bonus. An
    indicator no agency has data for (not yet entered or imported) is left out under every
    method; ``weights.missing`` says what happens when one agency lacks what others have.

    Every agency with targets that year is compared, whatever the scope lists: ``rank`` is the
    place in that whole group, ``compared`` its size and ``complete`` whether all five indicators
    have data for every agency compared (else the ranking is partial and no award is proposed).
    """
    frame = group_achievement(gw, scope, roc_year, weights, days)
    return frame[frame["agency"].isin(scope.agencies)].reset_index(drop=True) if len(frame) else frame


def group_achievement(gw: Gateway, scope: Scope, roc_year: int, weights: Weights | None = None,
                      days: str = "calendar") -> pd.DataFrame:
    """yearly_achievement for every agency compared (those with targets that year, plus the scope's)."""
    weights = weights or Weights()
    targets = gw.query("SELECT * FROM target WHERE roc_year = ?", [roc_year]).set_index("agency")
    group = replace(scope, agencies=tuple(dict.fromkeys([*scope.agencies, *targets.index])))
    frame = _rank(_compose(_rows(gw, group, roc_year, weights, days, targets), weights))
    if not frame.empty:
        frame["compared"] = len(frame)
        frame["complete"] = bool(frame["indicators_with_data"].eq(len(INDICATORS)).all())
    return frame


def _rows(gw: Gateway, scope: Scope, roc_year: int, weights: Weights, days: str,
          targets: pd.DataFrame) -> list[dict[str, Any]]:
    year = roc_year + 1911
    agencies = list(scope.agencies)
    growth = growth_actuals(gw, agencies, roc_year, scope.as_of, weights.growth_basis)
    meetings = gw.query(MEETINGS_SQL, [year, agencies]).set_index("agency")["n"]
    has_meetings = bool(gw.scalar("SELECT count(*) FROM meeting"))
    year_scope = year_period(scope, roc_year)  # the same basis as the 總覽 headline
    fb = feedback_summary(gw, year_scope, days).set_index("agency")
    quick = fast_replies(gw, year_scope, days, weights.bonus_threshold_days)
    quality = quality_by_agency(gw, scope)
    rows = []
    for agency in agencies:
        if agency not in targets.index:
            continue
        q = quality.get(agency, {})
        actual = {
            "meetings": int(meetings.get(agency, 0)) if has_meetings else None,
            "new_datasets": growth.get(agency),
            "correctness_rate": q.get("correctness_rate"),
            "three_star_ratio": q.get("three_star_ratio"),
            "reply_6day_ratio": fb.loc[agency, "ratio"] if agency in fb.index else None,
        }
        row: dict[str, Any] = {"agency": agency, "roc_year": roc_year}
        for name in INDICATORS:
            target = float(targets.loc[agency, name])
            value = actual[name]
            value = None if value is None or pd.isna(value) else float(value)
            ratio = None if value is None else max(value / target if target else 1.0, 0.0)  # net < 0
            row[f"{name}_actual"] = value
            row[f"{name}_target"] = target
            row[f"{name}_met"] = None if value is None else value >= target
            row[f"{name}_score"] = None if ratio is None else (min(ratio, 1.0) if weights.cap else ratio) * 100
        answered = int(fb.loc[agency, "on_time"] + fb.loc[agency, "late"]) if agency in fb.index else 0
        fast = int(quick.get(agency, 0))
        row["replies_fast"], row["replies_answered"] = fast, answered
        row["bonus_reply"] = round(weights.bonus_max * fast / answered, 4) if answered else 0.0
        row["bonus_stars"] = round(weights.bonus_max * float(q.get("four_five_star_share") or 0.0), 4)
        rows.append(row)
    return rows


FAST_SQL = """
SELECT agency, count(*) AS n FROM ({items}) WHERE replied_on IS NOT NULL AND days <= ?
GROUP BY agency
"""


def fast_replies(gw: Gateway, scope: Scope, days: str, threshold: float) -> pd.Series:
    """Per agency: opinions first answered within ``threshold`` days (the reply bonus's count)."""
    from kpi.metrics.feedback import ITEMS_SQL, _params

    frame = gw.query(FAST_SQL.format(items=ITEMS_SQL), [*_params(scope, days), threshold])
    return frame.set_index("agency")["n"]


def absent_indicators(rows: list[dict[str, Any]]) -> list[str]:
    """Indicators no agency has a value for: not entered or imported yet, left out for all."""
    return [n for n in INDICATORS if rows and all(r[f"{n}_score"] is None for r in rows)]


def _compose(rows: list[dict[str, Any]], weights: Weights) -> list[dict[str, Any]]:
    """The composite per the office's method: weighted mean of the indicators that count + bonuses."""
    absent = absent_indicators(rows)
    for row in rows:
        num = den = 0.0
        lacking = []
        for name in INDICATORS:
            w, score = weights.of(name), row[f"{name}_score"]
            if name in absent or w <= 0:
                continue
            if score is None:
                lacking.append(name)
                den += w if weights.missing == "zero" else 0.0
                continue
            num, den = num + w * score, den + w
        row["indicators_with_data"] = sum(row[f"{n}_score"] is not None for n in INDICATORS)
        row["indicators_lacking"] = "、".join(metric(n).short_label for n in lacking)
        if den == 0 or (lacking and weights.missing == "none"):
            row["composite"] = None
        else:
            row["composite"] = num / den + row["bonus_reply"] + row["bonus_stars"]
    return rows


def _rank(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    if not frame.empty:
        frame["composite"] = frame["composite"].astype("float64")
        frame["rank"] = frame["composite"].rank(ascending=False, method="min")
        frame = frame.sort_values(["rank", "agency"]).reset_index(drop=True)
    return frame


PLAN_SQL = """
WITH snap AS (
    SELECT agency, listed_on FROM counter WHERE snapshot_date = ?
), listed AS (
    SELECT p.agency, p.roc_year, p.planned_total,
           (SELECT count(*) FROM snap c
             WHERE c.agency = p.agency
               AND c.listed_on <= make_date(p.roc_year + 1911, 12, 31)) AS listed_by_year_end
    FROM plan_count p
)
SELECT l.*, a.short_name, a.sort_order FROM listed l JOIN agency a USING (agency)
WHERE list_contains(?, l.agency)
ORDER BY a.sort_order, l.roc_year
"""


def dataset_plan(gw: Gateway, scope: Scope) -> pd.DataFrame:
    """104–106 dataset-count plan vs datasets listed by each year end (newest snapshot's 上架日).

    Datasets taken down before that snapshot are not in it, so the actual is a lower bound.
    """
    return gw.query(PLAN_SQL, [listing_snapshot(gw), list(scope.agencies)])
