"""The history as a change list a journalist reads: "Aleppo: NORP → Place · Ana · 10:42".

Each change of the edit log (``annotations.change_list.ChangeItem``) becomes one line: the span by
its text, what changed in words, who, and when on the reader's clock. Plain text: the page escapes it.
"""

from __future__ import annotations

from collections.abc import Callable

from components.annotations.change_list import ChangeItem, FieldChange, SpanChange
from components.nlp.countries import country_name

LabelName = Callable[[str], str]

# Offsets follow the text: when the text changed, its old and new words say it better than numbers.
_OFFSET_FIELDS = frozenset({"start", "end"})


def _quoted(value: str) -> str:
    return f"“{value}”" if value else "none"


def _country(code: str) -> str:
    return (country_name(code) or code) if code else "none"


def field_words(change: FieldChange, label_name: LabelName) -> str:
    """Return one field's change in words: "NORP → Place", "speaker: none → “Lavrov”", "rejected"."""
    if change.field == "(correction)":
        return f"{label_name(change.old)} → the model's reading" if change.old else "the model's reading"
    if change.field == "status":
        return "rejected" if change.new == "rejected" else "restored"
    if change.field == "label":
        return f"{label_name(change.old) if change.old else 'new span'} → {label_name(change.new)}"
    if change.field == "country":
        return f"country {_country(change.old)} → {_country(change.new)}"
    if change.field == "text":
        return f"boundaries {_quoted(change.old)} → {_quoted(change.new)}"
    return f"{change.field} {_quoted(change.old)} → {_quoted(change.new)}"


def span_words(span: SpanChange, label_name: LabelName) -> str:
    """Return what happened to one span: "Aleppo: NORP → Place"."""
    fields = [f for f in span.fields if f.field not in _OFFSET_FIELDS] or list(span.fields)
    text_changed = any(f.field == "text" for f in fields)
    if any(f.field == "kind" for f in fields):
        # Only a span a reader added changes kind (from nothing): its label and text are all there is to say.
        added = next((f.new for f in fields if f.field == "label"), "")
        return f"{span.text}: added as {label_name(added)}" if added else f"{span.text}: added"
    words = "; ".join(field_words(f, label_name) for f in fields if f.field != "kind")
    # A boundary fix names the span by its old words, the ones the reader saw before.
    name = next((f.old for f in fields if f.field == "text"), span.text) if text_changed else span.text
    return f"{name}: {words or 'kept as the model read it'}"


def change_words(item: ChangeItem, label_name: LabelName) -> str:
    """Return what a change did, span by span; a change to many spans names the first and counts the rest."""
    described = [span_words(span, label_name) for span in item.spans]
    if not described:
        return "nothing"
    if len(set(described)) == 1 and len(described) > 1:
        words = f"{described[0]} (×{len(described)})"
    elif len(described) > 3:
        words = "; ".join(described[:2]) + f"; and {len(described) - 2} more spans"
    else:
        words = "; ".join(described)
    return f"Undo: {words}" if item.action == "undo" else words


def change_line(item: ChangeItem, label_name: LabelName, clock: str) -> str:
    """Return the history's line for one change: "Aleppo: NORP → Place · Ana · 10:42"."""
    who = item.annotator or "unnamed"
    return f"{change_words(item, label_name)} · {who} · {clock}"
