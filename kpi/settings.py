"""Figures the office enters by hand (OAS-validated APIs per agency), kept with who and when.

They change the store like an import does: saved atomically, part of the version fingerprint,
rebuilt into the `oas_api` table.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile

import pandas as pd

from kpi.paths import data_dir

OAS_FILE = "settings/oas_apis.json"


def load_oas() -> dict[str, dict]:
    path = data_dir() / OAS_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def save_oas(agency: str, apis: int, user: str) -> None:
    if apis < 0 or apis > 10_000:
        raise ValueError(f"API 數 {apis} 不合理")
    data = load_oas()
    data[agency] = {"apis": int(apis), "entered_by": user,
                    "entered_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    path = data_dir() / OAS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".oas-")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
    os.replace(tmp, path)


def oas_table() -> pd.DataFrame:
    rows = [{"agency": a, **v} for a, v in load_oas().items()]
    return pd.DataFrame(rows, columns=["agency", "apis", "entered_by", "entered_at"]).astype(
        {"agency": "string", "apis": "int64", "entered_by": "string", "entered_at": "string"})
