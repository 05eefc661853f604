"""Server-side rerun time under 1, 10 and 30 concurrent sessions, driven by light clients.

    python -m bench.sessions DATA_DIR [--levels 1,10,30] [--rounds 2] [--think 0,2] --out sessions.json

A browser per session measures the browser (30 Chromium tabs on 2 cores are the bottleneck, not
the server), so each session here is one websocket speaking Streamlit's own protocol, as the
browser does: it connects to /_stcore/stream, sends a BackMsg ``rerun_script`` naming the page (its
URL path, as a click or a link does) and waits for the ForwardMsg ``script_finished``. The time
from sending to the end of the run is the server's answer time for that person: the script run
plus any wait for the other sessions' runs. All clients are coroutines of this one process.

Each session visits every page in menu order ``rounds`` times, pausing ``think`` seconds between
visits (0: everyone clicks again the moment a page is done — the worst case; 2: a quick reader).
A session's start is spread over the first second. The server is warmed by one session first (as
after a restart, the warm-up thread fills the page cache). A run that raised shows an exception
element: counted as an error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import time
from pathlib import Path

DASHBOARD_PATHS = ["", "usage", "feedback", "plan", "quality", "public_use", "national", "scorecard", "notes"]


async def _visit(ws, path: str) -> tuple[float, bool, str]:
    """One page run: seconds from the request to script_finished, whether it raised, and the
    page's first heading (so the output shows each path opened its own page)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    msg.rerun_script.query_string = ""
    msg.rerun_script.page_name = path
    msg.rerun_script.page_script_hash = ""
    started = time.perf_counter()
    await ws.send(msg.SerializeToString())
    raised, heading = False, ""
    while True:
        fwd = ForwardMsg()
        fwd.ParseFromString(await ws.recv())
        kind = fwd.WhichOneof("type")
        element = fwd.delta.new_element if kind == "delta" else None
        if element is not None and element.WhichOneof("type") == "exception":
            raised = True
        if element is not None and element.WhichOneof("type") == "heading" \
                and element.heading.body != "開放資料績效儀表板" and not heading:  # the frame's own
            heading = element.heading.body
        if kind == "script_finished" and fwd.script_finished in (
                ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR):
            return time.perf_counter() - started, raised, heading


async def _session(url: str, rounds: int, think: float, times: list[float], errors: list[str],
                   headings: dict[str, str]) -> None:
    import websockets

    await asyncio.sleep(random.random())  # people do not arrive in the same millisecond
    ws_url = url.replace("http://", "ws://") + "_stcore/stream"
    async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None,
                                  origin=url.rstrip("/"), open_timeout=60) as ws:
        for _ in range(rounds):
            for path in DASHBOARD_PATHS:
                seconds, raised, heading = await asyncio.wait_for(_visit(ws, path), timeout=600)
                headings.setdefault(path or "/", heading)
                times.append(seconds * 1000)
                if raised:
                    errors.append(path or "overview")
                if think:
                    await asyncio.sleep(think)


def _pct(values: list[float], q: float) -> float | None:
    v = sorted(values)
    return round(v[min(len(v) - 1, round(q * (len(v) - 1)))], 1) if v else None


def level(url: str, n: int, rounds: int, think: float) -> dict:
    times: list[float] = []
    errors: list[str] = []
    headings: dict[str, str] = {}

    async def drive() -> None:
        await asyncio.gather(*(_session(url, rounds, think, times, errors, headings)
                               for _ in range(n)))

    t = time.perf_counter()
    asyncio.run(drive())
    return {"sessions": n, "think_s": think, "runs": len(times), "p50_ms": _pct(times, 0.5),
            "p95_ms": _pct(times, 0.95), "max_ms": _pct(times, 1.0),
            "mean_ms": round(statistics.fmean(times), 1) if times else None,
            "wall_s": round(time.perf_counter() - t, 1), "errors": errors, "headings": headings}


def main(argv: list[str] | None = None) -> None:
    from bench.browser import start, stop

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", type=Path)
    ap.add_argument("--levels", default="1,10,30")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--think", default="0,2")
    ap.add_argument("--out", type=Path, default=Path("sessions.json"))
    a = ap.parse_args(argv)
    random.seed(7)
    res: dict = {"file": a.out.name, "data": str(a.data), "paths": DASHBOARD_PATHS, "rounds": a.rounds,
                 "load_avg_start": os.getloadavg(), "levels": []}
    proc, url, boot = start("dashboard.py", a.data)
    res["server_start_s"] = round(boot, 2)
    try:
        res["warm_up"] = level(url, 1, 1, 0)  # the first session: the server's caches fill
        for think in [float(x) for x in a.think.split(",")]:
            for n in [int(x) for x in a.levels.split(",")]:
                res["levels"].append(level(url, n, a.rounds, think))
                a.out.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    finally:
        res["server_peak_rss_mb"] = stop(proc)
        res["load_avg_end"] = os.getloadavg()
        a.out.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(res, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
