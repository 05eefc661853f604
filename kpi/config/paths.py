"""Where things live on disk. Everything hangs off KPI_DATA_DIR (default: the repo's data/)."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """The data folder; tests point KPI_DATA_DIR at a copy so the repo's data/ is never touched."""
    return Path(os.environ.get("KPI_DATA_DIR") or REPO_ROOT / "data").resolve()


def raw_dir() -> Path:
    return data_dir() / "raw"


def seed_dir() -> Path:
    return data_dir() / "seed"


def store_dir() -> Path:
    return data_dir() / "store"


def archive_dir() -> Path:
    return data_dir() / "imports"
