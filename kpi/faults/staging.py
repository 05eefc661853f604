"""Writes that land whole or not at all, inside the data folder's own filesystem.

Why: a full disk or a kill in the middle of an import once left an archived copy, a parse cache,
a part-written version folder or a /tmp copy behind. Staging now lives under the data folder
(same filesystem, so moving in is a rename), a write checks free space first, a failed write
removes what it added and restores the import log, and ``clean_stale`` removes what a killed
process left.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from kpi.config.paths import archive_dir, data_dir

STAGING = ".staging"
STALE_SECONDS = 6 * 3600  # a preview waits for its confirmation; after this it is abandoned
MARGIN = 4 * 1024 * 1024


def staging_dir() -> Path:
    """data/.staging: the data folder's filesystem, outside what the store and archive hold."""
    root = data_dir() / STAGING
    root.mkdir(parents=True, exist_ok=True)
    return root


def stage(data: bytes, name: str) -> Path:
    """A private copy of the bytes under the data folder; removed again if it cannot be whole."""
    need_space(len(data), staging_dir())
    folder = Path(tempfile.mkdtemp(prefix=f"kpi-staged-{os.getpid()}-", dir=staging_dir()))
    path = folder / (Path(name).name or "upload")
    try:
        path.write_bytes(data)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return path


def need_space(nbytes: int, where: Path) -> None:
    """OSError(ENOSPC) naming the folder when fewer than ``nbytes`` (+ a margin) are free."""
    free = shutil.disk_usage(where).free
    if free < nbytes + MARGIN:
        raise OSError(errno.ENOSPC, f"需要約 {(nbytes + MARGIN) / 1e6:,.1f} MB，只剩 {free / 1e6:,.1f} MB",
                      str(where))


def _leftovers() -> list[Path]:
    root = archive_dir()
    return [*(data_dir() / STAGING).glob("kpi-staged-*"), *root.glob(".log-*"),
            *(root / "parsed").glob(".tmp-*")]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _stale(path: Path, now: float) -> bool:
    """Left by a process that is gone (its pid is in the name), or older than any preview waits."""
    parts = path.name.split("-")
    if (path.name.startswith("kpi-staged-") and len(parts) > 3 and parts[2].isdigit()
            and int(parts[2]) != os.getpid() and not _alive(int(parts[2]))):
        return True
    if path.name.startswith(".log-before-"):
        return True  # only a writer holding the lock has one; the caller holds it now
    return now - path.stat().st_mtime > STALE_SECONDS


def has_leftovers() -> bool:
    """Cheap test, without the lock, so a read-only deployment never needs to take it."""
    return bool(_leftovers())


def clean_stale(now: float | None = None) -> None:
    """Remove staging copies, log backups and temp files a killed writer left (under the lock)."""
    now = time.time() if now is None else now
    for old in _leftovers():
        with contextlib.suppress(OSError):
            if _stale(old, now):
                shutil.rmtree(old) if old.is_dir() else old.unlink()


@contextlib.contextmanager
def all_or_nothing(log: Path) -> Iterator[None]:
    """Undo what a failed write added under imports/ (archived files, parse caches) and put the
    import log back as it was, by a hard link made first, so restoring needs no free space."""
    watched = [archive_dir() / "files", archive_dir() / "parsed"]
    before = {p for w in watched if w.exists() for p in w.rglob("*")}
    backup = log.with_name(f".log-before-{os.getpid()}")
    had_log = log.exists()
    if had_log:
        backup.unlink(missing_ok=True)
        os.link(log, backup)
    try:
        yield
    except BaseException:
        added = [p for w in watched if w.exists() for p in w.rglob("*") if p not in before]
        for path in sorted(added, key=lambda p: len(p.parts), reverse=True):
            with contextlib.suppress(OSError):
                path.rmdir() if path.is_dir() else path.unlink()
        if had_log and log.exists() and os.path.samefile(backup, log):
            backup.unlink()  # the log was never replaced (rename onto the same file is a no-op)
        elif had_log:
            os.replace(backup, log)
        else:
            log.unlink(missing_ok=True)
        raise
    backup.unlink(missing_ok=True)


def write_whole(path: Path, data: bytes) -> None:
    """An output file written beside its target and renamed in; a device (/dev/full) is written
    directly, since it cannot be replaced. Nothing is left behind when the write fails."""
    if path.exists() and not path.is_file():
        try:
            with open(path, "wb") as fh:
                fh.write(data)
                fh.flush()
        except OSError as err:  # a write error carries no file name; the message needs one
            raise OSError(err.errno, err.strerror, str(path)) from None
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
