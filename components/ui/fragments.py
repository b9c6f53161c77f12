"""The reading page's fragments: what a click reruns instead of the whole page.

The article area (the text beside the side panel) is one fragment, the reading view inside it
another. A widget in the side panel reruns the area; a filter reruns only the reading view; a
callback of the text that the side panel must follow (a click on a span, a key) asks for the area.
"""

from __future__ import annotations

from typing import Final, NoReturn

import streamlit as st

ARTICLE_AREA: Final = "article_area"  # the key of the text-and-side-panel fragment


def redraw_article_area() -> NoReturn:
    """From a callback, as its last step: rerun the text and the side panel, not the page."""
    st.rerun(scope=ARTICLE_AREA)
