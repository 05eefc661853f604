"""Link checker for every 資料下載網址 of the catalogue (issue: broken links, files that won't come).

Async httpx with a per-host concurrency limit and an overall rate limit. HEAD first; GET when
HEAD is refused or says nothing useful (no type and no length), reading at most READ_LIMIT bytes.
Redirects are followed by hand so the chain and loops are recorded. One retry on connection
errors and timeouts. Each result is evidence: time, method, status, final URL, content type
vs the declared format, bytes read, elapsed, error. Results are appended to a run file as they
come, so a stopped run can be resumed; every run is kept, so a link broken twice in a row can be
told apart from one blip.

Limits (a catalogue URL is untrusted data): an overall deadline per run and per host and one per
URL (a slow-drip server cannot hold the run), the byte cap counted after decompression, at most
MAX_REDIRECTS hops each checked like the first, per-host concurrency, and no loopback, private,
link-local or metadata address (after DNS, on every hop) unless KPI_LINKCHECK_PRIVATE=allow.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from kpi.config.paths import data_dir
from kpi.config.tunables import default
from kpi.net.netguard import RateLimiter as _RateLimiter
from kpi.net.netguard import Refused, follow, read_capped

if TYPE_CHECKING:  # imported where a check runs: the build reads run_files() on every
    import httpx  # server's first page, and httpx costs 0.1 s of a cold start (bench/cold_parts.py)

READ_LIMIT = default("LINK_READ_LIMIT")  # kpi/config/tunables.py
MAX_REDIRECTS = default("MAX_REDIRECTS")  # kpi/config/tunables.py
EXPECTED_TYPES = {
    "CSV": ("text/csv", "text/plain", "application/csv", "application/octet-stream",
            "application/vnd.ms-excel"),
    "JSON": ("application/json", "text/json", "text/plain", "application/octet-stream"),
    "XML": ("application/xml", "text/xml", "application/rss+xml", "application/atom+xml"),
    "XLS": ("application/vnd.ms-excel", "application/octet-stream"),
    "XLSX": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "application/octet-stream", "application/zip"),
    "ODS": ("application/vnd.oasis.opendocument.spreadsheet", "application/octet-stream"),
    "PDF": ("application/pdf", "application/octet-stream"),
    "ZIP": ("application/zip", "application/x-zip-compressed", "application/octet-stream"),
}
FIELDS = ["run_id", "dataset_key", "agency", "url", "declared_format", "checked_at", "method",
          "status", "final_url", "content_type", "type_matches", "bytes_read", "elapsed_ms",
          "redirects", "error", "broken", "reason"]


@dataclass
class Target:
    dataset_key: str
    agency: str
    url: str
    declared_format: str = ""


@dataclass
class Result:
    run_id: str
    dataset_key: str
    agency: str
    url: str
    declared_format: str
    checked_at: str = ""
    method: str = ""
    status: int | None = None
    final_url: str = ""
    content_type: str = ""
    type_matches: bool | None = None
    bytes_read: int = 0
    elapsed_ms: int = 0
    redirects: int = 0
    error: str = ""
    broken: bool = False
    reason: str = ""


@dataclass
class Settings:
    """A run's limits; the defaults and their reasons are in kpi/config/tunables.py (LINK_*)."""

    per_host: int = default("LINK_PER_HOST")
    rate_per_second: float = default("LINK_RATE_PER_SECOND")
    timeout: float = default("LINK_TIMEOUT")
    retries: int = default("LINK_RETRIES")
    max_redirects: int = MAX_REDIRECTS
    user_agent: str = default("LINK_USER_AGENT")
    url_seconds: float = default("LINK_URL_SECONDS")
    host_seconds: float = default("LINK_HOST_SECONDS")
    run_seconds: float = default("LINK_RUN_SECONDS")


def _type_matches(declared: str, content_type: str) -> bool | None:
    expected = EXPECTED_TYPES.get(declared.upper())
    if not expected or not content_type:
        return None
    kind = content_type.split(";")[0].strip().lower()
    return kind in expected


async def _request(client: httpx.AsyncClient, method: str, url: str, s: Settings,
                   limiter: _RateLimiter) -> tuple[httpx.Response, list[str], bytes]:
    """One method with redirects followed by hand (netguard.follow); the last response, chain, body head."""
    async with follow(client, method, url, s.max_redirects, before_hop=limiter.wait) as (response, chain):
        body = await read_capped(response, READ_LIMIT) if method == "GET" else b""
        return response, chain, body


async def check_one(client: httpx.AsyncClient, target: Target, run_id: str, s: Settings,
                    limiter: _RateLimiter) -> Result:
    import httpx

    r = Result(run_id, target.dataset_key, target.agency, target.url, target.declared_format)
    r.checked_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    parts = urlsplit(target.url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        r.broken, r.reason, r.error = True, "網址無效", f"not an http(s) URL: {target.url!r}"
        return r
    start = time.monotonic()
    for attempt in range(s.retries + 1):
        try:
            r.method = "HEAD"
            resp, chain, body = await _request(client, "HEAD", target.url, s, limiter)
            useless = ("content-type" not in resp.headers and "content-length" not in resp.headers)
            length = resp.headers.get("content-length")
            if resp.status_code in (403, 405, 501) or useless or resp.status_code >= 400 \
                    or length in (None, "0"):
                r.method = "HEAD→GET"
                resp, chain, body = await _request(client, "GET", target.url, s, limiter)
            r.status = resp.status_code
            r.final_url = chain[-1]
            r.redirects = len(chain) - 1
            r.content_type = resp.headers.get("content-type", "")
            r.bytes_read = len(body)
            r.type_matches = _type_matches(target.declared_format, r.content_type)
            if resp.status_code >= 400:
                r.broken, r.reason = True, f"HTTP {resp.status_code}"
            elif r.method.endswith("GET") and not body:
                r.broken, r.reason = True, "檔案內容是空的"
            else:
                r.reason = "正常" if r.type_matches is not False else "正常，但內容類型與宣告格式不符"
            r.error = ""
            break
        except httpx.TooManyRedirects as err:
            r.broken, r.reason, r.error = True, "重新導向過多或迴圈", str(err)
            break
        except Refused as err:
            r.broken, r.reason, r.error = True, "拒絕檢查（內部或無效網址）", str(err)
            break
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError) as err:
            r.broken, r.reason, r.error = True, "網址無效", f"{type(err).__name__}: {err}"
            break
        except httpx.TimeoutException as err:
            r.broken, r.reason, r.error = True, "逾時", f"{type(err).__name__}: {err}"
        except (httpx.HTTPError, OSError) as err:
            r.broken, r.reason, r.error = True, "無法連線", f"{type(err).__name__}: {err}"
        if attempt < s.retries:
            await asyncio.sleep(0.2)
    r.elapsed_ms = int((time.monotonic() - start) * 1000)
    return r


async def check_all(targets: Iterable[Target], run_id: str, s: Settings | None = None,
                    on_result: Callable[[Result], None] | None = None,
                    should_stop: Callable[[], bool] | None = None) -> list[Result]:
    import httpx

    s = s or Settings()
    limiter = _RateLimiter(s.rate_per_second)
    hosts: dict[str, asyncio.Semaphore] = {}
    timeout = httpx.Timeout(s.timeout)
    results: list[Result] = []
    run_end = time.monotonic() + s.run_seconds
    host_end: dict[str, float] = {}
    headers = {"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"}
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=False, verify=True,
                                 headers=headers) as client:
        async def worker(t: Target) -> None:
            if should_stop and should_stop():
                return
            host = (urlsplit(t.url).netloc or "").lower()
            sem = hosts.setdefault(host, asyncio.Semaphore(s.per_host))
            async with sem:
                if should_stop and should_stop():
                    return
                end = min(run_end, host_end.setdefault(host, time.monotonic() + s.host_seconds))
                res = await _bounded(client, t, run_id, s, limiter, end)
            if res is None:
                return
            results.append(res)
            if on_result:
                on_result(res)

        await asyncio.gather(*(worker(t) for t in targets))
    return results


async def _bounded(client: httpx.AsyncClient, t: Target, run_id: str, s: Settings,
                   limiter: _RateLimiter, end: float) -> Result | None:
    """check_one under the URL, host and run deadlines. A URL reached after its host's or the
    run's time is up is not recorded (the run stays unfinished; --resume picks it up)."""
    budget = min(s.url_seconds, end - time.monotonic())
    if budget <= 0:
        return None
    started = time.monotonic()
    try:
        return await asyncio.wait_for(check_one(client, t, run_id, s, limiter), budget)
    except TimeoutError:
        r = Result(run_id, t.dataset_key, t.agency, t.url, t.declared_format, broken=True,
                   reason="逾時", error=f"DeadlineExceeded: 超過時間上限 {budget:.0f} 秒")
        r.checked_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        r.elapsed_ms = int((time.monotonic() - started) * 1000)
        return r


# ---------------------------------------------------------------- runs on disk (history, resume)

def runs_dir() -> Path:
    return data_dir() / "linkchecks"


def _run_paths(run_id: str) -> tuple[Path, Path]:
    return runs_dir() / f"{run_id}.csv", runs_dir() / f"{run_id}.json"


def latest_unfinished() -> str | None:
    for meta in sorted(runs_dir().glob("*.json"), reverse=True):
        if not json.loads(meta.read_text(encoding="utf-8")).get("finished_at"):
            return meta.stem
    return None


def run(targets: list[Target], settings: Settings | None = None, resume: bool = False,
        progress: Callable[[int, int, Result], None] | None = None,
        should_stop: Callable[[], bool] | None = None) -> tuple[str, list[Result]]:
    """Check targets, appending each result to the run file; resume skips those already done."""
    runs_dir().mkdir(parents=True, exist_ok=True)
    run_id = latest_unfinished() if resume else None
    run_id = run_id or dt.datetime.now(dt.UTC).strftime("run-%Y%m%dT%H%M%S%fZ")
    data_path, meta_path = _run_paths(run_id)
    done: set[tuple[str, str]] = set()
    if data_path.exists():
        with open(data_path, encoding="utf-8", newline="") as fh:
            done = {(row["dataset_key"], row["url"]) for row in csv.DictReader(fh)}
    todo = [t for t in targets if (t.dataset_key, t.url) not in done]
    meta = {"run_id": run_id, "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "total": len(targets), "finished_at": None}
    if meta_path.exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8")) | {"total": len(targets)}
    meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    new_file = not data_path.exists()
    count = [len(done)]
    with open(data_path, "a", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        if new_file:
            writer.writeheader()

        def on_result(res: Result) -> None:
            writer.writerow(asdict(res))
            fh.flush()
            count[0] += 1
            if progress:
                progress(count[0], len(targets), res)

        results = asyncio.run(check_all(todo, run_id, settings, on_result, should_stop))
    if count[0] >= len(targets) and not (should_stop and should_stop()):
        meta["finished_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return run_id, results


def run_files() -> list[Path]:
    return sorted(runs_dir().glob("run-*.csv")) if runs_dir().exists() else []
