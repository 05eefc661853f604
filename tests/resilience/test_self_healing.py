"""Caches are re-made from the archived originals when unreadable: a damaged parse cache never
stops `build --force`, and the figures come out the same as before the damage."""

from __future__ import annotations

import datetime as dt

import pytest

from kpi.importing.archive import entries
from tests.helpers.store import USAGE_HEADER as HEADER


@pytest.mark.slow  # ≈5 s: the full suite runs it, the quick loop does not
def test_damaged_parse_cache_is_rebuilt_from_the_archive(fresh_data, tmp_path, capsys):
    from kpi.cli import app
    from kpi.faults.boundary import run
    from kpi.service import import_file
    from kpi.store import gateway

    path = tmp_path / "u.csv"
    path.write_text(HEADER + "勞動部,勞工保險投保薪資分級表,321,45,,2015/01/01\n", encoding="utf-8")
    import_file("usage", path, dt.date(2019, 1, 31), "test")
    sql = "SELECT sum(views), sum(downloads) FROM counter WHERE snapshot_date = ?"
    before = gateway().query(sql, [dt.date(2019, 1, 31)]).values.tolist()
    caches = sorted((fresh_data / "imports" / "parsed").glob("*"))
    assert caches and len(entries()) == 1
    for i, cache in enumerate(caches):  # torn, emptied, or another file's bytes
        cache.write_bytes([b"PAR1\x00\x01", b"", b'{"kind": 1}'][i % 3])
    assert run(app, ["build", "--force"]) == 0, capsys.readouterr().err
    assert gateway().query(sql, [dt.date(2019, 1, 31)]).values.tolist() == before == [[321, 45]]
    assert all(c.stat().st_size > 20 for c in caches)  # written again, whole


def test_damaged_yearly_file_is_read_from_its_snapshot_files(fresh_data):
    """The 2017 yearly file torn in half: cold dates come from the per-snapshot files it was made
    from (the source of truth), with the 附件一 figures of 2017-10-30."""
    import duckdb

    from kpi import store
    from kpi.store import year_files

    version = store.read_manifest()
    [rel] = version.tables[year_files.TABLE]
    damaged = version.path / rel
    damaged.write_bytes(damaged.read_bytes()[: damaged.stat().st_size // 2])
    rows_2018 = sum(n for f, n in duckdb.execute(
        "SELECT file_name, num_rows FROM parquet_file_metadata(?)",
        [[str(p) for p in version.files("counter")]]).fetchall() if "2018-07-20" in f)
    gw = store.Gateway(version, hot_rows=rows_2018)  # 2017 cold: from the yearly file if readable
    try:
        sql = "SELECT count(*), sum(views), sum(downloads) FROM counter WHERE snapshot_date = ?"
        assert gw.query(sql, [dt.date(2017, 10, 30)]).iloc[0].tolist() == [562, 884_091, 144_897]
    finally:
        gw.close()


def test_a_torn_audit_or_fetch_log_line_is_named_not_fatal(fresh_data):
    from kpi.net.fetch import fetch_log
    from kpi.service import audit_log, build

    audit = fresh_data / "audit" / "audit.jsonl"
    lines = audit.read_text(encoding="utf-8").splitlines()
    with open(audit, "a", encoding="utf-8") as fh:
        fh.write('{"at": "2026-12-04", "user": "王\n')  # a full disk cut this one short
    build("test")  # and the log goes on after it
    records = audit_log()
    damaged = [r for r in records if "損毀" in r.get("result", "")]
    assert [r["damaged_line"] for r in damaged] == [len(lines) + 1]
    assert "audit.jsonl 第" in damaged[0]["result"] and records[0]["action"] == "build"
    (fresh_data / "imports" / "fetch_log.jsonl").write_bytes(b'{"source": "\xe7\x94\xb2"}\n[1]\n\xff\xfe\n')
    assert [r.get("source") or r["damaged_line"] for r in fetch_log()] == ["甲", 2, 3]
