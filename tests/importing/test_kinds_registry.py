"""One record per import kind (kpi/importing/kinds.py REGISTRY): the page, the CLI, fetch and the
build read it; nothing else lists the kinds."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from kpi.cli import app
from kpi.config.paths import REPO_ROOT
from kpi.importing.kinds import KIND_LABELS, KINDS, NEEDS_AS_OF, REGISTRY, SIGNATURES, detect_kind


def test_every_kind_is_one_whole_record():
    assert KINDS == ("usage", "catalogue", "qc", "feedback", "requests", "meetings", "plan", "resolutions")
    for kind in REGISTRY.values():
        assert re.search(r"[\u4e00-\u9fff]", kind.label)
        assert (kind.parser is None) == (kind.name == "qc")  # qc is JSON; every table kind has a parser
        assert kind.signatures or kind.name == "qc"
    assert {k: REGISTRY[k].label for k in KINDS} == KIND_LABELS
    assert {"usage", "catalogue", "qc", "feedback", "requests"} == NEEDS_AS_OF


@pytest.mark.parametrize("kind, labels", SIGNATURES)
def test_each_signature_detects_its_kind(kind, labels):
    assert detect_kind([*labels, "備註"], "x.csv") == kind


def test_detection_order_decides_between_layouts():
    # a catalogue also has download and view columns; a resolutions file also has a meeting date
    assert detect_kind(["品質檢測", "資料下載網址", "下載次數", "瀏覽人次"]) == "catalogue"
    assert detect_kind(["下載次數", "瀏覽人次"]) == "usage"
    assert detect_kind(["案由", "主辦機關", "會議日期"]) == "resolutions"
    assert detect_kind(["會議日期", "主辦機關"]) == "meetings"
    assert detect_kind(["資料集名稱"], "result.json") == "qc" and detect_kind(["資料集名稱"]) is None


def test_the_cli_help_names_exactly_the_registry():
    text = CliRunner().invoke(app, ["import", "--help"], terminal_width=400, env={"COLUMNS": "400"}).output
    listed = re.search(r"匯入種類：([a-z |]+)", text).group(1)
    assert tuple(w.strip() for w in listed.split("|")) == KINDS


def test_no_other_module_lists_the_kinds():
    listing = re.compile(r"[\"']requests[\"'],\s*[\"']meetings[\"']|[\"']catalogue[\"'],\s*[\"']qc[\"']")
    holders = [str(p.relative_to(REPO_ROOT)) for p in [*REPO_ROOT.glob("kpi/**/*.py"), *REPO_ROOT.glob("pages/**/*.py")]
               if listing.search(p.read_text(encoding="utf-8"))]
    assert holders == []
