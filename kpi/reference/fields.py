"""Column meanings, units and zh-TW labels in one place (as PUDL's fields.py).

Pages, tooltips and Excel headers all read from here, so a label is changed once. Columns that
are metrics take their label, unit and help from the metric catalogue (kpi.metrics.definitions).
Naming rules: snake_case English identifiers; counts are plain nouns (views, downloads);
``*_change`` is a signed difference, ``*_growth`` a sum that excludes counter resets;
``*_ratio``/``*_rate`` are fractions 0..1 (shown as percent); dates are ``*_on``/``*_date``/
``as_of``; timestamps ``*_at``.
"""

from __future__ import annotations

from dataclasses import dataclass

from kpi.metrics.definitions import METRICS


@dataclass(frozen=True)
class Field:
    label: str
    unit: str = ""  # "count", "ratio", "date", "text", "score", "days"
    help: str = ""


FIELDS: dict[str, Field] = {
    "rank": Field("編號", "count", "依下載次數（或瀏覽次數）排序的名次（附件一的「編號」）"),
    "agency": Field("機關", "text", "提供機關（所屬單位併入上級機關）"),
    "short_name": Field("機關", "text"),
    "publisher": Field("提供機關名稱", "text", "平臺上登載的提供機關"),
    "dataset_id": Field("資料集代號", "count", "本系統跨快照比對後給的代號"),
    "dataset_name": Field("資料集名稱", "text"),
    "previous_name": Field("前次名稱", "text", "比較基準快照中的名稱"),
    "service_category": Field("服務分類", "text", "平臺的服務分類（附件二或資料集清單提供時才有）"),
    "views_before": Field("前次累計瀏覽量", "count"),
    "downloads_before": Field("前次累計下載量", "count"),
    "views_change": Field("瀏覽量增減", "count", "兩次快照之差；負值表示計數器重設或重新上架"),
    "downloads_change": Field("下載量增減", "count", "兩次快照之差；負值表示計數器重設或重新上架"),
    "change_kind": Field("異動", "text"),
    "match_kind": Field("比對方式", "text", "跨快照認定同一資料集的方式"),
    "rating": Field("評分（星）", "score", "平臺資料集評分，1～5"),
    "listed_on": Field("上架日", "date"),
    "total": Field("意見數", "count"),
    "on_time": Field("6日內回復", "count", "發表後 6 日（含）內首次回復"),
    "late": Field("逾6日回復", "count"),
    "pending": Field("處理中（未逾期）", "count", "未回復但未滿 6 日，不計入比率"),
    "overdue": Field("逾期未回復", "count", "未回復且已逾 6 日，計入分母"),
    "planned_total": Field("計畫資料集總數", "count"),
    "posted_on": Field("發表日期", "date"),
    "replied_on": Field("機關首次回應日期", "date"),
    "days": Field("回復日數", "days"),
    "title": Field("標題", "text"),
    "status": Field("狀態", "text"),
    "judged": Field("判定", "text"),
    "request_id": Field("編號", "text"),
    "suggested_name": Field("建議資料集名稱", "text"),
    "request_replied_on": Field("最後回復日期", "date"),
    "request_posted_on": Field("提出日期", "date"),
    "request_agency": Field("回復機關", "text"),
    "source": Field("來源", "text", "匯入檔或會議紀錄附件"),
    "snapshot_date": Field("快照日", "date"),
    "file_name": Field("檔案", "text"),
    "rows": Field("列數", "count"),
    "scope": Field("範圍", "text"),
    "candidate_name": Field("前次名稱", "text", "比較基準快照中名稱相似的資料集"),
    "score": Field("相似度", "score"),
    "n": Field("資料集數", "count"),
    "badge": Field("標章", "text"),
    "stars": Field("星等", "count"),
    "update_frequency": Field("更新頻率", "text"),
    "metadata_updated_at": Field("詮釋資料更新時間", "date"),
    "late_update": Field("未及時更新", "text"),
    "broken_link": Field("錯誤連結", "text"),
    "wrong_info": Field("錯誤資訊", "count", "缺聯絡人姓名或電話，或編碼、欄位說明與資料不符"),
    "link_checked": Field("已檢查連結", "text"),
    "datasets_in_catalogue": Field("清單資料集數", "count"),
    "four_five_star_share": Field("四五星比例", "ratio", "四、五星資料集 ÷ 清單資料集（加分用）"),
    "late_updates": Field("未及時更新", "count"),
    "broken_links": Field("錯誤連結", "count"),
    "gold": Field("金", "count"),
    "silver": Field("銀", "count"),
    "bronze": Field("銅", "count"),
    "open_one_year": Field("開放滿一年", "text"),
    "gold_badge": Field("金標章", "text"),
    "how": Field("比對方式", "text", "名稱完全相同、正規化後相同、資訊處確認；或新增、下架、候選、否決"),
    "old_name": Field("前次名稱", "text", "比較基準快照中的名稱（如平臺所載）"),
    "new_name": Field("本次名稱", "text", "本次快照中的名稱（如平臺所載）"),
    "old_marked": Field("前次名稱（【】為不同處）", "text"),
    "new_marked": Field("本次名稱（【】為不同處）", "text"),
    "old_listed_on": Field("前次上架日", "date"),
    "new_listed_on": Field("本次上架日", "date", "平臺的上架日；晚於前次快照者不可能是前次資料集的延續"),
    "reason": Field("理由", "text"),
    "decision": Field("決定", "text"),
    "decided_by": Field("決定者", "text"),
    "decided_at": Field("決定時間", "text"),
    "undone_at": Field("已復原", "text"),
    "as_of": Field("資料日期", "date"),
    # 全國比較's groups (kpi/build/parents.py): a ministry or organisation with every agency under it
    "group": Field("部會（含所屬）", "text", "部會或其他機關連同所屬機關合計；只有一個機關者亦為一組"),
    "parent": Field("所屬部會或群組", "text", "依計算說明之機關歸屬表"),
    "members": Field("機關數", "count", "併入此組的機關數"),
    "names_in_group": Field("同組機關名稱數", "count",
                            "歸屬表中同屬此部會（含所屬）的名稱數；平臺所列的所屬單位（如技能檢定中心）亦各計一個"),
    "placed_by": Field("歸屬方式", "text", "依名稱規則推導，或經人工覆核修正"),
    "basis": Field("依據", "text", "名稱規則的哪一條，或人工修正的理由"),
}
# The reconciliation of a total between two snapshots (SPEC §5/§8): before + increase − fall
# + recount + new − removed = after, for views and for downloads.
CHANGE_PART_LABELS = {"before": "前次累計", "increase": "續存資料集增加", "fall": "續存資料集減少",
                      "recount": "重新計數（成長未知）", "new": "新增資料集", "removed": "下架資料集",
                      "after": "本次累計", "net": "淨變化", "unknown": "成長未知資料集數"}
CHANGE_PART_SHORT = {"before": "前次累計", "increase": "續存增加", "fall": "續存減少", "recount": "重新計數",
                     "new": "新增", "removed": "下架", "after": "本次累計"}  # chart axes
CHANGE_PART_HELP = {
    "before": "比較基準日當時的累計數（含其後下架者）",
    "increase": "兩次都開放、且不在重新計數事件中的資料集，累計數上升的合計",
    "fall": "兩次都開放、且不在重新計數事件中的資料集，累計數下降的合計（計數器重設或重新上架）",
    "recount": "平臺重新計數事件中資料集的增減（正負合計）：這些資料集的成長無法得知",
    "new": "比較基準日後新增資料集的累計數", "removed": "比較基準日後下架（或改名未能比對）資料集當時的累計數",
    "after": "資料日期的累計數", "net": "本次累計 − 前次累計（由兩個總數即可算出）",
    "unknown": "屬重新計數事件、成長無法得知的資料集數"}
for _m, _word in (("views", "瀏覽量"), ("downloads", "下載量")):
    for _p, _label in CHANGE_PART_LABELS.items():
        if _p != "unknown":
            FIELDS[f"{_m}_{_p}"] = Field(f"{_word}{_label}", "count", CHANGE_PART_HELP[_p])
FIELDS |= {
    "recount_datasets": Field("成長未知（重新計數）", "count", CHANGE_PART_HELP["unknown"]),
    "usage": Field("本期使用量", "count", "本期累計數的增加"),
    "usage_previous": Field("前期使用量（同長度）", "count", "前一期間的增加，換算為與本期相同日數"),
    "difference": Field("差額", "count", "本期 − 前期（同長度）"),
    "change_ratio": Field("增減比率", "ratio", "差額 ÷ 前期（同長度）"),
    "direction": Field("成長或衰退", "text"),
    "compared": Field("可比較資料集", "count", "三次快照皆開放、兩期使用量皆可知"),
    "declined": Field("衰退資料集", "count"),
    "grew": Field("成長資料集", "count"),
    "event": Field("事件", "text"),
    "kind_label": Field("事件類型", "text"),
    "status_label": Field("狀態", "text"),
    "note": Field("說明", "text"),
    "description": Field("說明", "text"),
}
# Pages say 名次 for a rank; the Excel attachment keeps 附件一's own header 編號 (as published).
PAGE_LABELS = {"rank": "名次"}
FIELDS |= {k: Field(m.label, m.unit, m.help) for k, m in METRICS.items()}
FIELDS["ratio"] = FIELDS["reply_6day_ratio"]  # the feedback summary's column name

SCOPE_LABELS = {"ministry": "勞動部及所屬", "national": "全國"}  # what a snapshot file covers
CHANGE_KIND_LABELS = {"kept": "持續開放", "new": "新增", "removed": "下架或改名",
                      "reset": "計數器下降", "recount": "重新計數（成長未知）",
                      "not_compared": "無前次資料"}
# How a dataset was paired across two snapshots (kpi.build.identity; SPEC §8 `matches` "how").
MATCH_KIND_LABELS = {"identical": "名稱完全相同", "normalised": "正規化後相同（全半形、空白、破折號、截斷）",
                     "confirmed": "資訊處確認", "candidate": "待確認候選", "rejected": "資訊處否決",
                     "new": "新資料集", "removed": "下架或改名", "first": "首次出現",
                     # the import preview's kinds (kpi.identity.names.match_names)
                     "exact": "名稱完全相同", "normalized": "正規化後相同", "prefix": "截斷名稱前綴相符"}
MATCH_REASON_LABELS = {"similar": "名稱相似", "guard": "同名但上架日晚於前次快照",
                       "listed_before": "上架日早於前次快照，與同機關下架者並列", "rejected": "已否決"}
DECISION_LABELS = {"confirm": "確認為同一資料集", "reject": "否決（不是同一資料集）"}
PLACED_LABELS = {"derived": "依名稱規則", "override": "人工覆核修正"}  # kpi/build/parents.py
JUDGED_LABELS = {"on_time": "6日內回復", "late": "逾6日回復", "pending": "處理中（未逾期）",
                 "overdue": "逾期未回復"}


def label(name: str) -> str:
    return FIELDS[name].label if name in FIELDS else name


# 民眾使用分析 (kpi/metrics/public_use.py): a period's use is the counters' rise (see its method).
FIELDS |= {
    "file_format": Field("檔案格式", "text", "資料集清單的檔案格式；一個資料集有多種格式時各格式都計入"),
    "age_band": Field("上架年數", "text", "資料日期時距上架日（平臺或資料集清單）的年數"),
    "known_datasets": Field("可比較資料集數", "count", "期間使用量可知者：計數器未下降的延續資料集"),
    "views_in_period": Field("期間瀏覽次數", "count", "可比較資料集在期間內增加的瀏覽次數（未比較時為累計）"),
    "downloads_in_period": Field("期間下載次數", "count", "可比較資料集在期間內增加的下載次數（未比較時為累計）"),
    "views_per_dataset": Field("每資料集平均瀏覽", "score", "期間瀏覽次數 ÷ 可比較資料集數"),
    "downloads_per_dataset": Field("每資料集平均下載", "score", "期間下載次數 ÷ 可比較資料集數"),
    "no_download": Field("期間無人下載", "count", "可比較資料集中，期間下載次數為 0 者"),
    "dataset_share": Field("資料集累計比例", "ratio", "依使用量由高而低排序後，前 N 項占可比較資料集的比例"),
    "use_share": Field("使用量累計比例", "ratio", "前 N 項資料集的使用量占全部的比例"),
    "use_previous": Field("前期使用量（同長度）", "count", "前一期間的增加，換算為與本期相同日數"),
    "use_now": Field("本期使用量", "count", "本期累計數的增加"),
    "use_difference": Field("差額", "count", "本期 − 前期（同長度）；負值為衰退"),
}
