"""The sidebar: open an article (from the folder, an upload or pasted text) in a dialog, and tidy it."""

from __future__ import annotations

import streamlit as st

from components.access.roles import Action, user_now
from components.corpus.articles import ArticleError, ArticleLibrary
from components.ui import dialogs, state
from components.ui.article_tidy import draw_article_tools, draw_removed_articles, show_input_message
from components.ui.markdown import plain


def _open(article_id: str) -> None:
    st.query_params[state.ARTICLE_PARAM] = article_id
    st.session_state[state.ARTICLE_PICKER] = article_id


def _on_pick() -> None:
    st.query_params[state.ARTICLE_PARAM] = st.session_state[state.ARTICLE_PICKER]
    dialogs.done()


def _on_upload(library: ArticleLibrary) -> None:
    uploaded = st.session_state.get(state.UPLOADER)
    if uploaded is None:
        return
    try:
        article = library.add_upload(uploaded.name, uploaded.getvalue())
    except ArticleError as error:
        st.session_state[state.INPUT_MESSAGE] = ("error", str(error))
        return
    opened = f"Opened {uploaded.name} as “{article.article_id}”."
    if article.encoding_guessed:
        st.session_state[state.INPUT_MESSAGE] = (
            "warning",
            (
                f"{opened} It is not UTF-8: it was read as {article.encoding}. Check that accented "
                "letters and quotation marks look right; if not, save it as UTF-8 and upload it again."
            ),
        )
    elif article.encoding:
        st.session_state[state.INPUT_MESSAGE] = ("success", f"{opened} It was read as {article.encoding}.")
    else:
        st.session_state[state.INPUT_MESSAGE] = ("success", opened)
    _open(article.article_id)
    dialogs.done()


def _on_paste(library: ArticleLibrary) -> None:
    try:
        article = library.add_paste(st.session_state.get(state.PASTE_TEXT, ""))
    except ArticleError as error:
        st.session_state[state.INPUT_MESSAGE] = ("error", str(error))
        return
    st.session_state[state.INPUT_MESSAGE] = (
        "success",
        f"Opened the pasted text: “{library.title(article.article_id)}”.",
    )
    _open(article.article_id)
    dialogs.done()


@st.dialog("Open an article", width="large", on_dismiss="rerun")
def _open_article_dialog(library: ArticleLibrary, current: str | None) -> None:
    """Open an article: one from the folder (searchable by title), an uploaded .txt, or pasted text.

    A dialog rather than the sidebar's widgets: the page draws them only when they are asked for, so
    a reload fetches and draws less (issue 15) and the sidebar stays short.
    """
    ids = library.ids()
    may_add = user_now(library.user).may(Action.ADD_ARTICLE)
    tabs = st.tabs(
        ["From the folder", "Upload a .txt file", "Paste text"] if may_add else ["From the folder"]
    )
    with tabs[0]:
        if ids:
            st.session_state[state.ARTICLE_PICKER] = current
            st.selectbox(
                "Article",
                ids,
                key=state.ARTICLE_PICKER,
                on_change=_on_pick,
                format_func=library.titles().get,
                placeholder="Type to search the titles",
            )
        else:
            st.info("No articles in the folder yet.")
        if not may_add:
            st.caption("Editors add articles.")
    if may_add:
        with tabs[1]:
            st.file_uploader(
                "Upload a .txt article",
                type=["txt"],
                key=state.UPLOADER,
                on_change=_on_upload,
                args=(library,),
            )
        with tabs[2]:
            st.text_area("Article text", key=state.PASTE_TEXT, height=220)
            st.button("Open pasted text", key=state.PASTE_BUTTON, on_click=_on_paste, args=(library,))
    show_input_message(only="error")  # a refused file is explained where it was tried; the dialog stays open
    dialogs.close_if_done()


def choose_article(library: ArticleLibrary, default_id: str | None) -> str | None:
    """Draw the sidebar's article controls and return the id of the article to show (None if there is none).

    The address (``?article=<id>``) is the source of truth, so a link opens its article and the
    picker follows it.
    """
    ids = library.ids()
    with st.sidebar:
        st.header("Articles")
        requested = st.query_params.get(state.ARTICLE_PARAM)
        if requested is not None and requested not in ids:
            st.warning(f"There is no article called “{plain(requested)}”; showing another one.")
            requested = None
        current = requested or (default_id if default_id in ids else (ids[0] if ids else None))
        if current is not None:
            st.query_params[state.ARTICLE_PARAM] = current
        else:
            st.info("No articles yet: open one by uploading a .txt file or pasting text.")
        dialogs.button_opens(
            _open_article_dialog,
            (library, current),
            "Open an article…",
            key=state.OPEN_ARTICLE,
            icon=":material/folder_open:",
            width="stretch",
        )
        if current is not None:
            draw_article_tools(library, current)
        draw_removed_articles(library, "sidebar")

        show_input_message()
    return current
