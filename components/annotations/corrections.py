"""A reader's corrections as rows of the annotation table. Pure functions, no I/O.

Each function takes the merged table (model and human rows) and returns the human rows that
express the correction, ready for :meth:`components.store.AnnotationStore.save`. A correction keeps
the ``span_id`` of the span it corrects, so it replaces that span on top of the model's output;
a new span gets the id the model would give it at the same offsets.

A correction keeps the columns that say how a value was found true to it: a reader's speaker has
``attribution=reader`` and ``confidence=high``, and the kind the reader chose or the article's
entities give (``speaker_kind_in``); a reader's country has ``country_reason=reader``; a new label
brings the country it implies with the resolver's reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

import pandas as pd

from components.annotations.schema import (
    BY_READER,
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
from components.annotations.speakers import reader_speaker, speaker_kind_in
from components.nlp.countries import CountryResolution

# Gives the country of a span from its text and label, with the reason (None for no country): the
# country component's ``resolve_country`` in the app, so a relabelled span gets the country its new
# label implies.
CountryResolver = Callable[[str, str], CountryResolution | None]


class CorrectionError(ValueError):
    """The correction cannot be made; the message says why, in words for the reader."""


_NO_COUNTRY: Final = {"country": "", "country_reason": ""}


def _no_country(text: str, label: str) -> CountryResolution | None:
    return None


def _country_of(country_of: CountryResolver, text: str, label: str) -> dict[str, str]:
    """Return the ``country`` and ``country_reason`` cells the resolver gives a span."""
    found = country_of(text, label)
    return {"country": found.iso3, "country_reason": found.reason} if found else _NO_COUNTRY


def _reader_country(country: str) -> dict[str, str]:
    """Return the ``country`` and ``country_reason`` cells of a country the reader set (or cleared)."""
    country = country.strip().upper()
    return {"country": country, "country_reason": BY_READER if country else ""}


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
    country_of: CountryResolver = _no_country,
    table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return one human row for a span the model missed.

    An entity gets the country ``country_of`` gives it; a quote's speaker is the reader's, its kind
    found in ``table`` (the article's merged table) when given.
    """
    start, end = snap_bounds(article, start, end)
    label = QUOTE_LABEL if kind == KIND_QUOTE else label.strip()
    if not label:
        raise CorrectionError("An entity needs a label.")
    speaker = " ".join(speaker.split()) if kind == KIND_QUOTE else ""
    row: dict[str, object] = dict.fromkeys(COLUMNS, "")
    if speaker:
        row |= reader_speaker(speaker, speaker_kind_in(table, speaker) if table is not None else "")
    if kind == KIND_ENTITY:
        row |= _country_of(country_of, article[start:end], label)
    row |= {
        "article_id": article_id,
        "span_id": model_span_id(kind, start, end),
        "kind": kind,
        "start": start,
        "end": end,
        "text": article[start:end],
        "label": label,
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
    country = _country_of(country_of, text, label)
    if not every_mention:
        return _as_human(target, label=label, status=STATUS_ACTIVE, **country)
    same_text, missing = identical_mentions(table, article, span_id)
    same_text = same_text[same_text["status"] == STATUS_ACTIVE]
    article_id = str(target.iloc[0]["article_id"])
    added = [
        new_span(article, article_id, start, end, KIND_ENTITY, label, country_of=country_of)
        for start, end in missing
    ]
    return pd.concat([_as_human(same_text, label=label, **country), *added], ignore_index=True)


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
        changes |= _country_of(country_of, article[start:end], str(row["label"]))
    return _as_human(target, **changes)


def set_speaker(table: pd.DataFrame, span_id: str, speaker: str, kind: str | None = None) -> pd.DataFrame:
    """Return the human row that gives a quote its speaker, of the ``kind`` the reader chose.

    Without a ``kind``, the speaker's kind in the article (``speaker_kind_in``).
    """
    target = _row(table, span_id)
    if target.iloc[0]["kind"] != KIND_QUOTE:
        raise CorrectionError("Only quotes have speakers.")
    speaker = " ".join(speaker.split())
    if not speaker:
        raise CorrectionError("Choose or type a speaker.")
    kind = speaker_kind_in(table, speaker) if kind is None else kind
    return _as_human(target, status=STATUS_ACTIVE, **reader_speaker(speaker, kind))


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
    return _as_human(quotes, **reader_speaker(into, speaker_kind_in(table, into)))


def set_country(table: pd.DataFrame, span_id: str, country: str) -> pd.DataFrame:
    """Return the human row that sets (or, with ``""``, clears) a span's country; none if it has it already.

    Saving the country a span already has changes nothing: its reason (the model's "capital", "city"…)
    stays, and the chart never says "set by reader" of a country nobody changed.
    """
    target = _row(table, span_id)
    cells = _reader_country(country)
    if cells["country"] == target.iloc[0]["country"]:
        return target.iloc[0:0]
    return _as_human(target, **cells)


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
    if "speaker" in values and row["kind"] != KIND_QUOTE:
        raise CorrectionError("Only quotes have speakers.")
    if "status" in values and values["status"] not in (STATUS_ACTIVE, STATUS_REJECTED):
        raise CorrectionError(f"A status is {STATUS_ACTIVE} or {STATUS_REJECTED}.")
    cells = {field: values[field] for field in ("label", "status") if field in values}
    if "country" in values:
        cells |= _reader_country(values["country"])
    elif "label" in values:
        cells |= _country_of(country_of, str(row["text"]), values["label"])
    if "speaker" in values:
        speaker = " ".join(values["speaker"].split())
        cells |= reader_speaker(speaker, speaker_kind_in(table, speaker) if speaker else "")
    return _as_human(target, **cells)
