"""The deployment settings: deploy/kpi.conf's lines as defaults, the environment over them.

One file serves systemd (EnvironmentFile=) and the CLI, so a threshold is set in one place.
"""

from __future__ import annotations

import os
from pathlib import Path

from kpi.config.paths import REPO_ROOT

CONF = REPO_ROOT / "deploy" / "kpi.conf"  # KPI_CONF names another (e.g. /etc/kpi/kpi.conf)


def defaults(path: Path | None = None) -> dict[str, str]:
    """KEY=value lines of the settings file (comments and blank lines skipped)."""
    path = path or Path(os.environ.get("KPI_CONF") or CONF)
    if not path.exists():
        return {}
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            out[key.strip()] = value.strip()
    return out


def setting(name: str) -> str:
    """The environment's value, else the settings file's (KeyError names a missing key)."""
    value = os.environ.get(name)
    if value:
        return value
    return defaults()[name]


def number(name: str) -> float:
    try:
        return float(setting(name))
    except ValueError:
        raise ValueError(f"設定 {name}「{setting(name)}」不是數字") from None
