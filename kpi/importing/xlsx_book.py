"""Which sheet of a workbook is the data, and when the workbook is too ambiguous to import.

Why: an office keeps last month's counts on a hidden sheet, or two visible copies of the same
table. Reading "the first sheet" then imports stale numbers without a word. The sheet Excel
opens on is read; the others are only summarised (header and a digest of their values), so a
hidden-only or contradictory workbook is refused naming its sheets instead of guessed at.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from kpi.importing.xlsx_sheet import Stop


@dataclass(frozen=True)
class Sheet:
    name: str
    path: str
    hidden: bool


@dataclass
class Summary:
    """The first non-blank row and a digest of every value, enough to compare two sheets."""

    header: tuple[str, ...] | None = None
    digest: object = field(default_factory=hashlib.sha256)
    readable: bool = True

    def add(self, cells: list[str]) -> None:
        values = tuple(c.strip() for c in cells)
        while values and not values[-1]:
            values = values[:-1]
        if not values:
            return
        if self.header is None:
            self.header = values
        self.digest.update("\x1f".join(values).encode("utf-8") + b"\x1e")

    @property
    def has_data(self) -> bool:
        return self.header is not None or not self.readable


def choose(sheets: list[Sheet], active: int) -> Sheet:
    visible = [s for s in sheets if not s.hidden]
    if not visible:
        raise Stop(f"活頁簿沒有可見的工作表（隱藏的有「{'、'.join(s.name for s in sheets)}」）；"
                   "請取消隱藏要匯入的工作表後再存檔")
    if 0 <= active < len(sheets) and not sheets[active].hidden:
        return sheets[active]
    return visible[0]


def summarize(rows: Iterable[tuple[int, list[str]]]) -> Summary:
    """A sheet other than the one read; one that breaks a limit only counts as holding data."""
    summary = Summary()
    try:
        for _, cells in rows:
            summary.add(cells)
    except Stop:
        summary.readable = False
    return summary


def judge(chosen: Sheet, mine: Summary, others: list[tuple[Sheet, Summary]]) -> None:
    """Refuse, naming the sheets, when the sheet read is not plainly the data."""
    def names(items: list[Sheet]) -> str:
        return "、".join(f"「{s.name}」" for s in items)

    hidden = [s for s, x in others if s.hidden and x.has_data]
    visible = [s for s, x in others if not s.hidden and x.has_data]
    if mine.header is None and visible:
        raise Stop(f"使用中的工作表「{chosen.name}」沒有資料，資料在工作表{names(visible)}；"
                   "請切換到要匯入的工作表後存檔再匯入")
    if mine.header is None and hidden:
        raise Stop(f"可見的工作表「{chosen.name}」沒有資料，資料只在隱藏的工作表{names(hidden)}；"
                   "請取消隱藏並確認內容，另存只含該表的檔案再匯入")
    clash = [s for s, x in others if not s.hidden and x.readable and x.header == mine.header
             and x.digest.digest() != mine.digest.digest()]
    if mine.header is not None and clash:
        raise Stop(f"可見的工作表「{chosen.name}」與{names(clash)}欄位相同但數值不同，無法判斷哪一份正確；"
                   "請刪除過時的工作表後再匯入")
