"""Invariants every store version must satisfy before it is published.

They run on the finished but unpublished version, through the same gateway and marts the pages
use, so a failed check means no reader ever sees that version (the previous one stays current).
"""

from __future__ import annotations

import datetime as dt

from kpi.config.tunables import default
from kpi.store import Gateway, Version

STRUCTURE_CHECKS: tuple[tuple[str, str], ...] = (
    ("同一快照中同一資料集只能出現一次（只屬一個機關）", """
        SELECT strftime(snapshot_date, '%Y-%m-%d') || ' 資料集代號 ' || dataset_id
        FROM checked GROUP BY snapshot_date, dataset_id HAVING count(*) > 1 LIMIT 5"""),
    ("每筆計數都要對應到機關表中的機關（否則各機關加總不等於全部）", """
        SELECT DISTINCT agency FROM checked c WHERE NOT EXISTS
            (SELECT 1 FROM agency a WHERE a.agency = c.agency) LIMIT 5"""),
    ("每個快照的列數與瀏覽、下載合計要等於其來源檔", """
        SELECT strftime(s.snapshot_date, '%Y-%m-%d') || '：來源 ' || s.rows || ' 列／'
               || s.views || '／' || s.downloads || '，資料庫 ' || coalesce(c.n, 0) || ' 列／'
               || coalesce(c.v, 0) || '／' || coalesce(c.d, 0)
        FROM snapshot s LEFT JOIN (
            SELECT snapshot_date, count(*) AS n, sum(views) AS v, sum(downloads) AS d
            FROM checked GROUP BY snapshot_date) c USING (snapshot_date)
        WHERE s.snapshot_date IN (SELECT snapshot_date FROM checked_dates)
          AND (c.n IS DISTINCT FROM s.rows OR c.v IS DISTINCT FROM s.views
               OR c.d IS DISTINCT FROM s.downloads) LIMIT 5"""),
    ("計數不可為負", """
        SELECT strftime(snapshot_date, '%Y-%m-%d') || ' ' || dataset_name FROM checked
        WHERE views < 0 OR downloads < 0 LIMIT 5"""),
    ("各機關預先加總（counter_total）要等於計數表逐筆加總", """
        SELECT strftime(coalesce(t.snapshot_date, c.snapshot_date), '%Y-%m-%d') || ' '
               || coalesce(t.agency, c.agency)
        FROM (SELECT * FROM counter_total
              WHERE snapshot_date IN (SELECT snapshot_date FROM checked_dates)) t
        FULL JOIN (SELECT snapshot_date, agency, count(*) AS datasets, sum(views) AS views,
                          sum(downloads) AS downloads FROM checked GROUP BY ALL) c
          ON c.snapshot_date = t.snapshot_date AND c.agency = t.agency
        WHERE t.datasets IS DISTINCT FROM c.datasets OR t.views IS DISTINCT FROM c.views
           OR t.downloads IS DISTINCT FROM c.downloads LIMIT 5"""),
)


APPEND_HOT_ROWS = default("APPEND_HOT_ROWS")  # kpi/config/tunables.py


class BuildCheckFailed(RuntimeError):
    """A built version broke an invariant; it was not published."""


def check_version(version: Version, dates: list[dt.date] | None = None) -> None:
    """Raise BuildCheckFailed (zh-TW, naming the rule and examples) if any invariant fails.

    ``dates``: check only these snapshots' counter rows (an append: the rows of earlier snapshots
    are the previous version's files, already checked); None checks every snapshot.
    """
    # A full check reads every snapshot's own file once (nothing kept in memory); an append's
    # check keeps the newest snapshots in memory (the new one and the one its report compares
    # with) and reads the rest through the verified yearly files (at 10× national, 300 files).
    gw = Gateway(version, hot_rows=0 if dates is None else APPEND_HOT_ROWS)
    try:
        _select_checked(gw, dates)
        problems = [f"{rule}：{'、'.join(map(str, bad))}" for rule, sql in STRUCTURE_CHECKS
                    if (bad := list(gw.query(sql).iloc[:, 0]))]
        problems += _report_problems(gw)
    finally:
        gw.close()
    if problems:
        raise BuildCheckFailed("資料庫檢查未通過，未發佈新版本：\n" + "\n".join(problems))


def _select_checked(gw: Gateway, dates: list[dt.date] | None) -> None:
    """Views ``checked`` / ``checked_dates``: the counter rows and snapshot dates under check."""
    if dates is None:
        gw.execute("CREATE VIEW checked AS SELECT * FROM counter")
        gw.execute("CREATE VIEW checked_dates AS SELECT snapshot_date FROM snapshot")
        return
    gw.execute("CREATE TABLE checked AS SELECT * FROM counter LIMIT 0")
    for day in dates:  # one date per statement, so only that date's file is read
        gw.execute("INSERT INTO checked SELECT * FROM counter WHERE snapshot_date = ?", [day])
    gw.execute("CREATE TABLE checked_dates AS SELECT unnest(?::DATE[]) AS snapshot_date",
               [dates])


def _report_problems(gw: Gateway) -> list[str]:
    """The newest comparison, computed by the real marts: growth ≥ 0, every change reconciled
    (before + increase − fall + recount + new − removed = after), ratios in 0..1, agencies adding
    up to the total."""
    from kpi.metrics.scope import resolve_scope
    from kpi.report import build_report

    scope_kind = gw.scalar("SELECT scope FROM snapshot ORDER BY snapshot_date DESC LIMIT 1")
    if scope_kind is None:
        return ["沒有任何瀏覽下載快照"]
    report = build_report(gw, resolve_scope(gw, national=scope_kind == "national"))
    problems = []
    for row in [*report["agencies"], report["total"]]:
        for key in ("views_growth", "downloads_growth"):
            if row[key] is not None and row[key] < 0:
                problems.append(f"成長不可為負：{row['agency']} {key} = {row[key]}")
        for key in ("views_change", "downloads_change"):
            c = row[key]
            if c is not None and (c["before"] + c["increase"] - c["fall"] + c["recount"] + c["new"]
                                  - c["removed"] != c["after"] or c["net"] != c["after"] - c["before"]):
                problems.append(f"累計數的變化對不上（前次 + 增加 − 減少 ± 重新計數 + 新增 − 下架 ≠ 本次）："
                                f"{row['agency']} {key} = {c}")
        ratios = [("feedback", row["feedback"]["ratio"]), ("three_star_ratio", row["three_star_ratio"]),
                  ("correctness_rate", row["correctness_rate"])]
        problems += [f"比率須在 0～1：{row['agency']} {k} = {v}" for k, v in ratios
                     if v is not None and not 0 <= v <= 1]
    direct = gw.query("SELECT count(*) AS datasets, coalesce(sum(views), 0) AS views, "
                      "coalesce(sum(downloads), 0) AS downloads FROM counter "
                      "WHERE snapshot_date = ? AND list_contains(?, agency)",
                      [dt.date.fromisoformat(report["as_of"]), [r["agency"] for r in report["agencies"]]])
    for key in ("datasets", "views", "downloads"):
        if int(direct.loc[0, key]) != report["total"][key]:
            problems.append(f"各機關加總不等於快照合計：{key} {report['total'][key]} ≠ "
                            f"{int(direct.loc[0, key])}")
    return problems
