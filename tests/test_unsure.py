"""Unsure speakers: which quotes, why, and where a walk through them goes on."""

from __future__ import annotations

import pandas as pd

from components.annotations.schema import COLUMNS
from components.views.render import render_article, view_spans
from components.views.unsure import unsure_quotes, unsure_reason, walk_position


def quotes_table() -> pd.DataFrame:
    rows = [
        ("q-20-30", 20, 30, "low", "continuation"),
        ("q-0-10", 0, 10, "medium", "pronoun"),
        ("q-40-50", 40, 50, "high", "named"),
        ("q-60-70", 60, 70, "high", "reader"),
    ]
    records = [
        dict.fromkeys(COLUMNS, "")
        | {"span_id": i, "kind": "quote", "start": s, "end": e, "label": "QUOTE", "status": "active"}
        | {"speaker": "Ann <b>", "confidence": c, "attribution": a}
        for i, s, e, c, a in rows
    ]
    return pd.DataFrame(records, columns=list(COLUMNS))


def test_unsure_quotes_are_the_medium_and_low_ones_in_text_order() -> None:
    assert unsure_quotes(quotes_table())["span_id"].tolist() == ["q-0-10", "q-20-30"]
    assert unsure_reason("continuation", "low") == "Unsure (low): carried on from the quote before. Check it."


def test_an_unsure_badge_looks_different_and_says_why_escaped() -> None:
    markup = render_article("x" * 80, view_spans(quotes_table()))
    assert markup.count('class="quote-speaker unsure unsure-medium" title="Unsure (medium): a pronoun') == 1
    assert markup.count('class="quote-speaker unsure unsure-low"') == 1
    assert markup.count('<span class="quote-speaker">Ann &lt;b&gt;</span>') == 2  # the sure ones


def test_the_walk_goes_on_after_a_fixed_quote() -> None:
    ids, starts = ["a", "b", "c"], [0, 20, 40]
    assert walk_position(ids, starts, "b", 20) == 1
    assert walk_position(["a", "c"], [0, 40], "b", 20) == 1  # b was fixed: on to c
    assert walk_position(["a"], [0], "c", 40) == 0  # past the last: back to the first
