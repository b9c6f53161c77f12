"""The import panels: an annotation file for the open article (or the corpus, on the desk), its
preview, and one click to apply it."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from components.access.roles import Action
from components.annotations.import_formats import ImportedFile, ImportFormatError, read_annotation_file
from components.annotations.imports import CONFLICTING, OUTCOMES, REFUSED, UNCHANGED, plan_import
from components.corpus.importing import ModelTableOf, import_annotations, report_lines
from components.corpus.model_cache import corpus_model_tables
from components.ui import dialogs
from components.ui.context import AppContext
from components.ui.desk_view import model_cache
from components.ui.editor import show_message
from components.ui.markdown import plain
from components.ui.session import ArticleSession, save_rows

IMPORT_OPEN = "import_open"
IMPORT_FILE = "import_file"
IMPORT_COMPLETE = "import_complete"
IMPORT_APPLY = "import_apply"
_GENERATION = "import_generation"  # bumped after an import so the file picker starts empty
FILE_TYPES = ["csv", "xlsx", "jsonl", "json"]
# Refusals first: they are what the reader must read before applying.
_ORDER = {outcome: place for place, outcome in enumerate(dict.fromkeys((REFUSED, CONFLICTING, *OUTCOMES)))}
SHOWN_REASONS = 5


def _apply(session: ArticleSession, rows: pd.DataFrame, what: str) -> None:
    if save_rows(session, lambda: rows, what, Action.IMPORT):
        st.session_state[_GENERATION] = st.session_state.get(_GENERATION, 0) + 1
        dialogs.done()  # the page reruns and says what was saved


@st.dialog("Bring corrections back in", width="large", on_dismiss="rerun")
def _import_dialog(session: ArticleSession) -> None:
    draw_import(session)
    if not dialogs.closing():
        show_message()  # a refused save is explained here, where it was tried
    dialogs.close_if_done()


def draw_import_button(session: ArticleSession) -> None:
    """Draw the button that opens the import for the open article, in a dialog drawn only when asked for."""
    dialogs.button_opens(
        _import_dialog,
        (session,),
        "Bring corrections back in…",
        key=IMPORT_OPEN,
        icon=":material/upload_file:",
    )


def _pick_file(label: str, key: str) -> tuple[UploadedFile, ImportedFile] | None:
    """Return the file the reader picked and what it holds; None (after saying why) if there is none to read."""
    upload = st.file_uploader(label, type=FILE_TYPES, key=f"{key}_{st.session_state.get(_GENERATION, 0)}")
    if upload is None:
        return None
    try:
        return upload, read_annotation_file(upload.name, upload.getvalue())
    except ImportFormatError as error:
        st.error(plain(f"{upload.name} cannot be imported: {error}"))
        return None


def draw_import(session: ArticleSession) -> None:
    """Draw the file picker; once a file is picked, what it would change, and the button that applies it."""
    st.caption(
        "Our CSV (as edited in a spreadsheet) or .xlsx, span JSONL (ours, Prodigy, spaCy), "
        "Label Studio's JSON export or doccano's JSONL."
    )
    picked = _pick_file("Annotation file", IMPORT_FILE)
    if picked is None:
        return
    upload, imported = picked
    complete = st.checkbox(
        "The file holds every annotation of this article: reject the spans it leaves out",
        key=IMPORT_COMPLETE,
    )
    plan = plan_import(imported.spans, session.article_id, session.text, session.table, complete=complete)
    st.markdown(f"**{plain(imported.format)}**, {len(imported.spans)} span(s): {plain(plan.summary())}.")
    for message in imported.unreadable:
        st.warning(plain(f"Not read: {message}"))
    not_applied = [line for line in plan.preview if line["outcome"] in (REFUSED, CONFLICTING)]
    if not_applied:
        listed = "\n".join(
            f"- {plain(str(line['text']))} ({line['where']}): {plain(str(line['reason']))}"
            for line in not_applied[:SHOWN_REASONS]
        )
        more = len(not_applied) - SHOWN_REASONS
        st.warning(
            f"{len(not_applied)} span(s) will not be applied:\n{listed}"
            + (f"\n\n…and {more} more, in the table below." if more > 0 else "")
        )
    # What will change, and what will not and why; unchanged spans are only counted.
    changes = plan.preview_frame()
    changes = changes[changes["outcome"] != UNCHANGED]
    changes = changes.sort_values("outcome", key=lambda column: column.map(_ORDER), kind="stable")
    if not changes.empty:
        st.dataframe(
            changes,
            hide_index=True,
            height=min(360, 38 + 35 * len(changes)),
            column_order=["outcome", "text", "before", "after", "reason", "where"],
            key="import_preview",
        )
    st.button(
        f"Apply import ({len(plan.rows)} change(s), one undo)",
        key=IMPORT_APPLY,
        type="primary",
        on_click=_apply,
        args=(session, plan.rows, f"imported {upload.name}"),
        disabled=session.read_only or plan.rows.empty,
    )


CORPUS_IMPORT_FILE = "corpus_import_file"
CORPUS_IMPORT_REPORT = "corpus_import_report"


def _import_corpus(context: AppContext, name: str, data: bytes, complete: bool, annotator: str) -> None:
    imported = read_annotation_file(name, data)
    outcomes = import_annotations(
        imported,
        context.library,
        context.store,
        _model_table_of(context),
        complete=complete,
        annotator=annotator,
    )
    st.session_state[CORPUS_IMPORT_REPORT] = report_lines(name, imported, outcomes)
    st.session_state[_GENERATION] = st.session_state.get(_GENERATION, 0) + 1


def _model_table_of(context: AppContext) -> ModelTableOf:
    cache = model_cache(context)
    return lambda article_id, text: corpus_model_tables([(article_id, text)], context.nlp, cache)[article_id]


def draw_corpus_import(context: AppContext, annotator: str = "") -> None:
    """Draw the desk's import: a file whose spans name their articles, what it would change in each, and apply."""
    report = st.session_state.pop(CORPUS_IMPORT_REPORT, None)
    if report:
        st.success("Imported. What changed, article by article:")
        st.code("\n".join(report), language=None)
    picked = _pick_file(
        "Annotation file for the corpus (each row or task names its article)", CORPUS_IMPORT_FILE
    )
    if picked is None:
        return
    upload, imported = picked
    complete = st.checkbox("The file holds every annotation of its articles: reject the spans it leaves out")
    outcomes = import_annotations(
        imported, context.library, context.store, _model_table_of(context), complete=complete, apply=False
    )
    st.code("\n".join(report_lines(upload.name, imported, outcomes)), language=None)
    changes = sum(len(o.plan.rows) for o in outcomes if o.plan is not None)
    st.button(
        f"Apply import ({changes} change(s) in {sum(1 for o in outcomes if o.plan is not None and not o.plan.rows.empty)} article(s), one undo each)",
        key="corpus_import_apply",
        type="primary",
        disabled=not changes,
        on_click=_import_corpus,
        args=(context, upload.name, upload.getvalue(), complete, annotator),
    )
