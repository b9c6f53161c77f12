"""Changes between sets of correction rows, and the merge rule for sessions saving at once.

Rows are dicts of CSV cell text keyed by span_id. A save is a list of change records
``{"span_id", "before", "after", "model"}`` (``None``: no human row), the same records the edit log
keeps. The merge rule: a session that saves from an older version keeps every span others changed
since, unless it changes one of those spans too (``ConflictError``, nothing written).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from components.annotations.csv_codec import Row
from components.annotations.edit_log import Entry
from components.annotations.schema import COLUMNS
from components.annotations.store_errors import Clash, ConflictError


def same_correction(a: Row, b: Row) -> bool:
    """Return whether two rows say the same thing (``updated_at`` is when, not what)."""
    return all(a[name] == b[name] for name in COLUMNS if name != "updated_at")


def changes_between(
    current: Mapping[str, Row],
    upserts: Mapping[str, Row],
    removals: Iterable[str],
    baseline: Mapping[str, Row],
) -> list[Entry]:
    """Return the log's change records turning ``current`` into ``current`` plus upserts, minus removals."""
    changes = []
    for span_id, row in upserts.items():
        before = current.get(span_id)
        if before is None or not same_correction(before, row):
            changes.append(
                {"span_id": span_id, "before": before, "after": row, "model": baseline.get(span_id)}
            )
    for span_id in removals:
        if span_id in current:
            changes.append({"span_id": span_id, "before": current[span_id], "after": None, "model": None})
    return changes


def applied(current: Mapping[str, Row], changes: Iterable[Entry]) -> dict[str, Row]:
    """Return ``current`` with the changes' ``after`` rows applied (None removes the row)."""
    rows = dict(current)
    for change in changes:
        if change["after"] is None:
            rows.pop(change["span_id"], None)
        else:
            rows[change["span_id"]] = change["after"]
    return rows


def reverting_changes(target: Entry, current: Mapping[str, Row]) -> list[Entry]:
    """Return the changes that undo ``target``; ConflictError if its spans changed since, unlogged."""
    changed = [c["span_id"] for c in target["changes"] if current.get(c["span_id"]) != c["after"]]
    if changed:
        raise ConflictError(
            f"the change cannot be undone: span(s) {', '.join(map(repr, changed))} were changed "
            "since outside the app. Nothing was changed."
        )
    return [
        {"span_id": c["span_id"], "before": c["after"], "after": c["before"], "model": None}
        for c in target["changes"]
    ]


def merged_span_ids(changes: list[Entry], touched: Mapping[str, Entry] | None) -> tuple[str, ...]:
    """Return the span_ids others changed (``touched``: span_id → their latest log entry) that a save
    of ``changes`` keeps; ConflictError if one of them is a span this save changes, or if what others
    changed is unknown (``touched`` is None: the file was changed outside the app).
    """
    if touched is None:
        raise ConflictError(
            "this article's annotations were changed by someone else since you opened them: the "
            "file was changed outside the app, so it is unknown which spans changed. Nothing was "
            "saved; reload the article and redo your correction."
        )
    clashes = [change["span_id"] for change in changes if change["span_id"] in touched]
    if clashes:
        who = "; ".join(
            f"{span_id!r} by {touched[span_id]['annotator'] or 'an unnamed annotator'} "
            f"at {touched[span_id]['time']}"
            for span_id in clashes
        )
        raise ConflictError(
            "this article's annotations were changed by someone else since you opened them: "
            f"{who}. Nothing was saved; reload the article to see their version, then redo your "
            "correction.",
            tuple(
                Clash(span_id, touched[span_id]["annotator"], touched[span_id]["time"]) for span_id in clashes
            ),
        )
    return tuple(sorted(touched))
