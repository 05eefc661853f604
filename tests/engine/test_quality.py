"""Star levels, timeliness, correctness and the gold-award score on the real-layout fixtures.

Hand-worked from tests/fixtures/make_fixtures.py (catalogue dated 2018-07-20):
基金局 6 datasets — stars: F1 CSV/JSON/XML 3, F2 XLS 2, F3 PDF 1, F4 RDF 4, F5 XLSX;ODS 3,
F6 JSON 3 → three-star 4/6, four/five-star 1/6.
Late: F2 每1年, 556 days since 2017-01-10 > 365.25 + 36.5; F5 每3月, 111 days > 91.31 + 9.13
(F1 19 d ≤ 30.44 + 3.04; F4 196 d; F6 1 d ≤ 1 + 3; F3 不定期) → 2.
Broken (qc): F4 downloadable 0 → 1.  Wrong info: F3 has no contact phone → 1.
Correctness = 1 − (2 + 1 + 1)/6 = 1/3.  Gold: gold F1, F6 + platinum F2 = 3, silver F3, bronze
F4 → (0.3 + 0.6 + 3)/6 × 100 = 65.0; with 3 OAS APIs + 0.3 = 65.3.
勞研所 4 datasets, no qc — stars: PDF 1, PDF;ZIP 1, CSV 3, JSON;ABC 3 → 2/4; correctness null
(no link evidence); gold: 2 gold + 1 bronze → (0.3 + 2)/4 × 100 = 57.5.
"""

import datetime as dt
from pathlib import Path

import pytest

from kpi.importing.catalogue import frequency_days
from kpi.metrics.quality import dataset_quality, gold_score, quality_by_agency
from kpi.metrics.scope import resolve_scope
from kpi.reference.stars import star_of
from tests.helpers.apptest import app

FIXTURES = Path(__file__).parents[1] / "fixtures"
FUND, ILOSH = "勞動部勞動基金運用局", "勞動部勞動及職業安全衛生研究所"


@pytest.mark.parametrize("fmt,stars", [("csv", 3), ("JSON", 3), ("XML", 3), ("ODS", 3),
                                       ("GeoJSON", 3), ("KMZ", 3), ("XLS", 2), ("xlsx", 2),
                                       ("SHP", 2), ("PDF", 1), ("DOCX", 1), ("ZIP", 1),
                                       ("RDF", 4), ("TTL", 4), ("JSON-LD", 4), ("LOD", 5),
                                       ("ABC", 1)])
def test_star_levels(fmt, stars):
    assert star_of(fmt) == stars


def test_frequency_days():
    assert frequency_days("每1日") == 1
    assert frequency_days("每3月") == pytest.approx(91.3125)
    assert frequency_days("每1年") == pytest.approx(365.25)
    assert frequency_days("不定期更新") is None


def test_quality_by_agency(with_catalogue):
    gw = with_catalogue
    q = quality_by_agency(gw, resolve_scope(gw), {FUND: 3})
    fund, ilosh = q[FUND], q[ILOSH]
    assert fund["three_star_ratio"] == pytest.approx(4 / 6)
    assert fund["four_five_star_share"] == pytest.approx(1 / 6)
    assert (fund["late_updates"], fund["broken_links"], fund["wrong_info"]) == (2, 1, 1)
    assert fund["correctness_rate"] == pytest.approx(1 / 3)
    assert fund["gold_award_score"] == pytest.approx(65.3)
    assert ilosh["three_star_ratio"] == pytest.approx(0.5)
    assert ilosh["correctness_rate"] is None
    assert ilosh["gold_award_score"] == pytest.approx(57.5)
    assert "勞動部" not in q  # no catalogue rows: null in the report, not zero


def test_dataset_rows_explain_the_figures(with_catalogue):
    gw = with_catalogue
    rows = dataset_quality(gw, resolve_scope(gw)).set_index("dataset_key")
    assert rows.loc["A17000000J-F2", "late_update"] and not rows.loc["A17000000J-F1", "late_update"]
    assert rows.loc["A17000000J-F4", "broken_link"]
    assert rows.loc["A17000000J-F3", "wrong_info"]
    assert rows.loc["A17000000J-I4", "unknown_formats"].tolist() == ["ABC"]
    assert rows.loc["A17000000J-F4", "stars"] == 4


def test_report_carries_quality(with_catalogue):
    from kpi.report import build_report

    gw = with_catalogue
    data = build_report(gw, resolve_scope(gw))
    rows = {r["agency"]: r for r in data["agencies"]}
    assert rows[FUND]["gold_award_score"] == pytest.approx(65.0)
    assert rows["勞動部"]["three_star_ratio"] is None
    assert data["total"]["three_star_ratio"] == pytest.approx(6 / 10)
    assert data["total"]["gold_award_score"] == pytest.approx((0.3 * 2 + 0.6 + 5) / 10 * 100)


def test_gold_score_formula_and_cap():
    assert gold_score(3, 1, 1, 6) == pytest.approx(65.0)
    assert gold_score(3, 1, 1, 6, oas_apis=80) == pytest.approx(70.0)  # bonus capped at 5
    assert gold_score(0, 0, 0, 0) is None


def test_service_category_from_catalogue(with_catalogue):
    got = with_catalogue.scalar(
        "SELECT service_category FROM dataset WHERE dataset_name = ? AND last_seen = ?",
        ["新制勞工退休基金歷年最低保證收益率", dt.date(2018, 7, 20)])
    assert got == "投資理財"


def test_quality_page_with_catalogue(with_catalogue):
    at = app("pages/quality.py")
    assert not at.exception
    table = at.dataframe[0].value.set_index("機關")
    assert table.loc["基金局", "金質獎總分"] == pytest.approx(65.0)
    assert table.loc["勞研所", "三星等級資料比率"] == pytest.approx(0.5)


def test_fix_list_per_agency(with_catalogue):
    """基金局: F2 late and 2 stars, F3 wrong info and 1 star, F4 broken, F5 late; F1, F6 fine."""
    import io

    import openpyxl

    from kpi.exports import export_fixlist, export_pack

    gw = with_catalogue
    book = openpyxl.load_workbook(io.BytesIO(export_fixlist(gw, resolve_scope(gw))))
    assert book.sheetnames == ["基金局", "勞研所"]
    rows = {r[1]: r[3] for r in book["基金局"].iter_rows(min_row=4, values_only=True)}  # after title, scope, header
    assert set(rows) == {"A17000000J-F2", "A17000000J-F3", "A17000000J-F4", "A17000000J-F5"}
    assert "未依更新頻率更新" in rows["A17000000J-F2"] and "僅 2 星" in rows["A17000000J-F2"]
    assert rows["A17000000J-F4"] == "連結失效"
    assert "資訊錯誤" in rows["A17000000J-F3"]
    pack = openpyxl.load_workbook(io.BytesIO(export_pack(gw, resolve_scope(gw))))
    assert "品質待改善" in pack.sheetnames


def test_popularity_badge_filter(with_catalogue):
    """With a catalogue, only gold/platinum datasets open a year stay eligible: of the fixture's
    Ministry names that also exist in the 2018 export, 勞工安全衛生簡訊 (勞研所, gold, listed 2013)."""
    from kpi.metrics.awards import popularity

    gw = with_catalogue
    frame = popularity(gw, resolve_scope(gw), ministry_only=True, limit=1000, eligible_only=True)
    assert "勞工安全衛生簡訊" in set(frame["dataset_name"])
    assert frame["gold_badge"].all() and frame["open_one_year"].all()
    allrows = popularity(gw, resolve_scope(gw), ministry_only=True, limit=1000)
    assert len(allrows) > len(frame)


@pytest.mark.slow  # ≈10 s (two `python -m kpi set-oas`): the full suite runs it, the quick loop does not
def test_oas_bonus_entered_by_the_office(with_catalogue):
    """Stored entries feed the report: 基金局 65.0 + 12 × 0.1 = 66.2, kept with who entered it."""
    import json
    import os
    import subprocess

    from kpi.config.paths import REPO_ROOT
    from kpi.store import gateway
    from tests.helpers.cli import command

    fresh_data = Path(os.environ["KPI_DATA_DIR"])  # the private copy with_catalogue made
    env = {**os.environ, "KPI_DATA_DIR": str(fresh_data)}
    # the command as typed; its rebuild leaves out the page figures (tests/helpers/cli.py)
    out = subprocess.run(command("set-oas", "基金局", "12", figures=False), cwd=REPO_ROOT,
                         env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    gw = gateway()
    assert quality_by_agency(gw, resolve_scope(gw))[FUND]["gold_award_score"] == pytest.approx(66.2)
    saved = json.loads((fresh_data / "settings" / "oas_apis.json").read_text(encoding="utf-8"))
    assert saved[FUND]["apis"] == 12 and saved[FUND]["entered_by"]
    bad = subprocess.run(command("set-oas", "基金局", "-3", figures=False), cwd=REPO_ROOT,
                         env=env, capture_output=True, text=True)
    assert bad.returncode == 2
