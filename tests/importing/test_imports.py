"""Imports of every kind in the real layouts, and a corpus of bad files that must change nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import threading
from pathlib import Path

import pandas as pd
import pytest

from kpi.importing.errors import ImportRefused
from kpi.metrics.scope import resolve_scope
from kpi.service import commit, preview, undo
from tests.helpers.store import USAGE_HEADER, built_copy, tree_digest

FIXTURES = Path(__file__).parents[1] / "fixtures"
D2018 = dt.date(2018, 7, 20)
HEADER = USAGE_HEADER


def _snapshot(gw, day):
    return gw.query("SELECT publisher, dataset_name, views, downloads, rating, listed_on "
                    "FROM counter WHERE snapshot_date = ? ORDER BY ALL", [day])


@pytest.mark.slow  # ≈12 s: the full suite runs it, the quick loop does not
def test_real_export_as_csv_cp950_and_xlsx_give_identical_snapshots(store_template, tmp_path, monkeypatch):
    """61 characters of the real file (e.g. compatibility ideographs U+F9xx) have no CP950 code,
    so all three files carry the rows that CP950 can hold: 35,7xx of 35,955."""
    raw = pd.read_csv(Path(__file__).parents[2] / "data/raw/16-22_data_gov_download.csv",
                      dtype=str, keep_default_na=False)

    def encodable(row) -> bool:
        try:
            ",".join(row).encode("cp950")
            return True
        except UnicodeEncodeError:
            return False

    rows = raw[raw.apply(encodable, axis=1)]
    assert len(rows) > 35_000
    text = rows.to_csv(index=False)
    files = {"utf8.csv": text.encode("utf-8"), "cp950.csv": text.encode("cp950")}
    buf = io.BytesIO()
    rows.to_excel(buf, index=False, engine="xlsxwriter")
    files["export.xlsx"] = buf.getvalue()
    day = dt.date(2019, 6, 30)
    snapshots = {}
    for name, data in files.items():
        root = built_copy(store_template, tmp_path / name.replace(".", "_"))
        monkeypatch.setenv("KPI_DATA_DIR", str(root))
        path = tmp_path / name
        path.write_bytes(data)
        parsed = preview("usage", path, day)
        assert parsed.rows == len(rows)
        commit(parsed, "test")
        from kpi.store import gateway

        snapshots[name] = _snapshot(gateway(), day)
    assert parsed.encoding == "xlsx"
    pd.testing.assert_frame_equal(snapshots["utf8.csv"], snapshots["cp950.csv"])
    pd.testing.assert_frame_equal(snapshots["utf8.csv"], snapshots["export.xlsx"])


def test_cp950_is_detected(tmp_path):
    path = tmp_path / "big5.csv"
    path.write_bytes((HEADER + "勞動部,勞工保險局簡介,\"1,234\",56,,107/07/01\n").encode("cp950"))
    parsed = preview("usage", path, D2018)
    assert parsed.encoding == "cp950"
    assert parsed.frame.loc[0, "views"] == 1234
    assert parsed.frame.loc[0, "listed_on"] == dt.date(2018, 7, 1)


@pytest.mark.slow  # ≈11 s: the full suite runs it, the quick loop does not
def test_every_kind_imports_in_real_layouts(fresh_data):
    from kpi.report import build_report
    from kpi.store import gateway

    for kind, name in (("catalogue", "catalogue_real_layout.csv"), ("qc", "qc_fund.json"),
                       ("feedback", "feedback_portal.csv"), ("requests", "requests_portal.csv"),
                       ("meetings", "meetings.csv")):
        result = commit(preview(kind, FIXTURES / name, D2018), "test")
        assert result.changed, kind
    gw = gateway()
    data = build_report(gw, resolve_scope(gw))
    rows = {r["agency"]: r["feedback"] for r in data["agencies"]}
    # by hand: 職安署 3 days → on time; 勞發署 9 days late + one unanswered 15 days → overdue;
    # 勞保局 unanswered 4 days before 07/20 → pending (left out of the ratio)
    assert rows["勞動部職業安全衛生署"] == {"total": 1, "on_time": 1, "late": 0, "pending": 0,
                                         "overdue": 0, "ratio": 1.0}
    assert rows["勞動部勞動力發展署"] == {"total": 2, "on_time": 0, "late": 1, "pending": 0,
                                        "overdue": 1, "ratio": 0.0}
    assert rows["勞動部勞工保險局"]["pending"] == 1 and rows["勞動部勞工保險局"]["ratio"] is None
    assert data["total"]["feedback"]["ratio"] == pytest.approx(1 / 3)
    assert gw.scalar("SELECT count(*) FROM request WHERE request_id = 'R1'") == 1
    from kpi.metrics.plan import yearly_achievement

    ach = yearly_achievement(gw, resolve_scope(gw), 106).set_index("agency")
    assert ach.loc["勞動部勞工保險局", "meetings_actual"] == 4
    assert bool(ach.loc["勞動部勞工保險局", "meetings_met"]) is True
    assert ach.loc["勞動部職業安全衛生署", "meetings_actual"] == 1
    assert ach.loc["勞動部", "meetings_actual"] == 0


@pytest.mark.slow  # ≈4 s: the full suite runs it, the quick loop does not
def test_undo_restores_the_previous_figures(fresh_data):
    from kpi.store import gateway

    before = tree_digest(fresh_data)["store/CURRENT.json"]
    result = commit(preview("meetings", FIXTURES / "meetings.csv", None), "test")
    assert tree_digest(fresh_data)["store/CURRENT.json"] != before
    undo(result.seq, "test")
    assert gateway().scalar("SELECT count(*) FROM meeting") == 0
    assert (fresh_data / "imports" / "files").exists()  # the file itself is kept


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode("utf-8")


GOOD = "勞動部,測試資料集,10,2,,2018/01/02"
BAD_FILES = [
    # (name, kind, bytes, as_of, expected fragment, expected row or None, column or None)
    ("empty.csv", "usage", b"", D2018, "檔案是空的", None, None),
    ("spaces.csv", "usage", b"  \n\n ", D2018, "檔案是空的", None, None),
    ("image.csv", "usage", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", D2018, "二進位", None, None),
    ("latin.csv", "usage", HEADER.encode() + b"\x80\x80\x80,\xff\xfe\n", D2018, "無法辨識的文字編碼", 2, None),
    ("header_only.csv", "usage", HEADER.encode(), D2018, "沒有任何資料列", None, None),
    ("no_downloads.csv", "usage", "提供機關名稱,資料集名稱,瀏覽人次\n勞動部,甲,1\n".encode(), D2018,
     "缺少必要欄位：下載次數", 1, None),
    ("renamed.csv", "usage", "提供機關名稱,資料集名稱,瀏覽人次,下載數\n勞動部,甲,1,2\n".encode(), D2018,
     "缺少必要欄位：下載次數", 1, None),
    ("text_number.csv", "usage", _csv(GOOD, "勞動部,乙,十二,3,,"), D2018, "「十二」不是數字", 3, "瀏覽人次"),
    ("negative.csv", "usage", _csv("勞動部,乙,5,-3,,"), D2018, "不可為負數", 2, "下載次數"),
    ("decimal.csv", "usage", _csv("勞動部,乙,5.5,3,,"), D2018, "應為整數", 2, "瀏覽人次"),
    ("absurd.csv", "usage", _csv("勞動部,乙,9999999999999999,3,,"), D2018, "不合理地大", 2, "瀏覽人次"),
    ("bad_day.csv", "usage", _csv("勞動部,乙,5,3,,2018/02/30"), D2018, "不存在的日期", 2, "上架日"),
    ("garbage_day.csv", "usage", _csv("勞動部,乙,5,3,,上週五"), D2018, "無法辨識的日期", 2, "上架日"),
    ("extra_cells.csv", "usage", _csv("勞動部,乙,5,3,,,多出來"), D2018, "表頭只有 6 欄", 2, None),
    ("truncated.csv", "usage", _csv(GOOD) + b'\xe5\x8b\x9e\xe5\x8b\x95\xe9\x83\xa8,"\xe6\x9c\xaa\xe9\x96\x89\xe5\x90\x88,5', D2018,
     "CSV 格式錯誤", None, None),
    ("huge_cell.csv", "usage", _csv("勞動部," + "長" * 20_000 + ",5,3,,"), D2018, "超過上限", 2, "資料集名稱"),
    ("blank_name.csv", "usage", _csv("勞動部,,5,3,,"), D2018, "不可空白", 2, "資料集名稱"),
    ("rating.csv", "usage", _csv("勞動部,乙,5,3,300,"), D2018, "評分", 2, "資料集評分"),
    ("no_as_of.csv", "usage", _csv(GOOD), None, "--as-of", None, None),
    ("kind.csv", "views", _csv(GOOD), D2018, "不明的匯入種類", None, None),
    ("broken.xlsx", "usage", b"PK\x03\x04garbage-not-a-zip", D2018, "無法讀取 Excel", None, None),
    ("new_layout.csv", "usage", "資料集名稱,瀏覽次數,下載次數\n甲,1,2\n".encode(), D2018, "請指定機關", 1, None),
    ("badge.csv", "catalogue", None, D2018, "品質檢測「鑽石」", 2, "品質檢測"),
    ("resources.csv", "catalogue", None, D2018, "應一一對應", 2, "資料下載網址"),
    ("qc.json", "qc", b"[{\"datasetId\": \"A\", \"linkable\": \"2\"}]", D2018, "應為 \"0\" 或 \"1\"", 1, "linkable"),
    ("qc_broken.json", "qc", b"[{\"datasetId\": ", D2018, "不是有效的 JSON", None, None),
    ("reply_first.csv", "feedback", "ID,發表時間,標題,資料集名稱,首次回復時間\n1,2018-07-05 10:00,甲,乙,2018-07-01 09:00\n".encode(),
     D2018, "早於發表時間", 2, "首次回復時間"),
    ("future.csv", "feedback", "ID,發表時間,標題,資料集名稱\n1,2018-08-05 10:00,甲,乙\n".encode(), D2018,
     "晚於資料日期", 2, "發表時間"),
    ("no_agency.csv", "meetings", "會議日期,備註\n106/03/15,會議\n".encode(), None, "請填機關", 2, None),
]


def _catalogue_bytes(name: str) -> bytes:
    text = (FIXTURES / "catalogue_real_layout.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    if name == "badge.csv":
        rows[1][4] = "鑽石"
    else:
        rows[1][6] = rows[1][6].split(";")[0]  # three formats, one URL
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


@pytest.mark.parametrize("name,kind,data,as_of,fragment,row,column", BAD_FILES,
                         ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_refused_and_nothing_changes(fresh_data, tmp_path, name, kind, data, as_of,
                                                 fragment, row, column):
    path = tmp_path / name
    path.write_bytes(data if data is not None else _catalogue_bytes(name))
    before = tree_digest(fresh_data)
    with pytest.raises(ImportRefused) as err:
        commit(preview(kind, path, as_of), "test")
    message = err.value.text()
    assert fragment in message
    assert f"檔案「{name}」" in message
    if row is not None:
        assert f"第 {row} 列" in message
    if column is not None:
        assert f"欄位「{column}」" in message
    assert "資料庫未做任何變更" in message
    assert tree_digest(fresh_data) == before


ACCEPTED_WITH_WARNING = [
    ("dupes.csv", _csv(GOOD, GOOD), "重複列只計一次", 1),
    ("formula.csv", _csv("勞動部,=SUM(A1:A9),5,3,,"), "= + - @", 1),
    ("html.csv", _csv("勞動部,<script>alert(1)</script>,5,3,,"), "HTML", 1),
    ("later.csv", _csv("勞動部,乙,5,3,,2018/08/31"), "晚於資料日期", 1),
    ("fullwidth.csv", _csv("勞動部,乙,１２３,４,,１０７／０７／０１"), None, 1),
]


@pytest.mark.parametrize("name,data,warning,rows", ACCEPTED_WITH_WARNING,
                         ids=[a[0] for a in ACCEPTED_WITH_WARNING])
def test_questionable_files_are_accepted_with_a_warning(fresh_data, tmp_path, name, data, warning,
                                                        rows):
    path = tmp_path / name
    path.write_bytes(data)
    parsed = preview("usage", path, D2018)
    assert parsed.rows == rows
    if warning:
        assert any(warning in str(w) for w in parsed.warnings)
    else:
        assert parsed.frame.loc[0, "views"] == 123
        assert parsed.frame.loc[0, "listed_on"] == dt.date(2018, 7, 1)


@pytest.mark.slow  # ≈3 s: the full suite runs it, the quick loop does not
def test_readers_see_old_or_new_version_during_an_import(fresh_data, tmp_path):
    """Threads query without pause while an import publishes a new version."""
    from kpi.store import gateway

    query = "SELECT count(*) FROM counter WHERE snapshot_date = (SELECT max(snapshot_date) FROM counter)"
    old = gateway()
    old_count = old.scalar(query)
    path = tmp_path / "next.csv"
    path.write_bytes(_csv(GOOD, "勞動部,丙,1,1,,"))
    seen: list[tuple[str, int]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                gw = gateway()
                seen.append((gw.version_id, gw.scalar(query)))
            except BaseException as exc:
                errors.append(exc)
                return

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    result = commit(preview("usage", path, dt.date(2019, 1, 1)), "test")
    for _ in range(50):
        if any(v == result.version_id for v, _ in seen):
            break
        threading.Event().wait(0.05)
    stop.set()
    for t in threads:
        t.join()
    assert not errors
    counts = {v: {c for vv, c in seen if vv == v} for v, _ in seen}
    assert counts[old.version_id] == {old_count}
    assert counts[result.version_id] == {2}
    assert set(counts) == {old.version_id, result.version_id}


@pytest.mark.slow  # ≈5 s: the full suite runs it, the quick loop does not
def test_appending_a_snapshot_equals_a_full_rebuild(fresh_data, tmp_path):
    """The fast path (one new counter file, the rest hard-linked) gives the same tables."""
    from bench.generate import load_base, step, write_usage
    from kpi.build import rebuild
    from kpi.store import gateway, read_manifest

    history = load_base(seed=7)
    day = dt.date(2018, 8, 20)
    path = tmp_path / "next.csv"
    write_usage(step(history, day), path)
    before = read_manifest()
    commit(preview("usage", path, day), "test")
    after = read_manifest()
    assert after.meta["snapshots"][-1] == "2018-08-20"
    linked = after.files("counter")[0]
    assert linked.stat().st_ino == before.files("counter")[0].stat().st_ino  # hard link, not a copy
    queries = {
        "counter": "SELECT * EXCLUDE (row_no) FROM counter ORDER BY snapshot_date, dataset_id",
        "dataset": "SELECT * FROM dataset ORDER BY dataset_id",
        "match_candidate": "SELECT * FROM match_candidate ORDER BY ALL",
        "feedback": "SELECT * FROM feedback ORDER BY feedback_id",
        "snapshot": "SELECT * EXCLUDE (source) FROM snapshot ORDER BY snapshot_date",
    }
    fast = {k: gateway().query(q) for k, q in queries.items()}
    rebuild(force=True)
    full = {k: gateway().query(q) for k, q in queries.items()}
    for key in queries:
        pd.testing.assert_frame_equal(fast[key], full[key], check_dtype=False, obj=key)
