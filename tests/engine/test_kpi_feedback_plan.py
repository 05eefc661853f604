"""6-day ratio and action-plan achievement, checked against numbers worked out by hand.

附件三, calendar days from posting to first reply (as-of 2017-10-30):
- 勞動部 10 items; late: #12 (14 d), #14 (15 d), #33 (9 d) → 7/10
- 勞發署 16; late: #3 (9), #6 (7), #8 (8), #9 (11), #10 (14), #17 (15) → 10/16
- 勞保局 5; late: #13 (12) → 4/5;  基金局 1 on time → 1/1
- 職安署 3; #1 unanswered 4 days before 10/30 = pending, left out → 2/2
- 勞研所 none → null.  Total 24 / (24 + 10 + 0) = 0.70588…
Working days (Taiwan holidays, makeup days): 勞發署 #3 (10/7→10/16 spans the 10/9–10 holidays:
4 working days), #6 (5) and #8 (6) become on time → 13/16; 勞動部 stays 7/10 (#12: 10, #14: 11,
#33: 7 working days).
"""

import datetime as dt

import pandas as pd
import pytest

from kpi.metrics.feedback import feedback_items, feedback_summary
from kpi.metrics.plan import Weights, dataset_plan, yearly_achievement
from kpi.metrics.scope import resolve_scope

D2017 = dt.date(2017, 10, 30)


def test_six_day_ratio_calendar(gw):
    frame = feedback_summary(gw, resolve_scope(gw, as_of=D2017)).set_index("agency")
    got = {a: (r["total"], r["on_time"], r["late"], r["pending"], r["overdue"])
           for a, r in frame.iterrows()}
    assert got == {"勞動部": (10, 7, 3, 0, 0), "勞動部勞工保險局": (5, 4, 1, 0, 0),
                   "勞動部勞動力發展署": (16, 10, 6, 0, 0), "勞動部勞動基金運用局": (1, 1, 0, 0, 0),
                   "勞動部職業安全衛生署": (3, 2, 0, 1, 0),
                   "勞動部勞動及職業安全衛生研究所": (0, 0, 0, 0, 0)}
    assert frame.loc["勞動部", "ratio"] == pytest.approx(0.7)
    assert frame.loc["勞動部勞動力發展署", "ratio"] == pytest.approx(0.625)
    assert frame.loc["勞動部職業安全衛生署", "ratio"] == pytest.approx(1.0)
    assert pd.isna(frame.loc["勞動部勞動及職業安全衛生研究所", "ratio"])


def test_six_day_ratio_working_days(gw):
    frame = feedback_summary(gw, resolve_scope(gw, as_of=D2017), "working").set_index("agency")
    assert frame.loc["勞動部勞動力發展署", "on_time"] == 13
    assert frame.loc["勞動部勞動力發展署", "ratio"] == pytest.approx(13 / 16)
    assert frame.loc["勞動部", "ratio"] == pytest.approx(0.7)
    items = feedback_items(gw, resolve_scope(gw, as_of=D2017), "working").set_index("feedback_id")
    assert items.loc["106-2-03", "days"] == 4
    assert items.loc["106-2-03", "days_calendar"] == 9


def test_yearly_achievement_106(gw):
    scope = resolve_scope(gw)
    frame = yearly_achievement(gw, scope, 106).set_index("agency")
    # datasets listed in 2017 per the 2018 export's 上架日 (counted by hand from the CSV)
    assert frame["new_datasets_actual"].to_dict() == {
        "勞動部": 0, "勞動部勞工保險局": 32, "勞動部勞動力發展署": 25, "勞動部勞動基金運用局": 10,
        "勞動部職業安全衛生署": 18, "勞動部勞動及職業安全衛生研究所": 2}
    assert bool(frame.loc["勞動部職業安全衛生署", "new_datasets_met"]) is True
    assert frame.loc["勞動部勞動基金運用局", "new_datasets_score"] == pytest.approx(10 / 13 * 100)
    # 2017 opinions: 勞發署 10/16 → score 0.625/0.95×100; bonus = 5 × (≤3 days: 7)/16
    assert frame.loc["勞動部勞動力發展署", "reply_6day_ratio_score"] == pytest.approx(62.5 / 0.95)
    assert frame.loc["勞動部勞動力發展署", "bonus_reply"] == pytest.approx(5 * 7 / 16)
    expected = (25 / 32 * 100 + 62.5 / 0.95) / 2 + 5 * 7 / 16
    assert frame.loc["勞動部勞動力發展署", "composite"] == pytest.approx(expected)
    assert frame["meetings_actual"].isna().all()  # none entered yet: no data, not zero


def test_weights_change_the_ranking(gw):
    scope = resolve_scope(gw)
    only_growth = yearly_achievement(gw, scope, 106, Weights(reply_6day_ratio=0, bonus_max=0))
    assert only_growth.iloc[0]["agency"] == "勞動部職業安全衛生署"
    assert only_growth.set_index("agency").loc["勞動部", "composite"] == 0


def test_dataset_count_plan(gw):
    frame = dataset_plan(gw, resolve_scope(gw)).set_index(["agency", "roc_year"])
    assert frame.loc[("勞動部勞工保險局", 106), "planned_total"] == 196
    assert frame.loc[("勞動部勞工保險局", 106), "listed_by_year_end"] == 197
    assert frame.loc[("勞動部勞動及職業安全衛生研究所", 104), "listed_by_year_end"] == 11
