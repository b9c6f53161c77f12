"""The edit log of one article: one JSON line per change, appended before the CSV is replaced.

Each line is ``{"change_id", "action": "save" | "undo", "undoes", "time", "annotator",
"base_version", "new_version", "changes": [{"span_id", "before", "after", "model"}]}``; rows are
dicts of CSV cell text (see ``store`` for the whole format and the crash order). This module reads
and appends the lines and answers the questions the store asks of them: which entries reached the
CSV, which spans changed since a version, what undo would revert, what the history shows.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

from components.annotations.atomic_files import append_durably
from components.annotations.schema import COLUMNS

# Fields shown in the history; article_id/span_id are the key, updated_at and source are bookkeeping.
HISTORY_FIELDS: Final = ("kind", "start", "end", "text", "label", "speaker", "country", "status")
HISTORY_COLUMNS: Final = ("time", "change_id", "action", "annotator", "span_id", "field", "old", "new")

Entry = dict[str, Any]


def new_entry(
    action: str,
    now: str,
    annotator: str,
    base_version: str | None,
    changes: list[Entry],
    undoes: str | None = None,
    annotator_email: str = "",
) -> Entry:
    """Return a new log entry for ``changes``; its ``new_version`` is set once the new CSV bytes exist.

    ``annotator_email`` is the signed-in person's address (empty without sign-in): whose change it is.
    """
    return {
        "change_id": uuid.uuid4().hex,
        "action": action,
        "undoes": undoes,
        "time": now,
        "annotator": annotator,
        "annotator_email": annotator_email,
        "base_version": base_version,
        "new_version": None,  # set by the store once the new CSV bytes exist
        "changes": changes,
    }


def read_log(path: Path) -> list[Entry]:
    """Return the log's entries in order, skipping a line torn by a crash (it was never applied)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    entries = []
    for line in data.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if (
            isinstance(entry, dict)
            and {"change_id", "base_version", "new_version", "changes"} <= entry.keys()
        ):
            entries.append(_with_every_column(entry))
    return entries


def _with_every_column(entry: Entry) -> Entry:
    """Return the entry with every row given the columns an older log lacks (as ``""``, as the CSV reads them)."""
    for change in entry["changes"]:
        for side in ("before", "after", "model"):
            if isinstance(change.get(side), dict):
                change[side] = dict.fromkeys(COLUMNS, "") | change[side]
    return entry


def applied_entries(entries: list[Entry], current_version: str | None) -> list[Entry]:
    """Return the entries whose change reached the CSV, oldest first (drops ones a crash left unapplied).

    Walks back from the file's current version: an entry is unapplied when the file stayed at its
    ``base_version`` (the next entry started from there, or the file is still there).
    """
    state, applied = current_version, []
    for entry in reversed(entries):
        if entry["new_version"] != state and entry["base_version"] == state:
            continue
        applied.append(entry)
        state = entry["base_version"]
    return applied[::-1]


def touched_since(
    entries: list[Entry], base_version: str | None, current_version: str | None
) -> dict[str, Entry] | None:
    """Return span_id → latest entry for spans changed since the file was at ``base_version``.

    None when that is unknown: ``base_version`` is not in the log, or the file was changed outside
    the app after it.
    """
    state, touched = current_version, {}
    for entry in reversed(entries):
        if entry["new_version"] == state:
            for change in entry["changes"]:
                touched.setdefault(change["span_id"], entry)
            state = entry["base_version"]
        elif entry["base_version"] != state:
            return None  # the file moved without a log entry
        if state == base_version:
            return touched
    return None


def standing_saves(applied: list[Entry]) -> list[Entry]:
    """Return the applied saves not undone since, oldest first."""
    undone = {entry.get("undoes") for entry in applied if entry.get("action") == "undo"}
    return [entry for entry in applied if entry.get("action") == "save" and entry["change_id"] not in undone]


def edits_in_effect(applied: list[Entry]) -> int:
    """Return how many saved changes stand: each save counts once however many spans it touched,
    and a save that was undone does not count."""
    return len(standing_saves(applied))


def undo_target(applied: list[Entry]) -> Entry | None:
    """Return the latest applied save not undone yet, None if there is none."""
    saves = standing_saves(applied)
    return saves[-1] if saves else None


def history_records(entry: Entry) -> Iterator[dict[str, str]]:
    """Return one history row per field a log entry changed."""
    common = {
        "time": entry.get("time", ""),
        "change_id": entry["change_id"],
        "action": entry.get("action", ""),
        "annotator": entry.get("annotator", ""),
    }
    for change in entry["changes"]:
        span = {**common, "span_id": change["span_id"]}
        if change["after"] is None:
            yield {**span, "field": "(correction)", "old": "present", "new": "removed"}
            continue
        old = change["before"] or change.get("model") or {}
        for name in HISTORY_FIELDS:
            if old.get(name, "") != change["after"].get(name, ""):
                yield {**span, "field": name, "old": old.get(name, ""), "new": change["after"].get(name, "")}


def append_log(path: Path, entry: Entry) -> int:
    """Return the log's size before appending ``entry`` as one fsynced JSON line."""
    line = (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    return append_durably(path, line)
