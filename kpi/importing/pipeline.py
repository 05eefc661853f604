"""Preview: parse and validate a file whole without writing anything (page and CLI alike).

Committing what a preview accepted is a write, so it lives in kpi.service.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kpi.importing.kinds import Parsed, parse_file


def preview(kind: str, path: Path, as_of: dt.date | None, agency: str | None = None,
            display_name: str | None = None) -> Parsed:
    """Parse and validate without writing anything (raises ImportRefused)."""
    return parse_file(kind, path, as_of, agency, display_name)


def kind_family(kind: str) -> str:
    """The archive kind of a parsed sub-kind (an agency summary is still a usage file)."""
    return "usage" if kind == "usage_summary" else kind
