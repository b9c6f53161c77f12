"""The readers' corrections of each article, on disk: validated, atomic, locked, merged and undoable.

``AnnotationStore`` puts the parts together; every write goes through ``AnnotationStore._commit``
with the article's lock held. The parts, each its own module:

* ``correction_file``: the CSV file of one article: its name, version and rows checked against the text;
* ``edit_log``: the JSON-lines log of changes, and what it says about versions, undo and history;
* ``atomic_files``: the lock, the atomic replacement and the durable append;
* ``store_merge``: the change records and the rule that merges sessions saving at once;
* ``store_errors``: the errors, each message meant for the reader.

Files in the store's directory, per article id ``<id>``
------------------------------------------------------
``<id>.csv``
    The human rows only (``source=human``), in the ``csv_codec`` format, sorted by start, end, kind,
    span_id. The model's rows are recomputed from the parse; a human row with a model row's span_id
    overrides it (``annotations.merge_corrections``), and a rejected model span is a human row with
    ``status=rejected``.
``<id>.log.jsonl``
    The edit log, one JSON object per line, appended once per change (a save or an undo)::

        {"change_id": "…", "action": "save" | "undo", "undoes": change_id | null,
         "time": "2026-11-25T12:00:00Z", "annotator": "…", "annotator_email": "…",
         "base_version": version before | null, "new_version": version after,
         "changes": [{"span_id": "…", "before": row | null, "after": row | null, "model": row | null}]}

    Rows are dicts of CSV cell text. ``before``/``after`` are the human rows (null: no human row);
    ``model`` is the model's row when the caller passed it, so the history can show the model's
    value as the "old" value of a first correction.
``<id>.csv.lock``
    The ``filelock`` lock file serialising the writers of one article (across threads and processes).
``.<id>.csv.<random>.tmp``
    A save in flight. A crash can leave one behind; the next save of that article removes it.

A version is the SHA-256 of the CSV file's bytes (None: no file), so it changes exactly when the content does.

Crash order
-----------
A save, under the lock: read and validate the CSV, work out the change, append the log entry and
fsync it, then write the CSV atomically (temp file, fsync, ``os.replace``, fsync the directory).

* ``load`` reads only the CSV, which ``os.replace`` swaps in whole: a crash anywhere leaves the old
  or the new file, never a mix.
* The log is written first, so no applied change is ever missing from it. A crash between the two
  writes leaves a log entry whose ``new_version`` the CSV never reached; it is recognised as
  unapplied (the next entry's ``base_version``, or the CSV's current version, is still the entry's
  ``base_version``) and ignored by ``history``, ``undo`` and the conflict check. A crash in the
  middle of an append leaves a torn last line, which readers skip (it can only be an unapplied
  change) and the next append starts on a fresh line.
* A failed CSV write (``OSError``) truncates the log back to its size before the save.

Who may write
-------------
The store is opened for a user (``components.access``; the single local user by default, who may
do everything), asked again at every write. ``save`` needs a role that may correct (or import,
for rows from a file); ``undo`` one that may undo its own changes, and the change undone must be
the user's own (logged under their address) unless the role may undo anyone's. Otherwise
``AccessRefusedError`` says why, and nothing is written. With sign-in, the log names the signed-in
identity, never a typed name.

Conflict rule
-------------
Each session saves with the ``version`` it loaded. If the file moved on meanwhile, the log says
which span_ids the other saves touched: corrections of other span_ids are merged (both kept); if one
of them is a span_id this save changes, ``ConflictError`` and nothing is written. If the file was
changed outside the app (its version is not in the log), what changed is unknown, so a save from an
older version is refused too.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import pandas as pd
from filelock import Timeout

from components.access.roles import LOCAL_USER, Action, User, Writer, require, user_now
from components.annotations.atomic_files import (
    acquire_lock,
    remove_stale_temp_files,
    write_atomically,
)
from components.annotations.change_list import ChangeItem, change_list, change_to_undo, undo_allowed
from components.annotations.correction_file import (
    CSV_SUFFIX,
    LOCK_SUFFIX,
    LOG_SUFFIX,
    ArticleSummary,
    RowCounts,
    article_problems,
    check_article_id,
    incoming_rows,
    list_correction_files,
    read_corrections,
    rows_by_span,
    rows_frame,
    sorted_rows,
    version_of,
    version_of_file,
)
from components.annotations.csv_codec import (
    Row,
    encode_records,
    table_records,
)
from components.annotations.edit_log import (
    HISTORY_COLUMNS,
    Entry,
    append_log,
    applied_entries,
    edits_in_effect,
    history_records,
    new_entry,
    read_log,
    touched_since,
)
from components.annotations.schema import utc_now
from components.annotations.store_errors import (
    AccessRefusedError,
    AnnotationFileError,
    ConflictError,
    InvalidRowsError,
    StoreError,
    StoreLockedError,
    StoreWriteError,
)
from components.annotations.store_merge import (
    applied,
    changes_between,
    merged_span_ids,
    reverting_changes,
)

__all__ = [
    "HISTORY_COLUMNS",
    "AccessRefusedError",
    "AnnotationFileError",
    "AnnotationStore",
    "ArticleSummary",
    "ChangeItem",
    "ConflictError",
    "Corrections",
    "InvalidRowsError",
    "SaveResult",
    "StoreError",
    "StoreLockedError",
    "StoreWriteError",
    "check_article_id",
]

DEFAULT_LOCK_TIMEOUT: Final = 10.0


# --- results ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Corrections:
    """The human rows of one article and the version they were read at."""

    article_id: str
    rows: pd.DataFrame
    version: str | None


@dataclass(frozen=True)
class SaveResult:
    """What a save or an undo did.

    ``changed_span_ids`` is empty (and ``change_id`` None) when nothing needed writing.
    ``merged_span_ids`` are spans other sessions changed since ``base_version`` that were kept.
    """

    version: str | None
    rows: pd.DataFrame
    change_id: str | None = None
    changed_span_ids: tuple[str, ...] = ()
    merged_span_ids: tuple[str, ...] = ()


# --- the store -------------------------------------------------------------------------------------


@dataclass
class AnnotationStore:
    """The corrections of each article, one CSV file per article in ``directory``, written as ``user``."""

    directory: Path
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    user: Writer = LOCAL_USER  # asked at each write (``access.roles.Writer``)
    _row_counts: RowCounts = field(default_factory=RowCounts, repr=False)

    def __post_init__(self) -> None:
        self.directory = Path(self.directory)

    # paths

    def csv_path(self, article_id: str) -> Path:
        """Return the path of the article's correction file (ValueError if the id is not safe)."""
        return self.directory / (check_article_id(article_id) + CSV_SUFFIX)

    def log_path(self, article_id: str) -> Path:
        """Return the path of the article's edit log."""
        return self.directory / (check_article_id(article_id) + LOG_SUFFIX)

    def lock_path(self, article_id: str) -> Path:
        """Return the path of the article's lock file."""
        return self.directory / (check_article_id(article_id) + LOCK_SUFFIX)

    # reading

    def load(self, article_id: str, article_text: str) -> Corrections:
        """Return the article's human rows (empty if it has no file) and their version.

        Raises ``AnnotationFileError`` listing every problem if the file is not a valid correction
        file for this article text. Never writes anything.
        """
        rows, version = self._read_current(article_id, article_text)
        return Corrections(article_id, rows_frame(rows), version)

    def history(self, article_id: str) -> pd.DataFrame:
        """Return every applied edit, oldest first, one row per changed field (``HISTORY_COLUMNS``).

        A first correction of a model span shows the model's value as ``old`` when ``save`` was
        given ``model_rows``; a removed correction shows as field ``(correction)``, ``present`` → ``removed``.
        """
        records = [record for entry in self._applied(article_id) for record in history_records(entry)]
        return pd.DataFrame(records, columns=list(HISTORY_COLUMNS), dtype="str")

    def changes(self, article_id: str) -> list[ChangeItem]:
        """Return the article's applied changes, newest first, each saying whether the user may undo it."""
        return change_list(self._applied(article_id), user_now(self.user))

    def can_undo(self, article_id: str) -> bool:
        """Return whether the article has a saved change that ``undo`` would revert, and the user may."""
        return undo_allowed(self._applied(article_id), user_now(self.user))

    def list_articles(self, *, count: bool = True) -> list[ArticleSummary]:
        """Return the articles that have a correction file, sorted by id.

        Cheap: one ``scandir``; row counts are cached per file and recounted (a plain CSV read, no
        validation) only when a file's size, mtime or inode changed. ``count=False`` skips reading.
        """
        return list_correction_files(self.directory, self._row_counts if count else None)

    # writing

    def save(
        self,
        article_id: str,
        article_text: str,
        rows: pd.DataFrame,
        base_version: str | None,
        annotator: str = "",
        *,
        remove: Iterable[str] = (),
        model_rows: pd.DataFrame | None = None,
        action: Action = Action.CORRECT,
    ) -> SaveResult:
        """Return the result of upserting ``rows`` (human rows, by span_id) as one change.

        ``remove`` lists span_ids whose human row is deleted (the model's row applies again).
        ``model_rows`` (optional) are only recorded in the log so the history can show the model's
        value as the old value. Blank ``article_id``/``source`` cells are filled in; ``updated_at``
        is set to the save time. ``action`` is what the save does, for the role check: a reader's
        correction, or ``Action.IMPORT`` for rows brought from a file, which only an editor may.

        Raises ``AccessRefusedError`` (the user's role may not), ``InvalidRowsError`` (bad rows), ``AnnotationFileError`` (the file on disk is
        malformed: it is not overwritten), ``ConflictError`` (someone else changed one of these
        spans since ``base_version``), ``StoreLockedError`` or ``StoreWriteError``; in every case
        nothing is written.
        """
        user = user_now(self.user)
        require(user, action, AccessRefusedError)
        now = utc_now()
        upserts = incoming_rows(article_id, article_text, rows, now)
        removals = list(dict.fromkeys(remove))
        both = sorted(set(removals) & set(upserts))
        if both:
            raise InvalidRowsError([f"span(s) {', '.join(both)} are both saved and removed"])
        baseline = rows_by_span(table_records(model_rows)) if model_rows is not None else {}
        with self._locked(article_id):
            current, version = self._read_current(article_id, article_text)
            changes = changes_between(current, upserts, removals, baseline)
            if not changes:
                return SaveResult(version, rows_frame(current))
            merged: tuple[str, ...] = ()
            if version != base_version:
                touched = touched_since(read_log(self.log_path(article_id)), base_version, version)
                merged = merged_span_ids(changes, touched)
            name, email = _author(user, annotator)
            entry = new_entry("save", now, name, version, changes, annotator_email=email)
            new_version = self._commit(article_id, current, entry)
        return SaveResult(
            new_version,
            rows_frame(applied(current, changes)),
            entry["change_id"],
            tuple(change["span_id"] for change in changes),
            merged,
        )

    def undo(
        self,
        article_id: str,
        article_text: str,
        base_version: str | None,
        annotator: str = "",
        change_id: str | None = None,
    ) -> SaveResult:
        """Return the result of reverting one saved change, itself logged: ``change_id``, else the last.

        Without ``change_id``, repeated undos walk further back; a result with no changed spans
        means there is nothing to undo. A change whose spans a later change touched cannot be
        undone (``ConflictError``, saying which), nor one already undone. Raises ``ConflictError``
        if the file changed since ``base_version`` (reload first) or the spans were changed outside
        the app since; ``AccessRefusedError`` for another's change unless the user is an editor;
        other errors as ``save``.
        """
        user = user_now(self.user)
        require(user, Action.UNDO_OWN, AccessRefusedError)
        now = utc_now()
        with self._locked(article_id):
            current, version = self._read_current(article_id, article_text)
            if version != base_version:
                raise ConflictError(
                    "this article's annotations were changed by someone else since you opened them; "
                    "reload the article before undoing, so you can see what would be undone."
                )
            target = change_to_undo(
                applied_entries(read_log(self.log_path(article_id)), version), user, change_id
            )
            if target is None:
                return SaveResult(version, rows_frame(current))
            changes = _checked_reverting_changes(target, current, article_id, article_text)
            name, email = _author(user, annotator)
            entry = new_entry(
                "undo", now, name, version, changes, undoes=target["change_id"], annotator_email=email
            )
            new_version = self._commit(article_id, current, entry)
        return SaveResult(
            new_version,
            rows_frame(applied(current, changes)),
            entry["change_id"],
            tuple(change["span_id"] for change in changes),
        )

    # internals

    def _applied(self, article_id: str) -> list[Entry]:
        """Return the log entries that reached the article's CSV, oldest first."""
        return applied_entries(
            read_log(self.log_path(article_id)), version_of_file(self.csv_path(article_id))
        )

    def _read_current(self, article_id: str, article_text: str) -> tuple[dict[str, Row], str | None]:
        """Return the validated human rows by span_id and the file's version ({} and None: no file)."""
        return read_corrections(self.csv_path(article_id), article_id, article_text)

    def _locked(self, article_id: str) -> AbstractContextManager[None]:
        """Hold the article's lock for the block; StoreLockedError after ``lock_timeout`` seconds."""
        return _article_lock(article_id, self.lock_path(article_id), self.lock_timeout)

    def _commit(self, article_id: str, current: dict[str, Row], entry: Entry) -> str:
        """Return the new version after logging ``entry`` and writing the CSV it describes (lock held)."""
        csv_path, log_path = self.csv_path(article_id), self.log_path(article_id)
        data = encode_records(sorted_rows(applied(current, entry["changes"]).values()))
        entry["new_version"] = version_of(data)
        remove_stale_temp_files(csv_path)
        try:
            log_size = append_log(log_path, entry)
        except OSError as error:
            raise _write_error(article_id, log_path, error) from error
        try:
            write_atomically(csv_path, data)
        except OSError as error:
            # The CSV is unchanged, so the entry is unapplied; dropping it keeps the log tidy.
            with suppress(OSError):
                os.truncate(log_path, log_size)
            raise _write_error(article_id, csv_path, error) from error
        self._row_counts.forget(str(csv_path))
        return entry["new_version"]


def edit_status(store: AnnotationStore, article_id: str) -> tuple[int, bool]:
    """Return how many of the readers' edits of the article stand (a save counts once, however many
    spans) and whether the user may undo the last, from one read of the edit log."""
    applied = store._applied(article_id)
    return edits_in_effect(applied), undo_allowed(applied, user_now(store.user))


def _checked_reverting_changes(
    target: Entry, current: dict[str, Row], article_id: str, article_text: str
) -> list[Entry]:
    """Return the changes that undo ``target``; InvalidRowsError if a row it restores no longer fits the text."""
    changes = reverting_changes(target, current)
    problems = article_problems(
        [(f"restored span {c['span_id']!r}", c["after"]) for c in changes if c["after"]],
        article_id,
        article_text,
    )
    if problems:
        raise InvalidRowsError(problems)
    return changes


def _author(user: User, annotator: str) -> tuple[str, str]:
    """Return who the log names for a change: the signed-in identity, else the name typed locally."""
    if user.signed_in:
        return user.label, user.email
    return annotator, ""


@contextmanager
def _article_lock(article_id: str, path: Path, timeout: float) -> Iterator[None]:
    """Hold the lock at ``path`` for the block; StoreLockedError after ``timeout`` seconds."""
    try:
        lock = acquire_lock(path, timeout)
    except Timeout:
        raise StoreLockedError(
            f"The annotations of {article_id!r} are being saved by another session (lock {path} "
            f"still held after {timeout:g} s). Nothing was saved; try again in a moment."
        ) from None
    except OSError as error:
        raise _write_error(article_id, path, error) from error
    try:
        yield
    finally:
        lock.release()


def _write_error(article_id: str, path: Path, error: OSError) -> StoreWriteError:
    reason = error.strerror or str(error)
    return StoreWriteError(
        f"The annotations of {article_id!r} could not be saved: {reason} ({path}). The previous file is "
        "unchanged. Check that the annotations folder exists, is writable and the disk is not full."
    )
