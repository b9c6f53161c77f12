"""The edit log as a change list: each change with its spans, and whether it can be undone (and why not).

Any one change can be undone, not only the last, when nothing later touched its spans: a later
change to the same span would be silently lost, so it must be undone first. A later change that
was itself undone later still counts as not there. Who may undo is the role's rule
(``components.access``): an annotator their own changes, an editor anyone's.
"""

from __future__ import annotations

from dataclasses import dataclass

from components.access.roles import Action, User, refusal
from components.annotations.edit_log import Entry, history_records, undo_target
from components.annotations.store_errors import AccessRefusedError, ConflictError


@dataclass(frozen=True)
class FieldChange:
    field: str  # a history field ("label", …); "(correction)": a correction removed (old: its label)
    old: str
    new: str


@dataclass(frozen=True)
class SpanChange:
    span_id: str
    text: str  # the span's text as the article has it (after the change, else before)
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class ChangeItem:
    """One change of the log as the history lists it; ``why_not_undo`` is None when it can be undone."""

    change_id: str
    action: str  # "save" or "undo"
    time: str  # ISO 8601 UTC
    annotator: str
    spans: tuple[SpanChange, ...]
    why_not_undo: str | None


def span_text(change: Entry) -> str:
    """Return the text of the span a change record is about."""
    for side in ("after", "before", "model"):
        row = change.get(side)
        if isinstance(row, dict) and row.get("text"):
            return str(row["text"])
    return change["span_id"]


def span_changes(entry: Entry) -> tuple[SpanChange, ...]:
    """Return what ``entry`` changed, span by span, each with the fields whose value changed."""
    fields: dict[str, list[FieldChange]] = {change["span_id"]: [] for change in entry["changes"]}
    for record in history_records(entry):
        fields[record["span_id"]].append(FieldChange(record["field"], record["old"], record["new"]))
    for change in entry["changes"]:
        if change["after"] is None and isinstance(change["before"], dict):
            # A removed correction: the model's reading applies again; say which label it leaves.
            fields[change["span_id"]] = [FieldChange("(correction)", change["before"].get("label", ""), "")]
    return tuple(
        SpanChange(change["span_id"], span_text(change), tuple(fields[change["span_id"]]))
        for change in entry["changes"]
    )


def _author_of(entry: Entry) -> str:
    return entry.get("annotator") or "someone without a name"


NOT_IN_LOG = "That change is not in this article's edit log (it may have been lost in a crash)."


def log_refusals(applied: list[Entry]) -> dict[str, str | None]:
    """Return change_id -> why it cannot be undone, as the log tells (None: it can), in one pass.

    ``applied`` are the entries that reached the CSV, oldest first. Walking back from the newest, a
    save touches its spans for every earlier change, unless a later undo took it back (the pair left
    nothing behind); an undo touches nothing of its own.
    """
    refusals: dict[str, str | None] = {}
    undone_by: dict[str, Entry] = {}
    touched_later: dict[str, tuple[Entry, Entry]] = {}  # span_id -> (the later save, its change record)
    for entry in reversed(applied):
        change_id = entry["change_id"]
        if entry.get("action") != "save":
            undone_by[entry.get("undoes") or ""] = entry
            refusals[change_id] = "This undid an earlier change; to have that change back, make it again."
            continue
        if change_id in undone_by:
            refusals[change_id] = f"Already undone by {_author_of(undone_by[change_id])}."
            continue
        blocker = next(
            (touched_later[c["span_id"]] for c in entry["changes"] if c["span_id"] in touched_later), None
        )
        refusals[change_id] = (
            f"“{span_text(blocker[1])}” was changed again later, by {_author_of(blocker[0])}: undo that change first."
            if blocker
            else None
        )
        for change in entry["changes"]:
            touched_later[change["span_id"]] = (entry, change)
    return refusals


def log_refusal(applied: list[Entry], change_id: str) -> str | None:
    """Return why the change ``change_id`` cannot be undone, as the log tells (None: it can)."""
    return log_refusals(applied).get(change_id, NOT_IN_LOG)


def role_refusal(user: User, target: Entry) -> str | None:
    """Return why ``user`` may not undo ``target`` (None: they may): only editors undo others' changes."""
    why_not = refusal(user, Action.UNDO_OWN)
    if why_not or user.may(Action.UNDO_ANY) or user.is_author(target.get("annotator_email", "")):
        return why_not
    return (
        f"This change was made by {target.get('annotator') or 'someone without sign-in'}; "
        f"{user.label} may undo only their own changes (an editor may undo anyone's). Nothing was changed."
    )


def undo_allowed(applied: list[Entry], user: User) -> bool:
    """Return whether the log has a save that an undo would revert, and ``user`` may revert it."""
    target = undo_target(applied)
    return target is not None and role_refusal(user, target) is None


def change_to_undo(applied: list[Entry], user: User, change_id: str | None) -> Entry | None:
    """Return the entry an undo reverts: ``change_id``'s, else the last save not undone (None: nothing).

    Raises ``ConflictError`` when the log forbids it (a later change touched its spans, it was
    undone already) and ``AccessRefusedError`` when ``user`` may not undo it.
    """
    if change_id is None:
        target = undo_target(applied)
    else:
        why_not = log_refusal(applied, change_id)
        if why_not:
            raise ConflictError(f"{why_not} Nothing was changed.")
        target = next(entry for entry in applied if entry["change_id"] == change_id)
    why_not = target and role_refusal(user, target)
    if why_not:
        raise AccessRefusedError(why_not)
    return target


def change_list(applied: list[Entry], user: User) -> list[ChangeItem]:
    """Return the applied changes, newest first, each saying whether ``user`` can undo it and why not."""
    refusals = log_refusals(applied)
    return [
        ChangeItem(
            entry["change_id"],
            entry.get("action", ""),
            entry.get("time", ""),
            entry.get("annotator", ""),
            span_changes(entry),
            refusals[entry["change_id"]] or role_refusal(user, entry),
        )
        for entry in reversed(applied)
    ]
