"""Every agency of the national export placed under its ministry or organisation group.

Why: 全國比較 must compare like with like. 「勞動部及所屬」 (the ministry and its agencies summed)
is ranked only among groups formed the same way from every other agency, never among single
agencies. The map is derived from names by the rule below, corrected by a reviewed override file
(data/seed/agency_parents_override.csv: agency, parent, reason) and committed as
data/seed/agency_parents.csv (agency, parent, how = derived|override, basis); ``python -m kpi seeds``
regenerates it. The build loads it as the table ``agency_parent``.

The rule, first match wins:
1. the longest group name the agency's name begins with: a 部會-level organ (``CENTRAL``), a local
   government by its full name or its area (「臺北市」… → 臺北市政府), or a company of the export
   (「台灣中油股份有限公司」 begins 「台灣中油股份有限公司油品行銷事業部」);
2. a court (name contains 法院) → 司法院; a prosecutors' office (檢察署) → 法務部;
3. otherwise the agency is a group of its own (an independent organ, a state-owned company or a
   行政法人: each is its own legal person, not an organ under a ministry).
The override file wins over the rule; it holds the names the rule cannot read (units the portal
lists without their parent's name, such as 「地政司」 of 內政部) and each reason.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kpi.config.paths import raw_dir, seed_dir

EXPORT = "16-22_data_gov_download.csv"
OVERRIDE = "agency_parents_override.csv"
COLUMNS = ["agency", "parent", "how", "basis"]
# 部會-level organs: the presidential office, the five 院, the Executive Yuan's 部會 (2018) and
# the organs beside them under the other 院; a group of its own even when it publishes nothing
# itself (內政部 and 海洋委員會 publish only through their agencies in the 2018 export).
CENTRAL = (
    "總統府", "國家安全會議", "中央研究院", "國史館", "行政院", "立法院", "司法院", "考試院", "監察院", "內政部", "外交部", "國防部",
    "財政部", "教育部", "法務部", "經濟部", "交通部", "勞動部", "衛生福利部", "文化部", "科技部", "國家發展委員會", "大陸委員會",
    "金融監督管理委員會", "海洋委員會", "僑務委員會", "國軍退除役官兵輔導委員會", "原住民族委員會", "客家委員會", "行政院農業委員會",
    "行政院環境保護署", "行政院原子能委員會", "行政院公共工程委員會", "行政院主計總處", "行政院人事行政總處", "中央銀行", "國立故宮博物院",
    "中央選舉委員會", "公平交易委員會", "國家通訊傳播委員會", "行政院不當黨產處理委員會", "飛航安全調查委員會", "行政院國家發展基金管理會", "考選部",
    "銓敘部", "公務人員保障暨培訓委員會", "公務人員退休撫卹基金監理委員會", "公務人員退休撫卹基金管理委員會", "審計部", "臺灣省政府", "臺灣省諮議會",
    "福建省政府",
)
# The 22 local governments; an agency whose name begins with the area (臺北市…) belongs to it.
LOCAL = (
    "臺北市政府", "新北市政府", "桃園市政府", "臺中市政府", "臺南市政府", "高雄市政府", "基隆市政府", "新竹市政府", "嘉義市政府",
    "新竹縣政府", "苗栗縣政府", "彰化縣政府", "南投縣政府", "雲林縣政府", "嘉義縣政府", "屏東縣政府", "宜蘭縣政府", "花蓮縣政府",
    "臺東縣政府", "澎湖縣政府", "金門縣政府", "連江縣政府",
)
COMPANY = "股份有限公司"
CONTAINS = (("法院", "司法院"), ("檢察署", "法務部"))


def export_agencies(path: Path | None = None) -> list[str]:
    """The publisher names of a national statistics export (the portal's 提供機關名稱)."""
    frame = pd.read_csv(path or raw_dir() / EXPORT, usecols=["提供機關名稱"], dtype=str,
                        encoding="utf-8")
    return sorted(set(frame["提供機關名稱"].dropna().str.strip()) - {""})


def _prefixes(names: list[str]) -> dict[str, str]:
    """Name beginnings → the group they place an agency in (the rule's step 1)."""
    out = {c: c for c in CENTRAL}
    for gov in LOCAL:
        out[gov] = out[gov.removesuffix("政府")] = gov
    for name in names:
        if name.endswith(COMPANY):
            out[name] = name
    return out


def derive(name: str, prefixes: dict[str, str]) -> tuple[str, str]:
    """(parent, basis) for one agency name by the rule alone."""
    found = max((p for p in prefixes if name.startswith(p)), key=len, default=None)
    if found is not None:
        parent = prefixes[found]
        return parent, "本身即群組名稱" if name == parent else f"名稱開頭為「{found}」"
    for part, parent in CONTAINS:
        if part in name:
            return parent, f"名稱含「{part}」"
    return name, "名稱無上級機關，自成一組"


def read_overrides(path: Path | None = None) -> pd.DataFrame:
    """The reviewed corrections (agency, parent, reason); an agency listed twice is refused."""
    frame = pd.read_csv(path or seed_dir() / OVERRIDE, dtype=str, encoding="utf-8").fillna("")
    frame = frame.apply(lambda c: c.str.strip())
    twice = frame.loc[frame["agency"].duplicated(), "agency"].tolist()
    if twice:
        raise ValueError(f"{OVERRIDE}：機關重複列出 {'、'.join(twice)}")
    if (frame["parent"] == "").any() or (frame["reason"] == "").any():
        raise ValueError(f"{OVERRIDE}：每列都須填上級（parent）與理由（reason）")
    return frame


def parent_map(names: list[str] | None = None, overrides: pd.DataFrame | None = None) -> pd.DataFrame:
    """The map for every agency name (default: the built-in national export), overrides applied.

    An override may name an agency the export lacks (one a later export brings): it is added, so
    the office places a new name by one line in the override file and ``python -m kpi seeds``.
    """
    overrides = read_overrides() if overrides is None else overrides
    names = sorted(set(export_agencies() if names is None else names) | set(overrides["agency"]))
    prefixes = _prefixes(names)
    rows = [{"agency": n, **dict(zip(("parent", "basis"), derive(n, prefixes), strict=True)),
             "how": "derived"} for n in names]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    fixed = overrides.set_index("agency")
    hit = frame["agency"].isin(fixed.index)
    frame.loc[hit, "parent"] = frame.loc[hit, "agency"].map(fixed["parent"])
    frame.loc[hit, "basis"] = frame.loc[hit, "agency"].map(fixed["reason"])
    frame.loc[hit, "how"] = "override"
    return frame[COLUMNS]
