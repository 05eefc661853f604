"""What a dataset should fix, in one list of rules read by the scorecard's 待改善事項 and the
Excel fix list (修正清單): the two used to differ (one named unmapped formats and datasets with no
format, the other a link broken twice and what format to offer), so a dataset could be clean on
one and listed on the other."""

from __future__ import annotations

from typing import Any

OFFER_OPEN_FORMAT = "建議提供 CSV/JSON/XML"


def fix_items(row: dict[str, Any]) -> list[str]:
    """One dataset_quality row (kpi/metrics/quality.py) → its problems in zh-TW, most basic first."""
    out = []
    stars = int(row["stars"])
    if stars == 0:
        out.append(f"未提供檔案格式，{OFFER_OPEN_FORMAT}")
    elif stars < 3:
        out.append(f"僅 {stars} 星（非三星以上格式），{OFFER_OPEN_FORMAT}")
    unknown = row.get("unknown_formats")
    if unknown is not None and len(unknown):
        out.append("格式不在星等對照表：" + "、".join(map(str, unknown)))
    if row["late_update"]:
        out.append("未依更新頻率更新")
    if row["broken_link"]:
        out.append("連結失效（連續兩次）" if row.get("broken_twice") else "連結失效")
    if row["wrong_info"]:
        out.append("資訊錯誤（聯絡人、編碼或欄位說明）")
    return out


def fix_text(row: dict[str, Any]) -> str:
    """The problems joined for one table cell ('' when there is nothing to fix)."""
    return "；".join(fix_items(row))
