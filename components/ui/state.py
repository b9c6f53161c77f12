"""Session state in one place: widget keys as constants (tests find widgets by key) and defaults."""

from __future__ import annotations

from typing import Any, Final

import streamlit as st

ARTICLE_PARAM: Final = "article"  # ?article=<article_id>

DOWNLOADS_BUTTON: Final = "downloads_open"  # opens the dialog with the article's downloads
OPEN_ARTICLE: Final = "open_article"  # the sidebar button that opens the "Open an article" dialog
CLOSE_DIALOG: Final = "close_dialog"  # set by a dialog's callback when its work is done
ARTICLE_PICKER: Final = "article_picker"
UPLOADER: Final = "article_upload"
PASTE_TEXT: Final = "paste_text"
PASTE_BUTTON: Final = "paste_open"
LABEL_FILTER: Final = "label_filter"
SPEAKER_FILTER: Final = "speaker_filter"
SEEN_LABELS: Final = "seen_labels"
PAGE: Final = "article_page"  # the part of a long article on screen, per article
PAGED_TO_SPAN: Final = "paged_to_span"  # the picked span whose part was last opened
INPUT_MESSAGE: Final = "input_message"
RENAME_TITLE: Final = "rename_title"
RENAME_FOR: Final = "rename_for"  # the article whose title fills the rename box
RENAME_BUTTON: Final = "rename_article"
DELETE_BUTTON: Final = "delete_article"
DELETE_PENDING: Final = "delete_pending"  # the article whose deletion waits for a confirmation
DELETE_CONFIRM: Final = "delete_confirm"
DELETE_CANCEL: Final = "delete_cancel"
RESTORE_PREFIX: Final = "restore_"  # + where + article id: Restore of a removed article
ANNOTATOR: Final = "annotator"  # the local user's name for the edit log (no sign-in)
ANNOTATOR_FIELD: Final = "annotator_field"  # the name dialog's text box
ANNOTATOR_KEEP: Final = "annotator_keep"
ANNOTATOR_BUTTON: Final = "annotator_change"
SIGN_IN: Final = "sign_in"
SIGN_OUT: Final = "sign_out"
SIGN_IN_PROBLEM: Final = "sign_in_problem"  # why st.login refused, shown once on the sign-in screen

ARTICLE_VIEW: Final = "article_view"
SELECTED_SPAN: Final = "selected_span"
SHOWN_SPAN: Final = "shown_span"  # the span whose values fill the editor's widgets
UNSURE_WALK: Final = "unsure_walk"  # the quote the walk through unsure speakers stands at (None: no walk)
UNSURE_WALK_START: Final = "unsure_walk_start"  # where that quote starts, to go on when it is fixed
UNSURE_WALK_BUTTON: Final = "check_unsure_speakers"
PENDING_KEY: Final = "pending_key"  # a shortcut key pressed on a picked span, applied at the next run
PICKER_VERSION: Final = "picker_version"  # the corrections' version the span picker's caption shows
TEXT_SELECTION: Final = "text_selection"
LABEL_CHOICE: Final = "label_choice"
EVERY_MENTION: Final = "every_mention"
SPEAKER_CHOICE: Final = "speaker_choice"
COUNTRY_CHOICE: Final = "country_choice"
BOUNDARY_START: Final = "boundary_start"
BOUNDARY_END: Final = "boundary_end"
NEW_KIND: Final = "new_span_kind"
NEW_LABEL: Final = "new_span_label"
NEW_SPEAKER: Final = "new_span_speaker"
MERGE_FROM: Final = "merge_speakers_from"
MERGE_INTO: Final = "merge_speakers_into"
SAVE_MESSAGE: Final = "save_message"
EDITOR_GENERATION: Final = "editor_generation"  # bumped after a save so the table editor starts afresh
TABLE_EDITOR: Final = "span_table_editor"
UNDO_BUTTON: Final = "undo"
UNDO_CHANGE_PREFIX: Final = "undo_change_"  # + change_id: the History's Undo of one change
CHART_GENERATION: Final = "chart_generation"  # bumped to clear every chart selection at once
SIDE_TABS: Final = "side_tabs"
REVIEWED_TOGGLE: Final = "reviewed_toggle"
NEXT_UNREVIEWED: Final = "next_unreviewed"
LEARN_PATTERNS: Final = "learn_patterns"  # opt-in: patterns from corrections applied to other articles
CORPUS_SPEAKER_CHART: Final = "corpus_speakers"
CORPUS_COUNTRY_CHART: Final = "corpus_countries"
CORPUS_REQUESTED: Final = "corpus_requested"  # a large corpus's charts were asked for
SIDE_TAB_NAMES: Final = ("Overview", "Correct", "All spans", "History")
CORRECT_TAB: Final = SIDE_TAB_NAMES[1]

DEFAULTS: Final[dict[str, Any]] = {
    INPUT_MESSAGE: None,  # a message about the last upload or paste, shown once in the sidebar
    SAVE_MESSAGE: None,  # what the last correction did, shown once above the editor
    SELECTED_SPAN: None,
    SHOWN_SPAN: None,
    UNSURE_WALK: None,
    TEXT_SELECTION: None,  # (start, end) of the text the reader selected in the article
    EDITOR_GENERATION: 0,
    CHART_GENERATION: 0,
    ANNOTATOR: "",
    SEEN_LABELS: frozenset(),
    LEARN_PATTERNS: False,  # opt-in  # labels the filter has offered: a label not seen yet starts shown
}


def init_state() -> None:
    """Set every default that the session does not have yet."""
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)
