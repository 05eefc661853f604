"""The benchmark's own machinery on a small history: it runs, and pandas agrees with DuckDB."""

from __future__ import annotations

import pytest

from bench.grow import grow
from bench.measure import measure_queries


@pytest.mark.slow  # ≈30 s: the full suite runs it, the quick loop does not
def test_benchmark_smoke(fresh_data, monkeypatch, real_publish):
    from kpi import build
    from kpi.build import figures

    rebuild = build.rebuild

    def forced_rebuild_publishes(*args, force=False, **kwargs):
        """Only the grown version's figures are read below (bench.grow's last, forced rebuild); the
        imports' versions before it are replaced at once, so they skip computing theirs, as every
        test's commits do (tests/conftest.py)."""
        if force:
            monkeypatch.setattr(figures, "publish", real_publish)
        return rebuild(*args, force=force, **kwargs)

    monkeypatch.setattr(build, "rebuild", forced_rebuild_publishes)
    growth = grow(fresh_data, months=2, log=lambda _: None)
    assert growth["snapshots_imported"] == 2
    assert growth["counter_rows_imported"] > 70_000
    assert growth["feedback_items"] == 2 * 1500
    pages, comparisons = measure_queries(repeat=1)
    assert set(pages) == {"總覽", "機關成績單", "使用量與排行", "民眾意見", "行動方案績效", "資料品質與標章",
                          "民眾使用分析", "全國比較", "計算說明", "_every_page_shared_cache", "_published"}
    # each page is timed from an empty query cache, so the sum over pages is at least the
    # shared-cache run of every page in a row (which reuses what earlier pages computed)
    alone = sum(v["_computed_cpu_ms"] for k, v in pages.items() if not k.startswith("_"))
    assert alone >= 0.8 * pages["_every_page_shared_cache"]["_computed_cpu_ms"] > 0
    assert pages["_published"]["entries"] > 100  # the grown version published every page's figures
    for name, compared in comparisons.items():
        assert compared["same_result"], name


def test_generated_history_lies_in_the_past():
    """Imports refuse dates after tomorrow: 10× national (240 weekly snapshots) ends in 2023."""
    import datetime as dt

    import pytest

    from bench.generate import snapshot_dates

    dates = snapshot_dates(dt.date(2018, 7, 20), 240)
    assert dates[0] == dt.date(2018, 7, 27) and dates[-1] == dt.date(2023, 2, 24)
    with pytest.raises(ValueError):
        snapshot_dates(dt.date(2018, 7, 20), 2000)
