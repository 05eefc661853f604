"""Delivery and notice schedules (kpi/cycle) one day either side of each limit:
- materials are due for a meeting from today up to lead_days ahead, both ends included;
- lead days 0..60 and a notice interval of 1..90 days are accepted, one more or less is not;
- an agency's digest is due again `every_days` after its last one (the newest sent, not the first);
- feedback answered late stays news for a year: posted 364 days before the data date it is listed,
  365 days before it is not."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kpi.cycle import delivery, meetings, notices
from kpi.metrics.scope import Scope
from tests.helpers.tiny_store import TinyGateway

TODAY = dt.date(2026, 12, 4)
BLI = "勞動部勞工保險局"


@pytest.fixture
def calendar(monkeypatch):
    held = [TODAY - dt.timedelta(days=1), TODAY, TODAY + dt.timedelta(days=7), TODAY + dt.timedelta(days=8)]
    frame = pd.DataFrame({"held_on": held, "title": ["昨天", "今天", "七天後", "八天後"]})
    monkeypatch.setattr(meetings, "committee_meetings", lambda gw: frame)


def test_due_from_today_to_lead_days_ahead_both_included(calendar):
    assert list(meetings.due_meetings(None, TODAY, 7)["title"]) == ["今天", "七天後"]
    assert list(meetings.due_meetings(None, TODAY, 0)["title"]) == ["今天"]
    assert list(meetings.due_meetings(None, TODAY, 8)["title"]) == ["今天", "七天後", "八天後"]


def test_lead_days_0_to_60():
    assert delivery.checked_settings("a@mol.gov.tw", 0)["lead_days"] == 0
    assert delivery.checked_settings("a@mol.gov.tw", delivery.MAX_LEAD_DAYS)["lead_days"] == 60
    for bad in (-1, 61):
        with pytest.raises(ValueError, match=f"提前天數 {bad} 不合理（0～60 天）"):
            delivery.checked_settings("a@mol.gov.tw", bad)


def test_notice_interval_1_to_90():
    assert notices.checked_settings(True, 1, {})["every_days"] == 1
    assert notices.checked_settings(True, 90, {})["every_days"] == 90
    for bad in (0, 91):
        with pytest.raises(ValueError, match=f"寄送間隔 {bad} 天不合理"):
            notices.checked_settings(True, bad, {})


@pytest.fixture
def digest(monkeypatch):
    from kpi.metrics import scope

    monkeypatch.setattr(notices, "load_settings",
                        lambda: {"enabled": True, "every_days": 7, "contacts": {BLI: ["a@bli.gov.tw"]}})
    monkeypatch.setattr(scope, "resolve_scope", lambda gw: Scope(TODAY, None, (BLI,)))
    monkeypatch.setattr(notices, "agency_items",
                        lambda gw, s, agency: ([notices.Item("x:1", "新事項")], []) if agency == BLI else ([], []))


def _sent(*days_ago: int) -> set[str]:
    return {f"notice-digest:{BLI}:{TODAY - dt.timedelta(days=d)}:a@bli.gov.tw" for d in days_ago}


def test_digest_due_again_on_the_interval_day_not_the_day_before(digest):
    assert [d["recipient"] for d in notices.due_digests(None, TODAY, _sent(7))] == ["a@bli.gov.tw"]
    assert notices.due_digests(None, TODAY, _sent(6)) == []
    assert notices.due_digests(None, TODAY, _sent(30, 6)) == []  # the newest digest counts
    assert [d["agency"] for d in notices.due_digests(None, TODAY, set())] == [BLI]


def test_late_answer_is_news_for_364_days_not_365():
    as_of = dt.date(2018, 7, 20)
    posted = [as_of - dt.timedelta(days=364), as_of - dt.timedelta(days=365)]
    gw = TinyGateway(core_feedback=pd.DataFrame({
        "feedback_id": ["F1", "F2"], "agency": BLI, "title": ["近", "遠"], "dataset_name": "甲",
        "posted_on": pd.to_datetime(posted), "replied_on": pd.to_datetime([p + dt.timedelta(days=9) for p in posted]),
        "judged_on": pd.to_datetime([as_of] * 2), "days_calendar": [9, 9], "days_working": [7, 7],
        "class_calendar": ["late", "late"], "class_working": ["late", "late"]}))
    assert [i.id for i in notices._feedback(gw, Scope(as_of, None, (BLI,)), BLI)] == ["feedback:F1:late"]
