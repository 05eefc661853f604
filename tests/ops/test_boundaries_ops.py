"""Health thresholds and backup retention (kpi/ops) one step either side:
- data exactly KPI_HEALTH_MAX_AGE_DAYS old is fine, one day older needs attention;
- free space exactly KPI_HEALTH_MIN_FREE_MB is fine, a little less needs attention;
- the last fetch run is the newest one in the log, not the first;
- prune keeps the newest `keep` backups and removes the older ones, never the other way round."""

from __future__ import annotations

import datetime as dt
import shutil
from collections import namedtuple

import pytest

from kpi.ops import backup, health

TODAY = dt.date(2026, 12, 4)


@pytest.fixture
def limits(monkeypatch):
    monkeypatch.setenv("KPI_HEALTH_MAX_AGE_DAYS", "30")
    monkeypatch.setenv("KPI_HEALTH_MIN_FREE_MB", "500")


def test_data_age_at_the_limit_is_fine_a_day_over_is_not(limits):
    info, problems = health._data_age(["2026-10-01", "2026-11-04"], TODAY)
    assert (info["as_of"], info["age_days"], problems) == ("2026-11-04", 30, [])
    info, problems = health._data_age(["2026-11-03", "2026-10-01"], TODAY)
    assert info["age_days"] == 31 and problems == ["最新資料已 31 天未更新（上限 30 天）"]


def test_free_space_at_the_limit_is_fine_below_is_not(limits, monkeypatch, tmp_path):
    monkeypatch.setenv("KPI_DATA_DIR", str(tmp_path))
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(0, 0, 500 * 2**20))
    assert health._disk()[1] == []
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(0, 0, 500 * 2**20 - 1))
    assert health._disk()[1] == ["資料夾所在磁碟只剩 500 MB（下限 500 MB）"]


def test_the_last_fetch_run_is_the_newest_in_the_log(monkeypatch):
    from kpi.net import fetch

    log = [{"at": "2026-12-01T08:00", "source": "舊", "result": "failed"},
           {"at": "2026-12-04T08:00", "source": "甲", "result": "imported"},
           {"at": "2026-12-04T08:00", "source": "乙", "result": "refused"}]
    monkeypatch.setattr(fetch, "fetch_log", lambda: log)
    info, problems = health._last_fetch()
    assert (info["at"], info["items"], info["failed"]) == ("2026-12-04T08:00", 2, ["乙"])
    assert problems == ["最後一次擷取（2026-12-04T08:00）失敗：乙"]
    monkeypatch.setattr(fetch, "fetch_log", lambda: log[:2])
    assert health._last_fetch()[1] == []  # the old failure is history


def test_prune_keeps_the_newest(tmp_path):
    names = [f"kpi-backup-2026120{d}-020000-000000.tar.gz" for d in (1, 2, 3, 4)]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("不是備份")
    removed = backup.prune(tmp_path, 2)
    assert sorted(p.name for p in removed) == names[:2]
    assert sorted(p.name for p in tmp_path.iterdir()) == [*names[2:], "notes.txt"]
    assert backup.prune(tmp_path, 2) == []
