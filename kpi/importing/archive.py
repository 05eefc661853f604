"""The import archive: every accepted file kept with its sha256, time, user and as-of date.

The store is always rebuilt from the committed seeds, the default imports and this archive, so
undo is "mark the entry undone and rebuild", and nothing is ever lost.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from kpi.config.paths import archive_dir, data_dir
from kpi.faults.messages import DamagedFile, read_json

LOG = "log.json"
DEFAULTS = "default_imports.json"


@dataclass
class Entry:
    seq: int
    kind: str
    sha256: str
    file_name: str
    stored_as: str  # path relative to the data folder
    as_of: str | None
    agency: str | None
    imported_at: str
    imported_by: str
    undone_at: str | None = None
    default: bool = False

    def path(self) -> Path:
        return data_dir() / self.stored_as


def default_entries() -> list[Entry]:
    """Imports that are part of the embedded default (the 2018 national export)."""
    path = data_dir() / DEFAULTS
    if not path.exists():
        return []
    items = read_json(path, "內建匯入清單", "請由版本庫還原 data/default_imports.json")
    return [Entry(seq=-(i + 1), default=True, undone_at=None, **item)
            for i, item in enumerate(items)]


def entries() -> list[Entry]:
    path = archive_dir() / LOG
    if not path.exists():
        return []
    return _entries(path, read_json(path, "匯入紀錄", _FIX))


_FIX = "請由備份還原此檔（data/imports/log.json），或修正該處後再試；匯入的原檔仍在 imports/files/"


def _entries(path: Path, items: object) -> list[Entry]:
    """Every item checked, so a torn or edited entry is named instead of failing somewhere later."""
    if not isinstance(items, list):
        raise DamagedFile(f"匯入紀錄「{path}」應為清單；{_FIX}。")
    out = []
    for i, item in enumerate(items, start=1):
        try:
            entry = Entry(**item)
            if not isinstance(entry.seq, int) or not isinstance(entry.sha256, str) or \
                    not isinstance(entry.stored_as, str) or ".." in Path(entry.stored_as).parts:
                raise TypeError
        except TypeError:
            raise DamagedFile(f"匯入紀錄「{path}」第 {i} 筆損毀或欄位不全；{_FIX}。") from None
        out.append(entry)
    return out


def active_entries() -> list[Entry]:
    return default_entries() + [e for e in entries() if e.undone_at is None]


def write_entries(items: list[Entry]) -> None:
    root = archive_dir()
    root.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".log-", dir=root)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump([asdict(e) for e in items], fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, root / LOG)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class ArchiveMismatch(RuntimeError):
    """The bytes being archived are not the bytes that were checked (the file changed)."""


def store_file(source: Path, sha256: str, file_name: str) -> str:
    """Copy the raw bytes into the archive (content-addressed) and prove they are the bytes that
    were hashed and parsed: the copy is hashed as it is written. Returns the relative path."""
    safe = Path(file_name).name or "upload"
    target_dir = archive_dir() / "files" / sha256
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / safe
    if not target.exists():
        fd, tmp = tempfile.mkstemp(dir=target_dir)
        digest = hashlib.sha256()
        try:
            with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != sha256:
                raise ArchiveMismatch(f"「{file_name}」在檢查後被改變，未匯入")
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return str(target.relative_to(data_dir()))


@contextlib.contextmanager
def try_write_lock() -> Iterator[bool]:
    """The write lock if it is free right now (True), else False at once: readers that could
    repair the store never wait behind a long write such as a link check."""
    root = archive_dir()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextlib.contextmanager
def write_lock() -> Iterator[None]:
    """One writer at a time per data folder (page and CLI alike); readers never wait on it."""
    root = archive_dir()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
