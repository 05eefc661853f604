"""Link checker limits against a local server: slow drip, gzip bomb, loopback and metadata URLs,
redirects into the private network, and the run/host deadlines."""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kpi.net.linkcheck import READ_LIMIT, Settings, Target, run
from kpi.net.netguard import Refused, is_public

BOMB = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)  # 64 MB inflated, ~64 KB sent


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.send_response(405)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        if self.path == "/bomb.csv":
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(BOMB)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(BOMB)
        elif self.path.split("?")[0] == "/drip.csv":  # one byte every 0.3 s: never trips a read timeout
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            try:
                for _ in range(100000):
                    self.wfile.write(b"a")
                    self.wfile.flush()
                    time.sleep(0.3)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif self.path.startswith("/to/"):
            self.send_response(302)
            self.send_header("Location", "http://" + self.path[len("/to/"):])
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", "4")
            self.end_headers()
            self.wfile.write(b"a,b\n")


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def _run(targets, **settings):
    _, found = run(targets, Settings(rate_per_second=200, timeout=2.0, **settings))
    return {r.dataset_key: r for r in found}


def test_loopback_and_metadata_are_refused_not_fetched(server, tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("KPI_LINKCHECK_PRIVATE", raising=False)
    targets = [Target("loop", "機關", server + "/ok.csv", "CSV"),
               Target("meta", "機關", "http://169.254.169.254/latest/meta-data/", "CSV"),
               Target("private", "機關", "http://10.0.0.1/x.csv", "CSV"),
               Target("v6", "機關", "http://[::1]:9/x.csv", "CSV"),
               Target("mapped", "機關", "http://[::ffff:127.0.0.1]:9/x.csv", "CSV"),
               Target("name", "機關", "http://localhost:9/x.csv", "CSV")]
    started = time.monotonic()
    found = _run(targets)
    assert time.monotonic() - started < 10
    for key in ("loop", "meta", "private", "v6", "mapped", "name"):
        r = found[key]
        assert r.broken and r.reason.startswith("拒絕檢查"), (key, r)
        assert r.status is None and r.bytes_read == 0 and "內部位址" in r.error


def test_every_redirect_hop_goes_through_the_guard(server, tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("KPI_LINKCHECK_PRIVATE", "allow")
    import kpi.net.linkcheck as lc

    checked: list[str] = []
    real = lc.check_url

    async def spy(url):
        checked.append(url)
        if url.startswith("http://169.254."):
            raise Refused("內部位址 169.254.169.254")
        await real(url)

    monkeypatch.setattr(lc, "check_url", spy)
    found = _run([Target("hop", "機關", server + "/to/169.254.169.254/latest", "CSV")])
    assert found["hop"].reason.startswith("拒絕檢查")
    assert checked[0] == server + "/to/169.254.169.254/latest"  # HEAD, then GET, then the hop
    assert checked[-1] == "http://169.254.169.254/latest" and len(checked) == 3


def test_gzip_bomb_stops_at_the_cap(server, tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("KPI_LINKCHECK_PRIVATE", "allow")
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    found = _run([Target("bomb", "機關", server + "/bomb.csv", "CSV")])
    r = found["bomb"]
    assert r.status == 200 and r.bytes_read == READ_LIMIT
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 40  # 64 MB inflated would show here


def test_slow_drip_is_cut_by_the_url_deadline(server, tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("KPI_LINKCHECK_PRIVATE", "allow")
    started = time.monotonic()
    found = _run([Target("drip", "機關", server + "/drip.csv", "CSV")], url_seconds=2.0)
    assert time.monotonic() - started < 8
    assert found["drip"].broken and found["drip"].reason == "逾時"
    assert "DeadlineExceeded" in found["drip"].error


def test_host_and_run_deadlines_leave_the_rest_for_resume(server, tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("KPI_LINKCHECK_PRIVATE", "allow")
    targets = [Target(f"d{i}", "機關", f"{server}/drip.csv?{i}", "CSV") for i in range(4)]
    started = time.monotonic()
    run_id, found = run(targets, Settings(per_host=1, rate_per_second=200, url_seconds=1.0,
                                          host_seconds=1.5, run_seconds=30))
    assert time.monotonic() - started < 6
    assert 1 <= len(found) <= 2  # the host's budget ran out; the others wait for --resume
    meta = (tmp_path / "linkchecks" / f"{run_id}.json").read_text(encoding="utf-8")
    assert '"finished_at": null' in meta


def test_public_address_rule():
    assert is_public("8.8.8.8") and is_public("2001:4860:4860::8888")
    for address in ("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                    "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00:ec2::254", "::ffff:10.0.0.1",
                    "224.0.0.1"):
        assert not is_public(address), address
