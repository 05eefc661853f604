"""自上次會議以來: an opinion posted on the comparison date is not "since"; one the day after is.

On a hand-built store (tests/engine/tiny_store.py): comparison date 2018-01-15, data date 2018-07-20;
three opinions on 1/14, 1/15 and 1/16, one answered late, one overdue and one still pending."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kpi.metrics.scope import Scope
from kpi.metrics.since_meeting import overdue_feedback
from tests.helpers.tiny_store import TinyGateway

SINCE, AS_OF = dt.date(2018, 1, 15), dt.date(2018, 7, 20)


def _store() -> TinyGateway:
    posted = [SINCE - dt.timedelta(days=1), SINCE, SINCE + dt.timedelta(days=1)]
    return TinyGateway(core_feedback=pd.DataFrame({
        "feedback_id": ["F1", "F2", "F3"], "agency": "勞動部", "posted_on": pd.to_datetime(posted),
        "replied_on": pd.to_datetime([SINCE + dt.timedelta(days=20), None, None]),
        "judged_on": pd.to_datetime([AS_OF] * 3),
        "days_calendar": [21, 186, 185], "days_working": [15, 130, 129],
        "class_calendar": ["late", "overdue", "pending"], "class_working": ["late", "overdue", "pending"]}))


def test_posted_on_the_comparison_date_is_not_since():
    out = overdue_feedback(_store(), Scope(AS_OF, SINCE, ("勞動部",)))
    assert out["in_period"] == 1  # only 1/16
    assert (out["total"], out["overdue"], out["pending"]) == (3, 1, 1)
    assert list(out["items"]["feedback_id"]) == ["F2"]


def test_a_day_earlier_comparison_date_takes_the_opinion_of_that_day():
    out = overdue_feedback(_store(), Scope(AS_OF, SINCE - dt.timedelta(days=1), ("勞動部",)))
    assert out["in_period"] == 2
    assert overdue_feedback(_store(), Scope(AS_OF, None, ("勞動部",)))["in_period"] == 0
