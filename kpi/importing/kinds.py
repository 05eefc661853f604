"""The import kinds and how each one's file is parsed; one entry point for page, CLI and build."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kpi.importing.catalogue import parse_catalogue
from kpi.importing.columns import check_as_of, known_agency
from kpi.importing.cycle_records import is_committee, parse_committee, parse_resolutions
from kpi.importing.errors import ImportRefused, Problem
from kpi.importing.plan import parse_plan
from kpi.importing.reader import read_bounded, read_table, too_big
from kpi.importing.records import parse_feedback, parse_meetings, parse_requests
from kpi.importing.usage import parse_usage

KINDS = ("usage", "catalogue", "qc", "feedback", "requests", "meetings", "plan", "resolutions")
KIND_LABELS = {
    "usage": "瀏覽及下載統計（資料集統計匯出）",
    "catalogue": "資料集清單（詮釋資料）",
    "qc": "品質檢測結果（JSON）",
    "feedback": "我有話要說（民眾意見）",
    "requests": "我想要更多（資料需求）",
    "meetings": "工作小組會議／委員會會議行事曆（無機關欄者）",
    "plan": "行動方案目標（範本 data/templates/action_plan_template）",
    "resolutions": "會議決議事項追蹤（案由、決議、主辦機關）",
}
NEEDS_AS_OF = {"usage", "catalogue", "qc", "feedback", "requests"}


@dataclass
class Parsed:
    kind: str  # the store table family: usage, usage_summary, catalogue, ...
    path: Path
    file_name: str
    sha256: str
    encoding: str
    file_format: str
    columns: list[str]
    frame: pd.DataFrame
    as_of: dt.date | None
    agency: str | None = None
    warnings: list[Problem] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.frame)


SIGNATURES = (  # a label only one kind's layout has, in the order they are checked
    ("catalogue", ("品質檢測", "資料下載網址")),
    ("usage", ("資料集總數",)),
    ("usage", ("下載次數", "瀏覽人次")),
    ("usage", ("下載次數", "瀏覽次數", "資料集名稱")),
    ("requests", ("開放建議標題",)),
    ("requests", ("建議資料集名稱",)),
    ("feedback", ("發表時間",)),
    ("feedback", ("機關首次回應日期",)),
    ("resolutions", ("案由", "主辦機關")),
    ("meetings", ("會議日期",)),
    ("plan", ("方案名稱", "年度", "機關")),
)


def detect_kind(columns: list[str], file_name: str = "") -> str | None:
    """Guess the kind from the header (JSON files are quality-check results)."""
    if file_name.lower().endswith(".json"):
        return "qc"
    for kind, labels in SIGNATURES:
        if all(label in columns for label in labels):
            return kind
    return None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def parse_file(kind: str, path: Path, as_of: dt.date | None, agency: str | None = None,
               display_name: str | None = None, *, data: bytes | None = None,
               known_agencies: set[str] | None = None,
               allow_new_agency: bool = False) -> Parsed:
    """Read and validate one file of one kind; raise ImportRefused naming file, row, column.

    The file is read once (size checked first) and hashed and parsed from those same bytes;
    pass `data` when the caller already holds them (and archives exactly them). An agency not in
    `known_agencies` (every agency of every snapshot; see `known_agencies_in`) is refused unless
    `allow_new_agency`; with `known_agencies=None` (a rebuild of accepted files) nothing is checked.
    """
    name = display_name or path.name
    if kind not in KINDS:
        raise ImportRefused(Problem(name, f"不明的匯入種類「{kind}」，可用：{'、'.join(KINDS)}"))
    if kind in NEEDS_AS_OF and as_of is None:
        raise ImportRefused(Problem(name, "檔案未載明資料日期，請指定資料日期（--as-of YYYY-MM-DD）"))
    check_as_of(as_of, name)
    known = None if allow_new_agency or known_agencies is None else _with_ministry(known_agencies)
    if agency and known is not None and not known_agency(agency, known):
        raise ImportRefused(Problem(name, f"機關「{agency}」從未出現在任何快照；若確為新機關，請明確允許新機關"))
    if data is None:
        data = read_bounded(path, name)
    else:
        too_big(name, len(data))
    try:
        return _parse(kind, path, name, data, as_of, agency, known)
    except MemoryError:  # the limits should prevent it; if not, still a refusal, not a traceback
        raise ImportRefused(Problem(name, "檔案內容過多，超過可用記憶體；請分批匯入")) from None


def _parse(kind: str, path: Path, name: str, data: bytes, as_of: dt.date | None,
           agency: str | None, known: set[str] | None) -> Parsed:
    sha = hashlib.sha256(data).hexdigest()
    if kind == "qc":
        from kpi.importing.qc import parse_qc

        frame, warnings = parse_qc(data, name)
        return Parsed("qc", path, name, sha, "utf-8", "json", list(frame.columns), frame, as_of,
                      agency, warnings)
    raw = read_table(data, name)
    parser = _PARSERS[kind]
    short = raw.frame.attrs.get("short_rows", [])
    try:
        sub, frame, warnings = parser(raw.frame, name, as_of, agency, known)
    except ImportRefused as err:
        # a header the kind does not know is the clearer message; otherwise a row cut short is
        # the cause of whatever its blank cells set off
        if short and all(p.row not in (None, 1) for p in err.problems):
            raise ImportRefused(short) from None
        raise
    if short:  # a CSV row with fewer fields than its header: cut short, never read as blanks
        raise ImportRefused(short)
    return Parsed(sub, path, name, sha, raw.encoding, raw.file_format, list(raw.frame.columns), frame,
                  as_of, agency, warnings)


def _with_ministry(known: set[str]) -> set[str]:
    from kpi.reference.agencies import ALIASES, MINISTRY_OFFICIAL, SUB_UNITS

    return set(known) | set(MINISTRY_OFFICIAL) | set(ALIASES) | {u.official for u in SUB_UNITS}


def known_agencies_in(gw) -> set[str]:
    """Every agency and publisher name the store has seen (pass to parse_file)."""
    names = set(gw.query("SELECT agency FROM agency")["agency"])
    names |= set(gw.query("SELECT DISTINCT publisher FROM counter")["publisher"])
    return {n for n in names if isinstance(n, str) and n}


def _meetings(frame: pd.DataFrame, file: str, as_of: dt.date | None, agency: str | None = None,
              known: set[str] | None = None):
    """Working-group meetings per agency, or the committee's calendar (no agency column)."""
    if is_committee(list(frame.columns), agency):
        return parse_committee(frame, file)
    return parse_meetings(frame, file, as_of, agency, known)


_PARSERS = {"usage": parse_usage, "catalogue": parse_catalogue, "feedback": parse_feedback,
            "requests": parse_requests, "meetings": _meetings, "plan": parse_plan,
            "resolutions": parse_resolutions}
