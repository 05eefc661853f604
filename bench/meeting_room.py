"""A meeting room: N members open the dashboard's link within 5 s, then browse for 2 minutes.

    python -m bench.meeting_room DATA_DIR --members 30 [--processes 1] --out room.json

What a committee does when the chair shares the link: everyone opens it within a few seconds
(arrivals uniform over ``--window`` s), then each reads at their own pace — after every page a
pause drawn from an exponential distribution (mean ``--think`` s), then another page picked at
random (never the one just read) — until ``--duration`` s after their arrival. Each member is one
websocket speaking Streamlit's protocol (bench/sessions.py ``_visit``: BackMsg ``rerun_script`` →
ForwardMsg ``script_finished``), all coroutines of this one process; with several processes the
member first asks HAProxy for its affinity cookie, as a browser's page load does.

Before the rooms and again after them, on the same warm server, a lone member does the same for
``--lone-duration`` s: both runs pooled are the yardstick (room p95 ÷ lone p95), taken before and
after because other work on the machine drifts while the rooms run. The server is warmed first by one session per
process visiting every page (a server that was up before the meeting). Reported per phase: the
time from request to script_finished (what the member waits on the server: the run plus any
queue), the first page apart, the script runs the dashboard itself logged (KPI_TIMING_LOG), CPU
per process (bench/room_server.py) and the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.room_server import CpuSampler, Server, launch
from bench.sessions import DASHBOARD_PATHS, _pct, _visit

LINK = ""  # the shared link opens the default page (總覽)


@dataclass(frozen=True)
class Member:
    """One member's plan: arrival (s after the room opens), pages in order, pause after each."""

    start_s: float
    pages: tuple[str, ...]
    thinks: tuple[float, ...]


def plan(n: int, rng: random.Random, window: float = 5.0, think_mean: float = 10.0,
         duration: float = 120.0, paths: list[str] = DASHBOARD_PATHS) -> list[Member]:
    """Arrivals uniform in [0, window); exponential pauses drawn until they alone fill `duration`
    (run times only add, so a member never runs out of pages before its time is up)."""
    members = []
    for _ in range(n):
        start = rng.uniform(0, window)
        pages, thinks = [LINK], []
        while sum(thinks) < duration:
            thinks.append(rng.expovariate(1 / think_mean))
            pages.append(rng.choice([p for p in paths if p != pages[-1]]))
        members.append(Member(start, tuple(pages), tuple(thinks)))
    return members


def stats(values: list[float]) -> dict:
    return {"n": len(values), "p50_ms": _pct(values, 0.5), "p95_ms": _pct(values, 0.95),
            "max_ms": _pct(values, 1.0), "mean_ms": round(statistics.fmean(values), 1) if values else None}


def _mean(values: list[float]) -> float | None:
    return round(statistics.fmean(values), 1) if values else None


async def _cookie(url: str) -> str | None:
    """HAProxy's affinity cookie for a new visitor (what the browser's first GET receives)."""
    import httpx

    async with httpx.AsyncClient(trust_env=False, timeout=30) as client:
        r = await client.get(url + "_stcore/health")
    return r.cookies.get("KPISRV")


class _Counted:
    """A websocket that counts the bytes the server sent: what Streamlit's one event-loop thread
    serialised and wrote for this member."""

    def __init__(self, ws):
        self.ws, self.received = ws, 0

    async def send(self, data) -> None:
        await self.ws.send(data)

    async def recv(self):
        data = await self.ws.recv()
        self.received += len(data)
        return data

    async def close(self) -> None:
        await self.ws.close()


async def _connect(url: str, balanced: bool):
    """A member's websocket, with HAProxy's affinity cookie when there are several processes."""
    import websockets

    server = await _cookie(url) if balanced else "d1"
    ws = await websockets.connect(url.replace("http://", "ws://") + "_stcore/stream",
                                  subprotocols=["streamlit"], max_size=None, origin=url.rstrip("/"),
                                  open_timeout=120, proxy=None,
                                  additional_headers={"Cookie": f"KPISRV={server}"} if balanced else {})
    return _Counted(ws), server


async def _member(url: str, m: Member, t0: float, duration: float, balanced: bool,
                  runs: list[dict], errors: list[str]) -> None:
    """One member's visit. A lost connection is an error; like a browser, the member connects
    again and asks for the same page (at most 3 times per page)."""
    from websockets.exceptions import WebSocketException

    loop = asyncio.get_running_loop()
    await asyncio.sleep(max(0.0, t0 + m.start_s - loop.time()))
    arrived = loop.time()
    ws, server = await _connect(url, balanced)
    connect_ms = (loop.time() - arrived) * 1000
    try:
        for i, path in enumerate(m.pages):
            for attempt in range(4):
                try:
                    if ws is None:
                        ws, server = await _connect(url, balanced)
                    before = ws.received
                    seconds, raised, heading = await asyncio.wait_for(_visit(ws, path), timeout=600)
                    break
                except (WebSocketException, OSError) as err:
                    errors.append(f"{path or '/'}: connection lost ({type(err).__name__})")
                    ws = None
                    if attempt == 3:
                        return
                    await asyncio.sleep(1)
            runs.append({"page": path or "/", "first": i == 0, "ms": round(seconds * 1000, 1),
                         "at_s": round(loop.time() - t0, 2), "server": server, "heading": heading,
                         "retried": attempt, "kb": round((ws.received - before) / 1024, 1), **({"connect_ms": round(connect_ms, 1)} if i == 0 else {})})
            if raised:
                errors.append(f"{path or '/'}: exception element")
            if i == len(m.thinks) or loop.time() - arrived + m.thinks[i] >= duration:
                break  # the next page would come after this member's time is up
            await asyncio.sleep(m.thinks[i])
    finally:
        if ws is not None:
            await ws.close()


def phase(srv: Server, members: list[Member], duration: float) -> dict:
    """Run these members against the server; their waits, the server's own run log, its CPU."""
    runs: list[dict] = []
    errors: list[str] = []
    offset, load_start, cpu0 = srv.log_offset(), os.getloadavg(), time.process_time()

    async def drive() -> None:
        t0 = asyncio.get_running_loop().time()
        await asyncio.gather(*(_member(srv.url, m, t0, duration, srv.processes > 1, runs, errors)
                               for m in members))

    with CpuSampler(srv.pids) as sampler:
        asyncio.run(drive())
    logged = srv.script_runs(offset)
    first = [r["ms"] for r in runs if r["first"]]
    cpu = sampler.result(first_s=max(m.start_s for m in members) + 5.0)
    return {"members": len(members), "page_runs": len(runs), "errors": errors,
            "all": stats([r["ms"] for r in runs]), "first_page": stats(first),
            "browsing": stats([r["ms"] for r in runs if not r["first"]]),
            "connect": stats([r["connect_ms"] for r in runs if "connect_ms" in r]),
            "script_log": stats([x["seconds"] * 1000 for x in logged]),
            "kb_per_run": {"first_page": _mean([r["kb"] for r in runs if r["first"]]),
                           "browsing": _mean([r["kb"] for r in runs if not r["first"]])},
            "per_server": {s: sum(1 for r in runs if r["server"] == s and r["first"])
                           for s in sorted({str(r["server"]) for r in runs})},
            "headings": {r["page"]: r["heading"] for r in runs},
            "cpu": cpu, "server_cpu_ms_per_run": round(cpu["server_cpu_s"] * 1000 / max(len(runs), 1), 1),
            "client_cpu_s": round(time.process_time() - cpu0, 2),
            "load_avg_start": load_start, "load_avg_end": os.getloadavg(), "runs": runs}


def warm(srv: Server) -> dict:
    """One session per process visits every page: the process is up and warm before the meeting."""
    walker = [Member(0.0, tuple(DASHBOARD_PATHS), tuple(0.0 for _ in DASHBOARD_PATHS))]
    out = {}
    for name in srv.cookies or ["d1"]:
        async def one(cookie: str = name) -> list[dict]:
            import websockets

            headers = {"Cookie": f"KPISRV={cookie}"} if srv.processes > 1 else {}
            async with websockets.connect(srv.url.replace("http://", "ws://") + "_stcore/stream",
                                          subprotocols=["streamlit"], max_size=None, proxy=None,
                                          origin=srv.url.rstrip("/"), open_timeout=120,
                                          additional_headers=headers) as ws:
                return [round((await _visit(ws, p))[0] * 1000, 1) for p in walker[0].pages]
        out[name] = asyncio.run(one())
    return out


def run(data: Path, processes: int, rooms: list[int], args: argparse.Namespace) -> dict:
    """One server: warm it, the lone member, then each room size in turn (the same plans per seed)."""
    srv = launch(data, processes, Path(tempfile.gettempdir()) / f"{args.out.stem}.timing.jsonl")
    res: dict = {"data": str(data), "processes": processes, "window_s": args.window,
                 "think_mean_s": args.think, "duration_s": args.duration,
                 "lone_duration_s": args.lone_duration, "seed": args.seed, "server_start_s": srv.boot_s,
                 "machine": f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                 "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "rooms": []}
    try:
        res["warm_up_ms"] = warm(srv)
        time.sleep(args.settle)  # the warm-up thread of each process finishes its default figures
        lone = plan(1, random.Random(args.seed), args.window, args.think, args.lone_duration)
        res["lone"] = phase(srv, lone, args.lone_duration)
        for n in rooms:
            res["rooms"].append(phase(srv, plan(n, random.Random(args.seed + n), args.window,
                                                args.think, args.duration), args.duration))
        res["lone_after"] = phase(srv, lone, args.lone_duration)  # the same member again
        # the yardstick brackets the rooms in time: the machine's other load drifts meanwhile
        res["lone_both"] = stats([r["ms"] for x in (res["lone"], res["lone_after"]) for r in x["runs"]])
        for room in res["rooms"]:
            room["p95_ratio"] = round(room["all"]["p95_ms"] / res["lone_both"]["p95_ms"], 2)
    finally:
        res["server_peak_rss_mb"] = srv.stop()
        res["balancer_events"] = srv.balancer_events()
        srv.timing_log.unlink(missing_ok=True)
        srv.timing_log.with_suffix(".serve.jsonl").unlink(missing_ok=True)
    return res


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path, help="a data folder (KPI_DATA_DIR) with a built store")
    ap.add_argument("--members", default="30", help="room sizes, one after another: 30,60")
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--window", type=float, default=5.0, help="everyone opens the link within this (s)")
    ap.add_argument("--think", type=float, default=10.0, help="mean pause between pages (s)")
    ap.add_argument("--duration", type=float, default=120.0, help="each member browses this long (s)")
    ap.add_argument("--lone-duration", type=float, default=120.0, help="before the rooms and again after")
    ap.add_argument("--settle", type=float, default=5.0)
    ap.add_argument("--seed", type=int, default=26)
    ap.add_argument("--out", type=Path, default=Path("room.json"))
    a = ap.parse_args(argv)
    res = run(a.data.resolve(), a.processes, [int(x) for x in a.members.split(",")], a)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    keys = ("members", "all", "first_page", "script_log", "server_cpu_ms_per_run", "errors", "cpu")
    print(json.dumps({"processes": res["processes"], "lone": {k: res["lone"][k] for k in keys},
                      "lone_after": {k: res["lone_after"][k] for k in keys}, "lone_both": res["lone_both"],
                      "rooms": [{k: r[k] for k in (*keys, "p95_ratio")} for r in res["rooms"]]},
                     ensure_ascii=False, indent=1))

if __name__ == "__main__":
    main()
