"""Which snapshots and agencies a question is about: defaults shared by the CLI, pages and exports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kpi.reference.agencies import MINISTRY_OFFICIAL, resolve
from kpi.reference.dates import ad_year
from kpi.store import Gateway


@dataclass(frozen=True)
class Scope:
    as_of: dt.date
    since: dt.date | None
    agencies: tuple[str, ...]  # official names, in display order
    national: bool = False
    year: int | None = None  # 民國 year when the period is a full year (kpi/metrics/periods.py)


def plan_year_window(scope: Scope, roc_year: int) -> Scope:
    """The plan year's yearly basis: opinions and events after the year before's 12/31, up to the
    data date or the year's 12/31 (whichever is first). The 6-day indicator, the 總覽 headline,
    the scorecard and the plan notes all count over this one window."""
    year = ad_year(roc_year)
    return Scope(min(scope.as_of, dt.date(year, 12, 31)), dt.date(year - 1, 12, 31), scope.agencies)


def snapshot_dates(gw: Gateway) -> list[dt.date]:
    frame = gw.query("SELECT snapshot_date FROM core_snapshot ORDER BY snapshot_date")
    return [d.date() if hasattr(d, "date") else d for d in frame["snapshot_date"]]


def resolve_scope(gw: Gateway, as_of: dt.date | None = None, since: dt.date | None = None,
                  agencies: list[str] | None = None, national: bool = False,
                  since_given: bool = False, dates: list[dt.date] | None = None) -> Scope:
    """Defaults: as-of = newest snapshot, since = the one before it (None when there is none).
    ``dates``: the snapshot dates when the caller holds them (the sidebar's come published with
    the data version, so a page served from the published figures reads no table)."""
    dates = snapshot_dates(gw) if dates is None else dates
    if not dates:
        raise ValueError("資料庫中沒有任何瀏覽下載快照")
    if as_of is None:
        as_of = dates[-1]
    elif as_of not in dates:
        raise ValueError(f"沒有 {as_of} 的快照；可用日期：{'、'.join(map(str, dates))}")
    if since is None and not since_given:
        earlier = [d for d in dates if d < as_of]
        since = earlier[-1] if earlier else None
    elif since is not None and since not in dates:
        raise ValueError(f"沒有 {since} 的快照；可用日期：{'、'.join(map(str, dates))}")
    if since is not None and since >= as_of:
        raise ValueError(f"比較基準日 {since} 必須早於資料日期 {as_of}")
    if agencies:
        names = []
        for label in agencies:
            official = resolve(label)
            if official is None or (not national and official not in MINISTRY_OFFICIAL
                                    and not _known(gw, official)):
                raise ValueError(f"不明的機關「{label}」")
            names.append(official)
        chosen = tuple(dict.fromkeys(names))
    elif national:
        chosen = tuple(gw.query(
            "SELECT c.agency FROM core_counter_row c JOIN core_agency a USING (agency) WHERE c.snapshot_date = ? "
            "GROUP BY c.agency, a.sort_order ORDER BY a.sort_order, c.agency", [as_of])["agency"])
    else:
        chosen = MINISTRY_OFFICIAL
    return Scope(as_of, since, chosen, national)


def _known(gw: Gateway, official: str) -> bool:
    return bool(gw.scalar("SELECT count(*) FROM core_agency WHERE agency = ?", [official]))


def data_built(gw: Gateway) -> str:
    """When the store in use was built, as 民國 date and Taipei time (what viewers see instead of
    the version hash); the gateway's own version, so a figure published with it says the same."""
    from zoneinfo import ZoneInfo

    from kpi.reference.dates import roc_datetime

    moment = dt.datetime.fromisoformat(gw.version.built_at)
    if moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo("Asia/Taipei"))
    return roc_datetime(moment)


EVIDENCE = {"catalogue": ("資料集清單", "SELECT max(snapshot_date) FROM core_catalogue WHERE snapshot_date <= ?"),
            "qc": ("品質檢測", "SELECT max(snapshot_date) FROM core_qc WHERE snapshot_date <= ?"),
            "link_check": ("連結檢查", "SELECT max(checked_at) FROM core_link_check WHERE CAST(checked_at AS DATE) <= ?")}


def evidence_dates(gw: Gateway, as_of: dt.date) -> dict[str, dt.date | None]:
    """When the data quality rests on was last taken (on or before as_of), by its zh-TW name; None
    when it was never imported or run."""
    out: dict[str, dt.date | None] = {}
    for table, (name, sql) in EVIDENCE.items():
        held = gw.has_table(table)
        value = gw.scalar(sql, [as_of]) if held else None
        out[name] = None if value is None else (value.date() if hasattr(value, "date") else value)
    return out
