"""Figures and choices the office sets by hand (OAS-validated APIs, ranking weights and the 成長量
reading the composite scores), with who/when.

Read by anyone; written only by kpi.service under the write lock. The OAS counts are part of
the version fingerprint (they change a figure); the weights are read live by the plan marts.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from typing import Any

import pandas as pd

from kpi.config.paths import data_dir

OAS_FILE = "settings/oas_apis.json"
WEIGHTS_FILE = "settings/weights.json"


def _load(rel: str) -> dict[str, Any]:
    from kpi.faults.messages import DamagedFile, read_json

    path = data_dir() / rel
    if not path.exists():
        return {}
    data = read_json(path, "設定檔", "請由備份還原，或刪除此檔改用預設值")
    if not isinstance(data, dict):
        raise DamagedFile(f"設定檔「{path}」應為 JSON 物件；請由備份還原，或刪除此檔改用預設值。")
    return data


def load_setting(rel: str) -> dict[str, Any]:
    """One settings file of the data folder ({} when absent)."""
    return _load(rel)


def load_oas() -> dict[str, dict]:
    return _load(OAS_FILE)


def load_weights() -> dict[str, Any]:
    """{"weights": {...}, "set_by": ..., "set_at": ...}, or {} while the defaults are in force."""
    return _load(WEIGHTS_FILE)


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def write_setting(rel: str, data: dict[str, Any]) -> None:
    """Atomic replace, world-readable (a separate service account reads the data folder)."""
    path = data_dir() / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".setting-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_and_rebuild(rel: str, data: dict[str, Any], before: dict[str, Any], rebuild: Any) -> Any:
    """Write a decision file, then rebuild; on a failed rebuild the file is put back as it was, so
    the decisions on disk always match the published version. Returns the new version."""
    write_setting(rel, data)
    try:
        version, _ = rebuild()
    except BaseException:
        write_setting(rel, before)
        raise
    return version


def oas_table() -> pd.DataFrame:
    rows = [{"agency": a, **v} for a, v in load_oas().items()]
    return pd.DataFrame(rows, columns=["agency", "apis", "entered_by", "entered_at"]).astype(
        {"agency": "string", "apis": "int64", "entered_by": "string", "entered_at": "string"})
