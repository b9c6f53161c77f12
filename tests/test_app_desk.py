"""The desk and the scorecard in the real app (``AppTest``): states, the next article, scores."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.corpus.listing import mark_reviewed, reviewed_ids
from components.ui import state
from components.views.labels import label_name
from tests.conftest import BUNDLED_ARTICLE, open_dialog
from tests.test_app import APP, article_html, shown

DESK = "components/ui/pages/desk.py"
SCORECARD = "components/ui/pages/scorecard.py"
SECOND = "Angela Merkel met Emmanuel Macron in Paris on Monday.\n“We agree,” Merkel said."
THIRD = "Officials in Nairobi said the talks with Ethiopia would resume."


@pytest.fixture()
def folders(app_folders) -> dict[str, Path]:
    return app_folders({"b-merkel.txt": SECOND, "c-nairobi.txt": THIRD})


def open_read_page(article: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params[state.ARTICLE_PARAM] = article
    return app.run()


def test_mark_reviewed_and_walk_to_the_next_unreviewed_article(folders) -> None:
    app = open_read_page("b-merkel")
    assert not app.exception
    app.toggle(key=state.REVIEWED_TOGGLE).set_value(True).run()
    assert reviewed_ids(folders["annotations"]) == {"b-merkel"}
    app.button(key=state.NEXT_UNREVIEWED).click().run()
    assert app.query_params[state.ARTICLE_PARAM] == "c-nairobi"
    assert open_dialog(app, state.OPEN_ARTICLE).selectbox(key=state.ARTICLE_PICKER).value == "c-nairobi"
    assert app.toggle(key=state.REVIEWED_TOGGLE).value is False
    app.button(key=state.NEXT_UNREVIEWED).click().run()
    assert app.query_params[state.ARTICLE_PARAM] == BUNDLED_ARTICLE.stem  # wraps round, skipping b-merkel


def test_desk_lists_every_article_with_its_state(folders) -> None:
    app = open_read_page("b-merkel")
    app.toggle(key=state.REVIEWED_TOGGLE).set_value(True).run()
    app.switch_page(DESK).run()
    assert not app.exception
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics == {"Articles": "3", "Not started": "2", "In progress": "0", "Reviewed": "1"}
    listing = app.dataframe[0].value
    assert list(listing["article_id"]) == [BUNDLED_ARTICLE.stem, "b-merkel", "c-nairobi"]
    assert list(listing["state"]) == ["not started", "reviewed", "not started"]
    assert len(app.get("vega_lite_chart")) >= 3  # who is quoted, kinds, countries (and shares)


def test_scorecard_scores_the_model_against_corrections(folders) -> None:
    app = open_read_page(BUNDLED_ARTICLE.stem)
    app.session_state[state.SIDE_TABS] = state.CORRECT_TAB
    app.run()
    table = app.selectbox(key=state.SELECTED_SPAN)
    lavrov = next(option for option in table.options if option.startswith("“Lavrov” · Organisation (ORG)"))
    app.selectbox(key=state.SELECTED_SPAN).select_index(table.options.index(lavrov)).run()
    app.selectbox(key=state.LABEL_CHOICE).set_value("PERSON")
    app.button(key="save_label").click().run()
    app.switch_page(SCORECARD).run()
    assert not app.exception
    # In progress: only the one span the reader corrected counts, not the seven ORG spans left unchecked.
    scores = app.dataframe[0].value.set_index("label")
    org, person = label_name("ORG"), label_name("PERSON")
    assert list(scores.columns[:3]) == ["found", "missed", "wrongly labelled"]  # words, not tp/fn/fp
    assert (scores.loc[org, "found"], scores.loc[org, "wrongly labelled"], scores.loc[person, "missed"]) == (
        0,
        1,
        1,
    )
    assert {"All entities", "Quote speakers"} <= set(scores.index)
    # The download keeps the measure's own names (tp, fp, fn): scorecard_frame, tested in test_scorecard.
    assert "Download scorecard (CSV)" in [button.proto.label for button in app.get("download_button")]
    assert any("counted only on the 1 span a reader corrected" in shown(caption) for caption in app.caption)
    confusions = app.dataframe[1].value
    assert confusions[["the model said", "the reader said", "spans"]].values.tolist() == [
        ["Organisation (ORG)", "Person (PERSON)", 1]
    ]

    # Marked reviewed, the article counts in full: the ORG spans the reader left alone are agreed with.
    mark_reviewed(folders["annotations"], BUNDLED_ARTICLE.stem, True)
    app.run()
    scores = app.dataframe[0].value.set_index("label")
    assert (scores.loc[org, "found"], scores.loc[org, "wrongly labelled"], scores.loc[person, "missed"]) == (
        7,
        1,
        1,
    )
    assert any("1 article marked reviewed, counted in full" in shown(caption) for caption in app.caption)


def test_scorecard_without_corrections_says_so(folders) -> None:
    app = AppTest.from_file(APP, default_timeout=120).run()
    app.switch_page(SCORECARD).run()
    assert not app.exception
    assert any("No article has corrections yet" in shown(info) for info in app.info)


def test_learning_from_corrections_is_opt_in_and_marked_as_pattern(folders) -> None:
    (folders["articles"] / "d-aleppo.txt").write_text(
        "Rebels in Aleppo held their ground.\nThe siege of Aleppo went on for weeks.", encoding="utf-8"
    )
    app = open_read_page(BUNDLED_ARTICLE.stem)
    app.session_state[state.SIDE_TABS] = state.CORRECT_TAB
    app.run()
    picker = app.selectbox(key=state.SELECTED_SPAN)
    aleppo = next(
        i
        for i, option in enumerate(picker.options)
        if option.startswith("“Aleppo” · Nationality or group (NORP)")
    )
    picker.select_index(aleppo).run()
    app.selectbox(key=state.LABEL_CHOICE).set_value("GPE")
    app.checkbox(key=state.EVERY_MENTION).check()
    app.button(key="save_label").click().run()

    other = open_read_page("d-aleppo")
    before = article_html(other)
    assert "src-pattern" not in before  # off by default
    other.toggle(key=state.LEARN_PATTERNS).set_value(True).run()
    after = article_html(other)
    aleppo_marks = re.findall(r'<mark class="([^"]*)"[^>]*data-label="([^"]*)"[^>]*>Aleppo<', after)
    assert [label for _, label in aleppo_marks] == ["GPE", "GPE"]
    assert any("src-pattern" in classes for classes, _ in aleppo_marks)
    assert "src-pattern" in after and "src-pattern" not in before
