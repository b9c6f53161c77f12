"""The desk's corpus view: every article's merged table as one, the corpus chart data, the corpus edit log.

No Streamlit here. The listing and review marks are in ``corpus.listing``, the model's tables
(cached on disk) in ``corpus.model_cache``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd
from spacy.language import Language

from components.annotations.schema import COLUMNS, KIND_ENTITY, KIND_QUOTE
from components.annotations.store import HISTORY_COLUMNS, AnnotationStore, StoreError
from components.annotations.table import active_spans, empty_table, merge_corrections
from components.corpus.articles import (
    DEFAULT_MAX_CHARS,
    ArticleError,
    ArticleLibrary,
    check_article_text,
    read_article_file,
)
from components.corpus.model_cache import ModelTableCache, corpus_model_tables
from components.views import charts

# --- the whole corpus as one table -----------------------------------------------------------------


def corpus_table(
    library: ArticleLibrary,
    store: AnnotationStore,
    cache: ModelTableCache,
    nlp: Language,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Return every article's merged table (model rows with its corrections on top), concatenated in the
    CSV schema and sorted by article then offset, and the problems met, one sentence each.

    An article that cannot be read (or is too long for the model) is left out and reported; an
    article whose correction file is malformed is shown with the model's rows only, and reported.
    Never raises for one bad article.
    """
    problems: list[str] = []
    texts: dict[str, str] = {}
    for article_id, path in sorted(library.paths().items()):
        try:
            text = read_article_file(path).text
            check_article_text(text, getattr(nlp, "max_length", DEFAULT_MAX_CHARS))
        except ArticleError as error:
            problems.append(f"{article_id}: left out, {error}")
            continue
        texts[article_id] = text
    model_tables = corpus_model_tables(texts.items(), nlp, cache, progress)
    corrected = {summary.article_id for summary in store.list_articles(count=False)}
    merged = []
    for article_id, text in texts.items():
        model = model_tables[article_id]
        if article_id not in corrected:  # most articles: no file to open
            merged.append(model)
            continue
        try:
            human = store.load(article_id, text).rows
        except (StoreError, ValueError) as error:
            problems.append(f"{article_id}: corrections not used, the model's annotations are shown. {error}")
            merged.append(model)
            continue
        merged.append(merge_corrections(model, human))
    frames = [frame for frame in merged if not frame.empty]
    if not frames:
        return empty_table(), problems
    table = pd.concat(frames, ignore_index=True)[list(COLUMNS)]
    return table.astype({"start": "int64", "end": "int64"}), problems


# --- corpus chart data -----------------------------------------------------------------------------


def _speaker_quotes(table: pd.DataFrame) -> pd.DataFrame:
    active = active_spans(table)
    return active[(active["kind"] == KIND_QUOTE) & (active["speaker"] != "")]


def corpus_speaker_data(table: pd.DataFrame) -> pd.DataFrame:
    """Return one row per speaker, most quoted first: ``speaker, kind, quotes, words, articles``.

    Counts active quotes with a speaker; ``articles`` is how many articles quote them.
    """
    quotes = _speaker_quotes(table)
    if quotes.empty:
        return pd.DataFrame(
            {
                "speaker": pd.Series(dtype=str),
                "kind": pd.Series(dtype=str),
                "quotes": pd.Series(dtype="int64"),
                "words": pd.Series(dtype="int64"),
                "articles": pd.Series(dtype="int64"),
            }
        )
    data = (
        quotes.assign(words=quotes["text"].map(charts.quoted_words))
        .groupby("speaker", as_index=False)
        .agg(quotes=("span_id", "size"), words=("words", "sum"), articles=("article_id", "nunique"))
    )
    data["kind"] = data["speaker"].map(charts.speaker_kinds(quotes)).fillna(charts.UNKNOWN)
    data = data.astype({"quotes": "int64", "words": "int64", "articles": "int64"})
    data = data.sort_values(["quotes", "words", "speaker"], ascending=[False, False, True], kind="stable")
    return data.reset_index(drop=True)[["speaker", "kind", "quotes", "words", "articles"]]


def speaker_share_by_article(table: pd.DataFrame) -> pd.DataFrame:
    """Return each speaker's share of each article's quotes: ``article_id, speaker, quotes, share``.

    The share is over the article's active quotes that have a speaker, so an article's shares sum to 1.
    Sorted by article, then most quoted first.
    """
    quotes = _speaker_quotes(table)
    data = quotes.groupby(["article_id", "speaker"], as_index=False).agg(quotes=("span_id", "size"))
    data["quotes"] = data["quotes"].astype("int64")
    data["share"] = (data["quotes"] / data.groupby("article_id")["quotes"].transform("sum")).astype("float64")
    data = data.sort_values(["article_id", "quotes", "speaker"], ascending=[True, False, True], kind="stable")
    return data.reset_index(drop=True)[["article_id", "speaker", "quotes", "share"]]


def kind_totals(table: pd.DataFrame) -> pd.DataFrame:
    """Return quotes per kind of speaker in the corpus: ``kind, quotes`` (person, organisation, unnamed, unknown)."""
    speakers = corpus_speaker_data(table)
    totals = speakers.groupby("kind")["quotes"].sum()
    kinds = list(charts.SPEAKER_KIND_COLOURS)
    return pd.DataFrame({"kind": kinds, "quotes": [int(totals.get(kind, 0)) for kind in kinds]}).astype(
        {"quotes": "int64"}
    )


def quotes_of(table: pd.DataFrame, speaker: str) -> pd.DataFrame:
    """Return the active quotes of ``speaker``, in reading order: ``article_id, span_id, text``."""
    quotes = _speaker_quotes(table)
    rows = quotes[quotes["speaker"] == speaker].sort_values(["article_id", "start", "end"], kind="stable")
    return rows[["article_id", "span_id", "text"]].reset_index(drop=True)


def mentions_of_country(table: pd.DataFrame, iso3: str) -> pd.DataFrame:
    """Return the active entities pointing to country ``iso3``, in reading order.

    Columns ``article_id, span_id, text, label``.
    """
    active = active_spans(table)
    rows = active[(active["kind"] == KIND_ENTITY) & (active["country"] == iso3)]
    rows = rows.sort_values(["article_id", "start", "end"], kind="stable")
    return rows[["article_id", "span_id", "text", "label"]].reset_index(drop=True)


# --- the corpus's edit log -------------------------------------------------------------------------


def corpus_history(store: AnnotationStore, article_ids: Iterable[str]) -> pd.DataFrame:
    """Return every article's edit history in one frame, ``article_id`` first then ``HISTORY_COLUMNS``,
    oldest first (the rows of one change stay together, in their order).
    """
    columns = ["article_id", *HISTORY_COLUMNS]
    frames = []
    for article_id in article_ids:
        history = store.history(article_id)
        if not history.empty:
            frames.append(history.assign(article_id=article_id)[columns])
    if not frames:
        return pd.DataFrame({column: pd.Series(dtype=str) for column in columns})
    # The times are ISO 8601 UTC of one format, so sorting the text sorts by time.
    return pd.concat(frames, ignore_index=True).sort_values("time", kind="stable").reset_index(drop=True)
