"""Correcting feels like editing text (``AppTest``): words people use, the present state, speakers,
boundaries by words, unsure speakers, keyboard."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.annotations import corrections
from components.annotations.store import AnnotationStore
from components.ui import state
from tests.test_app import article_html, shown
from tests.test_app_corrections import (
    ARTICLE_ID,
    ARTICLE_TEXT,
    current_table,
    message,
    open_correct_tab,
    pick,
    type_new_option,
)


@pytest.fixture()
def app(app_folders) -> AppTest:
    return open_correct_tab(app_folders)


def label_pills(app: AppTest) -> list[str]:
    """Return the label filter's pills as drawn (markdown: brackets escaped), each with its count."""
    return list(app.button_group(key=state.LABEL_FILTER).options)


def test_labels_read_as_plain_names_with_the_code_beside(app: AppTest) -> None:
    pills = app.button_group(key=state.LABEL_FILTER)
    assert any(option.startswith(r"Place \(GPE\) · ") for option in pills.options), pills.options
    assert any(option.startswith(r"Nationality or group \(NORP\) · ") for option in pills.options)
    assert "GPE" in pills.value  # the data keeps spaCy's code
    picker = app.selectbox(key=state.SELECTED_SPAN)
    assert any(option.startswith("“Lavrov” · Organisation (ORG) · ") for option in picker.options)
    pick(app, "Lavrov", "ORG")
    label = app.selectbox(key=state.LABEL_CHOICE)
    assert label.value == "ORG" and "Person (PERSON)" in label.options and "Date" in label.options


def test_after_a_save_every_tool_shows_the_new_state_in_the_same_rerun(app: AppTest) -> None:
    span_id = pick(app, "Aleppo", "NORP")
    before = label_pills(app)
    app.selectbox(key=state.LABEL_CHOICE).set_value("GPE")
    app.button(key="save_label").click().run()
    assert not app.exception
    picker = app.selectbox(key=state.SELECTED_SPAN)
    caption = "“Aleppo” · Place (GPE) · "
    # The browser is sent the new caption of the picked span, not left with the one it had.
    assert picker.value == span_id and picker.proto.set_value and picker.proto.raw_value.startswith(caption)
    assert app.selectbox(key=state.LABEL_CHOICE).value == "GPE"
    assert f'data-span-id="{span_id}" data-label="GPE"' in article_html(app)
    assert label_pills(app) != before  # the counts moved
    app.session_state[state.SIDE_TABS] = "All spans"  # only the open tab is drawn
    app.run()
    table = app.dataframe[0].value
    assert table.loc[table["text"] == "Aleppo", "label"].tolist()[:1] == ["GPE"]


def test_a_conflict_names_the_span_by_its_text_and_the_colleague_with_a_local_time(app: AppTest) -> None:
    span_id = pick(app, "Lavrov", "ORG")
    table = current_table(app)
    store = AnnotationStore(Path(os.environ["ANNOTATIONS_DIR"]))
    colleague = corrections.relabel(table, ARTICLE_TEXT, span_id, "PERSON")
    store.save(ARTICLE_ID, ARTICLE_TEXT, colleague, base_version=None, annotator="Ana")
    app.selectbox(key=state.LABEL_CHOICE).set_value("NORP")
    app.button(key="save_label").click().run()
    shown = message(app)
    assert "“Lavrov” was changed by Ana now, at " in shown or "“Lavrov” was changed by Ana a second" in shown
    assert span_id not in shown and "UTC" not in shown and "T" not in shown.split("at ")[1][:6]


def saved_count(app: AppTest) -> str:
    return next(
        caption.value for caption in app.caption if " saved · " in caption.value or "nothing" in caption.value
    )


def test_the_saved_count_counts_the_readers_edits_not_spans(app: AppTest) -> None:
    pick(app, "Aleppo", "NORP")
    app.selectbox(key=state.LABEL_CHOICE).set_value("GPE")
    app.checkbox(key=state.EVERY_MENTION).check()
    app.button(key="save_label").click().run()
    assert saved_count(app).startswith("1 correction saved")  # ten spans, one edit
    pick(app, "Lavrov", "ORG")
    app.button(key="reject_span").click().run()
    assert saved_count(app).startswith("2 corrections saved")
    app.button(key=state.UNDO_BUTTON).click().run()
    assert saved_count(app).startswith("1 correction saved")


def quote_id(app: AppTest, opening: str) -> str:
    table = current_table(app)
    quotes = table[(table["kind"] == "quote") & table["text"].str.startswith(opening)]
    return str(quotes.iloc[0]["span_id"])


def test_the_speaker_list_offers_people_then_organisations_and_a_typed_name_is_the_person(
    app: AppTest,
) -> None:
    span_id = quote_id(app, "“Almost a year")
    app.selectbox(key=state.SELECTED_SPAN).set_value(span_id).run()
    options = app.selectbox(key=state.SPEAKER_CHOICE).options
    assert options[0] == "Sergei Lavrov · person · 8 quotes"
    assert not any(option.split(" · ")[0] in ("Aleppo", "Greece", "America", "Lavrov") for option in options)
    assert "“Daesh (Islamic State”" in " ".join(map(shown, app.caption))  # as the text it covers
    type_new_option(app.selectbox(key=state.SPEAKER_CHOICE), "kerry")
    app.button(key="save_speaker").click().run()
    table = current_table(app)
    assert table.loc[table["span_id"] == span_id, "speaker"].tolist() == ["John Kerry"]


def test_a_badly_cut_name_opens_in_the_correction_tools(app: AppTest) -> None:
    app.selectbox(key=state.SELECTED_SPAN).set_value(quote_id(app, "“Almost a year")).run()
    daesh = next(button for button in app.button if button.key and button.key.startswith("fix_cut_"))
    daesh.click().run()
    picked = app.selectbox(key=state.SELECTED_SPAN)
    assert (
        picked.value == daesh.key.removeprefix("fix_cut_")
        and "“Daesh (Islamic State”" in picked.proto.raw_value
    )


def test_selecting_the_right_words_fixes_a_span_snapped_to_whole_words(app: AppTest) -> None:
    span_id = pick(app, "John Kerry’s")
    start = ARTICLE_TEXT.index("John Kerry’s")
    app.session_state[state.TEXT_SELECTION] = (start + 1, start + len("John Ker"))  # "ohn Ker", as dragged
    app.run()
    use = app.button(key="use_selection")
    assert use.label == "Use these words for “John Kerry’s”"
    assert app.button(key="add_span")  # a new span stays possible
    use.click().run()
    assert not app.exception
    table = current_table(app)
    assert table.loc[table["span_id"] == span_id, ["start", "end", "text"]].values.tolist() == [
        [start, start + len("John Kerry"), "John Kerry"]
    ]
    assert "“John Kerry’s” → “John Kerry”" in message(app)


def test_an_edge_moves_a_word_at_a_time_and_offsets_stay_folded_away(app: AppTest) -> None:
    span_id = pick(app, "John Kerry’s")
    start = ARTICLE_TEXT.index("John Kerry’s")
    app.button(key="nudge_end_left").click().run()  # drops "’s", a token of its own
    assert "John Kerry”" in " ".join(map(shown, app.caption))
    app.button(key="nudge_start_left").click().run()
    app.button(key="nudge_start_right").click().run()
    app.button(key="save_bounds").click().run()
    table = current_table(app)
    assert table.loc[table["span_id"] == span_id, "text"].tolist() == ["John Kerry"]
    assert any(expander.label == "Character offsets" for expander in app.expander)
    assert int(app.number_input(key=state.BOUNDARY_START).value) == start


def test_unsure_speakers_are_marked_and_walked_through_in_the_correction_tools(app: AppTest) -> None:
    table = current_table(app)
    unsure = table[(table["kind"] == "quote") & table["confidence"].isin(["medium", "low"])].sort_values(
        "start"
    )
    assert len(unsure) >= 3
    markup = article_html(app)
    assert markup.count('class="quote-speaker unsure unsure-') == len(unsure)
    assert 'class="quote-speaker unsure unsure-low" title="Unsure (low): ' in markup
    app.button(key=state.UNSURE_WALK_BUTTON).click().run()
    assert app.selectbox(key=state.SELECTED_SPAN).value == unsure.iloc[0]["span_id"]
    assert f"Unsure speaker 1 of {len(unsure)}" in shown(app.info[0])
    assert app.session_state[state.SIDE_TABS] == state.CORRECT_TAB
    app.button(key="unsure_walk_next").click().run()
    second = unsure.iloc[1]["span_id"]
    assert app.selectbox(key=state.SELECTED_SPAN).value == second
    # Fixing the speaker makes it sure: the walk goes on with the next unsure quote.
    app.selectbox(key=state.SPEAKER_CHOICE).set_value("Sergei Lavrov")
    app.button(key="save_speaker").click().run()
    assert not app.exception
    third = unsure.iloc[2]["span_id"]
    assert app.selectbox(key=state.SELECTED_SPAN).value == third
    assert re.search(
        rf'class="quote[^"]* marked" data-span-id="{third}"', article_html(app)
    )  # in the same run
    assert f"of {len(unsure) - 1}" in " ".join(map(shown, app.info))
    assert f'data-span-id="{second}"' in article_html(app)


def press(app: AppTest, key: str) -> None:
    """Press a key as the article component hands it over (its trigger keeps the key for the next run)."""
    app.session_state[state.PENDING_KEY] = key
    app.run()
    assert not app.exception


def test_keyboard_shortcuts_on_a_picked_span(app: AppTest) -> None:
    span_id = pick(app, "Lavrov", "ORG")
    press(app, "1")  # Person
    table = current_table(app)
    assert table.loc[table["span_id"] == span_id, "label"].tolist() == ["PERSON"]
    assert app.selectbox(key=state.LABEL_CHOICE).value == "PERSON"  # the tools show it in the same run
    press(app, "r")
    table = current_table(app)
    assert table.loc[table["span_id"] == span_id, "status"].tolist() == ["rejected"]
    press(app, "u")
    table = current_table(app)
    assert table.loc[table["span_id"] == span_id, "status"].tolist() == ["active"]
    press(app, "n")  # the next span of the text, in reading order
    in_text = table[table["status"] == "active"].sort_values(["start", "end"], ascending=[True, False])
    after = in_text[in_text["start"] > in_text.loc[in_text["span_id"] == span_id, "start"].iloc[0]].iloc[0]
    assert app.selectbox(key=state.SELECTED_SPAN).value == after["span_id"]
    press(app, "Escape")
    assert app.selectbox(key=state.SELECTED_SPAN).value is None
    assert any(expander.label == "Keyboard shortcuts" for expander in app.expander)
    shortcuts = " ".join(map(shown, app.markdown))
    assert (
        "| **r** | reject it |" in shortcuts
        and "| **1** | give the entity the label Person (PERSON) |" in shortcuts
    )


def test_a_quotes_boundaries_by_words_too(app: AppTest) -> None:
    span_id = quote_id(app, "“constructive”")
    app.selectbox(key=state.SELECTED_SPAN).set_value(span_id).run()
    start = ARTICLE_TEXT.index("“constructive” talks")
    app.session_state[state.TEXT_SELECTION] = (start, start + len("“constructive” tal"))
    app.run()
    app.button(key="use_selection").click().run()
    assert not app.exception
    table = current_table(app)
    assert table.loc[table["span_id"] == span_id, ["kind", "text"]].values.tolist() == [
        ["quote", "“constructive” talks"]
    ]
    app.button(key="nudge_end_left").click().run()
    app.button(key="save_bounds").click().run()
    table = current_table(app)
    assert table.loc[table["span_id"] == span_id, "text"].tolist() == ["“constructive”"]
