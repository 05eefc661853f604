"""A hand-built DuckDB holding only the tables one rule reads, so a boundary test can place a row
exactly one day either side of it (the embedded data rarely has both sides)."""

from __future__ import annotations

import contextlib
from typing import Any

import duckdb
import pandas as pd

from kpi.store import layers


class TinyGateway:
    """The calls the metrics make (``query``, ``scalar``, ``has_table``) over tables given as data
    frames, with the store's own SQL layers (core views, marts) defined over them: every layer
    statement whose tables are here, the rest skipped as a store without them would be."""

    def __init__(self, **tables: pd.DataFrame):
        self._con = duckdb.connect(":memory:")
        for name, frame in tables.items():
            self._con.register(f"_{name}", frame)
            self._con.execute(f"CREATE TABLE {name} AS SELECT * FROM _{name}")
            self._con.unregister(f"_{name}")
        for path in layers.files():
            for sql, when in layers.statements(path.read_text(encoding="utf-8")):
                if all((t in tables) == (word == "needs") for t, word in when.items()):
                    with contextlib.suppress(duckdb.Error):  # a table or column not held here
                        self._con.execute(sql)

    def has_table(self, name: str) -> bool:
        return bool(self.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                                [name]))

    def query(self, sql: str, params: list[Any] | tuple[Any, ...] | None = None) -> pd.DataFrame:
        return self._con.execute(sql, list(params or [])).df()

    def scalar(self, sql: str, params: list[Any] | tuple[Any, ...] | None = None) -> Any:
        row = self._con.execute(sql, list(params or [])).fetchone()
        return row[0] if row else None
