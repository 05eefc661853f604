"""`kpi fetch` against bodies cut short, a Last-Modified no one can read and a link out of a
fetch folder: nothing partial is imported, one bad source never stops the others, each leaves a
fetch-log line, and no file content lands in the logs. A local server (127.0.0.1) per test."""

from __future__ import annotations

import csv
import gzip
import io
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kpi.config.paths import REPO_ROOT

CATALOGUE = (REPO_ROOT / "tests" / "fixtures" / "catalogue_real_layout.csv").read_bytes()
SECRET = "第一行是機密內容-不可進入紀錄"


def _ministry_usage(day_views: int) -> bytes:
    src = (REPO_ROOT / "data" / "raw" / "16-22_data_gov_download.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(src)))
    keep = [rows[0]] + [r for r in rows[1:] if r[0].startswith("勞動部")]
    for r in keep[1:]:
        r[2] = str(int(r[2].replace(",", "")) + day_views)
    out = io.StringIO()
    csv.writer(out).writerows(keep)
    return out.getvalue().encode("utf-8")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        zipped = gzip.compress(CATALOGUE)
        if self.path == "/cut.csv.gz":  # the connection ends inside the gzip stream
            body = zipped[: len(zipped) // 2]
            self._send(body, {"Content-Encoding": "gzip", "Content-Length": str(len(body))})
        elif self.path == "/crc.csv.gz":  # whole length, but a flipped byte in the trailer
            body = zipped[:-8] + bytes([zipped[-8] ^ 0xFF]) + zipped[-7:]
            self._send(body, {"Content-Encoding": "gzip", "Content-Length": str(len(body))})
        elif self.path == "/short.csv":  # declares the whole file, sends half, closes
            self.send_response(200)
            self.send_header("Content-Length", str(len(CATALOGUE)))
            self.end_headers()
            self.wfile.write(CATALOGUE[: len(CATALOGUE) // 2])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        elif self.path == "/baddate.csv":
            self._send(CATALOGUE, {"Last-Modified": "sometime last week"})
        else:
            self._send(CATALOGUE, {"Last-Modified": "Fri, 20 Jul 2018 02:00:00 GMT"})

    def _send(self, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(200)
        for k, v in headers.items():
            self.send_header(k, v)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("KPI_LINKCHECK_PRIVATE", "allow")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _fetch(tmp_path, sources: list[dict]) -> dict[str, dict]:
    from kpi import service

    config = tmp_path / "sources.json"
    config.write_text(json.dumps({"defaults": {"timeout": 10, "retries": 1, "backoff": 0.01},
                                  "sources": sources}, ensure_ascii=False), encoding="utf-8")
    return {r["source"]: r for r in service.fetch("test", config)}


def _imports() -> list:
    from kpi.importing.archive import entries

    return entries()


def test_bodies_cut_short_or_failing_their_check_are_never_imported(fresh_data, tmp_path, server):
    records = _fetch(tmp_path, [
        {"name": "截斷壓縮", "kind": "catalogue", "url": f"{server}/cut.csv.gz"},
        {"name": "檢查碼錯", "kind": "catalogue", "url": f"{server}/crc.csv.gz"},
        {"name": "長度不足", "kind": "catalogue", "url": f"{server}/short.csv"},
    ])
    assert {k: r["result"] for k, r in records.items()} == dict.fromkeys(records, "failed")
    assert "壓縮內容在結尾前中斷" in records["截斷壓縮"]["message"]
    assert "壓縮內容損毀" in records["檢查碼錯"]["message"]
    assert "共嘗試 2 次" in records["長度不足"]["message"]  # retried, then given up, whole or nothing
    assert _imports() == []


def test_a_bad_last_modified_fails_its_source_only_and_is_logged(fresh_data, tmp_path, server):
    from kpi.net.fetch import fetch_log

    records = _fetch(tmp_path, [
        {"name": "壞日期", "kind": "catalogue", "url": f"{server}/baddate.csv", "as_of": "last_modified"},
        {"name": "清單", "kind": "catalogue", "url": f"{server}/catalogue.csv", "as_of": "last_modified"},
    ])
    assert records["壞日期"]["result"] == "failed" and "Last-Modified" in records["壞日期"]["message"]
    assert records["清單"]["result"] == "imported" and records["清單"]["as_of"] == "2018-07-20"
    assert [r["source"] for r in fetch_log()] == ["壞日期", "清單"]
    assert len(_imports()) == 1


def test_a_link_out_of_the_fetch_folder_is_not_followed(fresh_data, tmp_path, server):
    outside = tmp_path / "secret.csv"
    outside.write_text(SECRET + "\n1,2\n", encoding="utf-8")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "資料集統計_2018-08-31.csv").symlink_to(outside)
    (inbox / "資料集統計_2018-09-30.csv").write_bytes(_ministry_usage(3))
    records = _fetch(tmp_path, [{"name": "統計", "kind": "usage", "folder": str(inbox),
                                 "pattern": "*.csv", "as_of": "file_name"}])
    assert records["統計"]["result"] == "imported" and records["統計"]["file"] == "資料集統計_2018-09-30.csv"
    logs = [fresh_data / "imports" / "fetch_log.jsonl", fresh_data / "audit" / "audit.jsonl"]
    assert all(SECRET not in p.read_text(encoding="utf-8") for p in logs)
    assert [e.file_name for e in _imports()] == ["資料集統計_2018-09-30.csv"]
