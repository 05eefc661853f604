"""How every figure is computed, in zh-TW: shown on the 計算說明 page and in the Excel pack.

Metric methods come from the catalogue (kpi.metrics.definitions); the notes here are the ones
that belong to no single figure (sources, matching, the parts of the correctness rate).
"""

from kpi.metrics.definitions import ASSUMPTIONS, METRICS, MISSING_METHOD_TEXT, PLAN_WORDING
from kpi.metrics.recounts import rule_text

_GENERAL: list[tuple[str, str]] = [
    ("資料來源", "106 年第 2 次會議紀錄附件一至四（106/10/30）、105–106 年行動方案、政府資料開放平臺資料集統計匯出"
                "（107/07/20，全國 35,955 項）及其後匯入之檔案。每個數字都可追溯到匯入檔（資訊處可核對檔案雜湊值）。"),
    ("資料集比對", "同一機關（所屬單位併入上級機關）內依名稱比對：完全相同 → 正規化後相同（全半形、空白、括號、"
                 "「─」與 OCR 誤讀的「一」）→ 截斷名稱前綴相符（至少 8 字且唯一）。相似度高但名稱不同者只列為「可能改名」"
                 "候選，不自動合併。上架日晚於前次快照日者，絕不視為前次資料集的延續。可能的改名由資訊處在「比對確認」頁"
                 "確認或否決並註明理由（含內建 106→107 年（106/10/30 與 107/07/20 快照） 人工審閱的決定），每次建置都套用，列於本頁下方。"),
]
_NATIONAL: list[tuple[str, str]] = [
    ("全國比較：單一機關與部會（含所屬）",
     "同類相比：單一機關只與單一機關排名（勞動部各機關各有名次）；「勞動部及所屬」是六個機關的合計，只與其他部會（含所屬）"
     "的合計排名，不與單一機關並列。部會（含所屬）依機關歸屬表（隨系統提供，依下列規則自全國匯出檔之機關名稱產生）"
     "把每個機關併入其部會或上級機關後合計，只有一個機關者亦為一組。"
     "規則依序：一、名稱以某部會級機關（總統府、五院、行政院所屬部會及其他院之部會級機關）或某縣市政府之名稱或其縣市名"
     "（如「臺北市」）開頭者，併入開頭最長者；以某公司之名稱開頭者（如事業部）併入該公司；二、名稱含「法院」者併入司法院，"
     "含「檢察署」者併入法務部；三、其餘自成一組（獨立機關、公營事業、行政法人各有獨立法人格，不併入主管部會）。"
     "規則讀不出的名稱（平臺未冠上級名稱之單位，如內政部的「地政司」）經人工覆核，逐一註明理由，優先於規則"
     "（全表與修正列於計算說明頁）。日後匯出檔出現歸屬表未列之機關時，該機關自成一組，並於全國比較頁列出，不會被略去。"),
]
_PARTS: list[tuple[str, str]] = [
    ("未及時更新", "更新頻率為「每 N 日／週／月／季／年」者，若資料集清單日期與「詮釋資料更新時間」相隔超過 N 個週期"
              "再加寬限（3 日與週期的 10% 取較長者），即為未及時更新；「不定期更新」不判定。"),
    ("錯誤連結", "品質檢測「可連結」或「可下載」為否，或連結檢查最新一次結果失效：網址無效、無法連線、逾時、"
              "HTTP 狀態 400 以上、檔案內容為空。先送 HEAD，被拒或未提供類型與長度時改送 GET（讀取至多 64KB）；"
              "重新導向至多 5 次，迴圈視為失效；連線錯誤與逾時重試 1 次。連續兩次失效者另行標示。"
              "內容類型與宣告格式不符者列為注意，不計入失效。"),
    ("錯誤資訊", "缺提供機關聯絡人姓名或電話，或品質檢測之編碼格式、主要欄位說明與資料不符。"),
    ("累計數的變化（對帳）", "每個總數都附組成：前次累計 + 續存資料集增加 − 續存資料集減少 ± 重新計數 + 新增資料集 − "
                     "下架資料集 = 本次累計，逐資料集、機關、勞動部及所屬與全國到個位數。畫面上的「淨變化」就是兩個總數之差；"
                     "「上升合計」只是續存資料集上升的部分（為已發出的程式保留），不是淨變化。"),
    ("平臺重新計數事件", rule_text()),
    ("衰退", "衰退是本期使用量（累計數的增加）低於前一段同長度期間的使用量，需要三次快照；前期由最接近「比較基準日"
           "減去本期長度」的快照開始，使用量換算為與本期相同日數。累計數下降不是衰退（是計數器重設或重新計數）。"
           "只有兩次快照時，頁面說明需要哪一天前後的快照。"),
]
_ORDER = ("views_growth", "new_datasets", "reply_6day_ratio", "three_star_ratio", "correctness_rate")
_AFTER = ("gold_award_score", "popularity_score", "composite")


def _titled(key: str) -> tuple[str, str]:
    m = METRICS[key]
    title = {"views_growth": "瀏覽量、下載量上升合計", "new_datasets": "新增、下架資料集"}.get(
        key, m.plan_label or m.label)
    return title, m.method


_RULES: list[tuple[str, str]] = [
    ("行動方案原文：績效比較與加分", f"「{PLAN_WORDING['ranking']}」註3：「{PLAN_WORDING['bonus_stars']}」"
                           f"註4：「{PLAN_WORDING['bonus_reply']}」"),
    ("綜合分數：缺漏指標的處理方式（資訊處擇一設定）",
     "；".join(MISSING_METHOD_TEXT.values()) + "。目前採用者見下方「目前的設定」。"),
    ("獎勵措施原文：人氣獎與金質獎", f"人氣獎：「{PLAN_WORDING['popularity']}」「{PLAN_WORDING['popularity_period']}」；"
                           f"金質獎總分：「{PLAN_WORDING['gold']}」"),
]
CALCULATION_NOTES: list[tuple[str, str]] = [
    *_GENERAL, *(_titled(k) for k in _ORDER), *_PARTS, *(_titled(k) for k in _AFTER), *_NATIONAL,
    _titled("meetings"), *ASSUMPTIONS, *_RULES,
]
