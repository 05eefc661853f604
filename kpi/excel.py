"""Compatibility shim: the exports moved to ``kpi.exports`` (print-ready sheets, brief, names).

``file_name`` here keeps the old short names (資料集下載排行_1070720.xlsx) for callers not yet
moved; new code uses ``kpi.exports.file_name`` / ``kpi.exports.build``, whose names say the
order, date and agencies.
"""

from __future__ import annotations

from kpi.dates import roc_compact
from kpi.exports import export_fixlist, export_pack, export_ranking
from kpi.metrics.scope import Scope

__all__ = ["export_fixlist", "export_pack", "export_ranking", "file_name"]

TITLES = {"ranking": "資料集下載排行", "pack": "諮詢小組會議資料", "fixlist": "資料品質待改善清單"}


def file_name(kind: str, scope: Scope) -> str:
    """Old style: 資料集下載排行_1070720.xlsx (see kpi.exports.file_name for the new names)."""
    return f"{TITLES[kind]}_{roc_compact(scope.as_of)}.xlsx"
