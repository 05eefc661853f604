"""A hand-built DuckDB holding only the tables one rule reads, so a boundary test can place a row
exactly one day either side of it (the embedded data rarely has both sides)."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd


class TinyGateway:
    """The two calls the metrics make (``query``, ``scalar``) over tables given as data frames."""

    def __init__(self, **tables: pd.DataFrame):
        self._con = duckdb.connect(":memory:")
        for name, frame in tables.items():
            self._con.register(f"_{name}", frame)
            self._con.execute(f"CREATE TABLE {name} AS SELECT * FROM _{name}")
            self._con.unregister(f"_{name}")

    def query(self, sql: str, params: list[Any] | tuple[Any, ...] | None = None) -> pd.DataFrame:
        return self._con.execute(sql, list(params or [])).df()

    def scalar(self, sql: str, params: list[Any] | tuple[Any, ...] | None = None) -> Any:
        row = self._con.execute(sql, list(params or [])).fetchone()
        return row[0] if row else None
