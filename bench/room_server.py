"""The server side of the meeting-room benchmark: start it, watch its CPU, read its timing log.

One process is `streamlit run dashboard.py` (bench/browser.py start/stop); several are
`python -m kpi serve --processes N` (HAProxy in front, kpi/ops/serve.py). CPU is read from
/proc (utime + stime of every thread: the script threads under the GIL and DuckDB's own pool), so
"CPU per page run" and "cores busy" say whether a process is bound by one core (the GIL) or the
machine by its two.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.browser import start, stop

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (all its threads), seconds; 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # fields 14 and 15 of proc(5)


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all cores since boot, from /proc/stat: what else runs shows here."""
    parts = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = parts[3] + parts[4]
    return sum(parts) - idle, sum(parts)


class CpuSampler:
    """Every `every` s: each server process's CPU and the machine's busy share, in a thread."""

    def __init__(self, pids: dict[str, int], every: float = 0.5):
        self.pids, self.every, self.samples = pids, every, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> tuple[float, dict[str, float], tuple[float, float]]:
        return time.monotonic(), {n: cpu_seconds(p) for n, p in self.pids.items()}, machine_busy()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.samples.append(self._sample())

    def __enter__(self) -> CpuSampler:
        self.samples.append(self._sample())
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append(self._sample())

    def result(self, first_s: float = 10.0) -> dict:
        """CPU seconds and mean cores per process, the busiest 2 s of each, the machine's share;
        the same over the first `first_s` seconds (the arrivals)."""
        (t0, c0, m0), (t1, c1, m1) = self.samples[0], self.samples[-1]
        wall = max(t1 - t0, 1e-9)
        out: dict = {"wall_s": round(wall, 1), "processes": {}}
        step = max(1, round(2 / self.every))
        for name in self.pids:
            peak = max(((b[1][name] - a[1][name]) / max(b[0] - a[0], 1e-9)
                        for a, b in zip(self.samples, self.samples[step:], strict=False)), default=0.0)
            out["processes"][name] = {"cpu_s": round(c1[name] - c0[name], 2),
                                      "mean_cores": round((c1[name] - c0[name]) / wall, 2),
                                      "peak_2s_cores": round(peak, 2)}
        out["server_cpu_s"] = round(sum(p["cpu_s"] for p in out["processes"].values()), 2)
        out["machine_busy_cores"] = _cores(m0, m1)
        # the arrivals: cores each process and the machine used while everyone opened the link
        arrived = [x for x in self.samples if x[0] - t0 <= first_s] or self.samples[:1]
        ta, ca, ma = arrived[-1]
        out["arrival"] = {"seconds": round(ta - t0, 1), "machine_busy_cores": _cores(m0, ma),
                          "process_cores": {n: round((ca[n] - c0[n]) / max(ta - t0, 1e-9), 2)
                                            for n in self.pids}}
        return out


def _cores(m0: tuple[float, float], m1: tuple[float, float]) -> float:
    """Cores busy between two /proc/stat readings (2.0 = both cores of this machine)."""
    return round((m1[0] - m0[0]) / max(m1[1] - m0[1], 1) * (os.cpu_count() or 1), 2)


@dataclass
class Server:
    """A running dashboard: its URL, the processes to watch, and how to stop it."""

    url: str
    pids: dict[str, int]
    timing_log: Path
    processes: int
    proc: subprocess.Popen
    boot_s: float
    cookies: list[str] = field(default_factory=list)

    def log_offset(self) -> int:
        return self.timing_log.stat().st_size if self.timing_log.exists() else 0

    def script_runs(self, offset: int) -> list[dict]:
        """The timing log's records (kpi timing: page, seconds, at) written after `offset`."""
        if not self.timing_log.exists():
            return []
        with open(self.timing_log, "rb") as fh:
            fh.seek(offset)
            return [json.loads(x) for x in fh.read().decode("utf-8").splitlines() if x.strip()]

    def peak_rss_mb(self) -> dict[str, float]:
        out = {}
        for name, pid in self.pids.items():
            try:
                status = Path(f"/proc/{pid}/status").read_text().splitlines()
                out[name] = round(int(next(x for x in status if x.startswith("VmHWM")).split()[1]) / 1024, 1)
            except (OSError, StopIteration):
                out[name] = None
        return out

    def balancer_events(self) -> list[str]:
        """What HAProxy and `kpi serve` said about the processes (a process marked down, restarts)."""
        log = self.timing_log.with_suffix(".serve.jsonl")
        if not log.exists():
            return []
        keep = ("DOWN", "UP", "exited", "started", "request_failed")
        return [x for x in log.read_text(encoding="utf-8", errors="replace").splitlines()
                if any(k in x for k in keep)]

    def stop(self) -> dict[str, float]:
        rss = self.peak_rss_mb()
        if self.processes == 1:
            stop(self.proc)
        else:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return rss


def _healthy(url: str, tries: int = 480) -> None:
    for _ in range(tries):
        try:
            with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
                    url + "_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{url} never answered its health check")


def launch(data: Path, processes: int, timing_log: Path) -> Server:
    """One `streamlit run`, or `kpi serve` with `processes` dashboards behind HAProxy."""
    timing_log.unlink(missing_ok=True)
    if processes == 1:
        proc, url, boot = start("dashboard.py", data, timing_log)
        _healthy(url)
        return Server(url, {"d1": proc.pid}, timing_log, 1, proc, round(boot, 2))
    from kpi.ops.serve import free_port

    port = free_port()
    env = {**os.environ, "KPI_DATA_DIR": str(data), "KPI_TIMING_LOG": str(timing_log)}
    repo = Path(__file__).resolve().parent.parent
    t = time.perf_counter()
    serve_log = timing_log.with_suffix(".serve.jsonl")
    with open(serve_log, "w", encoding="utf-8") as out:  # its one log: HAProxy's and each process's lines
        proc = subprocess.Popen([sys.executable, "-m", "kpi", "serve", "--port", str(port),
                                 "--processes", str(processes)], cwd=repo, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    _healthy(url)
    run_file = data / "run" / "serve.json"
    for _ in range(120):  # every dashboard process listed, each answering through HAProxy
        record = json.loads(run_file.read_text(encoding="utf-8")) if run_file.exists() else {}
        if len(record.get("processes", [])) == processes:
            break
        time.sleep(0.25)
    pids = {p["name"]: p["pid"] for p in record["processes"]}
    for p in record["processes"]:
        _healthy(f"http://127.0.0.1:{p['port']}/")
    pids["haproxy"] = record["haproxy_pid"]
    return Server(url, pids, timing_log, processes, proc, round(time.perf_counter() - t, 2),
                  cookies=[p["name"] for p in record["processes"]])
