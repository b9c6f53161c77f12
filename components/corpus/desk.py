"""The desk: many articles at a glance. Their state, the model's tables for all of them, and corpus charts.

No Streamlit here. Files this module keeps in ``ANNOTATIONS_DIR``:

``reviewed/<article_id>``
    An empty marker file: the reader marked the article reviewed. Created with a temp file and
    ``os.replace``, removed with ``unlink``; both are atomic, so a marker is there or it is not.
``.model-cache/<article_id>.<key>.csv``
    The model's annotation table of one article (``csv_codec`` format), where ``key`` is a short
    hash of the article text, the model name and ``COMPONENTS_VERSION``: an edited article, another
    model or changed components give another key, so a stale table is never read. It is a cache:
    deleting the folder only costs a re-parse.

Listing the corpus reads no article text and parses nothing (two folder scans for the articles,
one for the correction files with cached row counts, one for the markers), so it stays quick for
thousands of articles.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path
from typing import Final

import pandas as pd
import spacy
from spacy.language import Language

from components.annotations.csv_codec import TableFormatError, decode_table, encode_table
from components.annotations.schema import COLUMNS, KIND_ENTITY, KIND_QUOTE
from components.annotations.store import (
    HISTORY_COLUMNS,
    AnnotationStore,
    StoreError,
    StoreWriteError,
    check_article_id,
)
from components.annotations.table import active_spans, doc_to_table, empty_table, merge_corrections
from components.config import PROJECT_ROOT
from components.corpus.articles import (
    DEFAULT_MAX_CHARS,
    ArticleError,
    ArticleLibrary,
    check_article_text,
    read_article_file,
)
from components.views import charts

NOT_STARTED: Final = "not started"
IN_PROGRESS: Final = "in progress"
REVIEWED: Final = "reviewed"
STATES: Final = (NOT_STARTED, IN_PROGRESS, REVIEWED)
ORIGIN_FOLDER: Final = "folder"
ORIGIN_UPLOAD: Final = "upload"

REVIEWED_DIR: Final = "reviewed"
MODEL_CACHE_DIR: Final = ".model-cache"
LISTING_COLUMNS: Final = ("article_id", "origin", "state", "corrections")
PARSE_BATCH_SIZE: Final = 16  # articles are long; small batches keep memory flat and progress moving

# The sources that decide what the model's table of a text is, besides the model itself. Hashing
# them (once, at import) means an edit to the quote or country rules invalidates the cache by
# itself; bump CACHE_FORMAT when the cached file's meaning changes in another way.
CACHE_FORMAT: Final = "1"
# Every module of the language side, plus the modules that turn a Doc into the table.
_TABLE_SOURCES: Final = ("nlp/*.py", "annotations/table.py", "annotations/schema.py")


def _components_version() -> str:
    digest = hashlib.sha256(f"{CACHE_FORMAT}\0spacy {spacy.__version__}".encode())
    for pattern in _TABLE_SOURCES:
        for path in sorted((PROJECT_ROOT / "components").glob(pattern)):
            with suppress(OSError):  # an installed copy without sources still gets a stable version
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


COMPONENTS_VERSION: Final = _components_version()
_KEY_LENGTH: Final = 16
_CACHE_FILE = re.compile(rf"^(?P<article_id>.+)\.(?P<key>[0-9a-f]{{{_KEY_LENGTH}}})\.csv$")


# --- review marks ----------------------------------------------------------------------------------


def _reviewed_dir(annotations_dir: Path) -> Path:
    return Path(annotations_dir) / REVIEWED_DIR


def mark_reviewed(annotations_dir: Path, article_id: str, reviewed: bool) -> None:
    """Return nothing; mark (or unmark) the article reviewed by creating (removing) its marker file.

    ValueError if the id is not safe as a file name; ``StoreWriteError`` (a ``StoreError`` whose
    message is for the reader, e.g. "… Read-only file system …") if the folder cannot be written,
    in which case the mark is as it was.
    """
    check_article_id(article_id)
    folder = _reviewed_dir(annotations_dir)
    marker = folder / article_id
    try:
        if not reviewed:
            with suppress(FileNotFoundError):
                marker.unlink()
            return
        folder.mkdir(parents=True, exist_ok=True)
        # A temp name starting with a dot is never taken for a marker (ids cannot start with a dot).
        temp = folder / f".{secrets.token_hex(8)}.tmp"
        try:
            temp.write_bytes(b"")
            os.replace(temp, marker)
        except BaseException:
            with suppress(OSError):
                temp.unlink()
            raise
    except OSError as error:
        action = "marked reviewed" if reviewed else "unmarked"
        raise StoreWriteError(
            f"{article_id!r} could not be {action}: {error.strerror or error} ({marker}). Nothing was "
            "changed; check that the annotations folder exists and is writable."
        ) from error


def reviewed_ids(annotations_dir: Path) -> set[str]:
    """Return the ids of the articles marked reviewed (one scan of the markers folder)."""
    try:
        with os.scandir(_reviewed_dir(annotations_dir)) as entries:
            names = [entry.name for entry in entries if entry.is_file()]
    except FileNotFoundError:
        return set()
    found = set()
    for name in names:
        with suppress(ValueError):  # temp files and anything else that is not an article id
            found.add(check_article_id(name))
    return found


# --- the listing -----------------------------------------------------------------------------------


def list_corpus(library: ArticleLibrary, store: AnnotationStore) -> pd.DataFrame:
    """Return one row per article, sorted by id: ``article_id, origin, state, corrections``.

    ``origin`` is ``folder`` or ``upload`` (pasted articles are kept with the uploads); ``state`` is
    ``reviewed`` when marked so, else ``in progress`` when the article has a correction file, else
    ``not started``. ``corrections`` is the number of corrected spans (0 without a file, and for a
    file that cannot even be read as CSV: opening the article shows its problems). Correction files
    of articles that are no longer in the library are not listed. Reads no article and parses nothing.
    """
    paths = library.paths()
    counts = {summary.article_id: summary.corrections for summary in store.list_articles()}
    reviewed = reviewed_ids(Path(store.directory))
    articles_dir = Path(library.articles_dir)
    rows = []
    for article_id in sorted(paths):
        if article_id in reviewed:
            state = REVIEWED
        elif article_id in counts:
            state = IN_PROGRESS
        else:
            state = NOT_STARTED
        origin = ORIGIN_FOLDER if paths[article_id].parent == articles_dir else ORIGIN_UPLOAD
        rows.append((article_id, origin, state, counts.get(article_id) or 0))
    return pd.DataFrame(rows, columns=list(LISTING_COLUMNS)).astype(
        {"article_id": str, "origin": str, "state": str, "corrections": "int64"}
    )


def next_unreviewed(listing: pd.DataFrame, current_id: str | None) -> str | None:
    """Return the id of the first article after ``current_id`` (in listing order, wrapping) not reviewed.

    From the top when ``current_id`` is None or not listed. The current article itself comes last,
    so it is returned only when it is the one article left to review; None when all are reviewed.
    """
    ids = listing["article_id"].tolist()
    states = listing["state"].tolist()
    start = ids.index(current_id) + 1 if current_id in ids else 0
    for offset in range(len(ids)):
        index = (start + offset) % len(ids)
        if states[index] != REVIEWED:
            return ids[index]
    return None


# --- the model's tables, cached on disk ------------------------------------------------------------


class ModelTableCache:
    """The model's annotation table of each article, kept on disk so the corpus is parsed once.

    Files are ``<directory>/<article_id>.<key>.csv`` (see the module docstring). A file that cannot
    be read back (torn by a crash, edited by hand) is a miss, not an error. Tables read are also
    kept in memory (up to ``MEMORY_ENTRIES``), checked against the file's size and mtime, because
    building thousands of small DataFrames costs more than reading the files: keep one cache
    object per process (the app's resource cache) and repeated corpus views are immediate.
    Safe to share between threads.
    """

    MEMORY_ENTRIES: Final = 20_000

    def __init__(self, directory: Path, model_name: str) -> None:
        self.directory = Path(directory)
        self.model_name = model_name
        self._files_by_article: dict[str, set[str]] | None = None  # filled by one scan on the first put
        self._memory: dict[str, tuple[tuple[int, int], pd.DataFrame]] = {}
        self._lock = threading.Lock()

    def key(self, text: str) -> str:
        """Return the cache key of an article text under this model and these components."""
        digest = hashlib.sha256(f"{self.model_name}\0{COMPONENTS_VERSION}\0".encode())
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()[:_KEY_LENGTH]

    def path(self, article_id: str, text: str) -> Path:
        """Return the cache file of this article text (ValueError if the id is not safe)."""
        return self.directory / f"{check_article_id(article_id)}.{self.key(text)}.csv"

    def get(self, article_id: str, text: str) -> pd.DataFrame | None:
        """Return the cached model table of this article text; None if there is none or it is unreadable."""
        path = self.path(article_id, text)
        try:
            stat = path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
            remembered = self._memory.get(path.name)
            if remembered is not None and remembered[0] == stamp:
                # A shallow copy: with pandas' copy-on-write the caller cannot change the kept table.
                return remembered[1].copy(deep=False)
            table = decode_table(path.read_bytes())
        except (OSError, TableFormatError):
            return None
        with self._lock:
            if len(self._memory) >= self.MEMORY_ENTRIES:
                self._memory.pop(next(iter(self._memory)))  # the oldest entry
            self._memory[path.name] = (stamp, table)
        return table.copy(deep=False)

    def put(self, article_id: str, text: str, table: pd.DataFrame) -> None:
        """Return nothing; store the article's model table, replacing any older one of the same article.

        The write is atomic (temp file, ``os.replace``); it is not fsynced: a file torn by a crash
        fails to decode and is parsed again, which is all a cache needs.
        """
        target = self.path(article_id, text)
        data = encode_table(table)
        self.directory.mkdir(parents=True, exist_ok=True)
        temp = self.directory / f".{secrets.token_hex(8)}.tmp"
        try:
            temp.write_bytes(data)
            os.replace(temp, target)
        except BaseException:
            with suppress(OSError):
                temp.unlink()
            raise
        # Tables of earlier versions of this article only take room: drop them.
        with self._lock:
            files = self._article_files()
            for name in files.get(article_id, set()) - {target.name}:
                self._memory.pop(name, None)
                with suppress(OSError):
                    (self.directory / name).unlink()
            files[article_id] = {target.name}

    def _article_files(self) -> dict[str, set[str]]:
        """Return the cache's file names by article id (one scan, then kept up to date by ``put``)."""
        if self._files_by_article is None:
            self._files_by_article = {}
            with suppress(FileNotFoundError), os.scandir(self.directory) as entries:
                for entry in entries:
                    match = _CACHE_FILE.match(entry.name)
                    if match:
                        self._files_by_article.setdefault(match["article_id"], set()).add(entry.name)
        return self._files_by_article


def corpus_model_tables(
    articles: Iterable[tuple[str, str]],
    nlp: Language,
    cache: ModelTableCache,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, pd.DataFrame]:
    """Return the model's table of each ``(article_id, text)`` by id, parsing only those not cached.

    Missing articles are parsed together with ``nlp.pipe`` and stored in ``cache``. ``progress(done,
    total)`` is called once the cache has been read and after each parsed article. A text the
    pipeline refuses (e.g. longer than ``nlp.max_length``) raises as ``nlp.pipe`` does: callers
    check texts first (``corpus_table`` does). A cache that cannot be written is not an error: the
    tables are returned all the same, and parsed again next time.
    """
    articles = list(articles)
    total = len(articles)
    tables: dict[str, pd.DataFrame] = {}
    missing: list[tuple[str, str]] = []
    for article_id, text in articles:
        cached = cache.get(article_id, text)
        if cached is None:
            missing.append((article_id, text))
        else:
            tables[article_id] = cached
    done = total - len(missing)
    if progress is not None:
        progress(done, total)
    docs = nlp.pipe((text for _, text in missing), batch_size=PARSE_BATCH_SIZE)
    for (article_id, text), doc in zip(missing, docs, strict=True):
        table = doc_to_table(doc, article_id)
        # A cache that cannot be written (read-only folder, full disk) only means parsing again.
        with suppress(OSError):
            cache.put(article_id, text, table)
        # Hand back what a later cache hit gives (text read back from CSV), so every view agrees.
        stored = cache.get(article_id, text)
        tables[article_id] = stored if stored is not None else decode_table(encode_table(table))
        done += 1
        if progress is not None:
            progress(done, total)
    return tables


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
