"""Chart data equals the counts in the annotation table; specs carry the selections the page reads."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from components.annotations.corrections import relabel, set_country, set_speaker
from components.annotations.schema import COLUMNS
from components.annotations.table import doc_to_table, merge_corrections
from components.config import PROJECT_ROOT
from components.nlp.countries import country_name, iso3_to_numeric
from components.nlp.place_records import REASON_AMBIGUOUS, REASONS
from components.views import charts


def quote(span_id: str, text: str, speaker: str, status: str = "active", kind: str = "") -> dict:
    return dict.fromkeys(COLUMNS, "") | {
        "speaker_kind": kind,
        "span_id": span_id,
        "kind": "quote",
        "label": "QUOTE",
        "text": text,
        "speaker": speaker,
        "status": status,
        "source": "model",
        "start": 0,
        "end": len(text),
    }


def entity(span_id: str, text: str, label: str, country: str = "", status: str = "active") -> dict:
    return dict.fromkeys(COLUMNS, "") | {
        "span_id": span_id,
        "kind": "entity",
        "label": label,
        "text": text,
        "country": country,
        "status": status,
        "source": "model",
        "start": 0,
        "end": len(text),
    }


@pytest.fixture()
def table() -> pd.DataFrame:
    return pd.DataFrame(
        [
            entity("e1", "Sergei Lavrov", "PERSON"),
            entity("e2", "Turkish military", "ORG"),
            quote("q1", "“We hope our partners will agree,”", "Sergei Lavrov", kind="person"),
            quote("q2", "“Almost a year has passed,”", "Sergei Lavrov", kind="person"),
            quote("q3", "“Talks were constructive,”", "Turkish military", kind="organisation"),
            quote("q4", "“Rejected words here”", "Sergei Lavrov", status="rejected", kind="organisation"),
            quote("q5", "“No idea who said it”", "a passer-by"),
            quote("q6", "“We will stay,”", "a resident", kind="unnamed"),
        ]
    )


def test_speaker_data_counts_active_quotes_and_words(table) -> None:
    data = charts.speaker_data(table)
    assert data.to_dict("records") == [
        {"speaker": "Sergei Lavrov", "kind": "person", "quotes": 2, "words": 11},
        {"speaker": "a passer-by", "kind": "unknown", "quotes": 1, "words": 5},
        {"speaker": "Turkish military", "kind": "organisation", "quotes": 1, "words": 3},
        {"speaker": "a resident", "kind": "unnamed", "quotes": 1, "words": 3},
    ]


def test_a_speakers_kind_is_what_most_of_their_quotes_say(table) -> None:
    votes = pd.DataFrame(
        [
            quote("a", "“One”", "Acme", kind="organisation"),
            quote("b", "“Two”", "Acme", kind="organisation"),
            quote("c", "“Three”", "Acme", kind="person"),
            quote("d", "“Four”", "Jo", kind="organisation"),
            quote("e", "“Five”", "Jo", kind="person"),  # a tie: person first
            quote("f", "“Six”", "Jo", kind="person", status="rejected"),
        ]
    )
    assert charts.speaker_kinds(votes) == {"Acme": "organisation", "Jo": "person"}


@pytest.mark.parametrize(
    ("quote_text", "words"),
    [("“It’s not true,”", 3), ("‘Whoever wants (the) process’", 4), ("“co-operation”", 1)],
)
def test_quoted_words_ignore_marks_and_punctuation(quote_text: str, words: int) -> None:
    assert charts.quoted_words(quote_text) == words


def test_label_data_equals_the_table_counts(nlp, bundled_text) -> None:
    model = doc_to_table(nlp(bundled_text), "a")
    data = charts.label_data(model)
    entities = model[model["kind"] == "entity"]
    assert dict(zip(data["label"], data["spans"], strict=False)) == entities["label"].value_counts().to_dict()
    assert int(data["spans"].sum()) == len(entities)
    assert data.loc[data["label"] == "GPE", "name"].tolist() == ["Place (GPE)"]  # the axis reads words


def test_country_data_follows_corrections(nlp, bundled_text) -> None:
    model = doc_to_table(nlp(bundled_text), "a")
    data = charts.country_data(model, country_name)
    totals = data.groupby("iso3")["mentions"].sum().to_dict()
    assert totals == model.loc[model["country"] != "", "country"].value_counts().to_dict()
    assert list(dict.fromkeys(data["iso3"]))[:2] == ["SYR", "RUS"]
    assert set(data.loc[data["iso3"] == "SYR", "reason"]) == {"name", "demonym", "city"}

    greece = str(model.loc[model["text"] == "Greece", "span_id"].iloc[0])
    corrected = merge_corrections(model, set_country(model, greece, "CYP"))
    after = charts.country_data(corrected, country_name)
    assert after.loc[after["iso3"] == "CYP"].to_dict("records") == [
        {"iso3": "CYP", "country": "Cyprus", "reason": "set by reader", "mentions": 1}
    ]
    assert "GRC" not in set(after["iso3"])

    moscow = str(model.loc[model["text"] == "Moscow", "span_id"].iloc[0])
    relabelled = merge_corrections(
        model, relabel(model, bundled_text, moscow, "PERSON", True, lambda text, label: None)
    )
    moved = charts.country_data(relabelled, country_name)
    assert moved.loc[(moved["iso3"] == "RUS") & (moved["reason"] == "capital")].empty


def test_speaker_correction_moves_the_counts(table) -> None:
    corrected = merge_corrections(table, set_speaker(table, "q5", "Turkish military"))
    data = charts.speaker_data(corrected).set_index("speaker")
    assert data.loc["Turkish military", "quotes"] == 2 and "a passer-by" not in data.index


def test_specs_carry_the_selections_the_page_reads(table) -> None:
    speakers = charts.speakers_chart(charts.speaker_data(table)).to_dict()
    assert [param["name"] for param in speakers["params"]] == [charts.SPEAKER_SELECTION]
    countries = pd.DataFrame([{"iso3": "SYR", "country": "Syria", "reason": "city", "mentions": 3}])
    bars = charts.countries_chart(countries).to_dict()
    assert bars["params"][0]["name"] == charts.COUNTRY_SELECTION
    topology = json.loads((PROJECT_ROOT / "static" / "map" / "countries-110m.json").read_text())
    world = charts.world_map(countries, "app/static/map/countries-110m.json", iso3_to_numeric).to_dict()
    lookup = world["layer"][2]["transform"][0]
    assert lookup["lookup"] == "id" and world["params"][0]["name"].startswith(charts.COUNTRY_SELECTION)
    ids = {geometry.get("id") for geometry in topology["objects"]["countries"]["geometries"]}
    assert iso3_to_numeric("SYR") in ids


def test_the_page_charts_pass_the_schema_check_the_page_skips(table) -> None:
    countries = charts.country_data(table, country_name)
    page_charts = [
        charts.speakers_chart(charts.speaker_data(table)),
        charts.countries_chart(countries),
        charts.world_map(countries, "app/static/map/countries-110m.json", iso3_to_numeric),
        charts.labels_chart(charts.label_data(table)),
    ]
    for chart in page_charts:  # the checked conversion raises on a spec the schema refuses
        assert charts.vega_lite_spec(chart) == charts.vega_lite_spec(chart, validate=False)


def test_a_long_article_s_speakers_chart_draws_the_most_quoted_and_says_how_many_there_are() -> None:
    data = pd.DataFrame(
        {
            "speaker": [f"Speaker {n:02d}" for n in range(25)],
            "kind": ["person"] * 25,
            "quotes": list(range(25, 0, -1)),
            "words": [10] * 25,
        }
    )
    spec = charts.vega_lite_spec(charts.speakers_chart(data))
    [rows] = spec["datasets"].values()
    assert [row["speaker"] for row in rows] == [f"Speaker {n:02d}" for n in range(charts.SPEAKERS_SHOWN)]
    assert spec["title"]["text"] == f"The {charts.SPEAKERS_SHOWN} most quoted of 25 speakers"
    few = charts.vega_lite_spec(charts.speakers_chart(data.head(4)))
    assert "title" not in few and len(next(iter(few["datasets"].values()))) == 4


def test_the_mentioned_by_legend_knows_every_reason_the_resolver_gives() -> None:
    assert set(REASONS) - {REASON_AMBIGUOUS} <= set(charts.REASON_ORDER)
    assert {"subdivision", "seat of government", "landmark"} <= set(charts.REASON_ORDER)
    assert "place" not in charts.REASON_ORDER  # no reason the resolver gives
    assert set(charts.REASON_COLOURS) == set(charts.REASON_ORDER)


def _legends(spec: dict) -> list[dict]:
    found = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("legend"), dict):
                found.append(node["legend"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    return found


def test_legends_list_what_the_chart_shows_whole_and_never_set_by_reader_untouched() -> None:
    table = pd.DataFrame(
        [
            entity("e-1", "Turkey", "GPE", country="TUR") | {"country_reason": "name"},
            entity("e-2", "the Kremlin", "FAC", country="RUS") | {"country_reason": "seat of government"},
            entity("e-3", "Atlantis", "GPE", country="GRC") | {"country_reason": "made up by a tool"},
            quote("q-1", "“No.”", "Sergei Lavrov", kind="person"),
        ]
    )
    countries = charts.country_data(table, lambda code: code)
    assert set(countries["reason"]) == {"name", "seat of government", "not recorded"}
    [legend] = _legends(charts.vega_lite_spec(charts.countries_chart(countries)))
    assert legend["values"] == ["name", "seat of government", "not recorded"]  # no "set by reader"
    assert legend["labelLimit"] == 0 and legend["columns"] == 2 and legend["title"] == "mentioned by"
    legends = _legends(charts.vega_lite_spec(charts.speakers_chart(charts.speaker_data(table))))
    assert legends and all(legend["values"] == ["person"] and legend["labelLimit"] == 0 for legend in legends)
