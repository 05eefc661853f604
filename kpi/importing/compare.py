"""Preview warnings that need the store: names not matched to the previous snapshot, decreases."""

from __future__ import annotations

import pandas as pd

from kpi.identity.names import match_names
from kpi.importing.errors import Problem
from kpi.importing.kinds import Parsed
from kpi.store import Gateway

PREVIOUS_SQL = """
SELECT agency, dataset_id, dataset_name, views, downloads FROM counter
WHERE snapshot_date = ? AND list_contains(?, agency)
"""


def against_store(gw: Gateway, parsed: Parsed) -> tuple[list[Problem], pd.DataFrame]:
    """Warnings for a usage file compared with the snapshot before it, and the matched pairs."""
    if parsed.kind != "usage" or parsed.as_of is None:
        return [], pd.DataFrame()
    frame = parsed.frame
    before = gw.scalar("SELECT max(snapshot_date) FROM snapshot WHERE snapshot_date < ?",
                       [parsed.as_of])
    prev = gw.query(PREVIOUS_SQL, [before, sorted(set(frame["agency"]))])
    warnings: list[Problem] = []
    known = set(gw.query("SELECT agency FROM agency")["agency"])
    for agency in sorted(set(frame["agency"]) - known):
        warnings.append(Problem(parsed.file_name, f"機關「{agency}」在資料庫中沒有出現過"))
    pairs = []
    for agency, group in frame.groupby("agency"):
        old = prev[prev["agency"] == agency]
        if old.empty:
            continue
        names = dict(zip(old["dataset_id"], old["dataset_name"], strict=True))
        for m, (_row, r) in zip(match_names(names, group["dataset_name"].tolist()),
                               group.iterrows(), strict=True):
            if m.old_id is None:
                continue
            o = old[old["dataset_id"] == m.old_id].iloc[0]
            pairs.append({"agency": agency, "dataset_name": r["dataset_name"], "match_kind": m.kind,
                          "views_before": o["views"], "views": r["views"],
                          "downloads_before": o["downloads"], "downloads": r["downloads"],
                          "row_no": r["row_no"]})
        matched = {p["row_no"] for p in pairs if p["agency"] == agency}
        unmatched = group[~group["row_no"].isin(matched)]
        if len(unmatched):
            warnings.append(Problem(parsed.file_name, f"{agency} 有 {len(unmatched)} 項名稱在前次快照找不到"
                                                      "（新增、改名或名稱變動）"))
    pair_frame = pd.DataFrame(pairs)
    if not pair_frame.empty:
        down = pair_frame[(pair_frame["views"] < pair_frame["views_before"])
                          | (pair_frame["downloads"] < pair_frame["downloads_before"])]
        for r in down.itertuples():
            warnings.append(Problem(parsed.file_name, f"「{r.dataset_name}」累計數比前次少（計數器重設或重新上架），"
                                                      "不計入成長", int(r.row_no)))
    return warnings, pair_frame


HELD_SQL = """
SELECT agency, count(*) AS n FROM counter
WHERE snapshot_date = ? AND list_contains(?, publisher) GROUP BY agency ORDER BY agency
"""


def replaced_by(gw: Gateway, parsed: Parsed) -> list[str]:
    """What a usage file would replace: the rows its date already holds for its publishers.

    Empty when the date is new for those publishers; otherwise one line per agency saying how
    many datasets are there now and how many the file has (SPEC §8: needs --replace).
    """
    if parsed.kind == "plan":
        from kpi.importing.plan import held_years

        return held_years(gw, parsed.frame)
    if parsed.kind != "usage" or parsed.as_of is None:
        return []
    frame = parsed.frame
    held = gw.query(HELD_SQL, [parsed.as_of, sorted(set(frame["publisher"]))])
    incoming = frame.groupby("agency").size()
    return [f"{r.agency}：資料庫現有 {int(r.n):,} 項，此檔 {int(incoming.get(r.agency, 0)):,} 項"
            f"（{parsed.as_of.isoformat()} 的資料將整批取代）" for r in held.itertuples()]
