"""The SQL layers a gateway defines over one store version: core views (kpi/sql/core.sql) over the
raw tables, then the marts (kpi/sql/marts/*.sql, one file per area: views and table macros with
named parameters) over the core views only — jaffle_shop's raw → core → marts, in one DuckDB.

kpi/metrics/*.py call a mart with bound values, ``gw.query("SELECT * FROM agency_usage(?, ?, ?)",
[as_of, agencies, since])``, and keep only small pandas steps; no SQL is assembled in Python
(tests/store/test_sql_layers.py). A macro's parameter is never named like a column (a column of
the same name would win inside the macro): dates end in ``_day``, the agency list is ``agencies``.

Why directives: DuckDB binds a view or macro when it is created, and a store may lack a table
(the catalogue until one is imported). A statement headed ``-- needs: <table>`` runs only when the
store has the table, ``-- unless: <table>`` only when it lacks it; the two define the same name, so
every mart binds either way and the "is it imported" checks still read the raw table's presence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
LAYERS = ("core.sql", "marts/*.sql")  # in this order: a mart binds to core views defined before it
_DIRECTIVE = re.compile(r"^--\s*(needs|unless):\s*(\w+)\s*$", re.MULTILINE)


def statements(text: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Each statement of a layer file (ending with ``;`` at a line end) and its directives."""
    for chunk in re.split(r";[ \t]*(?:--[^\n]*)?\n", text + "\n"):
        if chunk.strip() and not all(line.strip().startswith("--") or not line.strip()
                                     for line in chunk.splitlines()):
            yield chunk, {table: word for word, table in _DIRECTIVE.findall(chunk)}


def files() -> list[Path]:
    """The layer files in load order (a mart file's macros only use its own or core's names)."""
    return [path for pattern in LAYERS for path in sorted(SQL_DIR.glob(pattern))]


def define(con: duckdb.DuckDBPyConnection, tables: set[str]) -> None:
    """Run every layer's statements that apply to a store holding ``tables``."""
    for path in files():
        for sql, when in statements(path.read_text(encoding="utf-8")):
            if all((t in tables) == (word == "needs") for t, word in when.items()):
                con.execute(sql)
