"""Charts are built once per data version and what decides them (pages/ui/figures.py): a rerun
that changes nothing builds none, a new filter builds its own, and a kept figure is finished once."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from kpi.config.paths import REPO_ROOT


@pytest.fixture
def app(built_data, monkeypatch):
    monkeypatch.setenv("KPI_DATA_DIR", str(built_data))
    import streamlit as st

    from pages.ui import figures

    st.cache_data.clear()
    figures.clear()
    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    yield at, figures
    figures.clear()
    st.cache_data.clear()


def test_a_rerun_that_changes_nothing_builds_no_chart(app):
    at, figures = app
    at.switch_page("pages/usage.py")
    at.run()
    assert not at.exception
    built = [k for k in figures.BUILDS if k[1] == "usage.movers"]
    assert len(built) == 2  # 成長最多 and 成長最少
    waterfalls = [k for k in figures.BUILDS if k[1] == "change.waterfall"]
    assert len(waterfalls) == 2
    at.run()
    at.run()
    assert [k for k in figures.BUILDS if k[1] == "usage.movers"] == built
    assert [k for k in figures.BUILDS if k[1] == "change.waterfall"] == waterfalls
    assert len(at.get("plotly_chart")) == 4  # two waterfalls (downloads, views) and the two movers


def test_another_agency_gets_its_own_chart(app):
    at, figures = app
    at.switch_page("pages/usage.py")
    at.run()
    before = len(figures.BUILDS)
    other = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=120)
    other.query_params["agency"] = ["勞保局"]  # another person, one agency (SPEC §8 link)
    other.run()
    other.switch_page("pages/usage.py")
    other.run()
    assert not other.exception
    new = [k for k in figures.BUILDS[before:] if k[1] == "usage.movers"]
    assert len(new) == 2 and all(k[2].agencies == ("勞動部勞工保險局",) for k in new)


def test_a_kept_figure_is_finished_once(app):
    """總覽's history has dates on its x axis: the 民國 hover dates are added to customdata once,
    not once per rerun (the figure is shared, so finishing it again would stack them)."""
    at, figures = app
    at.run()
    at.run()
    [key] = [k for k in figures.BUILDS if k[1] == "overview.totals"]
    fig = figures._FIGURES[key]
    assert all(len(row) == 1 for trace in fig.data for row in trace.customdata)
    assert fig.layout.xaxis.ticktext and "/" in fig.layout.xaxis.ticktext[0]  # 民國 ticks
