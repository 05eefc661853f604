"""A full disk at many points of import, build and undo, and a read-only data folder: every
command exits 2 with a zh-TW sentence, the folder is byte-identical (the audit log aside) and the
version that was serving still serves.

The data folder lives on a small tmpfs made by the test (`mount -t tmpfs`, root in CI). The disk is
filled to leave a fraction of what the write needs, so it runs out at a different place each time
(staging copy, archived original, import log, parse cache, Parquet tables, yearly file, manifest).
The up-front free-space check is turned off for those points (it would refuse them all first) and
tested on its own. Where mounting is not allowed, ENOSPC/EROFS come from patched Python-level
writes instead (see `_simulated`), so the same assertions still run.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from kpi.config.paths import REPO_ROOT
from tests.helpers.store import USAGE_HEADER as HEADER
from tests.helpers.store import built_copy

FRACTIONS = (0.0, 0.03, 0.08, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95)


def _mount(point: Path, size: str) -> bool:
    point.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                          capture_output=True).returncode == 0


def _digest(root: Path) -> dict[str, str]:
    """Every file and folder except the audit log (one line per attempt is the point of it)."""
    out = {}
    for p in sorted(root.rglob("*")):
        rel = str(p.relative_to(root))
        if rel.startswith("audit") or rel == ".staging":
            continue
        out[rel] = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
    return out


def _free(path: Path) -> int:
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


@contextlib.contextmanager
def _leave_free(mount: Path, nbytes: int):
    """Fill the filesystem so that about ``nbytes`` stay free (page-sized steps)."""
    filler = mount / "filler"
    with open(filler, "wb") as fh:
        left = _free(mount) - nbytes
        block = b"\0" * (1 << 20)
        with contextlib.suppress(OSError):
            while left > 0:
                left -= fh.write(block[:min(left, len(block))])
            fh.flush()
    try:
        yield
    finally:
        filler.unlink()


def _usage(folder: Path, views: int) -> Path:
    path = folder / f"usage_{views}.csv"
    path.write_text(HEADER + f"勞動部,勞工保險投保薪資分級表,{views},{views // 10},,2015/01/01\n"
                    f"勞動部,職類別薪資調查,{views + 7},3,,2016/02/03\n", encoding="utf-8")
    return path


def _run(capsys, *args: str) -> tuple[int, str]:
    from kpi.cli import app
    from kpi.faults.boundary import run

    capsys.readouterr()
    code = run(app, list(args))
    return code, capsys.readouterr().err


def _serving() -> tuple[str, int]:
    from kpi.store import gateway, read_manifest

    return read_manifest().version_id, int(gateway().scalar("SELECT count(*) FROM counter"))


def _assert_refused(code: int, err: str, before: dict, data: Path, serving: tuple[str, int]) -> None:
    assert code == 2, err
    assert "Traceback" not in err and "Error" not in err and "No space" not in err, err
    assert "磁碟空間不足" in err or "唯讀" in err, err
    assert _digest(data) == before
    assert _serving() == serving


@pytest.fixture
def small_disk(store_template, tmp_path, monkeypatch):
    """A built data folder on its own 48 MB tmpfs, with one import already made (to undo)."""
    mount = tmp_path / "disk"
    mounted = _mount(mount, "48m")
    data = built_copy(store_template, mount / "data")
    monkeypatch.setenv("KPI_DATA_DIR", str(data))
    from kpi.service import import_file

    import_file("usage", _usage(tmp_path, 100), __import__("datetime").date(2019, 1, 31), "test")
    yield mount, data, mounted
    if mounted:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def _simulated(monkeypatch, after: int, code: int) -> None:
    """Without a mount: the ``after``-th Python-level file creation or rename fails with ``code``."""
    import tempfile

    calls = {"n": 0}

    def failing(real):
        def wrapper(*a, **k):
            calls["n"] += 1
            if calls["n"] > after:
                raise OSError(code, os.strerror(code), str(a[0]) if a else "")
            return real(*a, **k)
        return wrapper

    for mod, name in ((os, "replace"), (os, "link"), (tempfile, "mkstemp"), (tempfile, "mkdtemp"),
                      (Path, "write_bytes"), (Path, "write_text"), (os, "write")):
        monkeypatch.setattr(mod, name, failing(getattr(mod, name)))


def _needed(tmp_path, data: Path, args_for) -> int:
    """Bytes a command writes, measured on a throw-away copy in the same filesystem."""
    probe = data.parent / f"probe-{uuid.uuid4().hex[:6]}"
    shutil.copytree(data, probe)
    os.environ["KPI_DATA_DIR"] = str(probe)
    try:
        before = _free(probe)
        from kpi.cli import app
        from kpi.faults.boundary import run

        assert run(app, args_for(tmp_path)) == 0
        return max(before - _free(probe), 1 << 16)
    finally:
        os.environ["KPI_DATA_DIR"] = str(data)
        shutil.rmtree(probe)


COMMANDS = {
    "import": lambda tmp: ["import", "usage", str(_usage(tmp, 200)), "--as-of", "2019-02-28"],
    "build": lambda tmp: ["build", "--force"],
    "undo": lambda tmp: ["undo", "1"],
}


@pytest.mark.slow  # ≈23 s: the full suite runs it, the quick loop does not
def test_full_disk_at_many_points_changes_nothing(small_disk, tmp_path, capsys, monkeypatch):
    mount, data, mounted = small_disk
    import kpi.faults.staging as staging
    import kpi.service as service

    monkeypatch.setattr(service, "need_space", lambda *a: None)  # let the disk itself run out
    monkeypatch.setattr(staging, "need_space", lambda *a: None)
    serving, before = _serving(), _digest(data)
    points = 0
    for command, args_for in COMMANDS.items():
        # undo republishes the version from before the import (its folder is still there): it
        # writes only the log and the manifest, so its points are a few pages apart
        needed = _needed(tmp_path, data, args_for) if mounted and command != "undo" else 0
        levels = ([0, 4096, 12288] if command == "undo" else
                  [int(needed * f) for f in (FRACTIONS if command == "import" else FRACTIONS[:8:2])])
        for i, free in enumerate(levels):
            args = args_for(tmp_path)  # the file to import is written before the disk fails
            with (_leave_free(mount, free) if mounted else contextlib.nullcontext()), \
                    monkeypatch.context() as m:
                if not mounted:
                    _simulated(m, i, errno.ENOSPC)
                code, err = _run(capsys, *args)
            _assert_refused(code, f"{command} {free}: {err}", before, data, serving)
            points += 1
    assert points >= 10
    code, err = _run(capsys, *COMMANDS["import"](tmp_path))  # room again: the same import works
    assert code == 0, err
    assert _serving() != serving


def test_free_space_is_checked_before_copying(small_disk, tmp_path, capsys, monkeypatch):
    mount, data, mounted = small_disk
    serving, before = _serving(), _digest(data)
    if not mounted:  # the same 1 MB free, reported instead of made
        monkeypatch.setattr(shutil, "disk_usage", lambda p: shutil._ntuple_diskusage(1 << 30, 0, 1 << 20))
    with (_leave_free(mount, 1 << 20) if mounted else contextlib.nullcontext()):
        code, err = _run(capsys, *COMMANDS["import"](tmp_path))
    _assert_refused(code, err, before, data, serving)
    assert "需要約" in err and "只剩" in err
    assert not list((data / ".staging").glob("*"))


def test_read_only_folder_refuses_every_write_cleanly(small_disk, tmp_path, capsys, monkeypatch):
    mount, data, mounted = small_disk
    serving, before = _serving(), _digest(data)
    if mounted:
        assert subprocess.run(["mount", "-o", "remount,ro", str(mount)]).returncode == 0
    try:
        for command, args_for in COMMANDS.items():
            args = args_for(tmp_path)
            with monkeypatch.context() as m:
                if not mounted:
                    _simulated(m, 0, errno.EROFS)
                code, err = _run(capsys, *args)
            _assert_refused(code, err, before, data, serving)
            assert str(data) in err, (command, err)
        code, err = _run(capsys, "report")  # reading still works on a read-only folder
        assert code == 0, err
    finally:
        if mounted:
            subprocess.run(["mount", "-o", "remount,rw", str(mount)])


def test_killed_import_leftovers_are_removed_at_the_next_start(fresh_data, tmp_path):
    from kpi.faults.staging import staging_dir
    from kpi.service import ensure_store

    proc = subprocess.Popen(["true"])  # a pid that has exited, as a killed import's has
    proc.wait()
    left = staging_dir() / f"kpi-staged-{proc.pid}-abc"
    left.mkdir()
    (left / "usage.csv").write_bytes(b"x" * 100)
    backup = fresh_data / "imports" / ".log-before-99999999"
    backup.write_text("[]", encoding="utf-8")
    mine = staging_dir() / f"kpi-staged-{os.getpid()}-pending"  # a preview waiting for its OK
    mine.mkdir()
    ensure_store()
    assert not left.exists() and not backup.exists() and mine.exists()


def test_cli_run_as_a_process_has_no_traceback_on_a_missing_folder(tmp_path):
    env = {**os.environ, "KPI_DATA_DIR": str(tmp_path / "nowhere")}
    out = subprocess.run([sys.executable, "-m", "kpi", "report"], cwd=REPO_ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "KPI_DATA_DIR" in out.stderr and "不存在" in out.stderr
    assert "Traceback" not in out.stderr and not (tmp_path / "nowhere").exists()
