"""Articles' titles, rename, delete and restore in the real app (``AppTest``), on real files."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from components.annotations.store import AnnotationStore
from components.corpus.articles import ArticleLibrary
from components.ui import state
from tests.conftest import open_dialog
from tests.signin import ANA, EDITH
from tests.test_app import APP, shown
from tests.test_app_access import open_as, signed_in_folders
from tests.test_store import row, rows

PASTED = "Geneva talks to resume\n\nOfficials in Geneva said on Monday that the talks would resume."


def sidebar_messages(app: AppTest) -> str:
    return " ".join(
        shown(element) for element in [*app.sidebar.success, *app.sidebar.error, *app.sidebar.warning]
    )


def article_id(app: AppTest) -> str:
    """Return the id of the article the page shows, from its address."""
    value = app.query_params[state.ARTICLE_PARAM]
    return value[0] if isinstance(value, list) else value


def test_titles_rename_delete_with_confirmation_and_restore(app_folders) -> None:
    folders = app_folders()
    app = AppTest.from_file(APP, default_timeout=120)
    app.run()
    assert app.title[0].value == "Aleppo rebels reject Russian demands"  # the file name, cased as the article
    assert state.RENAME_BUTTON not in {button.key for button in app.button}  # a folder article stays as it is
    open_dialog(app, state.OPEN_ARTICLE).text_area(key=state.PASTE_TEXT).input(PASTED)
    app.button(key=state.PASTE_BUTTON).click().run()
    assert shown(app.title[0]) == "Geneva talks to resume"  # the pasted article's own headline
    pasted_id = article_id(app)
    store = AnnotationStore(folders["annotations"])
    start = PASTED.index("Monday")
    correction = row(PASTED, f"e-{start}-{start + 6}", start, start + 6, "DATE", article_id=pasted_id)
    store.save(pasted_id, PASTED, rows(correction), None)

    app.text_input(key=state.RENAME_TITLE).input("Talks in Geneva")
    app.button(key=state.RENAME_BUTTON).click().run()
    assert "Renamed: “Talks in Geneva”" in sidebar_messages(app)
    assert shown(app.title[0]) == "Talks in Geneva"
    assert open_dialog(app, state.OPEN_ARTICLE).selectbox(key=state.ARTICLE_PICKER).format_func(
        pasted_id
    ) == ("Talks in Geneva")

    app.button(key=state.DELETE_BUTTON).click().run()  # asks first, and says what happens
    warning = " ".join(shown(element) for element in app.sidebar.warning)
    assert "Delete “Talks in Geneva”?" in warning and "corrections and edit log are not lost" in warning
    assert (folders["annotations"] / f"{pasted_id}.csv").exists()
    app.button(key=state.DELETE_CONFIRM).click().run()
    assert "Removed “Talks in Geneva”" in sidebar_messages(app)
    assert pasted_id not in open_dialog(app, state.OPEN_ARTICLE).selectbox(key=state.ARTICLE_PICKER).options
    assert (folders["annotations"] / "removed" / pasted_id / f"{pasted_id}.csv").exists()

    app.button(key=f"{state.RESTORE_PREFIX}sidebar_{pasted_id}").click().run()
    assert "Restored “Talks in Geneva”, with its corrections" in sidebar_messages(app)
    assert shown(app.title[0]) == "Talks in Geneva"
    assert store.load(pasted_id, PASTED).rows["label"].tolist() == ["DATE"]


def test_only_an_editor_is_offered_rename_delete_and_restore(app_folders, tmp_path, monkeypatch) -> None:
    signed_in_folders(app_folders, tmp_path, monkeypatch)
    editor = open_dialog(open_as(EDITH), state.OPEN_ARTICLE)
    editor.text_area(key=state.PASTE_TEXT).input(PASTED)
    editor.button(key=state.PASTE_BUTTON).click().run()
    assert editor.button(key=state.RENAME_BUTTON) and editor.button(key=state.DELETE_BUTTON)
    pasted_id = article_id(editor)
    annotator = open_as(ANA)
    annotator.query_params[state.ARTICLE_PARAM] = pasted_id
    annotator.run()
    assert shown(annotator.title[0]) == "Geneva talks to resume"
    keys = {button.key for button in annotator.button}
    assert not keys & {state.RENAME_BUTTON, state.DELETE_BUTTON}
    assert not annotator.expander or all("Removed articles" not in e.label for e in annotator.expander)


def test_a_removed_article_is_restored_from_the_desk(app_folders) -> None:
    folders = app_folders()
    library = ArticleLibrary(folders["articles"], folders["annotations"] / "uploads")
    pasted_id = library.add_paste(PASTED).article_id
    library.delete(pasted_id)
    app = AppTest.from_file(APP, default_timeout=120).run()
    app.switch_page("components/ui/pages/desk.py").run()
    assert not app.exception
    listing = app.dataframe[0].value
    assert pasted_id not in set(listing["article_id"])
    assert "Aleppo rebels reject Russian demands" in set(listing["title"])
    app.button(key=f"{state.RESTORE_PREFIX}desk_{pasted_id}").click().run()
    assert any("Restored “Geneva talks to resume”" in shown(message) for message in app.success)
    listing = app.dataframe[0].value
    assert listing.set_index("article_id").loc[pasted_id, "title"] == "Geneva talks to resume"


def test_a_hostile_title_shows_as_typed_and_runs_nothing(app_folders) -> None:
    folders = app_folders()
    library = ArticleLibrary(folders["articles"], folders["annotations"] / "uploads")
    pasted_id = library.add_paste(PASTED).article_id
    hostile = "**Bold** <img src=x onerror=alert(1)> [link](javascript:alert(1))"
    library.rename(pasted_id, hostile)
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params[state.ARTICLE_PARAM] = pasted_id
    app.run()
    assert not app.exception
    title = app.title[0].value
    assert shown(app.title[0]) == hostile  # every markdown character escaped: shown exactly as typed
    assert "\\*\\*Bold\\*\\*" in title and "\\<img" in title and "\\[link\\]\\(javascript" in title


def test_the_desk_says_what_an_upload_did_in_its_own_kind(app_folders) -> None:
    app_folders()
    app = AppTest.from_file(APP, default_timeout=120).run()
    said = "Opened old.txt as “old”. It is not UTF-8: it was read as cp1252."
    app.session_state[state.INPUT_MESSAGE] = ("warning", said)
    app.switch_page("components/ui/pages/desk.py").run()
    assert not app.exception
    assert [shown(message) for message in app.warning] == [said]  # a warning, not a success
    assert not any(said in shown(message) for message in app.success)
