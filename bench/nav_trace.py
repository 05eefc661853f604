"""What the browser's main thread does during one menu click (issue 26: the long tasks nav_profile sees).

    python -m bench.nav_trace DATA_DIR --page usage [--rounds 3] --out trace_usage.json

Opens 總覽, waits until it is drawn, starts Chromium's sampling profiler (CDP Profiler), clicks the
page in the menu, waits for the run to settle and drawing to end, and sums self time by script
(bundle file) and by function, the largest first. A diagnostic, not a test.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.browser import CHROMIUM, OBSERVE, idle, settled, start, stop


def _self_times(profile: dict) -> tuple[Counter, Counter]:
    nodes = {n["id"]: n for n in profile["nodes"]}
    deltas = profile.get("timeDeltas", [])
    by_node: Counter = Counter()
    for sample, delta in zip(profile.get("samples", []), [*deltas[1:], 0], strict=False):
        by_node[sample] += delta / 1000.0
    by_url: Counter = Counter()
    by_fn: Counter = Counter()
    for node_id, ms in by_node.items():
        frame = nodes[node_id]["callFrame"]
        url = frame.get("url", "").rsplit("/", 1)[-1] or f"({frame.get('functionName') or 'native'})"
        by_url[url] += ms
        by_fn[f"{frame.get('functionName') or '(anonymous)'} @ {url}:{frame.get('lineNumber', 0)}"] += ms
    return by_url, by_fn


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", type=Path)
    ap.add_argument("--page", default="usage")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--script", default="dashboard.py")
    ap.add_argument("--out", type=Path, default=Path("trace.json"))
    a = ap.parse_args(argv)
    proc, url, _ = start(a.script, a.data)
    urls: Counter = Counter()
    fns: Counter = Counter()
    navs = []
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            warm = b.new_context()  # the server's first page (imports, store open) untimed
            warm.add_init_script(OBSERVE)
            wp = warm.new_page()
            wp.goto(url)
            settled(wp, 0)
            warm.close()
            for _ in range(a.rounds):
                ctx = b.new_context(viewport={"width": 1400, "height": 900})
                ctx.add_init_script(OBSERVE)
                page = ctx.new_page()
                page.goto(url)
                settled(page, 0)
                idle(page, 0)
                cdp = ctx.new_cdp_session(page)
                cdp.send("Profiler.enable")
                cdp.send("Profiler.setSamplingInterval", {"interval": 200})
                cdp.send("Profiler.start")
                t = page.evaluate("performance.now()")
                page.locator(f'[data-testid="stSidebarNav"] a[href$="/{a.page}"]').first.click()
                navs.append(settled(page, t))
                idle(page, t, quiet_ms=1000)
                prof = cdp.send("Profiler.stop")["profile"]
                u, f = _self_times(prof)
                urls.update(u)
                fns.update(f)
                ctx.close()
            b.close()
    finally:
        stop(proc)
    n = a.rounds
    out = {"page": a.page, "rounds": n, "nav_ms": navs,
           "self_ms_by_script": {k: round(v / n, 1) for k, v in urls.most_common(15)},
           "self_ms_by_function": {k: round(v / n, 1) for k, v in fns.most_common(30)}}
    a.out.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
