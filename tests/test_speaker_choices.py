"""The speakers offered for a quote: people first (each once, fullest name, their quotes), then organisations."""

from __future__ import annotations

import pandas as pd
import pytest

from components.annotations.schema import COLUMNS
from components.annotations.speaker_choices import (
    badly_cut_entities,
    is_badly_cut,
    speaker_choices,
    typed_speaker,
)
from components.annotations.table import doc_to_table


@pytest.fixture(scope="module")
def bundled_table(nlp, bundled_text) -> pd.DataFrame:
    return doc_to_table(nlp(bundled_text), "bundled")


def test_people_first_each_once_by_fullest_name_with_their_quotes(bundled_table) -> None:
    choices = speaker_choices(bundled_table)
    names = [choice.name for choice in choices]
    assert names[:3] == ["Sergei Lavrov", "Zakaria Malahifji", "John Kerry"]
    assert choices[0].caption == "Sergei Lavrov · person · 8 quotes"
    assert "Lavrov" not in names and "Malahifji" not in names and "John Kerry’s" not in names
    kinds = [choice.kind for choice in choices]
    assert kinds == sorted(kinds, key=lambda kind: kind != "person")  # people, then the rest
    assert "Nato" in names and "Turkish military" in names
    for place_or_date in ("Aleppo", "Greece", "America", "Syria", "Turkish", "Russian"):
        assert place_or_date not in names
    assert not any("(" in name for name in names)  # "Daesh (Islamic State" is no name


def test_a_badly_cut_name_is_listed_as_the_text_it_covers(bundled_table) -> None:
    assert badly_cut_entities(bundled_table)["text"].tolist() == ["Daesh (Islamic State"]
    assert is_badly_cut("Daesh (Islamic State") and not is_badly_cut("John Kerry’s")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("lavrov", "Sergei Lavrov"), ("Kerry", "John Kerry"), (" NATO ", "Nato"), ("Jane Doe", "Jane Doe")],
)
def test_a_typed_name_of_a_person_in_the_article_is_that_person(
    bundled_table, typed: str, meant: str
) -> None:
    assert typed_speaker(typed, speaker_choices(bundled_table)) == meant


def test_an_ambiguous_surname_stays_as_typed() -> None:
    rows = [
        {"span_id": f"e{i}", "kind": "entity", "text": name, "label": "PERSON", "status": "active"}
        for i, name in enumerate(["Ann Smith", "Bob Smith"])
    ]
    table = pd.DataFrame([dict.fromkeys(COLUMNS, "") | row for row in rows], columns=list(COLUMNS))
    choices = speaker_choices(table)
    assert [choice.name for choice in choices] == ["Ann Smith", "Bob Smith"]
    assert typed_speaker("Smith", choices) == "Smith"
