"""“Check the unsure speakers”: a one-click walk through the quotes whose speaker the model is unsure
of, each opened in the correction tools, with previous / next and where the walk stands (“3 of 7”)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.ui import state
from components.ui.markdown import plain
from components.ui.session import ArticleSession
from components.views.messages import shortened
from components.views.unsure import unsure_quotes, unsure_reason, walk_position


def _open(span_id: str | None, start: int = 0) -> None:
    st.session_state[state.UNSURE_WALK] = span_id
    st.session_state[state.UNSURE_WALK_START] = start
    st.session_state[state.SELECTED_SPAN] = span_id
    if span_id is not None:
        st.session_state[state.SIDE_TABS] = state.CORRECT_TAB


def _walk(session: ArticleSession) -> tuple[pd.DataFrame, list[str], list[int]]:
    """Return the unsure quotes in reading order, with their span ids and starts."""
    return _unsure_walk(session.table_key, session.table)


@st.cache_data(max_entries=32, show_spinner=False)
def _unsure_walk(table_key: str, _table: pd.DataFrame) -> tuple[pd.DataFrame, list[str], list[int]]:
    # Once per state of the table (``table_key`` names it), not on every run: 2.5 ms of pandas.
    unsure = unsure_quotes(_table)
    return unsure, unsure["span_id"].astype(str).tolist(), unsure["start"].astype(int).tolist()


def follow_unsure_walk(session: ArticleSession) -> None:
    """When the quote the walk stands at was fixed (it is sure now), open the next unsure one.

    Called before anything is drawn, so the text marks and the tools show the same quote.
    """
    current = st.session_state.get(state.UNSURE_WALK)
    if current is None:
        return
    _, ids, starts = _walk(session)
    if ids and current not in ids:
        position = walk_position(ids, starts, current, int(st.session_state.get(state.UNSURE_WALK_START, 0)))
        _open(ids[position], starts[position])


def draw_unsure_walk(session: ArticleSession) -> None:
    """Draw the button that starts the walk, or, during it, where it stands with previous / next."""
    unsure, ids, starts = _walk(session)
    current = st.session_state.get(state.UNSURE_WALK)
    if current is None:
        if ids:
            st.button(
                f"Check the unsure speakers ({len(ids)})",
                key=state.UNSURE_WALK_BUTTON,
                on_click=_open,
                args=(ids[0], starts[0]),
                icon=":material/help:",
                help="Walk through the quotes whose speaker the model is unsure of, one at a time.",
            )
        return
    if not ids:
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.success("Every unsure speaker is checked.")
        right.button("Done", key="unsure_walk_stop", on_click=_open, args=(None,), width="stretch")
        return
    position = walk_position(ids, starts, current, int(st.session_state.get(state.UNSURE_WALK_START, 0)))
    row = unsure.iloc[position]
    who = row["speaker"] or "speaker unknown"
    st.info(
        f"**Unsure speaker {position + 1} of {len(ids)}**: {plain(who)} for “{plain(shortened(row['text'], 60))}”. "
        f"{plain(unsure_reason(row['attribution'], row['confidence']))}",
        icon=":material/help:",
    )
    previous, following, stop = st.columns(3)
    back, ahead = (position - 1) % len(ids), (position + 1) % len(ids)
    previous.button(
        "← Previous",
        key="unsure_walk_previous",
        on_click=_open,
        args=(ids[back], starts[back]),
        width="stretch",
    )
    following.button(
        "Next →", key="unsure_walk_next", on_click=_open, args=(ids[ahead], starts[ahead]), width="stretch"
    )
    stop.button("Stop", key="unsure_walk_stop", on_click=_open, args=(None,), width="stretch")
