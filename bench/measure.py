"""Data work of every page, the pandas baseline and memory, on one kept data folder, in a fresh process.

    python -m bench.measure DIR [--repeat 9] > figures.json

DIR is a data folder (KPI_DATA_DIR) made by bench/grow.py or bench/synth.py. Prints JSON: counter
rows, the time to open the store (once per data version per process), each page's engine calls
under the default filters (kpi/metrics/page_calls.py), served as pages serve them (the figures
published with the version, read as by a fresh process) and computed on demand, the pandas
comparison, and this process's peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path


def stats(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return {"median_ms": round(statistics.median(values) * 1000, 2), "p95_ms": round(p95 * 1000, 2),
            "n": len(values)}


def timed(fn: Callable[[], object], repeat: int) -> tuple[dict[str, float], object]:
    """Wall and CPU time (every thread of this process): on a machine shared with other work the
    CPU time is the steadier figure; on an idle one the wall time is what a person waits."""
    fn()  # warm the OS cache and DuckDB's; what a page sees after the first visitor
    times, cpu, result = [], [], None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return stats(times) | {"cpu_median_ms": round(statistics.median(cpu) * 1000, 2)}, result


def baseline_pairs(gw, scope, national):
    """(name, duckdb mart, pandas baseline, check) for the KPIs both compute."""
    from bench import baseline
    from kpi.metrics import awards, feedback, usage
    from kpi.store import read_manifest

    version = read_manifest()
    agencies = list(national.agencies)

    def same_usage(duck, pand) -> bool:
        d = duck.set_index("agency").loc[pand.index]
        return bool((d["downloads"].astype(int) == pand["downloads"].astype(int)).all()
                    and (d["views_growth"].fillna(0).astype(int)
                         == pand["views_growth"].astype(int)).all())

    return [
        ("agency_usage (all agencies, growth)", lambda: usage.agency_usage(gw, national),
         lambda: baseline.agency_usage(version, national.as_of, national.since, agencies),
         same_usage),
        ("ranking (ministry)", lambda: usage.ranking(gw, scope),
         lambda: baseline.ranking(version, scope.as_of, list(scope.agencies)),
         lambda d, p: d["downloads"].tolist() == p["downloads"].tolist()),
        ("feedback 6-day ratio (all agencies)", lambda: feedback.feedback_summary(gw, _all_time(national)),
         lambda: baseline.feedback_summary(version, agencies),
         lambda d, p: int(d["on_time"].sum()) == int(p.get("on_time", 0).sum())),
        ("popularity (portal)", lambda: awards.popularity(gw, national),
         lambda: baseline.popularity(version, national.as_of),
         lambda d, p: abs(d["popularity_score"].iloc[0] - p["popularity_score"].iloc[0]) < 1e-9),
    ]


def _page_run(gw, calls, published: bool = True) -> tuple[list[float], list[float]]:
    """One page's engine calls in order, starting with an empty query cache (kpi/store/query_cache.py):
    what its first visitor waits for when no other page has run. ``published``: served as a page
    serves them (kpi/store/figures.py), the figures file read anew as by a fresh process; else
    computed on demand. Wall and CPU seconds per call."""
    from kpi.store import figures

    gw.cache.clear()
    if published:
        gw.published = figures.Published(gw.version.files(figures.TABLE))
    wall, cpu = [], []
    for fn, args, kw in calls:
        t, c = time.perf_counter(), time.process_time()
        figures.serve(gw, fn, args, kw) if published else fn(gw, *args, **kw)
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return wall, cpu


def _all_time(scope):
    from dataclasses import replace

    return replace(scope, since=None)


def _medians(runs, prefix: str) -> dict[str, float]:
    return {f"{prefix}_median_ms": round(statistics.median(sum(r[0]) for r in runs) * 1000, 2),
            f"{prefix}_cpu_ms": round(statistics.median(sum(r[1]) for r in runs) * 1000, 2)}


def measure_queries(repeat: int) -> tuple[dict, dict]:
    """Per page (group view): `_data_work_*` as served (published figures, fresh-process read),
    `_computed_*` on demand; `_agencies_max_ms`: the slowest of the six agencies' views, served."""
    from kpi.metrics.page_calls import page_calls, views
    from kpi.metrics.scope import resolve_scope
    from kpi.store import gateway

    gw = gateway()
    scope = resolve_scope(gw)
    national = resolve_scope(gw, national=True)
    every_view = views(gw)
    per_view = [page_calls(v) for v in every_view]
    pages = {}
    for page, calls in per_view[0].items():  # exactly what each page computes (kpi/metrics/page_calls.py)
        runs = [_page_run(gw, calls, published=False) for _ in range(repeat + 1)][1:]  # first warms DuckDB/OS
        pages[page] = {f"{i}:{fn.__qualname__}": stats([r[0][i] for r in runs])
                       | {"cpu_median_ms": round(statistics.median(r[1][i] for r in runs) * 1000, 2)}
                       for i, (fn, _, _) in enumerate(calls)}
        pages[page] |= _medians(runs, "_computed")
        pages[page] |= _medians([_page_run(gw, calls) for _ in range(repeat)], "_data_work")
        pages[page]["_agencies_max_ms"] = max(
            _medians([_page_run(gw, v[page]) for _ in range(max(3, repeat // 3))], "_x")["_x_median_ms"]
            for v in per_view[1:])
    every = [c for calls in per_view[0].values() for c in calls]  # the group's pages in a row
    runs = [_page_run(gw, every, published=False) for _ in range(max(3, repeat // 3))]
    pages["_every_page_shared_cache"] = _medians(runs, "_computed")
    pages["_published"] = {"entries": len(gw.published), "file_bytes": sum(
        p.stat().st_size for p in gw.version.files("page_figures"))}
    comparisons = {}
    for name, duck, pand, check in baseline_pairs(gw, scope, national):
        d_stats, d_res = timed(lambda f=duck: (gw.cache.clear(), f())[1], repeat)  # no cached result
        p_stats, p_res = timed(pand, max(3, repeat // 3))
        comparisons[name] = {"duckdb": d_stats, "pandas": p_stats,
                             "speedup": round(p_stats["median_ms"] / max(d_stats["median_ms"], 1e-3), 1),
                             "speedup_cpu": round(p_stats["cpu_median_ms"]
                                                  / max(d_stats["cpu_median_ms"], 1e-3), 1),
                             "same_result": bool(check(d_res, p_res))}
    return pages, comparisons


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("dir", type=Path)
    ap.add_argument("--repeat", type=int, default=9)
    a = ap.parse_args(argv)
    os.environ["KPI_DATA_DIR"] = str(a.dir)
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
