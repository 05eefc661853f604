"""What each action-plan figure covers and why a value may look odd, computed next to the figures.

kpi.metrics.plan computes the scores; this module words, per indicator, the data behind them
(「附件三 35 則，106/04/20–106/10/26」) and, per agency, what a reader would otherwise misread
(a growth of 0 beside a cumulative count above the plan; a composite over 100; a missing
indicator). Pages show these strings as they are.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from kpi.metrics import plan
from kpi.metrics.definitions import DAYS_TEXT, INDICATORS, MISSING_METHOD_TEXT, PLAN_WORDING, metric
from kpi.metrics.feedback import feedback_items
from kpi.metrics.plan import Weights, absent_indicators, listing_snapshot, yearly_achievement
from kpi.metrics.plan_growth import GROWTH_BASIS_TEXT, bracket
from kpi.metrics.scope import Scope
from kpi.reference.agencies import short_name
from kpi.reference.dates import roc
from kpi.store import Gateway

CUMULATIVE_SQL = """
SELECT c.agency, count(*) AS listed, any_value(p.planned_total) AS planned
FROM counter c LEFT JOIN plan_count p ON p.agency = c.agency AND p.roc_year = ?
WHERE c.snapshot_date = ? AND c.listed_on <= ? AND list_contains(?, c.agency)
GROUP BY c.agency
"""


def _year_scope(scope: Scope, roc_year: int) -> Scope:
    year = roc_year + 1911
    return Scope(min(scope.as_of, dt.date(year, 12, 31)), dt.date(year - 1, 12, 31), scope.agencies)


def coverage(gw: Gateway, scope: Scope, roc_year: int, days: str = "calendar",
             growth_basis: str = "listed") -> dict[str, str]:
    """Per indicator: the data the year's figure rests on, in one zh-TW line (成長量 as the
    composite reads it, ``growth_basis``)."""
    from kpi.metrics.quality import has_catalogue

    year = roc_year + 1911
    out: dict[str, str] = {}
    held = int(gw.scalar("SELECT count(*) FROM meeting WHERE year(CAST(held_on AS DATE)) = ?", [year]))
    any_meeting = bool(gw.scalar("SELECT count(*) FROM meeting"))
    out["meetings"] = (f"{roc_year} 年登錄之工作小組會議 {held} 次" if any_meeting
                       else "尚未登錄工作小組會議：各機關皆無資料，不計入綜合分數")
    listed_in = listing_snapshot(gw, scope.as_of)
    out["new_datasets"] = ("沒有含上架日之快照：無資料" if listed_in is None else
                           f"依 {roc(listed_in)} 快照之上架日，計 {roc_year} 年上架者；"
                           "快照前已下架者不在其中，故為下限")
    if growth_basis == "net":
        out["new_datasets"] = _net_coverage(gw, scope, roc_year)
    cat = None
    if has_catalogue(gw):
        cat = gw.query("SELECT snapshot_date AS d, count(*) AS n FROM catalogue WHERE snapshot_date = "
                       "(SELECT max(snapshot_date) FROM catalogue WHERE snapshot_date <= ?) "
                       "GROUP BY snapshot_date", [scope.as_of])
    text = ("尚未匯入資料集清單：各機關皆無資料，不計入綜合分數" if cat is None or cat.empty
            else f"資料集清單 {roc(pd.Timestamp(cat['d'].iloc[0]).date())}，{int(cat['n'].iloc[0]):,} 項")
    out["correctness_rate"] = text + ("" if cat is None or cat.empty else "（另需品質檢測或連結檢查結果）")
    out["three_star_ratio"] = text
    items = feedback_items(gw, _year_scope(scope, roc_year), days)
    if items.empty:
        out["reply_6day_ratio"] = f"{roc_year} 年無已匯入之外部意見"
    else:
        sources = "、".join(sorted(items["source"].dropna().unique())) or "已匯入之意見"
        first, last = (pd.Timestamp(items["posted_on"].min()).date(),
                       pd.Timestamp(items["posted_on"].max()).date())
        out["reply_6day_ratio"] = (f"{sources} {len(items)} 則，{roc(first)}–{roc(last)}；"
                                   f"回復日數以{DAYS_TEXT[days]}計")
    return out


def _net_coverage(gw: Gateway, scope: Scope, roc_year: int) -> str:
    """Reading (b)'s basis: the bracketing snapshots, or which ones are needed."""
    frame = bracket(gw, list(scope.agencies), roc_year, scope.as_of)
    pairs = sorted({(b, a) for b, a, n in zip(frame["before_on"], frame["after_on"], frame["needed"],
                                               strict=True) if not n})
    parts = [f"依 {roc(b)} 與 {roc(a)} 快照之資料集總數相減（期間下架者已扣除）" for b, a in pairs]
    lacking = frame[frame["needed"] != ""]
    if len(lacking):
        who = "各機關" if len(lacking) == len(frame) else "、".join(map(short_name, lacking["agency"]))
        parts.append(f"{who}：{lacking['needed'].iloc[0]}，無資料")
    return "；".join(parts)


def _composite_note(r: dict[str, Any], w: Weights) -> str:
    parts = []
    if r["indicators_lacking"]:
        lead = {"exclude": "未計入", "zero": "以 0 分計", "none": "無綜合分數"}[w.missing]
        parts.append(f"{lead}：{r['indicators_lacking']}（無資料）")
    composite = r["composite"]
    if composite is not None and not pd.isna(composite) and composite > 100:
        cap = "各指標以 100 分為上限" if w.cap else "各指標不設上限"
        parts.append(f"超過 100：{cap}，另加分 {r['bonus_reply'] + r['bonus_stars']:.2f}（回復 "
                     f"{w.bonus_threshold_days:g} 日內 {r['replies_fast']}/{r['replies_answered']} × "
                     f"{w.bonus_max:g} = {r['bonus_reply']:.2f}；四五星比例 × {w.bonus_max:g} = "
                     f"{r['bonus_stars']:.2f}）。行動方案註4：「{PLAN_WORDING['bonus_reply']}」")
    return "；".join(parts)


def explained_achievement(gw: Gateway, scope: Scope, roc_year: int, weights: Weights | None = None,
                          days: str = "calendar") -> pd.DataFrame:
    """yearly_achievement plus, per agency, ``{indicator}_note`` and ``composite_note``."""
    weights = weights or Weights()
    frame = yearly_achievement(gw, scope, roc_year, weights, days)
    if frame.empty:
        return frame
    listed_in = listing_snapshot(gw, scope.as_of)
    cum = pd.DataFrame(columns=["agency", "listed", "planned"])
    if listed_in is not None:
        cum = gw.query(CUMULATIVE_SQL, [roc_year, listed_in, dt.date(roc_year + 1911, 12, 31),
                                        list(scope.agencies)])
    cum = cum.set_index("agency")
    fb = feedback_items(gw, _year_scope(scope, roc_year), days)
    pending = fb[fb["judged"] == "pending"].groupby("agency").size()
    net = _net_notes(gw, list(frame["agency"]), roc_year, scope) if weights.growth_basis == "net" else {}
    notes: dict[str, list[str]] = {f"{n}_note": [] for n in INDICATORS}
    notes["composite_note"] = []
    for r in frame.to_dict("records"):
        a = r["agency"]
        new = ""
        if weights.growth_basis == "net":
            new = net.get(a, "")
        elif r["new_datasets_met"] is False and a in cum.index:
            c = cum.loc[a]
            planned = ("該年度無資料集數量計畫" if pd.isna(c["planned"])  # later plans may set none
                       else f"資料集數量計畫 {int(c['planned'])} 項")
            new = (f"{roc_year} 年上架 {int(r['new_datasets_actual'])} 項；至 {roc_year} 年底累計上架 "
                   f"{int(c['listed'])} 項，{planned}")
        reply = ""
        if r["reply_6day_ratio_actual"] is None or pd.isna(r["reply_6day_ratio_actual"]):
            reply = f"{roc_year} 年無已判定之外部意見"
        elif int(pending.get(a, 0)):
            reply = f"另 {int(pending.get(a, 0))} 則處理中（未逾 6 日）未計入"
        for n in INDICATORS:
            notes[f"{n}_note"].append({"new_datasets": new, "reply_6day_ratio": reply}.get(n, ""))
        notes["composite_note"].append(_composite_note(r, weights))
    return frame.assign(**notes)


def _net_notes(gw: Gateway, agencies: list[str], roc_year: int, scope: Scope) -> dict[str, str]:
    """Per agency, reading (b) in words: the totals it subtracts and the removals, or what is needed."""
    out = {}
    for r in bracket(gw, agencies, roc_year, scope.as_of).to_dict("records"):
        out[r["agency"]] = r["needed"] or (
            f"資料集總數 {roc(r['before_on'])} {r['before_total']} 項 → {roc(r['after_on'])} {r['after_total']} 項，"
            f"淨增加 {r['net']} 項（新增 {r['added']}、下架 {r['removed']}）")
    return out


def method_lines(weights: Weights, saved: dict, days: str = "calendar") -> list[str]:
    """The composite's method as set by the office, one line each (shown beside the ranking)."""
    who = (f"{saved['set_by']} 於 {_roc_day(saved.get('set_at'))} 設定" if saved.get("set_by")
           else "預設值，資訊處尚未調整" if weights == Weights() else "本次指定，非資訊處儲存之設定")
    return [
        "權重：" + "、".join(f"{metric(n).short_label} {weights.of(n):g}" for n in INDICATORS)
        + f"（{who}）",
        f"缺漏指標：{MISSING_METHOD_TEXT[weights.missing]}。",
        ("各指標得分 = 實績 ÷ 目標 × 100，" + ("以 100 分為上限" if weights.cap else "不設上限")
         + f"；加分 = 四五星比例 × {weights.bonus_max:g} ＋ 回復日數 {weights.bonus_threshold_days:g} 日內之"
         f"意見比例 × {weights.bonus_max:g}（門檻為本系統設定，方案原文：「{PLAN_WORDING['bonus_reply']}」"
         f"「{PLAN_WORDING['bonus_stars']}」）。"),
        f"回復日數：{DAYS_TEXT[days]}（側欄「回復日數」切換）。",
        f"成長量：{GROWTH_BASIS_TEXT[weights.growth_basis]}。",
    ]


def absent_line(frame: pd.DataFrame) -> str:
    """The indicators every agency lacks (left out of every composite), or ''."""
    rows = frame.to_dict("records")
    gone = absent_indicators(rows)
    return ("各機關皆無資料、不計入綜合分數之指標：" + "、".join(metric(n).short_label for n in gone)
            if gone else "")


def _roc_day(stamp: Any) -> str:
    """An ISO timestamp as the 民國 date in Taipei (the text itself when it is not one)."""
    try:
        moment = pd.Timestamp(str(stamp))
    except (TypeError, ValueError):
        return str(stamp or "")
    return roc((moment.tz_convert("Asia/Taipei") if moment.tzinfo else moment).date())


def ranking_status(gw: Gateway, scope: Scope, roc_year: int, weights: Weights | None = None,
                   days: str = "calendar") -> dict[str, Any]:
    """Whether the composite ranking is complete, judged on the whole group compared (not the scope).

    ``used``/``absent``: indicator keys some / no agency has data for; ``lacking``: per agency (short
    name) the used indicators it has no data for; ``proposal``: (short name, composite) of the top
    three, empty while partial; ``headline`` and ``missing``: the page's wording.
    """
    frame = plan.group_achievement(gw, scope, roc_year, weights, days)
    rows = frame.to_dict("records")
    absent = absent_indicators(rows)
    used = [n for n in INDICATORS if n not in absent]
    lacking = {short_name(r["agency"]): [n for n in used if pd.isna(r[f"{n}_score"])] for r in rows}
    lacking = {a: names for a, names in lacking.items() if names}
    complete = bool(len(frame)) and bool(frame["complete"].all())
    labels = [metric(n).short_label for n in used]
    missing = []
    if absent:
        missing.append("、".join(metric(n).short_label for n in absent) + "：各機關皆無資料")
    missing += [f"{a} 缺 {'、'.join(metric(n).short_label for n in names)}" for a, names in lacking.items()]
    return {"complete": complete, "compared": len(frame), "used": used, "absent": absent,
            "lacking": lacking,
            "proposal": [(short_name(r.agency), float(r.composite)) for r in plan.award_proposal(frame).itertuples()],
            "headline": ("" if complete else
                         f"僅依 {len(used)}/{len(INDICATORS)} 項指標：{'、'.join(labels) or '無'}"),
            "missing": missing}


def rank_text(rank: Any, compared: int) -> str:
    """「第 3 名／6」: the place among all agencies compared; 「—」 without a composite."""
    return "—" if rank is None or pd.isna(rank) else f"第 {int(rank)} 名／{compared}"
