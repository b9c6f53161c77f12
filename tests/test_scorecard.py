"""The scorecard: P/R/F1 per label, speakers and confusions, worked out by hand on small tables."""

from __future__ import annotations

import pandas as pd
import pytest

from components.annotations.corrections import new_span, reject, relabel, set_bounds, set_speaker
from components.annotations.schema import COLUMNS
from components.annotations.table import doc_to_table, empty_table, merge_corrections
from components.corpus.scorecard import (
    CheckedArticle,
    LabelScore,
    Scorecard,
    combine,
    counting_note,
    reader_frame,
    score_article,
    score_checked,
    scorecard_frame,
)


def span(
    span_id: str,
    start: int,
    end: int,
    label: str,
    *,
    kind: str = "entity",
    speaker: str = "",
    source: str = "model",
    status: str = "active",
    article_id: str = "a",
) -> dict:
    return {
        "article_id": article_id,
        "span_id": span_id,
        "kind": kind,
        "start": start,
        "end": end,
        "text": "x" * (end - start),
        "label": label,
        "speaker": speaker,
        "country": "",
        "source": source,
        "status": status,
        "updated_at": "2026-11-25T12:00:00Z",
    }


def quote(span_id: str, start: int, end: int, speaker: str, **extra: str) -> dict:
    return span(span_id, start, end, "QUOTE", kind="quote", speaker=speaker, **extra)


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(COLUMNS)) if rows else empty_table()


def human(row: dict, **changes: object) -> dict:
    return row | {"source": "human"} | changes


MODEL_ROWS = [
    span("e-0-6", 0, 6, "NORP"),  # kept
    span("e-73-79", 73, 79, "NORP"),  # relabelled GPE
    span("e-100-110", 100, 110, "ORG"),  # relabelled PERSON
    span("e-200-212", 200, 212, "PERSON"),  # boundaries fixed to 200-210
    span("e-300-305", 300, 305, "DATE"),  # rejected
    span("e-400-406", 400, 406, "GPE"),  # kept
    quote("q-500-600", 500, 600, "Lavrov"),  # kept
    quote("q-700-800", 700, 800, "Lavrov"),  # speaker changed to Kerry
    quote("q-900-950", 900, 950, "Turkish military"),  # rejected
]


@pytest.fixture()
def model() -> pd.DataFrame:
    return frame(*MODEL_ROWS)


@pytest.fixture()
def corrections() -> pd.DataFrame:
    """The reader's rows as the store keeps them: eight spans touched."""
    by_id = {row["span_id"]: row for row in MODEL_ROWS}
    return frame(
        human(by_id["e-73-79"], label="GPE"),
        human(by_id["e-100-110"], label="PERSON"),
        human(by_id["e-200-212"], start=200, end=210),
        human(by_id["e-300-305"], status="rejected"),
        span("e-1000-1006", 1000, 1006, "GPE", source="human"),  # the model missed it
        human(by_id["q-700-800"], speaker="Kerry"),
        human(by_id["q-900-950"], status="rejected"),
        quote("q-1100-1200", 1100, 1200, "Erdogan", source="human"),  # added by the reader
    )


@pytest.fixture()
def corrected(model: pd.DataFrame, corrections: pd.DataFrame) -> pd.DataFrame:
    return merge_corrections(model, corrections)


def scores_by_label(card: Scorecard) -> dict[str, tuple[int, int, int]]:
    return {score.label: (score.tp, score.fp, score.fn) for score in card.labels}


def confusion_counts(card: Scorecard) -> dict[tuple[str, str], int]:
    return {(m, h): int(c) for m, h, c in card.confusions.itertuples(index=False)}


# --- LabelScore ------------------------------------------------------------------------------------


def test_label_score_formulas_and_the_zero_convention() -> None:
    score = LabelScore("GPE", tp=3, fp=1, fn=2)
    assert score.precision == pytest.approx(3 / 4)
    assert score.recall == pytest.approx(3 / 5)
    assert score.f1 == pytest.approx(2 * 0.75 * 0.6 / (0.75 + 0.6))
    # Undefined ratios are 0.0, never NaN or ZeroDivisionError.
    assert (
        LabelScore("X", 0, 0, 0).precision,
        LabelScore("X", 0, 0, 0).recall,
        LabelScore("X", 0, 0, 0).f1,
    ) == (
        0.0,
        0.0,
        0.0,
    )
    only_missed = LabelScore("X", 0, 0, 4)
    assert (only_missed.precision, only_missed.recall, only_missed.f1) == (0.0, 0.0, 0.0)
    only_wrong = LabelScore("X", 0, 2, 0)
    assert (only_wrong.precision, only_wrong.recall, only_wrong.f1) == (0.0, 0.0, 0.0)


# --- one article -----------------------------------------------------------------------------------


def test_untouched_article_scores_perfectly(model: pd.DataFrame) -> None:
    card = score_article(model, merge_corrections(model, empty_table()))
    assert card.articles == 1
    assert [score.label for score in card.labels] == ["DATE", "GPE", "NORP", "ORG", "PERSON"]
    assert all((s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0) for s in card.labels)
    assert (card.overall.tp, card.overall.fp, card.overall.fn) == (6, 0, 0)
    assert (card.speakers.tp, card.speakers.fp, card.speakers.fn) == (3, 0, 0)
    assert card.speakers.f1 == 1.0
    assert card.confusions.empty
    assert list(card.confusions.columns) == ["model_label", "human_label", "count"]


def test_relabel_reject_add_and_boundary_fix_counted_by_hand(
    model: pd.DataFrame, corrected: pd.DataFrame
) -> None:
    card = score_article(model, corrected)
    # Predictions: (0,6,NORP) ✓, (73,79,NORP) ✗, (100,110,ORG) ✗, (200,212,PERSON) ✗, (300,305,DATE) ✗,
    # (400,406,GPE) ✓. Gold: (0,6,NORP), (73,79,GPE), (100,110,PERSON), (200,210,PERSON),
    # (400,406,GPE), (1000,1006,GPE).
    assert scores_by_label(card) == {
        "DATE": (0, 1, 0),
        "GPE": (1, 0, 2),
        "NORP": (1, 1, 0),
        "ORG": (0, 1, 0),
        "PERSON": (0, 1, 2),
    }
    by_label = {score.label: score for score in card.labels}
    assert (by_label["GPE"].precision, by_label["GPE"].recall, by_label["GPE"].f1) == pytest.approx(
        (1.0, 1 / 3, 0.5)
    )
    assert (by_label["NORP"].precision, by_label["NORP"].recall, by_label["NORP"].f1) == pytest.approx(
        (0.5, 1.0, 2 / 3)
    )
    assert (by_label["PERSON"].precision, by_label["PERSON"].f1) == (0.0, 0.0)
    assert (card.overall.label, card.overall.tp, card.overall.fp, card.overall.fn) == ("ALL", 2, 4, 4)
    assert (card.overall.precision, card.overall.recall, card.overall.f1) == pytest.approx(
        (1 / 3, 1 / 3, 1 / 3)
    )


def test_speakers_kept_changed_rejected_and_added(model: pd.DataFrame, corrected: pd.DataFrame) -> None:
    card = score_article(model, corrected)
    # kept Lavrov: tp; changed Lavrov→Kerry: fp and fn; rejected: fp; added Erdogan: fn.
    assert (card.speakers.label, card.speakers.tp, card.speakers.fp, card.speakers.fn) == ("SPEAKER", 1, 2, 2)
    assert (card.speakers.precision, card.speakers.recall) == pytest.approx((1 / 3, 1 / 3))


def test_confusions_say_what_the_reader_changed(model: pd.DataFrame, corrected: pd.DataFrame) -> None:
    assert confusion_counts(score_article(model, corrected)) == {
        ("NORP", "GPE"): 1,
        ("ORG", "PERSON"): 1,
        ("PERSON", "(boundary)"): 1,
        ("DATE", "(rejected)"): 1,
        ("(missed)", "GPE"): 1,
    }


def test_a_boundary_fix_with_a_new_label_is_a_relabel_and_a_rejected_addition_is_nothing() -> None:
    model = frame(span("e-0-12", 0, 12, "ORG"))
    merged = merge_corrections(
        model,
        frame(
            human(span("e-0-12", 0, 12, "ORG"), start=0, end=10, label="PERSON"),
            span("e-50-55", 50, 55, "GPE", source="human", status="rejected"),  # added, then thrown away
        ),
    )
    card = score_article(model, merged)
    assert confusion_counts(card) == {("ORG", "PERSON"): 1}
    assert scores_by_label(card) == {"ORG": (0, 1, 0), "PERSON": (0, 0, 1)}


def test_corrections_made_with_the_editor_functions_on_a_real_parse(nlp, bundled_text: str) -> None:
    model = doc_to_table(nlp(bundled_text), "aleppo")
    entities = model[model["kind"] == "entity"]
    quotes = model[model["kind"] == "quote"]
    first_aleppo = entities[entities["text"] == "Aleppo"].iloc[0]["span_id"]
    kerry = entities[entities["text"] == "John Kerry’s"].iloc[0]
    date = entities[entities["label"] == "DATE"].iloc[0]["span_id"]
    a_quote = quotes.iloc[0]
    human = pd.concat(
        [
            relabel(model, bundled_text, first_aleppo, "GPE"),
            set_bounds(model, bundled_text, kerry["span_id"], int(kerry["start"]), int(kerry["end"]) - 2),
            reject(model, bundled_text, date),
            set_speaker(model, a_quote["span_id"], "Somebody Else"),
            new_span(bundled_text, "aleppo", 0, 4, "entity", "MISC"),
        ],
        ignore_index=True,
    )
    card = score_article(model, merge_corrections(model, human))
    n_entities, n_quotes = len(entities), len(quotes)
    # Three model entities are wrong (relabel, boundary, reject); gold adds relabel, boundary and new span.
    assert (card.overall.tp, card.overall.fp, card.overall.fn) == (n_entities - 3, 3, 3)
    assert (card.speakers.tp, card.speakers.fp, card.speakers.fn) == (n_quotes - 1, 1, 1)
    assert confusion_counts(card) == {
        ("NORP", "GPE"): 1,
        ("PERSON", "(boundary)"): 1,
        ("DATE", "(rejected)"): 1,
        ("(missed)", "MISC"): 1,
    }


# --- the corpus ------------------------------------------------------------------------------------


def test_combine_sums_counts_and_confusions(model: pd.DataFrame, corrected: pd.DataFrame) -> None:
    corrected_card = score_article(model, corrected)
    clean_card = score_article(model, model)
    card = combine([corrected_card, clean_card, corrected_card])
    assert card.articles == 3
    assert scores_by_label(card) == {
        "DATE": (1, 2, 0),
        "GPE": (1 + 1 + 1, 0, 2 + 0 + 2),
        "NORP": (1 + 2 + 1, 1 + 0 + 1, 0),
        "ORG": (1, 2, 0),
        "PERSON": (1, 2, 4),
    }
    assert (card.overall.tp, card.overall.fp, card.overall.fn) == (2 + 6 + 2, 4 + 0 + 4, 4 + 0 + 4)
    # Micro-average: the summed counts, not the mean of per-article F1 (1/3, 1, 1/3 → 5/9).
    assert card.overall.f1 == pytest.approx(2 * 10 / (2 * 10 + 8 + 8))
    assert (card.speakers.tp, card.speakers.fp, card.speakers.fn) == (1 + 3 + 1, 4, 4)
    assert confusion_counts(card) == {
        ("NORP", "GPE"): 2,
        ("ORG", "PERSON"): 2,
        ("PERSON", "(boundary)"): 2,
        ("DATE", "(rejected)"): 2,
        ("(missed)", "GPE"): 2,
    }
    empty = combine([])
    assert (empty.articles, empty.labels, empty.overall.tp, empty.confusions.empty) == (0, (), 0, True)


# --- reviewed in full, in progress on the touched spans --------------------------------------------


def test_a_reviewed_article_counts_every_span(model: pd.DataFrame, corrections: pd.DataFrame) -> None:
    card = score_checked(CheckedArticle(model, corrections, reviewed=True))
    assert (card.full, card.partial, card.touched, card.articles) == (1, 0, 0, 1)
    # The same counts as scoring the whole merged table (worked out above).
    assert scores_by_label(card) == scores_by_label(
        score_article(model, merge_corrections(model, corrections))
    )
    assert (card.overall.tp, card.overall.fp, card.overall.fn) == (2, 4, 4)
    assert counting_note(card) == "Counted: 1 article marked reviewed, counted in full."


def test_an_article_in_progress_counts_only_the_spans_the_reader_touched(
    model: pd.DataFrame, corrections: pd.DataFrame
) -> None:
    card = score_checked(CheckedArticle(model, corrections, reviewed=False))
    # Touched: e-73-79, e-100-110, e-200-212, e-300-305, e-1000-1006, q-700-800, q-900-950, q-1100-1200.
    # The untouched model spans (0,6,NORP), (400,406,GPE) and the Lavrov quote at 500 are not counted:
    # predictions (73,79,NORP) ✗, (100,110,ORG) ✗, (200,212,PERSON) ✗, (300,305,DATE) ✗;
    # gold (73,79,GPE), (100,110,PERSON), (200,210,PERSON), (1000,1006,GPE), none found.
    assert (card.full, card.partial, card.touched, card.articles) == (0, 1, 8, 1)
    assert scores_by_label(card) == {
        "DATE": (0, 1, 0),
        "GPE": (0, 0, 2),
        "NORP": (0, 1, 0),
        "ORG": (0, 1, 0),
        "PERSON": (0, 1, 2),
    }
    assert (card.overall.tp, card.overall.fp, card.overall.fn) == (0, 4, 4)
    # Quotes: Lavrov→Kerry is fp and fn, the rejected one fp, the added Erdogan fn; the kept Lavrov is out.
    assert (card.speakers.tp, card.speakers.fp, card.speakers.fn) == (0, 2, 2)
    # What the reader changed is the same either way.
    assert confusion_counts(card) == confusion_counts(
        score_article(model, merge_corrections(model, corrections))
    )
    assert counting_note(card) == (
        "Counted: 1 article in progress, counted only on the 8 spans a reader corrected "
        "(the model's other spans there are not checked yet)."
    )


def test_one_correction_in_progress_does_not_make_the_other_spans_correct() -> None:
    # Six entities, the reader relabelled one and restored nothing else: 5 unchecked, 1 wrong.
    model = frame(*(span(f"e-{10 * i}-{10 * i + 5}", 10 * i, 10 * i + 5, "ORG") for i in range(6)))
    fix = frame(human(span("e-20-25", 20, 25, "ORG"), label="PERSON"))
    in_progress = score_checked(CheckedArticle(model, fix, reviewed=False))
    assert (in_progress.overall.tp, in_progress.overall.fp, in_progress.overall.fn) == (0, 1, 1)
    assert in_progress.overall.precision == 0.0
    # Marked reviewed, the five spans the reader left alone are agreed with.
    reviewed = score_checked(CheckedArticle(model, fix, reviewed=True))
    assert (reviewed.overall.tp, reviewed.overall.fp, reviewed.overall.fn) == (5, 1, 1)
    assert reviewed.overall.precision == pytest.approx(5 / 6)


def test_a_span_the_reader_restored_counts_as_agreed_in_progress() -> None:
    model = frame(span("e-0-5", 0, 5, "GPE"), span("e-10-15", 10, 15, "GPE"))
    restored = frame(human(span("e-0-5", 0, 5, "GPE")))  # rejected, then restored: a human row as the model's
    card = score_checked(CheckedArticle(model, restored, reviewed=False))
    assert (card.overall.tp, card.overall.fp, card.overall.fn, card.touched) == (1, 0, 0, 1)


def test_other_predictions_are_scored_on_the_same_touched_spans() -> None:
    model = frame(span("e-0-5", 0, 5, "NORP"), span("e-10-15", 10, 15, "NORP"))
    fix = frame(
        human(span("e-0-5", 0, 5, "NORP"), label="GPE"), span("e-30-35", 30, 35, "GPE", source="human")
    )
    # A learned pattern labels both NORP spans GPE and finds the reader's added span: on the touched
    # spans (e-0-5, e-30-35) that is two hits; e-10-15, untouched, is not counted either way.
    patterned = frame(
        span("e-0-5", 0, 5, "GPE", source="pattern"),
        span("e-10-15", 10, 15, "GPE", source="pattern"),
        span("e-30-35", 30, 35, "GPE", source="pattern"),
    )
    article = CheckedArticle(model, fix, reviewed=False)
    before, after = score_checked(article), score_checked(article, patterned)
    assert (before.overall.tp, before.overall.fp, before.overall.fn) == (0, 1, 2)
    assert (after.overall.tp, after.overall.fp, after.overall.fn) == (2, 0, 0)


def test_a_corpus_says_how_many_articles_it_counted_each_way(
    model: pd.DataFrame, corrections: pd.DataFrame
) -> None:
    card = combine(
        [
            score_checked(CheckedArticle(model, corrections, reviewed=True)),
            score_checked(CheckedArticle(model, corrections, reviewed=False)),
            score_checked(CheckedArticle(model.assign(article_id="b"), empty_table(), reviewed=True)),
        ]
    )
    assert (card.full, card.partial, card.touched, card.articles) == (2, 1, 8, 3)
    # reviewed (2,4,4) + in progress (0,4,4) + an untouched reviewed article (6,0,0)
    assert (card.overall.tp, card.overall.fp, card.overall.fn) == (8, 8, 8)
    assert counting_note(card) == (
        "Counted: 2 articles marked reviewed, counted in full; 1 article in progress, counted only "
        "on the 8 spans a reader corrected (the model's other spans there are not checked yet)."
    )
    assert counting_note(combine([])) == "No article counted."


def test_scorecard_frame_has_a_row_per_label_then_all_and_speaker(
    model: pd.DataFrame, corrected: pd.DataFrame
) -> None:
    data = scorecard_frame(score_article(model, corrected))
    assert list(data.columns) == ["label", "precision", "recall", "f1", "tp", "fp", "fn"]
    assert data["label"].tolist() == ["DATE", "GPE", "NORP", "ORG", "PERSON", "ALL", "SPEAKER"]
    gpe = data.set_index("label").loc["GPE"]
    assert (gpe["tp"], gpe["fp"], gpe["fn"]) == (1, 0, 2)
    assert gpe["recall"] == pytest.approx(1 / 3)
    assert data.set_index("label").loc["SPEAKER", "precision"] == pytest.approx(1 / 3)
    assert str(data["tp"].dtype) == "int64" and str(data["f1"].dtype) == "float64"


def test_the_readers_table_says_found_missed_wrongly_labelled_and_the_download_keeps_tp_fp_fn() -> None:
    frame = pd.DataFrame(
        [
            ("NORP", 0.5, 1.0, 0.67, 1, 1, 0),
            ("ALL", 0.5, 1.0, 0.67, 1, 1, 0),
            ("SPEAKER", 1.0, 1.0, 1.0, 2, 0, 0),
        ],
        columns=["label", "precision", "recall", "f1", "tp", "fp", "fn"],
    )
    shown = reader_frame(frame, lambda label: f"name of {label}")
    assert list(shown.columns) == [
        "label",
        "found",
        "missed",
        "wrongly labelled",
        "precision",
        "recall",
        "f1",
    ]
    assert shown.values.tolist()[0] == ["name of NORP", 1, 0, 1, 0.5, 1.0, 0.67]
    assert shown["label"].tolist()[1:] == ["All entities", "Quote speakers"]
    assert list(frame.columns) == ["label", "precision", "recall", "f1", "tp", "fp", "fn"]  # left as it was
