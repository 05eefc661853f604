"""Issue 24: health says when the office must act; backups restore byte for byte or not at all;
a store of the previous release's format keeps serving while it is rebuilt once in the background."""

from __future__ import annotations

import datetime as dt
import gzip
import http.server
import io
import json
import os
import shutil
import tarfile
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpi.cli import app
from kpi.paths import REPO_ROOT

FIXTURES = REPO_ROOT / "tests" / "fixtures"
PLAN = REPO_ROOT / "data" / "templates" / "action_plan_template.csv"
# The embedded default data's newest snapshot is 2018-07-20 (107/07/20).
NEWEST = dt.date(2018, 7, 20)


def cli(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def calm(monkeypatch):
    """Thresholds nothing in a test folder trips (each test then sets the one it checks)."""
    monkeypatch.setenv("KPI_HEALTH_MAX_AGE_DAYS", "100000")
    monkeypatch.setenv("KPI_HEALTH_MIN_FREE_MB", "0")
    monkeypatch.delenv("KPI_BACKEND_PORTS", raising=False)


# ---------------------------------------------------------------- health

def test_health_ok_exits_0_and_says_why_not_otherwise(fresh_data, calm):
    ok = cli("health", "--json")
    assert ok.exit_code == 0, ok.output
    report = json.loads(ok.stdout)
    assert report["status"] == "ok" and report["problems"] == []
    assert report["data"]["as_of"] == "2018-07-20"
    assert report["store"]["format"] == report["store"]["code_format"] and report["store"]["matches_inputs"]
    text = cli("health")
    assert text.exit_code == 0 and "資料日期：107/07/20" in text.stdout and "狀態：正常" in text.stdout


def test_stale_data_each_side_of_the_threshold(fresh_data, calm, monkeypatch):
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


def test_failed_fetch_counts_only_in_the_last_run(fresh_data, calm):
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


def test_low_disk_each_side_of_the_limit(fresh_data, calm, monkeypatch):
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


def test_processes_answering(fresh_data, calm, monkeypatch):
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


# ---------------------------------------------------------------- backup and restore

def _report() -> str:
    out = cli("report", "--json")
    assert out.exit_code == 0, out.output
    return out.stdout


def _office_work(folder: Path) -> None:
    """Things a rebuild cannot make: an imported plan, an OAS count (settings), audit lines."""
    from kpi import service

    service.import_file("plan", PLAN, None, "test")
    service.set_oas("勞動部", 3, "test")


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) \
        if folder.exists() else []


def test_backup_to_an_empty_folder_restores_the_same_report(fresh_data, calm, tmp_path, monkeypatch):
    _office_work(fresh_data)
    before = _report()
    out = cli("backup", "--out", str(tmp_path / "b.tar.gz"))
    assert out.exit_code == 0, out.output
    with tarfile.open(tmp_path / "b.tar.gz") as tar:
        manifest = json.loads(tar.extractfile("MANIFEST.json").read())
        names = tar.getnames()
    held = {f["path"] for f in manifest["files"]}
    assert {"settings/oas_apis.json", "audit/audit.jsonl", "imports/log.json", "default_imports.json"} <= held
    assert any(p.startswith("imports/archive") or p.endswith(".csv") for p in held if p.startswith("imports/"))
    assert not any(n.startswith(("data/store/", "data/imports/parsed/")) for n in names)
    assert manifest["data_version"] == json.loads(before)["data_version"]

    empty = tmp_path / "restored"
    monkeypatch.setenv("KPI_DATA_DIR", str(empty))
    done = cli("restore", str(tmp_path / "b.tar.gz"))
    assert done.exit_code == 0, done.output
    assert "與備份時相同" in done.stdout
    assert _report() == before
    restored = json.loads((empty / "audit" / "audit.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert restored["action"] == "restore" and restored["result"].endswith("（與備份時相同）")


def _flip(src: Path, dst: Path, at: int) -> None:
    data = bytearray(src.read_bytes())
    data[at] ^= 0x01
    dst.write_bytes(bytes(data))


def test_a_flipped_byte_is_refused_and_nothing_written(fresh_data, calm, tmp_path, monkeypatch):
    good = tmp_path / "b.tar.gz"
    assert cli("backup", "--out", str(good)).exit_code == 0
    size = good.stat().st_size
    for i, at in enumerate([size // 2, 5, size - 3]):  # the stream, the header's mtime, the CRC
        bad = tmp_path / f"bad{i}.tar.gz"
        _flip(good, bad, at)
        target = tmp_path / f"target{i}"
        monkeypatch.setenv("KPI_DATA_DIR", str(target))
        refused = cli("restore", str(bad))
        assert refused.exit_code == 2, (at, refused.output)
        assert f"備份檔「bad{i}.tar.gz」無法還原" in refused.stderr and "未寫入任何資料" in refused.stderr
        assert "Traceback" not in refused.output
        assert _files(target) == []


def test_a_changed_file_with_a_valid_stream_is_refused_by_its_hash(fresh_data, calm, tmp_path, monkeypatch):
    good = tmp_path / "b.tar.gz"
    assert cli("backup", "--out", str(good)).exit_code == 0
    forged = tmp_path / "forged.tar.gz"
    with tarfile.open(good) as src, open(forged, "wb") as raw, \
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as dst:
        for member in src:
            body = src.extractfile(member).read()
            if member.name == "data/audit/audit.jsonl":
                body = body.replace(b'"user": "test"', b'"user": "TEST"', 1)
            member.size = len(body)
            dst.addfile(member, io.BytesIO(body))
    target = tmp_path / "target"
    monkeypatch.setenv("KPI_DATA_DIR", str(target))
    refused = cli("restore", str(forged))
    assert refused.exit_code == 2
    assert "「audit/audit.jsonl」的 sha256 與清單不符" in refused.stderr
    assert _files(target) == []


def test_restore_over_data_needs_replace(fresh_data, calm, tmp_path):
    out = tmp_path / "b.tar.gz"
    assert cli("backup", "--out", str(out)).exit_code == 0
    before = _report()
    _office_work(fresh_data)  # after the backup: a plan import and an OAS count
    assert _report() != before
    listing = _files(fresh_data)
    refused = cli("restore", str(out))
    assert refused.exit_code == 2 and "--replace" in refused.stderr
    assert _files(fresh_data) == listing
    done = cli("restore", str(out), "--replace")
    assert done.exit_code == 0, done.output
    assert not (fresh_data / "settings" / "oas_apis.json").exists()  # not in the backup: removed
    assert _report() == before


def test_backup_folder_keeps_the_newest_k(fresh_data, calm, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    made = []
    for _ in range(3):
        assert cli("backup", "--out", str(folder), "--keep", "2").exit_code == 0
        made.append(sorted(folder.glob("kpi-backup-*.tar.gz"))[-1])
    assert sorted(folder.glob("kpi-backup-*.tar.gz")) == made[1:]


def test_one_json_audit_line_per_write_without_secrets(fresh_data, calm, tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_OFFICE_PASSWORD_HASH", "pbkdf2$secret-hash-value")
    log = fresh_data / "audit" / "audit.jsonl"
    before = len(log.read_text(encoding="utf-8").splitlines())
    _office_work(fresh_data)
    assert cli("backup", "--out", str(tmp_path / "b.tar.gz")).exit_code == 0
    lines = log.read_text(encoding="utf-8").splitlines()[before:]
    records = [json.loads(x) for x in lines]
    assert [r["action"] for r in records] == ["import", "set-oas", "backup"]
    assert all({"at", "user", "action", "result"} <= set(r) for r in records)
    assert not any("secret-hash-value" in x or "password" in x.lower() for x in lines)


# ---------------------------------------------------------------- upgrade

def test_an_old_format_store_serves_while_it_is_rebuilt_once(tmp_path, monkeypatch, calm):
    """tests/fixtures/store_format12.tar.gz: the store of a data folder holding only data/seed,
    written by BUILD_FORMAT 12 (`python -m kpi build`, then `tar czf … store`). The newer code
    is simulated by a higher BUILD_FORMAT."""
    import kpi.build
    from kpi import service
    from kpi.store import current_version_id, gateway, read_manifest

    folder = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data" / "seed", folder / "seed")
    with tarfile.open(FIXTURES / "store_format12.tar.gz") as tar:
        tar.extractall(folder, filter="data")
    monkeypatch.setenv("KPI_DATA_DIR", str(folder))
    old = read_manifest()
    assert old.meta["parts"]["format"] == 12
    newer = max(kpi.build.BUILD_FORMAT, 12) + 1
    monkeypatch.setattr(kpi.build, "BUILD_FORMAT", newer)

    release = threading.Event()
    real = kpi.build.build_tables
    builds = []

    def slow_build():
        builds.append(1)
        release.wait(60)
        return real()

    monkeypatch.setattr(kpi.build, "build_tables", slow_build)
    old_report = _report()  # the first reader starts the rebuild and is answered from the old store
    assert json.loads(old_report)["data_version"] == old.version_id
    for _ in range(3):  # readers meanwhile: the old version, and no second rebuild
        assert service.ensure_store().version_id == old.version_id
        assert gateway().version_id == old.version_id
    deadline = time.time() + 10
    while not builds and time.time() < deadline:
        time.sleep(0.05)
    assert builds == [1]
    release.set()
    deadline = time.time() + 120
    while current_version_id() == old.version_id and time.time() < deadline:
        time.sleep(0.1)
    new = read_manifest()
    assert new.version_id != old.version_id and new.meta["parts"]["format"] == newer
    assert builds == [1]
    new_report = json.loads(_report())
    assert new_report["data_version"] == new.version_id
    assert {**new_report, "data_version": None} == {**json.loads(old_report), "data_version": None}
    audit = [json.loads(x) for x in (folder / "audit" / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(a["user"], a["action"]) for a in audit] == [("系統（版本升級）", "reconcile")]


def test_the_office_page_shows_health(fresh_data, calm, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from kpi.auth import hash_password

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


def test_a_failed_background_rebuild_is_not_retried_on_every_page(monkeypatch):
    import kpi.build
    from kpi.ops import upgrade

    monkeypatch.setattr(upgrade, "_FAILED_AT", [-1e9])
    monkeypatch.setattr(kpi.build, "BUILD_FORMAT", 99)
    calls = []

    def failing() -> None:
        calls.append(1)
        raise RuntimeError("檢查未通過")

    monkeypatch.setattr(threading, "excepthook", lambda args: None)
    old = type("V", (), {"meta": {"parts": {"format": 98}}})()
    assert upgrade.in_background(old, failing)
    deadline = time.time() + 10
    while upgrade._RUNNING.locked() and time.time() < deadline:
        time.sleep(0.01)
    assert upgrade.in_background(old, failing)  # still the old version, and no second attempt
    time.sleep(0.1)
    assert calls == [1]
    monkeypatch.setattr(upgrade, "_FAILED_AT", [time.monotonic() - upgrade.RETRY_AFTER_S - 1])
    assert upgrade.in_background(old, failing)
    deadline = time.time() + 10
    while len(calls) < 2 and time.time() < deadline:
        time.sleep(0.01)
    assert calls == [1, 1]
    same = type("V", (), {"meta": {"parts": {"format": 99}}})()
    assert not upgrade.in_background(same, failing)  # the code's own format: rebuilt in place
