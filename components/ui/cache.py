"""Cached loaders: the model once per server process, each article parsed once per distinct text, and
files read again only when they change on disk (keyed by modification time, size and inode)."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pandas as pd
import streamlit as st
from spacy.language import Language

from components.annotations.correction_file import RowCounts
from components.annotations.store import AnnotationStore, Corrections
from components.annotations.table import doc_to_table, merge_corrections
from components.corpus.articles import Article, ArticleLibrary, read_article_file
from components.nlp.pipeline import load_pipeline

FileKey = tuple[int, int, int] | None  # (mtime_ns, size, inode), None: no such file


@st.cache_resource(show_spinner="Loading the spaCy model…")
def cached_pipeline(model_name: str | None) -> Language:
    """Return the spaCy pipeline, loaded once per server process.

    Its objects live as long as the process, so they are moved out of the garbage collector's view
    (``gc.freeze``): Python's full collections, which otherwise walk every one of them, stay short.
    """
    nlp = load_pipeline(model_name)
    gc.collect()
    gc.freeze()
    return nlp


@st.cache_data(show_spinner="Reading the article…", max_entries=64)
def cached_model_table(text: str, article_id: str, model_name: str | None) -> pd.DataFrame:
    """Return the model's annotation table for a text, parsed once per distinct text and model."""
    nlp = cached_pipeline(model_name)
    return doc_to_table(nlp(text), article_id)


def file_key(path: Path) -> FileKey:
    """Return what tells one state of a file from another: an atomic replacement changes the inode."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


@st.cache_resource(show_spinner=False)
def shared_row_counts(directory: str) -> RowCounts:
    """Return the row counts of a correction folder's files, kept for the process (each recounted when
    its file changes), so the listing on every page reads no file that did not change."""
    return RowCounts()


@st.cache_data(show_spinner=False, max_entries=64)
def _article_file(path: str, key: FileKey) -> Article:
    return read_article_file(Path(path))


def load_article(library: ArticleLibrary, article_id: str) -> Article:
    """Return ``library.get(article_id)``, reading the file again only when it changed."""
    return library.get(article_id, read=lambda path: _article_file(str(path), file_key(path)))


@st.cache_data(show_spinner=False, max_entries=64)
def _corrections(
    _store: AnnotationStore, directory: str, article_id: str, text: str, key: FileKey
) -> Corrections:
    return _store.load(article_id, text)


def load_corrections(store: AnnotationStore, article_id: str, text: str) -> Corrections:
    """Return ``store.load(article_id, text)``, reading the correction file again only when it changed.

    A broken file raises as ``store.load`` does, every time (an error is not cached).
    """
    return _corrections(store, str(store.directory), article_id, text, file_key(store.csv_path(article_id)))


@st.cache_data(show_spinner=False, max_entries=64)
def merged_table(key: str, _model_table: pd.DataFrame, _rows: pd.DataFrame) -> pd.DataFrame:
    """Return ``merge_corrections(_model_table, _rows)``, merged once per ``key``, which must name both
    (``session.table_key``): a rerun that saved nothing (a click, a tab, another reader's reload)
    reuses the merge instead of paying pandas for it again (6 ms on a short article)."""
    return merge_corrections(_model_table, _rows)
