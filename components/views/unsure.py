"""Unsure speakers: which quotes' attributions a reader should check, and why each is unsure. Pure.

The quote component says how it found each speaker (``attribution``) and how sure that is
(``confidence``: high, medium, low). A quote with a medium or low confidence is unsure until a
reader sets its speaker (``attribution=reader``, confidence high).
"""

from __future__ import annotations

from typing import Final

import pandas as pd

from components.annotations.schema import CONFIDENCE_LOW, CONFIDENCE_MEDIUM, KIND_QUOTE, STATUS_REJECTED

UNSURE: Final = (CONFIDENCE_MEDIUM, CONFIDENCE_LOW)

# How each attribution method found the speaker, in words a reader understands.
HOW_FOUND: Final[dict[str, str]] = {
    "named": "named beside the quote",
    "organisation": "an organisation named beside the quote",
    "description": "a description beside the quote (“an official”)",
    "pronoun": "a pronoun (“he”, “she”) resolved to a person named earlier",
    "role": "a role (“the ambassador”) resolved to the person introduced in it",
    "continuation": "carried on from the quote before",
    "nested": "the speaker of the quote around it",
    "guessed": "guessed from the sentence around it",
    "none": "no speaker found",
    "reader": "set by a reader",
}


def unsure_quotes(table: pd.DataFrame) -> pd.DataFrame:
    """Return the active quotes whose speaker the model is unsure of, in the order of the text."""
    quotes = table[(table["kind"] == KIND_QUOTE) & (table["status"] != STATUS_REJECTED)]
    return quotes[quotes["confidence"].isin(UNSURE)].sort_values("start")


def unsure_reason(attribution: str, confidence: str) -> str:
    """Return why a speaker is unsure, for the badge's title: “Unsure (low): carried on from the quote before”."""
    how = HOW_FOUND.get(attribution, attribution or "unknown method")
    return f"Unsure ({confidence}): {how}. Check it."


def walk_position(span_ids: list[str], starts: list[int], current: str | None, current_start: int) -> int:
    """Return where a walk through ``span_ids`` (in text order, at ``starts``) stands.

    The index of ``current``; when it is no longer unsure (a reader fixed it), the first unsure quote
    after where it was, so the walk goes on from there; 0 at the end or with nothing current.
    """
    if current in span_ids:
        return span_ids.index(current)
    later = [index for index, start in enumerate(starts) if start > current_start]
    return later[0] if later else 0
