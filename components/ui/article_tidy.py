"""Rename, delete and restore uploaded or pasted articles: an editor's tools in the sidebar and the desk.

The library checks the role itself (``ArticleLibrary.rename``/``delete``/``restore``); these tools are
drawn only for editors so that nobody is offered what they may not do.
"""

from __future__ import annotations

import streamlit as st

from components.access.roles import Action, user_now
from components.corpus.articles import ArticleError, ArticleLibrary
from components.corpus.removed_articles import REMOVED_DIR
from components.ui import state
from components.ui.markdown import plain
from components.ui.reader_clock import time_for_reader


def _say(kind: str, text: str) -> None:
    st.session_state[state.INPUT_MESSAGE] = (kind, text)


def show_input_message(only: str | None = None) -> None:
    """Show (once) what the last upload, paste, rename, delete or restore did; with ``only``, just that kind."""
    message = st.session_state.get(state.INPUT_MESSAGE)
    if not message or only not in (None, message[0]):
        return
    kind, text = message
    {"error": st.error, "warning": st.warning}.get(kind, st.success)(plain(text))
    st.session_state[state.INPUT_MESSAGE] = None


def _rename(library: ArticleLibrary, article_id: str) -> None:
    try:
        title = library.rename(article_id, st.session_state.get(state.RENAME_TITLE, ""))
    except ArticleError as error:
        _say("error", str(error))
        return
    _say("success", f"Renamed: “{title}”. Its address and corrections are unchanged.")


def _ask_to_delete(article_id: str) -> None:
    st.session_state[state.DELETE_PENDING] = article_id


def _cancel_delete() -> None:
    st.session_state[state.DELETE_PENDING] = None


def _delete(library: ArticleLibrary, article_id: str, title: str) -> None:
    st.session_state[state.DELETE_PENDING] = None
    try:
        library.delete(article_id)
    except ArticleError as error:
        _say("error", str(error))
        return
    st.query_params.pop(state.ARTICLE_PARAM, None)
    st.session_state.pop(state.ARTICLE_PICKER, None)
    _say(
        "success",
        f"Removed “{title}”. Its corrections and edit log are kept with it in the folder of removed "
        "articles; restore it under Removed articles, here or on the desk.",
    )


def _restore(library: ArticleLibrary, article_id: str) -> None:
    try:
        library.restore(article_id)
    except ArticleError as error:
        _say("error", str(error))
        return
    st.query_params[state.ARTICLE_PARAM] = article_id
    st.session_state[state.ARTICLE_PICKER] = article_id
    _say("success", f"Restored “{library.title(article_id)}”, with its corrections.")


def is_added(library: ArticleLibrary, article_id: str) -> bool:
    """Return whether the article was uploaded or pasted (the articles folder is never changed)."""
    path = library.paths().get(article_id)
    return path is not None and path.parent == library.uploads_dir


def draw_article_tools(library: ArticleLibrary, article_id: str) -> None:
    """Draw Rename and Delete for the open article, when it was added and the user is an editor."""
    user = user_now(library.user)
    if not is_added(library, article_id) or not user.may(Action.RENAME_ARTICLE):
        return
    title = library.title(article_id)
    with st.expander("Rename or delete this article", icon=":material/edit:"):
        if st.session_state.get(state.RENAME_FOR) != article_id:
            st.session_state[state.RENAME_FOR] = article_id
            st.session_state[state.RENAME_TITLE] = title
        st.text_input("Title", key=state.RENAME_TITLE, max_chars=200)
        st.button("Rename", key=state.RENAME_BUTTON, on_click=_rename, args=(library, article_id))
        if not user.may(Action.DELETE_ARTICLE):
            return
        if st.session_state.get(state.DELETE_PENDING) != article_id:
            st.button("Delete…", key=state.DELETE_BUTTON, on_click=_ask_to_delete, args=(article_id,))
            return
        st.warning(
            plain(
                f"Delete “{title}”? It leaves the list of articles. Its corrections and edit log are "
                f"not lost: they are kept with it in the folder of removed articles "
                f"({REMOVED_DIR}/ in the annotations folder), and Restore brings it all back."
            )
        )
        row = st.container(horizontal=True)
        row.button(
            "Delete",
            key=state.DELETE_CONFIRM,
            type="primary",
            on_click=_delete,
            args=(library, article_id, title),
        )
        row.button("Cancel", key=state.DELETE_CANCEL, on_click=_cancel_delete)


def draw_removed_articles(library: ArticleLibrary, where: str) -> None:
    """Draw the removed articles with a Restore each, for editors; ``where`` keeps the keys apart."""
    if not user_now(library.user).may(Action.DELETE_ARTICLE):
        return
    if where == "desk":  # the reading page's sidebar says it there; the desk has no such sidebar
        show_input_message()
    removed = library.removed()
    if not removed:
        return
    with st.expander(f"Removed articles ({len(removed)})", icon=":material/delete:"):
        for article in removed:
            when = time_for_reader(article.removed_at)
            kept = "with its corrections" if article.corrections else "no corrections"
            line, button = st.columns([3, 1], vertical_alignment="center")
            line.markdown(plain(f"{article.title} · removed {when.relative} · {kept}"))
            button.button(
                "Restore",
                key=f"{state.RESTORE_PREFIX}{where}_{article.article_id}",
                on_click=_restore,
                args=(library, article.article_id),
            )
