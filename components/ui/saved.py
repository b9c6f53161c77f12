"""What is saved: the article's corrections, the edit history, undo, and the downloads."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from spacy.language import Language

from components.annotations.exports import history_to_csv_bytes, to_csv_bytes, to_docbin_bytes, to_jsonl_bytes
from components.annotations.schema import SOURCE_HUMAN
from components.config import PROJECT_ROOT
from components.ui import state
from components.ui.markdown import plain
from components.ui.session import ArticleSession, undo_last


def draw_saved_status(session: ArticleSession) -> None:
    """Draw where the corrections are saved, how many there are, and the undo button."""
    corrections = int((session.table["source"] == SOURCE_HUMAN).sum())
    path = session.store.csv_path(session.article_id)
    if session.read_only:
        st.error(plain(session.file_problem or ""))
        st.caption(
            "The file is left exactly as it is. Fix or move it, then reload the page to correct again."
        )
        return
    where = f"in `{_shown_path(path)}`" if corrections else "nothing saved yet"
    st.caption(f"{corrections} correction(s) saved · {where}")
    st.button(
        "Undo last correction",
        key=state.UNDO_BUTTON,
        on_click=undo_last,
        args=(session,),
        disabled=not session.store.can_undo(session.article_id),
        icon=":material/undo:",
    )


def _shown_path(path: Path) -> str:
    # The project-relative path is what a reader can find; an absolute one elsewhere is kept whole.
    try:
        return str(path.relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def draw_history(session: ArticleSession) -> None:
    """Draw the edit history of the article, newest first, with its download."""
    history = session.store.history(session.article_id)
    if history.empty:
        st.caption("No corrections yet.")
        return
    st.dataframe(history.iloc[::-1], hide_index=True, height=300)
    st.download_button(
        "Download edit log",
        history_to_csv_bytes(history),
        file_name=f"{session.article_id}-edits.csv",
        mime="text/csv",
        key="download_history",
    )


def draw_downloads(session: ArticleSession, nlp: Language) -> None:
    """Draw the three downloads of the current annotations, model and human, status included."""
    article = [(session.article_id, session.text, session.table)]
    row = st.container(horizontal=True, key="downloads")
    row.download_button(
        "Download CSV",
        lambda: to_csv_bytes(session.table),
        file_name=f"{session.article_id}.csv",
        mime="text/csv",
        key="download_csv",
    )
    row.download_button(
        "Download JSONL",
        lambda: to_jsonl_bytes(article, nlp),
        file_name=f"{session.article_id}.jsonl",
        mime="application/jsonl",
        key="download_jsonl",
    )
    row.download_button(
        "Download .spacy",
        lambda: to_docbin_bytes(article, nlp),
        file_name=f"{session.article_id}.spacy",
        mime="application/octet-stream",
        key="download_spacy",
    )
