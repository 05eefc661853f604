"""One in-memory DuckDB over one store version: the gateway every query goes through.

Why its own module: the store's __init__ writes and publishes versions; this reads one. Tables are
loaded at the first query (or at once, for callers that want a load failure to surface while the
newest version can still be chosen instead), so a page served from the published figures reads
none (kpi/store/figures.py).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from kpi.config.paths import store_dir
from kpi.config.tunables import default
from kpi.store import PARTITIONED, Version, figures, layers, read_manifest, year_files
from kpi.store.query_cache import QueryCache
from kpi.store.year_files import partition_key

# DuckDB's own memory and the rows kept in memory: kpi/config/tunables.py
MEMORY_LIMIT, MATERIALIZE_MAX_ROWS = default("MEMORY_LIMIT"), default("MATERIALIZE_MAX_ROWS")


class Gateway:
    """One in-memory DuckDB over one store version; every query goes through ``query`` (bound
    ``?`` parameters, never SQL assembled from data; a cursor per call so Streamlit's threads can
    share it; results kept per version: kpi/store/query_cache.py)."""

    def __init__(self, version: Version, hot_rows: int | None = None, lazy: bool = False):
        self.version, self.cache, self.published = version, QueryCache(), figures.Published(version.files(figures.TABLE))
        self._hot_rows = MATERIALIZE_MAX_ROWS if hot_rows is None else hot_rows
        self._opened: duckdb.DuckDBPyConnection | None = None
        self._open_lock = threading.Lock()
        self._materialized: dict[str, bool] = {}  # partitioned: True when every file is in memory
        self._hot_partitions: dict[str, list[str]] = {}  # in memory; the rest read in place
        if not lazy:
            self.open()

    def open(self) -> None:
        """Load the tables into DuckDB (once). A lazy gateway does this at its first query, so a
        page served wholly from the published figures never waits for it (kpi/store/figures.py)."""
        with self._open_lock:
            if self._opened is not None:
                return
            con = duckdb.connect(":memory:")
            try:
                con.execute("SET parquet_metadata_cache = true")
                con.execute("SET memory_limit = ?", [MEMORY_LIMIT])
                for name in self.version.tables:
                    if name in (year_files.TABLE, figures.TABLE):  # derived: read through a view / by lookup
                        continue
                    files = [str(p) for p in self.version.files(name)]
                    if name in PARTITIONED:
                        self._partitioned(con, name, files)
                    else:
                        con.read_parquet(files).create(name)
                        self._materialized[name] = True
                layers.define(con, set(self.version.tables))  # core views, then the marts over them
            except BaseException:
                con.close()
                raise
            self._opened = con

    @property
    def opened(self) -> bool:
        return self._opened is not None

    @property
    def _con(self) -> duckdb.DuckDBPyConnection:
        if self._opened is None:
            self.open()
        return self._opened

    @property
    def materialized(self) -> dict[str, bool]:
        self.open()
        return self._materialized

    @property
    def hot_partitions(self) -> dict[str, list[str]]:
        self.open()
        return self._hot_partitions

    def _partitioned(self, con: duckdb.DuckDBPyConnection, name: str, files: list[str]) -> None:
        """Newest partitions up to hot_rows rows in memory, older ones read in place."""
        same = con.execute(  # by name only if files differ: it re-reads footers per query
            "SELECT count(DISTINCT s) = 1 FROM (SELECT string_agg(name || type, ',' ORDER BY name) AS s "
            "FROM parquet_schema(?) GROUP BY file_name)", [files]).fetchone()[0]
        per_key: dict[str, int] = {}
        for file_name, n in con.execute(
                "SELECT file_name, num_rows FROM parquet_file_metadata(?)", [files]).fetchall():
            per_key[partition_key(Path(file_name))] = per_key.get(partition_key(Path(file_name)), 0) + n
        hot: list[str] = []
        for key in sorted(per_key, reverse=True):  # newest first, until the budget is spent
            if sum(per_key[k] for k in hot) + per_key[key] > self._hot_rows:
                break
            hot.append(key)
        if len(hot) == len(per_key) or not hot:  # all in memory, or (a build check) all in place
            relation = con.read_parquet(files, hive_partitioning=True, union_by_name=not same)
            relation.create(name) if hot else relation.create_view(name)
        else:  # cold: yearly archives + loose files, pruned at plan time for hot dates
            con.read_parquet([f for f in files if partition_key(Path(f)) in hot],
                             hive_partitioning=True, union_by_name=not same).create(f"{name}_hot")
            year_files.cold_view(con, self.version.path, self.version.tables,
                                 min(hot), f"{name}_cold", by_name=not same)
            con.execute(f"CREATE VIEW {name} AS FROM {name}_hot UNION ALL BY NAME FROM {name}_cold")
        self._materialized[name], self._hot_partitions[name] = len(hot) == len(per_key), sorted(hot)

    @property
    def version_id(self) -> str:
        return self.version.version_id

    def query(self, sql: str, params: list[Any] | tuple[Any, ...] | None = None) -> pd.DataFrame:
        return self.cache.get(sql, list(params or []), lambda: self._run(sql, list(params or [])))

    def _run(self, sql: str, params: list[Any]) -> pd.DataFrame:
        cur = self._con.cursor()
        try:
            return cur.execute(sql, params).df()
        finally:
            cur.close()

    def execute(self, sql: str, params: list[Any] | None = None) -> None:  # DDL (build checks)
        self.cache.clear()
        self._con.execute(sql, list(params or []))

    def scalar(self, sql: str, params: list[Any] | tuple[Any, ...] | None = None) -> Any:
        return self.cache.value(sql, list(params or []), lambda: self._one(sql, list(params or [])))

    def _one(self, sql: str, params: list[Any]) -> Any:
        cur = self._con.cursor()
        try:
            row = cur.execute(sql, params).fetchone()
            return row[0] if row else None
        finally:
            cur.close()

    def has_table(self, name: str) -> bool:
        """Whether this version has the table or view (an import kind never imported has none)."""
        return bool(self.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]))

    def close(self) -> None:
        if self._opened is not None:
            self._opened.close()
        self.cache.clear()


_GATEWAYS: dict[tuple[str, str], Gateway] = {}
_GATEWAY_LOCK = threading.Lock()


def gateway(root: Path | None = None, lazy: bool = False) -> Gateway:
    """The gateway for the newest published version (re-opened only when the version changes);
    a version pruned between reading the manifest and loading it: the newer one is loaded.

    ``lazy``: the tables are loaded at the first query instead (the pages: a view served from the
    published figures needs none). The version just read as current is the newest, and pruning
    keeps the newest KEEP_VERSIONS for PRUNE_AFTER_S at least, so it is still there then."""
    root = (root or store_dir()).resolve()
    for tries_left in (2, 1, 0):
        version = read_manifest(root)
        key = (str(root), str(version.path))  # a forced rebuild republishes the id in a new folder
        with _GATEWAY_LOCK:
            gw = _GATEWAYS.get(key) or Gateway(version, lazy=True)
            try:
                if not lazy:
                    gw.open()
            except (duckdb.IOException, duckdb.InvalidInputException, FileNotFoundError):
                if tries_left and read_manifest(root).path != version.path:
                    continue
                raise
            if key not in _GATEWAYS:
                for old in [k for k in _GATEWAYS if k[0] == key[0]]:
                    _GATEWAYS.pop(old)  # closed lazily by GC; a thread may still be reading it
                _GATEWAYS[key] = gw
            return gw
    raise AssertionError("unreachable")
