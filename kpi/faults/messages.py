"""zh-TW words for what the operating system, a damaged state file or the command line reports.

Why: the office reads these, so no English from Python or click reaches them; and each says
which file and what to do. Used by the CLI's one error boundary and by the write paths.
"""

from __future__ import annotations

import errno
import json
import re
from pathlib import Path
from typing import Any

_REASONS = {
    errno.ENOSPC: ("磁碟空間不足", "請清出空間後再試"),
    errno.EDQUOT: ("磁碟配額已滿", "請清出空間後再試"),
    errno.EROFS: ("資料夾是唯讀的", "請改用可寫入的資料夾（KPI_DATA_DIR）"),
    errno.EACCES: ("沒有權限", "請確認帳號對此路徑有讀寫權限"),
    errno.EPERM: ("沒有權限", "請確認帳號對此路徑有讀寫權限"),
    errno.ENOENT: ("找不到此路徑", "請確認路徑（或 KPI_DATA_DIR）正確且已建立"),
    errno.EISDIR: ("這是資料夾，不是檔案", "請指定檔案名稱"),
    errno.ENOTDIR: ("路徑中有一段不是資料夾", "請確認路徑正確"),
    errno.EIO: ("磁碟讀寫錯誤", "請檢查磁碟後再試"),
    errno.EMFILE: ("同時開啟的檔案過多", "請稍後再試"),
    errno.ENAMETOOLONG: ("檔名過長", "請改用較短的檔名"),
}


class DamagedFile(ValueError):
    """A state or settings file that cannot be read as what it should be (zh-TW message)."""


def os_message(err: OSError) -> str:
    """One sentence naming the path, what went wrong and what to do."""
    reason, advice = _REASONS.get(err.errno or -1, (f"系統錯誤（代碼 {err.errno}）", "請稍後再試或通知資訊處"))
    where = f"「{err.filename}」" if err.filename else ""
    if err.strerror and _is_chinese(err.strerror):  # our own detail (e.g. the free-space check's)
        reason = f"{reason}（{err.strerror}）"
    return f"無法存取{where}：{reason}，{advice}。"


_LIBRARY_WORDS = (("No space left", errno.ENOSPC), ("Disk quota", errno.EDQUOT),
                  ("Read-only file system", errno.EROFS), ("Permission denied", errno.EACCES))
_QUOTED_PATH = re.compile(r"[\"'](/[^\"'\\]+)")


def as_os_error(err: BaseException) -> OSError | None:
    """The OS error inside a library's own exception (DuckDB's IOException, Arrow's), if any."""
    if isinstance(err, OSError):
        return err
    text = str(err)
    for words, code in _LIBRARY_WORDS:
        if words in text:
            path = _QUOTED_PATH.search(text)
            return OSError(code, words, path.group(1) if path else None)
    return None


def describe(err: BaseException) -> str:
    """Any error as a zh-TW sentence: ours keep their words, the system's get translated."""
    if (oserr := as_os_error(err)) is not None:
        return os_message(oserr)
    if _is_chinese(str(err)):  # ours (FetchFailed, DamagedFile, ValueError …) are worded already
        return str(err)
    return f"發生未預期的錯誤（{type(err).__name__}），資料未變更；請將此訊息告知資訊處。"


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def read_json(path: Path, what: str, fix: str) -> Any:
    """A JSON state file, or DamagedFile naming it, the line where it breaks and what to do."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DamagedFile(f"{what}「{path}」不是 UTF-8 文字，檔案已損毀；{fix}。") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise DamagedFile(f"{what}「{path}」第 {err.lineno} 行第 {err.colno} 字損毀（不是有效的 JSON）；"
                          f"{fix}。") from None
    except RecursionError:
        raise DamagedFile(f"{what}「{path}」巢狀過深，檔案已損毀；{fix}。") from None


def json_lines(path: Path, limit: int) -> list[dict[str, Any]]:
    """The last ``limit`` lines of an append-only JSON-lines log. A line torn by a full disk or a
    kill (or edited by hand) is kept as a record saying which line it is, never a crash."""
    raw = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    first = max(len(raw) - limit, 0)
    out: list[dict[str, Any]] = []
    for number, line in enumerate(raw[first:], start=first + 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        out.append(record if isinstance(record, dict) else
                   {"result": f"（紀錄檔 {path.name} 第 {number} 行損毀，無法讀取）", "damaged_line": number})
    return out


def usage_message(err: Any) -> str:
    """click's usage errors (missing argument, unknown option, bad value) in zh-TW. Matched by
    class name: typer vendors its own copy of click, so click's classes are not typer's."""
    kinds = {c.__name__ for c in type(err).__mro__}
    name = ""
    param = getattr(err, "param", None)
    if param is not None:
        name = (param.opts or [param.name or ""])[0] if getattr(param, "opts", None) else (param.name or "")
        name = name.upper() if not name.startswith("-") else name
    if "MissingParameter" in kinds:
        what = f"缺少參數「{name}」"
    elif "NoSuchOption" in kinds:
        what = f"沒有「{err.option_name}」這個選項"
    elif "BadOptionUsage" in kinds:
        what = f"選項「{err.option_name}」需要一個值"
    elif "BadParameter" in kinds:
        what = f"參數「{name}」的值不正確"
    elif "No such command" in str(err.message):
        what = "沒有這個命令"
    elif "unexpected extra argument" in str(err.message):
        what = "多了無法辨識的參數"
    else:
        what = "命令或參數有誤"
    command = err.ctx.command_path if getattr(err, "ctx", None) else "python -m kpi"
    return f"{what}。請執行「{command} --help」查看用法。"
