"""The annotation table: the model's spans of the real model, and merging a reader's corrections."""

from __future__ import annotations

import pandas as pd

from components.annotations.schema import COLUMNS
from components.annotations.table import doc_to_table, empty_table, merge_corrections


def test_bundled_article_table_has_the_schema_and_matching_offsets(nlp, bundled_text) -> None:
    table = doc_to_table(nlp(bundled_text), "aleppo")
    assert tuple(table.columns) == COLUMNS
    assert len(table) > 50
    for row in table.itertuples(index=False):
        assert bundled_text[row.start : row.end] == row.text
    assert set(table["source"]) == {"model"} and set(table["status"]) == {"active"}
    assert table["span_id"].is_unique
    aleppo = table[(table["text"] == "Aleppo") & (table["kind"] == "entity")]
    assert len(aleppo) == bundled_text.count("Aleppo") == 7


def test_same_text_gives_the_same_span_ids(nlp) -> None:
    text = "Sergei Lavrov met John Kerry in Geneva on Tuesday."
    first, second = doc_to_table(nlp(text), "a"), doc_to_table(nlp(text), "a")
    assert list(first["span_id"]) == list(second["span_id"])


def _row(**values) -> dict:
    return dict.fromkeys(COLUMNS, "") | {"article_id": "a", "status": "active"} | values


def test_merge_puts_human_rows_on_top_and_keeps_rejections() -> None:
    model = pd.DataFrame(
        [
            _row(span_id="e-0-6", kind="entity", start=0, end=6, text="Aleppo", label="NORP", source="model"),
            _row(
                span_id="e-10-16", kind="entity", start=10, end=16, text="Lavrov", label="ORG", source="model"
            ),
        ]
    )
    human = pd.DataFrame(
        [
            _row(span_id="e-0-6", kind="entity", start=0, end=6, text="Aleppo", label="GPE", source="human"),
            _row(
                span_id="e-10-16",
                kind="entity",
                start=10,
                end=16,
                text="Lavrov",
                label="ORG",
                source="human",
                status="rejected",
            ),
            _row(span_id="h-1", kind="entity", start=7, end=9, text="in", label="X", source="human"),
        ]
    )
    merged = merge_corrections(model, human)
    assert list(merged["span_id"]) == ["e-0-6", "h-1", "e-10-16"]
    assert list(merged["label"]) == ["GPE", "X", "ORG"]
    assert list(merged["status"]) == ["active", "active", "rejected"]
    assert set(merged["source"]) == {"human"}
    assert merge_corrections(model, empty_table()).equals(model)
