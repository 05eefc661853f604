"""The gateway keeps query results per version: shared by calls built from the same parts, never
stale after DDL, never changed by a caller, bounded in bytes."""

from __future__ import annotations

import pandas as pd

from kpi import store
from kpi.metrics.scope import resolve_scope
from kpi.metrics.since_meeting import since_meeting
from kpi.metrics.usage import agency_usage, dataset_changes
from kpi.store.query_cache import QueryCache


def _fresh(built_data, monkeypatch) -> store.Gateway:
    monkeypatch.setenv("KPI_DATA_DIR", str(built_data))
    return store.Gateway(store.read_manifest())


def test_a_repeated_query_is_answered_from_the_cache_and_a_caller_cannot_change_it(built_data,
                                                                                  monkeypatch):
    gw = _fresh(built_data, monkeypatch)
    try:
        scope = resolve_scope(gw)
        first = dataset_changes(gw, scope)  # the gateway's frame, returned as is
        misses = gw.cache.misses
        first.loc[0, "views"] = -1  # a caller writing into its frame
        again = dataset_changes(gw, scope)
        assert gw.cache.misses == misses and gw.cache.hits >= 1
        assert int(again.loc[0, "views"]) != -1
        other = store.Gateway(gw.version)  # uncached: the same figures
        pd.testing.assert_frame_equal(agency_usage(gw, scope), agency_usage(other, scope))
        other.close()
    finally:
        gw.close()


def test_calls_built_from_the_same_parts_share_them(built_data, monkeypatch):
    """「自上次會議以來」 after 使用量's dataset pairs: the pairs query is not run again."""
    gw = _fresh(built_data, monkeypatch)
    try:
        scope = resolve_scope(gw)
        dataset_changes(gw, scope)
        hits = gw.cache.hits
        result = since_meeting(gw, scope)
        assert gw.cache.hits > hits
        assert len(result["added"]) + len(result["removed"]) > 0
        misses = gw.cache.misses
        since_meeting(gw, scope)  # a second visit runs no query at all
        assert gw.cache.misses == misses
    finally:
        gw.close()


def test_ddl_through_execute_empties_the_cache(built_data, monkeypatch):
    gw = _fresh(built_data, monkeypatch)
    try:
        gw.execute("CREATE VIEW probe AS SELECT 1 AS x")
        assert gw.query("SELECT x FROM probe").iloc[0, 0] == 1
        gw.execute("CREATE OR REPLACE VIEW probe AS SELECT 2 AS x")
        assert gw.query("SELECT x FROM probe").iloc[0, 0] == 2
    finally:
        gw.close()


def test_the_cache_is_bounded_and_drops_the_least_recently_used():
    frame = pd.DataFrame({"n": range(1000)})  # 8,000 bytes of values + index
    size = int(frame.memory_usage(deep=False).sum())
    cache = QueryCache(max_bytes=2 * size + 10)
    runs = []

    def run(tag):
        runs.append(tag)
        return frame

    cache.get("a", [], lambda: run("a"))
    cache.get("b", [], lambda: run("b"))
    cache.get("a", [], lambda: run("a"))  # hit: a is now the most recent
    cache.get("c", [], lambda: run("c"))  # over the bound: b goes, not a
    cache.get("a", [], lambda: run("a"))
    cache.get("b", [], lambda: run("b"))
    assert runs == ["a", "b", "c", "b"]
    big = pd.DataFrame({"n": range(10_000)})
    cache.get("big", [], lambda: big)  # larger than the whole bound: returned, never kept
    assert cache.get("big", [], lambda: big.head(1)).shape == (1, 1)


def test_parameters_are_part_of_the_key_and_unhashable_ones_are_not_cached():
    cache = QueryCache()
    calls = []

    def run(v):
        calls.append(v)
        return pd.DataFrame({"v": [v]})

    assert cache.get("q", [1, ["a", "b"]], lambda: run(1)).iloc[0, 0] == 1
    assert cache.get("q", [2, ["a", "b"]], lambda: run(2)).iloc[0, 0] == 2
    assert cache.get("q", [1, ["a", "c"]], lambda: run(3)).iloc[0, 0] == 3
    assert cache.get("q", [1, ["a", "b"]], lambda: run(4)).iloc[0, 0] == 1
    assert cache.get("q", [{"k": 1}], lambda: run(5)).iloc[0, 0] == 5
    assert cache.get("q", [{"k": 1}], lambda: run(6)).iloc[0, 0] == 6
    assert calls == [1, 2, 3, 5, 6]


def test_single_values_are_kept_too_and_follow_ddl(built_data, monkeypatch):
    """Gateway.scalar: asked again, answered without running; a list handed out is a copy; a view
    redefined through execute is read afresh."""
    gw = _fresh(built_data, monkeypatch)
    try:
        assert gw.has_table("core_snapshot") and not gw.has_table("no_such_table")
        misses = gw.cache.misses
        assert gw.has_table("core_snapshot") and not gw.has_table("no_such_table")
        assert gw.cache.misses == misses
        gw.execute("CREATE VIEW probe AS SELECT [1, 2] AS x")
        gw.scalar("SELECT x FROM probe").append(3)  # a caller changing what it got
        assert gw.scalar("SELECT x FROM probe") == [1, 2]
        gw.execute("CREATE OR REPLACE VIEW probe AS SELECT [7] AS x")
        assert gw.scalar("SELECT x FROM probe") == [7]
        assert gw.scalar("SELECT max(snapshot_date) FROM core_snapshot WHERE snapshot_date < ?",
                         ["2018-01-01"]) != gw.scalar(
            "SELECT max(snapshot_date) FROM core_snapshot WHERE snapshot_date < ?", ["2019-01-01"])
    finally:
        gw.close()
