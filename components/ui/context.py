"""What every page needs: the settings, the model, the articles and the correction store."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from spacy.language import Language

from components.annotations.store import AnnotationStore
from components.config import Settings, load_settings
from components.corpus.articles import ArticleLibrary
from components.nlp.pipeline import ModelNotFoundError
from components.ui.cache import cached_pipeline


@dataclass(frozen=True)
class AppContext:
    settings: Settings
    nlp: Language
    library: ArticleLibrary
    store: AnnotationStore


def app_context() -> AppContext:
    """Return the page's context; without a model, say what to install and stop the page."""
    settings = load_settings()
    try:
        nlp = cached_pipeline(settings.spacy_model)
    except ModelNotFoundError as error:
        st.error(str(error))
        st.stop()
    library = ArticleLibrary(settings.articles_dir, settings.annotations_dir / "uploads")
    return AppContext(settings, nlp, library, AnnotationStore(settings.annotations_dir))
