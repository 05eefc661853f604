"""附件一's 合計 row sums each column from that column (kpi/exports/tables.py write_ranking).

Two datasets with every count different (views 100 + 20, downloads 7 + 3, before 90 + 10 and 5 + 1),
so a total taken from a neighbouring column cannot match: 120, 10, 100, 6. Without a comparison date
there are no before columns and no before totals."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kpi.exports import tables
from kpi.metrics.scope import Scope

FRAME = pd.DataFrame({
    "rank": [1, 2], "dataset_name": ["甲", "乙"], "agency": ["勞動部", "勞動部勞工保險局"],
    "service_category": ["就業", "社會保險"], "views": [100, 20], "downloads": [7, 3],
    "views_before": [90, 10], "views_change": [10, 10], "downloads_before": [5, 1], "downloads_change": [2, 2],
    "change_kind": ["kept", "kept"], "match_kind": [None, None]})


class Recorder:
    def __init__(self):
        self.sheets: list[dict] = []

    def sheet(self, name, title, rows, cols, total=None, notes=None, **_):
        self.sheets.append({"name": name, "rows": rows, "cols": [c.key for c in cols], "total": total})


@pytest.fixture
def ranked(monkeypatch):
    monkeypatch.setattr(tables, "ranking", lambda gw, scope, by: FRAME.copy())


def test_total_row_sums_each_column_from_itself(ranked):
    book = Recorder()
    tables.write_ranking(book, None, Scope(dt.date(2018, 7, 20), dt.date(2017, 10, 30), ("勞動部",)))
    assert book.sheets[0]["total"] == {"dataset_name": "合計", "views": 120, "downloads": 10,
                                       "views_before": 100, "downloads_before": 6}


def test_without_a_comparison_date_no_before_totals_or_columns(ranked):
    book = Recorder()
    tables.write_ranking(book, None, Scope(dt.date(2018, 7, 20), None, ("勞動部",)))
    assert book.sheets[0]["total"] == {"dataset_name": "合計", "views": 120, "downloads": 10}
    assert "views_before" not in book.sheets[0]["cols"]
