"""Grow a data folder's history through the real import path (benchmark input), and keep it.

    python -m bench.grow DIR --snapshots 240      # 10× national: 240 weekly snapshots

DIR gets a copy of data/ (raw, seed, default imports), a first build, the snapshots imported one
by one (each through kpi.service.commit, the append path) and the feedback of the whole period in
one export, then a forced full rebuild; DIR/growth.json records the times. Measuring the pages
afterwards (python -m bench.measure DIR) reads the kept folder, so the slow part runs once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.measure import stats
from kpi.config.paths import REPO_ROOT


def copy_data(root: Path) -> Path:
    src = REPO_ROOT / "data"
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(src / "raw", root / "raw")
    shutil.copytree(src / "seed", root / "seed")
    shutil.copy(src / "default_imports.json", root / "default_imports.json")
    return root


def grow(root: Path, months: int, log: Callable[[str], None]) -> dict:
    """`months` weekly snapshots (the name is historical) and national-volume feedback."""
    from bench.generate import load_base, snapshot_dates, step, write_feedback, write_usage
    from kpi.build import rebuild
    from kpi.service import commit, preview

    os.environ["KPI_DATA_DIR"] = str(root)
    t = time.perf_counter()
    rebuild()
    first_build = time.perf_counter() - t
    history = load_base()
    work = root.parent / "generated"
    work.mkdir(exist_ok=True)
    import_times, rows = [], 0
    next_id = 100_000
    feedback_files = []
    for i, day in enumerate(snapshot_dates(dt.date(2018, 7, 20), months)):
        frame = step(history, day)
        path = work / f"statistics_{day:%Y%m%d}.csv"
        write_usage(frame, path)
        rows += len(frame)
        t = time.perf_counter()
        commit(preview("usage", path, day), "benchmark")
        import_times.append(time.perf_counter() - t)
        path.unlink()
        fb = work / f"feedback_{day:%Y%m%d}.csv"
        next_id = write_feedback(frame, day, next_id, history.rng, fb)
        feedback_files.append(fb)
        if (i + 1) % 12 == 0:
            log(f"  {i + 1}/{months} snapshots, last import {import_times[-1]:.2f} s")
    # all feedback of the period in one portal export, as the office downloads it
    import pandas as pd

    feedback_import = None
    if feedback_files:
        merged = work / "feedback_all.csv"
        pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False) for f in feedback_files]) \
            .to_csv(merged, index=False, encoding="utf-8-sig")
        t = time.perf_counter()
        commit(preview("feedback", merged, snapshot_dates(dt.date(2018, 7, 20), months)[-1]),
               "benchmark")
        feedback_import = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    rebuild(force=True)
    full_rebuild = time.perf_counter() - t
    return {"first_build_s": round(first_build, 2), "snapshots_imported": months,
            "counter_rows_imported": rows,
            "import_per_snapshot": stats(import_times) if import_times else None,
            "import_max_ms": round(max(import_times) * 1000, 1) if import_times else None,
            "feedback_items": next_id - 100_000, "feedback_import_s": feedback_import,
            "full_rebuild_s": round(full_rebuild, 2)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("dir", type=Path)
    ap.add_argument("--snapshots", type=int, default=240)
    args = ap.parse_args(argv)
    root = copy_data(args.dir / "data")
    t = time.perf_counter()
    growth = grow(root, args.snapshots, lambda m: print(m, file=sys.stderr, flush=True))
    growth["total_s"] = round(time.perf_counter() - t, 1)
    growth["when"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    (args.dir / "growth.json").write_text(json.dumps(growth, indent=1), encoding="utf-8")
    print(json.dumps(growth, indent=1))


if __name__ == "__main__":
    main()
