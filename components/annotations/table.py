"""The annotation table: a parsed ``Doc`` as rows of the CSV schema, and the model's rows merged
with a reader's corrections.

This table is the one thing the store, the charts, the reading view and the downloads read, so a
correction reaches all of them at once, and nothing downstream needs the ``Doc`` again.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable
from typing import Final

import pandas as pd
from spacy.tokens import Doc, Span

from components.annotations.schema import (
    BY_READER,
    COLUMNS,
    INT_COLUMNS,
    KIND_ENTITY,
    KIND_QUOTE,
    QUOTE_LABEL,
    SOURCE_MODEL,
    STATUS_ACTIVE,
    STATUS_REJECTED,
    model_span_id,
    utc_now,
)
from components.annotations.speakers import reader_speaker, speaker_kind_in
from components.nlp.countries import resolve_country

# The columns that say who a quote's speaker is and how they were found; empty for entities.
_SPEAKER_COLUMNS: Final = ("speaker_kind", "speaker_mention", "cue", "attribution", "confidence")
_NO_SPEAKER: Final = dict.fromkeys(_SPEAKER_COLUMNS, "")


def empty_table() -> pd.DataFrame:
    """Return an annotation table with the schema's columns and no rows."""
    table = pd.DataFrame({column: pd.Series(dtype=str) for column in COLUMNS})
    return table.astype({column: "int64" for column in INT_COLUMNS})


def _entity_rows(doc: Doc, article_id: str, updated_at: str) -> Iterable[dict[str, object]]:
    # The country column is filled where the country component ran; it is optional in the pipeline.
    has_country = Span.has_extension("country")
    for ent in doc.ents:
        country = (ent._.country or "") if has_country else ""
        yield {
            "article_id": article_id,
            "span_id": model_span_id(KIND_ENTITY, ent.start_char, ent.end_char),
            "kind": KIND_ENTITY,
            "start": ent.start_char,
            "end": ent.end_char,
            "text": ent.text,
            "label": ent.label_,
            "speaker": "",
            "country": country,
            "source": SOURCE_MODEL,
            "status": STATUS_ACTIVE,
            "updated_at": updated_at,
            **_NO_SPEAKER,
            "country_reason": (ent._.country_reason or "") if country else "",
        }


def _quote_rows(doc: Doc, article_id: str, updated_at: str) -> Iterable[dict[str, object]]:
    if not Doc.has_extension("quotes"):
        return
    for quote in doc._.quotes or ():
        yield {
            "article_id": article_id,
            "span_id": model_span_id(KIND_QUOTE, quote.start, quote.end),
            "kind": KIND_QUOTE,
            "start": quote.start,
            "end": quote.end,
            "text": quote.text,  # doc.text would rebuild the whole text for every quote
            "label": QUOTE_LABEL,
            "speaker": quote.speaker or "",
            "country": "",
            "source": SOURCE_MODEL,
            "status": STATUS_ACTIVE,
            "updated_at": updated_at,
            "speaker_kind": quote.speaker_kind or "",
            "speaker_mention": quote.mention or "",
            "cue": quote.cue or "",
            "attribution": quote.method,
            "confidence": quote.confidence or "",
            "country_reason": "",
        }


def doc_to_table(doc: Doc, article_id: str, updated_at: str | None = None) -> pd.DataFrame:
    """Return the model's spans of ``doc`` (entities, then quotes) as an annotation table sorted by offset."""
    stamp = updated_at or utc_now()
    rows = [*_entity_rows(doc, article_id, stamp), *_quote_rows(doc, article_id, stamp)]
    if not rows:
        return empty_table()
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    return sort_table(table)


def sort_table(table: pd.DataFrame) -> pd.DataFrame:
    """Return the table in reading order: by start, longer spans first, entities before quotes."""
    # Python's stable sort of the keys, then one take: pandas' sort_values on four keys, two of them
    # strings, cost 2-3 ms on a short article, at every merge of a reader's corrections.
    keys = list(
        zip(table["start"].tolist(), table["end"].tolist(), table["kind"], table["span_id"], strict=True)
    )
    order = sorted(range(len(keys)), key=lambda index: _reading_order(keys[index]))
    return table.take(order).reset_index(drop=True)


def _reading_order(key: tuple[int, int, object, object]) -> tuple[int, int, tuple, tuple]:
    start, end, kind, span_id = key
    return int(start), -int(end), _text_last_if_missing(kind), _text_last_if_missing(span_id)


def _text_last_if_missing(value: object) -> tuple[int, str]:
    # As pandas sorts: a missing cell after every string.
    return (0, value) if isinstance(value, str) else (1, "")


def _as_int64(table: pd.DataFrame) -> pd.DataFrame:
    """Return the table with its offset columns as int64, converting only those that are not already."""
    # DataFrame.astype copies every column, converted or not: most of a merge's time.
    wrong = {column: "int64" for column in INT_COLUMNS if table[column].dtype != "int64"}
    return table.astype(wrong) if wrong else table


def merge_corrections(model_table: pd.DataFrame, human_table: pd.DataFrame) -> pd.DataFrame:
    """Return the model's rows with the reader's rows on top: a human row replaces the model row
    with the same ``span_id`` or at the same offsets and kind, and human rows for new spans are added.

    Rejected spans stay in the table with ``status=rejected`` so that the model cannot bring them back
    and the downloads show what the reader threw away.
    """
    if human_table.empty:
        return model_table.copy()
    human = _completed(human_table[list(COLUMNS)], model_table)
    # A human row replaces the model's row with its span_id, or at exactly its offsets and kind
    # whatever its id (a span added by hand, or brought in from another tool, where the model has one).
    superseded = model_table["span_id"].isin(human["span_id"])
    places = set(zip(human["kind"], human["start"].astype(int), human["end"].astype(int), strict=True))
    at_place = [
        place in places
        for place in zip(model_table["kind"], model_table["start"], model_table["end"], strict=True)
    ]
    superseded |= pd.Series(at_place, index=model_table.index, dtype=bool)
    kept_model_rows = model_table[~superseded]
    merged = pd.concat([kept_model_rows, human], ignore_index=True)
    return sort_table(_as_int64(merged))


def _completed(human: pd.DataFrame, model: pd.DataFrame) -> pd.DataFrame:
    """Return the human rows with the cells a correction file older than their columns lacks filled in.

    Such a file has quotes with no ``attribution`` and countries with no ``country_reason``. Where the
    reader kept the model's speaker (or country), the model's cells are still true and are copied;
    a speaker the reader changed is the reader's (``corrections.reader_speaker``); a country the
    reader changed keeps the reason its text gives for that very country, else it is the reader's.
    """
    quote_gaps = (human["kind"] == KIND_QUOTE) & (human["attribution"] == "")
    country_gaps = (human["kind"] == KIND_ENTITY) & (human["country"] != "") & (human["country_reason"] == "")
    if not (quote_gaps.any() or country_gaps.any()):
        return human
    human = human.copy()
    model_rows = model.drop_duplicates("span_id").set_index("span_id")
    for index in human.index[quote_gaps]:
        row = human.loc[index]
        found = model_rows.loc[row["span_id"]] if row["span_id"] in model_rows.index else None
        if found is not None and found["speaker"] == row["speaker"]:
            cells = found[list(_SPEAKER_COLUMNS)].to_dict()
        elif row["speaker"]:
            cells = reader_speaker(row["speaker"], speaker_kind_in(model, row["speaker"]))
            cells["cue"] = found["cue"] if found is not None else ""
        else:
            continue
        human.loc[index, list(cells)] = list(cells.values())
    for index in human.index[country_gaps]:
        row = human.loc[index]
        if row["span_id"] in model_rows.index and model_rows.at[row["span_id"], "country"] == row["country"]:
            reason = model_rows.at[row["span_id"], "country_reason"]
        else:
            found = resolve_country(row["text"], row["label"])
            reason = found.reason if found is not None and found.iso3 == row["country"] else BY_READER
        human.loc[index, "country_reason"] = reason
    return human


def active_spans(table: pd.DataFrame) -> pd.DataFrame:
    """Return the rows of the table that are not rejected."""
    return table[table["status"] != STATUS_REJECTED]


def table_fingerprint(table: pd.DataFrame) -> str:
    """Return a digest of the table (its pickle): any change of a cell, a column or the order changes it.

    For cache keys. Two tables equal in content but laid out apart in memory may differ in digest, so
    a cache keyed by it may miss, never mix two tables up. 0.2 ms on a short article and 0.5 ms on
    5,000 words, where Streamlit hashing the frame costs 3.6 and 4.7 ms, and a repr of every column 1.9.
    """
    return hashlib.blake2b(pickle.dumps(table, protocol=5), digest_size=16).hexdigest()
