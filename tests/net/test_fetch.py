"""python -m kpi fetch against a local HTTP server (127.0.0.1) serving real-layout files: the
catalogue fixture, a slow, a failing and a malformed source, and a folder of statistics exports."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from kpi.config.paths import REPO_ROOT
from tests.helpers.http import serving

CATALOGUE = (REPO_ROOT / "tests" / "fixtures" / "catalogue_real_layout.csv").read_bytes()
HITS: dict[str, int] = {}


def _malformed() -> bytes:
    """The catalogue layout with a 品質檢測 value the portal never writes, in row 3."""
    text = CATALOGUE.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    rows[2][4] = "鑽石"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        HITS[self.path] = HITS.get(self.path, 0) + 1
        if self.path == "/fail.csv":
            self.send_response(503)
            self.end_headers()
            return
        if self.path == "/slow.csv":
            self.send_response(200)
            self.send_header("Content-Length", str(len(CATALOGUE)))
            self.end_headers()
            self.wfile.write(CATALOGUE[:100])
            self.wfile.flush()
            time.sleep(3)
            return
        if self.path == "/gone.csv":
            self.send_response(404)
            self.end_headers()
            return
        body = {"/catalogue.csv": CATALOGUE, "/malformed.csv": _malformed()}[self.path]
        self.send_response(200)
        self.send_header("Content-Type", "text/csv; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", "Fri, 20 Jul 2018 02:00:00 GMT")
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server():
    HITS.clear()
    with serving(Handler) as url:
        yield url


def _usage_export(folder: Path, day: str) -> Path:
    """The Ministry's rows of the real 2018-07-20 statistics export (16-22 header), each counter
    grown a little, saved the way the office saves it: the date in the file name."""
    src = (REPO_ROOT / "data" / "raw" / "16-22_data_gov_download.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(src)))
    keep = [rows[0]] + [r for r in rows[1:] if r[0].startswith("勞動部")]
    for r in keep[1:]:
        r[2] = str(int(r[2].replace(",", "")) + 10)
        r[3] = str(int(r[3].replace(",", "")) + 3)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"資料集統計_{day}.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(keep)
    return path


def _config(tmp_path: Path, server: str, inbox: Path) -> Path:
    quick = {"retries": 2, "backoff": 0.05}
    config = {"defaults": {"timeout": 10, "retries": 1, "backoff": 0.05}, "sources": [
        {"name": "清單", "kind": "catalogue", "url": f"{server}/catalogue.csv", "as_of": "last_modified"},
        {"name": "統計資料夾", "kind": "usage", "folder": str(inbox), "pattern": "*.csv", "as_of": "file_name"},
        {"name": "慢", "kind": "catalogue", "url": f"{server}/slow.csv", "timeout": 1, **quick},
        {"name": "壞", "kind": "catalogue", "url": f"{server}/fail.csv", **quick},
        {"name": "格式錯", "kind": "catalogue", "url": f"{server}/malformed.csv", "as_of": "last_modified"},
    ]}
    path = tmp_path / "sources.json"
    path.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    return path


def folder_hash(folder: Path) -> str:
    """The data folder except the two logs a fetch appends to (audit, fetch log)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if "audit" in path.parts or path.name == "fetch_log.jsonl":
            continue
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.mark.slow  # ≈10 s: the full suite runs it, the quick loop does not
def test_fetch_imports_new_files_and_a_second_fetch_changes_nothing(fresh_data, tmp_path, server, monkeypatch):
    from typer.testing import CliRunner

    from kpi import service
    from kpi.cli import app
    from kpi.importing.archive import entries
    from kpi.net.fetch import fetch_log, fetch_status
    from kpi.store import current_version_id, gateway

    monkeypatch.setenv("KPI_LINKCHECK_PRIVATE", "allow")
    inbox = tmp_path / "inbox"
    _usage_export(inbox, "2018-08-20")
    config = _config(tmp_path, server, inbox)

    records = {r["source"]: r for r in service.fetch("test", config)}
    assert records["清單"]["result"] == "imported" and records["清單"]["as_of"] == "2018-07-20"
    assert records["統計資料夾"]["result"] == "imported" and records["統計資料夾"]["as_of"] == "2018-08-20"
    assert records["慢"]["result"] == "failed" and "逾時" in records["慢"]["message"]
    assert records["慢"]["message"].endswith("（共嘗試 3 次）") and HITS["/slow.csv"] == 3
    assert records["壞"]["result"] == "failed" and "HTTP 503" in records["壞"]["message"]
    assert HITS["/fail.csv"] == 3  # the first try and two retries with backoff
    assert records["格式錯"]["result"] == "refused"
    assert "第 3 列" in records["格式錯"]["message"] and "品質檢測" in records["格式錯"]["message"]
    assert [e.kind for e in entries()] == ["catalogue", "usage"]  # the malformed one left nothing
    gw = gateway()
    assert gw.scalar("SELECT max(snapshot_date) FROM snapshot").isoformat() == "2018-08-20"
    assert gw.scalar("SELECT count(DISTINCT snapshot_date) FROM catalogue") == 1
    assert len(fetch_log()) == 5

    version, before = current_version_id(), folder_hash(fresh_data)
    result = CliRunner().invoke(app, ["fetch", "--config", str(config), "--user", "cron"])
    assert result.exit_code == 2, result.output  # failures and refusals are still reported
    assert "清單\tunchanged" in result.output and "統計資料夾\tunchanged" in result.output
    assert current_version_id() == version and folder_hash(fresh_data) == before
    assert len(entries()) == 2 and len(fetch_log()) == 10

    status = {r["來源"]: r for r in fetch_status(config)}
    assert status["清單"]["結果"] == "未變更（已匯入過）" and status["清單"]["資料日期"] == "2018-07-20"
    assert status["統計資料夾"]["資料日期"] == "2018-08-20"
    assert status["壞"]["結果"] == "擷取失敗" and status["壞"]["資料日期"] == "—"
    assert status["格式錯"]["結果"] == "拒絕匯入"


@pytest.mark.slow  # ≈3 s: the full suite runs it, the quick loop does not
def test_undone_files_are_not_fetched_again(fresh_data, tmp_path, server, monkeypatch):
    from kpi import service
    from kpi.importing.archive import active_entries

    monkeypatch.setenv("KPI_LINKCHECK_PRIVATE", "allow")
    config = tmp_path / "s.json"
    config.write_text(json.dumps({"sources": [
        {"name": "清單", "kind": "catalogue", "url": f"{server}/catalogue.csv"}]}), encoding="utf-8")
    first = service.fetch("test", config)
    service.undo(first[0]["seq"], "test")
    again = service.fetch("test", config)
    assert again[0]["result"] == "unchanged"
    assert [e.kind for e in active_entries()] == ["usage"]  # only the embedded default


def test_private_address_size_limit_and_missing_folder(fresh_data, tmp_path, server, monkeypatch):
    from kpi import service
    from kpi.importing.archive import entries

    monkeypatch.delenv("KPI_LINKCHECK_PRIVATE", raising=False)
    config = tmp_path / "s.json"
    config.write_text(json.dumps({"sources": [
        {"name": "內部", "kind": "catalogue", "url": f"{server}/catalogue.csv"},
        {"name": "不存在", "kind": "usage", "folder": str(tmp_path / "nowhere")},
    ]}), encoding="utf-8")
    records = service.fetch("test", config)
    assert "不連線到內部位址 127.0.0.1" in records[0]["message"] and "/catalogue.csv" not in HITS
    assert records[1]["result"] == "failed" and "不存在" in records[1]["message"]

    monkeypatch.setenv("KPI_LINKCHECK_PRIVATE", "allow")
    config.write_text(json.dumps({"sources": [
        {"name": "太大", "kind": "catalogue", "url": f"{server}/catalogue.csv", "max_bytes": 1000},
        {"name": "404", "kind": "catalogue", "url": f"{server}/gone.csv", "retries": 3}]}), encoding="utf-8")
    big, gone = service.fetch("test", config)
    assert big["result"] == "failed" and "超過上限 1,000" in big["message"]
    assert gone["result"] == "failed" and HITS["/gone.csv"] == 1  # a 404 is not retried
    assert entries() == []


def test_bad_config_is_named(tmp_path):
    from kpi.net.fetch import load_sources

    path = Path(__file__).parents[1] / "fixtures" / "catalogue_real_layout.csv"
    assert load_sources(path.with_name("no_such.json")) == []
    bad = {"sources": [{"name": "x", "kind": "usage"}]}
    tmp = tmp_path  # never the repo: parallel workers and a clean clone share it
    (tmp / "bad_sources.json").write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(ValueError, match="第 1 個來源「x」：url 與 folder 須擇一"):
        load_sources(tmp / "bad_sources.json")
