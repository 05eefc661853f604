"""The write side: every change to the data folder goes through here, one at a time, audited.

Imports, replacements, undo, builds, link checks, OAS counts, ranking weights and meetings all
take the one write lock (kpi.importing.archive.write_lock) and leave a line in the audit log
(who, when, what, result). Pages and the CLI call these functions; nothing else writes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpi.config.paths import data_dir
from kpi.faults.staging import all_or_nothing, clean_stale, has_leftovers, need_space
from kpi.importing import archive
from kpi.importing.errors import ImportRefused, Problem
from kpi.importing.kinds import Parsed
from kpi.importing.pipeline import discard, kind_family, stage_and_parse
from kpi.store import Version, gateway

AUDIT_LOG = "audit/audit.jsonl"
__all__ = ["CommitResult", "audit_log", "backup", "build", "check_links", "commit", "decide_pair",
           "decide_recount", "deliver", "ensure_store", "fetch", "import_file", "preview", "restore",
           "set_growth_basis", "set_oas", "set_sending", "set_weights", "undo"]


@dataclass
class CommitResult:
    changed: bool
    version_id: str
    message: str
    seq: int | None = None


def _now() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")


def _append_audit(record: dict[str, Any]) -> None:
    path = data_dir() / AUDIT_LOG
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(record, ensure_ascii=False, default=str) + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _writing(user: str, action: str, **detail: Any) -> Iterator[dict[str, Any]]:
    """Hold the write lock for one action and audit it, whether it succeeds or fails."""
    with archive.write_lock():
        clean_stale()  # what a killed writer left (staging copies, log backups), before this one
        record: dict[str, Any] = {"at": _now(), "user": user, "action": action, **detail}
        try:
            yield record
        except BaseException as err:
            record["result"] = f"失敗：{type(err).__name__}: {err}"[:500]
            _append_audit(record)
            raise
        record.setdefault("result", "完成")
        _append_audit(record)


def audit_log(limit: int = 200) -> list[dict[str, Any]]:
    """The newest audit lines first (shown to the office on the import page)."""
    path = data_dir() / AUDIT_LOG
    if not path.exists():
        return []
    from kpi.faults.messages import json_lines

    return list(reversed(json_lines(path, limit)))


def import_log() -> list[archive.Entry]:
    """Every import, the embedded defaults first (read-only; shown to the office)."""
    return archive.default_entries() + archive.entries()


def _rebuild(force: bool = False) -> tuple[Version, bool]:
    from kpi.build import rebuild

    version, changed = rebuild(force=force)
    assert version is not None
    return version, changed


def ensure_store() -> Version:
    """The current version, reconciled with the import log first.

    A fresh clone builds its store; a writer killed between writing the log and publishing
    leaves the two disagreeing, and the next start finishes its work (a rebuild from the log).
    Only when the lock is free: a running writer publishes for itself.
    """
    from kpi.build import version_id_for_inputs
    from kpi.store import StoreMissing, read_manifest

    if has_leftovers():  # a killed import's copies go at the next start, not an hour later
        with archive.try_write_lock() as free:
            if free:
                clean_stale()
    try:
        version = read_manifest()
        if version.version_id == version_id_for_inputs():
            return version
        from kpi.ops.upgrade import in_background

        if in_background(version, lambda: _reconcile("系統（版本升級）")):
            return version  # the previous release's format serves until the new one is swapped in
    except StoreMissing:
        pass
    return _reconcile("系統（啟動檢查）")


def _reconcile(user: str) -> Version:
    from kpi.store import read_manifest

    with archive.try_write_lock() as free:
        if not free:
            return read_manifest()
        record = {"at": _now(), "user": user, "action": "reconcile"}
        version, changed = _rebuild()
        if changed:
            _append_audit(record | {"result": f"資料版本 {version.version_id}（依匯入紀錄補建）"})
        return version


def preview(kind: str, path: Path, as_of: dt.date | None, agency: str | None = None,
            display_name: str | None = None, allow_new_agency: bool = False) -> Parsed:
    """Parse a private copy of the file against what the store knows; writes nothing to the data
    folder (raises ImportRefused). ``commit`` archives exactly that copy."""
    ensure_store()
    return stage_and_parse(kind, path, as_of, agency, display_name, allow_new_agency)


def build(user: str, force: bool = False) -> tuple[Version, bool]:
    with _writing(user, "build", force=force) as rec, all_or_nothing(_log()):
        version, changed = _rebuild(force)
        rec["result"] = f"資料版本 {version.version_id}（{'已重建' if changed else '輸入未變'}）"
        return version, changed


def _same_import(parsed: Parsed) -> archive.Entry | None:
    """Identity of an import is (bytes, kind, as-of date, agency) — SPEC §8."""
    as_of = parsed.as_of.isoformat() if parsed.as_of else None
    for e in archive.active_entries():
        if (e.sha256, e.kind, e.as_of, e.agency) == (parsed.sha256, kind_family(parsed.kind),
                                                       as_of, parsed.agency):
            return e
    return None


def replace_needed(parsed: Parsed) -> list[str]:
    """Lines describing what the file would replace (empty: nothing held for that date)."""
    from kpi.importing.compare import replaced_by

    return replaced_by(gateway(), parsed)


def commit(parsed: Parsed, user: str, replace: bool = False) -> CommitResult:
    """Archive the file and publish a new store version; the same import twice changes nothing.

    A usage file for a date that already holds data for its agencies is refused unless
    ``replace`` (ImportRefused listing what would disappear).
    """
    with _writing(user, "import", kind=parsed.kind, file=parsed.file_name, sha256=parsed.sha256,
                  as_of=parsed.as_of, agency=parsed.agency, replace=replace) as rec:
        same = _same_import(parsed)
        if same is not None:
            version, _ = _rebuild()
            rec["result"] = f"同一匯入已存在（序號 {same.seq}），未變更"
            return CommitResult(False, version.version_id,
                                f"同一檔案已於 {same.imported_at} 以相同種類、日期與機關匯入（序號 {same.seq}），"
                                "資料未變更。", same.seq)
        from kpi.store import current_version_id

        if current_version_id() is None:  # a fresh data folder: what it holds comes from the seeds
            _rebuild()
        held = replace_needed(parsed)
        if held and not replace:
            raise ImportRefused([Problem(parsed.file_name, "此資料日期已有資料，未加 --replace 不會取代：" + line)
                                 for line in held])
        before = archive.entries()
        need_space(_version_bytes() + 3 * parsed.path.stat().st_size, archive.archive_dir())
        with all_or_nothing(_log()):
            return _commit(parsed, user, before, held, rec)


def _log() -> Path:
    return archive.archive_dir() / archive.LOG


def _version_bytes() -> int:
    """What a new version may take: the current one's files (hard links make it less)."""
    from kpi.store import StoreMissing, read_manifest

    try:
        folder = read_manifest().path
    except StoreMissing:
        return 0
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _commit(parsed: Parsed, user: str, before: list[archive.Entry], held: list[str],
            rec: dict[str, Any]) -> CommitResult:
    """Archive, log, cache, publish: inside ``all_or_nothing``, so a failure takes all of it back."""
    try:
        stored = archive.store_file(parsed.path, parsed.sha256, parsed.file_name)
    except archive.ArchiveMismatch as err:
        raise ImportRefused(Problem(parsed.file_name, f"無法保存原檔：{err}")) from None
    seq = max([e.seq for e in before] + [0]) + 1
    entry = archive.Entry(seq=seq, kind=kind_family(parsed.kind), sha256=parsed.sha256,
                          file_name=parsed.file_name, stored_as=stored,
                          as_of=parsed.as_of.isoformat() if parsed.as_of else None,
                          agency=parsed.agency, imported_at=_now(), imported_by=user)
    archive.write_entries([*before, entry])
    from kpi.build.cache import store_parsed

    store_parsed(entry, parsed)  # the preview already parsed it: the build reuses that
    version, _ = _rebuild()
    rec["result"] = f"序號 {seq}，{parsed.rows} 列，資料版本 {version.version_id}"
    discard(parsed)
    note = "（已取代同日資料）" if held else ""
    return CommitResult(True, version.version_id,
                        f"已匯入 {parsed.rows:,} 列（序號 {seq}）{note}，資料版本 {version.version_id}。",
                        seq)


def import_file(kind: str, path: Path, as_of: dt.date | None, user: str, agency: str | None = None,
                replace: bool = False, display_name: str | None = None,
                allow_new_agency: bool = False) -> tuple[Parsed, CommitResult]:
    """Preview then commit one file (the CLI's path; the page previews first and confirms)."""
    parsed = preview(kind, path, as_of, agency, display_name, allow_new_agency)
    try:
        return parsed, commit(parsed, user, replace=replace)
    finally:
        discard(parsed)


def undo(seq: int, user: str) -> str:
    with _writing(user, "undo", seq=seq) as rec, all_or_nothing(_log()):
        items = archive.entries()
        hit = [e for e in items if e.seq == seq and e.undone_at is None]
        if not hit:
            raise ValueError(f"沒有序號 {seq} 的有效匯入")
        hit[0].undone_at = f"{_now()} by {user}"
        archive.write_entries(items)
        version, _ = _rebuild()
        rec["result"] = f"已復原 {hit[0].file_name}，資料版本 {version.version_id}"
    return f"已復原匯入序號 {seq}（{hit[0].file_name}），資料版本 {version.version_id}。"


# The office's settings, decisions and jobs (kpi/service/office.py), here for callers of kpi.service.
from kpi.service.office import (  # noqa: E402
    backup,
    check_links,
    decide_pair,
    decide_recount,
    deliver,
    fetch,
    restore,
    set_growth_basis,
    set_oas,
    set_sending,
    set_weights,
)
