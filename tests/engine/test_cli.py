"""The command line of SPEC §7, run as a user would, on a copy of the data folder."""

import json

import openpyxl
import pytest

from tests.helpers.cli import run


def test_report_as_of_minutes(built_data):
    out = run(built_data, "report", "--json", "--as-of", "2017-10-30")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["as_of"] == "2017-10-30" and data["since"] is None
    total = data["total"]
    assert (total["datasets"], total["views"], total["downloads"]) == (562, 884_091, 144_897)
    assert total["agency"] == "全部"
    fb = total["feedback"]
    assert (fb["total"], fb["on_time"], fb["late"], fb["pending"], fb["overdue"]) == (35, 24, 10, 1, 0)
    assert abs(fb["ratio"] - 24 / 34) < 1e-12
    rows = {r["agency"]: r for r in data["agencies"]}
    assert rows["勞動部勞動力發展署"]["datasets"] == 88
    assert rows["勞動部勞動力發展署"]["feedback"]["ratio"] == 0.625
    assert rows["勞動部勞動及職業安全衛生研究所"]["feedback"]["ratio"] is None
    assert rows["勞動部"]["three_star_ratio"] is None  # no catalogue imported


def test_report_defaults(built_data):
    data = json.loads(run(built_data, "report", "--json").stdout)
    assert (data["as_of"], data["since"]) == ("2018-07-20", "2017-10-30")
    total = data["total"]
    assert (total["datasets"], total["views"], total["downloads"]) == (565, 966_025, 150_859)
    for row in data["agencies"]:
        assert row["views_growth"] >= 0 and row["downloads_growth"] >= 0
        for key in ("counter_resets", "new_datasets", "removed_datasets"):
            assert isinstance(row[key], int)
    assert total["counter_resets"] == sum(r["counter_resets"] for r in data["agencies"])


def test_report_agency_filter_and_bad_agency(built_data):
    data = json.loads(run(built_data, "report", "--json", "--agency", "勞保局").stdout)
    assert [r["agency"] for r in data["agencies"]] == ["勞動部勞工保險局"]
    assert data["total"]["datasets"] == 198
    bad = run(built_data, "report", "--json", "--agency", "不存在的機關")
    assert bad.returncode == 2 and "不明的機關" in bad.stderr


def test_report_bad_date(built_data):
    out = run(built_data, "report", "--json", "--as-of", "2019-01-01")
    assert out.returncode == 2 and "沒有 2019-01-01 的快照" in out.stderr


def test_import_refused_exit_2_and_store_unchanged(fresh_data, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("提供機關名稱,資料集名稱,瀏覽人次,下載次數\n勞動部,甲,12,abc\n", encoding="utf-8")
    manifest = (fresh_data / "store" / "CURRENT.json").read_bytes()
    out = run(fresh_data, "import", "usage", str(bad), "--as-of", "2019-01-01")
    assert out.returncode == 2
    assert "bad.csv" in out.stderr and "第 2 列" in out.stderr and "下載次數" in out.stderr
    assert (fresh_data / "store" / "CURRENT.json").read_bytes() == manifest


@pytest.mark.slow  # ≈7 s: the full suite runs it, the quick loop does not
def test_import_then_same_bytes_again(fresh_data, tmp_path):
    good = tmp_path / "labour.csv"
    good.write_text("資料集名稱,瀏覽次數,下載次數,資料集評分,上架日期,資料集狀態\n"
                    "勞工保險局簡介,\"1,200\",30,5,2015/06/01,上架\n", encoding="utf-8-sig")
    out = run(fresh_data, "import", "usage", str(good), "--as-of", "2019-02-01",
              "--agency", "勞動部勞工保險局")
    assert out.returncode == 0, out.stderr
    manifest = (fresh_data / "store" / "CURRENT.json").read_bytes()
    again = run(fresh_data, "import", "usage", str(good), "--as-of", "2019-02-01",
                "--agency", "勞動部勞工保險局")
    assert again.returncode == 0 and "資料未變更" in again.stdout
    assert (fresh_data / "store" / "CURRENT.json").read_bytes() == manifest
    missing = run(fresh_data, "import", "usage", str(good))
    assert missing.returncode == 2 and "--as-of" in missing.stderr


def test_export_ranking(built_data, tmp_path):
    target = tmp_path / "ranking.xlsx"
    out = run(built_data, "export", "ranking", "--out", str(target), "--as-of", "2017-10-30")
    assert out.returncode == 0, out.stderr
    ws = openpyxl.load_workbook(target)["附件一"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[2][:6] == ("編號", "資料集名稱", "機關", "服務分類", "累計瀏覽量", "累計下載量")
    end = next(i for i, r in enumerate(rows) if r[1] == "合計")
    body = rows[3:end]  # rows 1-2: title and scope
    assert len(body) == 562
    downloads = [r[5] for r in body]
    assert downloads == sorted(downloads, reverse=True)
    assert all(r[2] for r in body)
    assert rows[end][4:6] == (884_091, 144_897)
    # issue 25: the table says how many rows lack 服務分類 (附件二 lists 44 new datasets, each with one)
    assert rows[-1][0].startswith("服務分類：44 項有資料，518 項沒有")
    assert ws.freeze_panes == "A4" and ws.auto_filter.ref


@pytest.mark.slow  # ≈4 s: the full suite runs it, the quick loop does not
def test_since_none_and_ranking_by_views(built_data, tmp_path):
    """SPEC §8: --since none wherever --since is; export ranking --by views|downloads."""
    out = run(built_data, "report", "--json", "--since", "none")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert (data["as_of"], data["since"]) == ("2018-07-20", None)
    assert data["total"]["downloads_growth"] is None
    target = tmp_path / "views.xlsx"
    out = run(built_data, "export", "ranking", "--by", "views", "--since", "none", "--out", str(target))
    assert out.returncode == 0, out.stderr
    assert "勞動部開放資料_附件一_依瀏覽量_107年07月20日_勞動部及所屬.xlsx" in out.stdout
    ws = openpyxl.load_workbook(target)["附件一"]
    assert "依累計瀏覽量排序" in ws["A1"].value and "無比較基準" in ws["A2"].value
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    end = next(i for i, r in enumerate(rows) if r[1] == "合計")  # notes follow the 合計 row
    views = [r[4] for r in rows[:end]]
    assert len(views) == 565 and views == sorted(views, reverse=True)
    assert "前次累計瀏覽量" not in [c.value for c in ws[3]]  # nothing compared, no empty columns
    pack = tmp_path / "pack.xlsx"
    out = run(built_data, "export", "pack", "--since", "none", "--out", str(pack))
    assert out.returncode == 0, out.stderr
    assert openpyxl.load_workbook(pack)["附件一"]["A2"].value.count("無比較基準") == 1
    bad = run(built_data, "export", "ranking", "--by", "rating", "--out", str(target))
    assert bad.returncode == 2 and "--by" in bad.stderr


@pytest.mark.slow  # ≈5 s: the full suite runs it, the quick loop does not
def test_export_brief(built_data, tmp_path):
    from pypdf import PdfReader

    target = tmp_path / "brief.pdf"
    out = run(built_data, "export", "brief", "--out", str(target), "--as-of", "2017-10-30",
              "--since", "none", "--agency", "勞保局")
    assert out.returncode == 0, out.stderr
    text = PdfReader(target).pages[0].extract_text().replace("\x00", "")
    text = "".join(text.split())
    assert len(PdfReader(target).pages) == 1
    assert "機關：勞保局" in text and "228,504" in text and "31,477" in text
