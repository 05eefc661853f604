"""Issue 25: full-year periods and the yearly open dataset (SPEC §8 `export opendata --year`).

The embedded data has two snapshots, 2017-10-30 and 2018-07-20. Year 107 is 2018-01-01..2018-12-31:
the snapshot nearest 1/1 is 2017-10-30 (63 days away; 2018-07-20 is 200), so the year's "before"
counters are 106/10/30's and it includes 106/10/30–106/12/31 (2 + 30 + 31 = 63 days) outside the
year; the snapshot nearest 12/31 is 2018-07-20, so 107/07/21–107/12/31 (11 + 31 + 30 + 31 + 30 + 31
= 164 days) is missing and 365 − 164 = 201 days of the year are covered.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from kpi.metrics.periods import available_years, build_period, period_of, year_period
from tests.helpers.cli import run
from tests.helpers.figures import TEXT_107

D = dt.date
SNAPSHOTS = [D(2017, 10, 30), D(2018, 7, 20)]
SPEC_COLUMNS = ["資料集識別碼", "資料集名稱", "資料提供屬性", "服務分類", "品質檢測", "檔案格式", "資料下載網址",
                "編碼格式", "資資料集上架方式", "資料集描述", "主要欄位說明", "提供機關", "更新頻率", "授權方式",
                "相關網址", "計費方式", "提供機關聯絡人姓名", "提供機關聯絡人電話", "上架日期", "詮釋資料更新時間",
                "備註", "資料量"]


def test_year_107_on_the_embedded_snapshots():
    p = period_of(SNAPSHOTS, 107)
    assert (p.since, p.as_of) == (D(2017, 10, 30), D(2018, 7, 20))
    assert p.missing == ((D(2018, 7, 21), D(2018, 12, 31)),)
    assert p.extra == ((D(2017, 10, 30), D(2017, 12, 31)),)
    assert (p.covered_days, p.year_days) == (201, 365)
    assert p.text() == TEXT_107
    assert p.title() == f"107 年度（{TEXT_107}）"
    assert p.short() == "107 年度（106/10/30–107/07/20，缺 7/21–12/31 共 164 天，多含年度前 63 天）"
    assert build_period(112, D(2023, 1, 6), D(2023, 12, 29)).short() == (
        "112 年度（112/01/06–112/12/29，缺 1/1–1/5 與 12/30–12/31 共 7 天）")


def test_the_issue_example_and_a_whole_year():
    assert build_period(112, D(2023, 1, 6), D(2023, 12, 29)).text() == (
        "涵蓋 112/01/06–112/12/29，缺 1/1–1/5 與 12/30–12/31（7 天）；全年 365 天中涵蓋 358 天")
    whole = period_of([D(2023, 1, 1), D(2023, 12, 31)], 112)
    assert (whole.missing, whole.extra) == ((), ())
    assert whole.text().endswith("全年無缺口；全年 365 天中涵蓋 365 天")
    # one day either side of 1/1: the day before is outside the year, the day after is missing
    assert period_of([D(2022, 12, 31), D(2023, 12, 31)], 112).extra == ((D(2022, 12, 31), D(2022, 12, 31)),)
    assert period_of([D(2023, 1, 2), D(2023, 12, 31)], 112).missing == ((D(2023, 1, 1), D(2023, 1, 1)),)
    # leap year: 113 has 366 days
    assert period_of([D(2024, 1, 1), D(2024, 12, 31)], 113).year_days == 366


def test_nearest_snapshot_and_ties():
    # 7 days either side of 1/1: the earlier one (its counters come before the year)
    p = period_of([D(2022, 12, 25), D(2023, 1, 8), D(2023, 12, 30)], 112)
    assert (p.since, p.as_of) == (D(2022, 12, 25), D(2023, 12, 30))
    # 12/24 and 2024-01-07 are 7 days from 12/31: the later one wins the end
    p = period_of([D(2023, 1, 1), D(2023, 12, 24), D(2024, 1, 7)], 112)
    assert p.as_of == D(2024, 1, 7) and p.extra == ((D(2024, 1, 1), D(2024, 1, 7)),)
    # nothing after the snapshot nearest 1/1, or no snapshot reaching into the year: no period
    assert period_of(SNAPSHOTS, 108) is None
    assert period_of(SNAPSHOTS, 105) is None


def test_years_offered_on_the_embedded_store(gw):
    assert available_years(gw) == [107, 106]
    with pytest.raises(ValueError, match="108 年度沒有可用的前後兩次快照；可用年度：106、107"):
        year_period(gw, 108)


@pytest.mark.slow  # ≈4 s: the full suite runs it, the quick loop does not
def test_report_year_equals_the_two_dates(built_data):
    by_year = json.loads(run(built_data, "report", "--json", "--year", "107").stdout)
    by_dates = json.loads(run(built_data, "report", "--json", "--as-of", "2018-07-20",
                              "--since", "2017-10-30").stdout)
    assert by_year["period"]["text"] == TEXT_107
    assert by_year["period"]["missing"] == [{"from": "2018-07-21", "to": "2018-12-31", "days": 164}]
    assert by_year.pop("period") and by_year == by_dates
    bad = run(built_data, "report", "--json", "--year", "107", "--as-of", "2018-07-20")
    assert bad.returncode == 2 and "--year 已決定資料日期與比較基準日" in bad.stderr
    none = run(built_data, "report", "--json", "--year", "104")
    assert none.returncode == 2 and "104 年度沒有可用的前後兩次快照" in none.stderr
    assert "Traceback" not in none.stderr


@pytest.fixture(scope="module")
def exported(built_data, tmp_path_factory):
    out = tmp_path_factory.mktemp("opendata")
    done = run(built_data, "export", "opendata", "--year", "107", "--out", str(out))
    assert done.returncode == 0, done.stderr
    report = json.loads(run(built_data, "report", "--json", "--year", "107").stdout)
    return out, report


def _rows(path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def _sum(rows: list[dict], col: str) -> int:
    return sum(int(r[col]) for r in rows if r[col] != "")


@pytest.mark.slow  # ≈3 s: the full suite runs it, the quick loop does not
def test_opendata_validates_with_frictionless(exported):
    from frictionless import validate

    out, _ = exported
    result = validate(str(out / "datapackage.json"))
    assert result.valid, result.flatten(["rowNumber", "fieldName", "message"])[:5]
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in package["resources"]] == [
        "dataset_usage_107.csv", "dataset_usage_107.json", "agency_usage_107.csv", "agency_usage_107.json"]
    assert package["licenses"][0]["title"] == "政府資料開放授權條款第1版"
    assert package["period"]["since"] == "2017-10-30" and package["period"]["as_of"] == "2018-07-20"


def test_opendata_csv_has_bom_and_the_report_totals(exported):
    out, report = exported
    for name in ("dataset_usage_107.csv", "agency_usage_107.csv", "data_dictionary.csv", "catalogue_row.csv"):
        assert (out / name).read_bytes()[:3] == b"\xef\xbb\xbf", name
    total = report["total"]
    datasets = _rows(out / "dataset_usage_107.csv")
    assert len(datasets) == 565 + 10  # the as-of snapshot's datasets plus the 10 removed
    current = [r for r in datasets if r["期末下載次數"] != ""]
    assert len(current) == total["datasets"] == 565
    assert _sum(datasets, "期末瀏覽次數") == total["views"] == 966_025
    assert _sum(datasets, "期末下載次數") == total["downloads"] == 150_859
    assert _sum(datasets, "期間瀏覽增加") == total["views_growth"]
    assert _sum(datasets, "期間下載增加") == total["downloads_growth"] == 23_151
    fell = [r for r in datasets if r["期初下載次數"] and r["期末下載次數"] and (
        int(r["期末瀏覽次數"]) < int(r["期初瀏覽次數"]) or int(r["期末下載次數"]) < int(r["期初下載次數"]))]
    assert len(fell) == total["counter_resets"] == 187
    assert all(r["期間下載增加"] == "" or int(r["期末下載次數"]) >= int(r["期初下載次數"]) for r in fell)
    assert sum(r["變動類型"] == "下架或改名" for r in datasets) == total["removed_datasets"] == 10
    agencies = {r["機關"]: r for r in _rows(out / "agency_usage_107.csv")}
    for row in report["agencies"]:
        mine = agencies[row["agency"]]
        assert (int(mine["資料集數"]), int(mine["瀏覽次數"]), int(mine["下載次數"]),
                int(mine["期間下載增加"])) == (row["datasets"], row["views"], row["downloads"],
                                             row["downloads_growth"])
    as_json = json.loads((out / "dataset_usage_107.json").read_text(encoding="utf-8"))
    assert sum(r["期末下載次數"] or 0 for r in as_json) == 150_859
    assert {r["起算快照日"] for r in as_json} == {"2017-10-30"}  # ISO in machine files


def test_opendata_catalogue_row_is_the_portal_layout(exported):
    out, _ = exported
    with open(out / "catalogue_row.csv", encoding="utf-8-sig", newline="") as fh:
        header, row = list(csv.reader(fh))
    assert header == SPEC_COLUMNS and len(row) == 22
    row = dict(zip(header, row, strict=True))
    assert row["更新頻率"] == "每1年" and row["授權方式"] == "政府資料開放授權條款第1版"
    assert row["檔案格式"] == "CSV;JSON" and row["編碼格式"] == "UTF-8;UTF-8"
    assert row["主要欄位說明"].startswith("年度;起算快照日;資料日期;機關;資料集名稱;服務分類")
    assert TEXT_107 in row["資料集描述"]
    dictionary = _rows(out / "data_dictionary.csv")
    assert {"欄位": "期間下載增加", "型別": "integer"}.items() <= dictionary[11].items()


def test_opendata_needs_a_year(built_data, tmp_path):
    done = run(built_data, "export", "opendata", "--out", str(tmp_path / "x"))
    assert done.returncode == 2 and "需要 --year" in done.stderr
    assert not (tmp_path / "x").exists()


def test_pack_titles_name_the_year(built_data, tmp_path):
    import openpyxl

    out = tmp_path / "pack.xlsx"
    assert run(built_data, "export", "pack", "--year", "107", "--out", str(out)).returncode == 0
    book = openpyxl.load_workbook(out)
    for name in ("附件一", "民眾使用分析", "無人下載資料集"):
        sheet = book[name]
        assert sheet["A1"].value.startswith("107 年度　"), name
        assert "期間：107 年度（106/10/30–107/07/20，缺 7/21–12/31 共 164 天，多含年度前 63 天）" in sheet["A2"].value


@pytest.mark.slow  # ≈5 s: the full suite runs it, the quick loop does not
def test_brief_names_the_year_on_its_one_line(built_data, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "brief.pdf"
    done = run(built_data, "export", "brief", "--year", "107", "--out", str(out))
    assert done.returncode == 0 and "會議摘要_107年度_106年10月30日至107年07月20日" in done.stdout
    pages = PdfReader(out).pages
    text = pages[0].extract_text().replace(" ", "").replace("\x00", "")
    assert len(pages) == 1 and "期間：107年度（106/10/30–107/07/20，缺7/21–12/31共164天，多含年度前63天）" in text
