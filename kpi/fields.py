"""Column meanings, units and zh-TW labels in one place (as PUDL's fields.py).

Pages, tooltips and Excel headers all read from here, so a label is changed once.
Naming rules: snake_case English identifiers; counts are plain nouns (views, downloads);
``*_change`` is a signed difference, ``*_growth`` a sum that excludes counter resets;
``*_ratio``/``*_rate`` are fractions 0..1 (shown as percent); dates are ``*_on``/``*_date``/
``as_of``; timestamps ``*_at``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    label: str
    unit: str = ""  # "count", "ratio", "date", "text", "score", "days"
    help: str = ""


FIELDS: dict[str, Field] = {
    "rank": Field("編號", "count", "依下載次數（或瀏覽次數）排序的名次"),
    "agency": Field("機關", "text", "提供機關（所屬單位併入上級機關）"),
    "short_name": Field("機關", "text"),
    "publisher": Field("提供機關名稱", "text", "平臺上登載的提供機關"),
    "dataset_id": Field("資料集代號", "count", "本系統跨快照比對後給的代號"),
    "dataset_name": Field("資料集名稱", "text"),
    "previous_name": Field("前次名稱", "text", "比較基準快照中的名稱"),
    "service_category": Field("服務分類", "text", "平臺的服務分類（附件二或資料集清單提供時才有）"),
    "datasets": Field("資料集數", "count", "資料日期當天快照中的資料集數"),
    "views": Field("累計瀏覽量", "count", "平臺統計的累計瀏覽次數"),
    "downloads": Field("累計下載量", "count", "平臺統計的累計下載次數"),
    "views_before": Field("前次累計瀏覽量", "count"),
    "downloads_before": Field("前次累計下載量", "count"),
    "views_change": Field("瀏覽量增減", "count", "兩次快照之差；負值表示計數器重設或重新上架"),
    "downloads_change": Field("下載量增減", "count", "兩次快照之差；負值表示計數器重設或重新上架"),
    "views_growth": Field("瀏覽量成長", "count", "各資料集瀏覽量增加之和，不含計數器下降者"),
    "downloads_growth": Field("下載量成長", "count", "各資料集下載量增加之和，不含計數器下降者"),
    "counter_resets": Field("計數器下降", "count", "累計數比前次少的資料集數（重設或重新上架），不計入成長"),
    "new_datasets": Field("新增資料集", "count", "本次有、前次快照沒有的資料集數"),
    "removed_datasets": Field("下架資料集", "count", "前次有、本次快照沒有的資料集數"),
    "change_kind": Field("異動", "text"),
    "match_kind": Field("比對方式", "text", "跨快照認定同一資料集的方式"),
    "rating": Field("評分（星）", "score", "平臺資料集評分，1～5"),
    "listed_on": Field("上架日", "date"),
    "total": Field("意見數", "count"),
    "on_time": Field("6日內回復", "count", "發表後 6 日（含）內首次回復"),
    "late": Field("逾6日回復", "count"),
    "pending": Field("處理中（未逾期）", "count", "未回復但未滿 6 日，不計入比率"),
    "overdue": Field("逾期未回復", "count", "未回復且已逾 6 日，計入分母"),
    "ratio": Field("6日內回復比率", "ratio", "6日內回復 ÷（6日內回復＋逾6日回復＋逾期未回復）"),
    "reply_6day_ratio": Field("6日內回復外部意見比率", "ratio"),
    "three_star_ratio": Field("三星等級資料比率", "ratio", "三星以上資料集 ÷ 實際開放資料集"),
    "correctness_rate": Field("資訊正確率", "ratio", "1 −（未及時更新＋錯誤連結＋錯誤資訊）÷ 實際開放資料集"),
    "gold_award_score": Field("金質獎總分", "score", "（銅×0.3＋銀×0.6＋金×1）÷ 資料集總數 × 100 ＋ 加分"),
    "popularity_score": Field("人氣獎分數", "score", "30×瀏覽/最多瀏覽＋40×下載/最多下載＋30×評分/5"),
    "meetings": Field("工作小組會議次數", "count"),
    "planned_total": Field("計畫資料集總數", "count"),
    "posted_on": Field("發表日期", "date"),
    "replied_on": Field("機關首次回應日期", "date"),
    "days": Field("回復日數", "days"),
    "title": Field("標題", "text"),
    "status": Field("狀態", "text"),
    "judged": Field("判定", "text"),
}

CHANGE_KIND_LABELS = {"kept": "持續開放", "new": "新增", "removed": "下架或改名",
                      "reset": "計數器下降", "not_compared": "無前次資料"}
MATCH_KIND_LABELS = {"exact": "名稱相同", "normalized": "正規化後相同", "prefix": "截斷名稱前綴相符",
                     "new": "新資料集", "first": "首次出現"}
JUDGED_LABELS = {"on_time": "6日內回復", "late": "逾6日回復", "pending": "處理中（未逾期）",
                 "overdue": "逾期未回復"}


def label(name: str) -> str:
    return FIELDS[name].label if name in FIELDS else name
