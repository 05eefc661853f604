"""Issue 10 §2: honest defaults. Each panel says what period its data covers; a period without
feedback or requests says so and offers the latest period that has them; the 總覽 headline
6-day ratio agrees with the agency cards. Figures from the embedded data (minutes 附件三、四)."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from kpi.config.paths import REPO_ROOT
from kpi.metrics import coverage, feedback
from kpi.metrics.scope import resolve_scope

OCT = dt.date(2017, 10, 30)
JUL = dt.date(2018, 7, 20)


def test_feedback_coverage_of_the_default_period(gw):
    cov = coverage.coverage(gw, resolve_scope(gw), "feedback")
    # the minutes' 附件三 holds 35 opinions posted 106/04/20–106/10/26, exported 106/10/30;
    # the default period is (106/10/30, 107/07/20]: none of them falls inside it
    assert (cov.in_period, cov.everywhere, cov.first, cov.last, cov.judged_on) == (
        0, 35, dt.date(2017, 4, 20), dt.date(2017, 10, 26), OCT)
    assert cov.latest == (OCT, None)  # the latest period holding them: 106/10/30 and before
    assert coverage.missing_text(cov, resolve_scope(gw)) == (
        "所選期間（106/10/30 後至 107/07/20）沒有民眾意見；目前有的民眾意見為 106/04/20～106/10/26，"
        "106/10/30 匯出。")
    assert coverage.latest_text(cov) == "改看有民眾意見的最近期間（106/10/30 以前）"


def test_coverage_counts_follow_period_and_agency(gw):
    assert coverage.coverage(gw, resolve_scope(gw, OCT), "feedback").in_period == 35
    assert coverage.coverage(gw, resolve_scope(gw, OCT), "requests").in_period == 2
    # 勞發署 has 16 of the 35 opinions (附件三); 勞研所 has none, other agencies do
    assert coverage.coverage(gw, resolve_scope(gw, OCT, agencies=["勞發署"]), "feedback").in_period == 16
    none = coverage.coverage(gw, resolve_scope(gw, agencies=["勞研所"]), "feedback")
    assert (none.everywhere, none.others, none.latest) == (0, 35, None)
    assert coverage.missing_text(none, resolve_scope(gw)) == "所選機關在任何期間都沒有民眾意見（其他機關有）。"
    meetings = coverage.coverage(gw, resolve_scope(gw), "meetings")
    assert (meetings.everywhere, meetings.others) == (0, 0)
    assert coverage.missing_text(meetings, resolve_scope(gw)).startswith("尚未匯入機關諮詢會議資料")


@pytest.mark.parametrize(("last", "expected"), [
    (dt.date(2015, 1, 1), (dt.date(2016, 1, 1), None)),               # before the first snapshot
    (dt.date(2016, 1, 1), (dt.date(2016, 1, 1), None)),               # on the first snapshot
    (dt.date(2016, 1, 2), (dt.date(2017, 3, 1), dt.date(2016, 1, 1))),  # just after it
    (dt.date(2017, 3, 1), (dt.date(2017, 3, 1), dt.date(2016, 1, 1))),  # on the middle one
    (dt.date(2018, 6, 30), (dt.date(2018, 7, 1), dt.date(2017, 3, 1))),
])
def test_latest_period_is_the_snapshot_pair_holding_the_item(last, expected):
    dates = [dt.date(2016, 1, 1), dt.date(2017, 3, 1), dt.date(2018, 7, 1)]
    assert coverage.latest_period(dates, last) == expected


def test_requests_follow_the_period(gw):
    assert feedback.requests_in_period(gw, resolve_scope(gw)).empty
    shown = feedback.requests_in_period(gw, resolve_scope(gw, OCT))
    assert shown["request_id"].tolist() == ["106-2-01", "106-2-02"]  # newest first: 106/07/08, 106/05/24
    assert shown["request_posted_on"].tolist() == [dt.date(2017, 7, 8), dt.date(2017, 5, 24)] or \
        [d.date() for d in shown["request_posted_on"]] == [dt.date(2017, 7, 8), dt.date(2017, 5, 24)]


def test_year_summary_is_the_cards_basis(gw):
    # 106 年: 35 opinions; calendar days 24 on time, 10 late, 1 pending (posted 106/10/26, 4 days
    # before the 106/10/30 export) → 24/34; working days 27 on time, 7 late → 27/34
    cal = feedback.year_summary(gw, resolve_scope(gw), 106)
    assert (cal["total"], cal["on_time"], cal["late"], cal["pending"], cal["overdue"]) == (35, 24, 10, 1, 0)
    assert cal["ratio"] == pytest.approx(24 / 34)
    assert feedback.year_summary(gw, resolve_scope(gw), 106, "working")["ratio"] == pytest.approx(27 / 34)
    assert feedback.year_summary(gw, resolve_scope(gw), 105)["total"] == 0


def _app(page: str | None = None, **query) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, at.exception
    return at


def test_feedback_page_offers_the_latest_period_and_moves_there(gw):
    at = _app("pages/feedback.py")
    assert "所選期間（106/10/30 後至 107/07/20）沒有民眾意見" in at.info[0].value
    assert not at.dataframe  # no empty tables
    button = next(b for b in at.button if b.label == "改看有民眾意見的最近期間（106/10/30 以前）")
    button.click().run()
    assert not at.exception, at.exception
    headers = [h.value for h in at.header]
    assert "回復日數分布（35 則，以 106/10/30 資料判定）" in headers
    assert "未回復（1 則，以 106/10/30 資料判定）" in headers
    assert at.query_params["as_of"] in ("2017-10-30", ["2017-10-30"])
    assert not at.info  # requests (106/05/24, 106/07/08) are inside 106/10/30 以前 as well


def test_overview_headline_agrees_with_the_cards(gw):
    at = _app()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["6日內回復比率"] == f"{24 / 34:.1%}"  # not 無資料 beside cards with values
    assert any("所選期間 106/10/30 後至 107/07/20：沒有民眾意見" in c.value for c in at.caption)
