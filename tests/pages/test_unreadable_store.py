"""A data folder whose store cannot be built: every page says so in one zh-TW sentence naming the
file, instead of Streamlit's redacted "This app has encountered an error", and nothing is published.

Seen on 2026-12-05: a benchmark folder without its seed/ showed the redacted error on every page.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kpi.config.paths import REPO_ROOT
from kpi.reference.menu import VIEWER_PAGES
from tests.helpers.apptest import app


def _folder(root: Path) -> Path:
    """The embedded default's inputs (no store yet), as a fresh install or a new KPI_DATA_DIR has."""
    data = root / "data"
    shutil.copytree(REPO_ROOT / "data" / "raw", data / "raw")
    shutil.copytree(REPO_ROOT / "data" / "seed", data / "seed")
    shutil.copy(REPO_ROOT / "data" / "default_imports.json", data / "default_imports.json")
    return data


def _shown(at) -> str:
    return " ".join(e.value for e in at.error).replace("\\", "")  # the Markdown escapes of plain()


@pytest.mark.parametrize("page", [VIEWER_PAGES[0].script, VIEWER_PAGES[2].script])
def test_a_missing_seed_file_is_named_on_the_page_and_nothing_is_published(page, tmp_path, monkeypatch):
    data = _folder(tmp_path)
    (data / "seed" / "usage_20171030.csv").unlink()
    monkeypatch.setenv("KPI_DATA_DIR", str(data))
    at = app()  # fails on any exception reaching Streamlit
    at.switch_page(page).run()
    assert not at.exception
    text = _shown(at)
    assert "無法開啟或建立資料" in text
    assert "usage_20171030.csv" in text and "找不到此路徑" in text
    assert "This app has encountered an error" not in text
    assert not list(data.rglob("CURRENT.json"))  # no version published
    assert not at.dataframe and not at.metric  # the page itself did not run on half a store


def test_an_unexpected_failure_is_worded_too(tmp_path, monkeypatch):
    """Not an OS error (a seed file that is not a table at all): still one zh-TW sentence."""
    data = _folder(tmp_path)
    (data / "seed" / "usage_20171030.csv").write_bytes(b"\x00\xff" * 50)
    monkeypatch.setenv("KPI_DATA_DIR", str(data))
    at = app()
    text = _shown(at)
    assert "無法開啟或建立資料" in text
    assert any("\u4e00" <= c <= "\u9fff" for c in text.split("：", 1)[1])
    assert not list(data.rglob("CURRENT.json"))  # no version published
