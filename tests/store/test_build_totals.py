"""Pre-aggregates and the warm page cache: same figures as the raw rows, computed before asked."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.helpers.apptest import app, visit

# 106 年第 2 次會議（2017-10-30 快照）六機關：附件一逐筆相加
MINISTRY_2017 = {"勞動部": (115, 176_854, 35_282), "勞動部勞動力發展署": (88, 168_347, 22_308),
                 "勞動部勞動及職業安全衛生研究所": (28, 37_056, 4_269),
                 "勞動部勞動基金運用局": (54, 44_952, 10_907), "勞動部勞工保險局": (194, 228_504, 31_477),
                 "勞動部職業安全衛生署": (83, 228_378, 40_654)}


def test_counter_totals_equal_the_raw_sums(gw):
    totals = gw.query("SELECT agency, datasets, views, downloads FROM counter_total "
                      "WHERE snapshot_date = DATE '2017-10-30' ORDER BY agency")
    assert {r.agency: (r.datasets, r.views, r.downloads) for r in totals.itertuples()} == MINISTRY_2017
    assert (int(totals["datasets"].sum()), int(totals["views"].sum()),
            int(totals["downloads"].sum())) == (562, 884_091, 144_897)
    raw = gw.query("SELECT snapshot_date, agency, count(*) AS datasets, sum(views)::BIGINT AS views, "
                   "sum(downloads)::BIGINT AS downloads FROM counter GROUP BY ALL ORDER BY ALL")
    pre = gw.query("SELECT snapshot_date, agency, datasets, views, downloads FROM counter_total "
                   "ORDER BY ALL")
    pd.testing.assert_frame_equal(raw, pre, check_dtype=False)
    assert len(pre) == 6 + gw.scalar("SELECT count(DISTINCT agency) FROM counter "
                                     "WHERE snapshot_date = DATE '2018-07-20'")


def test_a_wrong_pre_aggregate_is_not_published(gw):
    """The build check compares counter_total with the counter's own sums."""
    from kpi.build.checks import STRUCTURE_CHECKS

    rule, sql = STRUCTURE_CHECKS[-1]
    assert "counter_total" in rule
    gw.execute("CREATE OR REPLACE VIEW checked AS SELECT * FROM counter")
    gw.execute("CREATE OR REPLACE VIEW checked_dates AS SELECT snapshot_date FROM snapshot")
    assert gw.query(sql).empty
    gw.execute("CREATE OR REPLACE VIEW checked AS SELECT * REPLACE (views + 1 AS views) FROM counter")
    assert list(gw.query(sql).iloc[:, 0])  # every agency of every snapshot now differs
    gw.execute("CREATE OR REPLACE VIEW checked AS SELECT * FROM counter")


@pytest.mark.slow  # ≈8 s: the full suite runs it, the quick loop does not
def test_importing_one_snapshot_appends_and_equals_a_full_rebuild(fresh_data, tmp_path,
                                                                 monkeypatch):
    from bench.generate import load_base, step, write_usage
    from kpi import build
    from kpi.report import build_report
    from kpi.service import commit, preview
    from kpi.store import gateway, read_manifest

    day = dt.date(2018, 7, 27)
    path = tmp_path / "next.csv"
    write_usage(step(load_base(seed=3), day), path)
    parsed = preview("usage", path, day)
    before = read_manifest()

    def no_full_rebuild():
        raise AssertionError("a later snapshot must take the append path")

    with monkeypatch.context() as mp:
        mp.setattr(build, "build_tables", no_full_rebuild)
        commit(parsed, "test")
    after = read_manifest()
    assert after.meta["snapshots"][-1] == "2018-07-27"
    assert {p.stat().st_ino for p in before.files("counter")} <= \
        {p.stat().st_ino for p in after.files("counter")}  # earlier snapshots hard-linked
    from kpi.metrics.scope import resolve_scope

    def figures() -> dict:
        gw = gateway()
        out = {"national": build_report(gw, resolve_scope(gw, national=True)),
               "ministry": build_report(gw, resolve_scope(gw)),
               "totals": gw.query("SELECT * FROM counter_total ORDER BY ALL").to_dict("list")}
        return out

    fast = figures()
    build.rebuild(force=True)
    assert read_manifest().path != after.path
    assert figures() == fast


@pytest.fixture
def app_data(built_data, monkeypatch):
    monkeypatch.setenv("KPI_DATA_DIR", str(built_data))
    import streamlit as st

    st.cache_data.clear()
    yield built_data
    st.cache_data.clear()


def _visit(pages: list[str], agency: str | None = None) -> None:
    at = app(query={"agency": agency} if agency else None)
    for page in pages:
        visit(at, page)


def test_pages_read_the_published_figures(app_data):
    """A fresh process (empty page cache): every page's default view, the group's and an agency's,
    is served from the figures published with the version; nothing is computed on demand."""
    from kpi.metrics.scope import data_built
    from kpi.reference.menu import VIEWER_PAGES
    from kpi.store import figures
    from pages.ui import data

    visited = [p.script for p in VIEWER_PAGES if not p.default]
    data.MISSES.clear()
    figures.ON_DEMAND.clear()
    _visit(visited)  # 總覽 first (the default page), then the others
    assert sum(data.MISSES.values()) > 40  # the page cache was empty: every call went to the engine
    # … which looked each one up; only the sidebar's build time is read (from the manifest, once)
    built_only = {figures.target_of(data_built): 1}
    assert dict(figures.ON_DEMAND) == built_only
    group_calls = sum(data.MISSES.values())
    _visit(["pages/overview.py", "pages/scorecard.py", "pages/usage.py"], agency="勞保局")
    assert sum(data.MISSES.values()) > group_calls + 10  # the agency's own figures, new to the page cache
    assert dict(figures.ON_DEMAND) == built_only
