"""The page registry and the one thing every page does first: make sure the router is ours.

Streamlit runs the very first request after a server start (and every AppTest run) in its
legacy mode when a folder named pages/ exists: the page script runs alone, with a menu made
from file names. ``boot()`` then does what dashboard.py does (real menu, filters, the routed
page), so the page looks and behaves the same either way. Each page calls it on its first line.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import streamlit as st

from kpi.reference.menu import PAGES
from pages.ui import keys

_run = threading.local()  # Streamlit runs a script run in one thread, entry script and page alike


@contextlib.contextmanager
def entered() -> Iterator[None]:
    """Marks the page run as coming through dashboard.py (for this run only)."""
    _run.entered = True
    try:
        yield
    finally:
        _run.entered = False


HIDDEN_FOR_VIEWERS = tuple(p.title for p in PAGES if not p.in_menu(office=False))  # link works, not in the menu


def page_registry(office: bool = False) -> list:
    """Every page of the app, in menu order (st.navigation's registry for this run), from the one
    page table kpi/reference/menu.py.

    Viewers get a 資訊處登入 page in place of 資料匯入, and 比對確認 only by its link (hidden from
    the menu; it says it is the office's); the signed-in office sees both in the menu.
    """
    return [st.Page(p.script, title=p.title_for(office), icon=p.icon_for(office), default=p.default,
                    **({} if p.default else {"url_path": p.slug}),
                    visibility="visible" if p.in_menu(office) else "hidden")
            for p in PAGES]


def boot():
    """The filters for this run. In legacy mode (the page runs without dashboard.py) the frame
    is drawn here and the routed page is run inside it, as dashboard.py would, then this outer
    run stops: no rerun, so a click that started the run is not lost, and widget ids are the
    ones the normal route gives."""
    if getattr(_run, "entered", False):
        return st.session_state[keys.FILTERS]
    from pages.ui.entry import frame

    page, _ = frame()
    with entered():
        page.run()
    st.stop()
