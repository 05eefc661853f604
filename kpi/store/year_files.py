"""Yearly files of the counter: one Parquet file per closed year, beside the per-snapshot files.

Why: a query reads the newest snapshots from memory and older ones in place (kpi.store). With one
file per weekly snapshot, ten years are ~500 files, and DuckDB binds every file of a view on every
query — measured at 10× national (246 cold files) ≈ 7–40 ms per counter query whatever date it
asks for. A closed year never changes (an import only appends later snapshots), so its snapshots
are also written once as one file sorted by date, whose row-group statistics prune a date query to
the row groups of that date. The per-snapshot files stay the source of truth (builds check them,
appends hard-link them); an archive is derived, verified against them when written, and found by
name: ``counter_year/year=YYYY/<fingerprint of that year's snapshot dates>.parquet``, so an
archive that does not cover exactly this version's dates of its year is never used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import duckdb

TABLE = "counter_year"
SOURCE = "counter"
COLUMN = "snapshot_date"


def _fingerprint(keys: list[str]) -> str:
    return hashlib.sha256(",".join(sorted(keys)).encode()).hexdigest()[:12]


def partition_key(path: Path | str) -> str:
    """The partition value of a partitioned table's file: counter/snapshot_date=2019-01-04/… →
    2019-01-04."""
    return Path(path).parent.name.split("=", 1)[1]


def expected(source_files: list[str]) -> dict[str, list[str]]:
    """Archive path (relative to the version) → the per-snapshot files it holds: every year
    before the newest snapshot's year (that one still grows)."""
    by_year: dict[str, list[str]] = {}
    for rel in source_files:
        by_year.setdefault(partition_key(rel)[:4], []).append(rel)
    newest = max(by_year, default="")
    return {f"{TABLE}/year={year}/{_fingerprint([partition_key(r) for r in rels])}.parquet": sorted(rels)
            for year, rels in by_year.items() if year < newest}


def write(con: duckdb.DuckDBPyConnection, folder: Path, listing: dict[str, list[str]]) -> None:
    """Give ``folder`` (a version being written) the archives its counter files call for.

    Archives already there (hard-linked from the previous version, same dates) are kept; others
    are written and checked row for row against their source files; stale ones are removed.
    """
    want = expected(listing.get(SOURCE, []))
    for rel in listing.get(TABLE, []):
        if rel not in want:
            (folder / rel).unlink(missing_ok=True)
    for rel, sources in want.items():
        target = folder / rel
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        files = [str(folder / s) for s in sources]
        src = con.read_parquet(files, hive_partitioning=True, union_by_name=True)
        src.order(f"{COLUMN}, dataset_id").write_parquet(str(target), row_group_size=32_768)
        _verify(con, files, target)
    listing[TABLE] = sorted(want)
    if not want:
        listing.pop(TABLE, None)


def _verify(con: duckdb.DuckDBPyConnection, files: list[str], target: Path) -> None:
    """The archive holds exactly its sources' rows: per date, rows, views and downloads."""
    per_date = ("SELECT snapshot_date, count(*), sum(views), sum(downloads), sum(hash(dataset_id)) "
                "FROM read_parquet(?, hive_partitioning = true, union_by_name = true) GROUP BY ALL ORDER BY ALL")
    a = con.execute(per_date, [files]).fetchall()
    b = con.execute(per_date, [[str(target)]]).fetchall()
    if a != b:
        target.unlink(missing_ok=True)
        raise RuntimeError(f"年度彙整檔與各快照檔不一致，未發佈：{target.name}")


def _readable(path: Path) -> bool:
    """The yearly file's footer reads: a cache of the per-snapshot files, never needed whole."""
    import pyarrow.parquet as pq

    try:
        pq.read_metadata(path)
    except Exception:  # damaged, truncated or missing: read the sources it was made from
        return False
    return True


def cold_view(con: duckdb.DuckDBPyConnection, version_path: Path, listing: dict[str, list[str]],
              oldest_hot: str, name: str, by_name: bool) -> None:
    """View ``name``: the counter rows older than ``oldest_hot``, from yearly archives where this
    version has them and from per-snapshot files otherwise; it says the dates are older than the
    hot ones, so a query for a hot date is pruned to the in-memory table at plan time."""
    archives = {rel: srcs for rel, srcs in expected(listing.get(SOURCE, [])).items()
                if rel in listing.get(TABLE, []) and partition_key(srcs[0]) < oldest_hot
                and _readable(version_path / rel)}  # a damaged one: its snapshots' own files
    covered = {s for srcs in archives.values() for s in srcs}
    loose = [str(version_path / r) for r in listing.get(SOURCE, [])
             if r not in covered and partition_key(r) < oldest_hot]
    parts = []
    if archives:
        parts.append(con.read_parquet([str(version_path / r) for r in sorted(archives)]))
    if loose:
        parts.append(con.read_parquet(loose, hive_partitioning=True, union_by_name=by_name))
    before = f"{COLUMN} < DATE '{dt.date.fromisoformat(oldest_hot).isoformat()}'"  # checked date
    views = []
    for i, rel in enumerate(parts):
        rel.filter(before).create_view(f"{name}_{i}")
        views.append(f"FROM {name}_{i}")
    con.execute(f"CREATE VIEW {name} AS " + " UNION ALL BY NAME ".join(views))
