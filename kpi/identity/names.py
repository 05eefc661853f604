"""Dataset names across snapshots: normalisation and matching.

Real exports differ in width of punctuation, 「─」 read as 「一」 by OCR, brackets, spaces and names cut
at the page edge. Identity is decided within one (rolled-up) agency, in this order:
exact → normalized → prefix (a cut-off name) → otherwise new. Close fuzzy scores are only recorded
as candidates for a person to look at; they never merge two datasets silently.

Names are stored as the portal published them; ``normalize_name`` makes a comparison key only.
The listing-date guard (``listed_after``): a dataset first listed (上架日) after the date of the
snapshot an old dataset was last seen in cannot be that dataset's successor.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from kpi.importing.textcheck import ZERO_WIDTH

DASHES = "─━—–―‐‑‒−﹣－ー一"
_DASH_RE = re.compile(f"[{DASHES}]")
_SPACE_RE = re.compile(r"\s+")
_BRACKETS = str.maketrans({"【": "(", "】": ")", "「": "(", "」": ")", "[": "(", "]": ")",
                           "〔": "(", "〕": ")", "『": "(", "』": ")", "{": "(", "}": ")"})
MIN_PREFIX = 8  # a cut-off name must keep at least this many characters to be matched
FUZZY_MIN = 88.0


@functools.lru_cache(maxsize=65_536)  # every import re-keys the names of every dataset seen so far
def normalize_name(name: str) -> str:
    """Key for comparing names: NFKC, no spaces, one dash, one kind of bracket, lower case.

    OCR read 「─」 as 「一」, so every 「一」 becomes a dash in the key too. The key is only compared
    with other keys, so a real 「一」 (一覽表) still equals itself; only the OCR pairs start to match.
    """
    text = unicodedata.normalize("NFKC", name or "")
    text = ZERO_WIDTH.sub("", text).translate(_BRACKETS)  # a zero-width character is not a new name
    text = _SPACE_RE.sub("", text)
    text = _DASH_RE.sub("-", text).replace("_", "-")
    return text.lower()


@dataclass
class Match:
    new_index: int
    old_id: int | None
    kind: str  # exact | normalized | prefix | new


def listed_after(listed_on: dt.date | None, earlier: dt.date | None) -> bool:
    """The guard: first listed after ``earlier`` (a snapshot date), so not in that snapshot."""
    return listed_on is not None and earlier is not None and listed_on > earlier


def match_names(old: dict[int, str], new: list[str],
                allow: Callable[[int, int], bool] | None = None) -> list[Match]:
    """Match names of one agency in a new snapshot against datasets known so far (id → name).

    One old dataset is claimed by at most one new row; ties are resolved in input order, so the
    result is deterministic. ``allow(new index, old id)`` may forbid a pair (the listing-date
    guard, a pair the office rejected); a forbidden pair is simply not made.
    """
    ok = allow or (lambda i, oid: True)
    result: list[Match | None] = [None] * len(new)
    free = dict(old)
    by_exact: dict[str, list[int]] = {}
    by_norm: dict[str, list[int]] = {}
    for oid, name in free.items():
        by_exact.setdefault(name, []).append(oid)
        by_norm.setdefault(normalize_name(name), []).append(oid)

    def claim(index: dict[str, list[int]], key: str, i: int) -> int | None:
        for oid in index.get(key, []):
            if oid in free and ok(i, oid):
                del free[oid]
                return oid
        return None

    norms = [normalize_name(n) for n in new]
    for i, name in enumerate(new):
        if (oid := claim(by_exact, name, i)) is not None:
            result[i] = Match(i, oid, "exact")
    for i, key in enumerate(norms):
        if result[i] is None and (oid := claim(by_norm, key, i)) is not None:
            result[i] = Match(i, oid, "normalized")
    # Prefix: one name is the other cut off at the page edge. Only unambiguous pairs.
    for i, key in enumerate(norms):
        if result[i] is not None or len(key) < MIN_PREFIX:
            continue
        hits = [oid for oid, name in free.items()
                if _is_prefix_pair(key, normalize_name(name)) and ok(i, oid)]
        if len(hits) == 1:
            del free[hits[0]]
            result[i] = Match(i, hits[0], "prefix")
    return [m or Match(i, None, "new") for i, m in enumerate(result)]


def _is_prefix_pair(a: str, b: str) -> bool:
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= MIN_PREFIX and short != long_ and long_.startswith(short)


def fuzzy_candidates(unmatched_new: dict[int, str], unmatched_old: dict[int, str],
                     min_score: float = FUZZY_MIN) -> list[tuple[int, int, float]]:
    """(new id, old id, score) pairs that look like renames, for a person to confirm."""
    if not unmatched_new or not unmatched_old:
        return []
    old_ids = list(unmatched_old)
    old_keys = [normalize_name(unmatched_old[o]) for o in old_ids]
    out = []
    for nid, name in unmatched_new.items():
        best = process.extractOne(normalize_name(name), old_keys, scorer=fuzz.ratio,
                                  score_cutoff=min_score)
        if best is not None:
            out.append((nid, old_ids[best[2]], round(float(best[1]), 1)))
    return out


def similarity(a: str, b: str) -> float:
    """0..100 on the comparison keys (what the candidates show as 相似度)."""
    return round(float(fuzz.ratio(normalize_name(a), normalize_name(b))), 1)


def mark_differences(old: str, new: str) -> tuple[str, str]:
    """Both names with the characters that differ wrapped in 【】 (as published, not normalised)."""
    out_old, out_new = [], []
    for op, a0, a1, b0, b1 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        same = op == "equal"
        out_old.append(old[a0:a1] if same or a0 == a1 else f"【{old[a0:a1]}】")
        out_new.append(new[b0:b1] if same or b0 == b1 else f"【{new[b0:b1]}】")
    return "".join(out_old), "".join(out_new)
