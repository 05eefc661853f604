"""The meeting-room benchmark's plan: arrivals within the window, pauses as drawn, pages it can open.

No timing is asserted here: the benchmark's figures live in bench/RESULTS.md.
"""

from __future__ import annotations

import random
import statistics

from bench.meeting_room import LINK, plan
from bench.sessions import DASHBOARD_PATHS


def test_every_member_arrives_within_the_window_spread_over_it():
    members = plan(400, random.Random(1), window=5.0, think_mean=10.0, duration=120.0)
    starts = [m.start_s for m in members]
    assert all(0.0 <= s < 5.0 for s in starts)
    # uniform over the window: each second of it gets about a fifth of the arrivals (80 ± 30)
    per_second = [sum(1 for s in starts if k <= s < k + 1) for k in range(5)]
    assert all(50 <= c <= 110 for c in per_second), per_second


def test_a_narrower_window_keeps_arrivals_inside_it():
    members = plan(50, random.Random(2), window=0.5)
    assert max(m.start_s for m in members) < 0.5


def test_pauses_are_exponential_with_the_asked_mean():
    members = plan(300, random.Random(3), think_mean=10.0, duration=120.0)
    thinks = [t for m in members for t in m.thinks]
    assert all(t >= 0 for t in thinks)
    assert 9.5 <= statistics.fmean(thinks) <= 10.5  # >3,000 draws: standard error ≈ 0.17 s
    # exponential, not constant or uniform: the median is mean × ln 2 (≈ 6.9 s), a third exceed it
    assert 6.3 <= statistics.median(thinks) <= 7.6
    assert 0.33 <= sum(t > 10.0 for t in thinks) / len(thinks) <= 0.41  # e^-1 ≈ 0.37


def test_a_member_has_pages_for_the_whole_duration_and_no_more_than_needed():
    for m in plan(100, random.Random(4), think_mean=10.0, duration=120.0):
        assert len(m.pages) == len(m.thinks) + 1
        assert sum(m.thinks) >= 120.0  # pauses alone fill the time: never short of pages
        assert sum(m.thinks[:-1]) < 120.0  # and the plan stops once they do


def test_the_link_opens_first_then_pages_change_each_time_and_exist():
    for m in plan(60, random.Random(5)):
        assert m.pages[0] == LINK == ""
        assert all(a != b for a, b in zip(m.pages, m.pages[1:], strict=False))
        assert set(m.pages) <= set(DASHBOARD_PATHS)


def test_the_same_seed_gives_the_same_room():
    assert plan(30, random.Random(26)) == plan(30, random.Random(26))
    assert plan(30, random.Random(26)) != plan(30, random.Random(27))
