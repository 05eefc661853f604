"""Hand-written XLSX files for the hostile corpus: exact control over every XML part."""

from __future__ import annotations

import io
import struct
import zipfile
from xml.sax.saxutils import escape

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                 'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
                 '</Types>')
WORKBOOK = (f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS} {RNS}><sheets>'
            '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>')
DATE_STYLES = (f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {NS}><cellXfs count="2">'
               '<xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>')
USAGE_HEADER = ["提供機關名稱", "資料集名稱", "瀏覽人次", "下載次數", "資料集評分", "上架日"]


def col(index: int) -> str:
    """The spreadsheet column letters, as the reader under test computes them."""
    from kpi.importing.xlsx_sheet import column_letters

    return column_letters(index)


def cell(ref: str, value: object, style: int | None = None) -> str:
    s = f' s="{style}"' if style is not None else ""
    if isinstance(value, int | float):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"{s}><is><t>{escape(str(value))}</t></is></c>'


def rows_xml(rows: list[list[object]], start: int = 1) -> str:
    out = []
    for r, row in enumerate(rows, start=start):
        cells = "".join(cell(f"{col(c)}{r}", v) for c, v in enumerate(row) if v != "")
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out)


def sheet(body: str, dimension: str = "", prolog: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet {NS}>{dim}<sheetData>{body}'
            "</sheetData></worksheet>")


def _put(z: zipfile.ZipFile, name: str, data: str | bytes) -> None:
    """Fixed timestamps so the committed files equal what the builders make."""
    z.writestr(zipfile.ZipInfo(name, date_time=(2018, 7, 20, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


def book(sheet_xml: str | bytes | None, shared: str | None = None, styles: str | None = None,
         extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        _put(z, "[Content_Types].xml", CONTENT_TYPES)
        _put(z, "xl/workbook.xml", WORKBOOK)
        _put(z, "xl/_rels/workbook.xml.rels", RELS)
        if sheet_xml is not None:
            _put(z, "xl/worksheets/sheet1.xml", sheet_xml)
        if shared is not None:
            _put(z, "xl/sharedStrings.xml", shared)
        if styles is not None:
            _put(z, "xl/styles.xml", styles)
        for name, data in (extra or {}).items():
            _put(z, name, data)
    return buf.getvalue()


def usage_book(rows: list[list[object]], **kw) -> bytes:
    return book(sheet(rows_xml([USAGE_HEADER, *rows]), **kw))


def lying_sizes(data: bytes, part: str, declared: int) -> bytes:
    """The same zip with `part`'s declared unpacked size changed (a bomb that hides its size)."""
    out = bytearray(data)
    name = part.encode()
    pos = 0
    while (pos := out.find(b"PK\x01\x02", pos)) != -1:  # central directory entries
        n = struct.unpack_from("<H", out, pos + 28)[0]
        if out[pos + 46:pos + 46 + n] == name:
            struct.pack_into("<I", out, pos + 24, declared)
            local = struct.unpack_from("<I", out, pos + 42)[0]
            struct.pack_into("<I", out, local + 22, declared)
        pos += 4
    return bytes(out)


def streamed_sheet(path, header_rows: str, row_xml, rows: int, shared: str | None = None) -> None:
    """A large workbook written part by part (the sheet streamed, never held in memory)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", RELS)
        if shared is not None:
            z.writestr("xl/sharedStrings.xml", shared)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>'.encode())
            fh.write(header_rows.encode())
            batch = []
            for r in range(2, rows + 2):
                batch.append(row_xml(r))
                if len(batch) == 5000:
                    fh.write("".join(batch).encode())
                    batch = []
            fh.write(("".join(batch) + "</sheetData></worksheet>").encode())
