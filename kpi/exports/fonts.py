"""Find a Traditional Chinese font for the PDF brief.

Debian's fonts-noto-cjk ships Noto Sans CJK as TrueType collections (.ttc) holding the JP, KR, SC,
TC and HK faces; fpdf2 reads a collection when told which face, so we pick the face whose family
is "Noto Sans CJK TC" by reading the names with fontTools (the face order is not promised).
``KPI_PDF_FONT`` (a .ttf/.otf/.ttc path) overrides the search.
"""

from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path

CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-{style}.ttc",
    "/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-{style}.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-{style}.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-{style}.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansTC-{style}.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansTC-{style}.otf",
)
FAMILY = "Noto Sans CJK TC"


class FontMissing(RuntimeError):
    pass


def _face_index(path: Path) -> int:
    if path.suffix.lower() != ".ttc":
        return 0
    from fontTools.ttLib import TTCollection

    with TTCollection(str(path), lazy=True) as collection:
        for i, font in enumerate(collection.fonts):
            if FAMILY in {str(n) for n in font["name"].names if n.nameID in (1, 16)}:
                return i
    return 0


def _fc_match(style: str) -> Path | None:
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}", f"{FAMILY}:style={style}"],
                             capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(out) if out and "CJK" in out and Path(out).is_file() else None


@functools.cache
def cjk_font(style: str = "Regular") -> tuple[str, int]:
    """(path, face index) of a Traditional Chinese sans font; FontMissing says how to install one."""
    override = os.environ.get("KPI_PDF_FONT")
    if override and style == "Regular":
        return override, _face_index(Path(override))
    for pattern in CANDIDATES:
        path = Path(pattern.format(style=style))
        if path.is_file():
            return str(path), _face_index(path)
    found = _fc_match(style)
    if found:
        return str(found), _face_index(found)
    if style != "Regular":
        return cjk_font("Regular")
    raise FontMissing("找不到中文字型：請安裝 fonts-noto-cjk（apt-get install fonts-noto-cjk）"
                      "或以環境變數 KPI_PDF_FONT 指定 .ttf/.otf/.ttc 檔")
