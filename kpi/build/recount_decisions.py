"""The office's decisions on recount events: confirm, reject or annotate — data, not code.

Kept in data/settings/recount_decisions.json, appended by kpi.service.decide_recount under the
write lock and audited there; an undo marks the newest decision of an event undone (it stays
listed). Part of the build fingerprint: a decision publishes a new version, so every cache keyed
on the data version sees it. A rejected event's datasets count as ordinary rises and resets again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kpi.config.settings import _load, write_and_rebuild

OFFICE_FILE = "settings/recount_decisions.json"
DECISIONS = {"confirm": "確認", "reject": "否決", "note": "加註"}


def office_records() -> list[dict[str, Any]]:
    """Every decision as written, undone ones included (the fingerprint reads these)."""
    return list(_load(OFFICE_FILE).get("decisions", []))


def active_decisions() -> dict[str, dict[str, str]]:
    """event_id → status (detected / confirmed / rejected), the newest note, who and when."""
    out: dict[str, dict[str, str]] = {}
    for r in office_records():
        if r.get("undone_at"):
            continue
        d = out.setdefault(r["event_id"], {"status": "detected"})
        if r["decision"] in ("confirm", "reject"):
            d["status"] = "confirmed" if r["decision"] == "confirm" else "rejected"
        d |= {"note": r.get("note") or "", "decided_by": r.get("decided_by") or "",
              "decided_at": r.get("decided_at") or ""}
    return out


def record(decision: dict[str, Any], user: str, now: str, known: set[str],
           rebuild: Callable[[], Any]) -> str:
    """Write one decision (or undo the newest) and rebuild; the file is put back if the rebuild
    fails. Called only by kpi.service.decide_recount, which holds the write lock."""
    event_id, kind = str(decision.get("event_id") or ""), decision.get("decision")
    note = str(decision.get("note") or "").strip()
    if event_id not in known:
        raise ValueError(f"沒有代號為「{event_id}」的重新計數事件")
    records = office_records()
    before = [dict(r) for r in records]
    if kind == "undo":
        live = [r for r in records if r["event_id"] == event_id and not r.get("undone_at")]
        if not live:
            raise ValueError("此事件沒有可復原的決定")
        live[-1]["undone_at"], live[-1]["undone_by"] = now, user
        message = f"已復原事件「{event_id}」最近一次的決定"
    elif kind in DECISIONS:
        if not note:
            raise ValueError("請寫明理由或說明")
        records.append({"event_id": event_id, "decision": kind, "note": note, "decided_by": user,
                        "decided_at": now})
        message = f"已{DECISIONS[kind]}事件「{event_id}」"
    else:
        raise ValueError(f"決定只能是 confirm、reject、note 或 undo，收到「{kind}」")
    version = write_and_rebuild(OFFICE_FILE, {"decisions": records}, {"decisions": before}, rebuild)
    return f"{message}，資料版本 {version.version_id}"
