"""Recount events: many counters falling together between two consecutive snapshots (SPEC §5).

A lone counter that falls is a reset (flagged, kept out of growth). When most datasets of one
cohort fall at once — a listing window, an agency, or the whole portal — and the rest do not,
the portal recounted that cohort, like a break in a statistical series: for its datasets the
growth over any period that spans the break is unknown (neither 0 nor the rising counter alone).

Between 2017-10-30 and 2018-07-20, 187 of the 198 continuing Ministry datasets listed 2016/10 to
2017/06 fell and none of the 354 others did: one event, cohort 198, unknown growth 198.

The build writes three small tables: ``counter_pair`` (per consecutive pair: continuing datasets
and how many fell), ``recount_event`` (one row per detected cohort, with the office's decision) and
``recount_member`` (its datasets). The rule's thresholds live in RULE and are quoted on 計算說明.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kpi.build.recount_decisions import active_decisions


@dataclass(frozen=True)
class Rule:
    min_cohort: int = 20  # continuing datasets in the cohort
    min_falls: int = 10  # of which fell
    min_share: float = 0.5  # share of the cohort that fell
    times_usual: float = 5.0  # the cohort's share at least this many times the rest's (or usual) share
    max_events: int = 3  # cohorts named per pair at most


RULE = Rule()

PAIR_COLUMNS = ["since_date", "as_of_date", "continuing", "fell"]
EVENT_COLUMNS = ["event_id", "since_date", "as_of_date", "kind", "listed_from", "listed_to", "agency",
                 "datasets", "fell", "share", "share_outside", "views_change", "downloads_change",
                 "status", "note", "decided_by", "decided_at"]
MEMBER_COLUMNS = ["event_id", "dataset_id", "since_date", "as_of_date"]
KIND_LABELS = {"listing": "上架期間", "agency": "機關", "portal": "全平臺"}
STATUS_LABELS = {"detected": "自動偵測", "confirmed": "資訊處確認", "rejected": "資訊處否決"}


def continuing(prev: pd.DataFrame, cur: pd.DataFrame) -> pd.DataFrame:
    """Datasets in both snapshots: agency, listing month (from the later one), changes, fell."""
    left = prev[["dataset_id", "views", "downloads"]]
    right = cur[["dataset_id", "agency", "listed_on", "views", "downloads"]]
    both = right.merge(left, on="dataset_id", suffixes=("", "_before"))
    both["views_change"] = both["views"] - both["views_before"]
    both["downloads_change"] = both["downloads"] - both["downloads_before"]
    both["fell"] = (both["views_change"] < 0) | (both["downloads_change"] < 0)
    both["month"] = pd.to_datetime(both["listed_on"]).dt.to_period("M")
    return both


def _llr(k_in: int, n_in: int, k_out: int, n_out: int) -> float:
    """Log-likelihood ratio of "the cohort falls at its own rate" against "one rate for all"
    (Kulldorff's scan statistic); 0 unless the cohort's rate is the higher."""
    def ll(k: float, n: float) -> float:
        if n == 0 or k in (0, n):
            return 0.0
        p = k / n
        return k * math.log(p) + (n - k) * math.log(1 - p)

    if n_in == 0 or (n_out and k_in / n_in <= k_out / n_out):
        return 0.0
    return ll(k_in, n_in) + ll(k_out, n_out) - ll(k_in + k_out, n_in + n_out)


def _best_window(rows: pd.DataFrame) -> tuple[float, pd.Series] | None:
    """The run of consecutive listing months (that have datasets) with the highest LLR."""
    g = rows.dropna(subset=["month"]).groupby("month")["fell"].agg(["size", "sum"]).sort_index()
    if g.empty:
        return None
    n, k = g["size"].to_numpy(), g["sum"].to_numpy()
    cn, ck = np.concatenate([[0], n.cumsum()]), np.concatenate([[0], k.cumsum()])
    total_n, total_k = len(rows), int(rows["fell"].sum())
    best: tuple[float, int, int] | None = None
    for i in range(len(g)):
        for j in range(i, len(g)):
            n_in, k_in = int(cn[j + 1] - cn[i]), int(ck[j + 1] - ck[i])
            score = _llr(k_in, n_in, total_k - k_in, total_n - n_in)
            if best is None or score > best[0]:
                best = (score, i, j)
    if best is None or best[0] <= 0:
        return None
    months = g.index[best[1]:best[2] + 1]
    return best[0], rows["month"].isin(months)


def _best_agency(rows: pd.DataFrame) -> tuple[float, pd.Series] | None:
    g = rows.groupby("agency")["fell"].agg(["size", "sum"])
    total_n, total_k = len(rows), int(rows["fell"].sum())
    scored = [(_llr(int(k), int(n), total_k - int(k), total_n - int(n)), a)
              for a, (n, k) in g.iterrows()]
    scored = [s for s in scored if s[0] > 0]
    if not scored:
        return None
    score, agency = max(scored)
    return score, rows["agency"] == agency


def _passes(rows: pd.DataFrame, mask: pd.Series, rule: Rule, usual: float | None) -> bool:
    n_in, k_in = int(mask.sum()), int(rows.loc[mask, "fell"].sum())
    if n_in < rule.min_cohort or k_in < rule.min_falls or k_in / n_in < rule.min_share:
        return False
    rest = rows.loc[~mask]
    base = rest["fell"].mean() if len(rest) else usual
    return base is None or k_in / n_in >= rule.times_usual * base


def detect(pair: pd.DataFrame, usual: float | None, rule: Rule = RULE) -> list[tuple[str, pd.Series]]:
    """Cohorts of one pair's continuing datasets that fell together, as (kind, mask) pairs.

    Each round names the better-explaining cohort (listing window or agency) of the datasets not
    yet named, if it passes the rule; what is left is a portal-wide event when it falls far above
    ``usual`` (the median share of the earlier pairs) or, with no earlier pair, above min_share.
    """
    found: list[tuple[str, pd.Series]] = []
    left = pd.Series(True, index=pair.index)
    for _ in range(rule.max_events):
        rows = pair[left]
        if rows["fell"].sum() < rule.min_falls:
            break
        options = [(kind, hit) for kind, hit in
                   (("listing", _best_window(rows)), ("agency", _best_agency(rows))) if hit is not None]
        options = [(score, kind, mask) for kind, (score, mask) in options
                   if _passes(rows, mask, rule, usual)]
        if not options:
            break
        _, kind, mask = max(options, key=lambda o: o[0])
        full = pd.Series(False, index=pair.index)
        full[rows.index[mask.to_numpy()]] = True
        found.append((kind, full))
        left &= ~full
    rows = pair[left]
    if len(rows) >= rule.min_cohort and _passes(rows, pd.Series(True, index=rows.index), rule, usual):
        found.append(("portal", left.copy()))
    return found


def _event(kind: str, rows: pd.DataFrame, outside: pd.DataFrame, since: dt.date, as_of: dt.date) -> dict:
    months = rows["month"].dropna()
    listed_from = months.min().start_time.date() if kind == "listing" else None
    listed_to = months.max().end_time.date() if kind == "listing" else None
    agency = rows["agency"].iloc[0] if kind == "agency" else None
    key = {"listing": f"{listed_from}~{listed_to}", "agency": agency, "portal": "all"}[kind]
    return {"event_id": f"{since}→{as_of}:{kind}:{key}", "since_date": since, "as_of_date": as_of,
            "kind": kind, "listed_from": listed_from, "listed_to": listed_to, "agency": agency,
            "datasets": len(rows), "fell": int(rows["fell"].sum()), "share": float(rows["fell"].mean()),
            "share_outside": float(outside["fell"].mean()) if len(outside) else None,
            "views_change": int(rows["views_change"].sum()),
            "downloads_change": int(rows["downloads_change"].sum())}


def pair_events(prev: pd.DataFrame, cur: pd.DataFrame, since: dt.date, as_of: dt.date,
                usual: float | None) -> tuple[dict, list[dict], pd.DataFrame]:
    """One consecutive pair: its counter_pair row, its events and their members."""
    both = continuing(prev, cur)
    stats = {"since_date": since, "as_of_date": as_of, "continuing": len(both),
             "fell": int(both["fell"].sum())}
    events, members = [], []
    for kind, mask in detect(both, usual):
        event = _event(kind, both[mask], both[~mask], since, as_of)
        events.append(event)
        members.append(pd.DataFrame({"event_id": event["event_id"],
                                     "dataset_id": both.loc[mask, "dataset_id"].to_numpy(),
                                     "since_date": since, "as_of_date": as_of}))
    return stats, events, pd.concat(members, ignore_index=True) if members else _empty(MEMBER_COLUMNS)


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def _usual(pairs: list[dict]) -> float | None:
    shares = [p["fell"] / p["continuing"] for p in pairs if p["continuing"]]
    return float(np.median(shares)) if shares else None


def with_decisions(events: pd.DataFrame) -> pd.DataFrame:
    """The office's decision in force for each event (confirm / reject / note), else detected."""
    decided = active_decisions()
    out = events.copy()
    out["status"], out["note"] = "detected", ""
    out["decided_by"], out["decided_at"] = "", ""
    for i, event_id in out["event_id"].items():
        d = decided.get(event_id)
        if d is not None:
            out.loc[i, ["status", "note", "decided_by", "decided_at"]] = [
                d["status"], d["note"], d["decided_by"], d["decided_at"]]
    return out[EVENT_COLUMNS]


def tables(by_date: dict[dt.date, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """counter_pair, recount_event and recount_member for every consecutive pair of snapshots."""
    dates = sorted(by_date)
    pairs: list[dict] = []
    events: list[dict] = []
    members = []
    for since, as_of in itertools.pairwise(dates):
        stats, found, member = pair_events(by_date[since], by_date[as_of], since, as_of, _usual(pairs))
        pairs.append(stats)
        events += found
        members.append(member)
    return finish(pd.DataFrame(pairs, columns=PAIR_COLUMNS), events, members)


def appended(prev_tables: dict[str, pd.DataFrame], prev: pd.DataFrame, cur: pd.DataFrame,
             since: dt.date, as_of: dt.date) -> dict[str, pd.DataFrame]:
    """The previous version's rows plus the new pair's (an import that appends a snapshot)."""
    old_pairs = prev_tables["counter_pair"].to_dict("records")
    stats, found, member = pair_events(prev, cur, since, as_of, _usual(old_pairs))
    old_events = prev_tables["recount_event"].drop(columns=["status", "note", "decided_by", "decided_at"])
    return finish(pd.DataFrame([*old_pairs, stats], columns=PAIR_COLUMNS),
                  [*old_events.to_dict("records"), *found], [prev_tables["recount_member"], member])


def finish(pairs: pd.DataFrame, events: list[dict], members: list[pd.DataFrame]) -> dict[str, pd.DataFrame]:
    for col in ("since_date", "as_of_date"):
        pairs[col] = pd.to_datetime(pairs[col]).dt.date
    event_frame = pd.DataFrame(events, columns=EVENT_COLUMNS[:-4])
    for col in ("since_date", "as_of_date", "listed_from", "listed_to"):
        event_frame[col] = pd.to_datetime(event_frame[col]).dt.date
    member_frame = pd.concat([m for m in members if len(m)], ignore_index=True) if any(
        len(m) for m in members) else _empty(MEMBER_COLUMNS)
    for col in ("since_date", "as_of_date"):
        member_frame[col] = pd.to_datetime(member_frame[col]).dt.date
    return {"counter_pair": pairs.astype({"continuing": "int64", "fell": "int64"}),
            "recount_event": with_decisions(event_frame.astype({"agency": "string"})),
            "recount_member": member_frame.astype({"event_id": "object", "dataset_id": "int64"})}
