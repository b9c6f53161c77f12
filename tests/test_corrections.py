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
from components.nlp.countries import CountryResolution

TEXT = "Aleppo fell. Lavrov said Aleppo was calm. John Kerry’s words on Aleppo were quoted. “No,” Kerry said."


def russia(text: str, label: str) -> CountryResolution:
    return CountryResolution("RUS", "capital", "Russia")


@pytest.fixture(scope="module")
def table(nlp) -> pd.DataFrame:
    return doc_to_table(nlp(TEXT), "t")


def span_id_of(table: pd.DataFrame, text: str, occurrence: int = 0) -> str:
    return str(table[table["text"] == text].iloc[occurrence]["span_id"])


def test_relabel_one_span_gives_one_human_row_with_its_country_and_reason(table) -> None:
    rows = relabel(table, TEXT, span_id_of(table, "Lavrov"), "PERSON", country_of=russia)
    assert list(rows.columns) == list(COLUMNS)
    assert rows[["text", "label", "source", "status", "country", "country_reason"]].values.tolist() == [
        ["Lavrov", "PERSON", "human", "active", "RUS", "capital"]
    ]
    no_country = relabel(table, TEXT, span_id_of(table, "Lavrov"), "PERSON")
    assert no_country[["country", "country_reason"]].values.tolist() == [["", ""]]


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
    assert (row["country"], row["country_reason"], row["attribution"]) == ("", "", "")
    place = new_span(TEXT, "t", 0, 6, "entity", "GPE", country_of=russia).iloc[0]
    assert (place["country"], place["country_reason"]) == ("RUS", "capital")


def test_a_new_quote_with_a_speaker_is_the_readers_attribution(table) -> None:
    start = TEXT.index("“No,”")
    row = new_span(TEXT, "t", start, start + 5, "quote", "", " John  Kerry ", table=table).iloc[0]
    assert row[
        ["label", "speaker", "speaker_kind", "speaker_mention", "attribution", "confidence"]
    ].tolist() == [
        "QUOTE",
        "John Kerry",
        "person",
        "",
        "reader",
        "high",
    ]


@pytest.mark.parametrize(("start", "end"), [(5, 5), (-1, 3), (0, 10_000), (12, 13)])
def test_bad_selections_are_refused(start: int, end: int) -> None:
    with pytest.raises(CorrectionError):
        snap_bounds(TEXT, start, end)


def test_speakers_are_set_and_merged() -> None:
    quotes = pd.DataFrame(
        [
            dict.fromkeys(COLUMNS, "")
            | {
                "span_id": f"q{i}",
                "kind": "quote",
                "speaker": who,
                "label": "QUOTE",
                "status": "active",
                "speaker_kind": "person",
                "speaker_mention": "he",
                "cue": "said",
                "attribution": "pronoun",
                "confidence": "medium",
            }
            for i, who in enumerate(["Lavrov", "Sergei Lavrov", "Kerry"])
        ]
    )
    row = set_speaker(quotes, "q2", "  John   Kerry ").iloc[0]
    assert row[["speaker", "speaker_mention", "cue", "attribution", "confidence"]].tolist() == [
        "John Kerry",
        "",
        "said",  # the cue is the text's, whoever speaks
        "reader",
        "high",
    ]
    assert row["speaker_kind"] == ""  # nothing in this table names John Kerry
    assert (
        set_speaker(quotes, "q2", "Sergei Lavrov").iloc[0]["speaker_kind"] == "person"
    )  # as the model found him
    assert (
        set_speaker(quotes, "q2", "the embassy", kind="organisation").iloc[0]["speaker_kind"]
        == "organisation"
    )
    merged = merge_speakers(quotes, ["Lavrov", "Sergei Lavrov"], "Sergei Lavrov")
    assert merged[["span_id", "speaker", "attribution", "speaker_kind"]].values.tolist() == [
        ["q0", "Sergei Lavrov", "reader", "person"]
    ]
    with pytest.raises(CorrectionError):
        set_speaker(quotes, "q0", " ")


@pytest.mark.parametrize(
    ("entities", "speaker", "kind"),
    [
        ([("John Kerry’s", "PERSON")], "John Kerry", "person"),
        ([("Kerry", "PERSON")], "John Kerry", "person"),  # a part of the name
        ([("Turkish military", "ORG")], "Turkish military", "organisation"),
        ([], "the foreign ministry", "organisation"),  # says what it is
        ([], "a statement from Ankara", "organisation"),
        ([("Kerry", "PERSON")], "a passer-by", ""),
    ],
)
def test_a_readers_speaker_takes_its_kind_from_the_articles_entities(entities, speaker, kind) -> None:
    rows = [
        dict.fromkeys(COLUMNS, "") | {"span_id": f"e{i}", "kind": "entity", "text": text, "label": label}
        for i, (text, label) in enumerate(entities)
    ]
    rows.append(dict.fromkeys(COLUMNS, "") | {"span_id": "q", "kind": "quote", "label": "QUOTE"})
    assert set_speaker(pd.DataFrame(rows), "q", speaker).iloc[0]["speaker_kind"] == kind


def test_entity_corrections_refuse_quotes_and_unknown_spans(table) -> None:
    with pytest.raises(CorrectionError, match="no span"):
        relabel(table, TEXT, "nope", "GPE")
    quotes = pd.DataFrame([dict.fromkeys(COLUMNS, "") | {"span_id": "q", "kind": "quote"}])
    with pytest.raises(CorrectionError, match="Only entities"):
        relabel(quotes, TEXT, "q", "GPE")
    lavrov = span_id_of(table, "Lavrov")
    assert set_country(table, lavrov, " rus ").iloc[0][["country", "country_reason"]].tolist() == [
        "RUS",
        "reader",
    ]
    assert set_country(table, lavrov, "").empty  # it has none: nothing to clear


def test_saving_the_country_a_span_has_changes_nothing_so_it_is_never_set_by_reader(table) -> None:
    placed = table[(table["kind"] == "entity") & (table["country"] != "")].iloc[0]
    assert placed["country_reason"] not in ("", "reader")
    assert set_country(table, placed["span_id"], placed["country"].lower()).empty
    cleared = set_country(table, placed["span_id"], "")
    assert cleared.iloc[0][["country", "country_reason"]].tolist() == ["", ""]


def test_table_edit_of_several_fields_is_one_row(table) -> None:
    lavrov = span_id_of(table, "Lavrov")
    rows = edit_fields(table, lavrov, {"label": "MYLABEL", "status": "rejected"}, country_of=russia)
    assert rows[["label", "country", "country_reason", "status", "source"]].values.tolist() == [
        ["MYLABEL", "RUS", "capital", "rejected", "human"]
    ]
    rows = edit_fields(table, lavrov, {"label": "MYLABEL", "country": "usa"}, country_of=russia)
    assert rows.iloc[0][["country", "country_reason"]].tolist() == ["USA", "reader"]
    assert edit_fields(table, lavrov, {"label": table.set_index("span_id").loc[lavrov, "label"]}).empty
    with pytest.raises(CorrectionError, match="Only quotes"):
        edit_fields(table, lavrov, {"speaker": "Someone"})
