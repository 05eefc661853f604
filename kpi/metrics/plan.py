"""Action-plan achievement (table 陸) and the composite agency ranking.

The working group's weighting is not published, so it is explicit here, shown on the page and
adjustable: each indicator scores min(actual / target, 1) × 100; the composite is the weighted
mean of the indicators that have data (weights renormalised), plus two bonuses the plan mentions:
the share of 4–5-star datasets and the share of opinions answered within 3 days, each × BONUS_MAX.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

import pandas as pd

from kpi.metrics.definitions import INDICATORS
from kpi.metrics.feedback import feedback_summary
from kpi.metrics.quality import quality_by_agency
from kpi.metrics.scope import Scope
from kpi.store import Gateway


@dataclass(frozen=True)
class Weights:
    """The composite's weights (0..3 each) and bonus cap (0..10): an office setting."""

    meetings: float = 1.0
    new_datasets: float = 1.0
    correctness_rate: float = 1.0
    three_star_ratio: float = 1.0
    reply_6day_ratio: float = 1.0
    bonus_max: float = 5.0

    def of(self, name: str) -> float:
        return float(getattr(self, name))

    def as_dict(self) -> dict[str, float]:
        return {f.name: float(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, float]) -> Weights:
        names = {f.name for f in fields(cls)}
        unknown = set(data) - names
        if unknown:
            raise ValueError(f"不明的權重項目：{'、'.join(sorted(unknown))}")
        for key, value in data.items():
            high = BONUS_RANGE[1] if key == "bonus_max" else WEIGHT_RANGE[1]
            if not 0 <= float(value) <= high:
                raise ValueError(f"權重「{key}」須在 0～{high:g} 之間，收到 {value}")
        return cls(**{k: float(v) for k, v in data.items()})


WEIGHT_RANGE = (0.0, 3.0)
BONUS_RANGE = (0.0, 10.0)


def weights_in_force() -> tuple[Weights, dict]:
    """The office's saved weights (defaults until set) and who set them when."""
    from kpi.settings import load_weights

    saved = load_weights()
    return Weights.from_dict(saved.get("weights", {})), saved


GROWTH_SQL = """
SELECT agency, count(*) AS n
FROM counter
WHERE snapshot_date = ? AND year(listed_on) = ? AND list_contains(?, agency)
GROUP BY agency
"""


def listing_snapshot(gw: Gateway, as_of=None):
    """Newest snapshot (on or before as_of) whose export carries 上架日; None if there is none.

    Read from the small snapshot table first, so the counter query can prune by date.
    """
    return gw.scalar("SELECT max(snapshot_date) FROM snapshot WHERE listed_rows > 0 "
                     "AND (CAST(? AS DATE) IS NULL OR snapshot_date <= ?)", [as_of, as_of])

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
    """The top places by composite (ties share a rank), as the working group proposes awards."""
    ranked = frame[frame["composite"].notna()]
    return ranked[ranked["rank"] <= places]


def yearly_achievement(gw: Gateway, scope: Scope, roc_year: int,
                       weights: Weights | None = None) -> pd.DataFrame:
    """One row per agency: actual vs target for each indicator, scores and the composite."""
    weights = weights or Weights()
    year = roc_year + 1911
    agencies = list(scope.agencies)
    targets = gw.query("SELECT * FROM target WHERE roc_year = ?", [roc_year]).set_index("agency")
    listed_in = listing_snapshot(gw, scope.as_of)
    growth = gw.query(GROWTH_SQL, [listed_in, year, agencies]).set_index("agency")["n"]
    meetings = gw.query(MEETINGS_SQL, [year, agencies]).set_index("agency")["n"]
    has_meetings = bool(gw.scalar("SELECT count(*) FROM meeting"))
    listing = listed_in is not None
    year_scope = Scope(min(scope.as_of, dt.date(year, 12, 31)), dt.date(year - 1, 12, 31),
                       scope.agencies)
    fb = feedback_summary(gw, year_scope).set_index("agency")
    quality = quality_by_agency(gw, scope)
    rows = []
    for agency in agencies:
        if agency not in targets.index:
            continue
        t = targets.loc[agency]
        q = quality.get(agency, {})
        actual = {
            "meetings": int(meetings.get(agency, 0)) if has_meetings else None,
            "new_datasets": int(growth.get(agency, 0)) if listing else None,
            "correctness_rate": q.get("correctness_rate"),
            "three_star_ratio": q.get("three_star_ratio"),
            "reply_6day_ratio": fb.loc[agency, "ratio"] if agency in fb.index else None,
        }
        row = {"agency": agency, "roc_year": roc_year}
        num = den = 0.0
        for name in INDICATORS:
            target = float(t[name])
            value = actual[name]
            value = None if value is None or pd.isna(value) else float(value)
            score = None if value is None else min(value / target, 1.0) * 100 if target else 100.0
            row[f"{name}_actual"] = value
            row[f"{name}_target"] = target
            row[f"{name}_met"] = None if value is None else value >= target
            row[f"{name}_score"] = score
            if score is not None and weights.of(name) > 0:
                num += weights.of(name) * score
                den += weights.of(name)
        bonus_reply = 0.0
        if agency in fb.index and fb.loc[agency, "total"]:
            answered = fb.loc[agency, "on_time"] + fb.loc[agency, "late"]
            if answered:
                bonus_reply = weights.bonus_max * fb.loc[agency, "within_3_days"] / answered
        bonus_stars = weights.bonus_max * float(q.get("four_five_star_share") or 0.0)
        row["bonus_reply"] = round(bonus_reply, 4)
        row["bonus_stars"] = round(bonus_stars, 4)
        row["indicators_with_data"] = sum(row[f"{n}_score"] is not None for n in INDICATORS)
        row["composite"] = None if den == 0 else num / den + bonus_reply + bonus_stars
        rows.append(row)
    frame = pd.DataFrame(rows)
    if not frame.empty:
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
