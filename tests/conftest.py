"""Every test works on a copy of data/ (KPI_DATA_DIR), never on the repo's own folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kpi.config.paths import REPO_ROOT

SOURCE = REPO_ROOT / "data"


def copy_data(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(SOURCE / "raw", target / "raw")
    shutil.copytree(SOURCE / "seed", target / "seed")
    shutil.copy(SOURCE / "default_imports.json", target / "default_imports.json")
    return target


@pytest.fixture(scope="session")
def built_data(tmp_path_factory) -> Path:
    """A built store on the embedded default data, shared read-only by the tests."""
    path = copy_data(tmp_path_factory.mktemp("data"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KPI_DATA_DIR", str(path))
        from kpi.service import build

        build("test")
    return path


@pytest.fixture
def gw(built_data, monkeypatch):
    monkeypatch.setenv("KPI_DATA_DIR", str(built_data))
    from kpi.store import gateway

    return gateway()


@pytest.fixture
def fresh_data(tmp_path, monkeypatch) -> Path:
    """A private, built copy for tests that import or undo (they change the store)."""
    path = copy_data(tmp_path / "data")
    monkeypatch.setenv("KPI_DATA_DIR", str(path))
    from kpi.service import build

    build("test")
    return path
