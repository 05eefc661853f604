"""Pairs across two snapshots (SPEC §8 `python -m kpi matches`): every dataset of the later snapshot
and what it was paired with in the earlier one, how the pair was made, and the candidates and
rejected pairs the office sees on the 比對確認 page."""

from __future__ import annotations

import pandas as pd

from kpi.identity.names import mark_differences
from kpi.metrics.scope import Scope
from kpi.metrics.usage import _since_params
from kpi.store import Gateway

HOW = ("identical", "normalised", "confirmed", "candidate", "rejected", "new", "removed")

# kpi/sql/marts/usage.sql: dataset_pairs (as-of, agencies, since), match_candidates (as-of, since, agencies).
MATCHES_SQL = "SELECT * FROM dataset_pairs(?, ?, ?)"
CANDIDATES_SQL = "SELECT * FROM match_candidates(?, ?, ?)"

DECISIONS_SQL = """
SELECT agency, old_name, new_name, reason AS decision_reason, decided_by, decided_at
FROM core_match_decision WHERE as_of = ? AND active
"""


def matches(gw: Gateway, scope: Scope) -> pd.DataFrame:
    """One row per pair (identical / normalised / confirmed), new and removed dataset, and per
    candidate or rejected pair; empty without a comparison date."""
    cols = ["agency", "dataset_id", "old_name", "new_name", "how", "old_listed_on", "new_listed_on",
            "views_before", "downloads_before", "views", "downloads", "score", "reason"]
    if scope.since is None:
        return pd.DataFrame(columns=[*cols, "decided_by", "decided_at"])
    pairs = gw.query(MATCHES_SQL, _since_params(scope))
    cands = gw.query(CANDIDATES_SQL, [scope.as_of, scope.since, list(scope.agencies)])
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
    return gw.query("SELECT * FROM core_match_decision ORDER BY as_of DESC, agency, decided_at, old_name")


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
