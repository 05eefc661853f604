"""What a person waits for, in headless Chromium, against the Streamlit floor in the same run.

    python -m bench.browser DATA_DIR [--rounds 5] [--cold 3] [--sessions 1,10] --out browser.json

- floor: bench/floor_app.py (copied from ../shared/perf: the same shape, no data work);
- cold: a new `streamlit run` process each time (empty caches), first page then one menu click;
- warm: for every page, medians of `rounds`: the page opened in a new tab (first page), reached
  by a menu click, and the agency filter changed on it — ms from the action to the end of the
  script run the app reports (data-test-script-state), as ../shared/perf/browser_timing.py;
- sessions (off unless --sessions is given): script-run times while N browser contexts of ONE
  Chromium visit every page. On 2 cores the tabs' rendering competes with the server, so the
  server-only figure comes from bench/sessions.py (light websocket clients).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from kpi.config.paths import REPO_ROOT

CHROMIUM = "/usr/bin/chromium"
DASHBOARD_PATHS = ["", "usage", "feedback", "plan", "quality", "public_use", "national", "scorecard", "notes"]
FLOOR_PATHS = ["", "second"]
OBSERVE = """
window.__s = [];
new MutationObserver(() => {
  const a = document.querySelector('[data-testid="stApp"]');
  if (a) { const v = a.getAttribute('data-test-script-state');
           const l = window.__s[window.__s.length - 1];
           if (!l || l.v !== v) window.__s.push({v, t: performance.now()}); }
}).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-test-script-state']});
"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(script: str, data: Path, timing_log: Path | None = None) -> tuple[subprocess.Popen, str, float]:
    """A new `streamlit run` process; returns it, its URL and seconds until /_stcore/health."""
    port = _port()
    env = {**os.environ, "KPI_DATA_DIR": str(data)}
    if timing_log:
        env["KPI_TIMING_LOG"] = str(timing_log)
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true",
                             "--browser.gatherUsageStats", "false"], cwd=REPO_ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(240):
        try:
            urllib.request.urlopen(url + "_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.25)
    return proc, url, time.perf_counter() - t


def stop(proc: subprocess.Popen) -> float:
    """Terminate; returns the peak RSS (MB) the process reached, read just before."""
    peak = 0.0
    try:
        status = Path(f"/proc/{proc.pid}/status").read_text()
        peak = int(next(x for x in status.splitlines() if x.startswith("VmHWM")).split()[1]) / 1024
    except (OSError, StopIteration):
        pass
    proc.terminate()
    proc.wait(timeout=30)
    return round(peak, 1)


def settled(page, since: float, timeout: float = 120) -> float:
    """ms from `since` (performance.now) until a run that started after it has finished."""
    end = time.time() + timeout
    while time.time() < end:
        s = page.evaluate("window.__s")
        ran = [i for i, x in enumerate(s) if x["v"] == "running" and x["t"] >= since - 5]
        if ran:
            done = [x for x in s[ran[0]:] if x["v"] == "notRunning"]
            if done and s[-1]["v"] == "notRunning" and page.evaluate("performance.now()") - s[-1]["t"] > 400:
                return done[-1]["t"] - since
        time.sleep(0.05)
    return float("nan")


def _click_menu(page, path: str, paths: list[str]) -> float:
    links = page.locator('[data-testid="stSidebarNav"] a')
    target = links.nth(0) if path == paths[0] else page.locator(
        f'[data-testid="stSidebarNav"] a[href$="/{path}"]').first
    t = page.evaluate("performance.now()")
    target.click()
    return settled(page, t)


def _change_agency(page) -> float:
    """Pick 勞保局 in the agency multiselect (the floor's one filter). The dashboard's 範圍 is
    first switched to 指定機關 — its own run, settled and not timed — so both time one pick."""
    scope = page.locator('[data-testid="stSidebar"] label').filter(has_text="指定機關")
    if scope.count():
        t = page.evaluate("performance.now()")
        scope.first.click()
        settled(page, t)
    ms = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    t = page.evaluate("performance.now()")
    ms.click()
    page.locator('[role="option"]').filter(has_text="勞保局").first.click()
    page.keyboard.press("Escape")
    return settled(page, t)


def person(browser, url: str, paths: list[str], rounds: int) -> dict[str, dict[str, list[float]]]:
    """Per page: first page (new tab), menu click to it, agency change on it; `rounds` each."""
    out = {p or "overview": {"load": [], "nav": [], "filter": []} for p in paths}
    for _ in range(rounds):
        for i, path in enumerate(paths):
            nxt = paths[(i + 1) % len(paths)]
            ctx = browser.new_context(viewport={"width": 1400, "height": 900})
            ctx.add_init_script(OBSERVE)
            page = ctx.new_page()
            page.goto(url + path)
            out[path or "overview"]["load"].append(settled(page, 0))
            out[nxt or "overview"]["nav"].append(_click_menu(page, nxt, paths))
            out[nxt or "overview"]["filter"].append(_change_agency(page))
            ctx.close()
    return out


def cold(browser, script: str, data: Path, paths: list[str]) -> dict[str, float]:
    """A new server process: its first page, then one menu click (warm-up may still be running)."""
    proc, url, boot = start(script, data)
    try:
        ctx = browser.new_context(viewport={"width": 1400, "height": 900})
        ctx.add_init_script(OBSERVE)
        page = ctx.new_page()
        page.goto(url)
        load = settled(page, 0)
        nav = _click_menu(page, paths[1], paths)
        ctx.close()
    finally:
        rss = stop(proc)
    return {"server_start_s": round(boot, 2), "load": load, "nav": nav, "peak_rss_mb": rss}


def sessions(url: str, log: Path, levels: list[int], rounds: int) -> dict:
    """Server-side script-run times while N sessions (contexts of one Chromium) visit every page."""
    from playwright.async_api import async_playwright

    failed: list[str] = []

    async def visit(ctx, path: str) -> None:
        page = await ctx.new_page()
        try:  # one stuck tab must not lose the level (a run under load 23 did)
            await page.goto(url + path, timeout=180_000)
            await page.wait_for_selector("h1", timeout=180_000)
            await page.wait_for_function(
                """() => document.querySelector('[data-testid="stApp"]')
                      ?.getAttribute('data-test-script-state') === 'notRunning'""", timeout=180_000)
        except Exception as exc:  # counted and reported; the level goes on
            failed.append(f"{path}: {type(exc).__name__}")
        finally:
            await page.close()

    async def one(browser) -> None:
        ctx = await browser.new_context()
        for _ in range(rounds):
            for path in DASHBOARD_PATHS:
                await visit(ctx, path)
        await ctx.close()

    async def drive(n: int) -> float:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            t = time.perf_counter()
            await asyncio.gather(*(one(browser) for _ in range(n)))
            wall = time.perf_counter() - t
            await browser.close()
            return wall

    out = {}
    for n in levels:
        log.unlink(missing_ok=True)
        wall = asyncio.run(drive(n))
        runs = [json.loads(x)["seconds"] * 1000 for x in log.read_text().splitlines()] if log.exists() else []
        out[str(n)] = {"runs": len(runs), "p50_ms": _pct(runs, 0.5), "p95_ms": _pct(runs, 0.95),
                       "wall_s": round(wall, 1), "failed_visits": list(failed)}
        failed.clear()
    return out


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    v = sorted(values)
    return round(v[min(len(v) - 1, round(q * (len(v) - 1)))], 1)


def medians(raw: dict) -> dict:
    return {page: {k: round(statistics.median(v), 1) if v else None for k, v in kinds.items()}
            for page, kinds in raw.items()}


def main(argv: list[str] | None = None) -> None:
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", type=Path)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--cold", type=int, default=3)
    ap.add_argument("--sessions", default="")
    ap.add_argument("--session-rounds", type=int, default=1)
    ap.add_argument("--out", type=Path, default=Path("browser.json"))
    a = ap.parse_args(argv)
    floor_script = str(REPO_ROOT / "bench" / "floor_app.py")
    res: dict = {"data": str(a.data), "rounds": a.rounds, "load_avg_start": os.getloadavg()}

    def save() -> None:  # after every phase: a long run that is stopped keeps what it measured
        a.out.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")

    floor, furl, _ = start(floor_script, a.data)
    log = a.data.parent / "timing.jsonl"
    dash, durl, _ = start("dashboard.py", a.data, log)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            person(browser, durl, DASHBOARD_PATHS, 1)  # first visits: the caches fill
            person(browser, furl, FLOOR_PATHS, 1)
            res["floor"] = medians(person(browser, furl, FLOOR_PATHS, a.rounds))
            save()
            res["dashboard"] = medians(person(browser, durl, DASHBOARD_PATHS, a.rounds))
            save()
            res["cold_floor"] = [cold(browser, floor_script, a.data, FLOOR_PATHS) for _ in range(a.cold)]
            res["cold_dashboard"] = [cold(browser, "dashboard.py", a.data, DASHBOARD_PATHS)
                                     for _ in range(a.cold)]
            save()
            browser.close()
        if a.sessions:
            res["sessions"] = sessions(durl, log, [int(x) for x in a.sessions.split(",")],
                                       a.session_rounds)
    finally:
        res["floor_peak_rss_mb"] = stop(floor)
        res["dashboard_peak_rss_mb"] = stop(dash)
        res["load_avg_end"] = os.getloadavg()
        save()


if __name__ == "__main__":
    main()
