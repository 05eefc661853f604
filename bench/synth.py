"""A 10× history in minutes: a grown store's weekly snapshot files repeated under later dates.

    python -m bench.synth SRC_DATA DST_DATA --snapshots 240

Importing 240 snapshots one by one is the honest way (bench/grow.py) but on a loaded 2-core
machine it ran at 28–43 s per import; this copies a grown data folder (the archive too, so the
inputs fingerprint stays the same and nothing rebuilds) and publishes one version whose counter
has the generated snapshots' files hard-linked again under further weekly dates until there are
`snapshots` of them, with the snapshot table and counter_total extended to match. Rows per
snapshot, file sizes and query shapes are those of real generated snapshots; counters jump back at
each repetition (seen as resets), which costs the queries nothing. For query timings only: an
import or a rebuild of this folder would rebuild from the archive (1× history).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import time
from pathlib import Path

import duckdb
import pandas as pd


def synthesize(src: Path, dst: Path, snapshots: int) -> dict:
    from kpi.build.checks import check_version
    from kpi.store import partition_key, read_manifest, year_files

    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("versions"), symlinks=True)
    prev = read_manifest(src / "store")
    files = {dt.date.fromisoformat(partition_key(p)): p for p in prev.files("counter")}
    generated = sorted(d for d in files if d > dt.date(2018, 7, 20))
    snap = pd.read_parquet(prev.files("snapshot")[0])
    snap["snapshot_date"] = pd.to_datetime(snap["snapshot_date"]).dt.date
    totals = pd.read_parquet(prev.files("counter_total")[0])
    totals["snapshot_date"] = pd.to_datetime(totals["snapshot_date"]).dt.date
    day, extra_snap, extra_tot, links = max(files), [], [], {}
    i = 0
    while len(files) + len(links) < snapshots:
        day += dt.timedelta(days=7)
        source = generated[i % len(generated)]
        i += 1
        links[day] = files[source]
        extra_snap.append(snap[snap["snapshot_date"] == source].assign(snapshot_date=day))
        extra_tot.append(totals[totals["snapshot_date"] == source].assign(snapshot_date=day))
    if day > dt.date.today():
        raise ValueError(f"{snapshots} weekly snapshots run into the future ({day})")
    tables = {"snapshot": pd.concat([snap, *extra_snap], ignore_index=True),
              "counter_total": pd.concat([totals, *extra_tot], ignore_index=True)}
    folder = dst / "store" / "versions" / prev.path.name
    listing = {name: list(rels) for name, rels in json.loads(
        (prev.path / "TABLES.json").read_text(encoding="utf-8")).items()}
    for name, rels in listing.items():  # every file of the grown version, hard-linked
        for rel in rels:
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            if name not in tables:
                os.link(prev.path / rel, folder / rel)
    con = duckdb.connect()
    for name, frame in tables.items():
        con.from_df(frame).write_parquet(str(folder / f"{name}.parquet"))
    for when, source in links.items():  # the repeated snapshot files under their new dates
        rel = f"counter/snapshot_date={when.isoformat()}/data.parquet"
        (folder / rel).parent.mkdir(parents=True)
        os.link(source, folder / rel)
        listing["counter"].append(rel)
    listing["counter"].sort()
    started = time.perf_counter()
    year_files.write(con, folder, listing)  # the closed years' archives, as a build writes them
    archived = round(time.perf_counter() - started, 2)
    (folder / "TABLES.json").write_text(json.dumps(listing, ensure_ascii=False), encoding="utf-8")
    manifest = json.loads((src / "store" / "CURRENT.json").read_text(encoding="utf-8"))
    manifest["tables"] = listing
    manifest["meta"]["snapshots"] = sorted(map(str, [*files, *links]))
    (dst / "store" / "CURRENT.json").write_text(json.dumps(manifest, ensure_ascii=False),
                                                encoding="utf-8")
    check_version(read_manifest(dst / "store"), dates=[max(links)])
    started = time.perf_counter()
    published = republish(dst)
    return {"snapshots": len(files) + len(links), "generated": len(generated),
            "last": max(links).isoformat(), "archives": len(listing.get(year_files.TABLE, [])),
            "archive_write_s": archived, "figures": published,
            "figures_s": round(time.perf_counter() - started, 2)}


def republish(dst: Path) -> int:
    """The page figures of the synthetic version, as a build publishes them. The copied ones belong
    to the grown (1×) history, and a call whose arguments match (the snapshot list, the plan years)
    would be served the 1× answer."""
    from kpi.build.figures import publish
    from kpi.store import figures, read_manifest

    version = read_manifest(dst / "store")
    (version.path / figures.FILE).unlink(missing_ok=True)  # a hard link to the 1× file
    publish(version)
    return len(figures.Published(version.files(figures.TABLE)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("src", type=Path)
    ap.add_argument("dst", type=Path)
    ap.add_argument("--snapshots", type=int, default=240)
    a = ap.parse_args()
    print(synthesize(a.src, a.dst, a.snapshots))


if __name__ == "__main__":
    main()
