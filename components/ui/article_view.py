"""The highlighted article as a bidirectional component: click a span to pick it, select text to
add one or fix the picked one, and keyboard shortcuts on the picked span (``ui.keyboard``)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache
from typing import Any

import streamlit as st

from components.config import PROJECT_ROOT

ASSETS = PROJECT_ROOT / "assets"


@cache
def _article_component() -> Callable[..., Any]:
    # Registered once per process: the JavaScript and CSS are our own files, never article text.
    return st.components.v2.component(
        "article_annotations.article_view",
        js=(ASSETS / "js" / "article_view.js").read_text(encoding="utf-8"),
        css=(ASSETS / "styles" / "reading.css").read_text(encoding="utf-8"),
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
    """Draw the article (HTML from :func:`components.views.render.render_article`) and return the component's result."""
    html_id = hashlib.blake2b(article_html.encode("utf-8"), digest_size=8).hexdigest()
    return _article_component()(
        # ``picked``: the span the keyboard shortcuts act on ("" for none: keys are left alone).
        data={"html": article_html, "html_id": html_id, "picked": picked},
        key=key,
        on_span_clicked_change=on_span_clicked,
        on_selected_change=on_selected,
        on_key_change=on_key,
    )
