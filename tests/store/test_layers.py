"""The gateway's SQL layers (kpi/store/layers.py): statements applied by what the store holds."""

from __future__ import annotations

import duckdb
import pytest

from kpi.store import layers

TEXT = """-- header; not a statement
CREATE TABLE t (x INT);
-- needs: catalogue
CREATE VIEW v AS SELECT 'with' AS how;
-- unless: catalogue
CREATE VIEW v AS SELECT 'without' AS how;  -- trailing comment
CREATE VIEW w AS SELECT count(*) AS n FROM t
"""


def test_statements_carry_their_directives():
    found = list(layers.statements(TEXT))
    assert [when for _, when in found] == [{}, {"catalogue": "needs"}, {"catalogue": "unless"}, {}]
    assert found[0][0].strip().endswith("CREATE TABLE t (x INT)")
    assert found[3][0].strip() == "CREATE VIEW w AS SELECT count(*) AS n FROM t"


@pytest.mark.parametrize("tables,how", [(set(), "without"), ({"catalogue"}, "with")])
def test_a_directive_runs_only_on_its_side(tables, how, monkeypatch, tmp_path):
    (tmp_path / "one.sql").write_text(TEXT, encoding="utf-8")
    monkeypatch.setattr(layers, "SQL_DIR", tmp_path)
    monkeypatch.setattr(layers, "LAYERS", ("one.sql",))
    con = duckdb.connect()
    layers.define(con, tables)
    assert con.execute("SELECT how FROM v").fetchall() == [(how,)]
    assert con.execute("SELECT n FROM w").fetchall() == [(0,)]


def test_the_catalogue_core_view_exists_without_a_catalogue(gw):
    """The embedded data has no catalogue: core_catalogue is empty, yet has the imported columns,
    and the raw table stays absent (the pages' "not imported yet" reads its absence)."""
    assert "catalogue" not in gw.version.tables
    assert gw.scalar("SELECT count(*) FROM core_catalogue") == 0
    assert gw.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'catalogue'") == 0
    columns = set(gw.query("SELECT * FROM core_catalogue").columns)
    assert {"agency", "dataset_key", "badge", "formats", "urls", "snapshot_date"} <= columns
