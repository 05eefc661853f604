"""Preview: parse and validate a file whole without writing to the data folder (page and CLI).

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
    return {"usage_summary": "usage", "committee_meetings": "meetings"}.get(kind, kind)


def stage_and_parse(kind: str, path: Path, as_of: dt.date | None, agency: str | None = None,
                    display_name: str | None = None, allow_new_agency: bool = False) -> Parsed:
    """Read the file once into a private copy, then hash and parse those bytes, checking its
    agencies against every agency the store has seen."""
    import shutil

    from kpi.faults.staging import stage
    from kpi.importing.kinds import known_agencies_in
    from kpi.importing.reader import read_bounded
    from kpi.store import gateway

    name = display_name or path.name
    data = read_bounded(path, name)
    staged = stage(data, name)  # in the data folder's filesystem: archiving it is a copy there
    staged_dir = staged.parent
    try:
        return parse_file(kind, staged, as_of, agency, name, data=data,
                          known_agencies=known_agencies_in(gateway()),
                          allow_new_agency=allow_new_agency)
    except BaseException:
        shutil.rmtree(staged_dir, ignore_errors=True)
        raise


def discard(parsed: Parsed) -> None:
    """Remove the private copy a preview made (after its commit, or when it is cancelled)."""
    import shutil

    if parsed.path.parent.name.startswith("kpi-staged-"):
        shutil.rmtree(parsed.path.parent, ignore_errors=True)
