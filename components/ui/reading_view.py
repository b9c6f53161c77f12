"""The reading view: legend, filters, and the article with its spans highlighted and clickable."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.annotations.schema import KIND_QUOTE
from components.annotations.table import active_spans
from components.ui import state
from components.ui.article_view import draw_article
from components.ui.editor import pick_selection, pick_span
from components.ui.fragments import redraw_article_area
from components.ui.keyboard import keep_key
from components.ui.markdown import plain
from components.ui.session import ArticleSession
from components.views.chart_picks import ChartPick
from components.views.labels import label_name
from components.views.render import (
    paginate,
    paragraph_bounds,
    render_article,
    render_label_colours,
    view_spans,
)


def label_counts(table: pd.DataFrame) -> dict[str, int]:
    """Return how many active spans each label has, most frequent first."""
    counts = active_spans(table)["label"].value_counts()
    return {str(label): int(count) for label, count in counts.items()}


def _on_span_clicked() -> None:
    clicked = st.session_state[state.ARTICLE_VIEW].get("span_clicked")
    if clicked:
        pick_span(str(clicked))
        st.session_state[state.SIDE_TABS] = state.CORRECT_TAB
        redraw_article_area()  # the editor beside the text must follow


def _on_key() -> None:
    pressed = st.session_state[state.ARTICLE_VIEW].get("key")
    if pressed:
        keep_key(str(pressed))
        redraw_article_area()  # the key's effect shows in every tool


def _on_selected() -> None:
    selected = st.session_state[state.ARTICLE_VIEW].get("selected") or {}
    if "start" in selected and "end" in selected:
        pick_selection(int(selected["start"]), int(selected["end"]))
        st.session_state[state.SIDE_TABS] = state.CORRECT_TAB
        redraw_article_area()


def _keep_filter_in_step(labels: list[str]) -> None:
    # The filter keeps the reader's choice across reruns, but a label that appears (a correction
    # to a custom label) starts shown, and a label that is gone leaves the choice.
    seen = st.session_state[state.SEEN_LABELS]
    chosen = st.session_state.get(state.LABEL_FILTER)
    if chosen is None:
        chosen = labels
    st.session_state[state.LABEL_FILTER] = [label for label in labels if label in chosen or label not in seen]
    st.session_state[state.SEEN_LABELS] = seen | set(labels)


def _page_caption(text: str, pages: list[tuple[int, int]], index: int) -> str:
    start, end = pages[index]
    opening = " ".join(text[start : start + 60].split())
    return f"Part {index + 1} of {len(pages)} · {start:,}–{end:,} · “{opening}…”"


def page_of(pages: list[tuple[int, int]], offset: int) -> int:
    """Return the index of the part that holds ``offset`` (the last part for an offset past the end)."""
    return next((index for index, (_, end) in enumerate(pages) if offset < end), len(pages) - 1)


def _choose_page(session: ArticleSession, table: pd.DataFrame) -> tuple[int, int] | None:
    """Draw the part chooser of a long article and return the part to show (None: the whole article)."""
    pages = paginate(paragraph_bounds(session.text))
    if len(pages) < 2:
        return None
    key = f"{state.PAGE}:{session.article_id}"
    # A span picked elsewhere (the span picker, the table) opens the part that holds it, once.
    picked_id = st.session_state.get(state.SELECTED_SPAN)
    if picked_id and picked_id != st.session_state.get(state.PAGED_TO_SPAN):
        picked = table.loc[table["span_id"] == picked_id, "start"]
        if not picked.empty:
            st.session_state[key] = page_of(pages, int(picked.iloc[0]))
        st.session_state[state.PAGED_TO_SPAN] = picked_id
    if st.session_state.get(key, 0) >= len(pages):
        st.session_state[key] = 0
    words = len(session.text.split())
    st.info(
        f"This article is long ({words:,} words), so it is shown in {len(pages)} parts. Nothing is left out: "
        "choose a part below; the charts, table and downloads cover the whole article.",
        icon=":material/menu_book:",
    )
    index = st.selectbox(
        "Part", range(len(pages)), key=key, format_func=lambda i: _page_caption(session.text, pages, i)
    )
    return pages[index]


MAX_SPEAKER_PILLS = 12  # more pills would push a long article's text below the fold: a list instead


def _draw_speaker_filter(table: pd.DataFrame) -> str | None:
    """Draw the speaker filter, each quoted speaker with their number of quotes, and return the one
    picked, if any.

    Pills when there are a few speakers: every one in sight above the text, one click narrows the
    quotes to theirs and a second shows all again, and the page loads no select box's code until one
    is needed. With more than ``MAX_SPEAKER_PILLS`` (a long article quotes hundreds of people), a
    button that names the choice and opens a list to search by typing: the text stays where the
    reader expects it, and the list's code loads when the reader opens it, not with every page (on
    the 5,000-word article a select box drawn at once cost a tenth of a second of every reload).
    """
    active = active_spans(table)
    quotes = active.loc[(active["kind"] == KIND_QUOTE) & (active["speaker"] != ""), "speaker"].value_counts()
    speakers = sorted(quotes.index)
    chosen = st.session_state.get(state.SPEAKER_FILTER)
    if chosen not in speakers:
        st.session_state.pop(state.SPEAKER_FILTER, None)  # a speaker renamed or merged away: show all
        chosen = None
    if not speakers:
        return None
    about = "Show only this speaker's quotes"
    if len(speakers) <= MAX_SPEAKER_PILLS:
        return st.pills(
            "Quotes by",
            speakers,
            key=state.SPEAKER_FILTER,
            # A speaker's name is shown exactly as the article gives it, never as markdown.
            format_func=lambda speaker: f"{plain(speaker)} · {quotes[speaker]}",
            help=f"{about}; click again to show everyone's.",
        )
    # The button names the choice, so the reader sees whose quotes are shown with the list closed.
    shown = f"{plain(chosen)} · {quotes[chosen]}" if chosen else f"everyone ({len(speakers)} speakers)"
    with st.popover(f"Quotes by: {shown}", icon=":material/record_voice_over:"):
        return st.selectbox(
            "Quotes by",
            speakers,
            index=None,
            key=state.SPEAKER_FILTER,
            placeholder=f"Everyone ({len(speakers)} speakers)",
            format_func=lambda speaker: f"{speaker} · {quotes[speaker]}",  # options are plain text
            help=f"{about}; clear the choice to show everyone's.",
        )


@st.fragment
def draw_reading_view(session: ArticleSession, pick: ChartPick) -> None:
    """Draw the label filter (each label in its colour, with its count), the speaker filter, and the
    highlighted article.

    What the reader clicked in the charts (``pick``) is outlined in the text; a picked speaker
    also narrows the quotes to theirs. A fragment inside the article area (``ui.fragments``): a
    filter or a part of a long article redraws only the text; a click on a span reruns the area,
    since the editor beside the text shows that span.
    """
    table = session.table
    counts = label_counts(table)
    _keep_filter_in_step(list(counts))
    # The label filter is the legend too: each pill wears its label's colour.
    st.html(render_label_colours(list(counts), f"st-key-{state.LABEL_FILTER}"))
    visible = st.pills(
        "Show labels",
        list(counts),
        selection_mode="multi",
        key=state.LABEL_FILTER,
        wrap=True,
        help="Each label in its colour in the text, with how many spans have it; click one to hide or show them.",
        # Pill labels render markdown; a reader's label is shown exactly as typed.
        format_func=lambda label: f"{plain(label_name(label))} · {counts.get(label, 0)}",
    )
    speaker = pick.speaker or _draw_speaker_filter(table)
    marked = [st.session_state[state.SELECTED_SPAN]] if st.session_state.get(state.SELECTED_SPAN) else []
    spans = view_spans(
        table, visible_labels=visible, speaker=speaker, marked_span_ids=marked, pick_marks=pick.marks(table)
    )
    window = _choose_page(session, table)
    draw_article(
        render_article(session.text, spans, window),
        state.ARTICLE_VIEW,
        _on_span_clicked,
        _on_selected,
        _on_key,
        picked=st.session_state.get(state.SELECTED_SPAN) or "",
    )
