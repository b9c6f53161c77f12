"""The reading view: legend, label filter and the article with its spans highlighted."""

from __future__ import annotations

from functools import cache

import pandas as pd
import streamlit as st

from components.annotations import active_spans
from components.config import PROJECT_ROOT
from components.render import render_article, render_legend, view_spans
from components.ui import state

STYLESHEET = PROJECT_ROOT / "assets" / "styles" / "reading.css"


@cache
def _stylesheet() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def inject_styles() -> None:
    """Add the reading view's stylesheet (our own file, no article text) to the page."""
    st.html(f"<style>{_stylesheet()}</style>")


def label_counts(table: pd.DataFrame) -> dict[str, int]:
    """Return how many active spans each label has, most frequent first."""
    counts = active_spans(table)["label"].value_counts()
    return {str(label): int(count) for label, count in counts.items()}


def draw_reading_view(text: str, table: pd.DataFrame) -> None:
    """Draw the legend, the label filter and the highlighted article."""
    counts = label_counts(table)
    st.html(render_legend(counts))
    visible = st.pills(
        "Show labels",
        list(counts),
        selection_mode="multi",
        default=list(counts),
        key=state.LABEL_FILTER,
        format_func=lambda label: f"{label} ({counts.get(label, 0)})",
    )
    st.html(render_article(text, view_spans(table, visible_labels=visible)))
