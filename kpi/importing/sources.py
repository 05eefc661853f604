"""The fetch sources the office configures (data/settings/sources.json), checked whole.

Why a module of its own: a settings file is typed by hand, so every field is checked for its
type and range and every text for controls, with a zh-TW message naming the entry, before any
network or disk work starts (``retries: -1`` once made the fetch try nothing and crash).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kpi.config.paths import data_dir
from kpi.importing.reader import MAX_IMPORT_BYTES

CONFIG = "settings/sources.json"
AS_OF_RULES = ("fetched", "last_modified", "file_name")


@dataclass
class Source:
    name: str
    kind: str
    url: str | None = None
    folder: str | None = None
    pattern: str = "*"
    as_of: str = "fetched"  # fetched | last_modified | file_name
    agency: str | None = None
    replace: bool = False
    timeout: float = 60.0
    retries: int = 3
    backoff: float = 2.0
    max_bytes: int = MAX_IMPORT_BYTES


def load_sources(path: Path | None = None) -> list[Source]:
    """The configured sources; a bad config is an error naming the file and the entry."""
    from kpi.importing.kinds import KINDS

    path = path or data_dir() / CONFIG
    if not path.exists():
        return []
    from kpi.faults.messages import read_json

    raw = read_json(path, "來源設定檔", "請依 README 的格式修正此檔")
    if not isinstance(raw, dict) or not isinstance(raw.get("sources", []), list):
        raise ValueError(f"{path.name}：應為含 sources 清單的 JSON 物件")
    out = []
    for i, item in enumerate(raw.get("sources", []), start=1):
        where = f"{path.name} 第 {i} 個來源"
        if not isinstance(item, dict) or not isinstance(raw.get("defaults", {}), dict):
            raise ValueError(f"{where}：應為 JSON 物件")
        item = {k: v for k, v in item.items() if not k.startswith("_")}  # "_comment" keys
        fields = {**raw.get("defaults", {}), **item}
        if unknown := sorted(set(fields) - set(Source.__dataclass_fields__)):
            raise ValueError(f"{where}：不認得的設定「{'、'.join(map(str, unknown))}」")
        src = Source(**fields)
        _check_fields(src, where)
        where = f"{path.name} 第 {i} 個來源「{src.name}」"
        if src.kind not in KINDS:
            raise ValueError(f"{where}：不明的種類「{src.kind}」（可用：{'、'.join(KINDS)}）")
        if (src.url is None) == (src.folder is None):
            raise ValueError(f"{where}：url 與 folder 須擇一")
        if src.as_of not in AS_OF_RULES:
            raise ValueError(f"{where}：as_of 須為 {'、'.join(AS_OF_RULES)} 之一")
        src.max_bytes = min(int(src.max_bytes), MAX_IMPORT_BYTES)
        out.append(src)
    return out


def _check_fields(src: Source, where: str) -> None:
    """Each number in its range and of its type (``retries: -1`` would try nothing at all)."""
    from kpi.importing.textcheck import clean_option

    for key, low, high in (("retries", 0, 10), ("timeout", 0.1, 3600), ("backoff", 0, 600),
                           ("max_bytes", 1, 10**12)):
        value = getattr(src, key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high \
                or (key in ("retries", "max_bytes") and not isinstance(value, int)):
            raise ValueError(f"{where}：{key} 應為 {low} 至 {high} 之間的"
                             f"{'整數' if key in ('retries', 'max_bytes') else '數字'}，收到「{value}」")
    for key in ("name", "kind", "url", "folder", "pattern", "as_of", "agency"):
        value = getattr(src, key)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{where}：{key} 應為文字，收到「{value}」")
        setattr(src, key, clean_option(value, f"{where} 的 {key}"))
    if not isinstance(src.replace, bool):
        raise ValueError(f"{where}：replace 應為 true 或 false")


