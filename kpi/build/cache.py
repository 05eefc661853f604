"""Parsed imports cached as Parquet (never pickle: a data folder must not be able to run code).

The key covers the file's identity and the parser code itself, so a change to any importer
invalidates the cache without anyone remembering to bump a number.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path

import pandas as pd

from kpi.config.paths import archive_dir
from kpi.importing import archive
from kpi.importing.kinds import Parsed, parse_file
from kpi.store import fingerprint


@functools.cache
def parser_version() -> str:
    """A digest of the importer sources: cached parses are only valid for the code that made them."""
    folder = Path(__file__).resolve().parent.parent / "importing"
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _paths(entry: archive.Entry) -> tuple[Path, Path]:
    key = fingerprint([parser_version(), entry.kind, entry.sha256, entry.as_of, entry.agency])
    folder = archive_dir() / "parsed"
    return folder / f"{key}.parquet", folder / f"{key}.json"


def parsed_entry(entry: archive.Entry) -> Parsed:
    """Parse an archived file once; later builds read the cached result (same bytes, same code)."""
    data, meta = _paths(entry)
    if data.exists() and meta.exists():
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
            frame = pd.read_parquet(data)
            as_of = dt.date.fromisoformat(info["as_of"]) if info["as_of"] else None
            return Parsed(info["kind"], entry.path(), info["file_name"], info["sha256"], info["encoding"],
                          info["file_format"], info["columns"], frame, as_of, info["agency"], [])
        except Exception:  # a damaged cache is only a cache: parse the archived original again
            pass
    as_of = dt.date.fromisoformat(entry.as_of) if entry.as_of else None
    parsed = parse_file(entry.kind, entry.path(), as_of, entry.agency, entry.file_name)
    store_parsed(entry, parsed)
    return parsed


def store_parsed(entry: archive.Entry, parsed: Parsed) -> None:
    """Write the cache atomically (data first, then the sidecar that marks it complete)."""
    data, meta = _paths(entry)
    data.parent.mkdir(parents=True, exist_ok=True)
    try:
        _atomic(data, lambda tmp: parsed.frame.to_parquet(tmp, index=False))
    except (ValueError, TypeError, NotImplementedError, OSError, ArithmeticError):
        return  # a frame Parquet cannot hold is simply parsed again next time
    info = {"kind": parsed.kind, "file_name": parsed.file_name, "sha256": parsed.sha256,
            "encoding": parsed.encoding, "file_format": parsed.file_format,
            "columns": parsed.columns, "agency": parsed.agency,
            "as_of": parsed.as_of.isoformat() if parsed.as_of else None}
    _atomic(meta, lambda tmp: Path(tmp).write_text(json.dumps(info, ensure_ascii=False),
                                                   encoding="utf-8"))


def _atomic(target: Path, write) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def parsed_imports() -> list[tuple[archive.Entry, Parsed]]:
    return [(entry, parsed_entry(entry)) for entry in archive.active_entries()]
