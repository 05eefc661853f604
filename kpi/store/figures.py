"""Figures published inside a store version: engine results computed once by the build, read by lookup.

Why: each server process used to compute every page's default figures itself after a restart (a
warm-up thread), so N processes repeated the same work and a cold server's first visitor waited
for it. The build now computes them once, before the version is published, and writes them in the
version folder (``FILE``, listed in the manifest as the table ``TABLE``); any process, fresh or not,
serves a call whose function and arguments match by unpickling one entry. A version without the
file (an older store) is served on demand, as before.

The file holds results as they are (frames with their dtypes, dicts, dates, scopes), so a lookup
returns exactly what the call returns. It is read with an unpickler that only builds the types
engine results are made of (pandas, numpy, datetime and kpi's own dataclasses), so a file that
names anything else is refused and its calls are computed instead.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import os
import pickle
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

TABLE = "page_figures"  # the manifest's name for it; the gateway does not load it as a table
FILE = "page_figures.pkl"
ALLOWED_ROOTS = ("pandas", "numpy", "pyarrow", "datetime", "zoneinfo", "collections", "kpi")
REFUSED_PARTS = {"io", "testing", "_testing", "plotting", "api", "parquet", "feather", "csv", "fs", "flight"}
REFUSED_NAMES = {"memmap", "DataSource", "ExcelWriter", "HDFStore"}  # classes that open or write files
SAFE_BUILTINS = frozenset({"slice", "set", "frozenset", "tuple", "list", "dict", "complex", "bytearray",
                           "range", "bool", "int", "float", "str", "bytes"})
# the functions pandas, numpy and pyarrow pickles rebuild their objects with (no other callable)
REBUILDERS = frozenset({"_unpickle_block", "__pyx_unpickle_NDArrayBacked", "_new_Index", "_unpickle_timestamp",
                        "_unpickle_timedelta", "_new_DatetimeIndex", "_new_PeriodIndex", "_restore_array",
                        "type_for_alias", "py_buffer", "_reconstruct", "_frombuffer", "scalar",
                        "_unpickle_series_compat", "_reconstruct_chunked_array", "chunked_array"})
ON_DEMAND: Counter[str] = Counter()  # calls computed because no published figure matched (tests count them)
log = logging.getLogger(__name__)


def call_key(target: str, args: tuple, kwargs: dict) -> tuple:
    """The lookup key: ``module:qualname``, the arguments and the keyword arguments in name order."""
    return (target, tuple(args), tuple(sorted(kwargs.items())))


def target_of(fn: Callable[..., Any]) -> str:
    return f"{fn.__module__}:{fn.__qualname__}"


class _EngineUnpickler(pickle.Unpickler):
    """Builds classes of pandas, numpy, pyarrow, datetime and kpi, and their rebuild functions only."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "builtins":
            if name in SAFE_BUILTINS:
                return super().find_class(module, name)
        elif module.split(".")[0] in ALLOWED_ROOTS:
            found = super().find_class(module, name)
            where = set(str(getattr(found, "__module__", module)).split("."))
            kind_ok = dataclasses.is_dataclass(found) if module.startswith("kpi") else (
                isinstance(found, type) or name in REBUILDERS)  # kpi: plain records only
            if kind_ok and not where & REFUSED_PARTS and name not in REFUSED_NAMES:
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not an engine result type")


def loads(blob: bytes) -> Any:
    return _EngineUnpickler(io.BytesIO(blob)).load()


def write(folder: Path, results: dict[tuple, Any]) -> list[str]:
    """Write ``key → result`` into the version folder; returns the listing for the manifest.
    Each result is pickled on its own, so a lookup unpickles one entry and hands out a fresh copy
    (pages add columns to what they get)."""
    entries = {key: pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL) for key, value in results.items()}
    part = folder / f".{FILE}.part"  # a new file (never one hard-linked from an earlier version)
    part.write_bytes(pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(part, folder / FILE)
    return [FILE]


class Published:
    """The figures of one version, read on the first lookup (keys and pickled results only)."""

    def __init__(self, paths: list[Path]):
        self._paths, self._entries, self._lock = paths, None, threading.Lock()

    def entries(self) -> dict[tuple, bytes]:
        with self._lock:
            if self._entries is None:
                self._entries = {}
                for path in self._paths:
                    try:
                        self._entries.update(loads(path.read_bytes()))
                    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
                            TypeError, ValueError) as e:  # computed on demand instead
                        log.warning("published figures %s not read: %s", path, e)
            return self._entries

    def get(self, key: tuple) -> tuple[bool, Any]:
        try:
            blob = self.entries().get(key)
        except TypeError:  # an argument that cannot be a key (unhashable): never published
            return False, None
        if blob is None:
            return False, None
        try:
            return True, loads(blob)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError) as e:
            log.warning("published figure %s not read: %s", key[0], e)
            return False, None

    def __len__(self) -> int:
        return len(self.entries())


def serve(gw: Any, fn: Callable[..., Any], args: tuple = (), kwargs: dict | None = None) -> Any:
    """``fn(gw, *args, **kwargs)``: the published figure when the version holds one, else computed."""
    kwargs = kwargs or {}
    target = target_of(fn)
    found, value = gw.published.get(call_key(target, args, kwargs))
    if found:
        return value
    ON_DEMAND[target] += 1
    return fn(gw, *args, **kwargs)
