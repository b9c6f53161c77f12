"""The span table beside the text: every span of the article, as the CSV holds it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

SHOWN_COLUMNS = ["text", "label", "kind", "speaker", "country", "start", "end", "source", "status"]


def draw_span_table(table: pd.DataFrame) -> None:
    """Draw a read-only table of the article's spans in reading order."""
    st.subheader("Spans")
    st.caption(f"{len(table)} spans; offsets are character positions in the article.")
    st.dataframe(table[SHOWN_COLUMNS], hide_index=True, height=520)
