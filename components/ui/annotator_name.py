"""Without sign-in, the reader's name for the edit log: shown in the sidebar, set in a small dialog."""

from __future__ import annotations

import streamlit as st

from components.ui import dialogs, state
from components.ui.markdown import plain

NAME_LABEL = "Your name (for the edit log)"


def _keep_name() -> None:
    st.session_state[state.ANNOTATOR] = st.session_state.get(state.ANNOTATOR_FIELD, "").strip()
    dialogs.done()


@st.dialog("Your name", on_dismiss="rerun")
def _name_dialog() -> None:
    # The field has its own key: a widget's value is dropped on a run that does not draw it, and the
    # name must outlive the dialog.
    st.session_state[state.ANNOTATOR_FIELD] = st.session_state.get(state.ANNOTATOR, "")
    st.text_input(NAME_LABEL, key=state.ANNOTATOR_FIELD, max_chars=120, on_change=_keep_name)
    st.caption("Each correction you save is logged under this name, so a colleague can see who changed what.")
    st.button("Keep this name", key=state.ANNOTATOR_KEEP, type="primary", on_click=_keep_name)
    dialogs.close_if_done()


def draw_annotator_name() -> None:
    """Draw, in the sidebar, the name the edit log records, and the button that changes it."""
    name = st.session_state.get(state.ANNOTATOR, "")
    with st.sidebar:
        st.caption(plain(f"Edit log name: {name}") if name else "Your corrections are logged without a name.")
        dialogs.button_opens(
            _name_dialog,
            (),
            "Change your name…" if name else "Set your name…",
            key=state.ANNOTATOR_BUTTON,
            icon=":material/badge:",
            width="stretch",
        )
