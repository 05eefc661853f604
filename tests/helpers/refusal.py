"""What every refused hostile file must show: the zh-TW refusal naming the file, row and column,
and never a traceback. Shared by the in-process corpus tests and the capped CLI runs."""

from __future__ import annotations

from tests.hostile.corpus import Case


def check_refusal(case: Case, text: str) -> None:
    assert "Traceback" not in text, (case.name, text)
    assert "匯入失敗" in text and f"檔案「{case.name}」" in text, (case.name, text)
    if case.fragment:  # a loaded machine may hit the reading deadline first: also a clean refusal
        assert case.fragment in text or "讀取超過 40 秒仍未完成" in text, (case.name, text)
    if case.row is not None:
        assert f"第 {case.row} 列" in text, (case.name, text)
    if case.column is not None:
        assert case.column in text, (case.name, text)
