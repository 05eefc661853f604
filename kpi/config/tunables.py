"""Every setting an operator or a maintainer may turn, in one table: name, default, zh-TW help and
the environment variable that sets it (if any).

Why a table: the values used to sit in a dozen modules and six ``KPI_*`` variables were read
where they were needed, two of them documented nowhere. Modules still keep their own constant
(``MEMORY_LIMIT = default("MEMORY_LIMIT")``) so a test can monkeypatch it, but the default and
its reason are written here only; docs/SETTINGS.md lists them all and a test keeps the two in step.
Environment variables are read where they are used (some only by systemd via deploy/kpi.conf).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Tunable:
    name: str  # the constant in code, or the environment variable itself when there is no constant
    default: Any  # None: no default (unset means off, or the value comes from deploy/kpi.conf)
    help: str  # zh-TW: what it changes and why the default
    env: str | None = None  # the KPI_* variable that sets it


_MB = 1024 * 1024

TUNABLES: tuple[Tunable, ...] = (
    # where things are
    Tunable("KPI_DATA_DIR", "data/", "資料夾：匯入檔、設定、稽核紀錄與資料庫；開發時預設為儲存庫內 data/", "KPI_DATA_DIR"),
    Tunable("KPI_CONF", "deploy/kpi.conf", "部署設定檔路徑（例如 /etc/kpi/kpi.conf）；health、backup、serve 以其為預設值",
            "KPI_CONF"),
    Tunable("KPI_HOME", "/opt/kpi", "部署時程式所在資料夾（systemd 服務使用）", "KPI_HOME"),
    Tunable("KPI_PDF_FONT", None, "PDF 使用的中文字型檔（.ttf/.otf/.ttc）；未設定時使用 Noto Sans CJK TC", "KPI_PDF_FONT"),
    Tunable("KPI_TIMING_LOG", None, "效能量測：每次頁面執行寫一行 JSON 到此檔；未設定時不記錄", "KPI_TIMING_LOG"),
    # serving and health
    Tunable("KPI_LISTEN", "0.0.0.0:8080", "HAProxy 監聽的位址與埠", "KPI_LISTEN"),
    Tunable("KPI_PROCESSES", "2", "儀表板程序數（每核心一個）", "KPI_PROCESSES"),
    Tunable("KPI_FIRST_PORT", "8601", "第一個儀表板程序的本機埠，其餘依序加一", "KPI_FIRST_PORT"),
    Tunable("KPI_BACKEND_PORTS", None, "health 檢查的儀表板程序埠（空白或逗號分隔）；只讀環境變數",
            "KPI_BACKEND_PORTS"),
    Tunable("KPI_HEALTH_MAX_AGE_DAYS", "45", "最新資料超過此天數未更新，health 回報需要處理", "KPI_HEALTH_MAX_AGE_DAYS"),
    Tunable("KPI_HEALTH_MIN_FREE_MB", "2048", "資料夾所在磁碟可用空間低於此 MB，health 回報需要處理",
            "KPI_HEALTH_MIN_FREE_MB"),
    Tunable("KPI_BACKUP_DIR", "/var/backups/kpi", "備份存放資料夾（kpi-backup 服務使用）", "KPI_BACKUP_DIR"),
    Tunable("KPI_BACKUP_KEEP", "14", "保留最新幾份備份（kpi-backup 服務使用）", "KPI_BACKUP_KEEP"),
    # security
    Tunable("KPI_OFFICE_PASSWORD_HASH", None, "辦公室密碼的雜湊（python -m kpi hash-password 產生）；"
            "亦可放在 .streamlit/secrets.toml", "KPI_OFFICE_PASSWORD_HASH"),
    Tunable("KPI_LINKCHECK_PRIVATE", None, "設為 allow 時允許連線到內部位址（僅限測試）", "KPI_LINKCHECK_PRIVATE"),
    Tunable("SESSION_IDLE_SECONDS", 30 * 60, "辦公室登入閒置多久（秒）後登出"),
    Tunable("SESSION_MAX_SECONDS", 8 * 3600, "辦公室登入最長（秒），不論是否活動"),
    # mail
    Tunable("KPI_SMTP_HOST", None, "寄信伺服器；未設定時不寄信（亦可用 secrets.toml 的 [smtp]）", "KPI_SMTP_HOST"),
    Tunable("KPI_SMTP_PORT", "25", "寄信伺服器埠", "KPI_SMTP_PORT"),
    Tunable("KPI_SMTP_STARTTLS", "0", "寄信是否使用 STARTTLS（0/1）", "KPI_SMTP_STARTTLS"),
    Tunable("KPI_SMTP_USER", None, "寄信帳號", "KPI_SMTP_USER"),
    Tunable("KPI_SMTP_PASSWORD", None, "寄信密碼", "KPI_SMTP_PASSWORD"),
    Tunable("KPI_MAIL_FROM", None, "寄件者地址", "KPI_MAIL_FROM"),
    # the store and caches
    Tunable("KEEP_VERSIONS", 4, "保留的資料庫版本數：較舊版本留給仍在讀取的程序"),
    Tunable("PRUNE_AFTER_S", 600, "舊版本至少存在多久（秒）才刪除：讀取程序會在幾秒內載入版本"),
    Tunable("MEMORY_LIMIT", "512MB", "每個程序 DuckDB 自己的緩衝上限；其餘交給作業系統的快取"),
    Tunable("MATERIALIZE_MAX_ROWS", 1_000_000, "最新快照載入記憶體的列數上限（約 27 次全國快照），較舊者讀年度封存檔"),
    Tunable("APPEND_HOT_ROWS", 150_000, "增量建置檢查時載入記憶體的列數（約 4 次全國快照）"),
    Tunable("QUERY_CACHE_BYTES", 64 * _MB, "每個資料庫版本的查詢結果快取上限（位元組）"),
    Tunable("MAX_FIGURES", 256, "每個儀表板程序保留的圖表數上限"),
    Tunable("TREND_SNAPSHOTS", 12, "機關成績單的指標趨勢最多列最近幾次快照（每點是一次整年計算）"),
    # reading files and URLs
    Tunable("MAX_IMPORT_BYTES", 200 * _MB, "匯入檔大小上限（亦為 .streamlit/config.toml 的 server.maxUploadSize）"),
    Tunable("MAX_REDIRECTS", 5, "擷取與連結檢查最多跟隨幾次轉址，每一站都經 netguard 檢查"),
    Tunable("LINK_READ_LIMIT", 64 * 1024, "連結檢查以 GET 讀取內容的位元組上限"),
    Tunable("LINK_PER_HOST", 2, "連結檢查每個主機同時連線數（check-links --per-host）"),
    Tunable("LINK_RATE_PER_SECOND", 10.0, "連結檢查每秒最多發出幾個請求（check-links --rate）"),
    Tunable("LINK_TIMEOUT", 10.0, "連結檢查每個請求的逾時秒數（check-links --timeout）"),
    Tunable("LINK_RETRIES", 1, "連結檢查連線失敗或逾時後再試幾次"),
    Tunable("LINK_USER_AGENT", "MOL-opendata-kpi-linkcheck/1.0", "連結檢查送出的 User-Agent"),
    Tunable("LINK_URL_SECONDS", 60.0, "連結檢查一個網址（含重試與轉址）最多花幾秒"),
    Tunable("LINK_HOST_SECONDS", 600.0, "連結檢查同一主機的全部網址最多花幾秒"),
    Tunable("LINK_RUN_SECONDS", 3600.0, "整次連結檢查最多花幾秒；未檢查的網址留待 --resume"),
    # matching names
    Tunable("CANDIDATE_MIN", 70.0, "名稱相似度（0～100）達此值者列為可能改名，交辦公室確認"),
)

_BY_NAME = {t.name: t for t in TUNABLES}


def default(name: str) -> Any:
    """The default of one tunable (KeyError for a name not in the table: add it there first)."""
    return _BY_NAME[name].default


def env_names() -> set[str]:
    """Every KPI_* environment variable the product reads or deploy/kpi.conf sets."""
    return {t.env for t in TUNABLES if t.env}
