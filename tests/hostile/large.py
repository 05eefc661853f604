"""Large hostile files, made at test time in a temporary folder (never committed)."""

from __future__ import annotations

from pathlib import Path

from tests.hostile import xlsxgen as X
from tests.hostile.corpus import Case, H

MB = 1024 * 1024


def _repeat(path: Path, head: bytes, unit: bytes, count: int, tail: bytes = b"") -> None:
    with open(path, "wb") as fh:
        fh.write(head)
        block = unit * 10_000
        for _ in range(count // 10_000):
            fh.write(block)
        fh.write(unit * (count % 10_000) + tail)


def make_large(folder: Path) -> list[Case]:
    folder.mkdir(parents=True, exist_ok=True)
    cases = []
    with open(folder / "big_size.csv", "wb") as fh:  # sparse: size refused before any read
        fh.write((H + "\n").encode())
        fh.truncate(201 * MB)
    cases.append(Case("big_size.csv", "usage", fragment="超過上限"))
    _repeat(folder / "rows_10m.csv", (H + "\n").encode(), "勞動部,d,1,2,,\n".encode(), 10_000_000)
    cases.append(Case("rows_10m.csv", "usage", fragment="資料超過上限"))
    _repeat(folder / "blank_lines.csv", (H + "\n").encode(), b",,,,,\n", 3_000_000, b"x,y,1,2,,\n")
    cases.append(Case("blank_lines.csv", "usage", fragment="資料超過上限"))
    wide = ",".join(f"c{i}" for i in range(150))
    _repeat(folder / "wide.csv", (H + "," + wide + "\n").encode(), b"1," * 155 + b"1\n", 40_000)
    cases.append(Case("wide.csv", "usage", fragment="資料超過上限"))
    _repeat(folder / "one_field.csv", (H + '\n勞動部,"').encode(), b"x" * 1000, 100_000)
    cases.append(Case("one_field.csv", "usage", fragment="超過上限", row=2))
    _repeat(folder / "qc_big.json", b"[", b'{"datasetId": "A", "title": "' + b"x" * 80 + b'"},', 250_000,
            b'{"datasetId": "B"}]')
    cases.append(Case("qc_big.json", "qc", fragment="超過上限"))
    _repeat(folder / "qc_many_objects.json", b"[", b"{},", 600_000, b"{}]")
    cases.append(Case("qc_many_objects.json", "qc", fragment="超過"))
    (folder / "qc_deep_lists.json").write_bytes(b"[" * 100_000 + b"]" * 100_000)
    cases.append(Case("qc_deep_lists.json", "qc", fragment="巢狀"))
    (folder / "qc_deep_objects.json").write_bytes(b'{"a":' * 100_000 + b"1" + b"}" * 100_000)
    cases.append(Case("qc_deep_objects.json", "qc", fragment="巢狀"))
    X.streamed_sheet(folder / "xlsx_blank_flood.xlsx", X.rows_xml([X.USAGE_HEADER]),
                     lambda r: f'<row r="{r}"><c r="A{r}" s="1"/><c r="B{r}" s="1"/><c r="C{r}" s="1"/></row>',
                     1_200_000)
    cases.append(Case("xlsx_blank_flood.xlsx", "usage", fragment="儲存格超過"))
    X.streamed_sheet(folder / "xlsx_bomb.xlsx", X.rows_xml([X.USAGE_HEADER]), lambda r: " " * 10_000, 60_000)
    cases.append(Case("xlsx_bomb.xlsx", "usage", fragment="壓縮炸彈"))
    return cases
