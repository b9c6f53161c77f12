"""The desk's corpus view: every article's merged table as one, the corpus chart data, the corpus edit log.

No Streamlit here. The listing and review marks are in ``corpus.listing``, the model's tables
(cached on disk) in ``corpus.model_cache``.
"""

from __future__ import annotations

from collections import Counter
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


def _article_speaker_kinds(table: pd.DataFrame) -> dict[tuple[str, str], str]:
    """Return the kind of each (article, speaker), by ``charts.speaker_kinds``' rule within each article.

    The same rule (a PERSON entity naming them in full or by part of the name: person; an
    ORG/NORP/GPE/FAC entity or an organisation word: organisation), written over plain rows:
    calling ``charts.speaker_kinds`` once per article costs milliseconds each, minutes for a big corpus.
    """
    active = active_spans(table)
    entities = active[active["kind"] == KIND_ENTITY]
    quotes = active[(active["kind"] == KIND_QUOTE) & (active["speaker"] != "")]
    names: dict[str, list[tuple[str, frozenset[str], str]]] = {}
    # tolist() first: iterating pandas' Arrow-backed strings cell by cell is several times slower.
    columns = (entities["article_id"].tolist(), entities["text"].tolist(), entities["label"].tolist())
    for article_id, text, label in zip(*columns, strict=True):
        name = charts._strip_possessive(text)
        names.setdefault(article_id, []).append((name, frozenset(name.split()), label))
    kinds = {}
    pairs = set(zip(quotes["article_id"].tolist(), quotes["speaker"].tolist(), strict=True))
    for article_id, speaker in pairs:
        words = set(speaker.split())
        labels = {
            label
            for name, parts, label in names.get(article_id, ())
            if name == speaker or (name and parts <= words)
        }
        if "PERSON" in labels:
            kinds[(article_id, speaker)] = charts.PERSON
        elif labels & charts.ORGANISATION_LABELS or charts.ORGANISATION_WORDS.search(speaker):
            kinds[(article_id, speaker)] = charts.ORGANISATION
        else:
            kinds[(article_id, speaker)] = charts.UNKNOWN
    return kinds


def _corpus_speaker_kinds(table: pd.DataFrame) -> dict[str, str]:
    """Return each speaker's kind by majority over the articles quoting them (ties: person).

    Decided per article first, as the article chart does: a name means one thing within an article,
    and a corpus-wide comparison of every name with every speaker would not scale.
    """
    votes: dict[str, Counter[str]] = {}
    for (_, speaker), kind in _article_speaker_kinds(table).items():
        votes.setdefault(speaker, Counter())[kind] += 1
    kinds = {}
    for speaker, counter in votes.items():
        people, organisations = counter[charts.PERSON], counter[charts.ORGANISATION]
        if people or organisations:
            kinds[speaker] = charts.PERSON if people >= organisations else charts.ORGANISATION
        else:
            kinds[speaker] = charts.UNKNOWN
    return kinds


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
    data["kind"] = data["speaker"].map(_corpus_speaker_kinds(table)).fillna(charts.UNKNOWN)
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
    """Return quotes per kind of speaker in the corpus: ``kind, quotes`` (person, organisation, unknown)."""
    speakers = corpus_speaker_data(table)
    totals = speakers.groupby("kind")["quotes"].sum()
    kinds = [charts.PERSON, charts.ORGANISATION, charts.UNKNOWN]
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
