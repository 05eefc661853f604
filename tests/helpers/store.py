"""Data folders for tests: every test works on a copy of data/ (KPI_DATA_DIR), never on the repo's own.

Building the embedded default takes seconds; the suite needs a fresh writable store for about 170
tests. So the default is built once per test process (`build_template`, the `store_template`
fixture in tests/conftest.py) and each test gets a copy of that built folder (`built_copy`): a copy
of a few MB of files instead of a build. A real copy, not hard links: writers append to files in
place (audit/audit.jsonl), which would change the template through a link."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from kpi.config.paths import REPO_ROOT

SOURCE = REPO_ROOT / "data"
FIXTURES = REPO_ROOT / "tests" / "fixtures"
USAGE_HEADER = "提供機關名稱,資料集名稱,瀏覽人次,下載次數,資料集評分,上架日\n"


def copy_data(target: Path) -> Path:
    """The embedded inputs (raw, seed, default imports) without a built store."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(SOURCE / "raw", target / "raw")
    shutil.copytree(SOURCE / "seed", target / "seed")
    shutil.copy(SOURCE / "default_imports.json", target / "default_imports.json")
    return target


def build_template(target: Path) -> Path:
    """Copy the embedded inputs to `target` and build them, as `python -m kpi build` does."""
    copy_data(target)
    before = os.environ.get("KPI_DATA_DIR")
    os.environ["KPI_DATA_DIR"] = str(target)
    try:
        from kpi.service import build

        build("test")
    finally:
        if before is None:
            os.environ.pop("KPI_DATA_DIR", None)
        else:
            os.environ["KPI_DATA_DIR"] = before
    return target


def built_copy(template: Path, target: Path) -> Path:
    """A private, writable copy of a built data folder (the same files a build would write)."""
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(target)
    shutil.copytree(template, target, dirs_exist_ok=True)
    return target


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under store/ and imports/ with its sha256: 'byte-for-byte unchanged'."""
    out = {}
    for sub in ("store", "imports"):
        base = root / sub
        if base.exists():
            for p in sorted(base.rglob("*")):
                if p.is_file() and p.name != ".lock":
                    out[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out
