"""An action plan's targets as a sheet (data/templates/action_plan_template.csv / .xlsx).

One row per agency and ROC year, one column per indicator of the metric catalogue (headed by its
key or its plan wording), so a later plan is data, not code. Optional rows whose 機關 is 「權重」
give the plan's weight per indicator and, in 加分上限, its bonus cap. Every indicator is required:
a plan that drops one still has to say so (a target of 0 counts as met).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pandas as pd

from kpi.importing.columns import check_agencies, find_columns, text
from kpi.importing.errors import ImportRefused, Problem

WEIGHT_ROW = "權重"
BASE = {"plan_name": ("方案名稱", "行動方案"), "roc_year": ("年度", "民國年"),
        "agency": ("機關", "提供機關"), "bonus_max": ("加分上限",), "note": ("備註", "說明")}
YEARS = (100, 140)  # ROC years a plan can plausibly name (2011–2051)


def indicator_labels() -> dict[str, tuple[str, ...]]:
    """Each indicator's accepted headers: its key, its plan wording, label and short label."""
    from kpi.metrics.definitions import INDICATORS, METRICS

    out = {}
    for key in INDICATORS:
        m = METRICS[key]
        names = (m.plan_label, key, m.label, m.short)  # headers are read NFKC-normalised
        out[key] = tuple(dict.fromkeys(unicodedata.normalize("NFKC", x) for x in names if x))
    return out


def _unit(key: str) -> str:
    from kpi.metrics.definitions import METRICS

    return METRICS[key].unit


def _number(raw: str, unit: str) -> tuple[float | None, str | None]:
    v = unicodedata.normalize("NFKC", raw).strip().replace(",", "")
    if v == "":
        return None, "不可空白"
    percent = v.endswith("%")
    try:
        value = float(v.rstrip("%"))
    except ValueError:
        return None, f"「{raw}」不是數字"
    if value != value or value in (float("inf"), float("-inf")):
        return None, f"「{raw}」不是數字"
    if unit == "ratio":
        value = value / 100 if percent else value
        if not 0 <= value <= 1:
            return None, f"比率 {raw} 超出 0～1（請填小數如 0.8 或百分比如 80%）"
        return value, None
    if value < 0:
        return None, f"目標數 {raw} 不可為負數"
    if percent:
        return None, f"目標數 {raw} 應為次數或項數，不是百分比"
    if value != int(value):
        return None, f"目標數 {raw} 應為整數"
    return value, None


def _weight(raw: str) -> tuple[float | None, str | None]:
    """A plan's weight for one indicator: 0..3 like the office's own setting; blank = 1."""
    v = unicodedata.normalize("NFKC", raw).strip()
    try:
        value = float(v) if v else 1.0
    except ValueError:
        return None, f"權重「{raw}」不是數字"
    return (value, None) if 0 <= value <= 3 else (None, f"權重 {raw} 須在 0～3 之間")


def _year(raw: str) -> int | None:
    v = unicodedata.normalize("NFKC", raw).strip().removesuffix("年").removeprefix("民國")
    return int(v) if re.fullmatch(r"\d{2,3}", v) and YEARS[0] <= int(v) <= YEARS[1] else None


def parse_plan(frame: pd.DataFrame, file: str, as_of: dt.date | None, agency: str | None = None,
               known: set[str] | None = None) -> tuple[str, pd.DataFrame, list[Problem]]:
    """Validate a plan sheet whole; refuse it naming file, row and column."""
    from kpi.reference.agencies import resolve

    header = list(frame.columns)
    labels = indicator_labels()
    cols = find_columns(header, BASE | labels, file, required={"plan_name", "roc_year", "agency", *labels})
    problems: list[Problem] = []
    used = set(cols.values())
    for name in header:
        if name not in used and str(name).strip():
            choices = "、".join(v[0] for v in labels.values())
            problems.append(Problem(file, f"不明的指標欄位「{name}」（可用：{choices}）", 1, name))
    names = text(frame[cols["plan_name"]])
    agencies = text(frame[cols["agency"]])
    targets, weights = [], {}
    for row in frame.index:
        plan_name, who = names[row], agencies[row]
        if not plan_name:
            problems.append(Problem(file, "方案名稱不可空白", row, cols["plan_name"]))
        values = {}
        for key, column in ((k, cols[k]) for k in labels):
            raw = str(frame.at[row, column] if pd.notna(frame.at[row, column]) else "")
            value, why = _weight(raw) if who == WEIGHT_ROW else _number(raw, _unit(key))
            if why:
                problems.append(Problem(file, why, row, column))
            values[key] = value
        raw_year = str(frame.at[row, cols["roc_year"]] or "")
        year = _year(raw_year)
        if who == WEIGHT_ROW:
            weights = values | {"bonus_max": _bonus(frame, row, cols, file, problems)}
            continue
        if year is None:
            problems.append(Problem(file, f"年度「{raw_year}」不是民國年（例如 107）", row, cols["roc_year"]))
        official = resolve(who) or who
        if not who:
            problems.append(Problem(file, "機關不可空白", row, cols["agency"]))
        targets.append({"plan_name": plan_name, "roc_year": year, "agency": official, **values,
                        "row_no": row, "raw_agency": who})
    out = pd.DataFrame(targets)
    if out.empty:
        raise ImportRefused(problems or [Problem(file, "檔案沒有任何機關目標列")])
    unknown = out[out["raw_agency"] != ""].set_index("row_no")["agency"]
    check_agencies(unknown, file, cols["agency"], known, problems)
    seen: dict[tuple, int] = {}
    for r in out.itertuples():
        key = (r.agency, r.roc_year)
        if r.roc_year is not None and key in seen:
            problems.append(Problem(file, f"{r.agency} {r.roc_year} 年重複（第 {seen[key]} 列已有）",
                                    r.row_no, cols["agency"]))
        seen.setdefault(key, r.row_no)
    if len(set(out["plan_name"])) > 1:
        problems.append(Problem(file, "一個檔案只能有一個方案名稱：" + "、".join(sorted(set(out["plan_name"])))))
    if problems:
        raise ImportRefused(problems)
    for key in labels:
        out[f"weight_{key}"] = weights.get(key)
    out["bonus_max"] = weights.get("bonus_max")
    out["roc_year"] = out["roc_year"].astype("int64")
    return "plan", out.drop(columns=["raw_agency"]), []


def _bonus(frame: pd.DataFrame, row: int, cols: dict, file: str, problems: list[Problem]) -> float | None:
    if "bonus_max" not in cols:
        return None
    raw = str(frame.at[row, cols["bonus_max"]] or "").strip()
    try:
        value = float(unicodedata.normalize("NFKC", raw)) if raw else None
    except ValueError:
        value = -1.0
    if value is not None and not 0 <= value <= 10:
        problems.append(Problem(file, f"加分上限「{raw}」須在 0～10 之間", row, cols["bonus_max"]))
        return None
    return value


def held_years(gw, frame: pd.DataFrame) -> list[str]:
    """One line per year of the sheet that a plan in the store already covers (needs --replace)."""
    held = gw.query("SELECT p.roc_year, p.plan_name, count(t.agency) AS n FROM action_plan p "
                    "LEFT JOIN target t USING (roc_year) WHERE list_contains(?, p.roc_year) "
                    "GROUP BY ALL ORDER BY p.roc_year",
                    [sorted({int(y) for y in frame["roc_year"]})])
    return [f"{int(r.roc_year)} 年已有「{r.plan_name}」之目標（{int(r.n)} 個機關），此檔將整年取代"
            for r in held.itertuples()]
