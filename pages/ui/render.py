"""Drawing helpers: column labels and formats from kpi.reference.fields, data text shown as typed.

Every table a person sees goes through ``table``: dates in 民國 form (kpi.reference.dates.roc_frame), a
missing value shown as 「—」 (never None/nan/NaT), an empty result stated in words, the dataset
name pinned so that it stays on screen when a wide table scrolls sideways (1366×768).
"""

from __future__ import annotations

import html
import re

import pandas as pd
import streamlit as st

from kpi.metrics.definitions import show
from kpi.reference.dates import is_date_column, roc, roc_frame, roc_ticks
from kpi.reference.fields import FIELDS, PAGE_LABELS
from pages.ui import figures
from pages.ui.data import data_version

_FORMATS = {"count": "localized", "change": "localized", "ratio": "percent", "score": "%.2f", "days": "%d"}
# Columns that stay on screen when a table scrolls sideways, and their width in pixels.
PINNED = {"rank": 64, "dataset_name": 320}
MISSING = "—"
NO_ROWS = "（無資料）"
# Shown only when some row has a value (附件二 or a catalogue gives 服務分類 to few datasets).
OPTIONAL = ("service_category",)


def label(col: str) -> str:
    """The header a page shows: kpi.reference.fields, with the page-only wording (名次) where it differs."""
    return PAGE_LABELS.get(col) or (FIELDS[col].label if col in FIELDS else col)


def column_config(columns: list[str]) -> dict:
    """Streamlit column labels, formats and tooltips from kpi.reference.fields (one place for labels)."""
    config = {}
    for col in columns:
        field = FIELDS.get(col)
        if field is None:
            continue
        extra = {"pinned": True, "width": PINNED[col]} if col in PINNED else {}
        if field.unit in _FORMATS:
            config[col] = st.column_config.NumberColumn(label(col), help=field.help or None,
                                                        format=_FORMATS[field.unit], **extra)
        else:
            config[col] = st.column_config.TextColumn(label(col), help=field.help or None, **extra)
    return config


def _blank(values: pd.Series) -> bool:
    return bool(values.map(lambda v: v is None or v is pd.NA or v != v or str(v).strip() == "").all())


def display_frame(frame: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """What a table shows, before labels: the chosen columns, dates as 民國 text, optional columns
    left out when no row has a value."""
    columns = [c for c in (columns or list(frame.columns))
               if not (c in OPTIONAL and _blank(frame[c]))]
    out = roc_frame(frame[columns])
    for col in out.columns:  # floats to 4 places (a ratio to 0.01 %; a score to its 2), not 16 digits
        if pd.api.types.is_float_dtype(out[col]):
            field = FIELDS.get(col)
            out[col] = out[col].round(2 if field is not None and field.unit == "score" else 4)
    return out


def table(frame: pd.DataFrame, columns: list[str] | None = None, *, config: dict | None = None,
          **kwargs) -> None:
    """st.dataframe with zh-TW column names, formats and help from kpi.reference.fields.

    The frame handed to Streamlit carries the labels themselves, so what a test or a copy-paste
    reads is what a committee member sees. No rows → 「（無資料）」, not an empty grid.
    ``config`` overrides a column's settings by its name (e.g. a CheckboxColumn for a flag); the
    label, help and pinning stay those from kpi.reference.fields unless the override gives its own.
    """
    if frame.empty:
        st.caption(NO_ROWS)
        return
    shown = display_frame(frame, columns)
    settings = column_config(list(shown.columns))
    for col, override in (config or {}).items():  # what the override leaves unset stays as is
        settings[col] = dict(settings.get(col, {"label": label(col)})) | {
            k: v for k, v in dict(override).items() if v is not None}
    names = {c: label(c) for c in shown.columns}
    kwargs.setdefault("placeholder", MISSING)
    st.dataframe(shown.rename(columns=names), hide_index=True,
                 column_config={names.get(c, c): v for c, v in settings.items()}, **kwargs)


def _roc_axes(fig) -> None:
    """Date axes in 民國 form: ticks (kpi.reference.dates.roc_ticks) and the date in each hover label."""
    dated = [t for t in fig.data if getattr(t, "x", None) is not None and len(t.x)
             and is_date_column(pd.Series(list(t.x)))]
    if not dated:
        return
    ticks = roc_ticks([x for t in dated for x in t.x])
    fig.update_xaxes(tickmode="array", **ticks)
    for trace in dated:
        days = [roc(x) for x in trace.x]
        if trace.customdata is None:
            trace.customdata, at = [[d] for d in days], 0
        else:
            rows = [list(r) if isinstance(r, (list, tuple)) or hasattr(r, "tolist") else [r]
                    for r in trace.customdata]
            at = len(rows[0])
            trace.customdata = [[*r, d] for r, d in zip(rows, days, strict=True)]
        shown = f"%{{customdata[{at}]}}"
        template = trace.hovertemplate or f"%{{x}}<br>%{{y}}<extra>{trace.name or ''}</extra>"
        trace.hovertemplate = template.replace("%{x}", shown)


def _finish(fig) -> None:
    _roc_axes(fig)
    for axis in (fig.layout.xaxis, fig.layout.yaxis):  # 2,500,000 rather than Plotly's 2.5M
        if not axis.tickformat:
            axis.tickformat = ","


def chart(fig, data: pd.DataFrame, summary: str, target=st, key: tuple | None = None,
          events: list | None = None) -> None:
    """A Plotly chart with its text alternative (WCAG 1.1.1): a one-line summary read by screen
    readers and everyone else, and the chart's numbers as a table one click away.

    With ``key`` (what decides the figure: chart id, scope, filter choices), ``fig`` is a builder
    called once per data version and key (pages/ui/figures.py); without, a figure made this run.
    ``events`` (kpi.cycle.events) are marked on the date axis and named in the summary.
    """
    if events:
        summary = f"{summary}。標示事件：" + "；".join(e.text() for e in events)

    def finish(figure) -> None:
        _finish(figure)
        _mark(figure, events or [])

    if key is None:
        finish(fig)
    else:
        fig = figures.figure(data_version(), key, fig, finish)
    target.plotly_chart(fig, width="stretch")
    caption(summary, target)  # data names inside: shown as typed, never as Markdown
    with target.expander("圖表資料（文字版）"):
        table(data)


def _mark(fig, events: list) -> None:
    """A dotted vertical line per event, its name (escaped: data text) written along it."""
    for e in events:
        day = pd.Timestamp(e.on)
        fig.add_shape(type="line", x0=day, x1=day, xref="x", y0=0, y1=1, yref="paper",
                      line={"dash": "dot", "width": 1, "color": "#888888"})
        fig.add_annotation(x=day, y=1, yref="paper", text=html.escape(e.text()), showarrow=False,
                           textangle=-90, xanchor="right", yanchor="top", font={"size": 10, "color": "#555555"})


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def plain(text: str) -> str:
    """Text from files and data shown in st.error/st.success (which render Markdown) as is:
    Markdown, LaTeX ($), colour directives (:red[…]) and entities (&amp;) escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def caption(text: str, target=st) -> None:
    """A caption holding data text exactly as typed. Backslashes (plain) stop Markdown, LaTeX,
    directives and shortcodes, but GFM still turns a URL in a name into a link after parsing; an
    HTML block is never read as Markdown at all, so the escaped text is shown character for
    character and nothing in it becomes a link (tests/browser/test_data_text.py reads the DOM)."""
    body = html.escape(str(text)).replace("\r", "").replace("\n", "<br>")
    target.caption(f"<div>{body}</div>", unsafe_allow_html=True)


def chart_text(series: pd.Series) -> pd.Series:
    """Plotly reads <b>, <a href> … in labels; data names are escaped so they show as typed."""
    return series.astype(str).map(html.escape)


__all__ = ["caption", "chart", "chart_text", "column_config", "display_frame", "label", "plain", "show", "table"]
