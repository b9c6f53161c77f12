"""Read and correct one article: the highlighted text beside the charts and the correction tools."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.access.roles import Action
from components.corpus.articles import Article, ArticleError, check_article_text
from components.nlp.countries import resolve_country
from components.nlp.pipeline import entity_labels
from components.ui import state
from components.ui.annotator_name import draw_annotator_name
from components.ui.cache import cached_model_table, load_article
from components.ui.charts_panel import current_pick, draw_charts, draw_label_chart, draw_pick_notice
from components.ui.context import AppContext, app_context
from components.ui.desk_sidebar import draw_review_controls
from components.ui.editor import (
    draw_new_span,
    draw_span_editor,
    draw_span_picker,
    draw_speaker_merge,
    show_message,
)
from components.ui.fragments import ARTICLE_AREA
from components.ui.import_panel import draw_import_button
from components.ui.keyboard import draw_shortcuts_help, session_after_keys
from components.ui.learning_panel import draw_learning_toggle, with_patterns
from components.ui.markdown import plain
from components.ui.reading_view import draw_reading_view
from components.ui.saved import draw_downloads, draw_history, draw_saved_status
from components.ui.session import ArticleSession, open_session
from components.ui.sidebar import choose_article
from components.ui.span_table import draw_span_table
from components.ui.unsure_walk import draw_unsure_walk, follow_unsure_walk

DEFAULT_ARTICLE = "aleppo-rebels-reject-russian-demands"


@st.fragment(key=ARTICLE_AREA)
def draw_article_area(context: AppContext, article: Article, model_table: pd.DataFrame) -> None:
    """Draw the text beside the side panel, a fragment: a correction, a click on a span or in a chart,
    a tab or the undo button reruns the text and the panel, never the page (the sidebar, the title).

    The reading view inside is its own fragment, so a filter or a part of a long article redraws
    only the text. The corrections are read again on each run of the fragment (from disk only when
    their file changed), so a save shows at once.
    """
    session = session_after_keys(
        lambda: open_session(
            context.store, article.article_id, article.text, model_table, entity_labels(context.nlp)
        )
    )
    if session.can_correct:
        follow_unsure_walk(session)
    reading_column, side_column = st.columns([3, 2], gap="large")
    with reading_column:
        pick = current_pick()
        if pick:
            draw_pick_notice(pick, session.table)
        draw_reading_view(session, pick)
    with side_column.container(key="side_panel"):
        draw_side_panel(context, session)


def draw_side_panel(context: AppContext, session: ArticleSession) -> None:
    """Draw the save status, the open tab (overview, correct, all spans, history) and the downloads."""
    show_message()
    draw_saved_status(session)
    if session.can_correct:
        draw_unsure_walk(session)
    # A reader gets no Correct tab (the store would refuse its saves anyway); an unreadable
    # correction file leaves it, with its tools switched off and the reason beside them.
    may_correct = context.user.may(Action.CORRECT)
    tab_names = [name for name in state.SIDE_TAB_NAMES if name != state.CORRECT_TAB or may_correct]
    if st.session_state.get(state.SIDE_TABS) not in tab_names:
        st.session_state.pop(state.SIDE_TABS, None)
    tabs = dict(zip(tab_names, st.tabs(tab_names, key=state.SIDE_TABS, on_change="rerun"), strict=True))
    overview_tab, table_tab, history_tab = (tabs[name] for name in ("Overview", "All spans", "History"))
    correct_tab = tabs.get(state.CORRECT_TAB)
    # Only the open tab is drawn: a rerun after a correction stays quick.
    if overview_tab.open:
        with overview_tab:
            draw_charts(session.table, session.table_key)
    if correct_tab is not None and correct_tab.open:
        with correct_tab:
            picked = draw_span_picker(session)
            if picked is not None:
                draw_span_editor(session, picked, resolve_country)
            st.divider()
            draw_new_span(session, resolve_country)
            draw_shortcuts_help()
            with st.expander("Merge speakers"):
                draw_speaker_merge(session)
    if table_tab.open:
        with table_tab:
            draw_label_chart(session.table, session.table_key)
            draw_span_table(session, resolve_country)
    if history_tab.open:
        with history_tab:
            draw_history(session)
    with st.container(horizontal=True, key="downloads"):
        draw_downloads(session, context.nlp)
        if context.user.may(Action.IMPORT):  # editors only; the store refuses anyone else's import
            draw_import_button(session)


context = app_context()
article_id = choose_article(context.library, DEFAULT_ARTICLE)
if not context.user.signed_in:  # signed in, the edit log names the identity instead
    draw_annotator_name()
if article_id is None:
    st.title("Article annotations")
    st.stop()

try:
    article = load_article(context.library, article_id)
    check_article_text(article.text, context.nlp.max_length)
except ArticleError as error:
    st.title(plain(context.library.title(article_id)))
    st.error(plain(str(error)))
    st.stop()

draw_review_controls(context, article.article_id)
model_table = cached_model_table(article.text, article.article_id, context.settings.spacy_model)
if draw_learning_toggle():
    model_table = with_patterns(model_table, article.text, context.store, article.article_id, context.nlp)
st.title(plain(context.library.title(article.article_id)))
draw_article_area(context, article, model_table)
