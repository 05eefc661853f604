"""Fetching the office's recurring inputs: the portal's catalogue export, a folder of statistics
exports, any URL (data/settings/sources.json), imported through the normal import path.

Each source is read whole (a time limit per attempt, retries with backoff on timeouts, 5xx and
429, the import size limit), then handed to ``kpi.service.import_file`` — the same checks and
refusals as an upload, nothing half-imported. A file whose bytes were imported before as the same
kind (even if that import was undone) is not imported again, so a second fetch of unchanged
sources changes nothing in the store. Every item leaves one JSON line in data/imports/fetch_log.jsonl.
Network access goes through kpi.net.netguard (no private or loopback addresses unless allowed).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import fnmatch
import hashlib
import json
import re
import shutil
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

from kpi.config.paths import data_dir
from kpi.importing.errors import ImportRefused
from kpi.importing.sources import Source, load_sources

LOG = "imports/fetch_log.jsonl"  # beside the import archive (not committed)
TAIPEI = ZoneInfo("Asia/Taipei")
RETRY_STATUS = {429, 500, 502, 503, 504}
MAX_REDIRECTS = 5
RESULT_LABELS = {"imported": "已匯入", "unchanged": "未變更（已匯入過）", "refused": "拒絕匯入",
                 "failed": "擷取失敗"}
DATE_IN_NAME = re.compile(r"(20\d{2})[-_.]?(\d{2})[-_.]?(\d{2})")


class FetchFailed(Exception):
    """The source could not be read whole; the message is zh-TW, for the log."""


def _modified(header: str | None) -> dt.datetime | None:
    """Last-Modified, or None when absent; a header no one can read is that source's failure."""
    if not header:
        return None
    try:
        return parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        raise FetchFailed(f"伺服器的 Last-Modified 標頭無法辨識（{header[:40]!r}）") from None


def _today() -> dt.date:
    return dt.datetime.now(TAIPEI).date()


def _date_in_name(name: str) -> dt.date | None:
    for m in DATE_IN_NAME.finditer(name):
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            continue
    return None


def data_date(src: Source, name: str, modified: dt.datetime | None) -> dt.date:
    """The as-of date a fetched file is imported with, by the source's rule."""
    if src.as_of == "file_name":
        found = _date_in_name(name)
        if found is None:
            raise FetchFailed(f"檔名「{name}」中找不到日期（YYYY-MM-DD 或 YYYYMMDD）")
        return found
    if src.as_of == "last_modified" and modified is not None:
        return modified.astimezone(TAIPEI).date()
    return _today()


async def _get_once(url: str, src: Source) -> tuple[bytes, str, dt.datetime | None]:
    import httpx

    from kpi.net.netguard import check_url, read_capped

    timeout = httpx.Timeout(min(src.timeout, 30.0), read=src.timeout)
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=False, trust_env=False) as client:
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            await check_url(current)  # every hop, redirects included
            async with client.stream("GET", current, headers={"Accept-Encoding": "gzip"}) as r:
                if r.is_redirect and "location" in r.headers:
                    current = urljoin(current, r.headers["location"])
                    continue
                if r.status_code >= 400:
                    raise httpx.HTTPStatusError(f"HTTP {r.status_code}", request=r.request, response=r)
                if int(r.headers.get("content-length") or 0) > src.max_bytes:
                    raise FetchFailed(f"檔案 {int(r.headers['content-length']):,} 位元組超過上限 {src.max_bytes:,}")
                body = await read_capped(r, src.max_bytes + 1, whole=True)
                if len(body) > src.max_bytes:
                    raise FetchFailed(f"檔案超過上限 {src.max_bytes:,} 位元組，未匯入")
                return body, current, _modified(r.headers.get("last-modified"))
        raise FetchFailed(f"轉址超過 {MAX_REDIRECTS} 次")


def download(src: Source, sleep: Callable[[float], None] = time.sleep) -> tuple[bytes, dt.datetime | None, int]:
    """(body, Last-Modified, attempts): retried with exponential backoff on transient errors."""
    import httpx

    from kpi.net.netguard import Incomplete, Refused

    assert src.url is not None
    last = ""
    for attempt in range(1, src.retries + 2):
        try:
            body, _, modified = asyncio.run(asyncio.wait_for(_get_once(src.url, src), src.timeout))
            return body, modified, attempt
        except Refused as err:
            raise FetchFailed(str(err)) from None
        except httpx.HTTPStatusError as err:
            last = f"伺服器回應 HTTP {err.response.status_code}"
            if err.response.status_code not in RETRY_STATUS:
                break
        except Incomplete as err:  # a connection cut short: worth another try, never imported
            last = f"下載不完整：{err}"
        except (TimeoutError, httpx.TimeoutException):
            last = f"逾時（{src.timeout:g} 秒內未讀完）"
        except (httpx.TransportError, OSError) as err:
            last = f"連線失敗：{type(err).__name__}"
        if attempt <= src.retries:
            sleep(src.backoff * 2 ** (attempt - 1))
    raise FetchFailed(f"{last}（共嘗試 {attempt} 次）")


def _seen() -> dict[tuple[str, str], Any]:
    """(kind, sha256) of every import ever made, undone ones too: fetching never re-imports
    bytes the office already has or deliberately took back."""
    from kpi.importing import archive
    from kpi.importing.pipeline import kind_family

    return {(kind_family(e.kind), e.sha256): e for e in archive.default_entries() + archive.entries()}


def _folder_files(src: Source) -> list[Path]:
    folder = Path(src.folder or "")
    if not folder.is_dir():
        raise FetchFailed(f"資料夾「{folder}」不存在")
    inside = folder.resolve()  # a link to a file outside the folder is never followed
    files = [p for p in folder.iterdir() if p.is_file() and fnmatch.fnmatch(p.name, src.pattern)
             and not p.name.startswith((".", "~$")) and p.resolve().parent == inside]
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))  # oldest first: snapshots in order


def _items(src: Source) -> list[tuple[str, Callable[[], tuple[bytes, dt.datetime | None, int]]]]:
    """(file name, reader) for each file the source offers now."""
    if src.url:
        name = Path(urlsplit(src.url).path).name or f"{src.name}.csv"
        return [(name, lambda: download(src))]

    def reader(p: Path) -> Callable[[], tuple[bytes, dt.datetime | None, int]]:
        def read() -> tuple[bytes, dt.datetime | None, int]:
            if p.stat().st_size > src.max_bytes:
                raise FetchFailed(f"檔案 {p.stat().st_size:,} 位元組超過上限 {src.max_bytes:,}")
            return p.read_bytes(), dt.datetime.fromtimestamp(p.stat().st_mtime, dt.UTC), 1
        return read
    return [(p.name, reader(p)) for p in _folder_files(src)]


ImportFile = Callable[..., Any]  # kpi.service.import_file


def fetch_source(src: Source, user: str, import_file: ImportFile) -> list[dict[str, Any]]:
    """Fetch one source and import what is new; one log record per file (or one on failure)."""
    base = {"source": src.name, "kind": src.kind, "from": src.url or src.folder}
    started = time.monotonic()
    try:
        items = _items(src)
    except (FetchFailed, OSError) as err:
        from kpi.faults.messages import describe

        return [base | {"result": "failed", "message": describe(err)}]
    records = []
    for name, read in items:
        rec = base | {"file": name}
        try:
            body, modified, attempts = read()
            rec |= {"bytes": len(body), "attempts": attempts, "sha256": hashlib.sha256(body).hexdigest()}
            if (prior := _seen().get((src.kind, rec["sha256"]))) is not None:
                rec |= {"result": "unchanged", "as_of": prior.as_of,
                        "message": f"內容與已匯入之「{prior.file_name}」相同，未重複匯入"}
            else:
                rec |= _import(src, name, body, modified, user, import_file)
        except FetchFailed as err:
            rec |= {"result": "failed", "message": str(err)}
        except ImportRefused as err:
            rec |= {"result": "refused", "message": err.text(limit=5)}
        except Exception as err:  # one bad source never stops the others
            from kpi.faults.messages import describe

            rec |= {"result": "failed", "message": describe(err)}
        rec["elapsed_ms"] = round((time.monotonic() - started) * 1000)
        records.append(rec)
    return records or [base | {"result": "unchanged", "message": "資料夾中沒有符合的檔案"}]


def _import(src: Source, name: str, body: bytes, modified: dt.datetime | None, user: str,
            import_file: ImportFile) -> dict[str, Any]:
    as_of = data_date(src, name, modified)
    if not Path(name).suffix:
        name = f"{name}.csv"
    stem = Path(name)
    display = name if _date_in_name(name) else f"{stem.stem}_{as_of:%Y%m%d}{stem.suffix}"
    from kpi.faults.staging import stage
    from kpi.importing.kinds import NEEDS_AS_OF

    path = stage(body, display)  # under the data folder, removed on every way out
    try:
        parsed, result = import_file(src.kind, path, as_of if src.kind in NEEDS_AS_OF else None, user,
                                     agency=src.agency, replace=src.replace, display_name=display)
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    return {"result": "imported" if result.changed else "unchanged", "as_of": as_of.isoformat(),
            "seq": result.seq, "rows": parsed.rows, "message": result.message}


def fetch_all(user: str, import_file: ImportFile, writing: Callable[..., Any],
              config: Path | None = None) -> list[dict[str, Any]]:
    """Every configured source, then the log lines written under the service's write context."""
    records = []
    for src in load_sources(config):
        records += fetch_source(src, user, import_file)
    at = dt.datetime.now(TAIPEI).isoformat(timespec="seconds")
    counts = {k: sum(r["result"] == k for r in records) for k in RESULT_LABELS}
    with writing(sources=len(records), **counts) as audit:
        path = data_dir() / LOG
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as fh:
            for r in records:
                fh.write(json.dumps({"at": at, "user": user, **r}, ensure_ascii=False, default=str) + "\n")
        audit["result"] = "、".join(f"{RESULT_LABELS[k]} {n}" for k, n in counts.items() if n) or "沒有設定來源"
    return records


def fetch_log(limit: int = 2000) -> list[dict[str, Any]]:
    path = data_dir() / LOG
    if not path.exists():
        return []
    from kpi.faults.messages import json_lines

    return json_lines(path, limit)


def fetch_status(config: Path | None = None) -> list[dict[str, str]]:
    """Per configured source: its last fetch, that fetch's result and the data date it holds
    (the as-of date of the newest file imported or matched), zh-TW labelled for the office."""
    log = fetch_log()
    rows = []
    for src in load_sources(config):
        mine = [r for r in log if r.get("source") == src.name]
        last = mine[-1] if mine else {}
        dated = [r["as_of"] for r in mine if r.get("as_of") and r.get("result") in ("imported", "unchanged")]
        rows.append({"來源": src.name, "種類": src.kind, "位置": src.url or src.folder or "",
                     "最後擷取": last.get("at", "尚未擷取"),
                     "結果": RESULT_LABELS.get(last.get("result", ""), "—"),
                     "資料日期": max(dated) if dated else "—",
                     "說明": str(last.get("message", ""))[:300]})
    return rows
