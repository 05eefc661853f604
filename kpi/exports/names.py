"""What an export is called and what it covers, in words the office reads on the file and the page.

``file_name`` is pure (scope in, name out) so the dashboard can label a download button without
building the file.
"""

from __future__ import annotations

from kpi.metrics.scope import Scope
from kpi.reference.agencies import MINISTRY_GROUP_LABEL, MINISTRY_OFFICIAL, short_name
from kpi.reference.dates import roc, roc_words

PREFIX = "勞動部開放資料"
BY_LABELS = {"downloads": "累計下載量", "views": "累計瀏覽量"}
BY_SHORT = {"downloads": "依下載量", "views": "依瀏覽量"}
KIND_WORDS = {"ranking": "附件一", "pack": "會議資料", "fixlist": "品質待改善清單", "brief": "會議摘要"}
EXTENSIONS = {"brief": "pdf"}
MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pdf": "application/pdf"}
_UNSAFE = str.maketrans({c: "_" for c in '\\/:*?"<>|'})


def agency_words(scope: Scope, limit: int = 3) -> str:
    """勞動部及所屬, 全國, or the short names (「勞保局、基金局」; more than `limit` → 「勞保局等4機關」)."""
    if scope.national and len(scope.agencies) > limit:
        return f"全國{len(scope.agencies)}機關"
    if tuple(scope.agencies) == MINISTRY_OFFICIAL:
        return MINISTRY_GROUP_LABEL
    names = [short_name(a) for a in scope.agencies]
    if len(names) > limit:
        return f"{names[0]}等{len(names)}機關"
    return "、".join(names)


def period_words(scope: Scope) -> str:
    """民國106年10月30日至民國107年7月20日, or the as-of date alone when nothing is compared; a
    年度 names the year and what its snapshots cover and miss (kpi/metrics/periods.py)."""
    from kpi.metrics.periods import scope_period

    year = scope_period(scope)
    if year is not None:
        return year.short()
    if scope.since is None:
        return f"至{roc(scope.as_of, 'long')}（累計，無比較基準）"
    return f"{roc(scope.since, 'long')}至{roc(scope.as_of, 'long')}"


def file_name(kind: str, scope: Scope, by: str = "downloads") -> str:
    """E.g. 勞動部開放資料_附件一_依下載量_107年07月20日_勞保局.xlsx.

    The pack and the brief also name the comparison date when there is one
    (…_會議資料_106年10月30日至107年07月20日_勞動部及所屬.xlsx).
    """
    if kind not in KIND_WORDS:
        raise ValueError(f"不明的匯出種類「{kind}」")
    parts = [PREFIX, KIND_WORDS[kind]]
    if kind == "ranking":
        parts.append(BY_SHORT[by])
    when = roc_words(scope.as_of)
    if kind in ("pack", "brief") and scope.since is not None:
        when = f"{roc_words(scope.since)}至{when}"
    if scope.year is not None:
        when = f"{scope.year}年度_{when}"
    parts += [when, agency_words(scope)]
    ext = EXTENSIONS.get(kind, "xlsx")
    return "_".join(parts).translate(_UNSAFE) + "." + ext


def mime(name: str) -> str:
    return MIME[name.rsplit(".", 1)[-1]]
