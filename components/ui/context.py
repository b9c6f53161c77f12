"""What every page needs: the settings, the model, the articles and the correction store."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from spacy.language import Language

from components.access.roles import User
from components.annotations.store import AnnotationStore
from components.config import Settings, load_settings
from components.corpus.articles import ArticleLibrary
from components.nlp.pipeline import ModelNotFoundError
from components.ui.cache import cached_pipeline, shared_row_counts
from components.ui.signin import current_user, session_user


@dataclass(frozen=True)
class AppContext:
    settings: Settings
    nlp: Language
    library: ArticleLibrary
    store: AnnotationStore
    user: User  # who is using this session, as the page was drawn for them
    roles_problem: str | None = None  # the roles file cannot be used (everyone is a reader meanwhile)


def app_context() -> AppContext:
    """Return the page's context; without a model, say what to install and stop the page."""
    settings = load_settings()
    try:
        nlp = cached_pipeline(settings.spacy_model)
    except ModelNotFoundError as error:
        st.error(str(error))
        st.stop()
    user, roles_problem = session_user(settings.roles_file)
    # The library and the store ask who is writing at each write, not who it was when the page was drawn.
    library = ArticleLibrary(settings.articles_dir, settings.annotations_dir / "uploads", user=current_user)
    # One row-count cache per folder for the process: the listing recounts changed files only.
    row_counts = shared_row_counts(str(settings.annotations_dir))
    store = AnnotationStore(settings.annotations_dir, user=current_user, _row_counts=row_counts)
    return AppContext(settings, nlp, library, store, user, roles_problem)
