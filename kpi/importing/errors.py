"""Refusals and warnings that name the file, the row and the column, in zh-TW."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Problem:
    file: str
    message: str
    row: int | None = None  # 1-based data row as a spreadsheet shows it (header = row 1)
    column: str | None = None

    def __str__(self) -> str:
        where = [f"檔案「{self.file}」"]
        if self.row is not None:
            where.append(f"第 {self.row} 列")
        if self.column:
            where.append(f"欄位「{self.column}」")
        return "，".join(where) + "：" + self.message


class ImportRefused(Exception):
    """The file is not taken; nothing in the store changes."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = problems if isinstance(problems, list) else [problems]
        super().__init__(self.text())

    def text(self, limit: int = 20) -> str:
        lines = [str(p) for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"……另有 {len(self.problems) - limit} 個問題未列出")
        return "匯入失敗，資料庫未做任何變更。\n" + "\n".join(lines)
