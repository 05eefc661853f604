"""The office's settings, decisions and jobs, each under the one write lock and audited.

Split from kpi/service/__init__.py (the lock, the audit log, imports, undo and builds) so that no
module passes 300 lines; every function here goes through ``core._writing`` all the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import kpi.service as core
from kpi.config import settings
from kpi.store import Version, gateway


def check_links(targets: list, user: str, link_settings: Any = None, resume: bool = False,
                progress: Callable | None = None) -> tuple[str, list]:
    """Run the link checker (results kept per run) and fold them into a new version."""
    from kpi.net.linkcheck import Settings, run

    with core._writing(user, "check-links", targets=len(targets), resume=resume) as rec:
        run_id, results = run(targets, link_settings or Settings(), resume=resume, progress=progress)
        core._rebuild()
        rec["result"] = f"{run_id}：{len(results)} 個網址，失效 {sum(r.broken for r in results)} 個"
        return run_id, results


def set_oas(agency: str, apis: int, user: str) -> None:
    """An agency's OAS-validated API count (gold-award bonus), with who and when."""
    if not 0 <= int(apis) <= 10_000:
        raise ValueError(f"API 數 {apis} 不合理（0～10,000）")
    with core._writing(user, "set-oas", agency=agency, apis=int(apis)):
        data = settings.load_oas()
        data[agency] = {"apis": int(apis), "entered_by": user, "entered_at": settings.now_iso()}
        settings.write_setting(settings.OAS_FILE, data)
        core._rebuild()


def set_weights(weights: dict[str, float], user: str) -> None:
    """The composite ranking's weights: the office's setting, shown to viewers with who/when."""
    from kpi.metrics.plan import Weights

    checked = Weights.from_dict(weights)  # refuses unknown keys and out-of-range values
    with core._writing(user, "set-weights", weights=checked.as_dict()):
        settings.write_setting(settings.WEIGHTS_FILE, {
            "weights": checked.as_dict(), "set_by": user, "set_at": settings.now_iso()})


def set_growth_basis(basis: str, user: str) -> None:
    """Which reading of 成長量 the composite scores (kpi.metrics.plan_growth), kept with the weights:
    the other settings stay as saved (read under the lock, so a concurrent save is not lost)."""
    from kpi.metrics.plan import weights_in_force
    from kpi.metrics.plan_growth import GROWTH_BASES

    if basis not in GROWTH_BASES:
        raise ValueError(f"成長量採計方式須為 {'、'.join(GROWTH_BASES)}，收到 {basis}")
    with core._writing(user, "set-growth-basis", growth_basis=basis) as rec:
        current = weights_in_force()[0]
        checked = type(current).from_dict({**current.as_dict(), "growth_basis": basis})
        rec["previous"] = current.growth_basis
        settings.write_setting(settings.WEIGHTS_FILE, {
            "weights": checked.as_dict(), "set_by": user, "set_at": settings.now_iso()})


def decide_pair(user: str, decision: dict[str, Any]) -> str:
    from kpi.identity.matches import (
        record,  # confirm / reject a pairing, or undo: data/settings, then rebuilt
    )
    with core._writing(user, "decide-pair", **decision) as rec:
        return rec.setdefault("result", record(decision, user, core._now(), core._rebuild))


def decide_recount(user: str, decision: dict[str, Any]) -> str:
    """Confirm, reject or annotate a recount event, or undo the newest decision; then rebuilt."""
    from kpi.build.recount_decisions import record
    from kpi.store import gateway

    known = set(gateway().query("SELECT event_id FROM recount_event")["event_id"])
    with core._writing(user, "decide-recount", **decision) as rec:
        return rec.setdefault("result", record(decision, user, core._now(), known, core._rebuild))


def fetch(user: str, config: Path | None = None) -> list[dict[str, Any]]:
    """Fetch the configured sources (kpi.net.fetch): new files via import_file, the log under `_writing`."""
    from kpi.net.fetch import fetch_all
    return fetch_all(user, core.import_file, lambda **kw: core._writing(user, "fetch", **kw), config)


def backup(user: str, out: Path, keep: int | None = None) -> tuple[Path, dict[str, Any]]:
    """What cannot be rebuilt, read under the write lock (kpi/ops/backup.py)."""
    from kpi.ops.backup import run_backup
    return run_backup(lambda **kw: core._writing(user, "backup", **kw), out, keep)


def restore(user: str, file: Path, replace: bool = False) -> tuple[dict[str, Any], Version]:
    """Verified whole before anything is written, then restored and rebuilt under the lock."""
    from kpi.ops.backup import run_restore
    return run_restore(lambda **kw: core._writing(user, "restore", **kw), core._rebuild, file, replace)


def set_sending(user: str, what: str, **values: Any) -> dict[str, Any]:
    """The office's sending settings: what="delivery" (recipients, lead_days) or "notices" (enabled,
    every_days, contacts). Checked first (ValueError in zh-TW, nothing saved), then saved and audited."""
    from kpi.cycle import delivery, notices
    module = {"delivery": delivery, "notices": notices}[what]
    data = module.load_settings() | module.checked_settings(**values)
    with core._writing(user, f"set-{what}", **{k: v for k, v in data.items() if k != "contacts"}):
        data |= {"set_by": user, "set_at": settings.now_iso()}
        settings.write_setting(module.SETTINGS_FILE, data)
        return data


def deliver(user: str, today: dt.date, dry_run: bool = False, **options: Any) -> list[dict[str, Any]]:
    """Send the materials and notices due (kpi.cycle.delivery); a dry run writes nothing."""
    from kpi.cycle.delivery import run, summary
    if dry_run:
        return run(gateway(), today, dry_run=True)
    with core._writing(user, "deliver", today=today) as rec:
        rec["result"] = summary(results := run(gateway(), today, **options))
        return results
