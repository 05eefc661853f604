"""Full-year periods (年度): the snapshots nearest 1/1 and 12/31 of a 民國 year, and what they miss.

Counters are read at irregular dates, so a "year" is the pair of snapshots nearest its first and
last day; the 112 minutes asked that a year's statistics say plainly when months are missing.
The pair is stated against the calendar year on each side: days of the year it does not reach
(缺) and days outside the year it includes (多含). Shared by the pages, the CLI and the exports.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from kpi.metrics.scope import Scope, resolve_scope, snapshot_dates
from kpi.reference.dates import ROC_OFFSET, roc
from kpi.store import Gateway

Span = tuple[dt.date, dt.date]
ONE_DAY = dt.timedelta(days=1)


def _days(span: Span) -> int:
    return (span[1] - span[0]).days + 1


@dataclass(frozen=True)
class YearPeriod:
    year: int  # 民國 year
    since: dt.date  # the snapshot nearest 1/1 (its counters are the year's "before")
    as_of: dt.date  # the snapshot nearest 12/31
    missing: tuple[Span, ...]  # days of the year the pair does not reach
    extra: tuple[Span, ...]  # days outside the year the pair includes

    @property
    def start(self) -> dt.date:
        return dt.date(self.year + ROC_OFFSET, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year + ROC_OFFSET, 12, 31)

    @property
    def year_days(self) -> int:
        return _days((self.start, self.end))

    @property
    def covered_days(self) -> int:
        """Days of the year between the two snapshots (both ends counted, as the text says)."""
        return self.year_days - sum(_days(s) for s in self.missing)

    def _gaps(self) -> tuple[str, int]:
        """「1/1–1/5 與 12/30–12/31」 and their days (the year's own dates, without the year)."""
        return (" 與 ".join(f"{_md(a)}–{_md(b)}" for a, b in self.missing),
                sum(_days(s) for s in self.missing))

    def _side(self, span: Span) -> str:
        return "年度前" if span[1] < self.start else "年度後"

    def text(self) -> str:
        """「涵蓋 112/01/06–112/12/29，缺 1/1–1/5 與 12/30–12/31（7 天）」 plus what lies outside the year."""
        out = f"涵蓋 {roc(self.since)}–{roc(self.as_of)}"
        if self.missing:
            gaps, days = self._gaps()
            out += f"，缺 {gaps}（{days} 天）"
        for span in self.extra:
            out += f"，多含{self._side(span)} {roc(span[0])}–{roc(span[1])}（{_days(span)} 天）"
        if not self.missing and not self.extra:
            out += "，全年無缺口"
        return out + f"；全年 {self.year_days} 天中涵蓋 {self.covered_days} 天"

    def title(self) -> str:
        return f"{self.year} 年度（{self.text()}）"

    def short(self) -> str:
        """One line for export headers: 「107 年度（106/10/30–107/07/20，缺 7/21–12/31 共 164 天，
        多含年度前 63 天）」 (the brief's period line has room for no more)."""
        out = f"{self.year} 年度（{roc(self.since)}–{roc(self.as_of)}"
        if self.missing:
            gaps, days = self._gaps()
            out += f"，缺 {gaps} 共 {days} 天"
        out += "".join(f"，多含{self._side(span)} {_days(span)} 天" for span in self.extra)
        return out + "）"

    def as_json(self) -> dict:
        """ISO dates (SPEC §8: machine output)."""
        def spans(items: tuple[Span, ...]) -> list[dict]:
            return [{"from": a.isoformat(), "to": b.isoformat(), "days": _days((a, b))} for a, b in items]
        return {"roc_year": self.year, "start": self.start.isoformat(), "end": self.end.isoformat(),
                "since": self.since.isoformat(), "as_of": self.as_of.isoformat(),
                "missing": spans(self.missing), "outside_year": spans(self.extra),
                "covered_days": self.covered_days, "year_days": self.year_days, "text": self.text()}


def _md(day: dt.date) -> str:
    return f"{day.month}/{day.day}"


def period_of(dates: list[dt.date], year: int) -> YearPeriod | None:
    """The year's pair of snapshots, or None when no pair reaches into the year.

    since = the snapshot nearest 1/1 (a tie goes to the earlier: its counters come before the
    year); as_of = the later snapshot nearest 12/31 (a tie goes to the later)."""
    start, end = dt.date(year + ROC_OFFSET, 1, 1), dt.date(year + ROC_OFFSET, 12, 31)
    if not dates:
        return None
    since = min(dates, key=lambda d: (abs((d - start).days), d))
    later = [d for d in dates if d > since]
    if not later:
        return None
    as_of = min(later, key=lambda d: (abs((d - end).days), -d.toordinal()))
    if as_of < start or since > end:
        return None
    return build_period(year, since, as_of)


def build_period(year: int, since: dt.date, as_of: dt.date) -> YearPeriod:
    """What a pair of snapshots covers of a year: missing days and days outside it, per side."""
    start, end = dt.date(year + ROC_OFFSET, 1, 1), dt.date(year + ROC_OFFSET, 12, 31)
    missing, extra = [], []
    if since > start:
        missing.append((start, min(since - ONE_DAY, end)))
    elif since < start:
        extra.append((since, start - ONE_DAY))
    if as_of < end:
        missing.append((max(as_of + ONE_DAY, start), end))
    elif as_of > end:
        extra.append((end + ONE_DAY, as_of))
    return YearPeriod(year, since, as_of, tuple(missing), tuple(extra))


def available_years(gw: Gateway) -> list[int]:
    """民國 years some pair of snapshots reaches into, newest first (the 年度 choice)."""
    dates = snapshot_dates(gw)
    if len(dates) < 2:
        return []
    years = range(dates[0].year - ROC_OFFSET, dates[-1].year - ROC_OFFSET + 1)
    return sorted((y for y in years if period_of(dates, y) is not None), reverse=True)


def year_period(gw: Gateway, year: int) -> YearPeriod:
    """The year's period; ValueError (zh-TW) when the snapshots do not reach into it."""
    found = period_of(snapshot_dates(gw), year)
    if found is None:
        years = "、".join(str(y) for y in sorted(available_years(gw))) or "無"
        raise ValueError(f"{year} 年度沒有可用的前後兩次快照；可用年度：{years}")
    return found


def year_scope(gw: Gateway, year: int, agencies: list[str] | None = None,
               national: bool = False) -> tuple[Scope, YearPeriod]:
    """The scope of a full year (as-of and since from the year's pair), carrying the year so that
    exports title it as a year."""
    period = year_period(gw, year)
    scope = resolve_scope(gw, period.as_of, period.since, agencies, national=national, since_given=True)
    return dataclasses.replace(scope, year=year), period


def scope_period(scope: Scope) -> YearPeriod | None:
    """The year period a scope stands for (None for a period of two chosen dates)."""
    if scope.year is None or scope.since is None:
        return None
    return build_period(scope.year, scope.since, scope.as_of)
