"""Data work of every page, the pandas baseline and memory, on one kept data folder, in a fresh process.

    python -m bench.measure DIR [--repeat 9] > figures.json

DIR is a data folder (KPI_DATA_DIR) made by bench/grow.py or bench/synth.py. Prints JSON: counter
rows, the time to open the store (once per data version per process), each page's engine calls
under the default filters (kpi/metrics/warm.py: what a page computes when its cache is cold), the pandas
comparison, and this process's peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("dir", type=Path)
    ap.add_argument("--repeat", type=int, default=9)
    a = ap.parse_args(argv)
    os.environ["KPI_DATA_DIR"] = str(a.dir)
    from bench.run import measure_queries
    from kpi.store import gateway, read_manifest

    t = time.perf_counter()
    gw = gateway()
    opened = time.perf_counter() - t
    pages, comparisons = measure_queries(a.repeat)
    status = Path("/proc/self/status").read_text().splitlines()
    hwm = next(x for x in status if x.startswith("VmHWM")).split()[1]
    out = {"data": str(a.dir), "snapshots": len(read_manifest().meta.get("snapshots", [])),
           "counter_rows": int(gw.scalar("SELECT count(*) FROM counter")),
           "hot_snapshots": len(gw.hot_partitions.get("counter", [])),
           "open_store_s": round(opened, 2), "queries": pages, "pandas_baseline": comparisons,
           "peak_rss_mb": round(int(hwm) / 1024, 1), "load_avg": os.getloadavg()}
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
