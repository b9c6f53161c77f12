"""The History tab in the real app (``AppTest``): a change list, newest first, with an Undo per change."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from components.access.roles import Role, User
from components.annotations.store import AnnotationStore
from components.ui import state
from tests.signin import ANA, EDITH, OMAR, Account
from tests.test_app_access import ARTICLE, TEXT, crafted, messages, open_as, signed_in_folders
from tests.test_store import row, rows

HISTORY_TAB = state.SIDE_TAB_NAMES[-1]


@pytest.fixture()
def folders(app_folders, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    return signed_in_folders(app_folders, tmp_path, monkeypatch)


def span(needle: str, label: str, **extra: str) -> dict:
    start = TEXT.index(needle)
    return row(
        TEXT,
        f"e-{start}-{start + len(needle)}",
        start,
        start + len(needle),
        label,
        article_id=ARTICLE,
        **extra,
    )


def save_as(directory: Path, account: Account, needle: str, label: str, model_label: str) -> str:
    store = AnnotationStore(directory, user=User(Role.ANNOTATOR, account.name, account.email, signed_in=True))
    version = store.load(ARTICLE, TEXT).version
    model = rows(span(needle, model_label, source="model"))
    return store.save(ARTICLE, TEXT, rows(span(needle, label)), version, model_rows=model).change_id or ""


def history_lines(app) -> list[str]:
    lines = [element.value for element in app.text]  # drawn as text: no markdown, no escapes
    return [line for line in lines if " · " in line and re.search(r"\d\d:\d\d$", line)]


def undo_buttons(app) -> dict[str, object]:
    return {
        b.key.removeprefix(state.UNDO_CHANGE_PREFIX): b
        for b in app.button
        if (b.key or "").startswith(state.UNDO_CHANGE_PREFIX)
    }


def test_history_reads_as_a_change_list_newest_first(folders) -> None:
    save_as(folders["annotations"], OMAR, "Monday", "TIME", "DATE")
    save_as(folders["annotations"], ANA, "Paris", "LOC", "GPE")
    app = open_as(ANA, tab=HISTORY_TAB)
    lines = history_lines(app)
    assert len(lines) == 2
    assert re.fullmatch(
        r"Paris: Place \(GPE\) → Other location \(LOC\) · Ana Duarte <ana@newsroom\.test> · \d\d:\d\d",
        lines[0],
    ), lines
    assert lines[1].startswith("Monday: Date → Time · Omar Haddad <omar@newsroom.test> · ")


def test_an_annotator_undoes_an_earlier_change_of_their_own_and_not_a_colleagues(folders) -> None:
    mine = save_as(folders["annotations"], ANA, "Paris", "LOC", "GPE")
    omars = save_as(folders["annotations"], OMAR, "Monday", "TIME", "DATE")
    app = open_as(ANA, tab=HISTORY_TAB)
    buttons = undo_buttons(app)
    assert not buttons[mine].disabled  # not the last change, and still undoable: Omar touched another span
    assert buttons[omars].disabled and "may undo only their own changes" in buttons[omars].help
    # A hand-made click on the disabled button writes nothing (the store's own refusal of it is
    # checked in test_access_writes.py; Streamlit drops a disabled widget's click before that).
    csv = folders["annotations"] / f"{ARTICLE}.csv"
    before = csv.read_bytes()
    crafted(undo_buttons(app)[omars]).click().run()
    assert csv.read_bytes() == before
    undo_buttons(app)[mine].click().run()
    assert "Undone: that change (1 span(s))" in messages(app)
    labels = AnnotationStore(folders["annotations"]).load(ARTICLE, TEXT).rows.set_index("text")["label"]
    assert labels.to_dict() == {"Monday": "TIME"}
    assert history_lines(app)[0].startswith(
        "Undo: Paris: Other location (LOC) → the model's reading · Ana Duarte"
    )


def test_a_change_whose_span_was_changed_later_says_why_it_cannot_be_undone(folders) -> None:
    first = save_as(folders["annotations"], OMAR, "Paris", "LOC", "GPE")
    save_as(folders["annotations"], ANA, "Paris", "FAC", "GPE")
    button = undo_buttons(open_as(EDITH, tab=HISTORY_TAB))[first]
    assert button.disabled
    assert (
        button.help
        == "“Paris” was changed again later, by Ana Duarte <ana@newsroom.test>: undo that change first."
    )


def test_an_undo_drawn_for_an_annotator_is_refused_by_the_store_once_the_role_is_gone(folders) -> None:
    mine = save_as(folders["annotations"], ANA, "Paris", "LOC", "GPE")
    app = open_as(ANA, tab=HISTORY_TAB)
    folders["roles"].write_text('default = "reader"\n', encoding="utf-8")
    csv = folders["annotations"] / f"{ARTICLE}.csv"
    before = csv.read_bytes()
    undo_buttons(app)[mine].click().run()
    assert "Only an annotator or an editor may undo their own changes" in messages(app)
    assert csv.read_bytes() == before
    assert not undo_buttons(app)  # redrawn for a reader: no Undo at all
