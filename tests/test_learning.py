"""Learning from corrections: patterns only from repeated corrections, applied with source "pattern"."""

from __future__ import annotations

import pandas as pd
import pytest
import spacy

from components.annotations.corrections import reject, relabel
from components.annotations.csv_codec import decode_table, encode_table
from components.annotations.schema import COLUMNS, SOURCE_PATTERN, SOURCES
from components.annotations.store import AnnotationStore, InvalidRowsError
from components.annotations.table import doc_to_table, merge_corrections
from components.corpus.learning import apply_patterns, patterns_from_corrections, ruler_patterns
from components.corpus.scorecard import score_article
from components.nlp.countries import CountryResolution

TEXT = (
    "Aleppo fell on Monday. Fighters left Aleppo before dawn. Aleppo Province is quiet, an Aleppoan said. "
    "Fastaqim said Moscow agreed."
)


def at(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def entity(
    article_id: str,
    text: str,
    needle: str,
    label: str,
    *,
    occurrence: int = 0,
    source: str = "model",
    status: str = "active",
    country: str = "",
) -> dict:
    start, end = at(text, needle, occurrence)
    return dict.fromkeys(COLUMNS, "") | {
        "article_id": article_id,
        "span_id": f"e-{start}-{end}",
        "kind": "entity",
        "start": start,
        "end": end,
        "text": needle,
        "label": label,
        "speaker": "",
        "country": country,
        "source": source,
        "status": status,
        "updated_at": "2026-11-25T12:00:00Z",
    }


def table(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(COLUMNS))


def no_country(text: str, label: str) -> CountryResolution | None:
    return None


def syria_for_places(text: str, label: str) -> CountryResolution | None:
    return CountryResolution("SYR", "city", "Syria") if label == "GPE" else None


@pytest.fixture()
def model() -> pd.DataFrame:
    """A model's table of TEXT: "Aleppo" as NORP once and missed once, "Fastaqim" wrongly a GPE."""
    quote = {
        **entity("b", TEXT, "Fastaqim said Moscow agreed.", "QUOTE"),
        "kind": "quote",
        "speaker": "Fastaqim",
    }
    quote["span_id"] = "q" + quote["span_id"][1:]
    return table(
        entity("b", TEXT, "Aleppo", "NORP"),
        entity("b", TEXT, "Monday", "DATE"),
        entity("b", TEXT, "Aleppo Province", "GPE"),
        entity("b", TEXT, "Aleppoan", "ORG"),
        entity("b", TEXT, "Fastaqim", "GPE"),
        entity("b", TEXT, "Moscow", "GPE", country="RUS"),
        quote,
    )


@pytest.fixture()
def corrections() -> list[pd.DataFrame]:
    """Readers' human rows of three other articles."""
    x = "Aleppo is besieged. Aleppo waits. Malahifji spoke. Kerry left."
    y = "Malahifji of Fastaqim spoke."
    z = "Fastaqim fighters, Fastaqim."
    return [
        table(  # "apply to every mention": both Aleppos relabelled at once; one single relabel; one rejection
            entity("x", x, "Aleppo", "GPE", source="human"),
            entity("x", x, "Aleppo", "GPE", occurrence=1, source="human"),
            entity("x", x, "Malahifji", "PERSON", source="human"),
            entity("x", x, "Kerry", "PERSON", source="human", status="rejected"),
        ),
        table(
            entity("y", y, "Fastaqim", "GPE", source="human", status="rejected"),
            entity("y", y, "Malahifji", "ORG", source="model"),  # a model row is no reader's word
        ),
        table(entity("z", z, "Fastaqim", "GPE", source="human", status="rejected")),
    ]


# --- learning --------------------------------------------------------------------------------------


def test_patterns_come_only_from_repeated_corrections(corrections: list[pd.DataFrame]) -> None:
    patterns = patterns_from_corrections(corrections)
    assert [(p["action"], p["pattern"], p["label"], p["support"]) for p in patterns] == [
        ("label", "Aleppo", "GPE", 2),  # every mention in one article
        ("reject", "Fastaqim", "GPE", 2),  # rejected in two articles
    ]
    # Malahifji relabelled once and Kerry rejected once teach nothing.
    assert patterns[0]["id"] == "learned:GPE:Aleppo" and patterns[1]["id"] == "never:GPE:Fastaqim"
    # The same single relabel made in a second article is a pattern.
    second = table(entity("w", "Then Malahifji left.", "Malahifji", "PERSON", source="human"))
    learned = patterns_from_corrections([*corrections, second])
    assert ("Malahifji", "PERSON", 2) in [(p["pattern"], p["label"], p["support"]) for p in learned]
    assert patterns_from_corrections([]) == []
    assert patterns_from_corrections(corrections, min_places=3) == []


def test_contradicting_corrections_teach_nothing() -> None:
    a = "Jordan met Jordan."
    b = "Jordan is dry. Jordan is hot."
    frames = [
        table(
            entity("a", a, "Jordan", "PERSON", source="human"),
            entity("a", a, "Jordan", "PERSON", occurrence=1, source="human"),
        ),
        table(
            entity("b", b, "Jordan", "GPE", source="human"),
            entity("b", b, "Jordan", "GPE", occurrence=1, source="human"),
        ),
    ]
    assert patterns_from_corrections(frames) == []  # a person in one article, a country in another
    kept_and_rejected = [
        frames[0],
        table(
            entity("b", b, "Jordan", "PERSON", source="human", status="rejected"),
            entity("b", b, "Jordan", "PERSON", occurrence=1, source="human", status="rejected"),
        ),
    ]
    assert patterns_from_corrections(kept_and_rejected) == []


def test_ruler_patterns_load_into_a_spacy_span_ruler(corrections: list[pd.DataFrame]) -> None:
    patterns = ruler_patterns(patterns_from_corrections(corrections))
    assert patterns == [{"label": "GPE", "pattern": "Aleppo", "id": "learned:GPE:Aleppo"}]
    blank = spacy.blank("en")
    blank.add_pipe("span_ruler").add_patterns(patterns)
    doc = blank("Shelling in Aleppo.")
    assert [(span.text, span.label_, span.id_) for span in doc.spans["ruler"]] == [
        ("Aleppo", "GPE", "learned:GPE:Aleppo")
    ]


# --- applying --------------------------------------------------------------------------------------


def test_patterns_applied_to_an_uncorrected_article(
    nlp, model: pd.DataFrame, corrections: list[pd.DataFrame]
) -> None:
    patterns = patterns_from_corrections(corrections)
    applied = apply_patterns(model, TEXT, patterns, nlp, country_of=syria_for_places)
    rows = applied.set_index("span_id")
    first, second = at(TEXT, "Aleppo"), at(TEXT, "Aleppo", 1)
    # The model's NORP "Aleppo" keeps its id and gets the pattern's label and source.
    assert rows.loc[
        f"e-{first[0]}-{first[1]}", ["label", "source", "country", "country_reason"]
    ].tolist() == [
        "GPE",
        "pattern",
        "SYR",
        "city",
    ]
    # The "Aleppo" the model missed is added, with a model-style span id.
    assert rows.loc[
        f"e-{second[0]}-{second[1]}", ["text", "label", "source", "status", "article_id", "country_reason"]
    ].tolist() == [
        "Aleppo",
        "GPE",
        "pattern",
        "active",
        "b",
        "city",
    ]
    # The rejection rule rejects "Fastaqim" as a GPE; the row stays, rejected, so it can be restored.
    fastaqim = applied[applied["text"] == "Fastaqim"]
    assert fastaqim[["label", "status", "source"]].values.tolist() == [["GPE", "rejected", "pattern"]]
    # Nothing else moved: "Aleppo Province" (no Aleppo inside it), "Aleppoan" (not a whole token), the rest.
    untouched = applied[applied["source"] == "model"].drop(columns="updated_at")
    expected = model[~model["text"].isin(["Aleppo", "Fastaqim"])].drop(columns="updated_at")
    assert untouched.sort_values("span_id").to_dict("records") == expected.sort_values("span_id").to_dict(
        "records"
    )
    assert len(applied) == len(model) + 1
    assert list(applied.columns) == list(COLUMNS)
    assert applied["start"].tolist() == sorted(applied["start"].tolist())


def test_default_country_and_a_plain_tokenizer(nlp, model: pd.DataFrame) -> None:
    patterns = [{"label": "GPE", "pattern": "Aleppo", "id": "learned:GPE:Aleppo", "action": "label"}]
    applied = apply_patterns(model, TEXT, patterns, nlp.tokenizer)  # the tokenizer alone is enough
    aleppos = applied[applied["text"] == "Aleppo"]
    assert aleppos[["label", "country", "source"]].values.tolist() == [["GPE", "SYR", "pattern"]] * 2


def test_human_rows_are_never_changed(model: pd.DataFrame) -> None:
    reader = entity("b", TEXT, "Aleppo", "PERSON", source="human")  # odd, but the reader's call
    merged = merge_corrections(model, table(reader))
    patterns = [
        {"label": "GPE", "pattern": "Aleppo", "id": "a", "action": "label"},
        {"label": "PERSON", "pattern": "Aleppo", "id": "b", "action": "reject"},
    ]
    applied = apply_patterns(merged, TEXT, patterns, spacy.blank("en"), country_of=no_country)
    assert applied.set_index("span_id").loc[reader["span_id"], ["label", "source", "status"]].tolist() == [
        "PERSON",
        "human",
        "active",
    ]
    added = applied[applied["source"] == "pattern"]
    assert added[["text", "label", "status"]].values.tolist() == [
        ["Aleppo", "GPE", "active"]
    ]  # the missed one


def test_no_patterns_change_nothing(model: pd.DataFrame) -> None:
    applied = apply_patterns(model, TEXT, [], spacy.blank("en"), country_of=no_country)
    assert applied.sort_values("span_id").to_dict("records") == model.sort_values("span_id").to_dict(
        "records"
    )
    empty = apply_patterns(
        model.iloc[0:0],
        TEXT,
        [{"label": "GPE", "pattern": "Moscow", "id": "m"}],
        spacy.blank("en"),
        country_of=no_country,
        article_id="b",
    )
    assert empty[["article_id", "text", "label", "source"]].values.tolist() == [
        ["b", "Moscow", "GPE", "pattern"]
    ]


def test_the_scorecard_shows_what_the_patterns_changed(
    model: pd.DataFrame, corrections: list[pd.DataFrame]
) -> None:
    applied = apply_patterns(
        model, TEXT, patterns_from_corrections(corrections), spacy.blank("en"), country_of=no_country
    )
    changes = score_article(model, applied)
    assert {(m, h): int(c) for m, h, c in changes.confusions.itertuples(index=False)} == {
        ("NORP", "GPE"): 1,
        ("(missed)", "GPE"): 1,
        ("GPE", "(rejected)"): 1,
    }
    # Against a reader who made the same corrections by hand, the patterns' table scores perfectly.
    by_hand = pd.concat(
        [
            relabel(model, TEXT, model.iloc[0]["span_id"], "GPE", every_mention=True),
            reject(model, TEXT, model[model["text"] == "Fastaqim"].iloc[0]["span_id"]),
        ],
        ignore_index=True,
    )
    gold = merge_corrections(model, by_hand)
    before, after = score_article(model, gold), score_article(applied, gold)
    assert (before.overall.tp, before.overall.fp, before.overall.fn) == (4, 2, 2)
    assert (after.overall.tp, after.overall.fp, after.overall.fn) == (6, 0, 0)


# --- end to end, and the schema --------------------------------------------------------------------


def test_learned_from_the_stores_rows_of_a_real_parse(nlp, bundled_text: str, annotations_dir) -> None:
    model = doc_to_table(nlp(bundled_text), "aleppo")
    aleppo = model[(model["text"] == "Aleppo") & (model["kind"] == "entity")]
    assert len(aleppo) >= 2 and set(aleppo["label"]) != {"GPE"}  # the model gets it wrong: something to learn
    malahifji = model[model["text"] == "Malahifji"].iloc[0]["span_id"]
    store = AnnotationStore(annotations_dir)
    every = relabel(model, bundled_text, aleppo.iloc[0]["span_id"], "GPE", every_mention=True)
    store.save("aleppo", bundled_text, every, None)
    version = store.load("aleppo", bundled_text).version
    store.save("aleppo", bundled_text, relabel(model, bundled_text, malahifji, "PERSON"), version)

    patterns = patterns_from_corrections([store.load("aleppo", bundled_text).rows])
    assert [(p["pattern"], p["label"], p["action"]) for p in patterns] == [("Aleppo", "GPE", "label")]

    other = "Shelling in Aleppo went on. Malahifji said Aleppo would hold."
    other_model = doc_to_table(nlp(other), "other")
    applied = apply_patterns(other_model, other, patterns, nlp)
    aleppos = applied[applied["text"] == "Aleppo"]
    assert aleppos["label"].tolist() == ["GPE", "GPE"]
    # A mention the model already had as GPE stays the model's; a relabelled or added one is the pattern's.
    model_labels = {
        (start, end): label
        for start, end, label, text in zip(
            other_model["start"], other_model["end"], other_model["label"], other_model["text"], strict=False
        )
        if text == "Aleppo"
    }
    for start, end, source in zip(aleppos["start"], aleppos["end"], aleppos["source"], strict=False):
        assert source == ("model" if model_labels.get((start, end)) == "GPE" else "pattern")
    assert (
        applied[applied["text"] == "Malahifji"]["label"].tolist()
        == other_model[other_model["text"] == "Malahifji"]["label"].tolist()
    )


def test_pattern_rows_go_to_downloads_but_never_to_the_store(model: pd.DataFrame, annotations_dir) -> None:
    assert SOURCE_PATTERN == "pattern" and SOURCE_PATTERN in SOURCES
    applied = apply_patterns(
        model,
        TEXT,
        [{"label": "GPE", "pattern": "Aleppo", "id": "a"}],
        spacy.blank("en"),
        country_of=no_country,
    )
    assert decode_table(encode_table(applied)).to_dict("records") == applied.astype(
        {c: str for c in COLUMNS if c not in ("start", "end")}
    ).to_dict("records")
    pattern_rows = applied[applied["source"] == "pattern"]
    with pytest.raises(InvalidRowsError, match="only human corrections are stored"):
        AnnotationStore(annotations_dir).save("b", TEXT, pattern_rows, None)
