"""One import path for the page and the CLI: preview → commit (archive + rebuild) → undo.

All-or-nothing: the file is parsed and validated whole before anything is written; the archive
log and the store manifest are each replaced atomically, and a failed rebuild restores the log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from kpi.importing import archive
from kpi.importing.kinds import Parsed, parse_file


@dataclass
class CommitResult:
    changed: bool
    version_id: str
    message: str
    seq: int | None = None


def preview(kind: str, path: Path, as_of: dt.date | None, agency: str | None = None,
            display_name: str | None = None) -> Parsed:
    """Parse and validate without writing anything (raises ImportRefused)."""
    return parse_file(kind, path, as_of, agency, display_name)


def _now() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")


def commit(parsed: Parsed, user: str) -> CommitResult:
    """Archive the file and publish a new store version; the same bytes twice change nothing."""
    from kpi.build import rebuild

    with archive.write_lock():
        active = archive.active_entries()
        for e in active:
            if e.sha256 == parsed.sha256 and e.kind == _kind_family(parsed.kind):
                version, _ = rebuild()
                return CommitResult(False, version.version_id if version else "",
                                    f"同一檔案已於 {e.imported_at} 匯入（序號 {e.seq}），資料未變更。",
                                    e.seq)
        before = archive.entries()
        stored = archive.store_file(parsed.path, parsed.sha256, parsed.file_name)
        seq = max([e.seq for e in before] + [0]) + 1
        entry = archive.Entry(seq=seq, kind=_kind_family(parsed.kind), sha256=parsed.sha256,
                              file_name=parsed.file_name, stored_as=stored,
                              as_of=parsed.as_of.isoformat() if parsed.as_of else None,
                              agency=parsed.agency, imported_at=_now(), imported_by=user)
        archive.write_entries([*before, entry])
        prime_cache(entry, parsed)
        try:
            version, _ = rebuild()
        except BaseException:
            archive.write_entries(before)
            raise
        return CommitResult(True, version.version_id if version else "",
                            f"已匯入 {parsed.rows:,} 列（序號 {seq}），資料版本 "
                            f"{version.version_id if version else ''}。", seq)


def prime_cache(entry: archive.Entry, parsed: Parsed) -> None:
    """The preview already parsed the file: let the build reuse it instead of parsing again."""
    from kpi.build import store_parsed

    store_parsed(entry, parsed)


def _kind_family(kind: str) -> str:
    return "usage" if kind == "usage_summary" else kind


def undo(seq: int, user: str) -> str:
    from kpi.build import rebuild

    with archive.write_lock():
        items = archive.entries()
        hit = [e for e in items if e.seq == seq and e.undone_at is None]
        if not hit:
            raise ValueError(f"沒有序號 {seq} 的有效匯入")
        hit[0].undone_at = f"{_now()} by {user}"
        archive.write_entries(items)
        try:
            version, _ = rebuild()
        except BaseException:
            hit[0].undone_at = None
            archive.write_entries(items)
            raise
    return f"已復原匯入序號 {seq}（{hit[0].file_name}），資料版本 {version.version_id}。"
