"""The history's lines say each change in words: the span's text, old → new, who, and when."""

from __future__ import annotations

import pytest

from components.annotations.change_list import ChangeItem, FieldChange, SpanChange
from components.views.history import change_line

PLAIN = {"GPE": "Place", "NORP": "Nationality or group", "PERSON": "Person"}


def plain_name(label: str) -> str:
    return PLAIN.get(label, label)


def item(*spans: SpanChange, action: str = "save", who: str = "Ana") -> ChangeItem:
    return ChangeItem("c1", action, "2026-12-02T10:42:00Z", who, spans, None)


def aleppo(*fields: FieldChange, text: str = "Aleppo") -> SpanChange:
    return SpanChange("e-0-6", text, fields)


@pytest.mark.parametrize(
    ("change", "line"),
    [
        (
            item(aleppo(FieldChange("label", "NORP", "GPE"))),
            "Aleppo: Nationality or group → Place · Ana · 10:42",
        ),
        (item(aleppo(FieldChange("status", "active", "rejected"))), "Aleppo: rejected · Ana · 10:42"),
        (item(aleppo(FieldChange("status", "rejected", "active"))), "Aleppo: restored · Ana · 10:42"),
        (
            item(
                SpanChange(
                    "e-1",
                    "John Kerry",
                    (FieldChange("end", "12", "10"), FieldChange("text", "John Kerry’s", "John Kerry")),
                )
            ),
            "John Kerry’s: boundaries “John Kerry’s” → “John Kerry” · Ana · 10:42",
        ),
        (
            item(SpanChange("q-1", "“We agree”", (FieldChange("speaker", "", "Merkel"),))),
            "“We agree”: speaker none → “Merkel” · Ana · 10:42",
        ),
        (
            item(aleppo(FieldChange("label", "NORP", "PERSON"), FieldChange("country", "SYR", ""))),
            "Aleppo: Nationality or group → Person; country Syria → none · Ana · 10:42",
        ),
        (
            item(aleppo(FieldChange("kind", "", "entity"), FieldChange("label", "", "GPE"))),
            "Aleppo: added as Place · Ana · 10:42",
        ),
        (
            item(aleppo(FieldChange("(correction)", "GPE", "")), action="undo", who=""),
            "Undo: Aleppo: Place → the model's reading · unnamed · 10:42",
        ),
        (
            item(*[aleppo(FieldChange("label", "NORP", "GPE"))] * 5),
            "Aleppo: Nationality or group → Place (×5) · Ana · 10:42",
        ),
        (
            item(*[aleppo(FieldChange("label", "NORP", "GPE"), text=f"Town{i}") for i in range(5)]),
            "Town0: Nationality or group → Place; Town1: Nationality or group → Place; and 3 more spans"
            " · Ana · 10:42",
        ),
    ],
)
def test_a_change_reads_as_a_line(change: ChangeItem, line: str) -> None:
    assert change_line(change, plain_name, "10:42") == line
