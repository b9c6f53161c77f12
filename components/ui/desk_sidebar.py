"""On the reading page: the article's review state, and the next article to review in one click."""

from __future__ import annotations

import streamlit as st

from components.access.roles import Action
from components.annotations.store import StoreError
from components.corpus.listing import REVIEWED, list_corpus, mark_reviewed, next_unreviewed
from components.ui import state
from components.ui.context import AppContext


def _on_review(context: AppContext, article_id: str) -> None:
    try:
        mark_reviewed(
            context.settings.annotations_dir,
            article_id,
            bool(st.session_state[state.REVIEWED_TOGGLE]),
            user=context.store.user,
        )
    except StoreError as error:
        st.session_state[state.SAVE_MESSAGE] = ("error", str(error))


def _open_next(article_id: str) -> None:
    st.query_params[state.ARTICLE_PARAM] = article_id
    st.session_state[state.ARTICLE_PICKER] = article_id


def draw_review_controls(context: AppContext, article_id: str) -> None:
    """Draw the “reviewed” toggle, the corpus progress and the button to the next unreviewed article."""
    listing = list_corpus(context.library, context.store)
    states = dict(zip(listing["article_id"], listing["state"], strict=False))
    reviewed = int((listing["state"] == REVIEWED).sum())
    with st.sidebar:
        st.divider()
        st.session_state[state.REVIEWED_TOGGLE] = states.get(article_id) == REVIEWED
        st.toggle(
            "Reviewed",
            key=state.REVIEWED_TOGGLE,
            on_change=_on_review,
            args=(context, article_id),
            disabled=not context.user.may(Action.REVIEW),
            help="Mark this article as reviewed when its corrections are done.",
        )
        st.progress(reviewed / max(len(listing), 1), text=f"{reviewed} of {len(listing)} articles reviewed")
        following = next_unreviewed(listing, article_id)
        following = None if following == article_id else following
        st.button(
            "Next unreviewed article →",
            key=state.NEXT_UNREVIEWED,
            on_click=_open_next,
            args=(following,),
            disabled=following is None,
            width="stretch",
        )
