"""Boundaries by words: a selection snapped to whole tokens, an edge moved a word at a time."""

from __future__ import annotations

import pytest

from components.annotations.corrections import CorrectionError
from components.annotations.token_bounds import nudge, snap_to_tokens, token_offsets

TEXT = "US Secretary of State John Kerry’s stance on al-Assad,  he said."


@pytest.fixture(scope="module")
def tokens(nlp):
    return token_offsets(nlp.tokenizer(TEXT))


def words(bounds: tuple[int, int]) -> str:
    return TEXT[bounds[0] : bounds[1]]


@pytest.mark.parametrize(
    ("selected", "snapped"),
    [
        ("John Kerry", "John Kerry"),  # the possessive is a token of its own
        ("ohn Ker", "John Kerry"),  # a word cut by the drag is taken whole
        (" John Kerry’s ", "John Kerry’s"),  # spaces around are not words
        ("l-As", "al-Assad"),
    ],
)
def test_a_selection_snaps_to_the_whole_words_it_touches(tokens, selected: str, snapped: str) -> None:
    start = TEXT.index(selected)
    assert words(snap_to_tokens(tokens, start, start + len(selected))) == snapped


def test_a_selection_of_spaces_holds_no_words(tokens) -> None:
    start = TEXT.index("  he")
    with pytest.raises(CorrectionError):
        snap_to_tokens(tokens, start, start + 2)


def test_each_edge_moves_a_word_at_a_time_and_never_past_the_other(tokens) -> None:
    start = TEXT.index("John")
    kerry = (start, start + len("John Kerry’s"))
    assert words(nudge(tokens, kerry, "end", -1)) == "John Kerry"
    assert words(nudge(tokens, kerry, "end", 1)) == "John Kerry’s stance"
    assert words(nudge(tokens, kerry, "start", -1)) == "State John Kerry’s"
    assert words(nudge(tokens, kerry, "start", 1)) == "Kerry’s"
    john = (start, start + 4)
    assert nudge(tokens, john, "start", 1) == john and nudge(tokens, john, "end", -1) == john
    whole = (0, len(TEXT))
    assert nudge(tokens, whole, "start", -1) == whole and nudge(tokens, whole, "end", 1) == whole
