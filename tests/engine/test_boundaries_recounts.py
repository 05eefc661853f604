"""Recount detection (kpi/build/recounts.py RULE) one dataset either side of each threshold.

RULE: a cohort of at least 20 continuing datasets, at least 10 of which fell, at least half of it,
and its share at least 5 times the rest's; at most 3 cohorts named per pair; what is left is one
portal-wide event when it alone passes. The pairs are built by hand: the cohort in one agency and
one listing month, the rest in another, so the listing window and the agency name the same rows.
"""

from __future__ import annotations

import pandas as pd

from kpi.build.recounts import RULE, Rule, _llr, continuing, detect


def _pair(*groups: tuple[str, str, int, int]) -> pd.DataFrame:
    """(agency, listing month, datasets, of which fell) per group → one pair's continuing rows."""
    rows = []
    for agency, month, n, fell in groups:
        for i in range(n):
            rows.append({"dataset_id": f"{agency}-{i}", "agency": agency, "month": pd.Period(month, "M"),
                         "fell": i < fell, "views_change": -1 if i < fell else 1, "downloads_change": 0})
    return pd.DataFrame(rows)


REST = ("乙機關", "2015-01", 100, 0)


def _named(found) -> list[tuple[str, int]]:
    return [(kind, int(mask.sum())) for kind, mask in found]


def test_the_rule_is_the_one_quoted():
    assert (RULE.min_cohort, RULE.min_falls, RULE.min_share, RULE.times_usual, RULE.max_events) == (20, 10, 0.5, 5.0, 3)


def test_cohort_of_20_is_an_event_and_19_is_not():
    assert [n for _, n in _named(detect(_pair(("甲機關", "2017-01", 20, 20), REST), None))] == [20]
    assert detect(_pair(("甲機關", "2017-01", 19, 19), REST), None) == []


def test_exactly_half_falling_with_exactly_10_falls_is_an_event_one_less_is_not():
    assert [n for _, n in _named(detect(_pair(("甲機關", "2017-01", 20, 10), REST), None))] == [20]
    assert detect(_pair(("甲機關", "2017-01", 21, 10), REST), None) == []  # 10/21 < half


def test_min_falls_on_its_own_both_sides():
    rule = Rule(min_cohort=4, min_falls=10, min_share=0.5)
    assert detect(_pair(("甲機關", "2017-01", 18, 9), REST), None, rule) == []  # half, but 9 falls
    assert [n for _, n in _named(detect(_pair(("甲機關", "2017-01", 18, 10), REST), None, rule))] == [18]


def test_five_times_the_rest_exactly_passes_a_little_less_does_not():
    at = _pair(("甲機關", "2017-01", 20, 20), ("乙機關", "2015-01", 100, 20))  # 1.0 vs 5 × 0.2
    assert [n for _, n in _named(detect(at, None))] == [20]
    over = _pair(("甲機關", "2017-01", 20, 20), ("乙機關", "2015-01", 100, 21))  # 1.0 vs 5 × 0.21
    assert detect(over, None) == []


def test_portal_event_from_20_datasets_not_19():
    assert _named(detect(_pair(("甲機關", "2017-01", 20, 20)), None)) == [("portal", 20)]
    assert detect(_pair(("甲機關", "2017-01", 19, 19)), None) == []


def test_portal_event_against_the_usual_share():
    whole = _pair(("甲機關", "2017-01", 40, 20))  # half fell; usual 0.1 → 5 × 0.1 = 0.5: passes
    assert _named(detect(whole, 0.1)) == [("portal", 40)]
    assert detect(whole, 0.11) == []


def _between(*months: str) -> list[tuple[str, str, int, int]]:
    """Months of datasets that did not fall between the cohorts, so no window spans two cohorts."""
    return [("乙機關", month, 200, 0) for month in months]


def test_at_most_three_cohorts_are_named_and_three_are():
    three = _pair(("甲", "2016-01", 20, 20), ("乙", "2016-03", 30, 30), ("丙", "2016-05", 25, 25),
                  *_between("2016-02", "2016-04", "2016-06"))
    assert sorted(n for _, n in _named(detect(three, None))) == [20, 25, 30]
    four = _pair(("甲", "2016-01", 20, 20), ("乙", "2016-03", 30, 30), ("丙", "2016-05", 25, 25),
                 ("丁", "2016-07", 22, 22), *_between("2016-02", "2016-04", "2016-06", "2016-08"))
    assert sorted(n for _, n in _named(detect(four, None))) == [22, 25, 30]  # the weakest is left


def test_a_fall_of_either_counter_is_a_fall():
    prev = pd.DataFrame({"dataset_id": ["a", "b", "c"], "views": [10, 10, 10], "downloads": [5, 5, 5]})
    cur = pd.DataFrame({"dataset_id": ["a", "b", "c"], "agency": "甲", "listed_on": pd.to_datetime(["2017-01-02"] * 3),
                        "views": [9, 11, 10], "downloads": [6, 4, 5]})
    assert continuing(prev, cur).set_index("dataset_id")["fell"].to_dict() == {"a": True, "b": True, "c": False}


def test_equal_rates_score_nothing_and_a_higher_cohort_rate_scores():
    assert _llr(5, 10, 5, 10) == 0.0
    assert _llr(6, 10, 5, 10) > 0 and _llr(4, 10, 5, 10) == 0.0
