"""Keyboard shortcuts on a picked span: a number picks a label, r rejects, u undoes, n goes to the next
span, Esc clears. The article component listens for the keys (never while the reader types in a
field) and hands them here; the key is applied at the top of the next run, before the page is drawn,
so every tool shows its effect in that same run."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from components.annotations import corrections
from components.annotations.schema import KIND_ENTITY
from components.annotations.table import active_spans
from components.nlp.countries import resolve_country
from components.ui import state
from components.ui.markdown import plain
from components.ui.session import ArticleSession, save_rows, set_message, undo_last
from components.views.labels import KEY_LABELS, label_name
from components.views.messages import shortened

SHORTCUTS = (
    ("r", "reject it"),
    ("u", "undo the last correction"),
    ("n", "go to the next span"),
    ("Esc", "clear the picked span and the selection"),
)
KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "r", "u", "n", "Escape")


def keep_key(key: str) -> None:
    """Keep a key the reader pressed on a picked span, applied at the top of the next run."""
    if key in KEYS:
        st.session_state[state.PENDING_KEY] = key


def next_span(table: pd.DataFrame, span_id: str) -> str | None:
    """Return the span shown in the text after ``span_id`` (by start, then the longer first), None at the end."""
    shown = active_spans(table).sort_values(["start", "end", "span_id"], ascending=[True, False, True])
    ids = shown["span_id"].astype(str).tolist()
    if span_id not in ids:
        return ids[0] if ids else None
    position = ids.index(span_id) + 1
    return ids[position] if position < len(ids) else None


def _apply(session: ArticleSession, key: str) -> bool:
    """Apply ``key`` to the picked span; True when it saved (the page must read the article again)."""
    span_id = st.session_state.get(state.SELECTED_SPAN)
    rows = session.table[session.table["span_id"] == span_id]
    if key == "Escape":
        st.session_state[state.SELECTED_SPAN] = None
        st.session_state[state.TEXT_SELECTION] = None
        return False
    if rows.empty or not session.can_correct:
        return False
    row = rows.iloc[0]
    if key == "n":
        st.session_state[state.SELECTED_SPAN] = next_span(session.table, str(span_id))
        return False
    if key == "u":
        undo_last(session)
        return True
    what = f"“{shortened(row['text'])}”"
    if key == "r":
        return save_rows(
            session, lambda: corrections.reject(session.table, session.text, span_id), f"rejected {what}"
        )
    if row["kind"] != KIND_ENTITY:
        set_message("info", f"{what} is a quote: a number key gives an entity its label.")
        return False
    label = KEY_LABELS[int(key) - 1]
    return save_rows(
        session,
        lambda: corrections.relabel(session.table, session.text, span_id, label, country_of=resolve_country),
        f"{what} → {label_name(label)}",
    )


def session_after_keys(open_article: Callable[[], ArticleSession]) -> ArticleSession:
    """Return the article opened by ``open_article``, after applying a key pressed since the last run."""
    session = open_article()
    key = st.session_state.pop(state.PENDING_KEY, None)
    if key and _apply(session, key):
        session = open_article()
    return session


def draw_shortcuts_help() -> None:
    """Draw the “Keyboard shortcuts” help: what each key does on a picked span."""
    with st.expander("Keyboard shortcuts", icon=":material/keyboard:"):
        st.caption("Click a span in the text (or pick one), then press a key while no field is in use.")
        labels = [
            (str(index), f"give the entity the label {plain(label_name(label))}")
            for index, label in enumerate(KEY_LABELS, 1)
        ]
        keys = [*labels, *SHORTCUTS]
        st.markdown(
            "| key | on the picked span |\n|---|---|\n"
            + "\n".join(f"| **{key}** | {does} |" for key, does in keys)
        )
