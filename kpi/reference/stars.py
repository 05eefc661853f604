"""Open-data star levels by file format (action plan note 3), the one mapping table.

1 = on the web in any format; 2 = machine-readable but proprietary; 3 = open, non-proprietary
format; 4 = W3C open standards (RDF, SPARQL); 5 = linked data. Unknown formats count as 1 and are
listed on the quality page so the mapping can be extended.
"""

from __future__ import annotations

import pandas as pd

STAR_BY_FORMAT: dict[str, int] = {
    # 3 stars: open, non-proprietary structured formats
    **dict.fromkeys(["CSV", "TSV", "JSON", "XML", "ODS", "GEOJSON", "KML", "KMZ", "RSS", "ATOM",
                     "GML", "GPX", "WEBSERVICE", "API", "YAML"], 3),
    # 2 stars: machine-readable but proprietary
    **dict.fromkeys(["XLS", "XLSX", "SHP", "MDB", "ACCDB", "DBF", "SAV", "DTA"], 2),
    # 1 star: on the web, not machine-readable as data
    **dict.fromkeys(["PDF", "DOC", "DOCX", "ODT", "PPT", "PPTX", "ODP", "TXT", "HTML", "HTM",
                     "ZIP", "RAR", "7Z", "JPG", "JPEG", "PNG", "GIF", "TIF", "TIFF", "BMP",
                     "SVG", "MP3", "MP4", "其他"], 1),
    # 4 stars: W3C open standards
    **dict.fromkeys(["RDF", "TTL", "TURTLE", "N3", "NT", "JSON-LD", "JSONLD", "SPARQL", "OWL"], 4),
    # 5 stars: linked data (declared as such by the publisher)
    **dict.fromkeys(["LOD", "LINKED DATA", "LINKEDDATA"], 5),
}
UNKNOWN_STAR = 1


def normalize_format(fmt: str) -> str:
    return (fmt or "").strip().upper().lstrip(".")


def star_of(fmt: str) -> int:
    return STAR_BY_FORMAT.get(normalize_format(fmt), UNKNOWN_STAR)


def star_table() -> pd.DataFrame:
    """The mapping as a store table, so SQL can join resources to their star level."""
    return pd.DataFrame({"file_format": list(STAR_BY_FORMAT),
                         "stars": list(STAR_BY_FORMAT.values())})
