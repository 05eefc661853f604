"""The benchmark's own machinery on a small history: it runs, and pandas agrees with DuckDB."""

from __future__ import annotations

from bench.run import grow, markdown, measure_queries


def test_benchmark_smoke(fresh_data, monkeypatch):
    growth = grow(fresh_data, months=2, log=lambda _: None)
    assert growth["snapshots_imported"] == 2
    assert growth["counter_rows_imported"] > 70_000
    assert growth["feedback_items"] == 2 * 1500
    pages, comparisons = measure_queries(repeat=1)
    assert set(pages) == {"總覽", "使用量與排行", "民眾意見", "行動方案績效", "資料品質與標章", "全國比較", "計算說明"}
    for name, figures in comparisons.items():
        assert figures["same_result"], name
    table = markdown({"when": "now", "machine": "test", "command": "x", "scales": [{
        "scale": "small", "months": 2, "counter_rows": 1, "growth": growth, "queries": pages,
        "pandas_baseline": comparisons, "page_runs": {}, "concurrency": {}, "memory": {}}]})
    assert "| counter rows |" in table and "pandas ÷ DuckDB" in table


