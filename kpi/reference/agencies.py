"""The agency dimension: official names, short names and how sub-units roll up.

The portal names publishers by their official name; the action plan and the committee use short
names. Everything in the store is keyed by the official name of the *rolled-up* agency.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

MINISTRY = "勞動部"
ALL_LABEL = "全部"
MINISTRY_GROUP_LABEL = "勞動部及所屬"


@dataclass(frozen=True)
class Agency:
    official: str
    short: str
    order: int
    parent: str | None = None  # official name this unit rolls up into


MINISTRY_AGENCIES: tuple[Agency, ...] = (
    Agency("勞動部", "勞動部", 1),
    Agency("勞動部勞工保險局", "勞保局", 2),
    Agency("勞動部勞動力發展署", "勞發署", 3),
    Agency("勞動部勞動基金運用局", "基金局", 4),
    Agency("勞動部職業安全衛生署", "職安署", 5),
    Agency("勞動部勞動及職業安全衛生研究所", "勞研所", 6),
)
SUB_UNITS: tuple[Agency, ...] = (
    Agency("勞動部勞動力發展署技能檢定中心", "技能檢定中心", 31, parent="勞動部勞動力發展署"),
)
# Other spellings seen in hand-made files and later minutes.
ALIASES: dict[str, str] = {
    "勞動部(本部)": "勞動部",
    "本部": "勞動部",
    "勞安所": "勞動部勞動及職業安全衛生研究所",
    "勞動部勞動及職業安全衛生研究所(勞安所)": "勞動部勞動及職業安全衛生研究所",
    "勞動力發展署": "勞動部勞動力發展署",
    "勞工保險局": "勞動部勞工保險局",
    "勞動基金運用局": "勞動部勞動基金運用局",
    "職業安全衛生署": "勞動部職業安全衛生署",
    "發展署": "勞動部勞動力發展署",
}
for _a in MINISTRY_AGENCIES + SUB_UNITS:
    ALIASES.setdefault(_a.short, _a.parent or _a.official)

MINISTRY_OFFICIAL = tuple(a.official for a in MINISTRY_AGENCIES)
SHORT_BY_OFFICIAL = {a.official: a.short for a in MINISTRY_AGENCIES + SUB_UNITS}


def rollup(name: str) -> str:
    """Official name of the agency a publisher name counts under (sub-units into their parent)."""
    key = (name or "").strip()
    for unit in SUB_UNITS:
        if key == unit.official:
            return unit.parent or key
    return ALIASES.get(key, key)


def is_ministry(official: str) -> bool:
    return rollup(official) in MINISTRY_OFFICIAL


def short_name(official: str) -> str:
    """Short label used on screens; agencies outside the Ministry keep their own name."""
    return SHORT_BY_OFFICIAL.get(official, official)


def resolve(label: str) -> str | None:
    """Turn anything a user may type (short name, alias, official name) into an official name."""
    key = (label or "").strip()
    if not key:
        return None
    if key in MINISTRY_OFFICIAL:
        return key
    return rollup(key)


def agency_frame(extra: list[str] | None = None) -> pd.DataFrame:
    """The agency dimension table: the Ministry's agencies, sub-units and any other publisher seen."""
    rows = [
        {"agency": a.official, "short_name": a.short, "parent": a.official, "is_ministry": True,
         "sort_order": a.order}
        for a in MINISTRY_AGENCIES
    ]
    rows += [
        {"agency": u.official, "short_name": u.short, "parent": u.parent, "is_ministry": True,
         "sort_order": u.order}
        for u in SUB_UNITS
    ]
    known = {r["agency"] for r in rows}
    for name in sorted(set(extra or []) - known):
        rows.append({"agency": name, "short_name": name, "parent": rollup(name),
                     "is_ministry": is_ministry(name), "sort_order": 1000})
    return pd.DataFrame(rows)
