"""Issue 24: `kpi health` says when the office must act (stale data, a failed fetch, low disk, a
process not answering), exit 1 then and 0 otherwise; the office page shows the same lines."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from kpi.config.paths import REPO_ROOT
from tests.ops.helpers import calm, cli


@pytest.fixture(autouse=True)
def _calm(monkeypatch):
    calm(monkeypatch)


def test_health_ok_exits_0_and_says_why_not_otherwise(fresh_data):
    ok = cli("health", "--json")
    assert ok.exit_code == 0, ok.output
    report = json.loads(ok.stdout)
    assert report["status"] == "ok" and report["problems"] == []
    assert report["data"]["as_of"] == "2018-07-20"
    assert report["store"]["format"] == report["store"]["code_format"] and report["store"]["matches_inputs"]
    text = cli("health")
    assert text.exit_code == 0 and "資料日期：107/07/20" in text.stdout and "狀態：正常" in text.stdout


def test_stale_data_each_side_of_the_threshold(fresh_data, monkeypatch):
    from kpi.ops.health import health

    monkeypatch.setenv("KPI_HEALTH_MAX_AGE_DAYS", "45")
    # 2018-07-20 → 2018-09-03: 11 days of July after the 20th + 31 of August + 3 = 45 days old
    on_limit = health(today=dt.date(2018, 9, 3))
    assert on_limit["data"]["age_days"] == 45 and on_limit["status"] == "ok"
    over = health(today=dt.date(2018, 9, 4))
    assert over["data"]["age_days"] == 46 and over["status"] == "attention"
    assert over["problems"] == ["最新資料已 46 天未更新（上限 45 天）"]
    stale = cli("health")  # today: years after 2018
    assert stale.exit_code == 1 and "需要處理：最新資料已" in stale.stdout


def _fetch_log(folder: Path, runs: list[tuple[str, dict[str, str]]]) -> None:
    path = folder / "imports" / "fetch_log.jsonl"
    with open(path, "a", encoding="utf-8") as fh:
        for at, results in runs:
            for source, result in results.items():
                fh.write(json.dumps({"at": at, "user": "test", "source": source, "result": result},
                                    ensure_ascii=False) + "\n")


def test_failed_fetch_counts_only_in_the_last_run(fresh_data):
    _fetch_log(fresh_data, [("2026-12-01T06:30:00+08:00", {"目錄": "failed", "統計": "imported"}),
                            ("2026-12-02T06:30:00+08:00", {"目錄": "unchanged", "統計": "imported"})])
    ok = cli("health", "--json")
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["fetch"] == {"at": "2026-12-02T06:30:00+08:00", "result": "ok",
                                              "items": 2, "failed": []}
    _fetch_log(fresh_data, [("2026-12-03T06:30:00+08:00", {"目錄": "unchanged", "統計": "refused"})])
    bad = cli("health", "--json")
    assert bad.exit_code == 1
    report = json.loads(bad.stdout)
    assert report["fetch"]["failed"] == ["統計"]
    assert report["problems"] == ["最後一次擷取（2026-12-03T06:30:00+08:00）失敗：統計"]


def test_low_disk_each_side_of_the_limit(fresh_data, monkeypatch):
    free_mb = shutil.disk_usage(fresh_data).free / 2**20
    monkeypatch.setenv("KPI_HEALTH_MIN_FREE_MB", str(int(free_mb * 0.5)))
    assert cli("health").exit_code == 0
    monkeypatch.setenv("KPI_HEALTH_MIN_FREE_MB", str(int(free_mb * 2) + 1))
    low = cli("health")
    assert low.exit_code == 1 and "資料夾所在磁碟只剩" in low.stdout


class _Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/_stcore/health" else 404)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def test_processes_answering(fresh_data, monkeypatch):
    from kpi.ops.health import write_run_file
    from kpi.ops.serve import free_port

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    alive, dead = server.server_address[1], free_port()
    try:
        monkeypatch.setenv("KPI_BACKEND_PORTS", f"{alive}")
        assert cli("health").exit_code == 0
        # the run file of a living `kpi serve` wins over the environment
        write_run_file(fresh_data, {"pid": os.getpid(), "processes": [{"port": alive}, {"port": dead}]})
        down = cli("health", "--json")
        assert down.exit_code == 1
        procs = json.loads(down.stdout)["processes"]
        assert procs == {"ports": [alive, dead], "answering": [alive], "not_answering": [dead]}
    finally:
        server.shutdown()


def test_the_office_page_shows_health(fresh_data, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from kpi.ops.auth import hash_password

    monkeypatch.setenv("KPI_OFFICE_PASSWORD_HASH", hash_password("correct horse battery", iterations=1000))
    monkeypatch.setenv("KPI_HEALTH_MAX_AGE_DAYS", "45")
    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/imports.py")
    at.run()
    at.text_input[0].input("correct horse battery")
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(h.value == "系統健康（python -m kpi health）" for h in at.header)
    assert any(w.value == "需要處理" for w in at.warning)
    shown = "\n".join(t.value for t in at.text)
    assert "資料日期：107/07/20" in shown and "需要處理：最新資料已" in shown and "2018-07-20" not in shown
