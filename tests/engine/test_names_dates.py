"""Name matching and date parsing, with cases taken from the real exports."""

import datetime as dt

import pytest

from kpi.identity.names import fuzzy_candidates, match_names, normalize_name
from kpi.reference.dates import parse_date, roc


def test_ocr_dash_and_width_variants_normalise_equal():
    assert normalize_name("勞動力發展署─最新消息") == normalize_name("勞動力發展署一最新消息")
    assert normalize_name("受僱員工人數、平均薪資－礦業（按職類別分）") == \
        normalize_name("受僱員工人數、平均薪資-礦業(按職類別分)")
    assert normalize_name("15-29歲 青年勞工") == normalize_name("15－29歲青年勞工")


def test_match_order_exact_normalized_prefix_new():
    old = {1: "勞動力發展署一新聞稿", 2: "公告修正「申請聘僱外國人從事家庭看護工作之專業評估被看者醫療機",
           3: "勞工保險局簡介", 4: "105年危險性設備資料統計數據"}
    new = ["勞工保險局簡介", "勞動力發展署─新聞稿",
           "公告修正「申請聘僱外國人從事家庭看護工作之專業評估被看者醫療機構」", "106年危險性設備資料統計數據"]
    got = [(m.old_id, m.kind) for m in match_names(old, new)]
    assert got == [(3, "exact"), (1, "normalized"), (2, "prefix"), (None, "new")]


def test_a_year_in_the_name_is_only_a_candidate():
    cands = fuzzy_candidates({10: "106年危險性設備資料統計數據"}, {4: "105年危險性設備資料統計數據"})
    assert cands == [(10, 4, 93.3)]


def test_short_prefix_is_not_matched():
    got = match_names({1: "勞保局服務電話"}, ["勞保局服務"])
    assert got[0].kind == "new"


@pytest.mark.parametrize("text,expected", [
    ("2017/10/30", dt.date(2017, 10, 30)), ("106/10/30", dt.date(2017, 10, 30)),
    ("106年10月30日", dt.date(2017, 10, 30)), ("民國106年10月30日", dt.date(2017, 10, 30)),
    ("1061030", dt.date(2017, 10, 30)), ("２０１７－１０－３０", dt.date(2017, 10, 30)),
    ("2017.07.08", dt.date(2017, 7, 8)), ("2018-07-20 10:11:12", dt.date(2018, 7, 20)),
    ("", None), ("無", None),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2017/13/01", "106/02/30", "yesterday", "10/30"])
def test_bad_dates_are_refused_in_zh(text):
    with pytest.raises(ValueError, match="日期"):
        parse_date(text)


def test_roc_format():
    assert roc(dt.date(2017, 10, 30)) == "106/10/30"
    assert roc(dt.date(2017, 10, 30), "long") == "民國106年10月30日"
