"""The store: versioned Parquet tables plus one DuckDB gateway through which every query runs.

Why Parquet + manifest instead of one DuckDB file: the running dashboard and a command-line import
must never fight over a file lock. A writer builds a complete new version folder, then swaps the
small ``CURRENT.json`` manifest with an atomic rename. Each process reads a version into its own
in-memory DuckDB, so a reader sees either the old or the new version, never half of one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from kpi.config.paths import store_dir
from kpi.config.tunables import default
from kpi.store import year_files
from kpi.store.year_files import partition_key

MANIFEST = "CURRENT.json"


class StoreMissing(RuntimeError):
    """No store has been built yet in this data folder."""


PARTITIONED = {"counter": "snapshot_date"}  # one Parquet file per snapshot, hive layout
# versions kept and how old one must be to go: kpi/config/tunables.py
KEEP_VERSIONS, PRUNE_AFTER_S = default("KEEP_VERSIONS"), default("PRUNE_AFTER_S")


@dataclass(frozen=True)
class Version:
    version_id: str
    path: Path
    tables: dict[str, list[str]]
    built_at: str
    inputs: list[dict[str, Any]]
    meta: dict[str, Any]

    def files(self, table: str) -> list[Path]:
        return [self.path / f for f in self.tables.get(table, [])]


def read_manifest(root: Path | None = None) -> Version:
    root = root or store_dir()
    try:
        meta = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreMissing(f"尚未建立資料庫：請先執行 python -m kpi build（{root}）") from None
    tables = {k: ([v] if isinstance(v, str) else v) for k, v in meta["tables"].items()}
    return Version(meta["version_id"], root / "versions" / meta.get("folder", meta["version_id"]), tables,
                   meta["built_at"], meta.get("inputs", []), meta.get("meta", {}))


def current_version_id(root: Path | None = None) -> str | None:
    try:
        return read_manifest(root).version_id
    except StoreMissing:
        return None


def fingerprint(parts: list[Any]) -> str:
    """Version id from the inputs: the same inputs give the same id, so a rebuild is a no-op."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:16]


def write_version(tables: dict[str, pd.DataFrame], version_id: str, built_at: str,
                  inputs: list[dict[str, Any]], root: Path | None = None, replace: bool = False,
                  partitions: dict[str, dict[str, pd.DataFrame]] | None = None,
                  links: dict[str, list[Path]] | None = None, meta: dict[str, Any] | None = None,
                  check: Callable[[Version], dict[str, list[str]] | None] | None = None) -> Version:
    """Write every table of a version, then publish it by renaming the manifest into place.

    ``partitions`` writes a table as one file per key (the counter: one per snapshot); ``links``
    reuses files of an earlier version by hard link, so appending one snapshot to ten years of
    history writes one file. ``check`` sees the finished folder before anything is published (and
    lists files it added); if it (or a write: a full disk) fails, the folder is removed."""
    versions = (root := root or store_dir()) / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    # a forced rebuild gets a folder of its own: the live one is never moved while read
    folder = f"{version_id}-{uuid.uuid4().hex[:8]}" if replace else version_id
    final = versions / folder
    listing: dict[str, list[str]] = {}
    if final.exists():  # same inputs, same version: publish it again, write nothing
        listing = json.loads((final / "TABLES.json").read_text(encoding="utf-8"))  # as written inside it
        return _publish(root, version_id, folder, built_at, inputs, meta, listing)
    tmp = Path(tempfile.mkdtemp(prefix=f".{version_id}-", dir=versions))
    try:
        _write_tables(tmp, tables, partitions, links, listing)
        listing = {k: sorted(v) for k, v in listing.items()}
        if check is not None:  # it may add files derived from the checked tables (page figures)
            listing.update(check(Version(version_id, tmp, listing, built_at, inputs, meta or {})) or {})
        (tmp / "TABLES.json").write_text(json.dumps(listing, ensure_ascii=False), encoding="utf-8")
        os.chmod(tmp, 0o755)  # mkdtemp makes 0700; a separate service account must read the store
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        return _publish(root, version_id, folder, built_at, inputs, meta, listing)
    except BaseException:
        with contextlib.suppress(OSError, ValueError, KeyError):
            if json.loads((root / MANIFEST).read_text(encoding="utf-8"))["folder"] != folder:
                shutil.rmtree(final, ignore_errors=True)  # never published: the current one stays
        raise


def _write_tables(tmp: Path, tables: dict[str, pd.DataFrame],
                  partitions: dict[str, dict[str, pd.DataFrame]] | None,
                  links: dict[str, list[Path]] | None, listing: dict[str, list[str]]) -> None:
    con = duckdb.connect(":memory:")
    try:
        for name, frame in tables.items():
            con.from_df(frame).write_parquet(str(tmp / f"{name}.parquet"))
            listing[name] = [f"{name}.parquet"]
        for name, parts in (partitions or {}).items():
            column = PARTITIONED[name]
            for key, frame in parts.items():
                rel = f"{name}/{column}={key}/data.parquet"  # hive layout: pruned by path
                (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
                con.from_df(frame.drop(columns=[column], errors="ignore")).write_parquet(str(tmp / rel))
                listing.setdefault(name, []).append(rel)
        for name, paths in (links or {}).items():
            for src in paths:
                rel = _relative_to_version(src)
                dst = tmp / rel
                dst.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(src, dst)
                except OSError:
                    shutil.copyfile(src, dst)
                listing.setdefault(name, []).append(str(rel))
        if year_files.SOURCE in listing:
            year_files.write(con, tmp, listing)
    finally:
        con.close()


def _relative_to_version(path: Path) -> Path:
    """versions/<id>/counter/snapshot_date=…/data.parquet → counter/snapshot_date=…/data.parquet."""
    for parent in path.parents:
        if parent.parent.name == "versions":
            return path.relative_to(parent)
    raise ValueError(f"{path} is not inside a store version")


def _publish(root: Path, version_id: str, folder: str, built_at: str, inputs: list[dict[str, Any]],
             meta: dict[str, Any] | None, listing: dict[str, list[str]]) -> Version:
    manifest = {"version_id": version_id, "folder": folder, "built_at": built_at, "tables": listing,
                "inputs": inputs, "meta": meta or {}}
    from kpi.faults.staging import write_whole  # fsync'd, renamed in, no temp left on failure

    write_whole(root / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
    _prune(root / "versions", keep={folder})
    return read_manifest(root)


def _prune(versions: Path, keep: set[str]) -> None:
    """Drop versions beyond KEEP_VERSIONS no reader can still be loading, and dead temp folders."""
    now = time.time()
    for old in versions.glob(".*"):
        if old.is_dir() and now - old.stat().st_mtime > 3600:
            shutil.rmtree(old, ignore_errors=True)
    dirs = sorted((p for p in versions.iterdir() if p.is_dir() and not p.name.startswith(".")),
                  key=lambda p: p.stat().st_mtime, reverse=True)
    for old in dirs[KEEP_VERSIONS:]:
        if old.name not in keep and now - old.stat().st_mtime > PRUNE_AFTER_S:
            shutil.rmtree(old, ignore_errors=True)


# the gateway reads a version; it needs Version and read_manifest above (kpi/store/database.py)
from kpi.store.database import (  # noqa: E402
    _GATEWAYS,
    MATERIALIZE_MAX_ROWS,
    MEMORY_LIMIT,
    Gateway,
    gateway,
)

__all__ = [
    "MANIFEST",
    "MATERIALIZE_MAX_ROWS",
    "MEMORY_LIMIT",
    "PARTITIONED",
    "_GATEWAYS",
    "Gateway",
    "StoreMissing",
    "Version",
    "current_version_id",
    "fingerprint",
    "gateway",
    "partition_key",
    "read_manifest",
    "write_version",
]
