"""Every page through Streamlit's AppTest, default data and an agency filter; figures asserted."""

from __future__ import annotations

import pytest

from kpi.reference.menu import VIEWER_PAGES
from tests.helpers.apptest import app

PAGES = [p.script for p in VIEWER_PAGES]  # every page anyone can open (kpi/reference/menu.py)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_with_default_data(gw, page):
    at = app(page)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_with_an_agency_filter(gw, page):
    at = app(page, {"agency": ["勞發署"]})
    assert not at.exception, [e.value for e in at.exception]


def test_overview_shows_minutes_totals(gw):
    at = app(query={"as_of": "2017-10-30"})
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["開放資料集"] == "562"
    assert metrics["累計瀏覽量"] == "884,091"
    assert metrics["累計下載量"] == "144,897"
    assert metrics["6日內回復比率"] == f"{24 / 34:.1%}"


def test_overview_2018_default(gw):
    at = app()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["開放資料集"] == "565"
    assert metrics["累計下載量"] == "150,859"


def test_feedback_ratio_for_one_agency(gw):
    at = app("pages/feedback.py", {"agency": ["勞發署"], "as_of": "2017-10-30"})
    table = at.dataframe[0].value
    assert table["機關"].tolist() == ["勞發署"]
    assert table["日曆日比率"].iloc[0] == pytest.approx(0.625)
    assert table["工作日比率"].iloc[0] == pytest.approx(13 / 16)


def test_filter_is_written_back_to_the_url(gw):
    at = app(query={"agency": ["勞保局"], "as_of": "2017-10-30"})
    def values(key):
        value = at.query_params[key]
        return [value] if isinstance(value, str) else list(value)

    assert values("agency") == ["勞保局"]
    assert values("as_of") == ["2017-10-30"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["開放資料集"] == "194"
