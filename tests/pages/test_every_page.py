"""Every page through Streamlit's AppTest, default data and an agency filter; figures asserted."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from kpi.config.paths import REPO_ROOT

PAGES = ["pages/overview.py", "pages/scorecard.py", "pages/usage.py", "pages/feedback.py", "pages/plan.py",
         "pages/quality.py", "pages/public_use.py", "pages/national.py", "pages/notes.py"]


def _app(query: dict | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(page)
        at.run()
    return at


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_with_default_data(gw, page):
    at = _app(page=page)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_with_an_agency_filter(gw, page):
    at = _app({"agency": ["勞發署"]}, page)
    assert not at.exception, [e.value for e in at.exception]


def test_overview_shows_minutes_totals(gw):
    at = _app({"as_of": "2017-10-30"})
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["開放資料集"] == "562"
    assert metrics["累計瀏覽量"] == "884,091"
    assert metrics["累計下載量"] == "144,897"
    assert metrics["6日內回復比率"] == f"{24 / 34:.1%}"


def test_overview_2018_default(gw):
    at = _app()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["開放資料集"] == "565"
    assert metrics["累計下載量"] == "150,859"


def test_feedback_ratio_for_one_agency(gw):
    at = _app({"agency": ["勞發署"], "as_of": "2017-10-30"}, "pages/feedback.py")
    table = at.dataframe[0].value
    assert table["機關"].tolist() == ["勞發署"]
    assert table["日曆日比率"].iloc[0] == pytest.approx(0.625)
    assert table["工作日比率"].iloc[0] == pytest.approx(13 / 16)


def test_filter_is_written_back_to_the_url(gw):
    at = _app({"agency": ["勞保局"], "as_of": "2017-10-30"})
    def values(key):
        value = at.query_params[key]
        return [value] if isinstance(value, str) else list(value)

    assert values("agency") == ["勞保局"]
    assert values("as_of") == ["2017-10-30"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["開放資料集"] == "194"
