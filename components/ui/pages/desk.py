"""The desk: every article with its state, the corpus charts, the corpus downloads and edit log."""

from __future__ import annotations

import streamlit as st

from components.access.roles import Action
from components.corpus.listing import list_corpus
from components.ui import state
from components.ui.context import app_context
from components.ui.desk_view import (
    AUTOMATIC_CORPUS_LIMIT,
    build_corpus_table,
    draw_corpus_charts,
    draw_corpus_downloads,
    draw_listing,
)
from components.ui.import_panel import draw_corpus_import

context = app_context()
st.title("Desk")
listing = list_corpus(context.library, context.store)
draw_listing(context, listing)
st.divider()
st.subheader("The corpus at a glance")
if len(listing) > AUTOMATIC_CORPUS_LIMIT and not st.session_state.get(state.CORPUS_REQUESTED):
    st.caption(f"{len(listing):,} articles: parsing the ones not read before may take a while.")
    st.button(
        "Build the corpus charts",
        key="build_corpus",
        on_click=lambda: st.session_state.update({state.CORPUS_REQUESTED: True}),
    )
else:
    corpus_annotations = build_corpus_table(context)
    draw_corpus_charts(corpus_annotations)
    st.subheader("Downloads")
    draw_corpus_downloads(context, corpus_annotations, list(listing["article_id"]))
    if context.user.may(Action.IMPORT):  # editors only; the store refuses anyone else's import
        with st.expander("Bring corrections back in", icon=":material/upload_file:"):
            draw_corpus_import(context, st.session_state.get(state.ANNOTATOR, ""))
