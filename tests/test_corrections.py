"""Corrections as rows: relabel, reject, add, move boundaries, speakers; on the real model's table."""

from __future__ import annotations

import pandas as pd
import pytest

from components.annotations.corrections import (
    CorrectionError,
    edit_fields,
    merge_speakers,
    new_span,
    reject,
    relabel,
    restore,
    set_bounds,
    set_country,
    set_speaker,
    snap_bounds,
)
from components.annotations.schema import COLUMNS
from components.annotations.table import doc_to_table, merge_corrections

TEXT = "Aleppo fell. Lavrov said Aleppo was calm. John Kerry’s words on Aleppo were quoted. “No,” Kerry said."


@pytest.fixture(scope="module")
def table(nlp) -> pd.DataFrame:
    return doc_to_table(nlp(TEXT), "t")


def span_id_of(table: pd.DataFrame, text: str, occurrence: int = 0) -> str:
    return str(table[table["text"] == text].iloc[occurrence]["span_id"])


def test_relabel_one_span_gives_one_human_row_with_its_country(table) -> None:
    rows = relabel(table, TEXT, span_id_of(table, "Lavrov"), "PERSON", country_of=lambda text, label: "RUS")
    assert list(rows.columns) == list(COLUMNS)
    assert rows[["text", "label", "source", "status", "country"]].values.tolist() == [
        ["Lavrov", "PERSON", "human", "active", "RUS"]
    ]


def test_relabel_every_mention_covers_spans_and_the_mentions_the_model_missed(table) -> None:
    first = span_id_of(table, "Aleppo")
    rows = relabel(table, TEXT, first, "GPE", every_mention=True)
    starts = sorted(rows["start"])
    assert starts == [index for index in range(len(TEXT)) if TEXT.startswith("Aleppo", index)]
    assert set(rows["label"]) == {"GPE"} and set(rows["text"]) == {"Aleppo"}
    merged = merge_corrections(table, rows)
    assert (merged[merged["text"] == "Aleppo"]["label"] == "GPE").all()
    assert merged["span_id"].is_unique


def test_reject_keeps_the_row_as_rejected(table) -> None:
    rows = reject(table, TEXT, span_id_of(table, "Lavrov"))
    assert rows[["status", "source"]].values.tolist() == [["rejected", "human"]]
    back = restore(merge_corrections(table, rows), rows.iloc[0]["span_id"])
    assert back.iloc[0]["status"] == "active"


def test_fix_boundaries_drops_the_possessive(table) -> None:
    kerry = table[table["text"].str.startswith("John Kerry")].iloc[0]
    rows = set_bounds(
        table, TEXT, kerry["span_id"], int(kerry["start"]), int(kerry["start"]) + len("John Kerry")
    )
    row = rows.iloc[0]
    assert (row["text"], row["span_id"]) == ("John Kerry", kerry["span_id"])
    assert TEXT[row["start"] : row["end"]] == "John Kerry"


def test_add_span_trims_whitespace_and_takes_the_model_id_scheme() -> None:
    start = TEXT.index("words")
    rows = new_span(TEXT, "t", start - 1, start + len("words") + 1, "entity", "THING")
    row = rows.iloc[0]
    assert (row["text"], row["span_id"], row["label"]) == ("words", f"e-{start}-{start + 5}", "THING")


@pytest.mark.parametrize(("start", "end"), [(5, 5), (-1, 3), (0, 10_000), (12, 13)])
def test_bad_selections_are_refused(start: int, end: int) -> None:
    with pytest.raises(CorrectionError):
        snap_bounds(TEXT, start, end)


def test_speakers_are_set_and_merged() -> None:
    quotes = pd.DataFrame(
        [
            dict.fromkeys(COLUMNS, "")
            | {"span_id": f"q{i}", "kind": "quote", "speaker": who, "label": "QUOTE"}
            for i, who in enumerate(["Lavrov", "Sergei Lavrov", "Kerry"])
        ]
    )
    assert set_speaker(quotes, "q2", "  John   Kerry ").iloc[0]["speaker"] == "John Kerry"
    merged = merge_speakers(quotes, ["Lavrov", "Sergei Lavrov"], "Sergei Lavrov")
    assert merged[["span_id", "speaker"]].values.tolist() == [["q0", "Sergei Lavrov"]]
    with pytest.raises(CorrectionError):
        set_speaker(quotes, "q0", " ")


def test_entity_corrections_refuse_quotes_and_unknown_spans(table) -> None:
    with pytest.raises(CorrectionError, match="no span"):
        relabel(table, TEXT, "nope", "GPE")
    quotes = pd.DataFrame([dict.fromkeys(COLUMNS, "") | {"span_id": "q", "kind": "quote"}])
    with pytest.raises(CorrectionError, match="Only entities"):
        relabel(quotes, TEXT, "q", "GPE")
    assert set_country(table, span_id_of(table, "Lavrov"), " rus ").iloc[0]["country"] == "RUS"


def test_table_edit_of_several_fields_is_one_row(table) -> None:
    lavrov = span_id_of(table, "Lavrov")
    rows = edit_fields(
        table, lavrov, {"label": "MYLABEL", "status": "rejected"}, country_of=lambda text, label: "RUS"
    )
    assert rows[["label", "country", "status", "source"]].values.tolist() == [
        ["MYLABEL", "RUS", "rejected", "human"]
    ]
    rows = edit_fields(
        table, lavrov, {"label": "MYLABEL", "country": "usa"}, country_of=lambda text, label: "RUS"
    )
    assert rows.iloc[0]["country"] == "USA"
    assert edit_fields(table, lavrov, {"label": table.set_index("span_id").loc[lavrov, "label"]}).empty
    with pytest.raises(CorrectionError, match="Only quotes"):
        edit_fields(table, lavrov, {"speaker": "Someone"})
