"""Yearly counter files (kpi/store/year_files.py): derived from the per-snapshot files, verified when
written, used only when they cover exactly this version's dates, and the same answers either way."""

from __future__ import annotations

import dataclasses
import datetime as dt

import duckdb
import pandas as pd
import pytest

from kpi import store
from kpi.metrics.awards import popularity
from kpi.metrics.scope import resolve_scope
from kpi.metrics.usage import agency_usage, dataset_changes, ranking
from kpi.report import build_report
from kpi.store import year_files

# The embedded default: the 2017-10-30 ministry snapshot (562 datasets, 884,091 views,
# 144,897 downloads per 附件一) and the 2018-07-20 national export. 2017 is a closed year.
ROWS_2017 = (562, 884_091, 144_897)


def _split_gateway(version: store.Version) -> store.Gateway:
    """2018 in memory, 2017 read in place: the mixed layout of a long history, in miniature."""
    rows_2018 = sum(n for f, n in duckdb.execute(
        "SELECT file_name, num_rows FROM parquet_file_metadata(?)",
        [[str(p) for p in version.files("counter")]]).fetchall() if "2018-07-20" in f)
    gw = store.Gateway(version, hot_rows=rows_2018)
    assert gw.hot_partitions["counter"] == ["2018-07-20"]
    return gw


def _plan(gw: store.Gateway, sql: str) -> str:
    return "\n".join(gw.query("EXPLAIN " + sql).iloc[:, 1])


def _cold_sources(gw: store.Gateway) -> str:
    """The SQL of the cold views: which files they scan."""
    return "\n".join(gw.query("SELECT sql FROM duckdb_views() WHERE view_name LIKE 'counter_cold%'")["sql"])


def test_a_build_archives_the_closed_year_and_the_archive_holds_its_rows(built_data, monkeypatch):
    monkeypatch.setenv("KPI_DATA_DIR", str(built_data))
    version = store.read_manifest()
    [rel] = version.tables[year_files.TABLE]  # 2018 is the newest year: still open, not archived
    assert rel.startswith("counter_year/year=2017/")
    rows = duckdb.execute("SELECT count(*), sum(views), sum(downloads), min(snapshot_date), "
                          "max(snapshot_date) FROM read_parquet(?)", [str(version.path / rel)]).fetchone()
    assert rows == (*ROWS_2017, dt.date(2017, 10, 30), dt.date(2017, 10, 30))


def test_cold_dates_come_from_the_archive_with_the_same_answers(built_data, monkeypatch):
    monkeypatch.setenv("KPI_DATA_DIR", str(built_data))
    version = store.read_manifest()
    eager, lazy = store.gateway(), _split_gateway(version)
    try:
        assert "counter_year/year=2017" in _cold_sources(lazy)
        assert "snapshot_date=2017-10-30" not in _cold_sources(lazy)
        # a query for the hot date is pruned to the in-memory table at plan time
        hot = _plan(lazy, "SELECT sum(views) FROM counter WHERE snapshot_date = DATE '2018-07-20'")
        cold = _plan(lazy, "SELECT sum(views) FROM counter WHERE snapshot_date = DATE '2017-10-30'")
        assert "PARQUET" not in hot.upper() and "counter_hot" in hot
        assert "PARQUET" in cold.upper()
        assert lazy.query("SELECT count(*) AS n, sum(views) AS v, sum(downloads) AS d FROM counter "
                          "WHERE snapshot_date = ?", [dt.date(2017, 10, 30)]).iloc[0].tolist() == \
            list(ROWS_2017)
        scope = resolve_scope(eager)  # 2018-07-20 against 2017-10-30: one hot, one cold
        assert scope.since == dt.date(2017, 10, 30)
        old = dataclasses.replace(scope, as_of=dt.date(2017, 10, 30), since=None)
        for fn in (agency_usage, dataset_changes, ranking):
            for s in (scope, old):
                pd.testing.assert_frame_equal(fn(lazy, s), fn(eager, s))
        pd.testing.assert_frame_equal(popularity(lazy, scope, True), popularity(eager, scope, True))
        assert build_report(lazy, scope) == build_report(eager, scope)
    finally:
        lazy.close()


def test_an_archive_for_other_dates_is_never_read(built_data, monkeypatch):
    """Found by name: a listed archive whose fingerprint is not this version's dates is ignored."""
    monkeypatch.setenv("KPI_DATA_DIR", str(built_data))
    version = store.read_manifest()
    [rel] = version.tables[year_files.TABLE]
    stale = rel.rsplit("/", 1)[0] + "/000000000000.parquet"
    other = dataclasses.replace(version, tables={**version.tables, year_files.TABLE: [stale]})
    lazy = _split_gateway(other)
    try:
        plan = _cold_sources(lazy)
        assert "counter_year" not in plan and "snapshot_date=2017-10-30" in plan
        assert lazy.scalar("SELECT count(*) FROM counter WHERE snapshot_date = DATE '2017-10-30'") == 562
    finally:
        lazy.close()


def test_a_wrong_archive_is_refused_and_removed(built_data, tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_DATA_DIR", str(built_data))
    version = store.read_manifest()
    source = [str(p) for p in version.files("counter") if "2017-10-30" in str(p)]
    target = tmp_path / "bad.parquet"
    con = duckdb.connect()
    rel = con.read_parquet(source, hive_partitioning=True)
    for wrong in (rel.limit(561), rel.project("* REPLACE (downloads + 1 AS downloads)")):
        wrong.write_parquet(str(target))
        with pytest.raises(RuntimeError, match="年度彙整檔與各快照檔不一致"):
            year_files._verify(con, source, target)
        assert not target.exists()
    con.read_parquet(source, hive_partitioning=True).write_parquet(str(target))
    year_files._verify(con, source, target)  # the true copy passes
    assert target.exists()


def test_expected_archives_cover_closed_years_only():
    files = [f"counter/snapshot_date={d}/data.parquet"
             for d in ("2019-12-27", "2020-01-03", "2020-12-25", "2021-01-01", "2021-01-08")]
    plan = year_files.expected(files)
    assert sorted(k.split("/")[1] for k in plan) == ["year=2019", "year=2020"]
    assert [len(v) for _, v in sorted(plan.items())] == [1, 2]
    # the name changes with the dates it holds, so a changed year is written anew
    assert year_files.expected(files[:2] + files[3:]).keys() != plan.keys()
    assert year_files.expected(files[:1]) == {}


@pytest.mark.slow  # ≈3 s: the full suite runs it, the quick loop does not
def test_an_import_into_a_new_year_archives_the_year_it_closes(fresh_data, tmp_path):
    """Appending 2019-01-04: 2018 closes and gets its archive; 2017's is hard-linked, not rewritten."""
    from bench.generate import load_base, step, write_usage
    from kpi.service import commit, preview

    before = store.read_manifest()
    [old] = before.tables[year_files.TABLE]
    day = dt.date(2019, 1, 4)
    path = tmp_path / "next.csv"
    write_usage(step(load_base(seed=5), day), path)
    commit(preview("usage", path, day), "test")
    after = store.read_manifest()
    years = sorted(r.split("/")[1] for r in after.tables[year_files.TABLE])
    assert years == ["year=2017", "year=2018"]
    assert (after.path / old).stat().st_ino == (before.path / old).stat().st_ino
    new = next(r for r in after.tables[year_files.TABLE] if "year=2018" in r)
    n_2018 = duckdb.execute("SELECT count(*) FROM read_parquet(?)",
                            [[str(p) for p in after.files("counter") if "2018-07-20" in str(p)]]).fetchone()[0]
    assert duckdb.execute("SELECT count(*) FROM read_parquet(?)",
                          [str(after.path / new)]).fetchone()[0] == n_2018
