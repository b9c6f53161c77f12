"""Cached loaders: the model once per server process, each article parsed once per distinct text."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from spacy.language import Language

from components.annotations.table import doc_to_table
from components.nlp.pipeline import load_pipeline


@st.cache_resource(show_spinner="Loading the spaCy model…")
def cached_pipeline(model_name: str | None) -> Language:
    """Return the spaCy pipeline, loaded once per server process."""
    return load_pipeline(model_name)


@st.cache_data(show_spinner="Reading the article…", max_entries=64)
def cached_model_table(text: str, article_id: str, model_name: str | None) -> pd.DataFrame:
    """Return the model's annotation table for a text, parsed once per distinct text and model."""
    nlp = cached_pipeline(model_name)
    return doc_to_table(nlp(text), article_id)
