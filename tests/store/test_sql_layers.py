"""Marts read the core layer only, and no SQL in kpi/metrics is assembled from pieces (issue 28).

Every SQL text the marts run is parsed by DuckDB itself (json_serialize_sql): the mart definitions
in kpi/sql/marts/*.sql and every SQL string left in kpi/metrics, kpi/exports and kpi/cycle. A name they read must be a
core_* relation of kpi/sql/core.sql, a mart defined before it, or one of its own CTEs — never a
raw table. A SQL string that does not parse on its own is a fragment glued somewhere: a failure.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import duckdb

from kpi.store import layers

KPI = Path(layers.__file__).resolve().parents[1]
METRICS = KPI / "metrics"
# the figures the pages and exports show: marts' callers that run SQL of their own
READERS = sorted([*METRICS.glob("*.py"), *(KPI / "exports").glob("*.py"), *(KPI / "cycle").glob("*.py")])
SQL_WORDS = re.compile(r"\b(SELECT|FROM|WHERE|JOIN|GROUP BY|ORDER BY|FILTER \(|CASE WHEN|UNION)\b")
DEFINED = re.compile(r"^CREATE\s+(?:OR\s+REPLACE\s+)?(?:TABLE|VIEW|MACRO)\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)",
                     re.MULTILINE)
MART = re.compile(r"CREATE\s+OR\s+REPLACE\s+(?:MACRO|VIEW)\s+(\w+)\s*(?:\([^)]*\))?\s+AS\s+(?:TABLE\s+)?"
                  r"(.*)", re.DOTALL)
SYSTEM = {("information_schema", "tables")}
TABLE_BUILTINS = {"unnest", "range", "generate_series"}  # read no table
_CON = duckdb.connect()


def _tree(sql: str) -> dict:
    return json.loads(_CON.execute("SELECT json_serialize_sql(?)", [sql]).fetchone()[0])


def read_names(sql: str) -> tuple[set[tuple[str, str]], set[str]]:
    """(relations read, table functions called) by one statement, its own CTE names left out."""
    tree = _tree(sql)
    assert not tree.get("error"), f"不是完整的 SQL：{tree.get('error_message')}\n{sql}"
    tables: set[tuple[str, str]] = set()
    functions: set[str] = set()
    ctes: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            if node.get("type") == "BASE_TABLE":
                tables.add((node.get("schema_name") or "", node["table_name"]))
            elif node.get("type") == "TABLE_FUNCTION":
                functions.add(node["function"]["function_name"])
            ctes.update(m["key"] for m in node.get("cte_map", {}).get("map", []))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(tree)
    return {t for t in tables if t[0] or t[1] not in ctes}, functions


def core_names() -> set[str]:
    text = (layers.SQL_DIR / "core.sql").read_text(encoding="utf-8")
    return {n for n in DEFINED.findall(text) if n.startswith("core_")}


def mart_bodies() -> list[tuple[str, str]]:
    """(file:name, the query it stands for) of every mart view and macro, in load order."""
    out = []
    for path in layers.files()[1:]:
        for sql, _ in layers.statements(path.read_text(encoding="utf-8")):
            found = MART.search(sql)
            assert found, f"{path.name} 只放 CREATE OR REPLACE VIEW / MACRO：\n{sql}"
            out.append((f"{path.name}:{found.group(1)}", found.group(2)))
    return out


def _is_sql(text: str) -> bool:
    return len(SQL_WORDS.findall(text)) >= 2


def python_sql(tree: ast.AST) -> list[str]:
    """Every SQL string constant of a module (docstrings are prose, left out)."""
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.FunctionDef | ast.ClassDef) and n.body
            and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docs and _is_sql(n.value)]


def foreign_reads(sql: str, marts: set[str], core: set[str]) -> set[str]:
    tables, functions = read_names(sql)
    bad = {f"{s}.{t}" if s else t for s, t in tables
           if (s, t) not in SYSTEM and not (not s and (t in core or t in marts))}
    return bad | {f"{f}()" for f in functions if f not in marts and f not in TABLE_BUILTINS}


def assembled(tree: ast.AST) -> list[str]:
    """Places where SQL is built from pieces: an f-string, ``.format``, ``%`` or ``+`` carrying SQL
    text or a *_SQL name, or a gateway call given anything but a fixed string."""
    sql_names = {t.id for n in ast.walk(tree) if isinstance(n, ast.Assign)
                 and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)
                 and _is_sql(n.value.value) for t in n.targets if isinstance(t, ast.Name)}

    def carries_sql(node: ast.AST) -> bool:
        if isinstance(node, ast.Constant):
            return isinstance(node.value, str) and bool(SQL_WORDS.search(node.value))
        if isinstance(node, ast.Name):
            return node.id in sql_names or node.id.endswith(("_SQL", "_CTE"))
        if isinstance(node, ast.JoinedStr):
            return any(carries_sql(v) for v in node.values)
        if isinstance(node, ast.BinOp):
            return carries_sql(node.left) or carries_sql(node.right)
        return False

    found = []
    for node in ast.walk(tree):
        where = f"line {getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.JoinedStr) and carries_sql(node):
            found.append(f"{where}: f-string")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod) and carries_sql(node):
            found.append(f"{where}: {type(node.op).__name__}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "format" and carries_sql(node.func.value):
                found.append(f"{where}: .format")
            elif node.func.attr in ("query", "scalar", "execute") and node.args and not isinstance(
                    node.args[0], ast.Constant | ast.Name | ast.Attribute | ast.Subscript):
                found.append(f"{where}: gw.{node.func.attr} given {type(node.args[0]).__name__}")
    return found


def test_marts_read_core_views_only():
    core, marts = core_names(), set()
    problems = []
    for where, body in mart_bodies():
        if bad := foreign_reads(body, marts, core):
            problems.append(f"{where}: {sorted(bad)}")
        marts.add(where.split(":")[1])
    for path in READERS:
        for sql in python_sql(ast.parse(path.read_text(encoding="utf-8"))):
            if bad := foreign_reads(sql, marts, core):
                problems.append(f"{path.parent.name}/{path.name}: {sorted(bad)} in {sql.strip()[:80]!r}")
    assert not problems, "\n".join(problems)
    assert len(marts) >= 15 and {"agency_usage", "usage_pairs", "popularity", "dataset_quality"} <= marts


def test_no_sql_in_kpi_metrics_is_assembled_from_pieces():
    problems = [f"{p.parent.name}/{p.name} {where}" for p in READERS
                for where in assembled(ast.parse(p.read_text(encoding="utf-8")))]
    assert not problems, "\n".join(problems)


def test_the_checks_catch_a_raw_read_and_an_assembled_string():
    """Each check on both sides: a raw table, a mart called before it is defined, a CTE of the
    same statement; an f-string, .format and + carrying SQL, against a bound fixed string."""
    core = {"core_counter"}
    assert foreign_reads("SELECT * FROM core_counter WHERE snapshot_date = ?", set(), core) == set()
    assert foreign_reads("SELECT * FROM counter", set(), core) == {"counter"}
    assert foreign_reads("WITH counter AS (FROM core_counter) SELECT * FROM counter", set(), core) == set()
    assert foreign_reads("SELECT * FROM agency_usage(?, ?, ?)", set(), core) == {"agency_usage()"}
    assert foreign_reads("SELECT * FROM agency_usage(?, ?, ?)", {"agency_usage"}, core) == set()
    assert foreign_reads("SELECT * FROM core_a a JOIN core_counter USING (x)", set(), core) == {"core_a"}
    assert foreign_reads("SELECT u.x FROM core_counter, unnest([1, 2]) AS u(x)", set(), core) == set()
    assert foreign_reads("SELECT * FROM query_table('counter')", set(), core) == {"query_table()"}
    bad = ast.parse('A = f"SELECT {x} FROM core_counter"\nB = "SELECT * FROM ({t}) x".format(t=A)\n'
                    'C = A + " ORDER BY x"\ngw.query(f"SELECT {col} FROM core_counter")\n')
    assert sorted(w.split(": ")[1] for w in assembled(bad)) == [
        ".format", "Add", "f-string", "f-string", "gw.query given JoinedStr"]
    good = ast.parse('A = "SELECT * FROM core_counter WHERE x = ?"\ngw.query(A, [1])\n'
                     'label = f"{n:,} 項"\n')
    assert assembled(good) == []
