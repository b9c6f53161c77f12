"""Removed articles: an uploaded or pasted article moved aside with its corrections, restorable.

Deleting never destroys a reader's work: the article's text, its corrections and edit log, its
review mark and its title move to ``<annotations>/removed/<article_id>/``, and ``move_back`` moves
them back. Each move is an ``os.replace`` within one file system (atomic per file), made under the
article's correction lock so that no save lands half-way. The text moves first on delete and last
on restore: a crash in between leaves the article either listed with its corrections, or removed
with them, or removed with some corrections still in place, which restore picks up. No Streamlit here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from filelock import Timeout

from components.annotations.atomic_files import acquire_lock, fsync_directory
from components.annotations.correction_file import CSV_SUFFIX, LOCK_SUFFIX, LOG_SUFFIX

REMOVED_DIR: Final = "removed"
TITLES_DIR: Final = ".titles"  # in the uploads folder: one file per renamed article, its title
LOCK_TIMEOUT: Final = 10.0


class MoveError(OSError):
    """Moving an article's files failed; the message says which and that the rest stayed put."""


@dataclass(frozen=True)
class RemovedArticle:
    article_id: str
    title: str
    removed_at: str  # ISO 8601 UTC, from the folder's time
    corrections: bool  # its corrections were kept with it


@dataclass(frozen=True)
class ArticlePlaces:
    """Where one article's files live while it is in the library, and where they wait once removed."""

    article_id: str
    uploads_dir: Path
    corrections_dir: Path

    @property
    def removed_dir(self) -> Path:
        return self.corrections_dir / REMOVED_DIR / self.article_id

    @property
    def title_file(self) -> Path:
        return self.uploads_dir / TITLES_DIR / self.article_id

    def pairs(self) -> Iterator[tuple[Path, Path]]:
        """Return (place in the library, place once removed), the text first."""
        article_id, removed = self.article_id, self.removed_dir
        yield self.uploads_dir / f"{article_id}.txt", removed / f"{article_id}.txt"
        yield self.corrections_dir / f"{article_id}{CSV_SUFFIX}", removed / f"{article_id}{CSV_SUFFIX}"
        yield self.corrections_dir / f"{article_id}{LOG_SUFFIX}", removed / f"{article_id}{LOG_SUFFIX}"
        yield self.corrections_dir / "reviewed" / article_id, removed / "reviewed"
        yield self.title_file, removed / "title"

    def lock_path(self) -> Path:
        return self.corrections_dir / f"{self.article_id}{LOCK_SUFFIX}"


def _move(pairs: list[tuple[Path, Path]], lock_path: Path, article_id: str, what: str) -> None:
    """Move each existing source to its target, in order, under the article's lock."""
    try:
        lock = acquire_lock(lock_path, LOCK_TIMEOUT)
    except Timeout:
        raise MoveError(f"“{article_id}” is being saved by another session; try again in a moment.") from None
    try:
        for source, target in pairs:
            if not source.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(source, target)
            except OSError as error:
                raise MoveError(
                    f"“{article_id}” could not be {what}: {error.strerror or error} ({source}). "
                    "Files already moved stay where they are; nothing was lost."
                ) from error
            fsync_directory(target.parent)
    finally:
        lock.release()


def move_aside(places: ArticlePlaces) -> None:
    """Move the article and everything kept about it into its folder of removed articles."""
    _move(list(places.pairs()), places.lock_path(), places.article_id, "removed")


def move_back(places: ArticlePlaces) -> None:
    """Move a removed article and everything kept with it back; the text last."""
    pairs = [(target, source) for source, target in places.pairs()]
    _move(pairs[1:] + pairs[:1], places.lock_path(), places.article_id, "restored")


def removed_articles(corrections_dir: Path, title_of) -> list[RemovedArticle]:
    """Return the removed articles, newest first; ``title_of(article_id, folder)`` names each."""
    folder = corrections_dir / REMOVED_DIR
    if not folder.is_dir():
        return []
    found = []
    for entry in folder.iterdir():
        if not (entry / f"{entry.name}.txt").is_file():
            continue
        when = datetime.fromtimestamp(entry.stat().st_mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        kept = (entry / f"{entry.name}{CSV_SUFFIX}").is_file()
        found.append(RemovedArticle(entry.name, title_of(entry.name, entry), when, kept))
    return sorted(found, key=lambda article: article.removed_at, reverse=True)
