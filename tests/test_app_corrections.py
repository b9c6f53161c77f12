"""Correcting by hand in the real app (``AppTest``): every correction checked in the CSV on disk."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components.annotations.csv_codec import decode_table
from components.annotations.store import AnnotationStore
from components.annotations.table import doc_to_table, merge_corrections
from components.nlp.pipeline import load_pipeline
from components.ui import state
from tests.conftest import BUNDLED_ARTICLE
from tests.test_app import APP, article_html

ARTICLE_ID = BUNDLED_ARTICLE.stem
ARTICLE_TEXT = BUNDLED_ARTICLE.read_text(encoding="utf-8")


@functools.cache
def model_table(text: str, article_id: str) -> pd.DataFrame:
    return doc_to_table(load_pipeline()(text), article_id)


@pytest.fixture()
def app(app_folders) -> AppTest:
    return open_correct_tab(app_folders)


def open_correct_tab(app_folders) -> AppTest:
    """Lay out the folders and open the app on the bundled article with the Correct tab open."""
    app_folders()
    opened = AppTest.from_file(APP, default_timeout=120)
    opened.session_state[state.SIDE_TABS] = state.CORRECT_TAB  # as a click on a span in the text does
    opened.run()
    assert not opened.exception
    return opened


def saved_rows(tmp_path: Path) -> pd.DataFrame:
    """Return the correction file on disk, read with the app's own reader."""
    return decode_table((tmp_path / "annotations" / f"{ARTICLE_ID}.csv").read_bytes())


def pick(app: AppTest, text: str, label: str | None = None, kind: str = "entity", occurrence: int = 0) -> str:
    """Pick the span with this text (and label) in the span picker; return its id."""
    picker = app.selectbox(key=state.SELECTED_SPAN)
    table = current_table(app)
    rows = table[(table["text"] == text) & (table["kind"] == kind)]
    if label is not None:
        rows = rows[rows["label"] == label]
    span_id = str(rows.iloc[occurrence]["span_id"])
    picker.set_value(span_id).run()
    return span_id


def type_new_option(selectbox, value: str) -> None:
    """Type a new option into a selectbox that accepts them: the browser sends the typed string."""
    # AppTest's Selectbox only sends options it knows; the frontend sends the typed text as is.
    selectbox.options.append(value)
    selectbox.set_value(value)


def current_table(app: AppTest) -> pd.DataFrame:
    """Return the annotation table the page shows: the model's rows with the saved corrections on top."""
    store = AnnotationStore(Path(os.environ["ANNOTATIONS_DIR"]))
    corrections = store.load(ARTICLE_ID, ARTICLE_TEXT)
    return merge_corrections(model_table(ARTICLE_TEXT, ARTICLE_ID), corrections.rows)


def message(app: AppTest) -> str:
    return " ".join(element.value.replace("\\", "") for element in [*app.success, *app.error, *app.info])


def test_change_a_label(app: AppTest, tmp_path: Path) -> None:
    span_id = pick(app, "Lavrov", "ORG")
    app.selectbox(key=state.LABEL_CHOICE).set_value("PERSON")
    app.button(key="save_label").click().run()
    assert not app.exception
    assert "Saved" in message(app)
    rows = saved_rows(tmp_path)
    assert rows[["span_id", "text", "label", "source", "status"]].values.tolist() == [
        [span_id, "Lavrov", "PERSON", "human", "active"]
    ]
    assert f'data-span-id="{span_id}" data-label="PERSON"' in article_html(app)


def test_custom_label_typed_by_the_reader(app: AppTest, tmp_path: Path) -> None:
    pick(app, "Fastaqim", "GPE")
    type_new_option(app.selectbox(key=state.LABEL_CHOICE), "ARMED_GROUP")
    app.button(key="save_label").click().run()
    assert saved_rows(tmp_path)["label"].tolist() == ["ARMED_GROUP"]
    assert "ARMED_GROUP" in app.button_group(key=state.LABEL_FILTER).value  # a new label starts shown
    assert 'data-label="ARMED_GROUP"' in article_html(app)


def test_reject_a_span(app: AppTest, tmp_path: Path) -> None:
    span_id = pick(app, "Related Story", "PERSON")
    app.button(key="reject_span").click().run()
    rows = saved_rows(tmp_path)
    assert rows[["span_id", "status", "source"]].values.tolist() == [[span_id, "rejected", "human"]]
    assert f'data-span-id="{span_id}"' not in article_html(app)
    # A rejected span can be brought back by the reader, not by the model.
    app.button(key="restore_span").click().run()
    assert saved_rows(tmp_path)["status"].tolist() == ["active"]


def test_add_a_span_the_model_missed(app: AppTest, tmp_path: Path) -> None:
    start = ARTICLE_TEXT.index("Daesh")
    app.session_state[state.TEXT_SELECTION] = (
        start - 1,
        start + len("Daesh") + 1,
    )  # as the text view sends it
    app.run()
    app.selectbox(key=state.NEW_LABEL).set_value("ORG")
    app.button(key="add_span").click().run()
    rows = saved_rows(tmp_path)
    assert rows[["span_id", "text", "label", "start", "end"]].values.tolist() == [
        [f"e-{start}-{start + 5}", "Daesh", "ORG", start, start + 5]
    ]
    assert f'data-span-id="e-{start}-{start + 5}"' in article_html(app)


def test_fix_a_boundary(app: AppTest, tmp_path: Path) -> None:
    span_id = pick(app, "John Kerry’s")
    end = app.number_input(key=state.BOUNDARY_END)
    end.set_value(end.value - 2).run()  # the browser reruns on the change: "Save" then knows it
    app.button(key="save_bounds").click().run()
    rows = saved_rows(tmp_path)
    assert rows[["span_id", "text"]].values.tolist() == [[span_id, "John Kerry"]]


def test_label_every_identical_mention(app: AppTest, tmp_path: Path) -> None:
    pick(app, "Aleppo", "NORP")
    app.selectbox(key=state.LABEL_CHOICE).set_value("GPE")
    app.checkbox(key=state.EVERY_MENTION).check()
    app.button(key="save_label").click().run()
    rows = saved_rows(tmp_path)
    assert len(rows) == ARTICLE_TEXT.count("Aleppo") and set(rows["label"]) == {"GPE"}
    assert set(rows["country"]) == {"SYR"}
    table = current_table(app)
    assert set(table.loc[table["text"] == "Aleppo", "label"]) == {"GPE"}


def test_undo_the_last_correction(app: AppTest, tmp_path: Path) -> None:
    pick(app, "Lavrov", "ORG")
    app.selectbox(key=state.LABEL_CHOICE).set_value("PERSON")
    app.button(key="save_label").click().run()
    pick(app, "Fastaqim", "GPE")
    app.button(key="reject_span").click().run()
    assert len(saved_rows(tmp_path)) == 2
    app.button(key=state.UNDO_BUTTON).click().run()
    assert not app.exception
    assert saved_rows(tmp_path)["label"].tolist() == ["PERSON"]
    app.button(key=state.UNDO_BUTTON).click().run()
    assert saved_rows(tmp_path).empty
    assert app.button(key=state.UNDO_BUTTON).disabled


def test_corrections_survive_a_new_session(app: AppTest, tmp_path: Path) -> None:
    span_id = pick(app, "Malahifji", "ORG")
    app.selectbox(key=state.LABEL_CHOICE).set_value("PERSON")
    app.button(key="save_label").click().run()
    reopened = AppTest.from_file(APP, default_timeout=120).run()
    assert f'data-span-id="{span_id}" data-label="PERSON"' in article_html(reopened)


def quote_id(app: AppTest, opening: str) -> str:
    table = current_table(app)
    quotes = table[(table["kind"] == "quote") & table["text"].str.startswith(opening)]
    return str(quotes.iloc[0]["span_id"])


def test_change_a_quotes_speaker(app: AppTest, tmp_path: Path) -> None:
    span_id = quote_id(app, "“Almost a year")
    app.selectbox(key=state.SELECTED_SPAN).set_value(span_id).run()
    assert app.selectbox(key=state.SPEAKER_CHOICE).value == "Sergei Lavrov"
    assert "John Kerry · person · 1 quote" in app.selectbox(key=state.SPEAKER_CHOICE).options
    app.selectbox(key=state.SPEAKER_CHOICE).set_value("John Kerry")
    app.button(key="save_speaker").click().run()
    assert not app.exception
    rows = saved_rows(tmp_path)
    assert rows[["span_id", "kind", "label", "speaker", "source"]].values.tolist() == [
        [span_id, "quote", "QUOTE", "John Kerry", "human"]
    ]
    assert f'data-span-id="{span_id}" data-label="QUOTE" title="Quote by John Kerry"' in article_html(app)


def test_type_a_new_speaker_and_reject_a_quote(app: AppTest, tmp_path: Path) -> None:
    constructive = quote_id(app, "“constructive”")
    app.selectbox(key=state.SELECTED_SPAN).set_value(constructive).run()
    type_new_option(app.selectbox(key=state.SPEAKER_CHOICE), "Turkish armed forces")
    app.button(key="save_speaker").click().run()
    assert saved_rows(tmp_path)["speaker"].tolist() == ["Turkish armed forces"]
    app.button(key="reject_span").click().run()
    rows = saved_rows(tmp_path)
    assert rows[["speaker", "status"]].values.tolist() == [["Turkish armed forces", "rejected"]]


def test_add_a_missed_quote_with_its_speaker(app: AppTest, tmp_path: Path) -> None:
    phrase = "war-ravaged city"
    start = ARTICLE_TEXT.index(phrase)
    app.session_state[state.TEXT_SELECTION] = (start, start + len(phrase))
    app.run()
    app.session_state[state.NEW_KIND] = "quote"
    app.run()
    app.selectbox(key=state.NEW_SPEAKER).set_value("Sergei Lavrov")
    app.button(key="add_span").click().run()
    rows = saved_rows(tmp_path)
    assert rows[["kind", "text", "speaker", "label"]].values.tolist() == [
        ["quote", phrase, "Sergei Lavrov", "QUOTE"]
    ]


def test_merge_two_speakers(app: AppTest, tmp_path: Path) -> None:
    app.multiselect(key=state.MERGE_FROM).set_value(["John Kerry", "Sergei Lavrov"])
    app.selectbox(key=state.MERGE_INTO).set_value("Sergei Lavrov")
    app.button(key="merge_speakers").click().run()
    rows = saved_rows(tmp_path)
    assert set(rows["speaker"]) == {"Sergei Lavrov"} and rows["text"].str.startswith("‘Whoever").tolist() == [
        True
    ]


def test_correct_a_spans_country(app: AppTest, tmp_path: Path) -> None:
    pick(app, "Greece", "GPE")
    assert app.selectbox(key=state.COUNTRY_CHOICE).value == "GRC"
    app.selectbox(key=state.COUNTRY_CHOICE).set_value("CYP")
    app.button(key="save_country").click().run()
    assert saved_rows(tmp_path)[["text", "country"]].values.tolist() == [["Greece", "CYP"]]
