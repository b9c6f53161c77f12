"""The correction tools: the picked span's label, speaker, boundaries and status; new spans; speakers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from components.annotations import corrections
from components.annotations.corrections import CountryResolver
from components.annotations.schema import KIND_ENTITY, KIND_QUOTE, STATUS_REJECTED
from components.annotations.speaker_choices import badly_cut_entities, speaker_choices, typed_speaker
from components.nlp.countries import country_codes, country_name
from components.ui import state
from components.ui.boundaries import draw_boundary_tools
from components.ui.markdown import plain
from components.ui.session import ArticleSession, save_rows
from components.views.labels import label_code, label_name
from components.views.messages import shortened as _short


def span_caption(row: Mapping[str, Any]) -> str:
    """Return how a span is named in the pickers: its text, label or speaker, and place (``row``: a
    table row, as a Series or a dict)."""
    detail = (row["speaker"] or "no speaker") if row["kind"] == KIND_QUOTE else label_name(row["label"])
    rejected = " · rejected" if row["status"] == STATUS_REJECTED else ""
    return f"“{_short(str(row['text']))}” · {detail} · {row['start']}–{row['end']}{rejected}"


def label_options(session: ArticleSession) -> list[str]:
    """Return the labels to offer: the model's, then the custom ones already used in this article."""
    used = session.table.loc[session.table["kind"] == KIND_ENTITY, "label"]
    custom = sorted(set(used) - set(session.entity_labels))
    return [*session.entity_labels, *custom]


def draw_speaker_box(session: ArticleSession, key: str, current: str = "", disabled: bool = False) -> None:
    """Draw the speaker chooser: the article's people (most quoted first, each once, fullest name,
    with their quotes), then its organisations; a typed name is kept as typed."""
    choices = speaker_choices(session.table)
    captions = {choice.name: choice.caption for choice in choices}
    options = list(captions)
    if current and current not in captions:
        options.insert(0, current)
    st.selectbox(
        "Speaker",
        options,
        key=key,
        format_func=lambda name: captions.get(name, name),
        accept_new_options=True,
        index=None,
        placeholder="Pick a person or organisation, or type a name",
        disabled=disabled,
    )


def _chosen_speaker(session: ArticleSession, key: str) -> str:
    # A typed "lavrov" is the article's Sergei Lavrov, not a new speaker.
    return typed_speaker(st.session_state.get(key) or "", speaker_choices(session.table))


def draw_badly_cut_names(session: ArticleSession) -> None:
    """Show names the model cut inside a bracket or quotation, as the text they cover, each with its fix."""
    for row in badly_cut_entities(session.table).itertuples(index=False):
        left, right = st.columns([3, 1], vertical_alignment="center")
        left.caption(
            f"“{plain(row.text)}” ({plain(label_name(row.label))}) looks cut short, so it is not offered."
        )
        right.button(
            "Fix it",
            key=f"fix_cut_{row.span_id}",
            on_click=pick_span,
            args=(row.span_id,),
            help="Open this name in the correction tools to fix its boundaries.",
        )


# --- callbacks: each calls one function of components.annotations.corrections and saves its rows -------------


def _picked_row(session: ArticleSession) -> pd.Series | None:
    span_id = st.session_state.get(state.SELECTED_SPAN)
    rows = session.table[session.table["span_id"] == span_id]
    return None if rows.empty else rows.iloc[0]


def _save_label(session: ArticleSession, country_of: CountryResolver) -> None:
    row = _picked_row(session)
    label = label_code(st.session_state.get(state.LABEL_CHOICE) or "")
    every = bool(st.session_state.get(state.EVERY_MENTION))
    what = f"“{_short(row['text'])}” → {label_name(label)}" + (" everywhere" if every else "")
    save_rows(
        session,
        lambda: corrections.relabel(session.table, session.text, row["span_id"], label, every, country_of),
        what,
    )


def _reject(session: ArticleSession) -> None:
    row = _picked_row(session)
    every = bool(st.session_state.get(state.EVERY_MENTION)) and row["kind"] == KIND_ENTITY
    what = f"rejected “{_short(row['text'])}”" + (" everywhere" if every else "")
    save_rows(session, lambda: corrections.reject(session.table, session.text, row["span_id"], every), what)


def _restore(session: ArticleSession) -> None:
    row = _picked_row(session)
    save_rows(
        session,
        lambda: corrections.restore(session.table, row["span_id"]),
        f"restored “{_short(row['text'])}”",
    )


def _save_speaker(session: ArticleSession) -> None:
    row = _picked_row(session)
    speaker = _chosen_speaker(session, state.SPEAKER_CHOICE)
    save_rows(
        session,
        lambda: corrections.set_speaker(session.table, row["span_id"], speaker),
        f"speaker of “{_short(row['text'], 30)}” → {speaker}",
    )


def _save_country(session: ArticleSession) -> None:
    row = _picked_row(session)
    country = st.session_state.get(state.COUNTRY_CHOICE) or ""
    save_rows(
        session,
        lambda: corrections.set_country(session.table, row["span_id"], country),
        f"country of “{_short(row['text'])}” → {country_label(country)}",
    )


def country_label(code: str) -> str:
    """Return how a country code is shown: its name and code, or “none”."""
    return f"{country_name(code) or code} ({code})" if code else "none"


def _add_span(session: ArticleSession, country_of: CountryResolver) -> None:
    start, end = st.session_state[state.TEXT_SELECTION]
    kind = st.session_state.get(state.NEW_KIND, KIND_ENTITY)
    label = label_code(st.session_state.get(state.NEW_LABEL) or "")
    speaker = _chosen_speaker(session, state.NEW_SPEAKER)

    def rows() -> pd.DataFrame:
        return corrections.new_span(
            session.text, session.article_id, start, end, kind, label, speaker, country_of, session.table
        )

    if save_rows(session, rows, f"added “{_short(session.text[start:end])}”"):
        added = corrections.snap_bounds(session.text, start, end)
        st.session_state[state.SELECTED_SPAN] = f"{'q' if kind == KIND_QUOTE else 'e'}-{added[0]}-{added[1]}"
        st.session_state[state.TEXT_SELECTION] = None


def _merge_speakers(session: ArticleSession) -> None:
    names = list(st.session_state.get(state.MERGE_FROM) or [])
    into = st.session_state.get(state.MERGE_INTO) or ""
    save_rows(
        session,
        lambda: corrections.merge_speakers(session.table, names, into),
        f"merged {', '.join(names)} into {into}",
    )


def pick_span(span_id: str | None) -> None:
    """Make ``span_id`` the span the editor shows."""
    st.session_state[state.SELECTED_SPAN] = span_id


def pick_selection(start: int, end: int) -> None:
    """Keep the reader's text selection, offered as a new span or new boundaries."""
    st.session_state[state.TEXT_SELECTION] = (start, end)


# --- drawing ----------------------------------------------------------------------------------------


def _fill_widgets_for(row: pd.Series, session: ArticleSession) -> None:
    # Widgets keep their own state across reruns; when another span is picked they must start from
    # that span's values, set before the widgets are drawn.
    if st.session_state.get(state.SHOWN_SPAN) == (row["span_id"], session.version):
        return
    st.session_state[state.SHOWN_SPAN] = (row["span_id"], session.version)
    st.session_state[state.LABEL_CHOICE] = row["label"]
    st.session_state[state.SPEAKER_CHOICE] = row["speaker"] or None
    st.session_state[state.BOUNDARY_START] = int(row["start"])
    st.session_state[state.BOUNDARY_END] = int(row["end"])
    st.session_state[state.EVERY_MENTION] = False
    st.session_state[state.COUNTRY_CHOICE] = row["country"]


def draw_label_box(session: ArticleSession, key: str, disabled: bool) -> None:
    """Draw the label chooser: the labels by their plain names, or the reader's own typed."""
    st.selectbox(
        "Label",
        label_options(session),
        key=key,
        format_func=label_name,
        accept_new_options=True,
        help="Pick one of the model's labels, or type your own.",
        disabled=disabled,
    )


def draw_span_picker(session: ArticleSession) -> pd.Series | None:
    """Draw the span picker (the text's clicks land here too) and return the picked row."""
    table = session.table
    # Rows as dicts, not a Series each: a Series per row was most of a Correct-tab run (27 ms of 85 rows).
    captions = {row.span_id: span_caption(row._asdict()) for row in table.itertuples(index=False)}
    picked = st.session_state.get(state.SELECTED_SPAN)
    if picked not in captions:
        st.session_state[state.SELECTED_SPAN] = None
    elif st.session_state.get(state.PICKER_VERSION) != session.version:
        # The browser keeps showing the caption it was given until the value is set anew: after a
        # save the picked span's caption ("· NORP ·") must say what the span is now.
        st.session_state[state.SELECTED_SPAN] = picked
    st.session_state[state.PICKER_VERSION] = session.version
    st.selectbox(
        "Span",
        list(captions),
        index=None,
        key=state.SELECTED_SPAN,
        format_func=lambda span_id: captions.get(span_id, span_id),
        placeholder="Click a highlighted span in the text, or pick one here",
    )
    return _picked_row(session)


def draw_span_editor(session: ArticleSession, row: pd.Series, country_of: CountryResolver) -> None:
    """Draw the tools for the picked span: label or speaker, boundaries, reject or restore."""
    _fill_widgets_for(row, session)
    disabled = session.read_only
    if row["kind"] == KIND_ENTITY:
        mentions = int(session.text.count(str(row["text"])))
        draw_label_box(session, state.LABEL_CHOICE, disabled)
        st.checkbox(
            f"Apply to every “{plain(_short(str(row['text']), 30))}” in the article ({mentions})",
            key=state.EVERY_MENTION,
            disabled=disabled,
        )
        left, right = st.columns(2)
        left.button(
            "Save label",
            key="save_label",
            type="primary",
            on_click=_save_label,
            args=(session, country_of),
            disabled=disabled,
            width="stretch",
        )
    else:
        draw_speaker_box(session, state.SPEAKER_CHOICE, str(row["speaker"]), disabled)
        left, right = st.columns(2)
        left.button(
            "Save speaker",
            key="save_speaker",
            type="primary",
            on_click=_save_speaker,
            args=(session,),
            disabled=disabled,
            width="stretch",
        )
    if row["status"] == STATUS_REJECTED:
        right.button(
            "Restore",
            key="restore_span",
            on_click=_restore,
            args=(session,),
            disabled=disabled,
            width="stretch",
        )
    else:
        right.button(
            "Reject", key="reject_span", on_click=_reject, args=(session,), disabled=disabled, width="stretch"
        )

    if row["kind"] == KIND_QUOTE:
        draw_badly_cut_names(session)
    if row["kind"] == KIND_ENTITY:
        with st.expander(f"Country: {plain(country_label(row['country']))}"):
            st.selectbox(
                "Country",
                ["", *country_codes()],
                key=state.COUNTRY_CHOICE,
                format_func=country_label,
                help="The country this span refers to, or none.",
                disabled=disabled,
            )
            st.button(
                "Save country", key="save_country", on_click=_save_country, args=(session,), disabled=disabled
            )

    draw_boundary_tools(session, row, country_of)


def draw_new_span(session: ArticleSession, country_of: CountryResolver) -> None:
    """Draw the form that turns the reader's text selection into a new span, or new boundaries."""
    selection = st.session_state.get(state.TEXT_SELECTION)
    if not selection:
        st.caption("Select words in the text to add a span the model missed.")
        return
    start, end = selection
    st.markdown(f"**Selected:** “{plain(_short(session.text[start:end], 120))}”")
    if _picked_row(session) is not None:
        st.caption(
            "To fix the picked span with these words, see **Boundaries** above. Or add them as a new span:"
        )
    kind = st.segmented_control(
        "Add as",
        [KIND_ENTITY, KIND_QUOTE],
        key=state.NEW_KIND,
        default=KIND_ENTITY,
        format_func=str.capitalize,
    )
    if kind == KIND_QUOTE:
        draw_speaker_box(session, state.NEW_SPEAKER)
    else:
        draw_label_box(session, state.NEW_LABEL, session.read_only)
    left, right = st.columns(2)
    left.button(
        "Add span",
        key="add_span",
        type="primary",
        on_click=_add_span,
        args=(session, country_of),
        disabled=session.read_only,
        width="stretch",
    )
    if right.button("Clear selection", key="clear_selection", width="stretch"):
        st.session_state[state.TEXT_SELECTION] = None
        st.rerun()


def draw_speaker_merge(session: ArticleSession) -> None:
    """Draw the tool that makes several speaker names one (“Lavrov” and “Sergei Lavrov”)."""
    table = session.table
    speakers = sorted(set(table.loc[(table["kind"] == KIND_QUOTE) & (table["speaker"] != ""), "speaker"]))
    if len(speakers) < 2:
        st.caption("Merging needs at least two speakers.")
        return
    st.multiselect("Speakers to merge", speakers, key=state.MERGE_FROM)
    st.selectbox(
        "Keep the name",
        speakers,
        key=state.MERGE_INTO,
        accept_new_options=True,
        index=None,
        placeholder="Pick or type the name to keep",
    )
    st.button(
        "Merge speakers",
        key="merge_speakers",
        on_click=_merge_speakers,
        args=(session,),
        disabled=session.read_only,
    )


def show_message() -> None:
    """Show (once) what the last correction did."""
    message = st.session_state.get(state.SAVE_MESSAGE)
    if not message:
        return
    kind, text = message
    {"success": st.success, "error": st.error, "info": st.info}[kind](plain(text))
    st.session_state[state.SAVE_MESSAGE] = None
