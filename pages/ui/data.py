"""Reading the store from pages: one gateway per data version, one generic cached call.

``call(fn, *args)`` serves an engine function ``fn(gw, *args)``: the figure published with the
data version when the build computed it (every page's default view: kpi/metrics/page_calls.py,
kpi/store/figures.py), else computed; either way kept per data version and arguments, so a rerun
that changes nothing reads the cache. Only kpi functions may be called.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Callable
from typing import Any

import streamlit as st

from kpi.config.paths import data_dir
from kpi.service import ensure_store
from kpi.store import current_version_id, figures, gateway

MISSES: Counter[str] = Counter()


@st.cache_resource(show_spinner="載入資料中…")
def _gateway(folder: str, version_id: str):
    ensure_store()
    return gateway(lazy=True)


@st.cache_data(ttl=3, show_spinner=False)
def _data_version(folder: str) -> str:
    ensure_store()
    return current_version_id() or ""


def data_version() -> str:
    """The published version of the current data folder. Keyed on the folder too: two folders
    with the same inputs share a version id, and a cached id must never lead to the other one."""
    return _data_version(str(data_dir()))


def data_changed() -> None:
    """After a write: the next call reads the new version at once instead of within 3 s."""
    _data_version.clear()


def gw():
    return _gateway(str(data_dir()), data_version())


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(version: str, target: str, args: tuple, kwargs: tuple) -> Any:
    MISSES[target] += 1  # runs only on a page-cache miss (tests and the benchmark count them)
    module, _, name = target.partition(":")
    return figures.serve(gw(), getattr(importlib.import_module(module), name), args, dict(kwargs))


def call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """fn(gw, *args, **kwargs), published or computed, cached on the data version and the arguments."""
    if not fn.__module__.startswith("kpi."):
        raise ValueError(f"{fn.__module__} is not an engine module")
    return _cached(data_version(), figures.target_of(fn), args, tuple(sorted(kwargs.items())))
