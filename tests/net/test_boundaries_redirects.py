"""Fetch redirects (kpi/net/fetch.py _get_once): netguard checks every hop, not only the first, and
exactly MAX_REDIRECTS (5) hops are followed, the sixth refused.

A local server (127.0.0.1) serves /hop/N → /hop/N−1 … → /hop/0 (the file) and /to-metadata → the
cloud metadata address. The guard is the real one for every URL off the local server (so the
metadata address is refused without a connection) and records the local hops it lets through."""

from __future__ import annotations

import asyncio
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kpi.importing.sources import Source
from kpi.net import fetch, netguard

BODY = "提供機關名稱,資料集名稱\n勞動部,甲\n".encode()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/to-metadata":
            self._redirect("http://169.254.169.254/latest/meta-data/")
        elif self.path.startswith("/hop/") and self.path != "/hop/0":
            self._redirect(f"/hop/{int(self.path.rsplit('/', 1)[1]) - 1}")
        else:
            self.send_response(200)
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY)

    def _redirect(self, where: str) -> None:
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture
def checked(server, monkeypatch) -> list[str]:
    seen: list[str] = []
    real = netguard.check_url

    async def guard(url: str) -> None:
        if url.startswith(server):
            seen.append(url[len(server):])
            return
        await real(url)

    monkeypatch.delenv(netguard.ENV_PRIVATE, raising=False)
    monkeypatch.setattr(netguard, "check_url", guard)
    return seen


def _get(url: str) -> tuple[bytes, str]:
    body, final, _ = asyncio.run(fetch._get_once(url, Source("t", "usage", url=url, timeout=5.0)))
    return body, final


def test_a_redirect_to_an_internal_address_is_refused_by_the_guard(server, checked):
    with pytest.raises(netguard.Refused, match=r"不連線到內部位址 169\.254\.169\.254"):
        _get(server + "/to-metadata")
    assert checked == ["/to-metadata"]


def test_five_hops_are_followed_each_checked(server, checked):
    assert fetch.MAX_REDIRECTS == 5
    body, final = _get(server + "/hop/5")
    assert body == BODY and final == server + "/hop/0"
    assert checked == [f"/hop/{n}" for n in range(5, -1, -1)]


def test_the_sixth_hop_is_refused(server, checked):
    with pytest.raises(fetch.FetchFailed, match="轉址超過 5 次"):
        _get(server + "/hop/6")
    assert checked == [f"/hop/{n}" for n in range(6, 0, -1)]
