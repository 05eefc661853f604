"""A dataset name made of Markdown, Streamlit shortcodes, HTML entities, HTML and LaTeX, in a data
folder where it grows the most (tests/pages/test_data_text_pages.py in-process, and
tests/browser/test_data_text.py in Chromium)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from tests.helpers.store import USAGE_HEADER, built_copy

NAME = ":red[警告] :rocket: &amp; <b>x</b> $x$ **粗體** _斜_ [連結](http://example.com) #標題"


def hostile_name_data(template: Path, folder: Path) -> Path:
    """The embedded default plus 2018-08-31 and 2018-09-30 snapshots of 勞動部 holding NAME, which
    grows the most between them (so it is in tables, the movers chart and its caption)."""
    path = built_copy(template, folder / "data")
    before = os.environ.get("KPI_DATA_DIR")
    os.environ["KPI_DATA_DIR"] = str(path)
    try:
        from kpi.service import import_file
        from kpi.store import gateway

        rows = gateway().query("SELECT dataset_name, views, downloads, listed_on FROM counter "
                               "WHERE snapshot_date = ? AND agency = '勞動部'", [dt.date(2018, 7, 20)])
        for day, grown in ((dt.date(2018, 8, 31), 0), (dt.date(2018, 9, 30), 1)):
            lines = [USAGE_HEADER]
            for r in rows.itertuples():
                listed = "" if r.listed_on is None or r.listed_on != r.listed_on else str(r.listed_on)[:10]
                name = '"' + str(r.dataset_name).replace('"', '""') + '"'
                lines.append(f"勞動部,{name},{int(r.views) + 5 + grown},{int(r.downloads) + 1 + grown},,{listed}\n")
            quoted = '"' + NAME.replace('"', '""') + '"'
            lines.append(f"勞動部,{quoted},{100 + grown * 900000},{10 + grown * 800000},,2018-08-01\n")
            file = folder / f"hostile_usage_{day}.csv"
            file.write_text("".join(lines), encoding="utf-8")
            import_file("usage", file, day, "test")
    finally:
        if before is None:
            os.environ.pop("KPI_DATA_DIR", None)
        else:
            os.environ["KPI_DATA_DIR"] = before
    return path
