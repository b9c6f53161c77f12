"""A reader's corrections as rows of the annotation table. Pure functions, no I/O.

Each function takes the merged table (model and human rows) and returns the human rows that
express the correction, ready for :meth:`components.store.AnnotationStore.save`. A correction keeps
the ``span_id`` of the span it corrects, so it replaces that span on top of the model's output;
a new span gets the id the model would give it at the same offsets.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from components.annotations.schema import (
    COLUMNS,
    KIND_ENTITY,
    KIND_QUOTE,
    QUOTE_LABEL,
    SOURCE_HUMAN,
    STATUS_ACTIVE,
    STATUS_REJECTED,
    model_span_id,
    utc_now,
)

# Gives the ISO alpha-3 country of a span from its text and label ("" for none): the country
# component's resolver in the app, so a relabelled span gets the country its new label implies.
CountryResolver = Callable[[str, str], str]


class CorrectionError(ValueError):
    """The correction cannot be made; the message says why, in words for the reader."""


def _no_country(text: str, label: str) -> str:
    return ""


def _as_human(rows: pd.DataFrame, **changes: object) -> pd.DataFrame:
    changed = rows.copy()
    for column, value in changes.items():
        changed[column] = value
    changed["source"] = SOURCE_HUMAN
    changed["updated_at"] = utc_now()
    return changed[list(COLUMNS)].reset_index(drop=True)


def _row(table: pd.DataFrame, span_id: str) -> pd.DataFrame:
    rows = table[table["span_id"] == span_id]
    if rows.empty:
        raise CorrectionError(f"There is no span {span_id!r} in this article.")
    return rows.head(1)


def snap_bounds(article: str, start: int, end: int) -> tuple[int, int]:
    """Return the offsets with surrounding whitespace trimmed, or raise if they select no text."""
    if not 0 <= start < end <= len(article):
        raise CorrectionError(f"Offsets {start}–{end} are outside the article (0–{len(article)}).")
    while start < end and article[start].isspace():
        start += 1
    while end > start and article[end - 1].isspace():
        end -= 1
    if start == end:
        raise CorrectionError("The selection holds only spaces.")
    return start, end


def new_span(
    article: str,
    article_id: str,
    start: int,
    end: int,
    kind: str,
    label: str,
    speaker: str = "",
    country: str = "",
) -> pd.DataFrame:
    """Return one human row for a span the model missed."""
    start, end = snap_bounds(article, start, end)
    label = QUOTE_LABEL if kind == KIND_QUOTE else label.strip()
    if not label:
        raise CorrectionError("An entity needs a label.")
    row = {
        "article_id": article_id,
        "span_id": model_span_id(kind, start, end),
        "kind": kind,
        "start": start,
        "end": end,
        "text": article[start:end],
        "label": label,
        "speaker": speaker.strip() if kind == KIND_QUOTE else "",
        "country": country,
        "source": SOURCE_HUMAN,
        "status": STATUS_ACTIVE,
        "updated_at": utc_now(),
    }
    return pd.DataFrame([row], columns=list(COLUMNS))


def identical_mentions(
    table: pd.DataFrame, article: str, span_id: str
) -> tuple[pd.DataFrame, list[tuple[int, int]]]:
    """Return the entity rows with the same text as the span, and the unannotated places that text occurs.

    An unannotated place is a whole-word occurrence that overlaps no active entity: the model
    missed it, and "apply to every mention" should not.
    """
    target = _row(table, span_id).iloc[0]
    entities = table[table["kind"] == KIND_ENTITY]
    same_text = entities[entities["text"] == target["text"]]
    covered = entities[entities["status"] == STATUS_ACTIVE][["start", "end"]].to_numpy().tolist()
    missing = []
    pattern = re.compile(rf"(?<!\w){re.escape(str(target['text']))}(?!\w)")
    for match in pattern.finditer(article):
        if not any(start < match.end() and match.start() < end for start, end in covered):
            missing.append((match.start(), match.end()))
    return same_text, missing


def relabel(
    table: pd.DataFrame,
    article: str,
    span_id: str,
    label: str,
    every_mention: bool = False,
    country_of: CountryResolver = _no_country,
) -> pd.DataFrame:
    """Return the human rows that give the span (or every identical mention) a new label."""
    label = label.strip()
    if not label:
        raise CorrectionError("Choose or type a label.")
    target = _row(table, span_id)
    if target.iloc[0]["kind"] != KIND_ENTITY:
        raise CorrectionError("Only entities have labels; a quote's correction is its speaker.")
    text = str(target.iloc[0]["text"])
    country = country_of(text, label)
    if not every_mention:
        return _as_human(target, label=label, country=country, status=STATUS_ACTIVE)
    same_text, missing = identical_mentions(table, article, span_id)
    same_text = same_text[same_text["status"] == STATUS_ACTIVE]
    article_id = str(target.iloc[0]["article_id"])
    added = [
        new_span(article, article_id, start, end, KIND_ENTITY, label, country=country)
        for start, end in missing
    ]
    return pd.concat([_as_human(same_text, label=label, country=country), *added], ignore_index=True)


def reject(table: pd.DataFrame, article: str, span_id: str, every_mention: bool = False) -> pd.DataFrame:
    """Return the human rows that reject the span (or every identical entity mention)."""
    target = _row(table, span_id)
    if every_mention and target.iloc[0]["kind"] == KIND_ENTITY:
        target, _ = identical_mentions(table, article, span_id)
    return _as_human(target, status=STATUS_REJECTED)


def restore(table: pd.DataFrame, span_id: str) -> pd.DataFrame:
    """Return the human row that makes a rejected span active again."""
    return _as_human(_row(table, span_id), status=STATUS_ACTIVE)


def set_bounds(
    table: pd.DataFrame,
    article: str,
    span_id: str,
    start: int,
    end: int,
    country_of: CountryResolver = _no_country,
) -> pd.DataFrame:
    """Return the human row that moves the span's boundaries (“John Kerry’s” → “John Kerry”)."""
    target = _row(table, span_id)
    start, end = snap_bounds(article, start, end)
    row = target.iloc[0]
    changes: dict[str, object] = {"start": start, "end": end, "text": article[start:end]}
    if row["kind"] == KIND_ENTITY:
        changes["country"] = country_of(article[start:end], str(row["label"]))
    return _as_human(target, **changes)


def set_speaker(table: pd.DataFrame, span_id: str, speaker: str) -> pd.DataFrame:
    """Return the human row that gives a quote its speaker."""
    target = _row(table, span_id)
    if target.iloc[0]["kind"] != KIND_QUOTE:
        raise CorrectionError("Only quotes have speakers.")
    speaker = " ".join(speaker.split())
    if not speaker:
        raise CorrectionError("Choose or type a speaker.")
    return _as_human(target, speaker=speaker, status=STATUS_ACTIVE)


def merge_speakers(table: pd.DataFrame, speakers: list[str], into: str) -> pd.DataFrame:
    """Return the human rows that give every quote of ``speakers`` the one speaker ``into``."""
    into = " ".join(into.split())
    if not into:
        raise CorrectionError("Choose the name to keep.")
    quotes = table[
        (table["kind"] == KIND_QUOTE) & table["speaker"].isin(speakers) & (table["speaker"] != into)
    ]
    if quotes.empty:
        raise CorrectionError("No quotes to merge.")
    return _as_human(quotes, speaker=into)


def set_country(table: pd.DataFrame, span_id: str, country: str) -> pd.DataFrame:
    """Return the human row that sets (or, with ``""``, clears) a span's country."""
    return _as_human(_row(table, span_id), country=country.strip().upper())


EDITABLE_FIELDS = ("label", "speaker", "country", "status")


def edit_fields(
    table: pd.DataFrame, span_id: str, changes: dict[str, object], country_of: CountryResolver = _no_country
) -> pd.DataFrame:
    """Return the human row for several field edits of one span at once (a row of the table editor).

    A new label brings the country it implies, unless the reader set the country in the same edit.
    """
    target = _row(table, span_id)
    row = target.iloc[0]
    values = {field: str(changes[field] or "").strip() for field in EDITABLE_FIELDS if field in changes}
    values = {field: value for field, value in values.items() if value != row[field]}
    if not values:
        return target.iloc[0:0]
    if "label" in values:
        if row["kind"] != KIND_ENTITY:
            raise CorrectionError("A quote's label is always QUOTE; correct its speaker instead.")
        if not values["label"]:
            raise CorrectionError("Choose or type a label.")
        values.setdefault("country", country_of(str(row["text"]), values["label"]))
    if "speaker" in values and row["kind"] != KIND_QUOTE:
        raise CorrectionError("Only quotes have speakers.")
    if "status" in values and values["status"] not in (STATUS_ACTIVE, STATUS_REJECTED):
        raise CorrectionError(f"A status is {STATUS_ACTIVE} or {STATUS_REJECTED}.")
    if "country" in values:
        values["country"] = values["country"].upper()
    return _as_human(target, **values)
