"""The article reading-and-annotation dashboard: page layout and wiring only.

Run with ``make run`` or ``streamlit run app.py``.
"""

from __future__ import annotations

import streamlit as st

from components.articles import ArticleError, ArticleLibrary, article_title, check_article_text
from components.config import load_settings
from components.pipeline import ModelNotFoundError
from components.ui import state
from components.ui.cache import cached_model_table, cached_pipeline
from components.ui.reading_view import draw_reading_view, inject_styles
from components.ui.sidebar import choose_article
from components.ui.span_table import draw_span_table

DEFAULT_ARTICLE = "aleppo-rebels-reject-russian-demands"

st.set_page_config(page_title="Article annotations", page_icon="📰", layout="wide")
state.init_state()
inject_styles()
settings = load_settings()

try:
    nlp = cached_pipeline(settings.spacy_model)
except ModelNotFoundError as error:
    st.error(str(error))
    st.stop()

library = ArticleLibrary(settings.articles_dir, settings.annotations_dir / "uploads")
article_id = choose_article(library, DEFAULT_ARTICLE)
if article_id is None:
    st.title("Article annotations")
    st.stop()

try:
    article = library.get(article_id)
    check_article_text(article.text, nlp.max_length)
except ArticleError as error:
    st.title(article_title(article_id))
    st.error(str(error))
    st.stop()

st.title(article_title(article.article_id))
model_table = cached_model_table(article.text, article.article_id, settings.spacy_model)
reading_column, side_column = st.columns([3, 2], gap="large")
with reading_column:
    draw_reading_view(article.text, model_table)
with side_column:
    draw_span_table(model_table)
