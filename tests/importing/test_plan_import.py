"""Action plans as data: a later plan (107–108, the template's made-up targets) imported through
the normal path reaches the pages, the Excel pack and the PDF brief; bad sheets change nothing."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import openpyxl
import pytest

from kpi.config.paths import REPO_ROOT
from kpi.importing.errors import ImportRefused
from tests.helpers.apptest import app

TEMPLATE = REPO_ROOT / "data" / "templates" / "action_plan_template.csv"
HEADER = ("方案名稱,年度,機關,召開工作小組會議次數,成長量（新增資料集）,定期更新及連結等資訊正確率,"
          "三星等級資料比率,6日內回復外部意見比率")


def folder_hash(folder: Path) -> str:
    """Everything in the data folder except the audit log (a refusal is audited on purpose)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "audit" not in p.parts):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _sheet(tmp_path: Path, rows: list[str], header: str = HEADER, name: str = "plan.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow  # ≈4 s: the full suite runs it, the quick loop does not
def test_template_plan_reaches_pages_excel_and_brief(fresh_data):
    from pypdf import PdfReader

    from kpi import service
    from kpi.exports import build, pack_book
    from kpi.metrics import plan
    from kpi.metrics.scope import resolve_scope
    from kpi.store import gateway

    before = app()
    assert any("106 年實績對目標" in s.value for s in before.header)
    assert any("未訂 107 年目標" in c.value for c in before.caption)  # a year without a plan says so

    parsed, result = service.import_file("plan", TEMPLATE, None, "test")
    assert result.changed and parsed.rows == 12
    from pages.ui.data import data_changed

    data_changed()  # as the import page does after a commit (the version is polled every 3 s)
    gw = gateway()
    assert plan.plan_years(gw) == [108, 107, 106, 105]
    scope = resolve_scope(gw)  # newest snapshot 2018-07-20 = ROC 107
    assert plan.default_year(gw, scope.as_of) == 107
    assert plan.common_target(gw, "reply_6day_ratio", 107) == pytest.approx(0.95)
    assert plan.common_target(gw, "three_star_ratio", 108) == pytest.approx(0.7)
    assert plan.common_target(gw, "new_datasets", 107) is None  # differs per agency
    row = gw.query("SELECT * FROM target JOIN action_plan USING (roc_year) "
                   "WHERE roc_year = 107 AND agency = '勞動部勞工保險局'").iloc[0]
    assert (row["new_datasets"], row["weight_three_star_ratio"], row["bonus_max"]) == (30, 1.5, 5)
    assert row["plan_name"].startswith("107–108 年行動方案")

    at = app()
    assert any("107 年實績對目標" in s.value for s in at.header)
    assert not any("未訂 107 年目標" in c.value for c in at.caption)
    texts = [t.value for t in at.text]
    assert any("成長量（新增資料集）" in t and "目標 30" in t for t in texts), texts[:10]
    page = app("pages/plan.py")
    assert page.title[0].value == "行動方案績效（105–108 年）"
    assert page.radio[0].options == ["108 年", "107 年", "106 年", "105 年"]

    book = openpyxl.load_workbook(io.BytesIO(pack_book(gw, scope).close()))
    assert "機關排名107年" in book.sheetnames
    ws = book["機關排名107年"]
    values = [[c.value for c in r] for r in ws.iter_rows()]
    labour_insurance = next(r for r in values if "勞保局" in r)
    assert 30 in labour_insurance  # the 107 growth target of the later plan

    data, _, _ = build("brief", gw, scope)
    text = "".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().replace("\x00", "").split())
    assert "107年度行動方案五項指標" in text


@pytest.mark.slow  # ≈3 s: the full suite runs it, the quick loop does not
def test_overlapping_plan_needs_replace_and_undo_restores(fresh_data, tmp_path):
    from kpi import service
    from kpi.metrics import plan
    from kpi.store import gateway

    rows = [f"新方案,106,{a},2,5,0.8,0.4,0.9" for a in ("勞動部", "勞保局")]
    path = _sheet(tmp_path, rows)
    before = folder_hash(fresh_data)
    with pytest.raises(ImportRefused, match="106 年已有「105–106 年行動方案」之目標"):
        service.import_file("plan", path, None, "test")
    assert folder_hash(fresh_data) == before
    _, result = service.import_file("plan", path, None, "test", replace=True)
    assert plan.common_target(gateway(), "reply_6day_ratio", 106) == pytest.approx(0.9)
    assert len(gateway().query("SELECT * FROM target WHERE roc_year = 106")) == 2
    service.undo(result.seq, "test")
    assert plan.common_target(gateway(), "reply_6day_ratio", 106) == pytest.approx(0.95)
    assert len(gateway().query("SELECT * FROM target WHERE roc_year = 106")) == 6


@pytest.mark.parametrize("rows,header,expect", [
    (["新方案,107,勞動部,4,10,0.9,0.5,0.95"], HEADER + ",開放格式比率",
     "第 1 列，欄位「開放格式比率」：不明的指標欄位"),
    (["新方案,107,火星部,4,10,0.9,0.5,0.95"], HEADER, "第 2 列，欄位「機關」：機關「火星部」從未出現"),
    (["新方案,107,勞動部,4,10,1.2,0.5,0.95"], HEADER, "第 2 列，欄位「定期更新及連結等資訊正確率」：比率 1.2 超出 0～1"),
    (["新方案,107,勞動部,4,10,0.9,120%,0.95"], HEADER, "第 2 列，欄位「三星等級資料比率」：比率 120% 超出"),
    (["新方案,107,勞動部,4,-3,0.9,0.5,0.95"], HEADER, "第 2 列，欄位「成長量(新增資料集)」：目標數 -3 不可為負數"),
    (["新方案,107,勞動部,4,10,0.9,0.5,0.95", "新方案,107,本部,4,12,0.9,0.5,0.95"], HEADER,
     "第 3 列，欄位「機關」：勞動部 107 年重複（第 2 列已有）"),
    (["新方案,107,勞動部,4,10,0.9,0.5,0.95", "新方案,106,勞保局,4,10,0.9,0.5,0.95"], HEADER,
     "106 年已有「105–106 年行動方案」之目標"),
    (["新方案,一〇七,勞動部,4,10,0.9,0.5,0.95"], HEADER, "第 2 列，欄位「年度」：年度「一〇七」不是民國年"),
])
def test_bad_plan_sheets_change_nothing(fresh_data, tmp_path, rows, header, expect):
    from kpi import service

    path = _sheet(tmp_path, rows, header)
    before = folder_hash(fresh_data)
    with pytest.raises(ImportRefused) as err:
        service.import_file("plan", path, None, "test")
    assert f"檔案「plan.csv」，{expect}" in err.value.text() or expect in err.value.text(), err.value.text()
    assert folder_hash(fresh_data) == before


def test_plan_is_detected_and_both_template_files_agree():
    from kpi.importing.kinds import detect_kind, parse_file

    assert detect_kind(HEADER.split(","), "p.csv") == "plan"
    csv = parse_file("plan", TEMPLATE, None).frame
    xlsx = parse_file("plan", TEMPLATE.with_suffix(".xlsx"), None).frame
    assert csv.drop(columns="row_no").equals(xlsx.drop(columns="row_no"))
    assert "虛構" in csv["plan_name"].iloc[0]
