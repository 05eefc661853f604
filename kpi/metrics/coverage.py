"""What period each kind of data covers, and the latest period that has it (SPEC §1, §7).

The snapshots (views/downloads) define the periods a person picks: (since, as_of]. Feedback and
requests are dated items from their own exports, meetings and the dataset catalogue come from
other files; a period can hold snapshots but none of these. Pages say so instead of opening
empty, and offer the latest period that does hold the kind (one click).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kpi.metrics.scope import Scope, snapshot_dates
from kpi.reference.dates import roc
from kpi.store import Gateway

# kind → (zh-TW name, table, date column); the date decides which period an item belongs to.
# The catalogue is read as the newest one on or before the data date, whatever the comparison date.
LATEST_ONLY = {"catalogue"}
KINDS: dict[str, tuple[str, str, str]] = {
    "feedback": ("民眾意見", "core_feedback", "posted_on"),
    "requests": ("資料需求", "request", "posted_on"),
    "meetings": ("機關諮詢會議", "meeting", "held_on"),
    "catalogue": ("資料集目錄（格式與標章）", "catalogue", "snapshot_date"),
}

_RANGE_SQL = """
SELECT count(*) FILTER (WHERE d <= ? AND (CAST(? AS DATE) IS NULL OR d > ?)) AS in_period,
       count(*) AS everywhere, min(d) AS first, max(d) AS last,
       max(d) FILTER (WHERE d <= ?) AS last_seen
FROM (SELECT CAST({column} AS DATE) AS d FROM {table}
      WHERE {column} IS NOT NULL AND list_contains(?, agency))
"""


@dataclass(frozen=True)
class Coverage:
    """One kind of data against the chosen period."""

    kind: str
    name: str
    in_period: int  # items dated inside (since, as_of] for the agencies in scope
    everywhere: int  # items of the agencies in scope, whatever their date
    others: int  # items of agencies outside the scope (the kind was imported, just not for these)
    first: dt.date | None
    last: dt.date | None
    judged_on: dt.date | None = None  # feedback: the export date pending/overdue is judged at
    latest: tuple[dt.date, dt.date | None] | None = None  # (as_of, since) of the latest period with data

    @property
    def missing(self) -> bool:
        return self.in_period == 0


def period_text(scope: Scope) -> str:
    """「106/10/30 後至 107/07/20」 or 「107/07/20 以前」: the period the filters chose (a 年度
    says which year and what its snapshots miss)."""
    from kpi.metrics.periods import scope_period

    year = scope_period(scope)
    if year is not None:
        return year.title()
    if scope.since is None:
        return f"{roc(scope.as_of)} 以前"
    return f"{roc(scope.since)} 後至 {roc(scope.as_of)}"


def _table_exists(gw: Gateway, table: str) -> bool:
    return bool(gw.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]))


def _day(value) -> dt.date | None:
    if value is None or value != value:
        return None
    return value.date() if hasattr(value, "date") else value


def latest_period(dates: list[dt.date], last: dt.date) -> tuple[dt.date, dt.date | None]:
    """The period (previous snapshot, snapshot] holding ``last`` (an item dated on or before the
    newest snapshot): the first snapshot on or after it, and the one before (None: 不比較)."""
    as_of = min(d for d in dates if d >= last)
    earlier = [d for d in dates if d < as_of]
    return as_of, (earlier[-1] if earlier else None)


def coverage(gw: Gateway, scope: Scope, kind: str) -> Coverage:
    """How many items of ``kind`` the chosen period holds, their date range and the latest
    period that has some."""
    name, table, column = KINDS[kind]
    if not _table_exists(gw, table):
        return Coverage(kind, name, 0, 0, 0, None, None)
    since = None if kind in LATEST_ONLY else scope.since
    dates = snapshot_dates(gw)
    row = gw.query(_RANGE_SQL.format(table=table, column=column),
                   [scope.as_of, since, since, dates[-1], list(scope.agencies)]).iloc[0]
    others = int(gw.scalar(f"SELECT count(*) FROM {table}")) - int(row["everywhere"])
    first, last = _day(row["first"]), _day(row["last"])
    judged = None
    if kind == "feedback" and last is not None:
        judged = _day(gw.scalar("SELECT max(judged_on) FROM core_feedback WHERE list_contains(?, agency)",
                                [list(scope.agencies)]))
    seen = _day(row["last_seen"])  # items after the newest snapshot are in no period yet
    latest = latest_period(dates, seen) if seen is not None else None
    return Coverage(kind, name, int(row["in_period"]), int(row["everywhere"]), others, first, last,
                    judged, latest)


def missing_text(cov: Coverage, scope: Scope) -> str:
    """The zh-TW sentence a page shows when the period holds none of the kind."""
    period = f"所選期間（{period_text(scope)}）"
    if cov.everywhere == 0 and cov.others:
        return f"所選機關在任何期間都沒有{cov.name}（其他機關有）。"
    if cov.everywhere == 0:
        return f"尚未匯入{cov.name}資料（任何期間都沒有），相關指標顯示為「無資料」。"
    held = f"{roc(cov.first)}～{roc(cov.last)}"
    if cov.judged_on is not None:
        held += f"，{roc(cov.judged_on)} 匯出"
    return f"{period}沒有{cov.name}；目前有的{cov.name}為 {held}。"


def latest_text(cov: Coverage) -> str:
    """The label of the one-click button that moves the filters to the latest period with data."""
    as_of, since = cov.latest
    span = f"{roc(since)} 後至 {roc(as_of)}" if since else f"{roc(as_of)} 以前"
    return f"改看有{cov.name}的最近期間（{span}）"
