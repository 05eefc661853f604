"""Files cut short, quotes after a space, mixed encodings and invisible characters: each refused
naming its row (and column), or read as the portal means it. Files are made by the test."""

from __future__ import annotations

import datetime as dt

import pytest

from kpi.identity.names import match_names, normalize_name
from kpi.importing.errors import ImportRefused
from kpi.importing.kinds import parse_file

HEADER = "提供機關名稱,資料集名稱,瀏覽人次,下載次數,資料集評分,上架日\n"
AS_OF = dt.date(2018, 7, 20)


def _usage(tmp_path, body: bytes, name: str = "u.csv"):
    path = tmp_path / name
    path.write_bytes(body)
    return parse_file("usage", path, AS_OF)


def _refused(tmp_path, body: bytes) -> str:
    with pytest.raises(ImportRefused) as err:
        _usage(tmp_path, body)
    text = err.value.text()
    assert "Traceback" not in text and "Error" not in text and "expected" not in text
    return text


def test_last_row_cut_after_views_is_refused_naming_that_row(tmp_path):
    body = (HEADER + "勞動部,甲資料,10,3,,2015-01-02\n勞動部,乙資料,7").encode()
    text = _refused(tmp_path, body)
    assert "第 3 列" in text and "只有 3 欄" in text and "下載次數" in text


def test_a_middle_row_short_by_one_field_is_refused_and_a_full_row_is_taken(tmp_path):
    text = _refused(tmp_path, (HEADER + "勞動部,甲資料,10,3,,2015-01-02\n勞動部,乙資料,7,2,\n"
                               "勞動部,丙資料,1,1,,2015-01-02\n").encode())
    assert "第 3 列" in text and "只有 5 欄" in text and "上架日" in text
    parsed = _usage(tmp_path, (HEADER + "勞動部,甲資料,10,3,,2015-01-02\n勞動部,乙資料,7,2,,\n").encode())
    assert parsed.rows == 2


def test_file_ending_inside_a_quoted_name_is_refused_in_chinese(tmp_path):
    text = _refused(tmp_path, (HEADER + "勞動部,甲資料,10,3,,2015-01-02\n"
                               "勞動部,\"乙資料,7,2,,2015-01-02\n").encode())
    assert "第 3 列" in text and "引號內結束" in text


def test_space_before_quote_means_the_quoted_name(tmp_path):
    body = (HEADER + '勞動部, "甲資料，含逗號,與引號",10, 3,,2015-01-02\n').encode()
    frame = _usage(tmp_path, body).frame
    assert frame["dataset_name"].tolist() == ["甲資料，含逗號,與引號"]
    assert frame["downloads"].tolist() == [3]


def test_utf8_name_inside_a_cp950_file_is_refused_naming_its_row(tmp_path):
    rows = [f"勞動部,第{i}個資料集,{i},1,,2015-01-02\n" for i in range(1, 5)]
    body = (HEADER + "".join(rows)).encode("cp950")
    body += "勞動部,".encode("cp950") + "年度工業".encode() + ",5,1,,2015-01-02\n".encode("cp950")
    text = _refused(tmp_path, body)
    assert "第 6 列" in text and "資料集名稱" in text and "UTF-8" in text
    assert _usage(tmp_path, (HEADER + "".join(rows)).encode("cp950")).rows == 4  # plain CP950 taken


def test_undecodable_bytes_name_the_row_where_decoding_stopped(tmp_path):
    rows = "".join(f"勞動部,第{i}個資料集,{i},1,,2015-01-02\n" for i in range(1, 11))
    body = (HEADER + rows).encode("cp950") + b"\xff\xfe\xff,x,1,1,,\n"
    text = _refused(tmp_path, body)
    assert "第 12 列" in text and "第 1 列" not in text


@pytest.mark.parametrize("char", ["\ue000", "\U000f0000", "\u0378"])
def test_private_use_and_unassigned_characters_are_refused(tmp_path, char):
    text = _refused(tmp_path, (HEADER + "勞動部,甲資料,1,1,,2015-01-02\n"
                               f"勞動部,乙{char}資料,1,1,,2015-01-02\n").encode())
    assert "第 3 列" in text and f"U+{ord(char):04X}" in text


@pytest.mark.parametrize("char", ["\u202e", "\u200f", "\u2066", "\x1b"])
def test_bidi_and_controls_refused_in_cells(tmp_path, char):
    text = _refused(tmp_path, (HEADER + f"勞動部,乙{char}資料,1,1,,2015-01-02\n").encode())
    assert "第 2 列" in text and f"U+{ord(char):04X}" in text


def test_zero_width_characters_are_stripped_from_cells_and_ignored_by_matching(tmp_path):
    parsed = _usage(tmp_path, (HEADER + "勞動部,甲\u200b資料\u2060,1,1,,2015-01-02\n").encode())
    assert parsed.frame["dataset_name"].tolist() == ["甲資料"]
    assert normalize_name("職\u200b類\ufeff別") == normalize_name("職類別")
    old = {1: "職\u200b類別薪資", 2: "工時\u200d統計", 3: "失業率"}
    kinds = [m.kind for m in match_names(old, ["職類別薪資", "工時統計", "失業率"])]
    assert kinds == ["normalized", "normalized", "exact"]
