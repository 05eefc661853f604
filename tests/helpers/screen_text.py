"""What a committee member must never read on a screen (AD dates, epoch numbers, hashes, English UI
words), shared by the in-process page checks (tests/pages) and the browser ones (tests/browser)."""

from __future__ import annotations

import re

AD_DATE = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*(?:[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}|年)")
THIRTEEN_DIGITS = re.compile(r"(?<!\d)\d{13}(?!\d)")
HEX_HASH = re.compile(r"\b(?=[0-9a-f]*[a-f])[0-9a-f]{12,}\b")  # a hash has letters; raw numbers do not
NULL_WORDS = re.compile(r"\b(?:None|nan|NaN|NaT|empty|null|undefined)\b")
ENGLISH = re.compile(r"[A-Za-z][A-Za-z'\-]{2,}")
# Words a viewer may read: formats, standards and names the portal itself uses.
ALLOWED = {"API", "APIs", "CSV", "JSON", "XML", "XLS", "XLSX", "ODS", "PDF", "Excel", "OAS", "KPI",
           "ZIP", "RSS", "KML", "SHP", "WMS", "TXT", "DOC", "DOCX", "HTML", "URL", "data", "gov",
           "iTaiwan", "Open", "Data", "TSV", "GeoJSON", "RDF", "Swagger", "OpenAPI", "http", "https",
           "www", "mol", "Noto", "Sans", "CJK", "WCAG", "HTTP", "HEAD", "GET", "OCR", "SPARQL"}

_WORDS: set[str] = set()


def english_in_data(gw) -> set[str]:
    """English inside the data itself (dataset names, opinions) is the data, not the UI."""
    import duckdb

    if _WORDS:
        return _WORDS
    for sql in ("SELECT dataset_name AS t FROM dataset", "SELECT title || ' ' || content || ' ' || "
                "coalesce(reply_content, '') || ' ' || dataset_name AS t FROM core_feedback",
                "SELECT title || ' ' || coalesce(suggested_name, '') AS t FROM request",
                "SELECT agency AS t FROM agency", "SELECT file_name AS t FROM snapshot"):
        try:
            for text in gw.query(sql)["t"].dropna():
                _WORDS.update(ENGLISH.findall(str(text)))
        except duckdb.Error:
            continue
    return _WORDS
