"""Pairs across two snapshots (SPEC §8 `python -m kpi matches`): every dataset of the later snapshot
and what it was paired with in the earlier one, how the pair was made, and the candidates and
rejected pairs the office sees on the 比對確認 page."""

from __future__ import annotations

import pandas as pd

from kpi.identity.names import mark_differences
from kpi.metrics.scope import Scope
from kpi.metrics.usage import PAIRS_SQL, _since_params
from kpi.store import Gateway

HOW = ("identical", "normalised", "confirmed", "candidate", "rejected", "new", "removed")

MATCHES_SQL = f"""
WITH pairs AS ({PAIRS_SQL}), old AS (
    SELECT dataset_id, listed_on FROM core_counter WHERE snapshot_date = ?
)
SELECT pairs.agency, pairs.dataset_id,
       CASE WHEN change_kind = 'removed' THEN dataset_name ELSE previous_name END AS old_name,
       CASE WHEN change_kind = 'removed' THEN NULL ELSE dataset_name END AS new_name,
       CASE WHEN change_kind IN ('removed', 'new') THEN change_kind ELSE match_kind END AS how,
       old.listed_on AS old_listed_on, pairs.listed_on AS new_listed_on,
       views_before, downloads_before, views, downloads,
       NULL::DOUBLE AS score, NULL::VARCHAR AS reason
FROM pairs LEFT JOIN old USING (dataset_id)
WHERE change_kind <> 'not_compared'
"""

CANDIDATES_SQL = """
SELECT m.agency, m.dataset_id, m.candidate_name AS old_name, m.dataset_name AS new_name,
       m.status AS how, o.listed_on AS old_listed_on, n.listed_on AS new_listed_on,
       o.views AS views_before, o.downloads AS downloads_before, n.views, n.downloads,
       m.score, m.reason
FROM match_candidate m
JOIN core_counter n ON n.dataset_id = m.dataset_id AND n.snapshot_date = ?  -- a fixed date: one file read
LEFT JOIN core_counter o ON o.dataset_id = m.candidate_id AND o.snapshot_date = ?
WHERE m.snapshot_date = ? AND list_contains(?, m.agency)
"""

DECISIONS_SQL = """
SELECT agency, old_name, new_name, reason AS decision_reason, decided_by, decided_at
FROM match_decision WHERE as_of = ? AND active
"""


def matches(gw: Gateway, scope: Scope) -> pd.DataFrame:
    """One row per pair (identical / normalised / confirmed), new and removed dataset, and per
    candidate or rejected pair; empty without a comparison date."""
    cols = ["agency", "dataset_id", "old_name", "new_name", "how", "old_listed_on", "new_listed_on",
            "views_before", "downloads_before", "views", "downloads", "score", "reason"]
    if scope.since is None:
        return pd.DataFrame(columns=[*cols, "decided_by", "decided_at"])
    pairs = gw.query(MATCHES_SQL, [*_since_params(scope), scope.since])
    cands = gw.query(CANDIDATES_SQL, [scope.as_of, scope.since, scope.as_of, list(scope.agencies)])
    out = pd.concat([pairs[cols], cands[cols]], ignore_index=True)
    decided = gw.query(DECISIONS_SQL, [scope.as_of])
    out = out.merge(decided, how="left", on=["agency", "old_name", "new_name"])
    out["reason"] = out["decision_reason"].where(out["how"].isin(["confirmed", "rejected"]),
                                                 out["reason"])
    out = out.drop(columns="decision_reason")
    order = {h: i for i, h in enumerate(HOW)}
    out["_o"] = out["how"].map(order)
    out = out.sort_values(["agency", "_o", "new_name", "old_name"], na_position="last")
    return out.drop(columns="_o").reset_index(drop=True)


def kind_counts(gw: Gateway, scope: Scope) -> pd.DataFrame:
    """How many of each kind (the usage page's 跨快照比對方式)."""
    frame = matches(gw, scope)
    counts = frame["how"].value_counts()
    return pd.DataFrame({"how": [h for h in HOW if h in counts.index],
                         "n": [int(counts[h]) for h in HOW if h in counts.index]})


def with_differences(frame: pd.DataFrame) -> pd.DataFrame:
    """Both names with what differs marked 【】 (the evidence the office decides on)."""
    marked = [mark_differences(o, n) if isinstance(o, str) and isinstance(n, str) else (o, n)
              for o, n in zip(frame["old_name"], frame["new_name"], strict=True)]
    return frame.assign(old_marked=[m[0] for m in marked], new_marked=[m[1] for m in marked])


def decisions(gw: Gateway) -> pd.DataFrame:
    """Every pairing decision (seed and office; undone ones marked), newest snapshot first."""
    return gw.query("SELECT * FROM match_decision ORDER BY as_of DESC, agency, decided_at, old_name")


def _text(v) -> str | None:
    return v if isinstance(v, str) else None


def _missing(v) -> bool:
    return v is None or bool(pd.isna(v))


def _int(v) -> int | None:
    return None if _missing(v) else int(v)


def _iso(v) -> str | None:
    return None if _missing(v) else str(v)[:10]


def json_rows(frame: pd.DataFrame) -> list[dict]:
    """`matches --json` (SPEC §8): one object per pairing, ISO dates, null where unknown."""
    return [{"agency": r.agency, "old_name": _text(r.old_name), "new_name": _text(r.new_name),
             "how": r.how, "old_listed_on": _iso(r.old_listed_on), "new_listed_on": _iso(r.new_listed_on),
             "views_before": _int(r.views_before), "downloads_before": _int(r.downloads_before),
             "views_after": _int(r.views), "downloads_after": _int(r.downloads),
             "score": None if _missing(r.score) else float(r.score),
             "reason": _text(r.reason)} for r in frame.itertuples()]
