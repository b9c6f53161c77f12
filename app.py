"""The article reading-and-annotation dashboard: page layout and wiring only.

Run with ``make run`` or ``streamlit run app.py``.
"""

from __future__ import annotations

import streamlit as st

from components.articles import ArticleError, ArticleLibrary, article_title, check_article_text
from components.config import PROJECT_ROOT, load_settings
from components.pipeline import ModelNotFoundError, entity_labels, resolve_country_code
from components.store import AnnotationStore
from components.ui import state
from components.ui.charts_panel import current_pick, draw_charts, draw_pick_notice
from components.ui.cache import cached_model_table, cached_pipeline
from components.ui.editor import draw_new_span, draw_span_editor, draw_span_picker, draw_speaker_merge, show_message
from components.ui.markdown import plain
from components.ui.reading_view import draw_reading_view
from components.ui.saved import draw_downloads, draw_history, draw_saved_status
from components.ui.session import open_session
from components.ui.sidebar import choose_article
from components.ui.span_table import draw_span_table

DEFAULT_ARTICLE = "aleppo-rebels-reject-russian-demands"

st.set_page_config(page_title="Article annotations", page_icon="📰", layout="wide")
state.init_state()
st.html(PROJECT_ROOT / "assets" / "styles" / "page.css")
settings = load_settings()

try:
    nlp = cached_pipeline(settings.spacy_model)
except ModelNotFoundError as error:
    st.error(str(error))
    st.stop()

library = ArticleLibrary(settings.articles_dir, settings.annotations_dir / "uploads")
article_id = choose_article(library, DEFAULT_ARTICLE)
with st.sidebar:
    st.text_input("Your name (for the edit log)", key=state.ANNOTATOR)
if article_id is None:
    st.title("Article annotations")
    st.stop()

try:
    article = library.get(article_id)
    check_article_text(article.text, nlp.max_length)
except ArticleError as error:
    st.title(plain(article_title(article_id)))
    st.error(plain(str(error)))
    st.stop()

model_table = cached_model_table(article.text, article.article_id, settings.spacy_model)
store = AnnotationStore(settings.annotations_dir)
session = open_session(store, article.article_id, article.text, model_table, entity_labels(nlp))

st.title(plain(article_title(article.article_id)))
reading_column, side_column = st.columns([3, 2], gap="large")
with reading_column:
    pick = current_pick()
    if pick:
        draw_pick_notice(pick)
    draw_reading_view(session, pick)
with side_column.container(key="side_panel"):
    show_message()
    draw_saved_status(session)
    overview_tab, correct_tab, table_tab, history_tab = st.tabs(
        list(state.SIDE_TAB_NAMES), key=state.SIDE_TABS, on_change="rerun"
    )
    # Only the open tab is drawn: a rerun after a correction stays quick.
    if overview_tab.open:
        with overview_tab:
            draw_charts(session.table)
    if correct_tab.open:
        with correct_tab:
            picked = draw_span_picker(session)
            if picked is not None:
                draw_span_editor(session, picked, resolve_country_code)
            st.divider()
            draw_new_span(session, resolve_country_code)
            with st.expander("Merge speakers"):
                draw_speaker_merge(session)
    if table_tab.open:
        with table_tab:
            draw_span_table(session, resolve_country_code)
    if history_tab.open:
        with history_tab:
            draw_history(session)
    draw_downloads(session, nlp)
