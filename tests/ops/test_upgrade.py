"""Issue 24: a store of the previous release's format keeps serving while it is rebuilt once in
the background, then the new one is swapped in."""

from __future__ import annotations

import json
import shutil
import tarfile
import threading
import time

import pytest

from kpi.config.paths import REPO_ROOT
from tests.ops.helpers import calm
from tests.ops.helpers import report as _report


@pytest.fixture(autouse=True)
def _calm(monkeypatch):
    calm(monkeypatch)


FIXTURES = REPO_ROOT / "tests" / "fixtures"


def test_an_old_format_store_serves_while_it_is_rebuilt_once(tmp_path, monkeypatch):
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
