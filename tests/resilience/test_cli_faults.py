"""Every command's failures in zh-TW with exit 2, never a traceback or click's English: output
paths that are folders or devices, damaged state and settings files, hostile options, usage
mistakes; terminal output escapes control characters. Run through the CLI's own boundary."""

from __future__ import annotations

import json
import re

import pytest

from kpi.config.paths import REPO_ROOT

HEADER = "提供機關名稱,資料集名稱,瀏覽人次,下載次數,資料集評分,上架日\n"
ENGLISH = re.compile(r"\b(Usage|Error|Traceback|Missing|Invalid|No such|expected|must be)\b")


def run(capsys, *args: str) -> tuple[int, str, str]:
    from kpi.cli import app
    from kpi.faults.boundary import run as boundary

    capsys.readouterr()
    code = boundary(app, list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def refused(capsys, *args: str) -> str:
    code, _, err = run(capsys, *args)
    assert code == 2, err
    assert not ENGLISH.search(err), err
    assert re.search("[\u4e00-\u9fff]", err), err
    return err


@pytest.mark.parametrize("args,words", [
    (["import"], "缺少參數「KIND」"),
    (["report", "--bogus"], "沒有「--bogus」這個選項"),
    (["nosuch"], "沒有這個命令"),
    (["report", "--as-of"], "選項「--as-of」需要一個值"),
    (["undo", "abc"], "參數「SEQ」的值不正確"),
    (["check-links", "--rate", "fast"], "參數「--rate」的值不正確"),
])
def test_usage_mistakes_are_told_in_chinese(built_data, monkeypatch, capsys, args, words):
    monkeypatch.setenv("KPI_DATA_DIR", str(built_data))
    err = refused(capsys, *args)
    assert words in err and "--help" in err


def test_export_to_a_folder_or_a_full_device_is_refused(built_data, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("KPI_DATA_DIR", str(built_data))
    err = refused(capsys, "export", "ranking", "--out", str(tmp_path))
    assert "是資料夾" in err and str(tmp_path) in err
    err = refused(capsys, "export", "ranking", "--out", "/dev/full")
    assert "磁碟空間不足" in err and "/dev/full" in err
    assert list(tmp_path.iterdir()) == []  # no temp copy left beside where it was going


def test_damaged_import_log_is_named_with_its_line(fresh_data, capsys, tmp_path):
    log = fresh_data / "imports" / "log.json"
    log.write_text('[\n {"seq": 1,\n  "kind": "usage"\n', encoding="utf-8")  # torn mid-write
    for args in (["imports"], ["report"], ["undo", "1"]):
        err = refused(capsys, *args)
        assert "匯入紀錄" in err and str(log) in err and "第 4 行" in err and "備份還原" in err
    log.write_text(json.dumps([{"seq": 1, "kind": "usage"}]), encoding="utf-8")  # fields lost
    path = tmp_path / "u.csv"
    path.write_text(HEADER + "勞動部,甲,1,1,,2015/01/01\n", encoding="utf-8")
    err = refused(capsys, "import", "usage", str(path), "--as-of", "2019-01-31")
    assert "第 1 筆損毀" in err


def test_damaged_settings_are_named(fresh_data, capsys):
    (fresh_data / "settings").mkdir(exist_ok=True)
    (fresh_data / "settings" / "oas_apis.json").write_text("{oops", encoding="utf-8")
    err = refused(capsys, "build", "--force")
    assert "設定檔" in err and "oas_apis.json" in err and "第 1 行" in err


@pytest.mark.parametrize("sources,words", [
    ({"sources": [{"name": "甲", "kind": "usage", "url": "http://x/a.csv", "retries": -1}]}, "retries 應為 0 至 10"),
    ({"sources": [{"name": "甲", "kind": "usage", "url": "http://x/a.csv", "timeout": "快"}]}, "timeout 應為"),
    ({"sources": [{"name": "甲", "kind": "usage", "url": "http://x/a.csv", "colour": 1}]}, "不認得的設定「colour」"),
    ({"sources": [{"name": "甲\u202e", "kind": "usage", "url": "http://x/a.csv"}]}, "U+202E"),
    ({"sources": "甲"}, "sources 清單"),
])
def test_bad_sources_settings_are_refused_naming_the_entry(fresh_data, capsys, tmp_path, sources, words):
    config = tmp_path / "sources.json"
    config.write_text(json.dumps(sources, ensure_ascii=False), encoding="utf-8")
    err = refused(capsys, "fetch", "--config", str(config))
    assert words in err and "sources.json" in err


@pytest.mark.parametrize("option", ["--agency", "--user"])
@pytest.mark.parametrize("char", ["\u202e", "\x1b", "\u2066"])
def test_controls_in_options_are_refused_like_in_cells(fresh_data, capsys, tmp_path, option, char):
    path = tmp_path / "u.csv"
    path.write_text(HEADER + "勞動部,甲,1,1,,2015/01/01\n", encoding="utf-8")
    err = refused(capsys, "import", "usage", str(path), "--as-of", "2019-01-31", option, f"勞動部{char}")
    assert option in err and f"U+{ord(char):04X}" in err
    assert char not in err  # the message itself is safe to print


def test_zero_width_in_an_option_is_stripped_as_in_cells(fresh_data, capsys, tmp_path):
    path = tmp_path / "u.csv"
    path.write_text("資料集名稱,瀏覽人次,下載次數\n甲,1,1\n", encoding="utf-8")
    code, out, err = run(capsys, "import", "usage", str(path), "--as-of", "2019-01-31",
                         "--agency", "勞動\u200b部", "--user", "王\u200d小明")
    assert code == 0, err
    code, out, _ = run(capsys, "imports")
    assert "王小明" in out and "\u200d" not in out


def test_terminal_escapes_in_a_file_name_are_printed_escaped(fresh_data, capsys, tmp_path):
    path = tmp_path / "a\x1b[31mred\x07.csv"
    path.write_text(HEADER + "勞動部,甲,1,1,,2015/01/01\n", encoding="utf-8")
    code, _, err = run(capsys, "import", "usage", str(path), "--as-of", "2019-01-31")
    assert code == 0, err
    code, out, _ = run(capsys, "imports")
    assert "a\\u001b[31mred\\u0007.csv" in out and "\x1b" not in out and "\x07" not in out


def test_qc_json_with_a_lone_surrogate_is_refused(fresh_data, capsys, tmp_path):
    path = tmp_path / "qc.json"
    path.write_bytes(b'[{"datasetId": "A\\ud800", "linkable": "1"}]')
    err = refused(capsys, "import", "qc", str(path), "--as-of", "2019-01-31")
    assert "U+D800" in err and "第 1 列" in err


def test_an_impossible_time_is_told_in_chinese(fresh_data, capsys, tmp_path):
    path = tmp_path / "feedback.csv"
    source = (REPO_ROOT / "tests" / "fixtures" / "feedback_portal.csv").read_text(encoding="utf-8-sig")
    lines = source.splitlines()
    first = lines[1].split(",")
    stamp = next(i for i, c in enumerate(first) if re.fullmatch(r"\d{4}[-/]\d{1,2}[-/]\d{1,2} \d{1,2}:\d{2}(:\d{2})?", c))
    first[stamp] = first[stamp].split(" ")[0] + " 25:00"
    path.write_text("\n".join([lines[0], ",".join(first), *lines[2:]]) + "\n", encoding="utf-8")
    err = refused(capsys, "import", "feedback", str(path), "--as-of", "2018-07-20")
    assert "不存在的時間" in err and "第 2 列" in err
