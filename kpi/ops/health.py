"""`python -m kpi health`: is the dashboard fit for the next meeting, and if not, why.

Streamlit's /_stcore/health only says a process answers; the office also needs to know that the
data is recent, the last fetch worked, the disk is not filling up and every process answers.
Each check gives a zh-TW problem line when it needs attention; any problem → exit 1.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import urllib.request
from pathlib import Path
from typing import Any

from kpi.config.paths import data_dir
from kpi.ops.config import number

RUN_FILE = "run/serve.json"  # written by `kpi serve` (kpi/ops/serve.py); not backed up
FAILED_RESULTS = ("failed", "refused")


def _store() -> tuple[dict[str, Any], list[str]]:
    from kpi.build import BUILD_FORMAT, version_id_for_inputs
    from kpi.store import StoreMissing, read_manifest

    try:
        version = read_manifest()
    except StoreMissing:
        return {"version": None}, ["尚未建立資料庫（python -m kpi build）"]
    stored_format = (version.meta.get("parts") or {}).get("format")
    current = version.version_id == version_id_for_inputs()
    info = {"version": version.version_id, "built_at": version.built_at, "format": stored_format,
            "code_format": BUILD_FORMAT, "matches_inputs": current,
            "snapshots": version.meta.get("snapshots") or []}
    problems = []
    if stored_format != BUILD_FORMAT:
        problems.append(f"資料庫格式 {stored_format} 與程式 {BUILD_FORMAT} 不同，背景重建中或待重建")
    elif not current:
        problems.append("資料庫與匯入紀錄不一致，待重建（python -m kpi build）")
    return info, problems


def _data_age(snapshots: list[str], today: dt.date) -> tuple[dict[str, Any], list[str]]:
    limit = number("KPI_HEALTH_MAX_AGE_DAYS")
    if not snapshots:
        return {"as_of": None, "age_days": None, "max_age_days": limit}, ["資料庫沒有任何快照"]
    as_of = dt.date.fromisoformat(max(snapshots))
    age = (today - as_of).days
    info = {"as_of": as_of.isoformat(), "age_days": age, "max_age_days": limit}
    return info, ([f"最新資料已 {age} 天未更新（上限 {limit:g} 天）"] if age > limit else [])


def _last_fetch() -> tuple[dict[str, Any], list[str]]:
    from kpi.net.fetch import fetch_log

    log = fetch_log()
    if not log:
        return {"at": None, "result": None, "failed": []}, []
    last_at = log[-1].get("at")
    run = [r for r in log if r.get("at") == last_at]
    failed = [str(r.get("source", "")) for r in run if r.get("result") in FAILED_RESULTS]
    info = {"at": last_at, "result": "failed" if failed else "ok", "items": len(run), "failed": failed}
    return info, ([f"最後一次擷取（{last_at}）失敗：{'、'.join(failed)}"] if failed else [])


def _disk() -> tuple[dict[str, Any], list[str]]:
    folder = data_dir()
    while not folder.exists():
        folder = folder.parent
    free_mb = shutil.disk_usage(folder).free / 2**20
    limit = number("KPI_HEALTH_MIN_FREE_MB")
    info = {"free_mb": round(free_mb), "min_free_mb": limit}
    return info, ([f"資料夾所在磁碟只剩 {free_mb:,.0f} MB（下限 {limit:,.0f} MB）"] if free_mb < limit else [])


def _answers(port: int) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never a proxy
    try:
        with opener.open(f"http://127.0.0.1:{port}/_stcore/health", timeout=1.5) as resp:
            return resp.status == 200
    except OSError:
        return False


def backend_ports() -> list[int]:
    """The dashboard processes to ask: those `kpi serve` started (its run file, while it lives),
    else KPI_BACKEND_PORTS (systemd: the instances of kpi-dashboard@), else none."""
    path = data_dir() / RUN_FILE
    if path.exists():
        try:
            run = json.loads(path.read_text(encoding="utf-8"))
            os.kill(int(run["pid"]), 0)  # a run file left by a `kpi serve` that was killed: ignored
            return [int(p["port"]) for p in run["processes"]]
        except (OSError, KeyError, ValueError, TypeError):
            pass
    raw = os.environ.get("KPI_BACKEND_PORTS", "")
    return [int(x) for x in raw.replace(",", " ").split() if x.strip()]


def _processes() -> tuple[dict[str, Any], list[str]]:
    ports = backend_ports()
    answering = [p for p in ports if _answers(p)]
    down = [p for p in ports if p not in answering]
    info = {"ports": ports, "answering": answering, "not_answering": down}
    return info, ([f"儀表板程序未回應：埠 {'、'.join(map(str, down))}"] if down else [])


def health(today: dt.date | None = None) -> dict[str, Any]:
    """Every check; ``status`` is "ok" or "attention" and ``problems`` says why (zh-TW)."""
    from kpi.net.fetch import TAIPEI

    today = today or dt.datetime.now(TAIPEI).date()
    store, problems = _store()
    out: dict[str, Any] = {"checked_at": dt.datetime.now(TAIPEI).isoformat(timespec="seconds"),
                           "store": {k: v for k, v in store.items() if k != "snapshots"}}
    for key, (info, found) in {"data": _data_age(store.get("snapshots") or [], today),
                               "fetch": _last_fetch(), "disk": _disk(),
                               "processes": _processes()}.items():
        out[key] = info
        problems += found
    out["problems"] = problems
    out["status"] = "attention" if problems else "ok"
    return out


def lines(report: dict[str, Any]) -> list[str]:
    """The report as zh-TW lines (CLI and the office page), 民國 dates."""
    from kpi.reference.dates import roc

    s, d, f, k, p = (report[x] for x in ("store", "data", "fetch", "disk", "processes"))
    out = [f"狀態：{'正常' if report['status'] == 'ok' else '需要處理'}",
           f"資料版本：{s.get('version') or '—'}（格式 {s.get('format', '—')}，程式格式 "
           f"{s.get('code_format', '—')}，{'與匯入紀錄一致' if s.get('matches_inputs') else '待重建'}）",
           f"資料日期：{roc(dt.date.fromisoformat(d['as_of'])) if d['as_of'] else '—'}"
           + (f"（{d['age_days']} 天前，上限 {d['max_age_days']:g} 天）" if d['as_of'] else ""),
           f"最後擷取：{f['at'] or '尚未擷取'}"
           + ({"ok": "（成功）", "failed": "（失敗）"}.get(f["result"] or "", "")),
           f"磁碟剩餘：{k['free_mb']:,} MB（下限 {k['min_free_mb']:,.0f} MB）",
           f"儀表板程序：{len(p['answering'])}/{len(p['ports'])} 個回應" if p["ports"]
           else "儀表板程序：未設定（非服務模式）"]
    return out + [f"需要處理：{x}" for x in report["problems"]]


def write_run_file(folder: Path, record: dict[str, Any]) -> None:
    """`kpi serve` records its pid and its processes' ports here for health to ask."""
    path = folder / RUN_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)
