"""The annotation table: the model's spans of the real model, and merging a reader's corrections."""

from __future__ import annotations

import pandas as pd

from components.annotations.schema import COLUMNS
from components.annotations.table import (
    doc_to_table,
    empty_table,
    merge_corrections,
    sort_table,
    table_fingerprint,
)


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


def test_the_table_carries_what_the_doc_knows_of_speakers_and_countries(nlp, bundled_text) -> None:
    doc = nlp(bundled_text)
    table = doc_to_table(doc, "aleppo").set_index("span_id")
    for quote in doc._.quotes:
        row = table.loc[f"q-{quote.start}-{quote.end}"]
        assert row["speaker_kind"] == (quote.speaker_kind or "")
        assert row["speaker_mention"] == (quote.mention or "")
        assert row["cue"] == (quote.cue or "")
        assert row["attribution"] == quote.method
        assert row["confidence"] == (getattr(quote, "confidence", None) or "")
        assert row["country_reason"] == ""
    for ent in doc.ents:
        row = table.loc[f"e-{ent.start_char}-{ent.end_char}"]
        assert row["country_reason"] == ((ent._.country_reason or "") if ent._.country else "")
        assert (row["speaker_kind"], row["attribution"], row["confidence"]) == ("", "", "")
    lavrov = table[(table["speaker"] == "Sergei Lavrov") & (table["speaker_mention"] == "he")]
    assert (
        not lavrov.empty
        and set(lavrov["attribution"]) == {"pronoun"}
        and set(lavrov["cue"]) <= {"said", "added"}
    )
    assert set(table.loc[table["text"] == "Moscow", "country_reason"]) == {"capital"}


def test_rows_of_a_file_older_than_the_new_columns_are_completed_from_the_model(nlp, bundled_text) -> None:
    model = doc_to_table(nlp(bundled_text), "aleppo")
    quotes = model[model["kind"] == "quote"]
    kept, changed = quotes.iloc[0], quotes.iloc[1]
    moscow = model[model["text"] == "Moscow"].iloc[0]
    greece = model[model["text"] == "Greece"].iloc[0]
    old_columns = list(COLUMNS[:12])
    legacy = pd.DataFrame(
        [
            kept[old_columns].to_dict()
            | {"status": "rejected", "source": "human"},  # the model's speaker kept
            changed[old_columns].to_dict() | {"speaker": "Turkish military", "source": "human"},
            moscow[old_columns].to_dict()
            | {"label": "LOC", "source": "human"},  # same country: the model's reason
            greece[old_columns].to_dict() | {"country": "CYP", "source": "human"},  # a reader's country
        ]
    ).reindex(columns=list(COLUMNS), fill_value="")
    merged = merge_corrections(model, legacy).set_index("span_id")
    speaker_columns = ["speaker_kind", "speaker_mention", "cue", "attribution", "confidence"]
    assert merged.loc[kept["span_id"], speaker_columns].tolist() == kept[speaker_columns].tolist()
    assert merged.loc[changed["span_id"], speaker_columns].tolist() == [
        "organisation",
        "",
        changed["cue"],  # the text's cue, whoever speaks
        "reader",
        "high",
    ]
    assert merged.loc[moscow["span_id"], "country_reason"] == "capital"
    assert merged.loc[greece["span_id"], "country_reason"] == "reader"


def test_a_tables_fingerprint_changes_exactly_when_its_contents_do() -> None:
    rows = [
        _row(span_id="e-0-6", kind="entity", start=0, end=6, text="Aleppo", label="GPE"),
        _row(span_id="e-10-16", kind="entity", start=10, end=16, text="Lavrov", label="PERSON"),
    ]
    table = pd.DataFrame(rows)
    assert table_fingerprint(table) == table_fingerprint(pd.DataFrame(rows).copy())
    relabelled = table.copy()
    relabelled.loc[1, "label"] = "ORG"
    # Cells that join to the same string in another split are still told apart.
    moved = table.copy()
    moved.loc[0, "text"], moved.loc[1, "text"] = "Aleppo'", "Lavrov"
    shifted = table.copy()
    shifted.loc[0, "text"], shifted.loc[1, "text"] = "Aleppo", "'Lavrov"
    reordered = table[list(reversed(table.columns))]
    fingerprints = {
        table_fingerprint(t) for t in (table, relabelled, moved, shifted, reordered, table.iloc[:1])
    }
    assert len(fingerprints) == 6


def test_sort_table_orders_as_pandas_would_ties_and_missing_cells_included(nlp, bundled_text) -> None:
    table = doc_to_table(nlp(bundled_text), "aleppo")
    extra = pd.DataFrame(
        [
            _row(span_id="b", kind="entity", start=0, end=6, text="Aleppo", label="GPE"),
            _row(span_id="a", kind="entity", start=0, end=6, text="Aleppo", label="ORG"),
            _row(
                span_id="a", kind="entity", start=0, end=6, text="Aleppo", label="NORP"
            ),  # a tie: stays after
            _row(span_id=None, kind="quote", start=0, end=9, text="Aleppo sa"),
            _row(span_id="c", kind=None, start=0, end=9, text="Aleppo sa"),
        ]
    ).astype({"start": "int64", "end": "int64"})
    shuffled = pd.concat([extra, table], ignore_index=True).sample(frac=1.0, random_state=7)
    expected = shuffled.sort_values(
        ["start", "end", "kind", "span_id"], ascending=[True, False, True, True], kind="stable"
    ).reset_index(drop=True)
    pd.testing.assert_frame_equal(sort_table(shuffled), expected)
