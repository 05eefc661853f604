"""Parse the committee minutes and the action plan (data/raw/*.txt) into tidy seed tables.

Run ``python -m kpi seeds`` to regenerate data/seed/*.csv. The parser checks its own output against
the figures the documents state (row counts, the 合計 row) and fails loudly when they disagree, so a
silent OCR or layout slip cannot reach the store.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from kpi.config.paths import raw_dir, seed_dir
from kpi.reference.agencies import MINISTRY_AGENCIES, rollup
from kpi.reference.dates import parse_date

MINUTES_106_2 = "004_2d7911a91adf7833.txt"
ACTION_PLAN = "002_b5b47495cfb08049.txt"
MINUTES_110 = "000_9835286b0a2ba884.txt"
SNAPSHOT_106_2 = dt.date(2017, 10, 30)
TRUNC = "\ufffd"  # the text export cut long cells and left a replacement character


class SeedError(RuntimeError):
    """The documents do not say what the parser expects: stop rather than store wrong figures."""


def _lines(name: str) -> list[str]:
    return (raw_dir() / name).read_text(encoding="utf-8").splitlines()


def _section(lines: list[str], start_marker: str, stop_marker: str | None) -> list[list[str]]:
    """Tab-separated rows between two headings, with the repeated page-break header rows dropped."""
    start = next(i for i, line in enumerate(lines) if line.startswith(start_marker))
    stop = len(lines)
    if stop_marker:
        stop = next(i for i, line in enumerate(lines) if i > start and line.startswith(stop_marker))
    rows = [line.split("\t") for line in lines[start + 1:stop] if "\t" in line]
    header = rows[0]
    return [header] + [r for r in rows[1:] if r != header]


def _cell(text: str) -> tuple[str, bool]:
    """Strip a cell; report whether the export cut it off."""
    text = text.strip()
    cut = text.endswith(TRUNC)
    return text.rstrip(TRUNC).strip(), cut


def _int(text: str) -> int:
    return int(text.replace(",", "").strip())


def parse_usage_106_2() -> tuple[pd.DataFrame, dict[str, int]]:
    """附件一: 562 datasets × cumulative views/downloads on 2017-10-30, and its 合計 row."""
    rows = _section(_lines(MINUTES_106_2), "附件一", "附件二")
    header, body = rows[0], rows[1:]
    if header != ["編號", "資料集名稱", "機關", "累計瀏覽量", "累計下載量"]:
        raise SeedError(f"附件一 表頭不符：{header}")
    total = next(r for r in body if r[1].strip() == "合計")
    data = [r for r in body if r[0].strip().isdigit()]
    frame = pd.DataFrame({
        "rank": [int(r[0]) for r in data],
        "dataset_name": [r[1].strip() for r in data],
        "publisher": [r[2].strip() for r in data],
        "views": [_int(r[3]) for r in data],
        "downloads": [_int(r[4]) for r in data],
    })
    stated = {"views": _int(total[3]), "downloads": _int(total[4])}
    if len(frame) != 562 or frame["rank"].tolist() != list(range(1, 563)):
        raise SeedError(f"附件一 應有 562 列連續編號，實得 {len(frame)} 列")
    for col, label in (("views", "累計瀏覽量"), ("downloads", "累計下載量")):
        if int(frame[col].sum()) != stated[col]:
            raise SeedError(f"附件一 {label}加總 {frame[col].sum():,} 與合計列 {stated[col]:,} 不符")
    return frame, stated


def parse_new_datasets_106_2() -> pd.DataFrame:
    """附件二: the 44 datasets added between the 106-1 and 106-2 meetings, with 服務分類."""
    rows = _section(_lines(MINUTES_106_2), "附件二", "附件三")
    body = [r for r in rows[1:] if r[0].strip().isdigit()]
    frame = pd.DataFrame({
        "no": [int(r[0]) for r in body],
        "dataset_name": [_cell(r[1])[0] for r in body],
        "description": [_cell(r[2])[0] for r in body],
        "publisher": [r[3].strip() for r in body],
        "service_category": [r[4].strip() for r in body],
        "description_cut": [_cell(r[2])[1] for r in body],
        "listed_from": dt.date(2017, 4, 19),
        "listed_to": SNAPSHOT_106_2,
    })
    if len(frame) != 44:
        raise SeedError(f"附件二 應有 44 列，實得 {len(frame)} 列")
    return frame


def parse_feedback_106_2(usage: pd.DataFrame) -> pd.DataFrame:
    """附件三: 35 public opinions (我有話要說); the agency is found through the dataset name."""
    rows = _section(_lines(MINUTES_106_2), "附件三", "附件四")
    body = [r for r in rows[1:] if r[0].strip().isdigit()]
    agency_by_name = usage.groupby("dataset_name")["publisher"].agg(lambda s: sorted(set(s)))
    out = []
    for r in body:
        name = r[3].strip()
        publishers = agency_by_name.get(name, [])
        if len(publishers) != 1:
            raise SeedError(f"附件三 第 {r[0]} 項資料集「{name}」在附件一找到 {len(publishers)} 個機關")
        reply = parse_date(r[6])
        out.append({
            "feedback_id": f"106-2-{int(r[0]):02d}",
            "posted_at": parse_date(r[1]),
            "title": _cell(r[2])[0],
            "dataset_name": name,
            "status": r[4].strip(),
            "content": _cell(r[5])[0],
            "first_reply_on": reply,
            "reply_content": _cell(r[7])[0] if len(r) > 7 else "",
            "agency": rollup(publishers[0]),
            "source_as_of": SNAPSHOT_106_2,
        })
    frame = pd.DataFrame(out)
    if len(frame) != 35:
        raise SeedError(f"附件三 應有 35 項，實得 {len(frame)} 項")
    return frame


def parse_requests_106_2() -> pd.DataFrame:
    """附件四: the 2 data requests (我想要更多)."""
    rows = _section(_lines(MINUTES_106_2), "附件四", "檔 號")
    body = [r for r in rows[1:] if r[0].strip().isdigit()]
    frame = pd.DataFrame([{
        "request_id": f"106-2-{int(r[0]):02d}",
        "title": _cell(r[1])[0],
        "posted_at": parse_date(r[2]),
        "fields_requested": _cell(r[3])[0],
        "suggested_name": _cell(r[4])[0],
        "reason": _cell(r[5])[0],
        "agency": rollup(r[6].strip()),
        "reply_content": _cell(r[7])[0],
        "replied_on": parse_date(r[8]),
        "source_as_of": SNAPSHOT_106_2,
    } for r in body])
    if len(frame) != 2:
        raise SeedError(f"附件四 應有 2 項，實得 {len(frame)} 項")
    return frame


def parse_action_plan() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The 105–106 action plan: dataset-count plan (伍) and yearly targets (陸)."""
    lines = _lines(ACTION_PLAN)
    short_to_official = {a.short: a.official for a in MINISTRY_AGENCIES}
    plan_rows, target_rows = [], []
    in_plan = in_targets = False
    for line in lines:
        cells = [c.strip() for c in line.split("\t")]
        if cells[0] == "機關" and "年度" in cells:
            in_plan = True
            continue
        if cells[0].startswith("機關\\指標"):
            in_targets, in_plan = True, False
            continue
        if in_plan and cells[0] in short_to_official:
            nums = [c for c in cells[1:] if c]
            for year, value in zip((104, 105, 106), nums, strict=True):
                plan_rows.append({"agency": short_to_official[cells[0]], "roc_year": year,
                                  "planned_total": int(value)})
        elif in_plan and cells[0] == "合計":
            stated = [int(c) for c in cells[1:] if c]
            in_plan = False
        elif in_targets and cells[0] in short_to_official:
            meetings, growth, correct, stars, reply = cells[1:6]
            for year in (105, 106):
                target_rows.append({
                    "agency": short_to_official[cells[0]], "roc_year": year,
                    "meetings": int(meetings), "new_datasets": int(growth),
                    "correctness_rate": int(correct.rstrip("%")) / 100,
                    "three_star_ratio": int(stars.rstrip("%")) / 100,
                    "reply_6day_ratio": int(reply.rstrip("%")) / 100,
                })
        elif in_targets and not line.strip():
            continue
    plan = pd.DataFrame(plan_rows)
    targets = pd.DataFrame(target_rows)
    sums = plan.groupby("roc_year")["planned_total"].sum().tolist()
    if sums != stated or sums != [255, 385, 515]:
        raise SeedError(f"行動方案資料集數量合計 {sums} 與文件合計列 {stated} 不符")
    if len(targets) != 12:
        raise SeedError(f"行動方案績效指標應有 6 機關 × 2 年，實得 {len(targets)} 列")
    return plan, targets


def award_rules() -> pd.DataFrame:
    """Constants of the 2017-08-29 award rules (附件五), with the clause they come from."""
    rows = [
        ("gold_weight_bronze", 0.3, "金質獎：銅標章資料集每項 0.3 分"),
        ("gold_weight_silver", 0.6, "金質獎：銀標章資料集每項 0.6 分"),
        ("gold_weight_gold", 1.0, "金質獎：金標章資料集每項 1 分（白金標章視同金標章）"),
        ("gold_oas_bonus_each", 0.1, "加分項目：API 符合 OAS 驗證者每項加 0.1 分"),
        ("gold_oas_bonus_max", 5.0, "加分項目至多 5 分"),
        ("popularity_views_points", 30.0, "人氣獎：30×(瀏覽量/同期間最多瀏覽量)"),
        ("popularity_downloads_points", 40.0, "人氣獎：40×(下載量/同期間最多下載量)"),
        ("popularity_rating_points", 30.0, "人氣獎：30×(平均得分/5)"),
        ("popularity_min_days_open", 365.0, "人氣獎：開放達 1 年且取得金標章之資料集始能參與"),
        ("quality_progress_points", 5.0, "品質進步獎：金質獎總分比前次進步 5 分"),
    ]
    return pd.DataFrame(rows, columns=["rule", "value", "source_text"])


def portal_totals(usage_total: dict[str, int]) -> pd.DataFrame:
    """Dataset totals the documents state, to show the Ministry's openness through time."""
    rows = [
        {"as_of": dt.date(2015, 12, 31), "datasets": 255, "gold_datasets": None, "views": None,
         "downloads": None, "source": "105–106 年行動方案：至 104 年底開放共 255 項"},
        {"as_of": SNAPSHOT_106_2, "datasets": 562, "gold_datasets": None,
         "views": usage_total["views"], "downloads": usage_total["downloads"],
         "source": "106 年第 2 次會議紀錄 附件一 合計列"},
        {"as_of": dt.date(2021, 10, 31), "datasets": 598, "gold_datasets": 516, "views": None,
         "downloads": None, "source": "110 年會議紀錄：對外開放資料集計 598 項，516 項為金標章"},
    ]
    text = "\n".join(_lines(MINUTES_110))
    if "598" not in text or "516" not in text:
        raise SeedError("110 年會議紀錄未載 598 項／516 項金標章")
    return pd.DataFrame(rows)


def build_seed_tables() -> dict[str, pd.DataFrame]:
    from kpi.build.parents import parent_map  # kpi.build imports this module: imported on use

    usage, stated = parse_usage_106_2()
    plan, targets = parse_action_plan()
    return {
        "usage_20171030": usage,
        "new_datasets_106_2": parse_new_datasets_106_2(),
        "feedback_106_2": parse_feedback_106_2(usage),
        "requests_106_2": parse_requests_106_2(),
        "plan_counts": plan,
        "targets": targets,
        "award_rules": award_rules(),
        "portal_totals": portal_totals(stated),
        "agency_parents": parent_map(),  # the national export's agencies → their groups (全國比較)
    }


def write_seeds(out: Path | None = None) -> dict[str, int]:
    """Regenerate data/seed/*.csv; returns row counts per table."""
    out = out or seed_dir()
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, frame in build_seed_tables().items():
        frame.to_csv(out / f"{name}.csv", index=False, encoding="utf-8")
        counts[name] = len(frame)
    return counts
