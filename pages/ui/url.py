"""The whole view in the URL (SPEC §8): the shared filters and each page's own choices.

A page only declares its widget with a key listed in ``PAGE_PARAMS``; before the page runs,
``seed`` puts a valid value from the URL into that key (so a copied link opened cold shows the
same choice), and ``write`` puts the filters and the page's current choices back into the URL.
A widget's state holds the value the person just picked before the rerun that follows it, so
writing at the start of each run is enough (also when the page stops early).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from kpi.reference.menu import page


@dataclass(frozen=True)
class Param:
    key: str  # the widget's session-state key
    parse: Callable[[str], Any] = str
    options: Sequence[Any] | Callable[[], Sequence[Any]] = ()  # allowed values (a callable: from data)

    def allowed(self) -> Sequence[Any]:
        return self.options() if callable(self.options) else self.options


def _plan_years() -> list[int]:
    from kpi.metrics.plan import plan_years
    from pages.ui.data import call

    return call(plan_years)


# the page's slug (kpi/reference/menu.py; a slug not there fails at import) → URL parameter → widget
PAGE_PARAMS: dict[str, dict[str, Param]] = {
    page("usage").slug: {"by": Param("rank_by", str, ("downloads", "views"))},
    page("plan").slug: {"year": Param("plan_year", int, _plan_years)},
    page("public_use").slug: {"use_by": Param("public_use_by", str, ("downloads", "views"))},
}


def _params(page: str) -> dict[str, Param]:
    return PAGE_PARAMS.get(page, {})


def seed(page: str) -> None:
    """Put the URL's valid choices for this page into its widgets' keys (once: a widget already
    on the page keeps what the person picked)."""
    for name, p in _params(page).items():
        if p.key in st.session_state or name not in st.query_params:
            continue
        try:
            value = p.parse(st.query_params[name])
        except (TypeError, ValueError):
            continue  # a mistyped link opens the page's default, not an error
        if value in p.allowed():
            st.session_state[p.key] = value


def write(page: str, filters: dict[str, Any]) -> None:
    """The URL of this view: the shared filters, then the page's own choices once made. Another
    page's parameters already in the URL stay (they change nothing here, and that page reads them
    when it is opened next)."""
    own = {name: str(st.session_state[p.key]) for name, p in _params(page).items()
           if p.key in st.session_state}
    others = {name for path, params in PAGE_PARAMS.items() if path != page for name in params}
    kept = {name: st.query_params[name] for name in others if name in st.query_params}
    wanted = {**filters, **kept, **own}
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    as_lists = {k: [str(x) for x in v] if isinstance(v, list | tuple) else [str(v)] for k, v in wanted.items()}
    if current != as_lists:  # writing the same URL again would only add history noise
        st.query_params.from_dict(wanted)
