"""Sign-in and roles in the real app (``AppTest``, with the identity ``st.user`` would carry).

The browser tests (``test_browser_access.py``) sign in through a real OpenID Connect provider; these
check each role's page and its refusals quickly, on real files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.access.roles import Role, User
from components.annotations.store import AnnotationStore
from components.corpus.listing import reviewed_ids
from components.ui import state
from tests.conftest import open_dialog
from tests.signin import ANA, EDITH, OMAR, RITA, ROLES_TOML, Account
from tests.test_app import APP, article_html, shown
from tests.test_app_corrections import type_new_option
from tests.test_store import row, rows

ARTICLE = "summit"
TEXT = "Angela Merkel met Emmanuel Macron in Paris on Monday.\n“We agree,” Merkel said."
AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "a-cookie-secret-long-enough-for-the-test",
    "client_id": "article-annotations",
    "client_secret": "not-used-here",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


@pytest.fixture()
def folders(app_folders, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    return signed_in_folders(app_folders, tmp_path, monkeypatch)


def signed_in_folders(app_folders, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Return the app's folders holding the test article, with the test accounts' roles file in force."""
    roles = tmp_path / "roles.toml"
    roles.write_text(ROLES_TOML, encoding="utf-8")
    monkeypatch.setenv("ROLES_FILE", str(roles))
    return app_folders({f"{ARTICLE}.txt": TEXT}) | {"roles": roles}


def open_as(account: Account | None, *, tab: str | None = None) -> AppTest:
    """Return the reading page of the test article with sign-in on, as ``account`` (None: signed out)."""
    app = AppTest.from_file(APP, default_timeout=120)
    app.secrets["auth"] = AUTH
    app.user = (
        {"is_logged_in": True, "name": account.name, "email": account.email, "email_verified": True}
        if account
        else {"is_logged_in": False}
    )
    app.query_params[state.ARTICLE_PARAM] = ARTICLE
    if tab:
        app.session_state[state.SIDE_TABS] = tab
    app.run()
    assert not app.exception, app.exception
    return app


def keys(app: AppTest, kind: str) -> set[str]:
    return {element.key for element in app.get(kind) if getattr(element, "key", None)}


def crafted(widget):
    """Return the widget as a hand-made client sees it: ``disabled`` is only the browser's courtesy.

    AppTest, like the browser, will not touch a disabled widget; a client that sends the value by
    hand does, and the server must refuse it by itself.
    """
    widget.proto.disabled = False
    return widget


def messages(app: AppTest) -> str:
    return " ".join(shown(element) for element in [*app.success, *app.error, *app.info, *app.warning])


def test_a_stranger_sees_nothing_but_the_sign_in_button(folders) -> None:
    app = open_as(None)
    assert [button.label for button in app.button] == ["Sign in"]
    assert not app.get("bidi_component") and not app.selectbox and not app.sidebar.button
    assert "sign in" in " ".join(element.value for element in app.markdown).lower()


def test_a_sign_in_set_up_wrong_says_so_instead_of_failing(folders) -> None:
    app = AppTest.from_file(APP, default_timeout=120)
    app.secrets["auth"] = {key: value for key, value in AUTH.items() if key != "client_id"}
    app.user = {"is_logged_in": False}
    app.run()
    app.button(key=state.SIGN_IN).click().run()
    assert not app.exception
    assert "Sign-in is not set up correctly on this server" in messages(app)
    assert "secrets.toml" in messages(app)  # Streamlit's own words say what is missing


def test_a_reader_reads_filters_and_downloads_with_no_correction_tools(folders) -> None:
    app = open_as(RITA)
    assert "Merkel" in article_html(app)
    assert [tab.label for tab in app.tabs] == ["Overview", "All spans", "History"]
    assert state.UNDO_BUTTON not in keys(app, "button")
    assert state.ANNOTATOR_BUTTON not in keys(app, "button")  # no "Your name": the identity is known
    open_dialog(app, state.OPEN_ARTICLE)
    assert not app.get("file_uploader") and not app.text_area  # no upload, no paste
    assert "Editors add articles." in " ".join(caption.value for caption in app.caption)
    assert app.toggle(key=state.REVIEWED_TOGGLE).disabled
    open_dialog(app, state.DOWNLOADS_BUTTON)
    assert {"download_csv", "download_jsonl", "download_spacy", "download_xlsx"} <= keys(
        app, "download_button"
    )
    assert app.button_group(key=state.LABEL_FILTER).value  # the label filter is there
    sidebar = " ".join(shown(element) for element in app.sidebar.markdown)
    assert "Rita Reyes" in sidebar and "reader" in sidebar
    assert "Sign out" in [button.label for button in app.sidebar.button]


def test_a_readers_hand_made_review_mark_writes_nothing(folders) -> None:
    app = open_as(RITA)
    assert app.toggle(key=state.REVIEWED_TOGGLE).disabled
    crafted(app.toggle(key=state.REVIEWED_TOGGLE)).set_value(True).run()
    assert not app.exception
    assert reviewed_ids(folders["annotations"]) == set()
    assert not (folders["annotations"] / f"{ARTICLE}.csv").exists()


def pick_paris(app: AppTest, label: str = "CITY") -> None:
    start = TEXT.index("Paris")
    app.selectbox(key=state.SELECTED_SPAN).set_value(f"e-{start}-{start + len('Paris')}").run()
    type_new_option(app.selectbox(key=state.LABEL_CHOICE), label)


def test_a_role_taken_away_applies_to_the_page_already_drawn(folders) -> None:
    app = open_as(ANA, tab=state.CORRECT_TAB)
    pick_paris(app)
    folders["roles"].write_text(ROLES_TOML + '"ana@newsroom.test" = "reader"\n', encoding="utf-8")
    app.button(key="save_label").click().run()  # drawn for an annotator, pressed by a reader
    assert (
        "Only an annotator or an editor may correct spans; Ana Duarte <ana@newsroom.test> is a reader"
        in messages(app)
    )
    assert not (folders["annotations"] / f"{ARTICLE}.csv").exists()
    assert [tab.label for tab in app.tabs] == ["Overview", "All spans", "History"]  # redrawn for a reader


def test_a_review_mark_is_refused_once_the_role_is_gone(folders) -> None:
    app = open_as(ANA)
    assert not app.toggle(key=state.REVIEWED_TOGGLE).disabled
    folders["roles"].write_text('default = "reader"\n', encoding="utf-8")
    app.toggle(key=state.REVIEWED_TOGGLE).set_value(True).run()
    assert "Only an annotator or an editor may mark articles reviewed" in messages(app)
    assert reviewed_ids(folders["annotations"]) == set()


def test_an_annotator_corrects_and_the_log_names_them(folders) -> None:
    app = open_as(ANA, tab=state.CORRECT_TAB)
    assert [tab.label for tab in app.tabs] == ["Overview", "Correct", "All spans", "History"]
    assert state.ANNOTATOR_BUTTON not in keys(app, "button")
    pick_paris(app)
    app.button(key="save_label").click().run()
    assert "Saved" in messages(app)
    history = AnnotationStore(folders["annotations"]).history(ARTICLE)
    assert history["annotator"].unique().tolist() == ["Ana Duarte <ana@newsroom.test>"]
    assert not app.button(key=state.UNDO_BUTTON).disabled  # her own change: she may undo it


def test_an_annotator_may_not_undo_a_colleagues_change(folders) -> None:
    open_as(ANA, tab=state.CORRECT_TAB)
    colleague = AnnotationStore(
        folders["annotations"], user=User(Role.ANNOTATOR, OMAR.name, OMAR.email, signed_in=True)
    )
    start = TEXT.index("Monday")
    colleague.save(
        ARTICLE,
        TEXT,
        rows(row(TEXT, f"e-{start}-{start + 6}", start, start + 6, "DATE", article_id=ARTICLE)),
        None,
    )
    app = open_as(ANA)
    assert app.button(key=state.UNDO_BUTTON).disabled  # the store refuses it too: test_access_writes
    editor = open_as(EDITH)
    assert not editor.button(key=state.UNDO_BUTTON).disabled
    editor.button(key=state.UNDO_BUTTON).click().run()
    assert "Undone" in messages(editor)


def test_only_an_editor_may_add_articles(folders) -> None:
    app = open_dialog(open_as(EDITH), state.OPEN_ARTICLE)
    assert app.get("file_uploader") and app.text_area(key=state.PASTE_TEXT)
    app.text_area(key=state.PASTE_TEXT).input("Officials in Nairobi said the talks would resume.")
    app.button(key=state.PASTE_BUTTON).click().run()
    assert "Opened the pasted text" in messages(app)
    assert len(list((folders["annotations"] / "uploads").glob("pasted-*.txt"))) == 1


def test_a_broken_roles_file_makes_everyone_a_reader_and_says_why(folders) -> None:
    folders["roles"].write_text('[roles]\n"edith@newsroom.test" = "editer"\n', encoding="utf-8")
    app = open_as(EDITH)
    assert "'editer' is not a role" in messages(app) and "everyone is a reader" in messages(app)
    assert [tab.label for tab in app.tabs] == ["Overview", "All spans", "History"]
    assert not open_dialog(app, state.OPEN_ARTICLE).get("file_uploader")


def test_without_sign_in_the_single_user_has_every_tool_as_before(folders) -> None:
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params[state.ARTICLE_PARAM] = ARTICLE
    app.run()
    assert not app.exception
    open_dialog(app, state.ANNOTATOR_BUTTON).text_input(key=state.ANNOTATOR_FIELD).input("Sam Reed")
    app.button(key=state.ANNOTATOR_KEEP).click().run()
    assert app.session_state[state.ANNOTATOR] == "Sam Reed"
    assert "Edit log name: Sam Reed" in " ".join(shown(caption) for caption in app.sidebar.caption)
    assert not app.toggle(key=state.REVIEWED_TOGGLE).disabled
    assert [tab.label for tab in app.tabs] == ["Overview", "Correct", "All spans", "History"]
    assert "Sign out" not in [button.label for button in app.button]
    assert open_dialog(app, state.OPEN_ARTICLE).get("file_uploader")


def test_with_sign_in_on_nobody_signed_in_may_write_anything(folders) -> None:
    """The writers ask who is writing at each write: with sign-in on and no one signed in, a reader."""
    store_user = AppTest.from_function(_who_writes, default_timeout=60)
    store_user.secrets["auth"] = AUTH
    store_user.user = {"is_logged_in": False}
    store_user.run()
    assert not store_user.exception, store_user.exception
    assert [element.value for element in store_user.markdown] == ["reader False"]


def _who_writes() -> None:
    import streamlit as st

    from components.ui.signin import current_user

    user = current_user()
    st.markdown(f"{user.role} {user.signed_in}")
