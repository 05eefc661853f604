"""The link checker against a local HTTP server on 127.0.0.1: each case classified, evidence kept."""

from __future__ import annotations

import datetime as dt
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from kpi.net.linkcheck import Settings, Target, run
from tests.helpers.http import serving
from tests.helpers.ports import free_port

CSV = b"a,b\n1,2\n"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, code: int, body: bytes = b"", ctype: str | None = "text/csv",
              location: str | None = None, head: bool = False) -> None:
        self.send_response(code)
        if ctype:
            self.send_header("Content-Type", ctype)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head and body:
            self.wfile.write(body)

    def route(self, head: bool) -> None:
        path = self.path
        if path == "/ok.csv":
            self._send(200, CSV, head=head)
        elif path.startswith("/chain/"):
            n = int(path.rsplit("/", 1)[1])
            if n < 3:
                self._send(301, location=f"/chain/{n + 1}", ctype=None, head=head)
            else:
                self._send(200, CSV, head=head)
        elif path == "/loop/a":
            self._send(302, location="/loop/b", ctype=None, head=head)
        elif path == "/loop/b":
            self._send(302, location="/loop/a", ctype=None, head=head)
        elif path == "/missing":
            self._send(404, b"not found", "text/html", head=head)
        elif path == "/error":
            self._send(500, b"boom", "text/html", head=head)
        elif path == "/nohead.csv":
            if head:
                self._send(405, ctype=None, head=True)
            else:
                self._send(200, CSV)
        elif path == "/slow.csv":
            time.sleep(2.5)
            self._send(200, CSV, head=head)
        elif path == "/empty.csv":
            self._send(200, b"", head=head)
        elif path == "/page.csv":
            self._send(200, b"<html>login</html>", "text/html; charset=utf-8", head=head)
        else:
            self._send(404, head=head)

    def do_HEAD(self):
        self.route(head=True)

    def do_GET(self):
        self.route(head=False)


@pytest.fixture(scope="module")
def server():
    with serving(Handler) as url:
        yield url


CASES = [
    ("ok", "/ok.csv", "CSV", False, "正常", 200, "HEAD"),
    ("chain", "/chain/0", "CSV", False, "正常", 200, "HEAD"),
    ("loop", "/loop/a", "CSV", True, "重新導向過多或迴圈", None, "HEAD"),
    ("404", "/missing", "CSV", True, "HTTP 404", 404, "HEAD→GET"),
    ("500", "/error", "CSV", True, "HTTP 500", 500, "HEAD→GET"),
    ("head405", "/nohead.csv", "CSV", False, "正常", 200, "HEAD→GET"),
    ("slow", "/slow.csv", "CSV", True, "逾時", None, None),
    ("empty", "/empty.csv", "CSV", True, "檔案內容是空的", 200, "HEAD→GET"),
    ("wrongtype", "/page.csv", "CSV", False, "內容類型與宣告格式不符", 200, "HEAD"),
]


@pytest.fixture(scope="module")
def results(server, tmp_path_factory):
    import os

    root = tmp_path_factory.mktemp("links")
    old = os.environ.get("KPI_DATA_DIR")
    os.environ["KPI_DATA_DIR"] = str(root)
    private = pytest.MonkeyPatch()
    private.setenv("KPI_LINKCHECK_PRIVATE", "allow")  # the local server is on 127.0.0.1
    try:
        targets = [Target(key, "測試機關", server + path, fmt) for key, path, fmt, *_ in CASES]
        targets.append(Target("refused", "測試機關", f"http://127.0.0.1:{free_port()}/x.csv", "CSV"))
        targets.append(Target("invalid", "測試機關", "ftp//not a url", "CSV"))
        run_id, found = run(targets, Settings(timeout=1.0, rate_per_second=200, per_host=4))
    finally:
        private.undo()
        if old is None:
            os.environ.pop("KPI_DATA_DIR")
        else:
            os.environ["KPI_DATA_DIR"] = old
    return root, run_id, {r.dataset_key: r for r in found}


@pytest.mark.parametrize("key,path,fmt,broken,reason,status,method", CASES, ids=[c[0] for c in CASES])
def test_each_case_is_classified(results, key, path, fmt, broken, reason, status, method):
    _, _, found = results
    r = found[key]
    assert r.broken is broken
    assert reason in r.reason
    assert r.status == status
    if method:
        assert r.method == method
    assert r.checked_at and r.elapsed_ms >= 0


def test_redirect_chain_and_evidence(results):
    _, _, found = results
    chain = found["chain"]
    assert chain.redirects == 3 and chain.final_url.endswith("/chain/3")
    assert found["ok"].content_type == "text/csv" and found["ok"].type_matches is True
    assert found["wrongtype"].type_matches is False
    assert found["head405"].bytes_read == len(CSV)
    assert found["slow"].error.startswith(("ReadTimeout", "TimeoutException", "ConnectTimeout"))


def test_refused_and_invalid(results):
    _, _, found = results
    assert found["refused"].broken and found["refused"].reason == "無法連線"
    assert "ConnectError" in found["refused"].error
    assert found["invalid"].broken and found["invalid"].reason == "網址無效"


def test_results_are_stored_per_run(results):
    root, run_id, found = results
    lines = (Path(root) / "linkchecks" / f"{run_id}.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(found) + 1
    assert '"finished_at": null' not in (Path(root) / "linkchecks" / f"{run_id}.json").read_text()


def test_stop_and_resume(server, tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("KPI_LINKCHECK_PRIVATE", "allow")
    targets = [Target(f"d{i}", "測試機關", f"{server}/ok.csv?{i}", "CSV") for i in range(6)]
    seen = []
    run_id, first = run(targets, Settings(per_host=1, rate_per_second=200),
                        should_stop=lambda: len(seen) >= 2, progress=lambda n, t, r: seen.append(r))
    assert 2 <= len(first) < 6
    again, rest = run(targets, Settings(per_host=2, rate_per_second=200), resume=True)
    assert again == run_id
    assert len(first) + len(rest) == 6
    assert {r.dataset_key for r in first} | {r.dataset_key for r in rest} == {f"d{i}" for i in range(6)}


@pytest.mark.slow  # ≈9 s: the full suite runs it, the quick loop does not
def test_link_checks_feed_the_correctness_rate(fresh_data, server, monkeypatch):
    """勞研所 has no qc: after every resource is checked its correctness rate appears.
    Its 4 datasets, 6 resources; make I2's two links fail → broken 1, late 1 (I2) → 1 − 2/4."""
    from kpi.build import rebuild
    from kpi.metrics.quality import link_targets, quality_by_agency
    from kpi.metrics.scope import resolve_scope
    from kpi.service import commit, preview
    from kpi.store import gateway

    monkeypatch.setenv("KPI_LINKCHECK_PRIVATE", "allow")
    fixtures = Path(__file__).parents[1] / "fixtures"
    commit(preview("catalogue", fixtures / "catalogue_real_layout.csv", dt.date(2018, 7, 20)), "t")
    gw = gateway()
    scope = resolve_scope(gw, agencies=["勞研所"])
    frame = link_targets(gw, scope)
    assert len(frame) == 6
    # point the fixture's example.gov.tw URLs at the local server: I2 → 404, others → 200
    targets = [Target(r.dataset_key, r.agency, r.url, r.declared_format) for r in frame.itertuples()]
    local = {t.url: server + ("/missing" if "/I2/" in t.url else "/ok.csv") for t in targets}
    import kpi.net.linkcheck as lc

    real_request = lc._request

    async def rewritten(client, method, url, s, limiter):
        return await real_request(client, method, local.get(url, url), s, limiter)

    monkeypatch.setattr(lc, "_request", rewritten)
    run(targets, Settings(rate_per_second=200))
    rebuild()
    gw = gateway()
    q = quality_by_agency(gw, resolve_scope(gw))["勞動部勞動及職業安全衛生研究所"]
    assert q["broken_links"] == 1 and q["late_updates"] == 1
    assert q["correctness_rate"] == pytest.approx(0.5)
