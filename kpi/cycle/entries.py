"""An office entry made on a page or the command line becomes a one-row CSV, imported like any file
(the import machinery validates, archives, audits and undoes it)."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd


@contextlib.contextmanager
def entry_file(rows: list[dict[str, Any]], name: str) -> Iterator[Path]:
    """The rows as a UTF-8 (BOM) CSV in a private temporary folder, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="kpi-entry-"))
    try:
        path = folder / name
        pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8-sig")
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def enter(kind: str, rows: list[dict[str, Any]], user: str, name: str):
    """An office entry (meeting, resolution) imported through kpi.service as a one-row file:
    audited, archived and undone like any import. Raises ImportRefused (nothing changed)."""
    from kpi.service import import_file

    with entry_file(rows, name) as path:
        return import_file(kind, path, None, user, display_name=name)[1]
