"""The real Streamlit app, driven by ``AppTest``: the real model, real files on disk."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from components.config import PROJECT_ROOT
from components.ui import state
from components.ui.reading_view import MAX_SPEAKER_PILLS
from tests.conftest import BUNDLED_ARTICLE, open_dialog

APP = str(PROJECT_ROOT / "app.py")
BUNDLED_ID = BUNDLED_ARTICLE.stem
HOSTILE_TEXT = 'Mayor <script>window.__pwned=1</script> said <img src=x onerror="alert(1)"> in Paris.'


@pytest.fixture()
def folders(app_folders) -> dict[str, Path]:
    return app_folders(
        {
            "hostile.txt": HOSTILE_TEXT,
            "empty.txt": "  \n",
            "latin1.txt": "Café in Zürich".encode("latin-1"),
        }
    )


def run_app(article: str | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=120)
    if article is not None:
        app.query_params[state.ARTICLE_PARAM] = article
    return app.run()


def shown(element) -> str:
    """Return a message as the reader sees it: markdown escapes (article text is escaped) removed."""
    return re.sub(r"\\(.)", r"\1", element.value)


def article_html(app: AppTest) -> str:
    """Return the article's HTML as the page draws it (the reading view), checking it has its listener."""
    articles = [html.value for html in app.get("html") if html.value.startswith('<div class="article">')]
    assert len(articles) == 1, "the page should show exactly one article"
    assert len(app.get("bidi_component")) == 1, "the article should have its click and key listener"
    return articles[0]


def test_opens_on_the_bundled_article_with_entities(folders) -> None:
    app = run_app()
    assert not app.exception
    assert app.title[0].value == "Aleppo rebels reject Russian demands"
    assert app.query_params[state.ARTICLE_PARAM] == BUNDLED_ID
    assert open_dialog(app, state.OPEN_ARTICLE).selectbox(key=state.ARTICLE_PICKER).value == BUNDLED_ID
    markup = article_html(app)
    assert 'data-label="PERSON"' in markup and ">Zakaria Malahifji<" in markup
    assert markup.count('class="ent"') > 50


def test_address_opens_its_article_and_the_picker_follows(folders) -> None:
    app = run_app("hostile")
    assert not app.exception
    assert open_dialog(app, state.OPEN_ARTICLE).selectbox(key=state.ARTICLE_PICKER).value == "hostile"
    markup = article_html(app)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in markup
    assert "<script" not in markup and "<img" not in markup


def test_picking_an_article_changes_the_address(folders) -> None:
    app = run_app()
    open_dialog(app, state.OPEN_ARTICLE).selectbox(key=state.ARTICLE_PICKER).set_value("hostile").run()
    assert app.query_params[state.ARTICLE_PARAM] == "hostile"
    assert not app.selectbox  # the dialog closed
    assert "Mayor" in article_html(app)


def test_unknown_article_in_the_address_is_explained(folders) -> None:
    app = run_app("no-such-article")
    assert not app.exception
    assert any("no article called “no-such-article”" in shown(warning) for warning in app.warning)
    assert open_dialog(app, state.OPEN_ARTICLE).selectbox(key=state.ARTICLE_PICKER).value == BUNDLED_ID


@pytest.mark.parametrize(("article", "message"), [("empty", "empty"), ("latin1", "not UTF-8")])
def test_bad_article_files_get_a_message_not_a_traceback(folders, article: str, message: str) -> None:
    app = run_app(article)
    assert not app.exception
    assert any(message in shown(error) for error in app.error)


def test_pasted_text_opens_as_its_own_article(folders) -> None:
    app = open_dialog(run_app(), state.OPEN_ARTICLE)
    app.text_area(key=state.PASTE_TEXT).input("Angela Merkel visited Warsaw on Monday.")
    app.button(key=state.PASTE_BUTTON).click().run()
    assert not app.exception
    article_id = app.query_params[state.ARTICLE_PARAM]
    assert article_id.startswith("pasted-")
    assert (folders["annotations"] / "uploads" / f"{article_id}.txt").exists()
    assert ">Angela Merkel<" in article_html(app)


def test_empty_paste_is_refused_with_a_message(folders) -> None:
    app = open_dialog(run_app(), state.OPEN_ARTICLE)
    app.text_area(key=state.PASTE_TEXT).input("   ")
    app.button(key=state.PASTE_BUTTON).click().run()
    assert not app.exception
    assert any("empty" in shown(error) for error in app.error)
    assert app.query_params[state.ARTICLE_PARAM] == BUNDLED_ID


def test_label_filter_hides_and_shows_labels(folders) -> None:
    app = run_app()
    labels = app.button_group(key=state.LABEL_FILTER)
    assert "DATE" in labels.value
    labels.set_value([label for label in labels.value if label != "DATE"]).run()
    markup = article_html(app)
    assert 'data-label="DATE"' not in markup and 'data-label="PERSON"' in markup


def quoted_speakers(markup: str) -> set[str]:
    return set(re.findall(r'class="quote[^"]*"[^>]*data-speaker="([^"]*)"', markup))


def test_a_few_speakers_are_pills_that_narrow_the_quotes(folders) -> None:
    app = run_app()
    speakers = app.button_group(key=state.SPEAKER_FILTER)
    assert "Sergei Lavrov · 8" in speakers.options and speakers.value is None
    assert {"Sergei Lavrov", "John Kerry"} <= quoted_speakers(article_html(app))
    speakers.set_value("Sergei Lavrov").run()
    assert quoted_speakers(article_html(app)) == {"Sergei Lavrov"}


# Fourteen people quoted, one paragraph each: more than fit above the text as pills.
MANY_NAMES = (
    "Maria Lopez",
    "John Carter",
    "Aisha Bello",
    "Peter Novak",
    "Laura Chen",
    "David Okafor",
    "Sofia Rossi",
    "James Walker",
    "Elena Petrova",
    "Omar Haddad",
    "Hannah Schmidt",
    "Lucas Martin",
    "Grace Kim",
    "Ahmed Karim",
)
MANY_SPEAKERS = "\n\n".join(
    f"“The new bridge will open in {2030 + year},” {name} said on Monday."
    for year, name in enumerate(MANY_NAMES)
)


def popover_labels(node: Any) -> list[str]:
    """Return the label of every popover button in the app's tree (AppTest has no popover type)."""
    is_popover = type(node) is Block and node.proto is not None and node.proto.WhichOneof("type") == "popover"
    own = [node.proto.popover.label] if is_popover else []
    return own + [
        label for child in getattr(node, "children", {}).values() for label in popover_labels(child)
    ]


def test_many_speakers_are_a_list_to_search_behind_a_button_that_names_the_choice(app_folders) -> None:
    app_folders({"many-speakers.txt": MANY_SPEAKERS + "\n"})
    app = run_app("many-speakers")
    assert not app.exception
    assert not [pills for pills in app.get("button_group") if pills.key == state.SPEAKER_FILTER]
    assert f"Quotes by: everyone ({len(MANY_NAMES)} speakers)" in popover_labels(app._tree)
    speakers = app.selectbox(key=state.SPEAKER_FILTER)
    assert len(speakers.options) == len(MANY_NAMES) > MAX_SPEAKER_PILLS and speakers.value is None
    assert "Grace Kim · 1" in speakers.options
    assert quoted_speakers(article_html(app)) == set(MANY_NAMES)
    speakers.set_value("Grace Kim").run()
    assert quoted_speakers(article_html(app)) == {"Grace Kim"}
    assert "Quotes by: Grace Kim · 1" in popover_labels(app._tree)
    app.selectbox(key=state.SPEAKER_FILTER).set_value(None).run()  # the choice cleared: everyone's again
    assert quoted_speakers(article_html(app)) == set(MANY_NAMES)


def test_missing_model_is_a_clear_message(folders, monkeypatch) -> None:
    monkeypatch.setenv("SPACY_MODEL", "no_such_model_installed")
    app = run_app()
    assert not app.exception
    assert any(
        "no_such_model_installed" in error.value and "pip install" in shown(error) for error in app.error
    )
