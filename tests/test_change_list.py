"""Any one change can be undone when nothing later touched its spans; the history lists changes, newest first."""

from __future__ import annotations

from pathlib import Path

import pytest

from components.annotations.change_list import FieldChange
from components.annotations.store import AnnotationStore, ConflictError
from tests.test_store import ARTICLE, row, rows

TEXT = "Aleppo rebels met Russian envoys in Geneva. Moscow said nothing."


def span(needle: str, label: str, **extra: str) -> dict:
    start = TEXT.index(needle)
    return row(TEXT, f"e-{start}-{start + len(needle)}", start, start + len(needle), label, **extra)


def save(store: AnnotationStore, *items: dict, who: str = "Ana", model: tuple[dict, ...] = ()) -> str:
    version = store.load(ARTICLE, TEXT).version
    model_rows = rows(*model) if model else None
    result = store.save(ARTICLE, TEXT, rows(*items), version, annotator=who, model_rows=model_rows)
    assert result.change_id
    return result.change_id


def undo(store: AnnotationStore, change_id: str | None):
    return store.undo(ARTICLE, TEXT, store.load(ARTICLE, TEXT).version, annotator="Ana", change_id=change_id)


def labels(store: AnnotationStore) -> dict[str, str]:
    found = store.load(ARTICLE, TEXT).rows
    return dict(zip(found["text"], found["label"], strict=True))


@pytest.fixture()
def store(annotations_dir: Path) -> AnnotationStore:
    return AnnotationStore(annotations_dir, lock_timeout=5)


def test_the_change_list_is_newest_first_with_each_spans_old_and_new_value(store: AnnotationStore) -> None:
    model = span("Aleppo", "NORP", source="model")
    first = save(store, span("Aleppo", "GPE"), model=(model,))
    second = save(store, span("Moscow", "LOC"), who="Omar")
    items = store.changes(ARTICLE)
    assert [item.change_id for item in items] == [second, first]
    assert (items[0].annotator, items[0].action) == ("Omar", "save")
    aleppo = items[1].spans[0]
    assert aleppo.text == "Aleppo"
    assert FieldChange("label", "NORP", "GPE") in aleppo.fields
    assert all(item.why_not_undo is None for item in items)


def test_an_earlier_change_is_undone_and_a_later_one_on_another_span_stays(store: AnnotationStore) -> None:
    first = save(store, span("Aleppo", "GPE"))
    save(store, span("Moscow", "LOC"))
    result = undo(store, first)
    assert result.changed_span_ids == (span("Aleppo", "GPE")["span_id"],)
    assert labels(store) == {"Moscow": "LOC"}
    newest = store.changes(ARTICLE)[0]
    assert newest.action == "undo" and newest.why_not_undo
    undone = store.changes(ARTICLE)[-1]
    assert undone.change_id == first and undone.why_not_undo == "Already undone by Ana."


def test_a_change_whose_span_was_changed_later_cannot_be_undone(store: AnnotationStore) -> None:
    first = save(store, span("Aleppo", "GPE"))
    later = save(store, span("Aleppo", "LOC"), who="Omar")
    blocked = store.changes(ARTICLE)[-1]
    assert blocked.why_not_undo == "“Aleppo” was changed again later, by Omar: undo that change first."
    before = store.csv_path(ARTICLE).read_bytes()
    with pytest.raises(ConflictError, match="changed again later, by Omar"):
        undo(store, first)
    assert store.csv_path(ARTICLE).read_bytes() == before
    # Once the later change is undone, nothing stands in the way any more.
    undo(store, later)
    assert store.changes(ARTICLE)[-1].why_not_undo is None
    undo(store, first)
    assert labels(store) == {}


def test_an_unknown_change_is_refused(store: AnnotationStore) -> None:
    save(store, span("Aleppo", "GPE"))
    with pytest.raises(ConflictError, match="not in this article's edit log"):
        undo(store, "0" * 32)


def test_undo_last_still_walks_back_after_an_undo_of_an_earlier_change(store: AnnotationStore) -> None:
    first = save(store, span("Aleppo", "GPE"))
    save(store, span("Moscow", "LOC"))
    undo(store, first)
    undo(store, None)
    assert labels(store) == {}
    assert not store.can_undo(ARTICLE)
