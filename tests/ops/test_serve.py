"""Issue 24: `kpi serve` with 2 processes behind HAProxy keeps 30 sessions going when one dies.

Each session is bench/sessions.py's light client (one websocket speaking Streamlit's protocol),
with the load balancer's affinity cookie, as a browser would carry it. Every session opens a
page; then, while the next page is being asked for, one dashboard process is killed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from kpi.config.paths import REPO_ROOT
from kpi.ops.health import RUN_FILE
from kpi.ops.serve import free_port, render

SESSIONS = 30
FIRST, NEXT = "notes", ""  # 計算說明, then the overview


def _get(url: str, timeout: float = 2.0) -> tuple[int, str]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=timeout) as resp:
        return resp.status, resp.headers.get("Set-Cookie", "")


def _answers(port: int) -> bool:
    try:
        return _get(f"http://127.0.0.1:{port}/_stcore/health", 1.0)[0] == 200
    except OSError:
        return False


def _stat(sock: str) -> dict[str, str]:
    """HAProxy's view of each dashboard server (UP / DOWN / ...) from its stats socket."""
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(sock)
        s.sendall(b"show stat\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    rows = [line.split(",") for line in data.decode().splitlines() if line and not line.startswith("#")]
    return {r[1]: r[17] for r in rows if r[0] == "dashboards" and r[1].startswith("d")}


def _cookie(set_cookie: str) -> str | None:
    for part in set_cookie.split(","):
        part = part.strip()
        if part.startswith("KPISRV="):
            return part.split(";")[0].split("=", 1)[1]
    return None


class Session:
    def __init__(self, url: str):
        self.url, self.server, self.home, self.ws = url, None, None, None
        self.reconnected, self.errors, self.pages = False, [], []

    async def connect(self) -> None:
        import websockets

        headers = {"Cookie": f"KPISRV={self.server}"} if self.server else {}
        self.ws = await websockets.connect(
            self.url.replace("http://", "ws://") + "_stcore/stream", subprotocols=["streamlit"],
            max_size=None, origin=self.url.rstrip("/"), open_timeout=30, proxy=None,
            additional_headers=headers)
        self.server = _cookie(", ".join(self.ws.response.headers.get_all("Set-Cookie"))) or self.server
        self.home = self.home or self.server

    async def page(self, path: str) -> None:
        """One page; a connection lost on the way: connect again (another process) and ask again."""
        from websockets.exceptions import WebSocketException

        from bench.sessions import _visit

        deadline = time.monotonic() + 60
        while True:
            try:
                if self.ws is None:
                    await self.connect()
                _, raised, heading = await asyncio.wait_for(_visit(self.ws, path), timeout=150)
                break
            except (WebSocketException, OSError) as err:  # closed, refused or 503 while it restarts
                if time.monotonic() > deadline:
                    self.errors.append(f"{path}: {err!r}")
                    return
                self.reconnected, self.ws = True, None
                await asyncio.sleep(0.3)
        if raised:
            self.errors.append(f"{path}: exception element")
        self.pages.append(path if heading else f"{path}（沒有標題）")  # a page was drawn


async def _drive(url: str, kill) -> list[Session]:
    sessions = [Session(url) for _ in range(SESSIONS)]
    for s in sessions:  # the first request gets the affinity cookie, as a browser's page load does
        s.server = _cookie(_get(url + "_stcore/health")[1])
    await asyncio.gather(*(s.connect() for s in sessions))
    await asyncio.gather(*(s.page(FIRST) for s in sessions))

    async def next_page(s: Session) -> None:
        await asyncio.sleep(random.random() * 3)  # people click over a few seconds
        await s.page(NEXT)

    killer = asyncio.get_running_loop().run_in_executor(None, kill)
    await asyncio.gather(*(next_page(s) for s in sessions), killer)
    await asyncio.gather(*(s.page(FIRST) for s in sessions))  # the next page of those done before
    for s in sessions:
        await s.ws.close()
    return sessions


@pytest.mark.serial  # many sessions against kpi serve: measured alone, after the parallel run
def test_serve_survives_a_killed_process(fresh_data, tmp_path):
    port = free_port()
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115 (closed in finally)
    env = {**os.environ, "KPI_DATA_DIR": str(fresh_data)}
    proc = subprocess.Popen([sys.executable, "-m", "kpi", "serve", "--port", str(port), "--processes", "2"],
                            cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    run_file = fresh_data / RUN_FILE
    try:
        deadline = time.time() + 90
        run: dict = {}
        while time.time() < deadline:
            if run_file.exists():
                run = json.loads(run_file.read_text(encoding="utf-8"))
                if all(_answers(p["port"]) for p in run["processes"]) and \
                        set(_stat(run["socket"]).values()) == {"UP"}:
                    break
            time.sleep(0.5)
        else:
            pytest.fail("kpi serve did not come up: " + (tmp_path / "serve.log").read_text()[-2000:])
        victim = run["processes"][0]
        found: dict = {}

        def kill() -> None:
            time.sleep(1.0)  # some sessions are mid-run, others about to ask
            os.kill(victim["pid"], signal.SIGKILL)
            killed_at = time.monotonic()
            while time.monotonic() - killed_at < 15:
                state = _stat(run["socket"]).get(victim["name"], "")  # "UP 1/2": still in rotation
                now = json.loads(run_file.read_text(encoding="utf-8"))
                pid = next(p["pid"] for p in now["processes"] if p["name"] == victim["name"])
                back = pid != victim["pid"] and _answers(victim["port"])
                if not state.startswith("UP") or back:  # out of rotation, or already restarted and answering
                    found.setdefault("seconds", time.monotonic() - killed_at)
                    found.setdefault("how", "out of rotation" if not state.startswith("UP") else "back")
                if back and state == "UP":
                    found["back_s"] = time.monotonic() - killed_at
                    return
                time.sleep(0.1)

        random.seed(24)
        sessions = asyncio.run(_drive(url, kill))
        assert [s.errors for s in sessions if s.errors] == []
        assert all(s.pages == [FIRST, NEXT, FIRST] for s in sessions)
        homes = [s.home for s in sessions]
        assert homes.count("d1") >= 5 and homes.count("d2") >= 5, homes  # the cookie spread them
        # those on the killed process reconnected (to the other) and completed their pages;
        # the others never lost their connection
        assert [s.reconnected for s in sessions] == [s.home == victim["name"] for s in sessions]
        assert found.get("seconds", 99) <= 10, found
        assert found.get("back_s", 99) <= 60, found  # and `kpi serve` started it again
        print(f"sessions on {victim['name']}: {homes.count(victim['name'])}, found: {found}")
        last = json.loads(run_file.read_text(encoding="utf-8"))["processes"]
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=30)
        finally:
            log.close()
    assert code == 0
    assert not run_file.exists()
    assert [p for p in last if Path(f"/proc/{p['pid']}").exists()] == []  # SIGTERM stopped them all
    lines = [json.loads(x) for x in (tmp_path / "serve.log").read_text().splitlines() if x.startswith("{")]
    events = [(x.get("event"), x.get("process")) for x in lines if x.get("service") == "kpi-serve"]
    assert ("exited", victim["name"]) in events and events[-1] == ("stopped", None)


def test_the_deploy_config_renders_and_haproxy_accepts_it(tmp_path):
    cfg = render("127.0.0.1:18080", [18601, 18602], tmp_path)
    assert "server d1 127.0.0.1:18601 cookie d1 check" in cfg and "server d2 127.0.0.1:18602 cookie d2 check" in cfg
    assert "cookie KPISRV insert" in cfg and "balance source" not in cfg and "@" not in cfg.split("global", 1)[1]
    (tmp_path / "haproxy.cfg").write_text(cfg, encoding="utf-8")
    checked = subprocess.run(["/usr/sbin/haproxy", "-c", "-q", "-f", str(tmp_path / "haproxy.cfg")],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    env = {**os.environ, "KPI_PROCESSES": "3", "KPI_FIRST_PORT": "9001", "KPI_LISTEN": "127.0.0.1:9000"}
    out = tmp_path / "run" / "haproxy.cfg"
    subprocess.run([sys.executable, "-m", "kpi.ops.serve", "render", "--out", str(out)], cwd=REPO_ROOT,
                   env=env, check=True)
    text = out.read_text(encoding="utf-8")
    assert "bind 127.0.0.1:9000" in text and "server d3 127.0.0.1:9003 cookie d3 check" in text
    assert "server d4" not in text


def test_a_failed_request_is_one_json_line_without_the_client(tmp_path):
    """No process answers: HAProxy answers 503 and logs that request as one JSON line."""
    port, dead = free_port(), free_port()
    cfg = tmp_path / "haproxy.cfg"
    cfg.write_text(render(f"127.0.0.1:{port}", [dead], tmp_path), encoding="utf-8")
    proc = subprocess.Popen(["/usr/sbin/haproxy", "-db", "-f", str(cfg)], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        status = None
        for _ in range(50):
            try:
                status = _get(f"http://127.0.0.1:{port}/scorecard?agency=勞保局&token=abc".replace(
                    "勞保局", "%E5%8B%9E%E4%BF%9D%E5%B1%80"))[0]
            except urllib.error.HTTPError as err:
                status = err.code
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(0.5)  # the line is written when the stream closes
    finally:
        proc.terminate()
        out = proc.communicate(timeout=10)[0]
    assert status == 503
    lines = [json.loads(x) for x in out.splitlines() if x.startswith("{")]
    failed = [x for x in lines if x["event"] == "request_failed"]
    assert len(failed) == 1, out
    assert dt.datetime.strptime(failed[0]["at"], "%Y-%m-%dT%H:%M:%SZ")
    assert failed[0] | {"at": None, "ms": None, "retries": None, "termination": None, "server": None} == {
        "at": None, "service": "haproxy", "event": "request_failed", "method": "GET", "path": "/scorecard",
        "status": 503, "termination": None, "server": None, "retries": None, "ms": None}
    assert "127.0.0.1" not in out and "token" not in out
