"""API coverage on the small real-layout catalogue, figures worked by hand.

The fixture (tests/fixtures/catalogue_real_layout.csv, 22 columns, 10 datasets of 基金局 and 勞研所)
with three cells changed so each rule is exercised:
- F1 (CSV;JSON;XML): its third 資料下載網址 becomes https://example.gov.tw/api/v1/F1 → has an API;
- F5 (XLSX;ODS): its second address becomes https://example.gov.tw/apidocs/F5/1 → NOT an API path;
- I4 (JSON;ABC): 檔案格式 becomes JSON;API → has an API;
and a quality check saying F6 (JSON) is not structured (structure = 0).

By hand (best star per dataset; structured = ≥ 3 stars and not refused by the quality check):
基金局  F1 3★ API · F2 XLS 2★ · F3 PDF 1★ · F4 RDF;CSV 4★ · F5 XLSX;ODS 3★ · F6 JSON 3★ but qc 0
        → 6 datasets, structured 3 (F1 F4 F5), with API 1 (F1), structured without API 2 (F4 F5)
勞研所  I1 PDF · I2 PDF;ZIP · I3 CSV 3★ · I4 JSON;API 3★ API
        → 4 datasets, structured 2 (I3 I4), with API 1 (I4), structured without API 1 (I3)
OAS: the office entered 0 validated APIs for 勞研所 → 1 API without a valid OAS description;
nothing entered for 基金局 → unknown. Other agencies: no datasets.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pandas as pd
import pytest

from kpi.config.paths import REPO_ROOT
from tests.helpers.apptest import app

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "catalogue_real_layout.csv"
FUND, INSTITUTE = "勞動部勞動基金運用局", "勞動部勞動及職業安全衛生研究所"


@pytest.fixture
def coverage_data(fresh_data, tmp_path):
    from kpi import service

    text = FIXTURE.read_text(encoding="utf-8-sig")
    text = text.replace("https://example.gov.tw/F1/2", "https://example.gov.tw/api/v1/F1")
    text = text.replace("https://example.gov.tw/F5/1", "https://example.gov.tw/apidocs/F5/1")
    text = text.replace("JSON;ABC,", "JSON;API,")
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text(text, encoding="utf-8-sig")
    qc = tmp_path / "qc.json"
    items = [{"datasetId": f"A17000000J-F{i}", "title": f"F{i}", "linkable": "1", "downloadable": "1",
              "structure": "0" if i == 6 else "1", "encoding_match": "1", "desc_match": "1", "csv": "1",
              "created": "2018-07-18 10:00:00", "request": "2018-07-18 10:00:00",
              "changed": "2018-07-18 10:05:00"} for i in range(1, 7)]
    qc.write_text(json.dumps(items), encoding="utf-8")
    day = dt.date(2018, 7, 20)
    service.import_file("catalogue", catalogue, day, "test")
    service.import_file("qc", qc, day, "test")
    service.set_oas(INSTITUTE, 0, "test")
    return fresh_data


@pytest.mark.slow  # ≈9 s: the full suite runs it, the quick loop does not
def test_hand_worked_figures(coverage_data):
    from kpi.metrics.api_coverage import api_coverage, dataset_api, structured_without_api
    from kpi.metrics.scope import resolve_scope
    from kpi.store import gateway

    gw = gateway()
    scope = resolve_scope(gw)
    rows = api_coverage(gw, scope).set_index("agency")
    assert rows.loc[FUND, ["datasets", "structured", "api_datasets", "structured_without_api"]].tolist() \
        == [6, 3, 1, 2]
    assert pd.isna(rows.loc[FUND, "oas_validated"]) and pd.isna(rows.loc[FUND, "apis_without_oas"])
    assert rows.loc[INSTITUTE, ["datasets", "structured", "api_datasets", "structured_without_api",
                                "oas_validated", "apis_without_oas"]].tolist() == [4, 2, 1, 1, 0, 1]
    assert rows.loc["勞動部", "datasets"] == 0
    todo = structured_without_api(gw, scope)
    assert sorted(todo["dataset_key"]) == ["A17000000J-F4", "A17000000J-F5", "A17000000J-I3"]
    detail = dataset_api(gw, scope).set_index("dataset_key")
    assert detail.loc["A17000000J-F6", "stars"] == 3 and not detail.loc["A17000000J-F6", "structured"]
    assert detail.loc["A17000000J-I4", "has_api"] and detail.loc["A17000000J-F1", "has_api"]


@pytest.mark.slow  # ≈10 s: the full suite runs it, the quick loop does not
def test_pack_sheet_and_page_show_the_same_figures(coverage_data):
    from kpi.exports import pack_book
    from kpi.metrics.scope import resolve_scope
    from kpi.store import gateway

    gw = gateway()
    book = openpyxl.load_workbook(io.BytesIO(pack_book(gw, resolve_scope(gw)).close()))
    ws = book["API介接盤點"]
    values = [[c.value for c in r] for r in ws.iter_rows()]
    header = next(r for r in values if r[0] == "機關")
    assert header[1:5] == ["資料集數", "結構化資料集", "已提供 API 之資料集", "結構化但未提供 API"]
    fund = next(r for r in values if r[0] == "基金局")
    institute = next(r for r in values if r[0] == "勞研所")
    total = next(r for r in values if r[0] == "合計")
    assert fund[1:7] == [6, 3, 1, 2, None, None]
    assert institute[1:7] == [4, 2, 1, 1, 0, 1]
    assert total[1:5] == [10, 5, 2, 3]
    text = " ".join(str(v) for r in values for v in r if v)
    assert "尚未提供 API 介接且具備結構化之資料集" in text
    todo = book["API待介接清單"]
    assert sorted(r[1].value for r in todo.iter_rows() if r[0].value in ("基金局", "勞研所")) == \
        ["A17000000J-F4", "A17000000J-F5", "A17000000J-I3"]

    at = app("pages/quality.py")
    assert at.header[-1].value == "API 介接盤點"
    table = next(d.value for d in at.dataframe if "結構化但未提供 API" in d.value.columns)
    row = table.set_index("機關").loc["勞研所"]
    assert row["結構化但未提供 API"] == 1 and row["未具有效 OAS 描述之 API"] == 1
    assert any("尚未提供 API 介接" in c.value for c in at.caption)
