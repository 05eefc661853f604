"""Benchmark: import, every page's queries, every page's full run, memory, concurrency, pandas.

    python -m bench.run                    # three scales: ministry, national (24 months), ×10
    python -m bench.run --scales ministry,national --months 24 --repeat 15

Writes bench/results.json and bench/RESULTS.md (README quotes them). Figures are measurements,
never test assertions; the targets of the issue are printed next to them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.grow import copy_data as _copy_data
from bench.grow import grow
from kpi.config.paths import REPO_ROOT

OUT = REPO_ROOT / "bench"
PAGES = ["pages/overview.py", "pages/usage.py", "pages/feedback.py", "pages/plan.py",
         "pages/quality.py", "pages/public_use.py", "pages/national.py", "pages/notes.py"]


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


# ------------------------------------------------------------------------------- queries

def page_queries(gw, scope, national) -> dict[str, dict[str, Callable[[], object]]]:
    from kpi.metrics import awards, decline, feedback, lookups, plan, public_use, quality, usage
    from kpi.metrics import national as national_mart
    from kpi.report import build_report

    agencies = list(scope.agencies)
    year = 106
    return {
        "總覽": {"report": lambda: build_report(gw, scope),
                "yearly_achievement": lambda: plan.yearly_achievement(gw, scope, year),
                "portal_totals": lambda: lookups.run(gw, "portal_totals", ())},
        "使用量與排行": {"agency_usage": lambda: usage.agency_usage(gw, scope),
                     "ranking": lambda: usage.ranking(gw, scope),
                     "dataset_changes": lambda: usage.dataset_changes(gw, scope),
                     "match_kinds": lambda: lookups.run(gw, "match_kinds", (scope.as_of, agencies)),
                     "match_candidates": lambda: lookups.run(gw, "match_candidates",
                                                             (scope.as_of, agencies))},
        "民眾意見": {"feedback_summary_calendar": lambda: feedback.feedback_summary(gw, scope),
                 "feedback_summary_working": lambda: feedback.feedback_summary(gw, scope, "working"),
                 "feedback_items": lambda: feedback.feedback_items(gw, scope),
                 "requests": lambda: lookups.run(gw, "requests", (agencies,))},
        "行動方案績效": {"yearly_achievement": lambda: plan.yearly_achievement(gw, scope, year),
                     "dataset_plan": lambda: plan.dataset_plan(gw, scope)},
        "資料品質與標章": {"quality_by_agency": lambda: quality.quality_by_agency(gw, scope)},
        "全國比較": {"national_agencies": lambda: national_mart.agency_ranking(gw, scope.as_of),
                 "popularity": lambda: awards.popularity(gw, scope, True),
                 "agency_usage_all_agencies": lambda: usage.agency_usage(gw, national)},
        "民眾使用分析": {"usage_frame": lambda: public_use.usage_frame(gw, scope),
                   "decline": lambda: decline.period_usage(gw, scope)},
        "計算說明": {"snapshots": lambda: lookups.run(gw, "snapshots", ())},
    }


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


def _page_run(gw, calls) -> tuple[list[float], list[float]]:
    """One page's engine calls in order, starting with an empty query cache (kpi/store/query_cache.py):
    what its first visitor waits for when no other page has run. Wall and CPU seconds per call."""
    gw.cache.clear()
    wall, cpu = [], []
    for fn, args, kw in calls:
        t, c = time.perf_counter(), time.process_time()
        fn(gw, *args, **kw)
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return wall, cpu


def _all_time(scope):
    from dataclasses import replace

    return replace(scope, since=None)


def measure_queries(repeat: int) -> tuple[dict, dict]:
    from kpi.metrics.scope import resolve_scope
    from kpi.metrics.warm import page_calls
    from kpi.store import gateway

    gw = gateway()
    scope = resolve_scope(gw)
    national = resolve_scope(gw, national=True)
    pages = {}
    for page, calls in page_calls(gw).items():  # exactly what each page computes (kpi/metrics/warm.py)
        runs = [_page_run(gw, calls) for _ in range(repeat + 1)][1:]  # the first warms DuckDB/OS
        pages[page] = {f"{i}:{fn.__qualname__}": stats([r[0][i] for r in runs])
                       | {"cpu_median_ms": round(statistics.median(r[1][i] for r in runs) * 1000, 2)}
                       for i, (fn, _, _) in enumerate(calls)}
        pages[page]["_data_work_median_ms"] = round(statistics.median(sum(r[0]) for r in runs) * 1000, 2)
        pages[page]["_data_work_cpu_ms"] = round(statistics.median(sum(r[1]) for r in runs) * 1000, 2)
    every = [c for calls in page_calls(gw).values() for c in calls]  # the server's warm-up order
    runs = [_page_run(gw, every) for _ in range(max(3, repeat // 3))]
    pages["_every_page_shared_cache"] = {
        "_data_work_median_ms": round(statistics.median(sum(r[0]) for r in runs) * 1000, 2),
        "_data_work_cpu_ms": round(statistics.median(sum(r[1]) for r in runs) * 1000, 2)}
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


# ------------------------------------------------------------------------------- pages (AppTest)

def _apptest_run(page: str, clear: bool) -> float:
    """One full script run of a page in Streamlit's AppTest (the app's own code, no browser)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=300)
    at.run()
    at.switch_page(page)
    if clear:
        st.cache_data.clear()
    t = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - t
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].value}")
    return elapsed


def measure_pages(repeat: int) -> dict:
    out = {}
    for page in PAGES:
        cold = [_apptest_run(page, clear=True) for _ in range(max(3, repeat // 3))]
        warm = [_apptest_run(page, clear=False) for _ in range(repeat)]
        out[page] = {"cold_cache": stats(cold), "warm_cache": stats(warm)}
    return out


URL_PATHS = ["", "usage", "feedback", "plan", "quality", "national", "notes"]


def measure_sessions(root: Path, sessions: int, rounds: int) -> dict:
    """Real sessions: `streamlit run` and headless Chromium tabs visiting every page.

    Page script time is taken on the server (kpi.ops.timing); navigation time in the browser.
    First one session alone, then `sessions` at once; the figure is the p95 ratio.
    """
    import asyncio
    import socket
    import urllib.request

    from playwright.async_api import async_playwright

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log_path = root.parent / "timing.jsonl"
    env = {**os.environ, "KPI_DATA_DIR": str(root), "KPI_TIMING_LOG": str(log_path)}
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard.py",
                               "--server.port", str(port), "--server.address", "127.0.0.1",
                               "--server.headless", "true"], cwd=REPO_ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)

        async def visit(browser, path: str, times: list[float]) -> None:
            page = await browser.new_page()
            t = time.perf_counter()
            await page.goto(f"{url}/{path}")
            await page.wait_for_selector("h1", timeout=120_000)
            await page.wait_for_function(
                "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                timeout=120_000)
            times.append(time.perf_counter() - t)
            await page.close()

        async def session(browser, times: list[float]) -> None:
            for _ in range(rounds):
                for path in URL_PATHS:
                    await visit(browser, path, times)

        async def drive(n: int) -> list[float]:
            async with async_playwright() as p:
                browser = await p.chromium.launch(executable_path=shutil.which("chromium")
                                                  or "/usr/bin/chromium", args=[
                    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run"])
                times: list[float] = []
                await visit(browser, "", [])  # first run after start registers the navigation
                await asyncio.gather(*(session(browser, times) for _ in range(n)))
                await browser.close()
                return times

        def server_times() -> list[float]:
            if not log_path.exists():
                return []
            lines = log_path.read_text(encoding="utf-8").splitlines()
            log_path.unlink()
            return [json.loads(x)["seconds"] for x in lines]

        single_nav = asyncio.run(drive(1))
        single = server_times()
        many_nav = asyncio.run(drive(sessions))
        many = server_times()
    finally:
        server.terminate()
        server.wait(timeout=30)
    s1, sn = stats(single), stats(many)
    return {"sessions": sessions, "single_session": s1, "concurrent": sn,
            "navigation_single": stats(single_nav), "navigation_concurrent": stats(many_nav),
            "p95_ratio": round(sn["p95_ms"] / s1["p95_ms"], 2)}


def measure_memory(root: Path) -> dict:
    """Peak RSS of a fresh process that loads the store and runs every page query and page."""
    # VmHWM is this process's own high-water mark; ru_maxrss would carry the parent's over exec
    code = (
        "import sys, os\n"
        "from bench.run import page_queries, PAGES, _apptest_run\n"
        "from kpi.metrics.scope import resolve_scope\nfrom kpi.store import gateway\n"
        "gw = gateway(); s = resolve_scope(gw); n = resolve_scope(gw, national=True)\n"
        "[fn() for q in page_queries(gw, s, n).values() for fn in q.values()]\n"
        "[_apptest_run(p, clear=True) for p in PAGES]\n"
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "print(hwm.split()[1])\n")
    env = {**os.environ, "KPI_DATA_DIR": str(root)}
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True,
                         text=True, check=True)
    kb = int(out.stdout.strip().splitlines()[-1])
    return {"peak_rss_mb": round(kb / 1024, 1)}


# ------------------------------------------------------------------------------- driver

def run_scale(name: str, months: int, repeat: int, sessions: int, workdir: Path,
              log: Callable[[str], None]) -> dict:
    from kpi.store import gateway

    root = _copy_data(workdir / name / "data")
    os.environ["KPI_DATA_DIR"] = str(root)
    log(f"[{name}] growing {months} monthly snapshots")
    growth = grow(root, months, log)
    gw = gateway()
    counter_rows = int(gw.scalar("SELECT count(*) FROM counter"))
    log(f"[{name}] {counter_rows:,} counter rows; measuring queries")
    pages, comparisons = measure_queries(repeat)
    log(f"[{name}] measuring page runs")
    page_runs = measure_pages(repeat)
    log(f"[{name}] {sessions} concurrent sessions")
    concurrency = measure_sessions(root, sessions, rounds=1)
    log(f"[{name}] memory")
    memory = measure_memory(root)
    return {"scale": name, "months": months, "counter_rows": counter_rows, "growth": growth,
            "queries": pages, "pandas_baseline": comparisons, "page_runs": page_runs,
            "concurrency": concurrency, "memory": memory}


def markdown(results: dict) -> str:
    lines = [f"# Benchmark results ({results['when']})", "",
             f"Machine: {results['machine']}. Command: `{results['command']}`.", ""]
    scales = results["scales"]
    lines += ["| figure | target | " + " | ".join(s["scale"] for s in scales) + " |",
              "|---|---|" + "---|" * len(scales)]

    def row(label: str, target: str, fn) -> None:
        cells = []
        for s in scales:
            try:
                cells.append(str(fn(s)))
            except (KeyError, TypeError):
                cells.append("—")
        lines.append(f"| {label} | {target} | " + " | ".join(cells) + " |")

    row("counter rows", "", lambda s: f"{s['counter_rows']:,}")
    row("import one snapshot, median / max (s)", "≤ 5 s",
        lambda s: f"{s['growth']['import_per_snapshot']['median_ms'] / 1000:.2f} / "
                  f"{s['growth']['import_max_ms'] / 1000:.2f}" if s["months"] else "—")
    row("full rebuild from archive (s)", "", lambda s: s["growth"]["full_rebuild_s"])
    for page in scales[0]["queries"]:
        row(f"{page}: data work, median (ms)", "≤ 100 ms",
            lambda s, p=page: s["queries"][p]["_data_work_median_ms"])
    for page in scales[0]["page_runs"]:
        label = page.split("/")[-1]
        row(f"{label}: full run, cold cache median (ms)", "≤ 500 ms",
            lambda s, p=page: s["page_runs"][p]["cold_cache"]["median_ms"])
        row(f"{label}: full run, warm cache median (ms)", "",
            lambda s, p=page: s["page_runs"][p]["warm_cache"]["median_ms"])
    for name in scales[0]["pandas_baseline"]:
        row(f"pandas ÷ DuckDB: {name}", "≥ 10×",
            lambda s, n=name: f"{s['pandas_baseline'][n]['speedup']}× "
                              f"({s['pandas_baseline'][n]['duckdb']['median_ms']} vs "
                              f"{s['pandas_baseline'][n]['pandas']['median_ms']} ms)"
                              + ("" if s['pandas_baseline'][n]['same_result'] else " ≠"))
    row("peak memory of the app (MB)", "≤ 1024 at ×10", lambda s: s["memory"]["peak_rss_mb"])
    row("10 sessions: p95 page run on the server ÷ one session's", "≤ 2×",
        lambda s: f"{s['concurrency']['p95_ratio']}× ({s['concurrency']['concurrent']['p95_ms']} vs "
                  f"{s['concurrency']['single_session']['p95_ms']} ms)")
    row("10 sessions: p95 browser navigation (ms), one / ten", "",
        lambda s: f"{s['concurrency']['navigation_single']['p95_ms']} / "
                  f"{s['concurrency']['navigation_concurrent']['p95_ms']}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scales", default="ministry,national,national_x10")
    ap.add_argument("--months", type=int, default=24, help="monthly snapshots at national scale")
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    plan = {"ministry": 0, "national": args.months, "national_x10": args.months * 10}
    workdir = Path(tempfile.mkdtemp(prefix="kpi-bench-"))
    results = {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
               "machine": f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}",
               "command": "python -m bench.run " + " ".join(argv or sys.argv[1:]), "scales": []}

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    try:
        for name in args.scales.split(","):
            results["scales"].append(run_scale(name, plan[name], args.repeat, args.sessions,
                                               workdir, log))
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1),
                                                   encoding="utf-8")
            (args.out / "RESULTS.md").write_text(markdown(results), encoding="utf-8")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(markdown(results))


if __name__ == "__main__":
    main()
