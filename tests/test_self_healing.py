"""Caches are re-made from the archived originals when unreadable: a damaged parse cache never
stops `build --force`, and the figures come out the same as before the damage."""

from __future__ import annotations

import datetime as dt

from kpi.importing.archive import entries

HEADER = "提供機關名稱,資料集名稱,瀏覽人次,下載次數,資料集評分,上架日\n"


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
