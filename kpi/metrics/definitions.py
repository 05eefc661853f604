"""The metric catalogue: every figure's key, zh-TW label, unit, direction, help and method.

Pages, Excel headers, the PDF brief, the report JSON's labels and 計算說明 read these entries, so
a figure is named and explained once. Targets are data (the action plan's table 陸, in the store's
``target`` table, read by kpi.metrics.plan), never literals: ``plan_label`` marks the five plan
indicators and names the target column. Adding a KPI = an entry here + its SQL in kpi/metrics.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

NO_DATA = "無資料"


@dataclass(frozen=True)
class Metric:
    key: str
    label: str  # the column / card label
    unit: str  # count | ratio | score | days
    help: str = ""  # one line: tooltips and table headers' help
    method: str = ""  # how it is computed, citing its source (計算說明, Excel notes)
    plan_label: str | None = None  # the action plan's own wording (the five indicators only)
    higher_is_better: bool = True
    short: str = ""  # a narrow column's heading (the PDF brief); the label when blank

    @property
    def short_label(self) -> str:
        return self.short or self.label

    @property
    def is_indicator(self) -> bool:
        return self.plan_label is not None


_M = [
    Metric("datasets", "資料集數", "count", "資料日期當天快照中的資料集數"),
    Metric("views", "累計瀏覽量", "count", "平臺統計的累計瀏覽次數"),
    Metric("downloads", "累計下載量", "count", "平臺統計的累計下載次數"),
    Metric("views_growth", "瀏覽量上升合計", "count",
           "兩次都開放的資料集瀏覽量上升之和（不是淨變化：不減下降、下架，不加新增）",
           "同一資料集兩次快照累計數之差，上升者依機關加總。累計數下降代表計數器重設或重新上架，不是負的使用量，"
           "其差額不計入。新增資料集無前次數值，不計入。兩個總數之差（淨變化）另以「前次累計 + 續存增加 − 續存減少"
           " ± 重新計數 + 新增 − 下架 = 本次累計」逐項列出；平臺重新計數事件中的資料集成長無法得知。"),
    Metric("downloads_growth", "下載量上升合計", "count",
           "兩次都開放的資料集下載量上升之和（不是淨變化：不減下降、下架，不加新增）"),
    Metric("views_net", "瀏覽量淨變化", "change", "本次累計瀏覽量 − 前次累計瀏覽量（含新增、下架、下降）"),
    Metric("downloads_net", "下載量淨變化", "change", "本次累計下載量 − 前次累計下載量（含新增、下架、下降）"),
    Metric("counter_resets", "計數下降資料集", "count",
           "累計數比前次少的資料集數（計數器重設、重新上架或平臺重新計數），其差額不計入上升合計",
           higher_is_better=False),
    Metric("new_datasets", "新增資料集", "count", "本次有、前次快照沒有的資料集數",
           "本次快照有、前次沒有者為新增；前次有、本次沒有者為下架或改名。前次快照未涵蓋的機關不比較。"
           "行動方案的「成長量」則是該年度上架之資料集數（依最新一次含上架日之快照）；下架者不在快照中，故為下限。",
           plan_label="成長量（新增資料集）", short="成長量"),
    Metric("removed_datasets", "下架資料集", "count", "前次有、本次快照沒有的資料集數",
           higher_is_better=False),
    Metric("meetings", "工作小組會議次數", "count", "該年度召開之工作小組會議（由資訊處登錄）",
           "行動方案註1：每季召開為原則，由資訊處於「資料匯入」頁登錄。", plan_label="召開工作小組會議次數",
           short="工作小組會議"),
    Metric("correctness_rate", "資訊正確率", "ratio",
           "1 −（未及時更新＋錯誤連結＋錯誤資訊）÷ 實際開放資料集",
           "行動方案註2：(1 −（未及時更新數＋錯誤連結數＋錯誤資訊數）÷ 實際開放資料集數) × 100%。需匯入資料集清單"
           "與品質檢測或連結檢查結果；未匯入時顯示「無資料」。", plan_label="定期更新及連結等資訊正確率"),
    Metric("three_star_ratio", "三星等級資料比率", "ratio", "三星以上資料集 ÷ 實際開放資料集",
           "行動方案註3：三星以上資料集 ÷ 實際開放資料集。一星：網路上任何格式（PDF、DOC）；二星：機器可讀"
           "但為專屬格式（XLS、XLSX）；三星：非專屬格式（CSV、JSON、XML、ODS）；四星：W3C 開放標準（RDF、"
           "SPARQL）；五星：鏈結資料。資料集取其各資源中最高星等。需匯入資料集清單。",
           plan_label="三星等級資料比率", short="三星比率"),
    Metric("reply_6day_ratio", "6日內回復比率", "ratio",
           "6日內回復 ÷（6日內回復＋逾6日回復＋逾期未回復）",
           "行動方案註4：6日（含）內回復外部意見數 ÷ 全部外部意見數。日數自發表日起算至機關首次回應日；"
           "資料日期當時未回復且未滿6日者為「處理中」，不計入；已逾6日者為「逾期未回復」，計入分母。"
           "預設以日曆日計算，亦可改以工作日（依臺灣國定假日與補班日）並列比較。",
           plan_label="6日內回復外部意見比率", short="6日內回復"),
    Metric("gold_award_score", "金質獎總分", "score", "（銅×0.3＋銀×0.6＋金×1）÷ 資料集總數 × 100 ＋ 加分",
           "106 年 8 月 29 日獎勵措施：（銅標章數×0.3＋銀標章數×0.6＋金標章數×1）÷ 該機關資料集總數 × 100，"
           "加 OAS 驗證 API 每項 0.1 分、至多 5 分。白金標章視同金標章；「無」「無(白名單)」計 0 分。本系統：分母為資料日期前"
           "最近一次匯入之資料集清單中該機關之資料集數（非瀏覽下載快照）；OAS 加分依資訊處登錄之 API 數（規則：由機關提報、"
           "國發會確認後始得加分，本系統未能確認）；未匯入資料集清單時為「無資料」。"),
    Metric("popularity_score", "人氣獎分數", "score", "30×瀏覽/最多瀏覽＋40×下載/最多下載＋30×評分/5",
           "獎勵措施（四）：「凡開放達1年且經品質檢測取得金標章之資料集，始能參與此評獎」；30×（該資料集瀏覽量／同期間於本平臺"
           "瀏覽次數最多之資料集瀏覽量）＋40×（下載量／同期間最多下載量）＋30×（平均得分／5）。本系統：開放滿 1 年依上架日"
           "（資料日期前滿 365 日）判斷，無上架日者無法判斷，不列入評比並另列；金標章取自資料集清單（白金視同金），未匯入"
           "清單時不套用此條件並於表名註明；兩次快照都涵蓋全平臺時以兩次快照之差為「同期間」數量，否則以累計數計並註明；"
           "平臺評分 20～100 換算為 1～5 星，未評分者評分項以 0 分計（規則以平均得分計分，無評分即無得分）並註明件數。"),
    Metric("composite", "綜合分數", "score", "各指標得分之加權平均＋加分（方法由資訊處設定）",
           "行動方案（二）：「本部工作小組依前述五項年度目標達成率暨加分狀況，進行本部暨所屬機關年度政府資料開放績效"
           "比較評估」，權重未公布，本系統明列如下並由資訊處設定：各指標得分 = 實績 ÷ 目標 × 100（預設以 100 分為上限），"
           "依權重加權平均；再加兩項加分：四、五星資料集比例 × 加分上限（註3「另如有開放等級達四、五星等資料集者，依比率"
           "酌以加分」）、回復日數在門檻（預設 3 日）內之意見比例 × 加分上限（註4「另各機關如處理外部意見回復日數可低於 6 日"
           "者，則依其比率酌以加分」），故總分可超過 100。所有機關皆無資料之指標（尚未登錄或匯入）一律不計入；個別機關缺"
           "某指標時依設定：不計入並註明、以 0 分計，或不給綜合分數。回復日數依畫面所選之日曆日或工作日計算。"),
    Metric("rank_downloads", "下載量名次", "count", "依累計下載量排名；同數同名次，下一名次跳號"),
    Metric("rank_views", "瀏覽量名次", "count", "依累計瀏覽量排名；同數同名次，下一名次跳號"),
    Metric("share_downloads", "下載量占全國", "ratio", "該機關累計下載量 ÷ 快照中全部機關之和"),
    Metric("share_views", "瀏覽量占全國", "ratio", "該機關累計瀏覽量 ÷ 快照中全部機關之和"),
    Metric("period_views", "計分瀏覽量", "count", "兩次快照皆涵蓋全平臺時為同期間之差，否則為累計數（表上註明）"),
    Metric("period_downloads", "計分下載量", "count", "兩次快照皆涵蓋全平臺時為同期間之差，否則為累計數（表上註明）"),
    Metric("eligibility", "資格", "text", "依獎勵措施條件判定（開放滿一年、金標章、同期間數量）"),
]
METRICS: dict[str, Metric] = {m.key: m for m in _M}
INDICATORS: tuple[str, ...] = ("meetings", "new_datasets", "correctness_rate", "three_star_ratio",
                               "reply_6day_ratio")  # table 陸's column order


def metric(key: str) -> Metric:
    return METRICS[key]


def plan_label(key: str) -> str:
    label = METRICS[key].plan_label
    assert label is not None, key
    return label


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except TypeError:  # pd.NA: its own inequality is NA, whose truth is ambiguous
        return True
    except ValueError:
        return False


def format_value(unit: str, value: object, blank: str = NO_DATA) -> str:
    """One display rule per unit: counts with thousands separators, ratios as percent."""
    if _missing(value):
        return blank
    if unit == "ratio":
        return f"{float(value):.1%}"  # type: ignore[arg-type]
    if unit == "score":
        return f"{float(value):.2f}"  # type: ignore[arg-type]
    if unit == "change":  # a signed difference: +4,654 / −4,386 reads as a change, not a level
        return f"{int(value):+,}"  # type: ignore[call-overload]
    return f"{int(value):,}"  # type: ignore[call-overload]


def show(key: str, value: object, blank: str = NO_DATA) -> str:
    """A metric's value as people read it (無資料 where there is none)."""
    return format_value(METRICS[key].unit, value, blank)


# Met / not met / no data: one reading of a ``*_met`` cell (None, NaN, pd.NA all mean no data)
# and one set of words for every screen and export (the PDF's narrow cells use the short form).
MET_SYMBOLS = {True: "●", False: "✕", None: "○"}
MET_WORDS = {True: "達成", False: "未達成", None: NO_DATA}
MET_SHORT = {True: "達成", False: "未達", None: NO_DATA}


def met_state(met: object) -> bool | None:
    """True / False, or None when the indicator could not be computed."""
    return None if _missing(met) else bool(met)


def met_word(met: object, short: bool = False) -> str:
    return (MET_SHORT if short else MET_WORDS)[met_state(met)]


def met_mark(met: object) -> str:
    """「● 達成」「✕ 未達成」「○ 無資料」: the mark beside an indicator on the pages and scorecard."""
    state = met_state(met)
    return f"{MET_SYMBOLS[state]} {MET_WORDS[state]}"


# The action plan's and the award rules' own words, quoted beside the settings they govern.
PLAN_WORDING = {
    "ranking": "本部工作小組依前述五項年度目標達成率暨加分狀況，進行本部暨所屬機關年度政府資料開放績效比較評估，"
               "並將結果提報本部諮詢小組審議，另前三名者經簽報核定，函請相關機關建議敘獎。",
    "bonus_reply": "另各機關如處理外部意見回復日數可低於 6 日者，則依其比率酌以加分。",
    "bonus_stars": "另如有開放等級達四、五星等資料集者，依比率酌以加分。",
    "growth_heading": "成長量(資料集項目)",  # 陸、績效指標 (一) 年度目標's column; the table has no note on it
    "growth_schedule": "預計以每年新增至少 130 項資料集之速度增加，於 106 年底前開放共 515 項。",  # 伍、開放期程
    "popularity": "凡開放達1年且經品質檢測取得金標章之資料集，始能參與此評獎。",
    "popularity_period": "30*(該資料集瀏覽量/同期間於本平臺瀏覽次數最多之資料集瀏覽量)",
    "gold": "[(銅標章資料集個數*0.3+銀標章資料集個數*0.6+金標章資料集個數*1)/該部會機關所屬之資料集總數*100]"
            "+加分項目",
}
MISSING_METHOD_TEXT = {
    "exclude": "缺資料之指標不計入，該機關以其餘指標平均（權重重新分配），並於該列註明",
    "zero": "缺資料之指標以 0 分計入平均",
    "none": "缺任一指標之機關不給綜合分數、不排名",
}
DAYS_TEXT = {"calendar": "日曆日", "working": "工作日"}
GROUP_NAMES = {"group": "勞動部及所屬", "ministry": "勞動部（本部）"}
ASSUMPTIONS: list[tuple[str, str]] = [
    ("名稱：勞動部（本部）與勞動部及所屬", "「勞動部（本部）」只指勞動部本身；「勞動部及所屬」指勞動部與勞保局、勞發署、基金局、"
     "職安署、勞研所六個機關合計。全國比較同類相比：六個機關各自在全部單一機關中排名；「勞動部及所屬」只與其他部會（含所屬）"
     "的合計排名（見「全國比較：單一機關與部會（含所屬）」），不與單一機關並列。"),
    ("名次與同分", "依下載量、瀏覽量分別排名；數值相同者名次相同，下一名次跳號（例：1、2、2、4）。"),
    ("回復日數設定", "側欄「回復日數」選日曆日或工作日（依臺灣國定假日與補班日），同時用於 6 日內回復比率、綜合分數之"
     "回復加分、Excel、PDF 摘要與 JSON 報表（報表內亦記載所用方式）。"),
    ("各指標涵蓋期間", "6 日內回復比率只涵蓋已匯入之意見（106 年為會議紀錄附件三所列者）；成長量依最新含上架日之快照計該年上架數，"
     "快照前已下架者不在其中，為下限；行動方案頁每一指標均註明其涵蓋範圍。"),
]
