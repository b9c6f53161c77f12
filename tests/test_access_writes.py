"""Roles are enforced where the write happens: the store, the review marks and the article library.

Each refusal is checked on real files: the refused write leaves every file byte for byte as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from components.access.roles import LOCAL_USER, AccessDenied, Action, Role, User
from components.annotations.store import AccessRefusedError, AnnotationStore, StoreError
from components.corpus.articles import ArticleAccessError, ArticleError, ArticleLibrary
from components.corpus.listing import mark_reviewed, reviewed_ids
from tests.test_store import row, rows

ARTICLE = "summit"
TEXT = "Leaders met in Paris. Officials in Berlin said nothing."
READER = User(Role.READER, "Rita Reyes", "rita@freelance.test", signed_in=True)
ANA = User(Role.ANNOTATOR, "Ana Duarte", "ana@newsroom.test", signed_in=True)
OMAR = User(Role.ANNOTATOR, "Omar Haddad", "omar@newsroom.test", signed_in=True)
EDITH = User(Role.EDITOR, "Edith Stone", "edith@newsroom.test", signed_in=True)


def correction(place: str, label: str = "LOC") -> pd.DataFrame:
    start = TEXT.index(place)
    return rows(
        row(TEXT, f"e-{start}-{start + len(place)}", start, start + len(place), label, article_id=ARTICLE)
    )


def files(directory: Path) -> dict[str, bytes]:
    """Return every file under ``directory`` (lock files aside: taking a lock is not a write)."""
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file() and not path.name.endswith(".lock")
    }


def as_user(directory: Path, user: User) -> AnnotationStore:
    return AnnotationStore(directory, user=user)


def save(store: AnnotationStore, place: str, label: str = "LOC", annotator: str = ""):
    version = store.load(ARTICLE, TEXT).version
    return store.save(ARTICLE, TEXT, correction(place, label), version, annotator=annotator)


def undo(store: AnnotationStore):
    return store.undo(ARTICLE, TEXT, store.load(ARTICLE, TEXT).version)


def log_entries(directory: Path) -> list[dict]:
    return [json.loads(line) for line in (directory / f"{ARTICLE}.log.jsonl").read_text().splitlines()]


# --- the store -------------------------------------------------------------------------------------


def test_a_reader_cannot_save_and_nothing_is_written(annotations_dir: Path) -> None:
    save(as_user(annotations_dir, ANA), "Paris")
    before = files(annotations_dir)
    with pytest.raises(AccessRefusedError) as refused:
        save(as_user(annotations_dir, READER), "Berlin")
    assert "Only an annotator or an editor may correct spans" in str(refused.value)
    assert "Rita Reyes <rita@freelance.test> is a reader" in str(refused.value)
    assert files(annotations_dir) == before
    # The page catches its usual StoreError; code that cares about roles catches AccessDenied.
    assert isinstance(refused.value, StoreError) and isinstance(refused.value, AccessDenied)


def test_rows_saved_as_an_import_need_an_editor(annotations_dir: Path) -> None:
    rows_from_a_file = correction("Paris")
    with pytest.raises(AccessRefusedError, match="Only an editor may import annotations"):
        as_user(annotations_dir, ANA).save(ARTICLE, TEXT, rows_from_a_file, None, action=Action.IMPORT)
    assert files(annotations_dir) == {}
    result = as_user(annotations_dir, EDITH).save(ARTICLE, TEXT, rows_from_a_file, None, action=Action.IMPORT)
    assert result.changed_span_ids


def test_a_reader_cannot_undo(annotations_dir: Path) -> None:
    save(as_user(annotations_dir, ANA), "Paris")
    before = files(annotations_dir)
    reader = as_user(annotations_dir, READER)
    assert not reader.can_undo(ARTICLE)
    with pytest.raises(AccessRefusedError, match="may undo their own changes"):
        undo(reader)
    assert files(annotations_dir) == before


def test_the_log_names_the_signed_in_identity_not_a_typed_name(annotations_dir: Path) -> None:
    save(as_user(annotations_dir, ANA), "Paris", annotator="Somebody Else")
    entry = log_entries(annotations_dir)[-1]
    assert (entry["annotator"], entry["annotator_email"]) == (
        "Ana Duarte <ana@newsroom.test>",
        "ana@newsroom.test",
    )
    history = as_user(annotations_dir, READER).history(ARTICLE)
    assert set(history["annotator"]) == {"Ana Duarte <ana@newsroom.test>"}


def test_without_sign_in_the_typed_name_is_logged_as_before(annotations_dir: Path) -> None:
    store = AnnotationStore(annotations_dir)  # the single local user
    assert store.user == LOCAL_USER
    save(store, "Paris", annotator="Zoë")
    entry = log_entries(annotations_dir)[-1]
    assert (entry["annotator"], entry["annotator_email"]) == ("Zoë", "")
    assert store.can_undo(ARTICLE)
    assert undo(store).changed_span_ids


def test_an_annotator_undoes_their_own_change(annotations_dir: Path) -> None:
    ana = as_user(annotations_dir, ANA)
    save(ana, "Paris")
    assert ana.can_undo(ARTICLE)
    assert undo(ana).changed_span_ids == (correction("Paris")["span_id"].iloc[0],)
    assert as_user(annotations_dir, ANA).load(ARTICLE, TEXT).rows.empty


def test_an_annotator_cannot_undo_a_colleagues_change(annotations_dir: Path) -> None:
    save(as_user(annotations_dir, OMAR), "Berlin")
    ana = as_user(annotations_dir, ANA)
    assert not ana.can_undo(ARTICLE)
    before = files(annotations_dir)
    with pytest.raises(AccessRefusedError) as refused:
        undo(ana)
    assert "made by Omar Haddad <omar@newsroom.test>" in str(refused.value)
    assert "Ana Duarte <ana@newsroom.test> may undo only their own changes" in str(refused.value)
    assert files(annotations_dir) == before
    assert as_user(annotations_dir, OMAR).can_undo(ARTICLE)


def test_an_address_in_another_case_is_still_ones_own(annotations_dir: Path) -> None:
    save(as_user(annotations_dir, User(Role.ANNOTATOR, "Ana", "Ana@Newsroom.test", signed_in=True)), "Paris")
    assert undo(as_user(annotations_dir, ANA)).changed_span_ids


def test_an_editor_undoes_anyones_change(annotations_dir: Path) -> None:
    save(as_user(annotations_dir, OMAR), "Berlin")
    edith = as_user(annotations_dir, EDITH)
    assert edith.can_undo(ARTICLE)
    assert undo(edith).changed_span_ids
    assert log_entries(annotations_dir)[-1]["annotator"] == "Edith Stone <edith@newsroom.test>"


def test_a_change_made_before_sign_in_is_nobodys_own(annotations_dir: Path) -> None:
    save(AnnotationStore(annotations_dir), "Paris", annotator="Ana Duarte")
    assert not as_user(annotations_dir, ANA).can_undo(ARTICLE)
    with pytest.raises(AccessRefusedError, match="made by Ana Duarte;"):
        undo(as_user(annotations_dir, ANA))
    assert as_user(annotations_dir, EDITH).can_undo(ARTICLE)


def test_an_annotator_cannot_undo_a_colleagues_earlier_change_by_its_id(annotations_dir: Path) -> None:
    save(as_user(annotations_dir, OMAR), "Berlin")
    save(as_user(annotations_dir, ANA), "Paris")
    ana = as_user(annotations_dir, ANA)
    mine, omars = ana.changes(ARTICLE)
    assert mine.why_not_undo is None
    assert "Ana Duarte <ana@newsroom.test> may undo only their own changes" in (omars.why_not_undo or "")
    before = files(annotations_dir)
    with pytest.raises(AccessRefusedError, match="made by Omar Haddad"):
        ana.undo(ARTICLE, TEXT, ana.load(ARTICLE, TEXT).version, change_id=omars.change_id)
    assert files(annotations_dir) == before
    edith = as_user(annotations_dir, EDITH)
    assert [item.why_not_undo for item in edith.changes(ARTICLE)] == [None, None]
    assert edith.undo(
        ARTICLE, TEXT, edith.load(ARTICLE, TEXT).version, change_id=omars.change_id
    ).changed_span_ids
    assert all(item.why_not_undo for item in as_user(annotations_dir, READER).changes(ARTICLE))


# --- review marks ----------------------------------------------------------------------------------


def test_a_reader_cannot_mark_an_article_reviewed(annotations_dir: Path) -> None:
    with pytest.raises(AccessRefusedError, match="Only an annotator or an editor may mark articles reviewed"):
        mark_reviewed(annotations_dir, ARTICLE, True, user=READER)
    assert reviewed_ids(annotations_dir) == set()
    assert files(annotations_dir) == {}
    mark_reviewed(annotations_dir, ARTICLE, True, user=ANA)
    with pytest.raises(AccessRefusedError):
        mark_reviewed(annotations_dir, ARTICLE, False, user=READER)
    assert reviewed_ids(annotations_dir) == {ARTICLE}


# --- the article library ---------------------------------------------------------------------------


@pytest.mark.parametrize("user", [READER, ANA], ids=["reader", "annotator"])
def test_only_an_editor_adds_articles(tmp_path: Path, user: User) -> None:
    uploads = tmp_path / "uploads"
    library = ArticleLibrary(tmp_path / "articles", uploads, user=user)
    with pytest.raises(ArticleAccessError, match="Only an editor may upload or paste articles") as refused:
        library.add_upload("summit.txt", TEXT.encode())
    assert isinstance(refused.value, ArticleError)  # the sidebar's usual message path
    with pytest.raises(ArticleAccessError):
        library.add_paste(TEXT)
    assert not uploads.exists()
    editor = ArticleLibrary(tmp_path / "articles", uploads, user=EDITH)
    assert editor.add_paste(TEXT).text == TEXT
    assert ArticleLibrary(tmp_path / "articles", uploads).add_upload("summit.txt", TEXT.encode()).text == TEXT


@pytest.mark.parametrize("user", [READER, ANA], ids=["reader", "annotator"])
def test_only_an_editor_renames_deletes_and_restores_articles(tmp_path: Path, user: User) -> None:
    uploads = tmp_path / "annotations" / "uploads"
    editor = ArticleLibrary(tmp_path / "articles", uploads, user=EDITH)
    kept = editor.add_paste(TEXT).article_id
    gone = editor.add_upload("gone.txt", b"Officials in Rome said nothing.").article_id
    editor.delete(gone)
    before = files(tmp_path)
    library = ArticleLibrary(tmp_path / "articles", uploads, user=user)
    with pytest.raises(ArticleAccessError, match="Only an editor may rename articles"):
        library.rename(kept, "Leaders in Paris")
    with pytest.raises(ArticleAccessError, match="Only an editor may delete and restore articles"):
        library.delete(kept)
    with pytest.raises(ArticleAccessError, match="Only an editor may delete and restore articles"):
        library.restore(gone)
    assert files(tmp_path) == before
    editor.rename(kept, "Leaders in Paris")
    editor.restore(gone)
    assert editor.title(kept) == "Leaders in Paris" and gone in editor.ids()
