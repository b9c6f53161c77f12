"""The desk's pieces: the article listing, the corpus table and charts, the corpus downloads."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st
from spacy.language import Language

from components.annotations.exports import history_to_csv_bytes, to_csv_bytes, to_docbin_bytes, to_jsonl_bytes
from components.annotations.store import AnnotationStore
from components.annotations.xlsx_export import to_xlsx_bytes
from components.corpus import desk
from components.corpus.articles import ArticleLibrary
from components.corpus.listing import STATES, next_unreviewed
from components.corpus.model_cache import MODEL_CACHE_DIR, ModelTableCache, pipeline_identity
from components.nlp.countries import country_name
from components.ui import state
from components.ui.article_tidy import draw_removed_articles
from components.ui.context import AppContext
from components.ui.downloads import XLSX_LABEL, XLSX_MIME, DownloadFile, download_button
from components.ui.markdown import plain
from components.views import charts

READ_PAGE = "components/ui/pages/read.py"
AUTOMATIC_CORPUS_LIMIT = 200  # above this many articles, the corpus charts wait for a click


def _article_links(listing: pd.DataFrame, library: ArticleLibrary) -> pd.DataFrame:
    shown = listing.copy()
    titles = library.titles()
    shown.insert(0, "title", [titles.get(article_id, article_id) for article_id in shown["article_id"]])
    shown.insert(1, "open", "./?article=" + shown["article_id"])
    return shown


def draw_listing(context: AppContext, listing: pd.DataFrame) -> None:
    """Draw the articles with their state and corrections, and the way to the next one to review."""
    counts = listing["state"].value_counts()
    columns = st.columns(4)
    columns[0].metric("Articles", len(listing))
    for column, name in zip(columns[1:], STATES, strict=False):
        column.metric(name.capitalize(), int(counts.get(name, 0)))
    following = next_unreviewed(listing, None)
    if following is not None:
        label = f"Review the next article: {plain(context.library.title(following))} →"
        if st.button(label, key=state.NEXT_UNREVIEWED, type="primary"):
            st.switch_page(READ_PAGE, query_params={state.ARTICLE_PARAM: following})
    else:
        st.success("Every article is reviewed.")
    st.dataframe(
        _article_links(listing, context.library),
        hide_index=True,
        column_config={
            "open": st.column_config.LinkColumn("article", display_text=r"\./\?article=(.*)"),
            "article_id": None,
            "corrections": st.column_config.NumberColumn("corrections", format="%d"),
        },
        height=min(420, 38 + 35 * len(listing)),
    )
    draw_removed_articles(context.library, "desk")


@st.cache_resource(show_spinner=False)
def _model_cache(directory: str, pipeline: str) -> ModelTableCache:
    return ModelTableCache(Path(directory), pipeline)


def model_cache(context: AppContext) -> ModelTableCache:
    """Return the on-disk cache of the model's tables, one per server process."""
    directory = context.settings.annotations_dir / MODEL_CACHE_DIR
    return _model_cache(str(directory), pipeline_identity(context.nlp))


def build_corpus_table(context: AppContext) -> pd.DataFrame:
    """Return every article's merged table, parsing only articles not parsed before (with a progress bar)."""
    cache = model_cache(context)
    bar = st.progress(0.0, text="Reading the corpus…")

    def progress(done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=f"Parsing articles not read before: {done} of {total}")

    table, problems = desk.corpus_table(context.library, context.store, cache, context.nlp, progress)
    bar.empty()
    for problem in problems:
        st.warning(plain(problem))
    return table


def _picked(key: str, selection: str, field: str) -> str | None:
    event = st.session_state.get(key) or {}
    points = (event.get("selection") or {}).get(selection) or []
    return str(points[0][field]) if points and field in points[0] else None


def draw_corpus_charts(table: pd.DataFrame) -> None:
    """Draw who is quoted, which countries, people against organisations, and shares by article."""
    speakers = desk.corpus_speaker_data(table)
    left, right = st.columns(2, gap="large")
    with left:
        st.markdown("##### Who is quoted most")
        if speakers.empty:
            st.caption("No quotes with a speaker yet.")
        else:
            st.altair_chart(charts.kind_chart(desk.kind_totals(table)))
            st.altair_chart(
                charts.corpus_speakers_chart(speakers), key=state.CORPUS_SPEAKER_CHART, on_select="rerun"
            )
            speaker = _picked(state.CORPUS_SPEAKER_CHART, charts.SPEAKER_SELECTION, "speaker")
            if speaker:
                st.markdown(f"**Quotes by {plain(speaker)}**")
                st.dataframe(desk.quotes_of(table, speaker), hide_index=True)
    with right:
        st.markdown("##### Which countries")
        countries = charts.country_data(table, country_name)
        if countries.empty:
            st.caption("No country mentioned yet.")
        else:
            st.altair_chart(
                charts.countries_chart(countries), key=state.CORPUS_COUNTRY_CHART, on_select="rerun"
            )
            country = _picked(state.CORPUS_COUNTRY_CHART, charts.COUNTRY_SELECTION, "iso3")
            if country:
                st.markdown(f"**Mentions of {plain(country_name(country) or country)}**")
                st.dataframe(desk.mentions_of_country(table, country), hide_index=True)
    shares = desk.speaker_share_by_article(table)
    if not shares.empty:
        st.markdown("##### Each speaker's share of an article's quotes")
        st.altair_chart(charts.share_chart(shares))


@st.cache_data(max_entries=4, show_spinner=False)
def _corpus_files(
    table: pd.DataFrame, article_ids: list[str], model: str, _library: ArticleLibrary, _nlp: Language
) -> list[DownloadFile]:
    """Return the corpus downloads, made once per state of the corpus table (``model`` names the tokenizer)."""
    articles = [
        (article_id, _library.get(article_id).text, table[table["article_id"] == article_id])
        for article_id in article_ids
    ]
    return [
        DownloadFile.of(to_csv_bytes(table, bom=True), "desk.csv", "text/csv"),
        DownloadFile.of(to_jsonl_bytes(articles, _nlp), "desk.jsonl", "application/jsonl"),
        DownloadFile.of(to_docbin_bytes(articles, _nlp), "desk.spacy", "application/octet-stream"),
        DownloadFile.of(to_xlsx_bytes(table), "desk.xlsx", XLSX_MIME),
    ]


@st.cache_data(max_entries=4, show_spinner=False)
def _corpus_edits(logs: tuple[tuple[str, int, int], ...], _store: AnnotationStore) -> DownloadFile:
    """Return the corpus's edit log as CSV, read again only when a log changed (``logs``: id, mtime, size)."""
    history = desk.corpus_history(_store, [article_id for article_id, _, _ in logs])
    return DownloadFile.of(history_to_csv_bytes(history, bom=True), "corpus-edits.csv", "text/csv")


def _log_states(store: AnnotationStore, article_ids: list[str]) -> tuple[tuple[str, int, int], ...]:
    states = []
    for article_id in article_ids:
        try:
            stat = store.log_path(article_id).stat()
        except (OSError, ValueError):
            stat = None
        states.append((article_id, stat.st_mtime_ns if stat else 0, stat.st_size if stat else -1))
    return tuple(states)


def draw_corpus_downloads(context: AppContext, table: pd.DataFrame, article_ids: list[str]) -> None:
    """Draw the corpus downloads: every article's annotations as one CSV, JSONL, .spacy and .xlsx, and the edit log."""
    files = _corpus_files(table, article_ids, pipeline_identity(context.nlp), context.library, context.nlp)
    row = st.container(horizontal=True)
    labels = ("Download corpus CSV", "Download corpus JSONL", "Download corpus .spacy", XLSX_LABEL)
    keys = ("download_corpus_csv", "download_corpus_jsonl", "download_corpus_spacy", "download_corpus_xlsx")
    for label, file, key in zip(labels, files, keys, strict=True):
        download_button(row, label, file, key)
    edits = _corpus_edits(_log_states(context.store, article_ids), context.store)
    download_button(row, "Download edit log", edits, "download_corpus_history")
