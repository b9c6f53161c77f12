"""The annotation table: a parsed ``Doc`` as rows of the CSV schema, and the model's rows merged
with a reader's corrections.

This table is the one thing the store, the charts, the reading view and the downloads read, so a
correction reaches all of them at once, and nothing downstream needs the ``Doc`` again.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from spacy.tokens import Doc, Span

from components.annotations.schema import (
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


def empty_table() -> pd.DataFrame:
    """Return an annotation table with the schema's columns and no rows."""
    table = pd.DataFrame({column: pd.Series(dtype=str) for column in COLUMNS})
    return table.astype({column: "int64" for column in INT_COLUMNS})


def _entity_rows(doc: Doc, article_id: str, updated_at: str) -> Iterable[dict[str, object]]:
    # The country column is filled where the country component ran; it is optional in the pipeline.
    has_country = Span.has_extension("country")
    for ent in doc.ents:
        yield {
            "article_id": article_id,
            "span_id": model_span_id(KIND_ENTITY, ent.start_char, ent.end_char),
            "kind": KIND_ENTITY,
            "start": ent.start_char,
            "end": ent.end_char,
            "text": ent.text,
            "label": ent.label_,
            "speaker": "",
            "country": (ent._.country or "") if has_country else "",
            "source": SOURCE_MODEL,
            "status": STATUS_ACTIVE,
            "updated_at": updated_at,
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
    return table.sort_values(
        ["start", "end", "kind", "span_id"], ascending=[True, False, True, True], kind="stable"
    ).reset_index(drop=True)


def merge_corrections(model_table: pd.DataFrame, human_table: pd.DataFrame) -> pd.DataFrame:
    """Return the model's rows with the reader's rows on top: a human row replaces the model row
    with the same ``span_id``, and human rows for new spans are added.

    Rejected spans stay in the table with ``status=rejected`` so that the model cannot bring them back
    and the downloads show what the reader threw away.
    """
    if human_table.empty:
        return model_table.copy()
    kept_model_rows = model_table[~model_table["span_id"].isin(human_table["span_id"])]
    merged = pd.concat([kept_model_rows, human_table[list(COLUMNS)]], ignore_index=True)
    return sort_table(merged.astype({column: "int64" for column in INT_COLUMNS}))


def active_spans(table: pd.DataFrame) -> pd.DataFrame:
    """Return the rows of the table that are not rejected."""
    return table[table["status"] != STATUS_REJECTED]
