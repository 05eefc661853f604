"""`python -m kpi serve --port P --processes N`: HAProxy in front of N Streamlit processes.

One Streamlit process runs one script at a time per session on one core; a national deployment
needs several behind a load balancer (deploy/haproxy.cfg: cookie affinity, websockets passed
through, health checks). This is the whole thing for one machine without systemd: each process on
its own loopback port, one that dies is started again, every line of every process goes to this
process's output as JSON, and SIGTERM or Ctrl-C stops everything.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from kpi.config.paths import REPO_ROOT, data_dir
from kpi.ops.health import RUN_FILE, write_run_file

TEMPLATE = REPO_ROOT / "deploy" / "haproxy.cfg"
HAPROXY = "/usr/sbin/haproxy"
_OUT_LOCK = threading.Lock()
DUPLICATES = ("[WARNING]", "[NOTICE]")  # HAProxy says these on stderr and again in its log lines


class ServeFailed(Exception):
    """The service cannot start (zh-TW message)."""


def log(out: IO[str], **record: Any) -> None:
    """One JSON line in the one log (this process's output)."""
    line = json.dumps({"at": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"), **record},
                      ensure_ascii=False)
    with _OUT_LOCK:
        out.write(line + "\n")
        out.flush()


def render(listen: str, ports: list[int], rundir: Path, template: Path = TEMPLATE) -> str:
    """The HAProxy configuration for these processes (server dN on 127.0.0.1:port, cookie dN)."""
    servers = "\n".join(f"    server d{i} 127.0.0.1:{p} cookie d{i} check" for i, p in enumerate(ports, 1))
    return (template.read_text(encoding="utf-8").replace("@LISTEN@", listen)
            .replace("@RUNDIR@", str(rundir)).replace("@SERVERS@", servers))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    """In the child: SIGTERM when `kpi serve` itself dies (even by SIGKILL), so nothing is orphaned."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class Child:
    name: str
    cmd: list[str]
    port: int | None = None
    proc: subprocess.Popen | None = None
    started: float = 0.0
    quick_deaths: int = 0
    restarts: int = 0

    def start(self, out: IO[str]) -> None:
        self.proc = subprocess.Popen(self.cmd, cwd=REPO_ROOT, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     bufsize=1, start_new_session=True, preexec_fn=_die_with_parent)
        self.started = time.monotonic()
        threading.Thread(target=self._pump, args=(self.proc, out), daemon=True).start()
        log(out, service="kpi-serve", event="started", process=self.name, port=self.port, pid=self.proc.pid)

    def _pump(self, proc: subprocess.Popen, out: IO[str]) -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            text = line.rstrip("\n")
            if not text.strip() or text.startswith(DUPLICATES):
                continue
            if text.startswith("{"):  # HAProxy's own JSON lines
                with _OUT_LOCK:
                    out.write(text + "\n")
                    out.flush()
            else:
                log(out, service="dashboard" if self.port else "haproxy", process=self.name, message=text)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()


def _dashboard(i: int, port: int) -> Child:
    cmd = [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true",
           "--browser.gatherUsageStats", "false"]
    return Child(f"d{i}", cmd, port)


def _record(children: list[Child], port: int, rundir: Path) -> dict[str, Any]:
    return {"pid": os.getpid(), "port": port, "socket": str(rundir / "haproxy.sock"),
            "processes": [{"name": c.name, "port": c.port, "pid": c.proc.pid if c.proc else None,
                           "restarts": c.restarts} for c in children if c.port],
            "haproxy_pid": next((c.proc.pid for c in children if not c.port and c.proc), None)}


def _check(port: int, haproxy: str) -> None:
    if not Path(haproxy).exists() and not shutil.which("haproxy"):
        raise ServeFailed("找不到 haproxy：請安裝 Debian 的 haproxy 套件（apt-get install haproxy）")
    with socket.socket() as s:
        try:
            s.bind(("0.0.0.0", port))
        except OSError:
            raise ServeFailed(f"埠 {port} 已被使用，請以 --port 指定其他埠") from None


def run(port: int, processes: int, out: IO[str] | None = None) -> None:
    """Start HAProxy and the dashboard processes; supervise until SIGTERM/SIGINT."""
    out = out or sys.stdout
    haproxy = HAPROXY if Path(HAPROXY).exists() else (shutil.which("haproxy") or HAPROXY)
    _check(port, haproxy)
    rundir = Path(tempfile.mkdtemp(prefix="kpi-serve-"))
    ports = [free_port() for _ in range(processes)]
    cfg = rundir / "haproxy.cfg"
    cfg.write_text(render(f"0.0.0.0:{port}", ports, rundir), encoding="utf-8")
    checked = subprocess.run([haproxy, "-c", "-q", "-f", str(cfg)], capture_output=True, text=True)
    if checked.returncode != 0:
        shutil.rmtree(rundir, ignore_errors=True)
        raise ServeFailed(f"HAProxy 設定檢查失敗：{(checked.stderr or checked.stdout).strip()[:500]}")
    children = [_dashboard(i, p) for i, p in enumerate(ports, 1)]
    children.append(Child("haproxy", [haproxy, "-db", "-f", str(cfg)]))  # -q would silence its log too
    stopping = threading.Event()
    previous = {s: signal.signal(s, lambda *_: stopping.set()) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        for c in children:
            c.start(out)
        write_run_file(data_dir(), _record(children, port, rundir))
        log(out, service="kpi-serve", event="listening", port=port, processes=processes)
        while not stopping.wait(0.2):
            _supervise(children, out, stopping)
            write_run_file(data_dir(), _record(children, port, rundir))
    finally:
        log(out, service="kpi-serve", event="stopping")
        _stop_all(children)
        (data_dir() / RUN_FILE).unlink(missing_ok=True)
        shutil.rmtree(rundir, ignore_errors=True)
        for s, handler in previous.items():
            signal.signal(s, handler)
        log(out, service="kpi-serve", event="stopped")


def _supervise(children: list[Child], out: IO[str], stopping: threading.Event) -> None:
    """Start again any process that has exited; one that keeps dying at once waits a little."""
    for c in children:
        code = c.proc.poll() if c.proc else None
        if code is None or stopping.is_set():
            continue
        lived = time.monotonic() - c.started
        c.quick_deaths = c.quick_deaths + 1 if lived < 10 else 0
        log(out, service="kpi-serve", event="exited", process=c.name, code=code, lived_s=round(lived, 1))
        if c.quick_deaths > 3 and stopping.wait(min(30, 2 ** c.quick_deaths)):
            return
        c.restarts += 1
        c.start(out)


def _stop_all(children: list[Child], grace: float = 10.0) -> None:
    for c in children:
        c.stop()
    deadline = time.monotonic() + grace
    for c in children:
        if c.proc is None:
            continue
        try:
            c.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            c.proc.kill()
            c.proc.wait()


def main(argv: list[str] | None = None) -> None:
    """`python -m kpi.ops.serve render --out FILE`: the systemd unit's HAProxy configuration,
    from deploy/kpi.conf (KPI_LISTEN, KPI_PROCESSES, KPI_FIRST_PORT) and the environment."""
    import argparse

    from kpi.ops.config import setting

    ap = argparse.ArgumentParser(prog="python -m kpi.ops.serve")
    ap.add_argument("action", choices=["render"])
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args(argv)
    first, n = int(setting("KPI_FIRST_PORT")), int(setting("KPI_PROCESSES"))
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(render(setting("KPI_LISTEN"), list(range(first, first + n)), a.out.parent),
                     encoding="utf-8")


if __name__ == "__main__":
    main()
