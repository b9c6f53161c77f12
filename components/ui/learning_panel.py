"""Learning from corrections (opt-in): patterns from the readers' repeated corrections, applied to
articles nobody has corrected yet, and shown as their own source."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from components.annotations.csv_codec import TableFormatError, decode_table
from components.annotations.store import AnnotationStore
from components.corpus.learning import Pattern, apply_patterns, patterns_from_corrections
from components.ui import state


@st.cache_data(show_spinner=False, max_entries=8)
def _patterns(directory: str, signature: tuple[tuple[str, int, int], ...]) -> list[Pattern]:
    # The signature (id, size, mtime of each correction file) makes a new save teach at once.
    store = AnnotationStore(Path(directory))
    frames = []
    for article_id, _, _ in signature:
        try:
            frames.append(decode_table(store.csv_path(article_id).read_bytes()))
        except (OSError, TableFormatError):
            continue  # a broken file is reported on its own article's page; it teaches nothing
    return patterns_from_corrections(frames)


def learned_patterns(store: AnnotationStore) -> list[Pattern]:
    """Return the patterns every article's saved corrections teach (cached until a file changes)."""
    signature = tuple((s.article_id, s.size, s.modified_ns) for s in store.list_articles(count=False))
    return _patterns(str(store.directory), signature)


def draw_learning_toggle() -> bool:
    """Draw the opt-in switch in the sidebar and return whether learning is on."""
    with st.sidebar:
        return st.toggle(
            "Learn from my corrections",
            key=state.LEARN_PATTERNS,
            help="Corrections you applied to every identical mention become patterns, applied to articles "
            "nobody has corrected yet. Their spans show as source “pattern”, outlined with dashes.",
        )


def with_patterns(
    model_table: pd.DataFrame, text: str, store: AnnotationStore, article_id: str, nlp
) -> pd.DataFrame:
    """Return the model's table with the learned patterns applied, if the article has no corrections yet."""
    if store.csv_path(article_id).exists():
        return model_table
    patterns = learned_patterns(store)
    if not patterns:
        return model_table
    return apply_patterns(model_table, text, patterns, nlp, article_id=article_id)
