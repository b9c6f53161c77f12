"""Downloads of the merged annotation table: CSV, Prodigy-style JSONL, spaCy DocBin, Label Studio, doccano.

Every export takes the merged table (model and human rows, ``schema.COLUMNS``, status included; see
``annotations.merge_corrections``). Only ``active`` spans are annotations; ``rejected`` ones are the
reader saying "the model was wrong here":

* CSV keeps every row, status included (it is the full table).
* JSONL lists active spans under ``"spans"`` and rejected ones under ``"meta"["rejected"]``.
* DocBin leaves rejected spans out: with ``doc.ents`` set, every token outside an entity is
  annotated as "outside", which is what a rejected entity means to ``spacy train``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

import pandas as pd
import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from components.annotations.csv_codec import Row, encode_frame, encode_table, table_records
from components.annotations.schema import KIND_ENTITY, KIND_QUOTE, QUOTE_LABEL, STATUS_ACTIVE, STATUS_REJECTED

QUOTES_SPAN_KEY: Final = "quotes"
# doc.user_data keys written by to_docbin_bytes (DocBin keeps user_data: store_user_data=True).
USER_DATA_ARTICLE_ID: Final = "article_id"
USER_DATA_SPEAKERS: Final = "quote_speakers"

Article = tuple[str, str, pd.DataFrame]  # (article_id, text, merged table)


def to_csv_bytes(table: pd.DataFrame, *, bom: bool = False) -> bytes:
    """Return the table as UTF-8 CSV, every cell as it is (``csv_codec``); ``bom=True`` helps Excel."""
    return encode_table(table, bom=bom)


def history_to_csv_bytes(history: pd.DataFrame, *, bom: bool = False) -> bytes:
    """Return the edit history (``AnnotationStore.history``) as UTF-8 CSV, every value as it is."""
    return encode_frame(history, bom=bom)


# --- JSONL -----------------------------------------------------------------------------------------


def to_jsonl_bytes(articles: Iterable[Article], tokenizer: Language | None = None) -> bytes:
    """Return one JSON object per article (UTF-8, one per line), in the shape Prodigy and spaCy users expect.

    ``{"text": …, "spans": [{"start", "end", "label", …}], "meta": {"article_id": …, "rejected": […]}}``.
    Spans are the active rows sorted by offsets: entities with their label, quotes with label
    ``QUOTE`` and a ``"speaker"`` key (quotes may contain entities, so spans can overlap).
    Rejected rows go to ``meta.rejected`` with their kind, label and span_id.
    With a ``tokenizer`` (any spaCy pipeline; only its tokenizer runs), each task also gets
    Prodigy's ``"tokens"`` and each span ``token_start``/``token_end`` (inclusive, as in Prodigy).
    """
    lines = []
    for article_id, text, table in articles:
        doc = tokenizer.make_doc(text) if tokenizer is not None else None
        rows = _rows_of(article_id, table)
        task: dict[str, Any] = {
            "text": text,
            "spans": [_jsonl_span(row, doc) for row in rows if row["status"] == STATUS_ACTIVE],
            "meta": {
                "article_id": article_id,
                "rejected": [_rejected_span(row) for row in rows if row["status"] == STATUS_REJECTED],
            },
        }
        if doc is not None:
            task["tokens"] = [
                {"text": t.text, "start": t.idx, "end": t.idx + len(t), "id": t.i, "ws": bool(t.whitespace_)}
                for t in doc
            ]
        lines.append(json.dumps(task, ensure_ascii=False))
    return "".join(line + "\n" for line in lines).encode("utf-8")


def _rows_of(article_id: str, table: pd.DataFrame) -> list[Row]:
    """Return the article's rows sorted by offsets (rows of other articles in the table are skipped)."""
    rows = [row for row in table_records(table) if row["article_id"] in (article_id, "")]
    return sorted(rows, key=lambda row: (int(row["start"]), int(row["end"]), row["kind"], row["span_id"]))


def _jsonl_span(row: Row, doc: Doc | None) -> dict[str, Any]:
    span: dict[str, Any] = {"start": int(row["start"]), "end": int(row["end"]), "label": _label(row)}
    if row["kind"] == KIND_QUOTE:
        span["speaker"] = row["speaker"]
    if doc is not None:
        tokens = doc.char_span(span["start"], span["end"], alignment_mode="expand")
        if tokens is not None and len(tokens):
            span["token_start"], span["token_end"] = tokens.start, tokens.end - 1
    return span


def _rejected_span(row: Row) -> dict[str, Any]:
    return {
        "start": int(row["start"]),
        "end": int(row["end"]),
        "label": _label(row),
        "kind": row["kind"],
        "span_id": row["span_id"],
    }


def _label(row: Row) -> str:
    return QUOTE_LABEL if row["kind"] == KIND_QUOTE else row["label"]


# --- other tools' formats -------------------------------------------------------------------------


def to_label_studio_json(articles: Iterable[Article]) -> bytes:
    """Return Label Studio's JSON export of the active spans: one task per article, one annotation each.

    Quotes are labelled ``QUOTE``; speakers and rejected spans have no place in this format.
    """
    tasks = []
    for number, (article_id, text, table) in enumerate(articles, start=1):
        results = [
            {
                "id": row["span_id"],
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "value": {
                    "start": int(row["start"]),
                    "end": int(row["end"]),
                    "text": row["text"],
                    "labels": [_label(row)],
                },
            }
            for row in _rows_of(article_id, table)
            if row["status"] == STATUS_ACTIVE
        ]
        tasks.append(
            {
                "id": number,
                "data": {"text": text, "article_id": article_id},
                "annotations": [{"id": number, "result": results}],
            }
        )
    return json.dumps(tasks, ensure_ascii=False, indent=1).encode("utf-8")


def to_doccano_jsonl(articles: Iterable[Article]) -> bytes:
    """Return doccano's sequence-labelling JSONL of the active spans (``{"text", "label": [[start, end, "LABEL"]]}``)."""
    lines = []
    for article_id, text, table in articles:
        labels = [
            [int(row["start"]), int(row["end"]), _label(row)]
            for row in _rows_of(article_id, table)
            if row["status"] == STATUS_ACTIVE
        ]
        lines.append(
            json.dumps({"text": text, "label": labels, "article_id": article_id}, ensure_ascii=False)
        )
    return "".join(line + "\n" for line in lines).encode("utf-8")


# --- DocBin ----------------------------------------------------------------------------------------


@dataclass
class DocBinExport:
    """A DocBin export's bytes, how many docs it holds, and the spans it could not keep, as readable notes."""

    data: bytes
    docs: int = 0
    dropped: list[str] = field(default_factory=list)


def build_docbin(articles: Iterable[Article], nlp_or_vocab: Language | Vocab | None = None) -> DocBinExport:
    """Return a ``DocBin`` for ``spacy train`` plus notes on the entities that had to be dropped.

    Each article is tokenized only (the given pipeline's tokenizer, else ``spacy.blank("en")``).
    ``doc.ents`` are the active entities, each widened to whole tokens; where two overlap (spaCy
    allows no overlapping entities) the longer one is kept, the earlier on a tie
    (``spacy.util.filter_spans``), and the other is reported in ``dropped``. Active quotes go to
    ``doc.spans["quotes"]`` with label ``QUOTE``; their speakers to
    ``doc.user_data["quote_speakers"]`` as ``[{"start", "end", "speaker", "span_id"}]`` (character
    offsets of the quote; read back from a DocBin, the list is a tuple), and the article id to
    ``doc.user_data["article_id"]``. A span that covers no token (only spaces) is dropped and noted.
    """
    nlp = _tokenizing_pipeline(nlp_or_vocab)
    docbin = DocBin(store_user_data=True)
    export = DocBinExport(b"")
    for article_id, text, table in articles:
        doc = nlp.make_doc(text)
        rows = [row for row in _rows_of(article_id, table) if row["status"] == STATUS_ACTIVE]
        entities = [row for row in rows if row["kind"] == KIND_ENTITY]
        quotes = [row for row in rows if row["kind"] == KIND_QUOTE]
        doc.ents = _entities(doc, article_id, entities, export.dropped)
        doc.spans[QUOTES_SPAN_KEY] = _quotes(doc, article_id, quotes, export.dropped)
        doc.user_data[USER_DATA_ARTICLE_ID] = article_id
        doc.user_data[USER_DATA_SPEAKERS] = [
            {"start": int(r["start"]), "end": int(r["end"]), "speaker": r["speaker"], "span_id": r["span_id"]}
            for r in quotes
        ]
        docbin.add(doc)
        export.docs += 1
    export.data = docbin.to_bytes()
    return export


def to_docbin_bytes(articles: Iterable[Article], nlp_or_vocab: Language | Vocab | None = None) -> bytes:
    """Return the serialized ``DocBin`` of ``build_docbin`` (use that to see which spans were dropped)."""
    return build_docbin(articles, nlp_or_vocab).data


def _tokenizing_pipeline(nlp_or_vocab: Language | Vocab | None) -> Language:
    if isinstance(nlp_or_vocab, Language):
        return nlp_or_vocab
    if isinstance(nlp_or_vocab, Vocab):
        return spacy.blank("en", vocab=nlp_or_vocab)
    return spacy.blank("en")


def _token_span(doc: Doc, row: Row, label: str) -> Span | None:
    """Return the row's span widened to whole tokens; None if it covers no token (e.g. only spaces)."""
    span = doc.char_span(int(row["start"]), int(row["end"]), label=label, alignment_mode="expand")
    return span if span is not None and len(span) else None


def _quotes(doc: Doc, article_id: str, rows: list[Row], dropped: list[str]) -> list[Span]:
    """Return the quote spans for ``rows`` (overlaps are fine in a span group), noting unusable ones."""
    spans = []
    for row in rows:
        span = _token_span(doc, row, QUOTE_LABEL)
        if span is None:
            dropped.append(f"{article_id}: quote {row['span_id']!r} covers no token")
        else:
            spans.append(span)
    return spans


def _entities(doc: Doc, article_id: str, rows: list[Row], dropped: list[str]) -> list[Span]:
    """Return non-overlapping entity spans for ``rows``, noting in ``dropped`` the ones left out."""
    candidates = []
    for row in rows:
        span = _token_span(doc, row, row["label"])
        if span is None:
            dropped.append(f"{article_id}: entity {row['span_id']!r} covers no token")
        else:
            candidates.append((span, row))
    # filter_spans keeps the longest spans, the earliest on a tie, and returns the same Span objects.
    kept = filter_spans([span for span, _ in candidates])
    kept_ids = {id(span) for span in kept}
    for span, row in candidates:
        if id(span) not in kept_ids:
            dropped.append(
                f"{article_id}: entity {row['span_id']!r} ({span.label_} {span.text!r}) overlaps a kept one"
            )
    return kept
