"""Excel exports: formula-looking and HTML-looking names stay plain text; pack sheets and formats."""

import datetime as dt
import io

import openpyxl
import pandas as pd

from kpi.exports import export_pack, export_ranking
from kpi.exports.names import file_name
from kpi.metrics.scope import resolve_scope


def test_formula_text_stays_text(fresh_data, tmp_path):
    from kpi.service import commit, preview
    from kpi.store import gateway

    path = tmp_path / "evil.csv"
    pd.DataFrame([
        {"提供機關名稱": "勞動部", "資料集名稱": '=HYPERLINK("http://x","點我")', "瀏覽人次": "1",
         "下載次數": "999999", "資料集評分": "", "上架日": ""},
        {"提供機關名稱": "勞動部", "資料集名稱": "<b>粗體</b>", "瀏覽人次": "1", "下載次數": "999998",
         "資料集評分": "", "上架日": ""},
        {"提供機關名稱": "勞動部", "資料集名稱": "+886-2-1234", "瀏覽人次": "1", "下載次數": "999997",
         "資料集評分": "", "上架日": ""},
    ]).to_csv(path, index=False)
    parsed = preview("usage", path, dt.date(2019, 3, 1))
    assert any("= + - @" in str(w) for w in parsed.warnings)
    commit(parsed, "test")
    gw = gateway()
    book = openpyxl.load_workbook(io.BytesIO(export_ranking(gw, resolve_scope(gw))))
    ws = book["附件一"]
    cells = [ws.cell(row=r, column=2) for r in (4, 5, 6)]  # rows 1-3: title, scope, header
    assert [c.value for c in cells] == ['=HYPERLINK("http://x","點我")', "<b>粗體</b>", "+886-2-1234"]
    assert all(c.data_type == "s" for c in cells)


def test_pack_sheets_and_formats(gw):
    scope = resolve_scope(gw, as_of=dt.date(2017, 10, 30))
    book = openpyxl.load_workbook(io.BytesIO(export_pack(gw, scope)))
    assert book.sheetnames == ["附件一", "附件二", "附件三", "附件四", "KPI摘要", "機關排名106年", "民眾使用分析",
                               "無人下載資料集", "計算說明"]
    assert book["附件二"].max_row == 47  # title + scope + header + 44 new datasets
    assert book["附件三"].max_row == 38  # title + scope + header + 35 opinions
    kpi = book["KPI摘要"]
    header = [c.value for c in kpi[3]]
    ratio_col = header.index("6日內回復比率（106年）") + 1  # the headline's basis: the plan year
    assert kpi.cell(row=4, column=ratio_col).number_format == "0.0%"
    assert kpi.cell(row=4, column=header.index("累計瀏覽量") + 1).number_format == "#,##0"
    assert kpi.freeze_panes == "A4"
    assert file_name("pack", scope) == "勞動部開放資料_會議資料_106年10月30日_勞動部及所屬.xlsx"


def test_data_text_is_shown_as_typed_in_alerts_and_charts():
    """Markdown in st.error/st.success and HTML in Plotly labels must not be interpreted."""
    import pandas as pd

    from pages.ui.render import chart_text, plain

    assert plain("[點我](javascript:alert(1)) **粗**") == \
        r"\[點我\]\(javascript\:alert\(1\)\) \*\*粗\*\*"  # ':' too: :red[…], :rocket:
    assert chart_text(pd.Series(['<a href="x">名稱</a>'])).tolist() == \
        ["&lt;a href=&quot;x&quot;&gt;名稱&lt;/a&gt;"]
