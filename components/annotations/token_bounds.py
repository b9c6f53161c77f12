"""Span boundaries by words: a selection snapped to whole tokens, an edge moved a word at a time. Pure.

Tokens are given as ``(start, end)`` character offsets in the article, as spaCy's tokenizer cuts it
(“John Kerry’s” is ``John``, ``Kerry``, ``’s``), so selecting “John Kerr” gives “John Kerry” and an
edge never lands inside a word.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from typing import Literal

from components.annotations.corrections import CorrectionError

Bounds = tuple[int, int]
Edge = Literal["start", "end"]


def token_offsets(tokens: Iterable[object]) -> list[Bounds]:
    """Return the ``(start, end)`` offsets of spaCy tokens (anything with ``idx`` and ``__len__``), whitespace-only ones left out."""
    return [(token.idx, token.idx + len(token)) for token in tokens if not token.is_space]  # type: ignore[attr-defined]


def snap_to_tokens(tokens: Sequence[Bounds], start: int, end: int) -> Bounds:
    """Return the selection ``start``–``end`` grown to the whole tokens it touches.

    Raises :class:`CorrectionError` when it touches no token (only spaces).
    """
    touched = [token for token in tokens if token[0] < end and token[1] > start]
    if not touched:
        raise CorrectionError("The selection holds no words.")
    return touched[0][0], touched[-1][1]


def nudge(tokens: Sequence[Bounds], bounds: Bounds, edge: Edge, step: Literal[-1, 1]) -> Bounds:
    """Return ``bounds`` with one edge moved a word left (``-1``) or right (``1``); unchanged at the text's
    ends or where the span would hold no word."""
    start, end = bounds
    starts = [token[0] for token in tokens]
    ends = [token[1] for token in tokens]
    if edge == "start":
        index = bisect_left(starts, start) + (1 if step > 0 else -1)
        if 0 <= index < len(starts) and starts[index] < end:
            return starts[index], end
        return bounds
    index = bisect_right(ends, end) - 1 + (1 if step > 0 else -1)
    if 0 <= index < len(ends) and ends[index] > start:
        return start, ends[index]
    return bounds
