"""The span table beside the text: every span as the CSV holds it, editable where a reader may correct."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.annotations import corrections
from components.annotations.corrections import CountryResolver
from components.annotations.schema import QUOTE_LABEL, STATUSES
from components.ui import state
from components.ui.editor import label_options
from components.ui.session import ArticleSession, save_rows
from components.views.labels import label_name
from components.views.messages import shortened

SHOWN_COLUMNS = [
    "text",
    "label",
    "speaker",
    "confidence",
    "attribution",
    "country",
    "status",
    "kind",
    "start",
    "end",
    "source",
]
EDITABLE_COLUMNS = corrections.EDITABLE_FIELDS


def editor_key() -> str:
    """Return the table editor's widget key; a new key after each save drops the saved edits."""
    return f"{state.TABLE_EDITOR}_{st.session_state[state.EDITOR_GENERATION]}"


def _save_table_edits(session: ArticleSession, shown: pd.DataFrame, country_of: CountryResolver) -> None:
    edits = st.session_state[editor_key()].get("edited_rows", {})

    def rows() -> pd.DataFrame:
        parts = [
            corrections.edit_fields(
                session.table, str(shown.iloc[int(index)]["span_id"]), changes, country_of
            )
            for index, changes in edits.items()
        ]
        return pd.concat(parts, ignore_index=True) if parts else session.table.iloc[0:0]

    # The spans by their text, as the reader sees them in the table's first column.
    named = ", ".join(f"“{shortened(str(shown.iloc[int(index)]['text']), 30)}”" for index in edits)
    save_rows(session, rows, f"{named} edited in the table")


def draw_span_table(session: ArticleSession, country_of: CountryResolver) -> None:
    """Draw every span of the article as an editable table: label, speaker, country and status."""
    shown = session.table.reset_index(drop=True)
    editing = (
        "Edit a label, speaker, country or status; each edit is saved at once." if session.can_correct else ""
    )
    st.caption(f"{len(shown)} spans. {editing}")
    st.data_editor(
        shown[["span_id", *SHOWN_COLUMNS]],
        key=editor_key(),
        hide_index=True,
        height=460,
        disabled=not session.can_correct
        or [c for c in ["span_id", *SHOWN_COLUMNS] if c not in EDITABLE_COLUMNS],
        column_order=SHOWN_COLUMNS,
        column_config={
            "label": st.column_config.SelectboxColumn(
                "label", options=[*label_options(session), QUOTE_LABEL], format_func=label_name
            ),
            "status": st.column_config.SelectboxColumn("status", options=list(STATUSES), required=True),
            "speaker": st.column_config.TextColumn("speaker", help="Only quotes have speakers"),
            "country": st.column_config.TextColumn(
                "country", help="ISO 3166-1 alpha-3, e.g. SYR", max_chars=3
            ),
            "text": st.column_config.TextColumn("text", width="medium"),
        },
        on_change=_save_table_edits,
        args=(session, shown, country_of),
    )
