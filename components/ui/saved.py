"""What is saved: the article's corrections, the edit history, undo, and the downloads."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st
from spacy.language import Language

from components.annotations.exports import history_to_csv_bytes, to_csv_bytes, to_docbin_bytes, to_jsonl_bytes
from components.annotations.store import edit_status
from components.annotations.xlsx_export import to_xlsx_bytes
from components.config import PROJECT_ROOT
from components.corpus.model_cache import pipeline_identity
from components.ui import dialogs, state
from components.ui.downloads import XLSX_LABEL, XLSX_MIME, DownloadFile, download_button
from components.ui.markdown import plain
from components.ui.reader_clock import time_for_reader
from components.ui.session import ArticleSession, undo_change, undo_last
from components.views.history import LabelName, change_line
from components.views.labels import label_name

# The newest changes get a line each; a long history's older ones are in the edit log download.
HISTORY_SHOWN = 40


def draw_saved_status(session: ArticleSession) -> None:
    """Draw where the corrections are saved, how many there are, and the undo button."""
    path = session.store.csv_path(session.article_id)
    if session.read_only:
        st.error(plain(session.file_problem or ""))
        st.caption(
            "The file is left exactly as it is. Fix or move it, then reload the page to correct again."
        )
        return
    # The reader's edits, not spans: "every Aleppo → Place" is one edit of ten spans.
    corrections, may_undo = edit_status(session.store, session.article_id)
    where = f"in `{_shown_path(path)}`" if corrections else "nothing saved yet"
    edits = f"{corrections} correction{'s' if corrections != 1 else ''}"
    st.caption(f"{edits} saved · {where}")
    if not session.can_correct:
        return
    st.button(
        "Undo last correction",
        key=state.UNDO_BUTTON,
        on_click=undo_last,
        args=(session,),
        disabled=not may_undo,
        icon=":material/undo:",
    )


def _shown_path(path: Path) -> str:
    # The project-relative path is what a reader can find; an absolute one elsewhere is kept whole.
    try:
        return str(path.relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def draw_history(session: ArticleSession, label_name: LabelName = label_name) -> None:
    """Draw the article's changes, newest first, one line each with its Undo, and the edit log download."""
    items = session.store.changes(session.article_id)
    if not items:
        st.caption("No corrections yet.")
        return
    may_undo = session.can_correct
    changes = st.container(key="history_list")
    for item in items[:HISTORY_SHOWN]:
        when = time_for_reader(item.time)
        line, button = changes.columns([3, 1], vertical_alignment="center")
        # st.text, not markdown: markdown links a bare e-mail address even with every character escaped.
        line.text(change_line(item, label_name, when.clock), help=f"{item.time} UTC, {when.relative}")
        if may_undo and item.action == "save":
            button.button(
                "Undo",
                key=f"{state.UNDO_CHANGE_PREFIX}{item.change_id}",
                on_click=undo_change,
                args=(session, item.change_id),
                disabled=item.why_not_undo is not None,
                help=item.why_not_undo or "Undo this change only; later changes to other spans stay.",
            )
    if len(items) > HISTORY_SHOWN:
        st.caption(f"… and {len(items) - HISTORY_SHOWN} earlier change(s): every one is in the edit log.")
    history = session.store.history(session.article_id)
    with st.expander("Every field changed (table)"):
        shown = ["time", "annotator", "action", "field", "old", "new", "span_id"]
        st.dataframe(history.iloc[::-1], hide_index=True, height=300, column_order=shown)
    edits = DownloadFile.of(
        history_to_csv_bytes(history, bom=True), f"{session.article_id}-edits.csv", "text/csv"
    )
    download_button(st.container(), "Download edit log", edits, "download_history")


@st.cache_data(max_entries=16, show_spinner=False)
def _article_files(
    article_id: str, text: str, table: pd.DataFrame, model: str, _nlp: Language
) -> list[DownloadFile]:
    """Return the article's downloads, made once per state of its table (``model`` names the tokenizer)."""
    article = [(article_id, text, table)]
    return [
        DownloadFile.of(to_csv_bytes(table, bom=True), f"{article_id}.csv", "text/csv"),
        DownloadFile.of(to_jsonl_bytes(article, _nlp), f"{article_id}.jsonl", "application/jsonl"),
        DownloadFile.of(to_docbin_bytes(article, _nlp), f"{article_id}.spacy", "application/octet-stream"),
        DownloadFile.of(to_xlsx_bytes(table), f"{article_id}.xlsx", XLSX_MIME),
    ]


# Each download: its button, its key, and what it is for. In the order of ``_article_files``.
DOWNLOADS = (
    (
        "Download CSV",
        "download_csv",
        "Every span, the model's and yours, with its label, speaker, country and status.",
    ),
    (
        "Download JSONL",
        "download_jsonl",
        "Spans by character offset, one task per article: Prodigy and spaCy read it.",
    ),
    ("Download .spacy", "download_spacy", "A spaCy DocBin of the entities, to train or evaluate a model."),
    (XLSX_LABEL, "download_xlsx", "The CSV's table for spreadsheets: every cell is text, never a formula."),
)


@st.dialog("Download the annotations", width="medium", on_dismiss="rerun")
def _downloads_dialog(session: ArticleSession, nlp: Language) -> None:
    st.caption("The article as it stands now: the model's spans with every correction applied.")
    files = _article_files(session.article_id, session.text, session.table, pipeline_identity(nlp), nlp)
    for (label, key, what), file in zip(DOWNLOADS, files, strict=True):
        button, caption = st.columns([2, 3], vertical_alignment="center")
        download_button(button, label, file, key)
        caption.caption(what)


def draw_downloads(session: ArticleSession, nlp: Language) -> None:
    """Draw the button that offers the downloads of the current annotations, model and human, status included.

    The files are made when the reader asks for them (in a dialog), not on every page load and save:
    a save on a 5,000-word article made all four again, 0.27 s, for downloads nobody had asked for.
    """
    dialogs.button_opens(
        _downloads_dialog,
        (session, nlp),
        "Download the annotations…",
        key=state.DOWNLOADS_BUTTON,
        icon=":material/download:",
    )
