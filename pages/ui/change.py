"""The reconciliation of a total between two snapshots, as every page shows it: the net change as
the headline difference, the parts in words and a waterfall (plotly go.Waterfall) with its text."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from kpi.metrics.headline import change_steps, change_words
from kpi.reference.fields import CHANGE_PART_SHORT
from pages.ui.render import chart

WORDS = {"views": "瀏覽", "downloads": "下載"}


def delta(change: dict[str, Any] | None) -> str | None:
    """st.metric's delta: the net change a reader computes from the two totals."""
    if change is None:
        return None
    return f"{change['net']:+,} 淨變化"  # the sign first: st.metric colours by it; the dates are in the caption


def waterfall(change: dict[str, Any] | None, measure: str, where: str, key: tuple, target=st) -> None:
    """Before → rises − falls ± recount + new − removed → after, one bar per part."""
    if change is None:
        target.caption(f"{where}：比較基準日的快照未涵蓋，無法列出{WORDS[measure]}量的變化。")
        return
    steps = change_steps(change)
    data = pd.DataFrame({"part": [CHANGE_PART_SHORT[p] for p, _, _ in steps],
                         "amount": [v for _, v, _ in steps]})

    def build() -> go.Figure:
        fig = go.Figure(go.Waterfall(
            x=data["part"], y=data["amount"], measure=[m for _, _, m in steps],
            text=[f"{v:+,}" if m == "relative" else f"{v:,}" for _, v, m in steps], textposition="outside",
            connector={"line": {"color": "#999"}}, increasing={"marker": {"color": "#2e7d32"}},
            decreasing={"marker": {"color": "#c62828"}}, totals={"marker": {"color": "#2f5496"}}))
        fig.update_layout(title=f"{where}累計{WORDS[measure]}量的變化", showlegend=False, height=380,
                          yaxis={"title": f"累計{WORDS[measure]}量"}, margin={"t": 60})
        return fig

    chart(build, data.rename(columns={"part": "項目", "amount": "數量"}),
          f"{where}累計{WORDS[measure]}量 {change['before']:,} → {change['after']:,}：{change_words(change)}",
          target=target, key=("change.waterfall", measure, where, *key))
