"""Where a menu click's time goes, page by page (issue 26: what bounds the browser figures).

    python -m bench.nav_profile DATA_DIR [--rounds 5] --out nav_profile.json

For each page, `rounds` times: open 總覽 in a new tab, wait until the browser has drawn it, click the
page in the menu and time it as bench.browser does (to the end of the script run the app reports).
Beside each click: the server's own run time for the page (KPI_TIMING_LOG, from the top of
dashboard.py to the end of the page), the bytes the websocket brought, and how long the browser's
main thread was busy in long tasks (> 50 ms) inside the timed window. The floor (bench/floor_app.py)
is measured the same way in the same run. Medians are written; nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.browser import CHROMIUM, DASHBOARD_PATHS, FLOOR_PATHS, OBSERVE, idle, settled, start, stop
from kpi.config.paths import REPO_ROOT

# Adds to bench.browser's observer: bytes per websocket message and each long task's start and length.
COUNT = """
window.__bytes = []; window.__tasks = [];
try { new PerformanceObserver(l => { for (const e of l.getEntries()) window.__tasks.push([e.startTime, e.duration]); })
        .observe({type: 'longtask', buffered: true}); } catch (e) {}
const WS2 = window.WebSocket;
window.WebSocket = function (...args) {
  const ws = new WS2(...args);
  ws.addEventListener('message', ev => { window.__bytes.push([performance.now(),
      ev.data instanceof ArrayBuffer ? ev.data.byteLength : (ev.data.size || ev.data.length || 0)]); });
  return ws; };
window.WebSocket.prototype = WS2.prototype; Object.assign(window.WebSocket, WS2);
"""


def _busy(tasks: list[list[float]], t0: float, t1: float) -> float:
    """ms of long tasks overlapping [t0, t1]."""
    return sum(max(0.0, min(s + d, t1) - max(s, t0)) for s, d in tasks)


def _runs(log: Path) -> list[dict]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]


def profile(browser, url: str, paths: list[str], rounds: int, log: Path | None) -> dict[str, dict]:
    out: dict[str, dict[str, list[float]]] = {}
    for _ in range(rounds):
        for path in paths[1:] + paths[:1]:
            ctx = browser.new_context(viewport={"width": 1400, "height": 900})
            ctx.add_init_script(OBSERVE)
            ctx.add_init_script(COUNT)
            page = ctx.new_page()
            page.goto(url + (paths[1] if path == paths[0] else paths[0]))
            settled(page, 0)
            idle(page, 0)
            seen = len(_runs(log)) if log else 0
            links = page.locator('[data-testid="stSidebarNav"] a')
            target = links.nth(0) if path == paths[0] else page.locator(
                f'[data-testid="stSidebarNav"] a[href$="/{path}"]').first
            t0 = page.evaluate("performance.now()")
            target.click()
            nav = settled(page, t0)
            t1 = t0 + nav
            tasks, got = page.evaluate("[window.__tasks, window.__bytes]")
            runs = _runs(log)[seen:] if log else []
            row = out.setdefault(path or "overview", {"nav_ms": [], "server_run_ms": [], "busy_ms": [],
                                                      "kb": [], "messages": []})
            row["nav_ms"].append(nav)
            row["busy_ms"].append(_busy(tasks, t0, t1))
            inside = [b for t, b in got if t0 <= t <= t1 + 1]
            row["kb"].append(sum(inside) / 1024)
            row["messages"].append(len(inside))
            if runs:
                row["server_run_ms"].append(sum(r["seconds"] for r in runs) * 1000)
            ctx.close()
    return {p: {k: round(statistics.median(v), 1) if v else None for k, v in r.items()} for p, r in out.items()}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", type=Path)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--out", type=Path, default=Path("nav_profile.json"))
    a = ap.parse_args(argv)
    log = Path(tempfile.mkdtemp(prefix="kpi-nav-")) / "runs.jsonl"
    result: dict = {"data": str(a.data), "rounds": a.rounds, "load_avg_start": os.getloadavg(),
                    "machine": f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}"}
    floor, floor_url, _ = start(str(REPO_ROOT / "bench" / "floor_app.py"), a.data)
    dash, dash_url, _ = start("dashboard.py", a.data, timing_log=log)
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for url in (floor_url, dash_url):  # each server's first page (imports, store open) untimed
                ctx = b.new_context()
                pg = ctx.new_page()
                pg.goto(url)
                time.sleep(5)
                ctx.close()
            result["floor"] = profile(b, floor_url, FLOOR_PATHS, a.rounds, None)
            result["dashboard"] = profile(b, dash_url, DASHBOARD_PATHS, a.rounds, log)
            b.close()
    finally:
        stop(floor)
        stop(dash)
    result["load_avg_end"] = os.getloadavg()
    a.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps({k: result[k] for k in ("floor", "dashboard")}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
