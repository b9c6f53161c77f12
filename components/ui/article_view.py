"""The highlighted article: click a span to pick it, select text to add one or fix the picked one, and
keyboard shortcuts on the picked span (``ui.keyboard``).

The text is drawn by ``st.html``, which Streamlit puts on screen as soon as the page's message
arrives; a bidirectional component with no HTML of its own listens for clicks, selections and keys
on the container that holds both. Drawn by the component itself, the text waited for the
component's code to load and run, after the charts: the last thing on a reader's page. Its styles
(``assets/styles/reading.css``) are in the page from the top of ``app.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import streamlit as st

from components.config import PROJECT_ROOT

ASSETS = PROJECT_ROOT / "assets"
ARTICLE_HOLDER = "article_text"  # the container's key; Streamlit gives it the class st-key-<key>


@cache
def _article_listener() -> Callable[..., Any]:
    # Registered once per process: the JavaScript is our own file, never article text.
    return st.components.v2.component(
        "article_annotations.article_view",
        js=(ASSETS / "js" / "article_view.js").read_text(encoding="utf-8"),
        isolate_styles=False,
    )


def draw_article(
    article_html: str,
    key: str,
    on_span_clicked: Callable[[], None],
    on_selected: Callable[[], None],
    on_key: Callable[[], None],
    picked: str = "",
) -> Any:
    """Draw the article (escaped HTML from :func:`components.views.render.render_article`) with its
    listener, and return the listener's result."""
    with st.container(key=ARTICLE_HOLDER):
        st.html(article_html)
        return _article_listener()(
            # ``picked``: the span the keyboard shortcuts act on ("" for none: keys are left alone).
            data={"holder": f"st-key-{ARTICLE_HOLDER}", "picked": picked},
            key=key,
            on_span_clicked_change=on_span_clicked,
            on_selected_change=on_selected,
            on_key_change=on_key,
        )
