"""Meeting outputs: the 附件一 ranking, the whole pack, the quality fix list (Excel) and the
one-page brief (PDF). Nothing is built until asked: the dashboard calls ``build`` when a download
is clicked, and ``file_name`` (pure) labels the button beforehand.
"""

from __future__ import annotations

import datetime as dt

from kpi.exports.api_sheet import write_api_coverage
from kpi.exports.change_sheet import write_change
from kpi.exports.names import BY_LABELS, file_name, mime
from kpi.exports.public_use_sheet import write_public_use
from kpi.exports.resolutions_sheet import write_resolutions
from kpi.exports.standing import fix_rows, write_agency_ranking, write_fixes, write_summary
from kpi.exports.tables import write_feedback, write_new_datasets, write_notes, write_ranking, write_requests
from kpi.exports.workbook import Book
from kpi.metrics.plan import Weights
from kpi.metrics.scope import Scope
from kpi.store import Gateway

KINDS = ("ranking", "pack", "fixlist", "brief")
__all__ = ["KINDS", "build", "export_fixlist", "export_pack", "export_ranking", "file_name",
           "pack_book"]


def ranking_book(gw: Gateway, scope: Scope, by: str = "downloads",
                 generated_at: dt.datetime | None = None) -> Book:
    book = Book(scope, generated_at)
    write_ranking(book, gw, scope, by)
    return book


def pack_book(gw: Gateway, scope: Scope, weights: Weights | None = None, days: str = "calendar",
              by: str = "downloads", generated_at: dt.datetime | None = None) -> Book:
    """前次會議決議事項追蹤 (first, as the minutes open with it), 附件一–四, the KPI summary, the yearly agency ranking, the fix list (when a catalogue was
    imported) and the calculation notes, every sheet ready to print."""
    from kpi.cycle.meetings import baseline_note

    book = Book(scope, generated_at)
    book.since_note = baseline_note(gw, scope)
    write_resolutions(book, gw, scope)
    write_ranking(book, gw, scope, by)
    write_new_datasets(book, gw, scope)
    write_feedback(book, gw, scope, days)
    write_requests(book, gw, scope)
    write_summary(book, gw, scope, days)
    write_change(book, gw, scope, days)
    write_agency_ranking(book, gw, scope, weights, days=days)
    write_api_coverage(book, gw, scope)
    write_public_use(book, gw, scope)
    fixes = fix_rows(gw, scope)
    if len(fixes):
        write_fixes(book, fixes, "品質待改善", "資料品質待改善清單（各機關）")
    write_notes(book)
    return book


def fixlist_book(gw: Gateway, scope: Scope, generated_at: dt.datetime | None = None) -> Book:
    """One sheet per agency with something to fix (one 「全部」 sheet when nothing is found)."""
    from kpi.reference.agencies import short_name

    book = Book(scope, generated_at)
    rows = fix_rows(gw, scope)
    parts = [(a, rows[rows["agency"] == short_name(a)]) for a in scope.agencies]
    parts = [(short_name(a), p.reset_index(drop=True)) for a, p in parts if len(p)]
    for name, part in parts or [("全部", rows)]:
        write_fixes(book, part, name, f"資料品質待改善清單：{name}")
    return book


def export_ranking(gw: Gateway, scope: Scope, by: str = "downloads") -> bytes:
    return ranking_book(gw, scope, by).close()


def export_pack(gw: Gateway, scope: Scope, weights: Weights | None = None,
                days: str = "calendar", by: str = "downloads") -> bytes:
    return pack_book(gw, scope, weights, days, by).close()


def export_fixlist(gw: Gateway, scope: Scope) -> bytes:
    return fixlist_book(gw, scope).close()


def build(kind: str, gw: Gateway, scope: Scope, *, days: str = "calendar",
          by: str = "downloads", weights: Weights | None = None) -> tuple[bytes, str, str]:
    """(file bytes, file name, MIME type) for kind in KINDS; call it only when the user asks."""
    if kind not in KINDS:
        raise ValueError(f"只能匯出 {'、'.join(KINDS)}，收到「{kind}」")
    if by not in BY_LABELS:
        raise ValueError(f"排序只能依 views 或 downloads，收到「{by}」")
    if kind == "ranking":
        data = export_ranking(gw, scope, by)
    elif kind == "pack":
        data = export_pack(gw, scope, weights, days, by)
    elif kind == "fixlist":
        data = export_fixlist(gw, scope)
    else:
        from kpi.exports.brief import export_brief

        data = export_brief(gw, scope, days)
    name = file_name(kind, scope, by)
    return data, name, mime(name)
