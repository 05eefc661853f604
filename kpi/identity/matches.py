"""The office's decisions on dataset pairings across snapshots: data, not code.

A decision says that dataset ``old_name`` of ``agency`` in the snapshot before ``as_of`` is (confirm)
or is not (reject) the same dataset as ``new_name`` in the ``as_of`` snapshot, with who, when and
why. Names are as published. Two sources, the later winning for the same pair:

- data/seed/match_decisions.json: the decisions shipped with the embedded default data (reviewed by
  hand; part of the build fingerprint);
- data/settings/match_decisions.json: the office's own, appended by kpi.service.decide_pair under
  the write lock; an undo marks a decision undone (it stays listed), so the seed's applies again.

The build (kpi.build.identity) applies the active decisions; nothing here computes a figure.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kpi.config.paths import data_dir, seed_dir
from kpi.config.settings import write_and_rebuild

SEED_FILE = "match_decisions.json"
OFFICE_FILE = "settings/match_decisions.json"
DECISIONS = ("confirm", "reject")
COLUMNS = ["as_of", "since", "agency", "old_name", "new_name", "decision", "reason", "decided_by",
           "decided_at", "source"]


@dataclass(frozen=True)
class Decision:
    as_of: dt.date
    agency: str
    old_name: str
    new_name: str
    decision: str  # confirm | reject
    reason: str
    decided_by: str
    decided_at: str
    since: dt.date | None = None
    source: str = "資訊處"

    @property
    def key(self) -> tuple[dt.date, str, str, str]:
        return (self.as_of, self.agency, self.old_name, self.new_name)


def _date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _decision(row: dict, source: str) -> Decision:
    return Decision(as_of=_date(row["as_of"]), agency=str(row["agency"]), old_name=str(row["old_name"]),
                    new_name=str(row["new_name"]), decision=str(row["decision"]),
                    reason=str(row.get("reason") or ""), decided_by=str(row.get("decided_by") or ""),
                    decided_at=str(row.get("decided_at") or ""), since=_date(row.get("since")),
                    source=source)


def seed_decisions() -> list[Decision]:
    return [_decision(r, "內建預設") for r in seed_records()]


def seed_records() -> list[dict[str, Any]]:
    """The shipped decisions as written (the fingerprint reads these)."""
    path = seed_dir() / SEED_FILE
    if not path.exists():
        return []
    return list(json.loads(path.read_text(encoding="utf-8")).get("decisions", []))


def office_records() -> list[dict[str, Any]]:
    """The office's decisions as written, undone ones included (the fingerprint reads these)."""
    path = data_dir() / OFFICE_FILE
    if not path.exists():
        return []
    return list(json.loads(path.read_text(encoding="utf-8")).get("decisions", []))


def active_decisions() -> dict[tuple, Decision]:
    """Pair key → the decision in force: the office's newest not-undone one, else the seed's."""
    out = {d.key: d for d in seed_decisions()}
    for r in office_records():
        if not r.get("undone_at"):
            d = _decision(r, "資訊處")
            out[d.key] = d
    return out


def decision_table() -> pd.DataFrame:
    """Every decision, seed and office, undone ones marked; ``active`` = the one in force for its
    pair (stored with each version; 計算說明 and the matches list read it)."""
    decisions = [(d, "") for d in seed_decisions()]
    decisions += [(_decision(r, "資訊處"), r.get("undone_at") or "") for r in office_records()]
    in_force: dict[tuple, int] = {}
    for i, (d, undone) in enumerate(decisions):
        if not undone:
            in_force[d.key] = i
    rows = [vars(d) | {"undone_at": undone, "active": in_force.get(d.key) == i}
            for i, (d, undone) in enumerate(decisions)]
    frame = pd.DataFrame(rows, columns=[*COLUMNS, "undone_at", "active"])
    for col in ("as_of", "since"):
        frame[col] = pd.to_datetime(frame[col]).dt.date
    return frame.astype({"active": "bool"})


def record(decision: dict[str, Any], user: str, now: str, rebuild: Callable[[], Any]) -> str:
    """Write one decision (or undo one) to the office file and rebuild; on a failed rebuild the
    file is put back. Called only by kpi.service.decide_pair, which holds the write lock."""
    records = office_records()
    before = [dict(r) for r in records]
    kind = decision.get("decision")
    key = (_date(decision.get("as_of")), decision.get("agency"), decision.get("old_name"),
           decision.get("new_name"))
    if None in key or "" in key:
        raise ValueError("比對決定須有資料日期、機關、前次名稱與本次名稱")
    if kind == "undo":
        hit = [r for r in records if not r.get("undone_at") and _decision(r, "").key == key]
        if not hit:
            raise ValueError("沒有可復原的比對決定（內建預設的決定請以相反決定覆蓋）")
        hit[-1]["undone_at"], hit[-1]["undone_by"] = now, user
        message = f"已復原「{key[2]}」↔「{key[3]}」的決定"
    elif kind in DECISIONS:
        reason = str(decision.get("reason") or "").strip()
        if not reason:
            raise ValueError("請寫明理由")
        since = _date(decision.get("since"))
        records.append({"as_of": key[0].isoformat(), "since": since.isoformat() if since else None,
                        "agency": key[1], "old_name": key[2], "new_name": key[3], "decision": kind,
                        "reason": reason, "decided_by": user, "decided_at": now})
        message = f"已{'確認' if kind == 'confirm' else '否決'}「{key[2]}」↔「{key[3]}」"
    else:
        raise ValueError(f"決定只能是 confirm、reject 或 undo，收到「{kind}」")
    version = write_and_rebuild(OFFICE_FILE, {"decisions": records}, {"decisions": before}, rebuild)
    return f"{message}，資料版本 {version.version_id}"
