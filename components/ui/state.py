"""Session state in one place: widget keys as constants (tests find widgets by key) and defaults."""

from __future__ import annotations

from typing import Any, Final

import streamlit as st

ARTICLE_PARAM: Final = "article"  # ?article=<article_id>

ARTICLE_PICKER: Final = "article_picker"
UPLOADER: Final = "article_upload"
PASTE_TEXT: Final = "paste_text"
PASTE_BUTTON: Final = "paste_open"
LABEL_FILTER: Final = "label_filter"
INPUT_MESSAGE: Final = "input_message"

DEFAULTS: Final[dict[str, Any]] = {
    INPUT_MESSAGE: None,  # a message about the last upload or paste, shown once in the sidebar
}


def init_state() -> None:
    """Set every default that the session does not have yet."""
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)
