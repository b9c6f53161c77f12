"""One article as the page works on it: its text, the model's table, the saved corrections, merged.

Callbacks receive this object, built at render time, so a save uses the version of the corrections
that the reader was looking at: if someone else saved meanwhile, the store can tell.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components.access.roles import Action, user_now
from components.annotations.corrections import CorrectionError
from components.annotations.store import AnnotationFileError, AnnotationStore, StoreError
from components.annotations.store_errors import ConflictError
from components.annotations.table import table_fingerprint
from components.ui import state
from components.ui.cache import load_corrections, merged_table
from components.ui.reader_clock import reader_zone_name
from components.views.messages import conflict_message


@dataclass(frozen=True)
class ArticleSession:
    article_id: str
    text: str
    model_table: pd.DataFrame
    table: pd.DataFrame  # the model's rows with the saved corrections on top
    version: str | None
    store: AnnotationStore
    entity_labels: tuple[str, ...]  # the model's labels, offered first when relabelling
    table_key: str  # names ``table``'s contents, for the caches of what is made from it (charts)
    file_problem: str | None = None  # the correction file cannot be read: the page is read-only

    @property
    def read_only(self) -> bool:
        return self.file_problem is not None

    @property
    def can_correct(self) -> bool:
        """Return whether the correction tools are drawn: the file is usable and the user's role may correct."""
        return not self.read_only and user_now(self.store.user).may(Action.CORRECT)


def open_session(
    store: AnnotationStore,
    article_id: str,
    text: str,
    model_table: pd.DataFrame,
    entity_labels: tuple[str, ...],
) -> ArticleSession:
    """Return the article with its saved corrections; a broken correction file makes it read-only."""
    model_key = table_fingerprint(model_table)
    try:
        corrections = load_corrections(store, article_id, text)
    except AnnotationFileError as error:
        return ArticleSession(
            article_id,
            text,
            model_table,
            model_table,
            None,
            store,
            entity_labels,
            _table_key(model_key, text, "unreadable"),
            file_problem=str(error),
        )
    # The merge is a function of the model's table, the text and the correction file (its version).
    key = _table_key(model_key, text, corrections.version or "")
    # No corrections: the model's table as it is (merging with an empty table built one for nothing, 6 ms).
    table = merged_table(key, model_table, corrections.rows) if len(corrections.rows) else model_table.copy()
    return ArticleSession(
        article_id, text, model_table, table, corrections.version, store, entity_labels, key
    )


def _table_key(model_key: str, text: str, version: str) -> str:
    return hashlib.blake2b(
        "\x1f".join((model_key, text, version)).encode("utf-8", "surrogatepass"), digest_size=16
    ).hexdigest()


def set_message(kind: str, text: str) -> None:
    """Keep a message for the reader, shown once at the top of the corrections panel."""
    st.session_state[state.SAVE_MESSAGE] = (kind, text)


def save_rows(session: ArticleSession, make_rows, what: str, action: Action = Action.CORRECT) -> bool:
    """Save the rows that ``make_rows()`` returns, and tell the reader what happened; True when saved.

    ``action`` is what the save does, for the store's role check (``Action.IMPORT`` for a file's rows).
    """
    if session.read_only:
        set_message(
            "error", "Corrections are switched off for this article: its correction file cannot be read."
        )
        return False
    try:
        rows = make_rows()
        result = session.store.save(
            session.article_id,
            session.text,
            rows,
            base_version=session.version,
            annotator=st.session_state.get(state.ANNOTATOR, ""),
            model_rows=session.model_table,
            action=action,
        )
    except ConflictError as error:
        set_message("error", _conflict_text(session, error))
        return False
    except (CorrectionError, StoreError, ValueError) as error:
        set_message("error", str(error))
        return False
    if not result.changed_span_ids:
        set_message("info", f"Nothing to save: {what} was already so.")
        return True
    count = len(result.changed_span_ids)
    text = f"Saved: {what} ({count} span{'s' if count != 1 else ''})."
    if result.merged_span_ids:
        text += f" Kept {len(result.merged_span_ids)} correction(s) another reader saved meanwhile."
    set_message("success", text)
    st.session_state[state.EDITOR_GENERATION] += 1
    return True


def _conflict_text(session: ArticleSession, error: ConflictError) -> str:
    # The store knows span ids and UTC; the reader knows the words and their own clock.
    if not error.clashes:
        return str(error)
    texts = dict(zip(session.table["span_id"], session.table["text"], strict=True))
    return conflict_message(error.clashes, texts, reader_zone_name())


def undo_last(session: ArticleSession) -> None:
    """Revert the article's last saved change, and tell the reader."""
    undo_change(session, None)


def undo_change(session: ArticleSession, change_id: str | None) -> None:
    """Revert one saved change (``change_id``; None: the last), and tell the reader."""
    try:
        result = session.store.undo(
            session.article_id,
            session.text,
            session.version,
            annotator=st.session_state.get(state.ANNOTATOR, ""),
            change_id=change_id,
        )
    except StoreError as error:
        set_message("error", str(error))
        return
    if result.changed_span_ids:
        which = "the last change" if change_id is None else "that change"
        set_message("success", f"Undone: {which} ({len(result.changed_span_ids)} span(s)).")
        st.session_state[state.EDITOR_GENERATION] += 1
    else:
        set_message("info", "Nothing to undo.")
