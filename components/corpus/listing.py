"""The desk listing: every article with its review state, and the review marks behind that state.

No Streamlit here. Files this module keeps in ``ANNOTATIONS_DIR``:

``reviewed/<article_id>``
    An empty marker file: the reader marked the article reviewed. Created with a temp file and
    ``os.replace``, removed with ``unlink``; both are atomic, so a marker is there or it is not.

Listing the corpus reads no article text and parses nothing (two folder scans for the articles,
one for the correction files with cached row counts, one for the markers), so it stays quick for
thousands of articles.
"""

from __future__ import annotations

import os
import secrets
from contextlib import suppress
from pathlib import Path
from typing import Final

import pandas as pd

from components.access.roles import LOCAL_USER, Action, Writer, require, user_now
from components.annotations.store import (
    AccessRefusedError,
    AnnotationStore,
    StoreWriteError,
    check_article_id,
)
from components.corpus.articles import ArticleLibrary

NOT_STARTED: Final = "not started"
IN_PROGRESS: Final = "in progress"
REVIEWED: Final = "reviewed"
STATES: Final = (NOT_STARTED, IN_PROGRESS, REVIEWED)
ORIGIN_FOLDER: Final = "folder"
ORIGIN_UPLOAD: Final = "upload"
REVIEWED_DIR: Final = "reviewed"
LISTING_COLUMNS: Final = ("article_id", "origin", "state", "corrections")


# --- review marks ----------------------------------------------------------------------------------


def _reviewed_dir(annotations_dir: Path) -> Path:
    return Path(annotations_dir) / REVIEWED_DIR


def mark_reviewed(annotations_dir: Path, article_id: str, reviewed: bool, user: Writer = LOCAL_USER) -> None:
    """Return nothing; mark (or unmark) the article reviewed by creating (removing) its marker file.

    ValueError if the id is not safe as a file name; ``AccessRefusedError`` if ``user``'s role may
    not mark articles reviewed; ``StoreWriteError`` (a ``StoreError`` whose message is for the
    reader, e.g. "… Read-only file system …") if the folder cannot be written. In each case the
    mark is as it was.
    """
    require(user_now(user), Action.REVIEW, AccessRefusedError)
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
