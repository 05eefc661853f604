"""A view served wholly from the published figures loads no table (kpi/store/database.py, issue 26):
a cold server's first page and every menu click on a default view skip loading DuckDB; a view that
was not published loads the tables at its first query, and its figures equal the published ones."""

from __future__ import annotations

import pytest

from kpi.reference.menu import EVERYONE, PAGES
from tests.helpers import apptest

VIEWER_PAGES = [p.script for p in PAGES if p.role == EVERYONE]


@pytest.fixture
def cold(built_data, monkeypatch):
    """A process that has served nothing yet: no Streamlit cache, no gateway."""
    monkeypatch.setenv("KPI_DATA_DIR", str(built_data))
    import streamlit as st

    from kpi import store

    def forget() -> None:
        st.cache_data.clear()
        st.cache_resource.clear()
        store._GATEWAYS.clear()

    forget()
    yield store
    forget()


@pytest.mark.parametrize("query", [{}, {"agency": ["勞保局"]}], ids=["group", "one_agency"])
def test_every_default_view_is_served_without_loading_a_table(cold, query):
    at = apptest.app(query=query)
    for script in VIEWER_PAGES:
        apptest.visit(at, script)
        assert not cold.gateway(lazy=True).opened, script


def test_a_view_not_published_loads_the_tables_at_its_first_query(cold):
    at = apptest.app(query={"as_of": "2017-10-30"})  # an earlier data date: computed on demand
    gw = cold.gateway(lazy=True)
    assert gw.opened
    assert at.sidebar.selectbox[0].value == "2017-10-30"  # 資料日期: the view asked for is the one drawn
