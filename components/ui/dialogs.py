"""Dialogs that close themselves when their work is done.

A tool the reader opens now and then (open an article, import a file, set a name) lives in an
``st.dialog`` drawn only when its button is clicked, so a page load neither fetches nor draws its
widgets (:func:`button_opens`). A dialog reruns on its own; its callbacks call :func:`done`, and :func:`close_if_done` at the
end of the dialog reruns the whole page, which closes it and shows what changed.

Every dialog here is declared with ``on_dismiss="rerun"``: closed with its × or Escape, it is gone
from the page, not only hidden. A hidden one comes back, on the next click of its button, with what
it held before until the new run replaces it, and a download clicked in that moment can give the file
as it was before the last correction (the likely cause of one stale CSV in ten rounds of
``test_browser_downloads``, before this).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from components.ui import state


def done() -> None:
    """From a dialog's callback: its work is done, so it closes at the end of this run."""
    st.session_state[state.CLOSE_DIALOG] = True


def closing() -> bool:
    """Return whether the dialog will close at the end of this run."""
    return bool(st.session_state.get(state.CLOSE_DIALOG))


def close_if_done() -> None:
    """At the end of a dialog: rerun the whole page (which closes the dialog) once its work is done."""
    if st.session_state.pop(state.CLOSE_DIALOG, False):
        st.rerun()


def button_opens(dialog: Callable[..., None], args: tuple[Any, ...], label: str, **button: Any) -> None:
    """Draw a button (``label``, and ``st.button``'s keyword arguments) that opens ``dialog(*args)``."""
    if st.button(label, **button):
        dialog(*args)
    # A full run (which draws no dialog) leaves no "done" behind for the next time it opens.
    st.session_state.pop(state.CLOSE_DIALOG, None)
