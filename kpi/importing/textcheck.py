"""Text sanity shared by cells, command-line options and settings.

Why: a name must read the same to the office, the matcher and the screen. Controls and bidi
overrides disguise text, so they are refused; zero-width characters are invisible and only ever
typed by accident (copied from a web page), so they are stripped everywhere, the same way.
Characters no name uses (private use, unassigned, lone surrogates) and UTF-8 read as CP950
(「撟游漲撌交平」) mean the file was decoded wrongly, so the row is refused rather than stored.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# C0 controls other than tab/newline, DEL, C1, and the bidi marks/overrides/isolates
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u180e]")
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def strip_invisible(value: str) -> str:
    """The text without zero-width characters (the one way every path removes them)."""
    return ZERO_WIDTH.sub("", value) if value else value


@functools.lru_cache(maxsize=1)
def _unusable_bmp() -> frozenset[str]:
    """Private use, unassigned and surrogate code points of the BMP (built once, ~0.1 s)."""
    return frozenset(chr(cp) for cp in range(0x80, 0x10000)
                     if unicodedata.category(chr(cp)) in ("Co", "Cn", "Cs"))


def unusable_char(value: str) -> str | None:
    """zh-TW reason when the text holds a character no name uses, else None. A set test, not a
    regex: a 10,000-character cell is checked in microseconds, so 200 MB stay within the time."""
    if value.isascii():
        return None
    chars = set(value)
    bad = chars & _unusable_bmp()
    if max(chars) > "\uffff":
        bad |= {c for c in chars if c > "\uffff" and unicodedata.category(c) in ("Co", "Cn")}
    if not bad:
        return None
    first = min(bad, key=value.index)
    cp = ord(first)
    kind = ("私人使用區字元" if unicodedata.category(first) == "Co" else
            "單獨的代理字元（編碼損毀）" if 0xD800 <= cp <= 0xDFFF else "未定義的字元")
    return f"含{kind} U+{cp:04X}，檔案的文字編碼可能有誤，請確認後以 UTF-8 另存再匯入"


def control_char(value: str) -> str | None:
    m = CONTROL.search(value)
    return None if m is None else f"含控制字元 U+{ord(m.group()):04X}，請移除後再匯入"


def utf8_misread(value: str, encoding: str) -> str | None:
    """zh-TW reason when a cell decoded as CP950/Big5 is really UTF-8 (mojibake), else None.

    Its CP950 bytes then decode as UTF-8 into CJK text: real Big5 text almost never does,
    because UTF-8 needs a lead byte E0–EF followed by two bytes 80–BF for every character."""
    if value.isascii():
        return None
    try:
        again = value.encode(encoding).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    wide = [c for c in again if not c.isascii()]
    if len(wide) < 2 or len(_CJK.findall(again)) != len(wide):
        return None
    return (f"此儲存格以 {encoding} 讀出「{value[:20]}」，以 UTF-8 讀則是「{again[:20]}」："
            "檔案混用了兩種編碼，請整份以 UTF-8 另存再匯入")


def clean_option(value: str | None, label: str) -> str | None:
    """An option or setting typed by a person: zero-width stripped, controls refused (ValueError)."""
    if value is None:
        return None
    if (reason := control_char(value)) is not None or (reason := unusable_char(value)) is not None:
        raise ValueError(f"{label}{reason.replace('請移除後再匯入', '請移除後再試')}")
    return strip_invisible(value).strip()
