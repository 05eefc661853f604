"""Time importing one national snapshot into a kept data folder, without changing that folder.

    python -m bench.import_one DIR [--days 7] [--profile 15] > import.json

DIR (made by bench/grow.py or bench/synth.py) is copied with hard links (the store never changes
a file in place: every write makes a new version folder), the next weekly snapshot is generated
from the real 2018 export (bench/generate.py) and imported through the real path: preview (parse
and check the file) then kpi.service.commit (append path: one new counter file, the small tables,
the build check of the new snapshot, an archive when the import closes a year). `--days` past the
newest snapshot; a date in the next calendar year measures the import that writes a yearly
archive. `--profile N` prints the N largest cumulative entries of a cProfile of the commit.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("dir", type=Path)
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--profile", type=int, default=0)
    a = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="kpi-import-"))
    data = work / "data"
    shutil.copytree(a.dir, data, copy_function=os.link)
    os.environ["KPI_DATA_DIR"] = str(data)
    from bench.generate import load_base, step, write_usage
    from kpi.service import commit, preview
    from kpi.store import read_manifest

    before = read_manifest()
    day = dt.date.fromisoformat(before.meta["snapshots"][-1]) + dt.timedelta(days=a.days)
    path = work / f"statistics_{day:%Y%m%d}.csv"
    write_usage(step(load_base(seed=11), day), path)
    t = time.perf_counter()
    parsed = preview("usage", path, day)
    previewed = time.perf_counter() - t
    profiler = cProfile.Profile() if a.profile else None
    t = time.perf_counter()
    if profiler:
        profiler.enable()
    commit(parsed, "benchmark")
    if profiler:
        profiler.disable()
    committed = time.perf_counter() - t
    after = read_manifest()
    out = {"data": str(a.dir), "snapshots_before": len(before.meta["snapshots"]), "as_of": day.isoformat(),
           "rows": len(parsed.frame),
           "preview_s": round(previewed, 2), "commit_s": round(committed, 2),
           "total_s": round(previewed + committed, 2),
           "archives_before": len(before.tables.get("counter_year", [])),
           "archives_after": len(after.tables.get("counter_year", [])),
           "load_avg": os.getloadavg()}
    json.dump(out, sys.stdout, indent=1)
    if profiler:
        buf = io.StringIO()
        pstats.Stats(profiler, stream=buf).sort_stats("cumulative").print_stats(a.profile)
        print("\n" + buf.getvalue(), file=sys.stderr)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
