"""A span's boundaries by words: a selection in the text becomes them, or an edge moves a word at a time.

Character offsets stay available, folded away. Every way ends in one save of
:func:`components.annotations.corrections.set_bounds`, snapped to spaCy's tokens.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.annotations import corrections
from components.annotations.corrections import CorrectionError, CountryResolver
from components.annotations.token_bounds import Bounds, Edge, nudge, snap_to_tokens, token_offsets
from components.config import load_settings
from components.ui import state
from components.ui.cache import cached_pipeline
from components.ui.markdown import plain
from components.ui.session import ArticleSession, save_rows, set_message
from components.views.messages import shortened

NUDGES = (("start", -1, "←"), ("start", 1, "→"), ("end", -1, "←"), ("end", 1, "→"))


@st.cache_data(max_entries=16, show_spinner=False)
def article_tokens(text: str, model_name: str | None) -> list[Bounds]:
    """Return the offsets of the article's tokens as the model's tokenizer cuts them, once per text."""
    return token_offsets(cached_pipeline(model_name).tokenizer(text))


def _tokens(session: ArticleSession) -> list[Bounds]:
    return article_tokens(session.text, load_settings().spacy_model)


def _pending(session: ArticleSession) -> Bounds:
    return int(st.session_state[state.BOUNDARY_START]), int(st.session_state[state.BOUNDARY_END])


def _nudge(session: ArticleSession, edge: Edge, step: int) -> None:
    start, end = nudge(_tokens(session), _pending(session), edge, 1 if step > 0 else -1)
    st.session_state[state.BOUNDARY_START], st.session_state[state.BOUNDARY_END] = start, end


def _save(session: ArticleSession, span_id: str, bounds: Bounds, country_of: CountryResolver) -> bool:
    row = session.table[session.table["span_id"] == span_id].iloc[0]
    start, end = bounds
    return save_rows(
        session,
        lambda: corrections.set_bounds(session.table, session.text, span_id, start, end, country_of),
        f"“{shortened(row['text'])}” → “{shortened(session.text[start:end])}”",
    )


def _save_pending(session: ArticleSession, span_id: str, country_of: CountryResolver) -> None:
    _save(session, span_id, _pending(session), country_of)


def snapped_selection(session: ArticleSession) -> Bounds:
    """Return the reader's text selection grown to whole words (CorrectionError if it holds none)."""
    start, end = st.session_state[state.TEXT_SELECTION]
    return snap_to_tokens(_tokens(session), start, end)


def use_selection(session: ArticleSession, span_id: str, country_of: CountryResolver) -> None:
    """Make the reader's text selection, snapped to whole words, the picked span's boundaries."""
    try:
        bounds = snapped_selection(session)
    except CorrectionError as error:
        set_message("error", str(error))
        return
    if _save(session, span_id, bounds, country_of):
        st.session_state[state.TEXT_SELECTION] = None


def _draw_use_selection(session: ArticleSession, row: pd.Series, country_of: CountryResolver) -> None:
    # A selection while a span is picked is most often its right words: offer that first, here.
    try:
        start, end = snapped_selection(session)
    except CorrectionError as error:
        st.caption(plain(str(error)))
        return
    if (start, end) == (int(row["start"]), int(row["end"])):
        st.caption("The selection is this span's words already.")
        return
    st.button(
        f"Use these words for “{shortened(str(row['text']), 30)}”",
        key="use_selection",
        type="primary",
        on_click=use_selection,
        args=(session, str(row["span_id"]), country_of),
        disabled=session.read_only,
        help=f"The span becomes “{shortened(session.text[start:end], 60)}” (whole words).",
    )


def draw_boundary_tools(session: ArticleSession, row: pd.Series, country_of: CountryResolver) -> None:
    """Draw the picked span's boundaries: select words in the text, or move an edge a word at a time."""
    st.markdown("**Boundaries**")
    if st.session_state.get(state.TEXT_SELECTION):
        _draw_use_selection(session, row, country_of)
    else:
        st.caption("Select the right words in the text to use them, or move an edge a word at a time.")
    start, end = _pending(session)
    columns = st.columns([1, 1, 1, 1], vertical_alignment="center")
    for column, (edge, step, arrow) in zip(columns, NUDGES, strict=True):
        direction = "left" if step < 0 else "right"
        column.button(
            f"{'Start' if edge == 'start' else 'End'} {arrow}",
            key=f"nudge_{edge}_{direction}",
            on_click=_nudge,
            args=(session, edge, step),
            help=f"Move the {edge} of the span one word to the {direction}.",
            disabled=session.read_only,
            width="stretch",
        )
    changed = (start, end) != (int(row["start"]), int(row["end"]))
    preview = session.text[start:end] if start < end else ""
    if changed:
        st.caption(
            f"New text: “{plain(shortened(preview, 120))}”" if preview else "Start must come before end."
        )
    st.button(
        "Save boundaries",
        key="save_bounds",
        on_click=_save_pending,
        args=(session, str(row["span_id"]), country_of),
        disabled=session.read_only or not preview or not changed,
    )
    with st.expander("Character offsets"):
        low, high = st.columns(2)
        low.number_input("Start", min_value=0, max_value=len(session.text), step=1, key=state.BOUNDARY_START)
        high.number_input("End", min_value=0, max_value=len(session.text), step=1, key=state.BOUNDARY_END)
